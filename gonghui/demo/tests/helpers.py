"""Building a small demo county in tests and reading it back as plain data."""

from io import StringIO

from django.core.management import call_command

from gonghui.accounts.models import User
from gonghui.aid.models import AidApplication, Fund
from gonghui.needy.models import HouseholdMember, NeedyFile
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import JoinApplication, Membership, Person

SMALL_SCALE = 2000


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def build(seed: int = 7, *args: str) -> str:
    return run_demo("--scale", str(SMALL_SCALE), "--seed", str(seed), *args)


def snapshot() -> dict:
    """Everything the demo generates, without database ids and timestamps."""
    return {
        "organisations": list(
            Organisation.objects.order_by("code").values_list(
                "code", "name", "kind", "parent__code", "credit_code", "address", "founded_on"
            )
        ),
        "employers": list(
            Employer.objects.order_by("credit_code").values_list(
                "credit_code",
                "name",
                "industry",
                "ownership",
                "employee_count",
                "township__code",
                "union__code",
                "legal_representative",
            )
        ),
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "last_name", "first_name", "organisation__code", "groups__name"
            )
        ),
        "people": sorted(
            (
                person.plain_id_number(),
                person.plain_phone(),
                person.name,
                person.ethnicity,
                person.education,
                person.job_title,
                person.new_form_group,
                person.card_number,
                person.employer.credit_code,
                person.current_union.code if person.current_union else None,
            )
            for person in Person.objects.select_related("employer", "current_union")
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "person__card_number",
                "union__code",
                "joined_on",
                "status",
                "ended_on",
                "leave_reason",
                "transferred_from__union__code",
            )
        ),
        "applications": sorted(
            JoinApplication.objects.values_list(
                "person__employer__credit_code", "person__name", "union__code", "route", "channel"
            )
        ),
        "aid": sorted(
            AidApplication.objects.values_list(
                "person__card_number",
                "person__name",
                "programme__name",
                "year",
                "status",
                "amount_requested",
                "amount",
                "bank_account_hash",
                "current_level__code",
                "submitted_at",
            )
        ),
        "funds": sorted(
            Fund.objects.values_list(
                "campaign__programme__name",
                "campaign__year",
                "organisation__code",
                "budget",
                "reserved",
                "spent",
            )
        ),
        "needy": sorted(
            NeedyFile.objects.values_list(
                "person__name", "status", "level", "household_income", "filed_on", "exited_on"
            )
        ),
        "household": sorted(
            (member.file.person.name, member.name, member.plain_id_number())
            for member in HouseholdMember.objects.select_related("file__person")
        ),
    }
