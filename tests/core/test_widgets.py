"""``QuickSelect`` writes the same ``<select>`` Django's template-rendered one does."""

import re

import pytest
from django import forms

from core.models import Region
from core.widgets import QuickSelect
from tests.factories import RegionFactory

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')
CHOICES = [
    ("", "全部"),
    ("a", "甲 & <乙>"),
    ("b", "丙"),
    ("组", [("c", "丁"), ("d", "戊")]),
    (1, "数字"),
]


def _parts(html: str):
    head = re.match(r"<select([^>]*)>", html.strip())
    assert head is not None
    return sorted(head.group(1).split()), OPTION.findall(html), html.count("<optgroup")


@pytest.mark.parametrize("value", [None, "", "b", "d", 1, "1", "missing"])
def test_the_html_is_django_s_for_every_value(value):
    attrs = {"id": "id_x", "class": "filter"}
    ours = QuickSelect(choices=CHOICES).render("x", value, attrs)
    django = forms.Select(choices=CHOICES).render("x", value, attrs)
    assert _parts(ours) == _parts(django)
    assert "&lt;乙&gt;" in ours


@pytest.mark.django_db
def test_a_model_choice_field_renders_its_records_and_the_chosen_one():
    regions = [RegionFactory(name=f"区{i}") for i in range(3)]
    field = forms.ModelChoiceField(
        queryset=Region.objects.order_by("pk"), widget=QuickSelect, empty_label="全部"
    )
    bound = forms.Form(data={"region": str(regions[1].pk)})
    bound.fields["region"] = field
    html = str(bound["region"])
    options = OPTION.findall(html)
    assert options[0] == ("", "", "全部")
    assert (str(regions[1].pk), " selected", "区1") in options
    assert [o for o in options if o[1]] == [(str(regions[1].pk), " selected", "区1")]
