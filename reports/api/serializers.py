from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

MAX_ID = 2**31 - 1


class PeriodQuerySerializer(serializers.Serializer[Any]):
    """The query of a report: a period (this calendar year by default), a region and an agency."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # ``from`` is a Python keyword: the fields are named here.
        return {
            "from": serializers.DateField(required=False, help_text="First day of the period (ISO date)."),
            "to": serializers.DateField(required=False, help_text="Last day of the period (ISO date)."),
            "region": serializers.IntegerField(
                required=False,
                min_value=1,
                max_value=MAX_ID,
                help_text="Only this region and those below it.",
            ),
            "agency": serializers.IntegerField(
                required=False, min_value=1, max_value=MAX_ID, help_text="Only the cases of this agency."
            ),
        }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        blank: dict[str, Any] = {
            str(name): [_("This field may not be blank.")] for name in self.fields if data.get(name) == ""
        }
        if blank:
            raise serializers.ValidationError(blank)
        values: dict[str, Any] = super().to_internal_value(data)
        return values

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = self.context["today"]
        first = attrs.get("from") or date(today.year, 1, 1)
        last = attrs.get("to") or date(first.year, 12, 31)
        if first > last:
            raise serializers.ValidationError({"to": [_("The last day is before the first.")]})
        if (last - first).days > 3660:
            raise serializers.ValidationError({"to": [_("A report covers ten years at most.")]})
        return {**attrs, "from": first, "to": last}


class CasesQuerySerializer(PeriodQuerySerializer):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            **super().get_fields(),
            "part": serializers.ChoiceField(
                choices=self.context["parts"],
                help_text="numerator, denominator or a name beside (refused, principal, silent, waiting, …).",
            ),
        }


class MetricSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="The figure's code, e.g. pushed_rate.")
    label = serializers.CharField(help_text="Its name in the user's language.")  # type: ignore[assignment]  # a declared field, popped from the class by DRF
    definition = serializers.CharField(help_text="What it counts, in plain words.")
    four = serializers.BooleanField(help_text="One of the four 100%.")
    numerator = serializers.IntegerField(help_text="Units in the numerator.")
    denominator = serializers.IntegerField(help_text="Units in the denominator.")
    beside = serializers.DictField(
        child=serializers.IntegerField(), help_text="What is shown beside, counted."
    )
    value = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="Percent, two decimals; null with no units.",
    )
    target = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Below it the figure is red (null: none)."
    )
    ceiling = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="Over it the figure is red (the loss rate).",
    )
    alarm = serializers.BooleanField(help_text="Red: below target, or over the ceiling.")
    previous_value = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="The same period a year earlier."
    )
    change = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Year on year, in percentage points."
    )


class MetricsSerializer(serializers.Serializer[Any]):
    first = serializers.DateField(help_text="First day of the period.")
    last = serializers.DateField(help_text="Last day of the period.")
    metrics = MetricSerializer(many=True)


class MetricCaseSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The case.")
    number = serializers.CharField(help_text="Its number.")
    respondent = serializers.CharField(help_text="The respondent agency.")
    counted = serializers.IntegerField(help_text="How many times it counts in this part.")
    can_open = serializers.BooleanField(help_text="Whether you may open the case.")
