"""The seed's remedies (补救, seed 003): a missed answer (in court, or the reconsideration reply) and a
missed performance open a remedy task, counted as 不答辩 and 不履行; appearance comes with the hearings.
The next-day feedback (反馈) is reminded on the day of the act (one day before its last day). A rule a
centre has already set is left as it is."""

from django.db import migrations

PROBLEMS = {
    "lit_answer": "not_answering",
    "recon_reply": "not_answering",
    "recon_reply_simplified": "not_answering",
    "performance": "not_performing",
}


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for code, problem in PROBLEMS.items():
        DeadlineRule.objects.filter(code=code, missed_problem="").update(missed_problem=problem)
    DeadlineRule.objects.filter(code="feedback", reminder_offsets=[]).update(reminder_offsets=[1])


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=PROBLEMS).update(missed_problem="")
    DeadlineRule.objects.filter(code="feedback", reminder_offsets=[1]).update(reminder_offsets=[])


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0007_remedies")]

    operations = [migrations.RunPython(forwards, backwards)]
