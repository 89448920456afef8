from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.853 as "85.3%"; no value (nothing to divide by) as a dash."""
    if value is None:
        return "—"
    # number_format cuts decimals off; round first so that 1.69% reads 1.7%.
    return f"{number_format(round(value * 100, 1), 1)}%"


@register.filter
def bar_value(value) -> str:
    """A share as the value of a <progress max="100">, never past the whole bar."""
    if value is None:
        return "0"
    return f"{min(value, 1) * 100:.1f}"
