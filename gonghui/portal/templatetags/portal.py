"""The portal's chrome: the bottom tabs, the language links and the home's services.

Every portal page shows them and they are the same for every worker, so each is built
once per language (and current tab) as HTML and kept, rather than rendered through a
template on every request: on a page as small as the portal's home they were a fifth
of its cost (docs/benchmarks.md).
"""

import functools
from urllib.parse import quote

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from gonghui.portal.tabs import SERVICES, TABS

register = template.Library()

# Attributes, not text: kept from escaping.
CURRENT_PAGE = mark_safe(' aria-current="page"')
CURRENT_LANGUAGE = mark_safe(' aria-current="true"')


@functools.cache
def _assets_html() -> str:
    # Each {% static %} looks its file up in the manifest of hashed names; the five
    # of every portal page's head are looked up once per process instead.
    return format_html(
        '<link rel="stylesheet" href="{}">\n'
        '  <script src="{}" defer></script>\n'
        '  <link rel="manifest" href="{}">\n'
        '  <link rel="icon" href="{}">\n'
        '  <link rel="apple-touch-icon" href="{}">',
        static("portal/portal.css"),
        static("portal/portal.js"),
        static("portal/manifest.webmanifest"),
        static("portal/icon-192.png"),
        static("portal/icon-192.png"),
    )


@register.simple_tag
def portal_assets() -> str:
    """The stylesheet, script, manifest and icons of the portal's pages."""
    return _assets_html()


@functools.lru_cache(maxsize=64)
def _tabs_html(language: str, current: str) -> str:
    links = format_html_join(
        "",
        '<a href="{}"{}>{}</a>',
        (
            (
                reverse(tab.url_name),
                CURRENT_PAGE if tab.url_name == current else "",
                tab.label,
            )
            for tab in TABS
        ),
    )
    return format_html(
        '<nav class="tabs" aria-label="{}">{}</nav>', gettext("Portal navigation"), links
    )


@register.simple_tag(takes_context=True)
def portal_tabs(context) -> str:
    match = context["request"].resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return _tabs_html(get_language(), current)


@functools.cache
def _languages() -> list[tuple[str, str, str]]:
    return [
        (code, get_language_info(code)["name_local"], reverse("portal:language", args=[code]))
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def portal_languages(context) -> str:
    request = context["request"]
    current = getattr(request, "LANGUAGE_CODE", "")
    back = quote(request.get_full_path())
    links = format_html_join(
        "",
        '<a href="{}?next={}" lang="{}"{}>{}</a>',
        (
            (url, back, code, CURRENT_LANGUAGE if code == current else "", name)
            for code, name, url in _languages()
        ),
    )
    return format_html('<nav class="languages">{}</nav>', links)


@functools.lru_cache(maxsize=16)
def _services_html(language: str, member: bool, joining: bool) -> str:
    first = []
    if member:
        first.append((reverse("membership:card"), gettext("Membership card")))
    elif not joining:
        first.append((reverse("membership:join"), gettext("Join the union")))
    last = [
        (reverse("inbox:list"), gettext("Messages")),
        (reverse("portal:my-data"), gettext("My data")),
    ]
    registered = [(reverse(service.url_name), service.label) for service in SERVICES]
    return format_html_join("", '<li><a href="{}">{}</a></li>', [*first, *registered, *last])


@register.simple_tag
def portal_services(*, member, joining) -> str:
    """The home's services as list items: the card (or joining, unless an application
    waits), the services the apps registered, messages and my data."""
    return _services_html(get_language(), bool(member), bool(joining))
