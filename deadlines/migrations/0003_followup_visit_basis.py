"""The follow-up visit's basis names its source, the county's implementation plan (seed 000: the
"four 100%", 100% 进行决定后回访), instead of a placeholder. A centre that edited the rule keeps its text."""

from django.db import migrations

OLD = "本地规定（000号）"
NEW = "郧西县行政争议实质性化解先行区创建工作实施方案"
ARTICLE = "“四个100%”：100%进行决定后回访"


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code="followup_visit", law=OLD, article="").update(law=NEW, article=ARTICLE)


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code="followup_visit", law=NEW, article=ARTICLE).update(law=OLD, article="")


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_load_default_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
