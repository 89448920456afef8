"""The first privacy notices, in plain words, present after every migrate.

PIPL 第十七条 and 第三十条: before sensitive facts are collected the worker is told
the purpose, the facts, who sees them, how long they are kept and that consent can
be withdrawn. A county publishes later versions on the console
(``services.privacy_notice_publish``); these first ones are created when missing,
also after a test database is flushed.
"""

from __future__ import annotations

import datetime

from .vocabularies import ConsentKind

FIRST_VERSION = "1"
FIRST_IN_FORCE = datetime.date(2020, 1, 1)
FIRST_NOTICES = {
    ConsentKind.HEALTH: (
        "为审核您的大病救助等申请，工会需要收集您的诊断类别、医疗总费用和医保报销金额。"
        "这些信息属于敏感个人信息，仅用于审核本次及今后同类帮扶申请，"
        "只有经办和审批您申请的工会工作人员可以查看，不会提供给用人单位或其他第三方。"
        "帮扶档案按规定保存，期满后删除。您可以拒绝提供，但工会将无法审核需要这些信息的帮扶项目；"
        "您也可以随时撤回同意，撤回不影响此前已经办理的事项。"
    ),
    ConsentKind.INCOME: (
        "为审核您的困难帮扶等申请，工会需要收集您家庭的人均月收入及家庭成员情况。"
        "这些信息属于敏感个人信息，仅用于审核本次及今后同类帮扶申请和困难职工建档，"
        "只有经办和审批您申请的工会工作人员可以查看，公示时不公开收入数额，"
        "不会提供给用人单位或其他第三方。档案按规定保存，期满后删除。"
        "您可以拒绝提供，但工会将无法审核需要这些信息的帮扶项目；"
        "您也可以随时撤回同意，撤回不影响此前已经办理的事项。"
    ),
}


def ensure_first_notices(**kwargs) -> None:
    """Create the first version of each kind's notice where no notice of the kind exists
    (a ``post_migrate`` receiver)."""
    from .models import PrivacyNotice

    for kind, text in FIRST_NOTICES.items():
        if not PrivacyNotice.objects.filter(kind=kind).exists():
            PrivacyNotice.objects.create(
                kind=kind, version=FIRST_VERSION, text=text, in_force_from=FIRST_IN_FORCE
            )
