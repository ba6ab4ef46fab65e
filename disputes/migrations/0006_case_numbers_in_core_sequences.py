"""Case numbers now come from core's shared NumberSequence (series "case:<prefix>"): carry the
numbers already issued over, then drop the disputes-only table."""

from django.db import migrations


def carry_over(apps, schema_editor):
    Old = apps.get_model("disputes", "CaseNumberSequence")
    New = apps.get_model("core", "NumberSequence")
    for row in Old.objects.all():
        New.objects.update_or_create(
            series=f"case:{row.prefix}", year=row.year, defaults={"last_value": row.last_value}
        )


def carry_back(apps, schema_editor):
    Old = apps.get_model("disputes", "CaseNumberSequence")
    New = apps.get_model("core", "NumberSequence")
    for row in New.objects.filter(series__startswith="case:"):
        Old.objects.update_or_create(
            prefix=row.series.removeprefix("case:"), year=row.year, defaults={"last_value": row.last_value}
        )


class Migration(migrations.Migration):
    dependencies = [("disputes", "0005_event_request_key"), ("core", "0004_number_sequence")]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="CaseNumberSequence"),
    ]
