from __future__ import annotations

from django import template

from ..labels import number, percent

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return percent(value)


@register.filter
def num(value: float | None) -> str:
    return number(value)
