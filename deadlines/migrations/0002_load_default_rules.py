"""The default deadline rules of ../shared/DEADLINES.md. ``load`` only adds the rules that are missing
(by code): a rule a centre has edited in the admin is never overwritten, so rerunning it is safe. The
test suite calls it again after a flush (tests/conftest.py)."""

from django.db import migrations

R = "行政复议法"
L = "行政诉讼法"
A = "法律援助法"
LOCAL = "本地规定（广州试点）"

# code, label_zh, label_en, law, article, start_event, length, unit, rolls_over, party, reminders, notes
RULES = [
    ("recon_application", "申请行政复议期限", "Time to apply for reconsideration", R, "第二十条、第二十一条",
     "知道或者应当知道行政行为之日", 60, "days", True, "applicant", [7, 1],
     "未告知申请权利的最长一年；不动产二十年、其他五年的最长保护期限另计。"),
    ("recon_acceptance_review", "受理审查", "Acceptance review", R, "第三十条",
     "收到行政复议申请之日", 5, "working_days", True, "centre", [1],
     "期满未作出不予受理决定的，视为受理。"),
    ("recon_correction_notice", "补正通知", "Correction notice", R, "第三十一条",
     "收到行政复议申请之日", 5, "working_days", True, "centre", [1], ""),
    ("recon_correction", "补正期限", "Correction period", R, "第三十一条",
     "申请人收到补正通知之日", 10, "working_days", True, "applicant", [1], ""),
    ("recon_copy_to_respondent", "申请书副本送被申请人", "Application copy to the respondent", R, "第四十八条",
     "受理行政复议申请之日", 7, "working_days", True, "centre", [1], ""),
    ("recon_reply", "被申请人答复及举证", "Respondent's reply and evidence", R, "第四十八条、第七十条",
     "被申请人收到申请书副本之日", 10, "working_days", True, "agency", [7, 1],
     "逾期不答复的，视为该行政行为没有证据、依据。"),
    ("hearing_notice", "听证通知", "Hearing notice", R, "第五十一条",
     "听证日期（通知最迟于听证五个工作日前送达）", -5, "working_days", True, "centre", [1],
     "被申请人的负责人应当参加听证；不能参加的，应当说明理由并委托相应工作人员参加。"),
    ("recon_decision", "行政复议决定", "Reconsideration decision", R, "第六十二条",
     "受理行政复议申请之日", 60, "days", True, "centre", [7, 1],
     "情况复杂的，经批准可以延长，最多不超过三十日，并书面告知当事人；中止期间不计入。"),
    ("recon_decision_simplified", "行政复议决定（简易程序）", "Reconsideration decision (simplified procedure)",
     R, "第六十二条", "受理行政复议申请之日", 30, "days", True, "centre", [7, 1], ""),
    ("recon_copy_simplified", "申请书副本送被申请人（简易程序）", "Application copy to the respondent (simplified)",
     R, "第五十四条", "受理行政复议申请之日", 3, "working_days", True, "centre", [1], ""),
    ("recon_reply_simplified", "被申请人答复（简易程序）", "Respondent's reply (simplified procedure)",
     R, "第五十四条", "被申请人收到申请书副本之日", 5, "working_days", True, "agency", [1], ""),
    ("recon_opinion_report", "行政复议意见书落实情况报告", "Report on a reconsideration opinion", R, "第七十六条",
     "收到行政复议意见书之日", 60, "days", True, "agency", [7, 1], ""),
    ("lit_sue_after_reconsideration", "复议后起诉期限", "Time to sue after the reconsideration decision", L,
     "第四十五条", "收到行政复议决定书之日", 15, "days", True, "applicant", [7, 1], ""),
    ("lit_sue_direct", "直接起诉期限", "Time to sue directly", L, "第四十六条",
     "知道或者应当知道作出行政行为之日", 6, "months", True, "applicant", [7, 1], ""),
    ("lit_copy_to_agency", "起诉状副本发送被告", "Complaint copy to the agency", L, "第六十七条",
     "立案之日", 5, "days", True, "court", [1], ""),
    ("lit_answer", "行政应诉答辩及举证", "Agency's answer and evidence", L, "第六十七条",
     "收到起诉状副本之日", 15, "days", True, "agency", [7, 1], ""),
    ("lit_appeal", "上诉期限（判决）", "Appeal against a judgment", L, "第八十五条",
     "判决书送达之日", 15, "days", True, "agency", [7, 1], ""),
    ("lit_appeal_ruling", "上诉期限（裁定）", "Appeal against a ruling", L, "第八十五条",
     "裁定书送达之日", 10, "days", True, "agency", [7, 1], ""),
    ("lit_trial_first", "一审审理期限", "First-instance trial period", L, "第八十一条",
     "立案之日", 6, "months", True, "court", [7], ""),
    ("lit_trial_simplified", "简易程序审理期限", "Simplified trial period", L, "第八十三条",
     "立案之日", 45, "days", True, "court", [7], ""),
    ("lit_trial_second", "二审审理期限", "Second-instance trial period", L, "第八十八条",
     "收到上诉状之日", 3, "months", True, "court", [7], ""),
    ("court_head_notice", "负责人出庭应诉通知", "Notice for the agency head to appear",
     "最高人民法院关于行政机关负责人出庭应诉若干问题的规定（2020）", "第五条、第十一条",
     "开庭日期（通知最迟于开庭三日前送达）", -3, "days", True, "court", [1],
     "出庭的负责人应当就实质性解决行政争议发表意见。"),
    ("lit_enforcement_application", "申请强制执行期限", "Time to apply for enforcement",
     "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释（2018）", "第一百五十三条",
     "法律文书规定的履行期间最后一日", 24, "months", True, "applicant", [30, 7], ""),
    ("aid_decision", "法律援助审查决定", "Legal aid decision", A, "第四十三条",
     "收到法律援助申请之日", 7, "days", True, "legal_aid", [1], "决定不给予法律援助的，应当书面告知并说明理由。"),
    ("aid_assignment", "指派律师", "Lawyer assigned", A, "第四十三条",
     "决定给予法律援助之日", 3, "days", True, "legal_aid", [1], ""),
    ("aid_objection_review", "异议审查", "Objection to a refusal reviewed", A, "第四十九条",
     "收到异议之日", 5, "days", True, "legal_aid", [1], ""),
    ("resolution_period", "化解期限", "Resolution period", "最高人民法院在线调解规则（2021）", "第二十四条",
     "委派、委托调解之日", 30, "days", True, "mediator", [7, 1], "经各方同意可以延长。"),
    ("confirmation_application", "申请司法确认", "Application for judicial confirmation",
     "民事诉讼法；人民调解法", "第二百零五条；第三十三条", "调解协议生效之日", 30, "days", True, "applicant", [7, 1], ""),
    ("performance", "履行期限", "Performance deadline", LOCAL, "",
     "生效法律文书或者协议作出之日", 30, "days", True, "agency", [7, 1],
     "通常由决定书、判决书或者协议确定具体日期：按该日期计划（due_on），本规则长度仅为缺省值。"),
    ("report_receipt", "收文报备", "Receipt reported (报备)", LOCAL, "",
     "收到应诉通知书、上诉状、传票或者负有履行义务的生效裁判之日", 2, "days", True, "agency", [1], ""),
    ("feedback", "情况反馈", "Feedback after acting", LOCAL, "",
     "答辩、出庭或者履行之日", 1, "days", True, "agency", [], ""),
    ("followup_visit", "决定后回访", "Follow-up visit after the decision", "本地规定（000号）", "",
     "作出行政复议决定之日", 30, "days", True, "centre", [7, 1], "每件行政复议决定均应回访，期限可调整。"),
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    existing = set(DeadlineRule.objects.values_list("code", flat=True))
    DeadlineRule.objects.bulk_create(
        [
            DeadlineRule(
                code=code, label_zh=label_zh, label_en=label_en, law=law, article=article,
                start_event=start_event, length=length, unit=unit, rolls_over=rolls_over,
                responsible_party=party, reminder_offsets=reminders, notes=notes, is_active=True,
            )
            for (code, label_zh, label_en, law, article, start_event, length, unit, rolls_over, party,
                 reminders, notes) in RULES
            if code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
