"""Key case-number sequences by their prefix (short name + kind) instead of by centre, so two bodies
with the same short name share one series instead of colliding."""

from django.db import migrations, models

KIND_CHAR = {"resolution": "化", "reconsideration": "复"}


def to_prefix(apps, schema_editor):
    Sequence = apps.get_model("disputes", "CaseNumberSequence")
    kept: dict[tuple[str, int], object] = {}
    for seq in Sequence.objects.select_related("centre").order_by("-last_value"):
        prefix = f"{seq.centre.short_name or seq.centre.name}{KIND_CHAR[seq.kind]}"
        key = (prefix, seq.year)
        if key in kept:  # same prefix: the highest number issued wins, the series continues from it
            seq.delete()
            continue
        seq.prefix = prefix
        seq.save(update_fields=["prefix"])
        kept[key] = seq


class Migration(migrations.Migration):
    dependencies = [("disputes", "0003_party_name_label")]

    operations = [
        migrations.AddField(
            model_name="casenumbersequence",
            name="prefix",
            field=models.CharField(
                default="", help_text="Short name and kind, e.g. 郧西化.", max_length=40, verbose_name="number prefix"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(to_prefix, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="casenumbersequence", name="case_number_sequence_unique"),
        migrations.RemoveField(model_name="casenumbersequence", name="centre"),
        migrations.RemoveField(model_name="casenumbersequence", name="kind"),
        migrations.AddConstraint(
            model_name="casenumbersequence",
            constraint=models.UniqueConstraint(fields=("prefix", "year"), name="case_number_sequence_unique"),
        ),
        migrations.RemoveConstraint(model_name="dispute", name="dispute_number_unique"),
    ]
