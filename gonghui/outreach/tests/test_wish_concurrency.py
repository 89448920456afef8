"""Many staff claiming one wish at the same moment on PostgreSQL: exactly one claim.

Threads on separate connections are released together by a barrier. SQLite
serialises every writer and ignores ``select_for_update``, so this runs in
the PostgreSQL pass only (``make test-pg``).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gonghui.core.tests.concurrency import run_together
from gonghui.outreach import services
from gonghui.outreach.models import Wish, WishStep
from gonghui.outreach.vocabularies import WishAction, WishStatus

pytestmark = pytest.mark.postgres


def test_ten_concurrent_claims_of_one_wish_make_exactly_one_claim(on_postgres, county, people):
    wish = services.wish_post(
        by=county.chair1,
        organisation=county.g1,
        person=people.p1,
        text="一台电风扇",
        estimated_value="150.00",
    )
    donors = [f"捐赠人{n}" for n in range(10)]

    results = run_together(
        [
            lambda donor=donor: services.wish_claim(by=county.chair1, wish=wish, donor_name=donor)
            for donor in donors
        ]
    )

    claimed = [r for r in results if isinstance(r, Wish)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(claimed) == 1 and len(refused) == 9
    assert {e.messages[0] for e in refused} == {"This wish has already been claimed."}
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    assert wish.donor_name == claimed[0].donor_name
    assert WishStep.objects.filter(wish=wish, action=WishAction.CLAIM).count() == 1
