"""What the orgs forms post: a record's current values, with some changed."""

from __future__ import annotations

from gonghui.orgs.models import Employer, Organisation


def employer_form_data(employer: Employer, **changes) -> dict:
    data = {
        "credit_code": employer.credit_code,
        "name": employer.name,
        "industry": employer.industry,
        "ownership": employer.ownership,
        "employee_count": employer.employee_count,
        "township": employer.township_id,
        "union": employer.union_id or "",
        "address": employer.address,
        "legal_representative": employer.legal_representative,
    }
    return {**data, **changes}


def organisation_form_data(organisation: Organisation, **changes) -> dict:
    data = {
        "code": organisation.code,
        "name": organisation.name,
        "credit_code": organisation.credit_code or "",
        "address": organisation.address,
        "contact_name": organisation.contact_name,
        "contact_phone": organisation.contact_phone,
        "founded_on": organisation.founded_on.isoformat() if organisation.founded_on else "",
    }
    return {**data, **changes}
