"""``{{ value|clause }}``: a case fact without its closing mark, where a template joins it into a
sentence (the rule is ``documents.text.clause``)."""

from django import template

from ..text import clause as _clause

register = template.Library()


@register.filter
def clause(value):
    return _clause(value)
