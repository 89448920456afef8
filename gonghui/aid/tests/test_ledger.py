"""The fund ledger: entries always add up to the balances, and the balance never
goes below zero, whatever sequence of reserve / spend / release is tried."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.aid import ledger, services
from gonghui.aid.models import Fund, FundEntry

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("4000.00"), places=2)
operations = st.lists(
    st.tuples(st.sampled_from(["reserve", "spend", "release"]), amounts), max_size=25
)


def new_fund(county, aid, budget="10000.00") -> Fund:
    # A fresh organisation per example keeps (campaign, organisation) unique.
    from gonghui.orgs.services import organisation_create

    count = Fund.objects.count()
    org = organisation_create(
        by=county.superuser, code=f"L{count}", name=f"L{count}", kind="township", parent=county.root
    )
    return services.fund_create(
        by=county.superuser, campaign=aid.relief_campaign, organisation=org, budget=Decimal(budget)
    )


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_entries_always_sum_to_the_balances_and_nothing_goes_below_zero(county, aid, steps):
    fund = new_fund(county, aid)
    move = {
        "reserve": ledger.fund_reserve,
        "spend": ledger.fund_spend,
        "release": ledger.fund_release,
    }
    for kind, amount in steps:
        before = (fund.reserved, fund.spent, fund.entries.count())
        try:
            with transaction.atomic():
                move[kind](fund=fund, amount=amount, by=county.admin)
        except ValidationError:
            fund.refresh_from_db()
            # A refused movement writes nothing at all.
            assert (fund.reserved, fund.spent, fund.entries.count()) == before
            continue
        fund.refresh_from_db()
        assert fund.available >= 0
        assert ledger.ledger_balances(fund) == (fund.reserved, fund.spent)
        assert fund.reserved + fund.spent <= fund.budget


def test_reserving_past_the_budget_is_refused_with_the_amount_left(county, aid):
    fund = new_fund(county, aid, budget="1500.00")
    ledger.fund_reserve(fund=fund, amount=Decimal("1000.00"), by=county.admin)
    with pytest.raises(ValidationError, match="only ¥500.00 left"):
        ledger.fund_reserve(fund=fund, amount=Decimal("500.01"), by=county.admin)
    fund.refresh_from_db()
    assert fund.reserved == Decimal("1000.00")
    assert FundEntry.objects.filter(fund=fund).count() == 1


def test_the_database_refuses_a_balance_above_the_budget(county, aid):
    fund = new_fund(county, aid, budget="100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(reserved=Decimal("100.01"))


def test_a_float_or_a_fraction_of_a_fen_is_not_money(county, aid):
    fund = new_fund(county, aid)
    for amount in (10.5, Decimal("0.001"), Decimal("-1.00")):
        with pytest.raises(ValidationError, match="two decimals"):
            ledger.fund_reserve(fund=fund, amount=amount, by=county.admin)
    assert not fund.entries.exists()
