"""The default deadline rules and intake templates a county starts with.

Copied here rather than imported (migrations do not import app code): accept within
3 working days; resolve a mediation within 15 calendar days of acceptance
(劳动争议调解仲裁法 第十四条), a petition within 60 (信访工作条例 第三十二条), legal
aid within 30 working days; callback within 5 working days of resolution; escalate 5
working days after falling overdue. Every complexity starts the same; county
administrators change them on the deadlines page.
"""

from django.db import migrations

RESOLVE = {"legal_aid": (30, False), "mediation": (15, True), "complaint": (60, True)}
#: Data, not interface text: county administrators edit these questions as they are.
QUESTIONS = {
    "legal_aid": [
        "何时入职？是否签订书面劳动合同？",
        "职工的请求是什么？涉及金额多少？",
        "是否已申请仲裁或起诉？",
    ],
    "mediation": [
        "争议的事项是什么？从何时开始？",
        "是否已与用人单位协商？单位如何答复？",
        "职工是否同意由工会调解？",
    ],
    "complaint": [
        "发生了什么？时间、地点？",
        "还有哪些职工受到影响？",
        "职工希望工会做什么？",
    ],
}


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("rights", "DeadlineRule")
    IntakeTemplate = apps.get_model("rights", "IntakeTemplate")
    for kind, (resolve_days, calendar) in RESOLVE.items():
        for complexity in ("simple", "ordinary", "complex"):
            DeadlineRule.objects.get_or_create(
                kind=kind,
                complexity=complexity,
                defaults={
                    "accept_days": 3,
                    "resolve_days": resolve_days,
                    "resolve_in_calendar_days": calendar,
                    "callback_days": 5,
                    "escalate_after_days": 5,
                },
            )
        IntakeTemplate.objects.get_or_create(kind=kind, defaults={"questions": QUESTIONS[kind]})


def unseed(apps, schema_editor):
    apps.get_model("rights", "DeadlineRule").objects.all().delete()
    apps.get_model("rights", "IntakeTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_cases")]

    operations = [migrations.RunPython(seed, unseed)]
