"""The seed's remedies (补救, seed 003): a missed answer (in court, or the reconsideration reply) and a
missed performance open a remedy task, counted as 不答辩 and 不履行; appearance comes with the hearings.
The next-day feedback (反馈) is reminded on the day of the act (one day before its last day). The
respondent's attendance at a scheduled hearing is a clock ending on the hearing day, so that the agency
is reminded a week and a day before it (seed 003). A rule a centre has already set is left as it is."""

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
    DeadlineRule.objects.get_or_create(
        code="hearing_attendance",
        defaults={
            "label_zh": "参加行政复议听证",
            "label_en": "Attend the reconsideration hearing",
            "law": "行政复议法",
            "article": "第五十一条",
            "start_event": "安排听证之日（末日为听证日期）",
            "length": 5,
            "unit": "days",
            "rolls_over": False,
            "responsible_party": "agency",
            "reminder_offsets": [7, 1],
            "is_active": True,
            "notes": "被申请人的负责人应当参加听证；听证日期即本期限末日，改期时随之变更。",
        },
    )


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=PROBLEMS).update(missed_problem="")
    DeadlineRule.objects.filter(code="feedback", reminder_offsets=[1]).update(reminder_offsets=[])
    DeadlineRule.objects.filter(code="hearing_attendance", deadlines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0007_remedies")]

    operations = [migrations.RunPython(forwards, backwards)]
