"""Scoped reads about people that are more than ``Person.objects.for_user(user)``."""

from __future__ import annotations

import operator
import re
import sys
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual, LessThan, StartsWith

from gonghui.core.crypto import decrypt
from gonghui.core.idnumbers import ResidentId, normalise_id_number, parse_id_number
from gonghui.core.phones import normalise_phone

from .models import (
    ID_NUMBER_CONTEXT,
    NAME_PART_STARTS,
    PHONE_CONTEXT,
    SUFFIX_LENGTH,
    JoinApplication,
    MembershipRequest,
    MembershipRequestKind,
    NameFrom,
    Person,
    RevealLog,
    id_hash,
    id_suffix_hash,
    name_part_q,
    phone_hash,
    phone_suffix_hash,
    suffix_hash_q,
)
from .services import route_union

#: The end of an ID number (digits, perhaps a final X) or of a phone: 4 characters or more.
_NUMBER_TAIL = re.compile(r"^\d{3,}[\dX]$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")
#: A card number is a county code (letters, digits, - and _) and digits
#: (``services.card_numbers_allocate``); a name is never searched as one, so a
#: name search stays one range of the name index, in the order the list shows.
_CARD_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def person_search(queryset: QuerySet, term: str) -> QuerySet:
    """People in ``queryset`` matching ``term``: a name, a card number, or the end of a number.

    A name matches from its start; two or more characters also match a part of
    the name that begins at its 2nd or 3rd character (a given name: 晓峰 finds
    易晓峰 and 欧阳晓峰), each position through an index of its own
    (``_name_q``). Four or more
    digits match the end of the ID number or the phone: the keyed hash of the
    last four narrows the candidates through an index, and only those
    candidates are decrypted to compare a longer tail; the table is never
    decrypted as a whole. A whole ID number or phone is found by its hash.
    """
    term = term.strip()
    if not term:
        return queryset
    conditions = []
    if _CARD_LIKE.match(term):
        # "Not empty" repeats the condition of the partial unique index on card
        # numbers, so that SQLite may use that index for the lookup.
        conditions.append(Q(card_number=term.upper()) & ~Q(card_number=""))
    digits = normalise_id_number(term)
    phone = normalise_phone(term)
    if _PHONE.match(phone):
        # No index on the whole phone's hash: the suffix's index narrows, the hash decides.
        conditions.append(
            suffix_hash_q("phone_suffix_hash", phone_suffix_hash(phone))
            & Q(phone_hash=phone_hash(phone))
        )
    if _NUMBER_TAIL.match(digits):
        whole = _whole_id(digits)
        if whole is not None:
            conditions.append(Q(id_hash=id_hash(whole.number)))
        elif len(digits) == SUFFIX_LENGTH:
            conditions.append(_suffix_q(digits))
        else:
            conditions.append(Q(pk__in=_tail_matches(queryset, digits)))
    elif not digits.isdigit():
        conditions.append(_name_q(term))
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(operator.or_, conditions))


def name_part_starts(term: str) -> tuple[int, ...]:
    """The characters of a name (1-based) where ``term`` is looked for.

    One character is the surname: the start of the name alone. Anywhere else
    it would match a large part of the county and leave the list to sort
    tens of thousands of names for its first page. Two or more characters
    may begin at the 1st, 2nd or 3rd character, which for names of up to four
    characters is any part of the name.
    """
    return NAME_PART_STARTS if len(term) > 1 else NAME_PART_STARTS[:1]


def _name_q(term: str) -> Q:
    """Names with ``term`` at one of ``name_part_starts(term)``: one index range each
    (a name part's condition repeats that of its partial index)."""
    return reduce(
        operator.or_,
        (
            _prefix_q(F("name"), term)
            if start == 1
            else name_part_q(start) & _prefix_q(NameFrom("name", start), term)
            for start in name_part_starts(term)
        ),
    )


def _prefix_q(expression, term: str) -> Q:
    """Rows whose ``expression`` (the name, or ``NameFrom``) begins with ``term``.

    SQLite's LIKE ignores ASCII case, so an index (in binary order) cannot
    serve ``startswith`` there; the same prefix written as a range of that
    binary order can (UTF-8 byte order is code point order), and keeps a
    search among a million names to an index range.
    """
    condition = Q(StartsWith(expression, term))
    if connection.vendor == "sqlite":
        following = ord(term[-1]) + 1
        if 0xD800 <= following <= 0xDFFF:  # surrogates are not characters
            following = 0xE000
        if following <= sys.maxunicode:
            condition &= Q(GreaterThanOrEqual(expression, term)) & Q(
                LessThan(expression, term[:-1] + chr(following))
            )
    return condition


def _whole_id(digits: str) -> ResidentId | None:
    if len(digits) not in (15, 18):
        return None
    try:
        return parse_id_number(digits)
    except ValidationError:  # not a valid whole number: search it as a tail
        return None


def _suffix_q(tail: str) -> Q:
    last = tail[-SUFFIX_LENGTH:]
    return suffix_hash_q("id_suffix_hash", id_suffix_hash(last)) | suffix_hash_q(
        "phone_suffix_hash", phone_suffix_hash(last)
    )


def _tail_matches(queryset: QuerySet, tail: str) -> list[int]:
    """Ids of people in ``queryset`` whose ID number or phone ends with ``tail``."""
    candidates = queryset.filter(_suffix_q(tail)).values_list(
        "pk", "id_number_encrypted", "phone_encrypted"
    )
    matches = []
    for pk, id_token, phone_token in candidates:
        if decrypt(id_token, context=ID_NUMBER_CONTEXT).endswith(tail):
            matches.append(pk)
        elif phone_token and decrypt(phone_token, context=PHONE_CONTEXT).endswith(tail):
            matches.append(pk)
    return matches


def person_for_detail(user, pk: int) -> Person:
    """The person's file, in the user's scope, with what its page shows (DoesNotExist if not)."""
    return (
        Person.objects.for_user(user)
        .select_related("employer", "employer__township", "current_union", "file_org")
        .get(pk=pk)
    )


def membership_history(person: Person):
    """Every membership of a person, newest first, with its union."""
    return person.memberships.select_related("union", "created_by").order_by("-joined_on", "-pk")


def pending_applications_for(user) -> QuerySet:
    return (
        JoinApplication.objects.for_user(user)
        .pending()
        .select_related("person", "employer", "union")
        .order_by("submitted_at", "pk")
    )


def reveal_log_for(user) -> QuerySet:
    return RevealLog.objects.for_user(user).select_related("by", "person")


#: How many workers the worker chooser offers at once.
WORKER_SUGGESTIONS = 10


def worker_suggestions(user, term: str) -> list[Person]:
    """Workers in the user's scope whose name holds ``term`` or whose ID number (or
    phone) ends with it, for a form that chooses a worker (``forms.WorkerChoiceForm``):
    at most ``WORKER_SUGGESTIONS``."""
    term = term.strip()
    if not term:
        return []
    people = person_search(Person.objects.for_user(user), term)
    return list(people.select_related("employer").order_by("name", "pk")[:WORKER_SUGGESTIONS])


def receiving_union(request: MembershipRequest):
    """The union a transfer request goes to: the new membership's once confirmed, else
    the one ``route_union`` names for the new employer today (None for leaving)."""
    if request.kind != MembershipRequestKind.TRANSFER:
        return None
    if request.result_id is not None:
        return request.result.union
    return route_union(request.employer, new_form_group=request.new_form_group)[0]
