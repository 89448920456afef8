"""Reservations of a bulk approval: whatever mix of kept and rolled-back
savepoints, the ledger rows sum to the balance once the batch is finished, and
the budget is never passed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.aid import ledger
from gonghui.aid.models import FundEntry

from .test_ledger import new_fund

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("4000.00"), places=2)
#: (amount, whether the rest of that application's savepoint then fails)
reservations = st.lists(st.tuples(amounts, st.booleans()), max_size=25)


class LaterRefusal(Exception):
    """Something after the reservation refuses the application."""


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=reservations)
def test_kept_reservations_and_only_they_reach_the_ledger(county, aid, steps):
    fund = new_fund(county, aid)
    expected = Decimal("0.00")
    with transaction.atomic():
        batch = ledger.BatchReservation(fund_ids=[fund.pk], by=county.admin)
        for amount, fails_later in steps:
            try:
                with batch.savepoint():
                    batch.reserve(fund=fund, amount=amount, application=None)
                    if fails_later:
                        raise LaterRefusal
            except ValidationError:
                assert amount > fund.budget - expected
                continue
            except LaterRefusal:
                continue
            expected += amount
        batch.finish()
    fund.refresh_from_db()
    assert fund.reserved == expected
    assert fund.reserved <= fund.budget
    assert ledger.ledger_balances(fund) == (fund.reserved, fund.spent)


def test_a_batch_refuses_what_no_longer_fits_after_earlier_reservations(county, aid):
    fund = new_fund(county, aid, budget="1500.00")
    ledger.fund_reserve(fund=fund, amount=Decimal("200.00"), by=county.admin)
    with transaction.atomic():
        batch = ledger.BatchReservation(fund_ids=[fund.pk], by=county.admin)
        with batch.savepoint():
            batch.reserve(fund=fund, amount=Decimal("1000.00"), application=None)
        with pytest.raises(ValidationError, match="only ¥300.00 left"), batch.savepoint():
            batch.reserve(fund=fund, amount=Decimal("300.01"), application=None)
        batch.finish()
    fund.refresh_from_db()
    assert fund.reserved == Decimal("1200.00")
    assert FundEntry.objects.filter(fund=fund).count() == 2
