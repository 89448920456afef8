"""Needy-worker files for the access sweep (``core/tests/test_access_sweep.py``): a
file of a worker of the subtree, on public notice, with a pending objection."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from gonghui.core.idnumbers import complete_id_number
from gonghui.needy import services
from gonghui.needy.services import MemberData
from gonghui.needy.vocabularies import Cause, Level, Origin, Standard

FILE_PAGES = (
    "file-update",
    "file-visit",
    "file-check-income",
    "file-notice",
    "file-objection",
    "file-file",
    "file-withdraw",
    "file-review",
    "file-exit",
)

ROUTES = {
    **{f"needy:{page}": {"pk": "needy_file"} for page in FILE_PAGES},
    "needy:file-objection-resolve": {"pk": "needy_file", "objection": "objection"},
}


def build(subtree):
    by = subtree.admin
    today = timezone.localdate()
    services.threshold_set(
        by=by, organisation=subtree.township, year=today.year, amount=Decimal("1000.00")
    )
    person = subtree.person("困难丁")
    spouse = complete_id_number(f"330106{date(1982, 3, 1):%Y%m%d}{subtree.next_seq() % 1000:03d}")
    file = services.needy_file_create(
        by=by,
        person=person,
        origin=Origin.APPLICATION,
        level=Level.RELATIVE,
        standard=Standard.COUNTY,
        causes=[Cause.ILLNESS],
        household_income=Decimal("12000.00"),
        household=[MemberData(f"{subtree.key.upper()}配偶", "spouse", spouse)],
    )
    subtree.names.append(f"{subtree.key.upper()}配偶")
    services.needy_file_record_visit(
        by=by, file=file, visited_on=today, visitors="工会干部", findings="属实"
    )
    services.needy_file_check_income(by=by, file=file)
    file = services.needy_file_start_notice(by=by, file=file)
    objection = services.needy_objection_record(
        by=by, file=file, received_on=today, content="收入不实"
    )
    return {"needy_file": file, "objection": objection}


# The cells of the former matrix (needy.apps: chairs enter files and record visits,
# staff establish, review and exit, leaders only read): the file of a worker of G1,
# kept by T1. Outside the subtree every page is the generic rules' 404.
PERSONAS = ("superuser", "admin", "leader", "t1staff", "chair1", "outsider")
# fmt: off
#                                           super admin leader t1st chair1 outsider
_FILE_PAGES = {
    "file-detail":                          (200, 200,  200,  200,  200,   403),
    "file-update":                          (200, 200,  403,  200,  200,   403),
    "file-visit":                           (200, 200,  403,  200,  200,   403),
    "file-check-income":                    (200, 200,  403,  200,  403,   403),
    "file-notice":                          (200, 200,  403,  200,  403,   403),
    "file-objection":                       (200, 200,  403,  200,  403,   403),
    "file-objection-resolve":               (200, 200,  403,  200,  403,   403),
    "file-file":                            (200, 200,  403,  200,  403,   403),
    "file-withdraw":                        (200, 200,  403,  200,  403,   403),
    "file-review":                          (200, 200,  403,  200,  403,   403),
    "file-exit":                            (200, 200,  403,  200,  403,   403),
}
#                                           super admin leader t1st t2st chair1 chair2 outsider
_PAGES = {
    "file-list":                            (200, 200, 200,  200, 200, 200,  200,  403),
    "file-create":                          (200, 200, 403,  200, 200, 200,  200,  403),
    "notice-list":                          (200, 200, 200,  200, 200, 200,  200,  403),
    "threshold-list":                       (200, 200, 403,  200, 200, 403,  403,  403),
    "threshold-set":                        (200, 200, 403,  200, 200, 403,  403,  403),
}
# fmt: on

ANSWERS = {
    **{
        (f"needy:{page}", None, persona): answer
        for page, row in _FILE_PAGES.items()
        for persona, answer in zip(PERSONAS, row, strict=True)
    },
    **{
        (f"needy:{page}", None, persona): answer
        for page, row in _PAGES.items()
        for persona, answer in zip(
            ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2", "outsider"),
            row,
            strict=True,
        )
    },
}
