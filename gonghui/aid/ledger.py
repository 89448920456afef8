"""The fund ledger: every movement of a fund's money is a row, written with the
balance under a row lock.

Callers run inside ``transaction.atomic()``; each function locks the fund row
(``select_for_update``) before reading its balance, so two transactions moving
money of one fund queue up instead of both reading the same balance. The
database's check constraint ``fund_available_not_negative`` is the last guard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Fund, FundEntry
from .vocabularies import EntryKind

CENT = Decimal("0.01")


def _locking():
    # The fund's campaign and organisation come along for its audit entry's text,
    # which would otherwise read them with three queries of their own.
    return Fund.objects.select_for_update(of=("self",)).select_related(
        "campaign__programme", "organisation"
    )


def _locked(fund: Fund) -> Fund:
    return _locking().get(pk=fund.pk)


def _check_available(available: Decimal, amount: Decimal) -> None:
    if amount > available:
        raise ValidationError(
            _("The fund has only ¥%(available)s left; ¥%(amount)s cannot be reserved.")
            % {"available": available, "amount": amount}
        )


def _check_amount(amount: Decimal) -> None:
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError(_("An amount is a positive sum in yuan with at most two decimals."))


def fund_reserve(*, fund: Fund, amount: Decimal, by, application=None) -> Fund:
    """Set ``amount`` aside for an approved application; refused past the budget."""
    _check_amount(amount)
    with transaction.atomic():
        fund = _locked(fund)
        _check_available(fund.available, amount)
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


class BatchReservation:
    """Reservations for many applications in one transaction (bulk approval).

    The funds are locked once each, in primary-key order, when the batch
    starts. A reservation made inside a :meth:`savepoint` counts only once
    that savepoint is released: an application refused later in its
    savepoint leaves no trace. :meth:`finish` then writes the kept
    reservations' ledger rows together and each fund's balance once, still
    under the lock and before the transaction commits, so the rows sum to
    the balance whenever anyone else can read the fund. The check constraint
    ``fund_available_not_negative`` stays the last guard.
    """

    def __init__(self, *, fund_ids: Iterable[int], by) -> None:
        self.by = by
        self.funds = _locking().order_by("pk").in_bulk(sorted(set(fund_ids)))
        self._kept: list[FundEntry] = []
        self._kept_sums: dict[int, Decimal] = defaultdict(Decimal)
        self._tentative: list[FundEntry] = []

    def available(self, fund_id: int) -> Decimal:
        tentative = sum(e.amount for e in self._tentative if e.fund_id == fund_id)
        return self.funds[fund_id].available - self._kept_sums[fund_id] - tentative

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A savepoint whose reservations count only if it is released, not rolled back."""
        self._tentative = []
        try:
            with transaction.atomic():
                yield
            for entry in self._tentative:
                self._kept.append(entry)
                self._kept_sums[entry.fund_id] += entry.amount
        finally:
            self._tentative = []

    def reserve(self, *, fund: Fund, amount: Decimal, application) -> None:
        """Set ``amount`` aside from one of the batch's funds; refused past its budget."""
        _check_amount(amount)
        _check_available(self.available(fund.pk), amount)
        self._tentative.append(
            FundEntry(
                fund_id=fund.pk,
                kind=EntryKind.RESERVE,
                amount=amount,
                application=application,
                by=self.by,
            )
        )

    def finish(self) -> None:
        """Write the kept reservations' rows, and each fund's balance once."""
        FundEntry.objects.bulk_create(self._kept)
        for fund_id, amount in self._kept_sums.items():
            fund = self.funds[fund_id]
            fund.reserved += amount
            fund.save(update_fields=["reserved"])
        self._kept, self._kept_sums = [], defaultdict(Decimal)


def ledger_balances(fund: Fund) -> tuple[Decimal, Decimal]:
    """(reserved, spent) as the ledger rows add them up."""
    totals = {kind: Decimal("0.00") for kind in EntryKind.values}
    for kind, amount in fund.entries.values_list("kind", "amount"):
        totals[kind] += amount
    reserved = totals[EntryKind.RESERVE] - totals[EntryKind.RELEASE] - totals[EntryKind.SPEND]
    return reserved, totals[EntryKind.SPEND]
