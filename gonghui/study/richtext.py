"""The rich text of a study article, made safe when it is saved.

Staff write the body as HTML in a plain text box. What is stored is the output of
the Ammonia sanitiser (``nh3``) with a short list of allowed markup: headings,
paragraphs, lists, emphasis, quotes, tables, links to http/https addresses (opened
with ``rel="noopener noreferrer"``), and images that are the article's own uploaded
images. Everything else is dropped: scripts and styles with their content, event
attributes (``on*``), ``javascript:`` and ``data:`` addresses, frames, SVG and MathML
with their content. The site's Content-Security-Policy forbids inline script and style
besides, so a mistake here would still not run.

An image is kept only when its address is the portal's address of one of the
article's own images (``ArticleImage.portal_url``); the console's address of such an
image, or either address written with a host, is rewritten to it; any other image is
left without an address (it shows nothing and loads nothing).
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}

ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}

#: Removed with everything inside them, not only their tags: their content is code or
#: a document of its own, never text for the reader.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "svg",
    "math",
    "template",
    "noscript",
    "noembed",
    "noframes",
    "textarea",
    "select",
    "xmp",
}

#: An address of an uploaded article image, in the portal (``/m/study/images/12/``) or
#: in the console (``/study/images/12/``), possibly written with a scheme and host.
IMAGE_SRC = re.compile(r"^(?:https?://[^/?#\s]+)?/(?:m/)?study/images/(\d{1,12})/$", re.IGNORECASE)
LINK = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
NUMBER = re.compile(r"^\d{1,3}$")


def image_id(src: str) -> int | None:
    """The id of the article image that ``src`` names, if it names one."""
    match = IMAGE_SRC.match(src.strip())
    return int(match.group(1)) if match else None


def clean_body(html: str, *, image_urls: dict[int, str] | None = None) -> str:
    """``html`` with only the allowed markup left.

    ``image_urls`` maps the ids of the article's own images to their portal address;
    an image naming any other address loses it.
    """
    images = image_urls or {}

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return value if LINK.match(value.strip()) else None
        if tag == "img" and attribute == "src":
            return images.get(image_id(value) or 0)
        if attribute in ("colspan", "rowspan"):
            return value if NUMBER.match(value.strip()) else None
        if attribute == "scope":
            return value if value in ("row", "col", "rowgroup", "colgroup") else None
        return value

    return nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes={"http", "https"},
    ).strip()


def for_console(html: str) -> str:
    """A stored body as the console shows it: images from the console's address
    (staff read them through the scope rule; the portal's address needs a worker)."""
    return html.replace('src="/m/study/images/', 'src="/study/images/')
