import functools

from django import template
from django.urls import reverse

from gonghui.portal.tabs import TABS

register = template.Library()


@functools.cache
def _tabs() -> list[tuple[str, object, str]]:
    # Built once: every portal page shows them, and reversing costs on each request.
    return [(tab.url_name, tab.label, reverse(tab.url_name)) for tab in TABS]


@register.inclusion_tag("portal/_tabs.html", takes_context=True)
def portal_tabs(context):
    match = context["request"].resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return {"tabs": _tabs(), "current": current}
