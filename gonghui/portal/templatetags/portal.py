from django import template

from gonghui.portal.tabs import TABS

register = template.Library()


@register.inclusion_tag("portal/_tabs.html", takes_context=True)
def portal_tabs(context):
    request = context["request"]
    match = request.resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return {"tabs": TABS, "current": current, "csrf_token": context.get("csrf_token")}
