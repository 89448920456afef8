"""The fund ledger: every movement of a fund's money is a row, written with the
balance under a row lock.

Callers run inside ``transaction.atomic()``; each function locks the fund row
(``select_for_update``) before reading its balance, so two transactions moving
money of one fund queue up instead of both reading the same balance. The
database's check constraint ``fund_available_not_negative`` is the last guard.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Fund, FundEntry
from .vocabularies import EntryKind

CENT = Decimal("0.01")


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _check_amount(amount: Decimal) -> None:
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError(_("An amount is a positive sum in yuan with at most two decimals."))


def fund_reserve(*, fund: Fund, amount: Decimal, by, application=None) -> Fund:
    """Set ``amount`` aside for an approved application; refused past the budget."""
    _check_amount(amount)
    with transaction.atomic():
        fund = _locked(fund)
        if amount > fund.available:
            raise ValidationError(
                _("The fund has only ¥%(available)s left; ¥%(amount)s cannot be reserved.")
                % {"available": fund.available, "amount": amount}
            )
        fund.reserved += amount
        fund.save(update_fields=["reserved"])
        FundEntry.objects.create(
            fund=fund, kind=EntryKind.RESERVE, amount=amount, application=application, by=by
        )
        return fund


def fund_release(*, fund: Fund, amount: Decimal, by, application=None) -> Fund:
    """Give a reservation back (an approval cancelled before payment)."""
    _check_amount(amount)
    with transaction.atomic():
        fund = _locked(fund)
        if amount > fund.reserved:
            raise ValidationError(_("More cannot be released than is reserved."))
        fund.reserved -= amount
        fund.save(update_fields=["reserved"])
        FundEntry.objects.create(
            fund=fund, kind=EntryKind.RELEASE, amount=amount, application=application, by=by
        )
        return fund


def fund_spend(*, fund: Fund, amount: Decimal, by, application=None) -> Fund:
    """Pay out a reservation: the money moves from reserved to spent."""
    _check_amount(amount)
    with transaction.atomic():
        fund = _locked(fund)
        if amount > fund.reserved:
            raise ValidationError(_("Only reserved money can be paid out."))
        fund.reserved -= amount
        fund.spent += amount
        fund.save(update_fields=["reserved", "spent"])
        FundEntry.objects.create(
            fund=fund, kind=EntryKind.SPEND, amount=amount, application=application, by=by
        )
        return fund


def ledger_balances(fund: Fund) -> tuple[Decimal, Decimal]:
    """(reserved, spent) as the ledger rows add them up."""
    totals = {kind: Decimal("0.00") for kind in EntryKind.values}
    for kind, amount in fund.entries.values_list("kind", "amount"):
        totals[kind] += amount
    reserved = totals[EntryKind.RESERVE] - totals[EntryKind.RELEASE] - totals[EntryKind.SPEND]
    return reserved, totals[EntryKind.SPEND]
