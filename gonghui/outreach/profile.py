"""What outreach shows on a person's page (一人一档): visits to them and their wishes."""

from __future__ import annotations

from . import selectors


def person_outreach(person, user) -> dict:
    """The person's visits and wishes that ``user`` may see, in two queries."""
    return {
        "visits": list(selectors.visits_for_person(user, person)),
        "wishes": list(selectors.wishes_for_person(user, person))
        if user.has_perm("outreach.view_wish")
        else [],
        "can_add_visit": user.has_perm("outreach.add_visit"),
        "can_add_wish": user.has_perm("outreach.add_wish"),
    }
