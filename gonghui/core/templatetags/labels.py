"""``{% load labels %}``: the phrases of ``core.labels`` in templates.

{{ object.school|bracketed:object.admission_year }}   →  某某中学（2026）
{% labelled _("Status") object.get_status_display %}  →  状态：运行中
{% translate "Status" %}{% colon %}<strong>…</strong>  →  状态：<strong>…</strong>
"""

from django import template

from gonghui.core import labels

register = template.Library()


@register.filter
def bracketed(name, detail):
    return labels.bracketed(name, detail)


@register.simple_tag
def labelled(label, value):
    return labels.labelled(label, value)


@register.simple_tag
def colon():
    return labels.colon()
