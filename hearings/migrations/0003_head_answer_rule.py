"""The time limit of a head's answer to a hearing's request (本地规定): by the day before the hearing, so
that the reminders chase an unanswered request. A rule a centre has already set is left as it is."""

from django.db import migrations


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.get_or_create(
        code="hearing_head_answer",
        defaults={
            "label_zh": "答复负责人参加听证",
            "label_en": "Answer whether the head attends the hearing",
            "law": "本地规定",
            "article": "",
            "start_event": "收到听证出席请求之日（末日为听证前一日）",
            "length": 1,
            "unit": "days",
            "rolls_over": False,
            "responsible_party": "agency",
            "reminder_offsets": [3, 1],
            "is_active": True,
            "notes": "行政机关负责人或联络员在系统中答复：正职出席、副职出席或不能出席（说明理由并授权委托工作人员）。",
        },
    )


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code="hearing_head_answer", deadlines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("hearings", "0002_head_answers_and_attendance"), ("deadlines", "0008_remedy_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
