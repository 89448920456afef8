import functools

from django import template
from django.urls import reverse

from gonghui.portal.tabs import SERVICES, TABS

register = template.Library()


@functools.cache
def _tabs() -> list[tuple[str, object, str]]:
    # Built once: every portal page shows them, and reversing costs on each request.
    return [(tab.url_name, tab.label, reverse(tab.url_name)) for tab in TABS]


@functools.cache
def _languages() -> list[tuple[str, str, str]]:
    from django.conf import settings
    from django.utils.translation import get_language_info

    return [
        (code, get_language_info(code)["name_local"], reverse("portal:language", args=[code]))
        for code, _name in settings.LANGUAGES
    ]


@register.inclusion_tag("portal/_languages.html", takes_context=True)
def portal_languages(context):
    from urllib.parse import quote

    request = context["request"]
    return {
        "languages": _languages(),
        "current": getattr(request, "LANGUAGE_CODE", ""),
        "next": quote(request.get_full_path()),
    }


@register.inclusion_tag("portal/_tabs.html", takes_context=True)
def portal_tabs(context):
    match = context["request"].resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return {"tabs": _tabs(), "current": current}


@functools.cache
def _services() -> list[tuple[object, str]]:
    return [(service.label, reverse(service.url_name)) for service in SERVICES]


@register.simple_tag
def portal_services() -> list[tuple[object, str]]:
    """The services registered by the apps, as (label, url), for the home page."""
    return _services()
