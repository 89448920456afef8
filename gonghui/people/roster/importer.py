"""Importing a roster (会员花名册) into one union: every row checked, the good ones written.

What a row becomes (its status):

- ``imported``: a new person's file and an active membership of the union.
- ``warning``: imported, with something the user should look at: the gender
  or birth-date column contradicts the ID number (the ID number is taken), an
  unknown region code, an old 15-digit number converted, a phone, ethnicity or
  education value that was not understood (left empty, the row is kept: a
  worker is not refused membership over a mistyped phone), no employer found,
  only the year and month of joining given; or the person was already
  registered without a union and now became a member (their file is kept as
  it is: one person, one file, and another office's data is not overwritten;
  a join date before their previous membership ended moves to that day).
- ``skipped``: already an active member of this union; nothing changes, so a
  second import of the same file adds nothing.
- ``rejected``: not imported, with the reasons: name or ID number missing or
  invalid, an ID number the spreadsheet stored as a number, the same ID number
  as an earlier row (named), an unreadable, future or pre-birth join date, or
  the person is an active member of another union (membership moves by
  transfer, 转会, from that union, never by a second import).
- ``ignored``: a signature or note line (填表人, 审核人, 盖章, 日期 …) or a row
  with neither name nor ID number. Blank rows are not reported at all.

The employer of a new person: the employer with the row's unified social
credit code, among the employers in the acting user's scope; else the employer
of that name among those the union covers or whose workers' join applications
go to it (``people.services.route_union``, the rule join applications follow:
a township's joint union receives the workers of the township's employers
without a union); else, when the union covers exactly
one employer, that one (with a warning if the row named another); else none,
with a warning. The file is kept by the employer's township, or by the union
when there is no employer.

Card numbers are issued by ``card_numbers_allocate`` in blocks while the
counter row stays locked by the import's transaction, so one import's cards
are one run of numbers, with the year of the import. A card-number column in
the roster is recognised and left aside: cards are the system's to issue.

A real run writes all its rows in one transaction: rejected rows do not stop
the good ones, and an unexpected error rolls everything back. A dry run does
exactly the same checks and writes nothing.

The file is streamed in chunks of ``CHUNK_ROWS``: existing people are looked up
with one query per ``LOOKUP_BATCH`` ID hashes, people and memberships written
with prepared INSERTs (``bulk.RowInserter``). Per row only the row number, a
status byte and any reasons are kept (``result.ImportResult``); the report
re-reads the file instead of holding its rows.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.crypto import keyring
from gonghui.core.idnumbers import Gender, ResidentId, normalise_id_number, parse_id_number
from gonghui.core.phones import parse_phone
from gonghui.core.scope import is_in_scope
from gonghui.orgs.models import UNION_KINDS, Employer, Organisation
from gonghui.people.models import (
    Membership,
    Person,
    id_hash,
    identity_columns,
    phone_columns,
)
from gonghui.people.services import card_numbers_allocate, normalise_name
from gonghui.people.vocabularies import MembershipStatus

from . import columns as col
from .bulk import RowInserter, larger_sqlite_cache, values_in
from .employers import EmployerFinder, credit_code
from .parse import (
    CellError,
    cell_text,
    id_number_text,
    is_blank,
    looks_truncated,
    parse_date,
    parse_education,
    parse_ethnicity,
    parse_gender,
    parse_new_form_group,
)
from .reader import RosterFileError, SheetRows, detect_format, iter_sheets, peek
from .result import ImportResult, RowStatus

PERMISSION = "people.add_person"
CHUNK_ROWS = 2000
#: Rows (of any status but blank) above which a roster is refused as it is read
#: (settings.ROSTER_MAX_ROWS): what the benchmarks measured (docs/benchmarks.md) and
#: far beyond one union's members; a larger file would hold the worker for minutes
#: and its memory past what the server is sized for.
MAX_ROWS = 100_000
#: Hashes per ``id_hash IN (…)`` query: below SQLite's 999 bound parameters.
LOOKUP_BATCH = 900
NAME_MAX = Person._meta.get_field("name").max_length
JOB_MAX = Person._meta.get_field("job_title").max_length
NOTE_MAX = Membership._meta.get_field("note").max_length
#: SQLite page cache during a real run (``bulk.larger_sqlite_cache``).
SQLITE_CACHE_MB = 512

#: The first cell of a signature or note line under the table (data, not UI text).
_FOOTER = re.compile(
    r"^\(?(填表人|填报人|制表人?|审核人?|审批人?|负责人|经办人|联系人|单位盖章|盖章|签字|"
    r"签名|日期|填表日期|填报日期|合计|总计|备注|说明|注)\s*[:：)]?"
)


@dataclass(slots=True)
class _Candidate:
    """A row that passed its own checks, waiting for the database's verdict."""

    row: int
    name: str
    resident: ResidentId
    phone: str
    ethnicity: str
    education: str
    new_form_group: str
    job_title: str
    joined_on: date
    employer_name: str
    credit_code: str
    warnings: list[str]
    hash: str = ""
    identity: dict | None = None  # the encrypted and hashed columns (a real run)
    employer: Employer | None = None


#: Person columns the import writes per row, in the order ``_Importer._write`` gives them.
PERSON_COLUMNS = (
    "name",
    "id_number_encrypted",
    "id_hash",
    "id_suffix_hash",
    "birth_date",
    "gender",
    "region_code",
    "phone_encrypted",
    "phone_hash",
    "phone_suffix_hash",
    "ethnicity",
    "education",
    "employer_id",
    "job_title",
    "new_form_group",
    "card_number",
    "file_org_id",
)


def _messages(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def max_rows() -> int:
    return int(getattr(settings, "ROSTER_MAX_ROWS", MAX_ROWS))


def _too_many_rows(limit: int) -> RosterFileError:
    return RosterFileError(
        _(
            "The roster has more than %(limit)d rows, more than one import takes. Split it "
            "into files of at most %(limit)d rows and import them one after another."
        )
        % {"limit": limit}
    )


def check_target(*, by, union: Organisation) -> None:
    """The acting user may import into ``union`` (None acts as the operator, unlimited)."""
    if union.kind not in UNION_KINDS:
        raise ValidationError(
            _("Members belong to a grassroots or joint union, not to a federation.")
        )
    if by is None:
        return
    if not by.has_perm(PERMISSION):
        raise PermissionDenied(_("You may not register people."))
    if not is_in_scope(by, union):
        raise PermissionDenied(_("The union is outside your scope."))


def open_roster(path: str | Path) -> tuple[str, SheetRows, col.HeaderMap, Iterator]:
    """(format, sheet, header, rows after the header) of the first sheet with a header row."""
    file_format = detect_format(path)
    for sheet in iter_sheets(path, file_format):
        # One row more than the scan: the header's second row may lie just below it.
        head, rows = peek(sheet.rows, col.HEADER_SCAN_ROWS + 1)
        header = col.find_header(head)
        if header is None:
            continue
        # The data begins under the header (and under its second row, if it has one).
        last = max((header.row, *header.extra_rows))
        body = itertools.dropwhile(lambda item, last=last: item[0] <= last, rows)
        return file_format, sheet, header, body
    raise RosterFileError(
        _(
            "No header row was found: within the first %(n)d rows of a sheet, one row must "
            "name at least the columns of the name (姓名) and the ID number (身份证号码)."
        )
        % {"n": col.HEADER_SCAN_ROWS}
    )


def roster_import(
    *,
    by,
    union: Organisation,
    path: str | Path,
    dry_run: bool = False,
    source_name: str = "",
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import the roster at ``path`` into ``union``; see the module docstring.

    Raises RosterFileError (nothing read, nothing written) for a file that is
    not a roster or (nothing written) holds more than ``max_rows()`` rows,
    ValidationError/PermissionDenied for a union the user may not import into.
    """
    check_target(by=by, union=union)
    importer = _Importer(
        by=by,
        union=union,
        path=Path(path),
        dry_run=dry_run,
        source_name=source_name or Path(path).name,
        progress=progress,
        today=today or timezone.localdate(),
    )
    return importer.run()


class _Importer:
    def __init__(self, *, by, union, path, dry_run, source_name, progress, today):
        self.by = by
        self.union = union
        self.path = path
        self.dry_run = dry_run
        self.source_name = source_name
        self.progress = progress
        self.today = today
        self.seen: dict[int, int] = {}
        self.employers = EmployerFinder(by=by, union=union)
        self.ring = keyring()
        # Hashes of the last four characters, by suffix: computed once per import.
        self.suffix_hashes: dict = {}
        # Said of many rows: translated once, one tuple shared by all of them.
        self.already_member = (_("Already a member of this union; nothing was changed."),)
        self.member_of_another_union = _(
            "This person is an active member of another union. Membership moves by a "
            "transfer (转会) from that union, not by an import."
        )
        self.already_registered = _(
            "Already registered: the existing file was kept as it is, and the person became "
            "a member of this union."
        )

    def run(self) -> ImportResult:
        file_format, sheet, header, rows = open_roster(self.path)
        self.result = ImportResult(
            path=str(self.path),
            union_code=self.union.code,
            dry_run=self.dry_run,
            file_format=file_format,
            sheet_index=sheet.index,
            sheet_name=sheet.name,
            header=header,
            column_offset=sheet.column_offset,
        )
        self._index_columns(header)
        self.widest = header.width
        writing = contextlib.ExitStack()
        if not self.dry_run:
            writing.enter_context(larger_sqlite_cache(SQLITE_CACHE_MB))
            writing.enter_context(transaction.atomic())
        with writing:
            if not self.dry_run:
                self._prepare_writers()
            # Progress counts the roster's rows as the summary does (``result.COUNTED``);
            # their number is known at the end, so the lines under the header estimate it.
            under_header = max(0, sheet.total - max((header.row, *header.extra_rows)))
            limit = max_rows()
            for chunk in _batched(rows, CHUNK_ROWS):
                self._chunk(chunk)
                # Every row kept in the result counts (ignored ones too: each holds a
                # reason); refused mid-way, a real run's transaction writes nothing.
                if sum(self.result.counts.values()) > limit:
                    raise _too_many_rows(limit)
                if self.progress:
                    done = self.result.counted
                    self.progress(done, max(under_header, done))
            if not self.dry_run and self.result.imported:
                self._audit()
        self.result.width = sheet.column_offset + self.widest
        return self.result

    def _index_columns(self, header: col.HeaderMap) -> None:
        """Column index of every field; a field the roster lacks reads an always-empty cell."""
        self.padded = header.width + 1
        empty = header.width
        for name in col.PERSON_FIELDS:
            setattr(self, f"i_{name}", header.columns.get(name, empty))

    # --- one chunk ---------------------------------------------------------------------

    def _chunk(self, chunk: list[tuple[int, list]]) -> None:
        outcomes: list[tuple[int, str, list[str]] | _Candidate] = []
        for row, cells in chunk:
            if len(cells) > self.widest:
                self.widest = len(cells)
            outcome = self._check(row, cells)
            if outcome is not None:
                outcomes.append(outcome)
        candidates = [o for o in outcomes if isinstance(o, _Candidate)]
        self.employers.prefetch({c.credit_code for c in candidates if c.credit_code})
        existing = self._existing(candidates)
        last_ended = self._last_ended(
            [pk for pk, union_id, _name, _card in existing.values() if union_id is None]
        )
        add = self.result.add
        new: list[_Candidate] = []
        joining: list[tuple[_Candidate, int, str]] = []
        for outcome in outcomes:
            if not isinstance(outcome, _Candidate):
                add(*outcome)
                continue
            candidate = outcome
            found = existing.get(candidate.hash)
            if found is not None:
                pk, union_id, union_name, card = found
                if union_id == self.union.pk:
                    add(candidate.row, RowStatus.SKIPPED, self.already_member)
                elif union_id is not None:
                    add(candidate.row, RowStatus.REJECTED, [self._member_elsewhere(union_name)])
                else:
                    ended = last_ended.get(pk)
                    if ended is not None and candidate.joined_on < ended:
                        # The history stays in order: no membership overlaps the one before.
                        candidate.joined_on = ended
                        candidate.warnings.append(
                            _(
                                "The person's previous membership ended on %(date)s; the new "
                                "one starts that day."
                            )
                            % {"date": ended.isoformat()}
                        )
                    add(
                        candidate.row,
                        RowStatus.WARNING,
                        [self.already_registered, *candidate.warnings],
                    )
                    joining.append((candidate, pk, card))
                continue
            employer, warning = self.employers.resolve(
                candidate.employer_name, candidate.credit_code, candidate.new_form_group
            )
            candidate.employer = employer
            if warning:
                candidate.warnings.append(warning)
            add(
                candidate.row,
                RowStatus.WARNING if candidate.warnings else RowStatus.IMPORTED,
                candidate.warnings,
            )
            new.append(candidate)
        if not self.dry_run and (new or joining):
            self._write(new, joining)

    def _check(self, row: int, cells: list) -> tuple[int, str, list[str]] | _Candidate | None:
        """A row's own checks: None for a blank row, a finished outcome, or a candidate."""
        for first in cells:
            if (
                first is not None
                and first != ""
                and not (isinstance(first, str) and first.isspace())
            ):
                break
        else:
            return None  # a blank row
        if len(cells) < self.padded:
            cells = [*cells, *[""] * (self.padded - len(cells))]
        name_value, id_value = cells[self.i_name], cells[self.i_id_number]
        if (
            isinstance(first, str)
            and _FOOTER.match(unicodedata.normalize("NFKC", first.strip()))
            and not _id_like(id_value)
        ):
            return (row, RowStatus.IGNORED, [_("A signature or note line, not a person.")])
        if is_blank(name_value) and is_blank(id_value):
            return (row, RowStatus.IGNORED, [_("Neither a name nor an ID number.")])
        problems: list[str] = []
        warnings: list[str] = []

        name = normalise_name(cell_text(name_value))
        if not name:
            problems.append(_("The name is missing."))
        elif len(name) > NAME_MAX:
            problems.append(_("The name is longer than %(n)d characters.") % {"n": NAME_MAX})

        resident = None
        if is_blank(id_value):
            problems.append(_("The ID number is missing."))
        else:
            try:
                number = normalise_id_number(id_number_text(id_value))
                resident = parse_id_number(number, today=self.today)
            except CellError as exc:
                problems.append(exc.message)
            except ValidationError as exc:
                problems.extend(_messages(exc))
            else:
                if len(number) == 15:
                    warnings.append(
                        _("The old 15-digit ID number was converted to its 18-character form.")
                    )
                warnings.extend(resident.warnings)
                if looks_truncated(resident.number):
                    warnings.append(
                        _(
                            "The ID number ends in 000, as numbers do that a spreadsheet "
                            "stored as numbers and cut short; check it against the ID card."
                        )
                    )
                key = int(resident.number[:17])
                earlier = self.seen.get(key)
                if earlier is not None:
                    problems.append(_("The same ID number as row %(row)d.") % {"row": earlier})
                else:
                    self.seen[key] = row

        joined_on = self.today
        try:
            parsed, month_only = parse_date(cells[self.i_joined_on])
        except CellError as exc:
            problems.append(_("Join date: %(problem)s") % {"problem": exc.message})
        else:
            if parsed is not None:
                joined_on = parsed
                if month_only:
                    warnings.append(
                        _(
                            "Only the year and month of joining were given; the first of "
                            "the month was recorded."
                        )
                    )
                if parsed > self.today:
                    problems.append(
                        _("The join date %(date)s is in the future.") % {"date": parsed.isoformat()}
                    )
                elif resident is not None and parsed < resident.birth_date:
                    problems.append(
                        _("The join date %(date)s is before the date of birth.")
                        % {"date": parsed.isoformat()}
                    )

        if problems or resident is None:
            # Only why the row was refused: a warning such as "the number was accepted"
            # or "the first of the month was recorded" is about a row that is imported.
            return (row, RowStatus.REJECTED, problems)

        self._compare_with_id(cells, resident, warnings)

        phone = ""
        phone_value = cells[self.i_phone]
        if not is_blank(phone_value):
            try:
                phone = parse_phone(cell_text(phone_value))
            except ValidationError as exc:
                warnings.append(
                    _("The mobile phone was not recorded: %(problem)s")
                    % {"problem": " ".join(_messages(exc))}
                )

        vocabulary = []
        for index, parser in (
            (self.i_ethnicity, parse_ethnicity),
            (self.i_education, parse_education),
            (self.i_new_form_group, parse_new_form_group),
        ):
            try:
                vocabulary.append(parser(cells[index]))
            except CellError as exc:
                vocabulary.append("")
                warnings.append(exc.message)

        job_title = cell_text(cells[self.i_job_title])
        if len(job_title) > JOB_MAX:
            job_title = job_title[:JOB_MAX]
            warnings.append(_("The job was cut to %(n)d characters.") % {"n": JOB_MAX})

        return _Candidate(
            row=row,
            name=name,
            resident=resident,
            phone=phone,
            ethnicity=vocabulary[0],
            education=vocabulary[1],
            new_form_group=vocabulary[2],
            job_title=job_title,
            joined_on=joined_on,
            employer_name=cell_text(cells[self.i_employer]),
            credit_code=credit_code(cells[self.i_credit_code]),
            warnings=warnings,
        )

    def _compare_with_id(self, cells: list, resident, warnings: list[str]) -> None:
        """Warn where the gender or birth-date column contradicts the ID number (which wins)."""
        gender_value = cells[self.i_gender]
        if not is_blank(gender_value):
            try:
                gender = parse_gender(gender_value)
            except CellError as exc:
                warnings.append(exc.message)
            else:
                if gender != resident.gender:
                    warnings.append(
                        _(
                            "The gender column says %(column)s but the ID number says "
                            "%(number)s; the ID number was taken."
                        )
                        % {
                            "column": Gender(gender).label,
                            "number": Gender(resident.gender).label,
                        }
                    )
        birth_value = cells[self.i_birth_date]
        if not is_blank(birth_value):
            try:
                born, month_only = parse_date(birth_value)
            except CellError:
                born, month_only = None, False
            if born is None or (
                born != resident.birth_date
                and not (month_only and born == resident.birth_date.replace(day=1))
            ):
                warnings.append(
                    _(
                        "The date of birth column (%(column)s) differs from the ID number "
                        "(%(number)s); the ID number was taken."
                    )
                    % {
                        "column": cell_text(birth_value),
                        "number": resident.birth_date.isoformat(),
                    }
                )

    def _existing(
        self, candidates: list[_Candidate]
    ) -> dict[str, tuple[int, int | None, str | None, str]]:
        """People already registered under the candidates' ID numbers, by ID hash.

        A real run locks their rows until it commits: nobody makes them members
        elsewhere meanwhile.
        """
        ring = self.ring
        for candidate in candidates:
            if self.dry_run:
                candidate.hash = id_hash(candidate.resident.number, ring)
            else:
                # Encrypted now, with the hash the lookup needs: computed once.
                candidate.identity = identity_columns(
                    candidate.resident, ring, suffix_hashes=self.suffix_hashes
                )
                candidate.hash = candidate.identity["id_hash"]
        rows = values_in(
            Person,
            ("id_hash", "id", "current_union_id", "card_number"),
            key="id_hash",
            keys=[c.hash for c in candidates],
            batch=LOOKUP_BATCH,
            for_update=not self.dry_run,
        )
        union_ids = {union_id for _h, _pk, union_id, _card in rows if union_id is not None}
        # Only unions the user sees are named (a union elsewhere is "another union").
        unions = (
            Organisation.objects.for_user(self.by) if self.by is not None else Organisation.objects
        )
        names = dict(unions.filter(pk__in=union_ids).values_list("pk", "name"))
        return {
            hash_: (pk, union_id, names.get(union_id), card) for hash_, pk, union_id, card in rows
        }

    def _member_elsewhere(self, union_name: str | None) -> str:
        if union_name is None:
            return self.member_of_another_union
        return _(
            "This person is an active member of %(union)s. Membership moves by a transfer "
            "(转会) from that union, not by an import."
        ) % {"union": union_name}

    def _last_ended(self, pks: list[int]) -> dict[int, date]:
        """When the last ended membership of each of these registered people ended."""
        if not pks:
            return {}
        return dict(
            Membership.objects.filter(person_id__in=pks, ended_on__isnull=False)
            .values("person_id")
            .annotate(last=Max("ended_on"))
            .values_list("person_id", "last")
        )

    # --- writing -----------------------------------------------------------------------

    def _prepare_writers(self) -> None:
        self.people_writer = RowInserter(Person, PERSON_COLUMNS, current_union_id=self.union.pk)
        note = (_("Imported from the roster %(file)s") % {"file": self.source_name})[:NOTE_MAX]
        self.membership_writer = RowInserter(
            Membership,
            ("person_id", "joined_on"),
            union_id=self.union.pk,
            status=MembershipStatus.ACTIVE,
            created_by_id=self.by.pk if self.by is not None else None,
            note=note,
        )

    def _write(self, new: list[_Candidate], joining: list[tuple[_Candidate, int, str]]) -> None:
        """People, then their memberships; card numbers from one locked counter."""
        union = self.union
        need_card = len(new) + sum(1 for _c, _pk, card in joining if not card)
        cards = iter(
            card_numbers_allocate(union=union, year=self.today.year, count=need_card)
            if need_card
            else ()
        )
        ring = self.ring
        adapt_date = connection.ops.adapt_datefield_value
        rows = []
        for c in new:
            identity = c.identity
            phone = phone_columns(c.phone, ring, suffix_hashes=self.suffix_hashes)
            employer = c.employer
            rows.append(
                (
                    c.name,
                    identity["id_number_encrypted"],
                    c.hash,
                    identity["id_suffix_hash"],
                    adapt_date(c.resident.birth_date),
                    c.resident.gender,
                    c.resident.region_code,
                    phone["phone_encrypted"],
                    phone["phone_hash"],
                    phone["phone_suffix_hash"],
                    c.ethnicity,
                    c.education,
                    employer.pk if employer is not None else None,
                    c.job_title,
                    c.new_form_group,
                    next(cards),
                    employer.township_id if employer is not None else union.pk,
                )
            )
        # New people get ids above the largest now: read back from there, not looked
        # up hash by hash (a range at the end of the table instead of a search per row).
        before = Person.objects.aggregate(last=Max("pk"))["last"] or 0
        try:
            self.people_writer.insert(rows)
        except IntegrityError as exc:
            raise ValidationError(
                _(
                    "Some of these people were registered by someone else while the import "
                    "ran, so nothing was imported. Run the import again."
                )
            ) from exc
        pks = dict(Person.objects.filter(pk__gt=before).order_by().values_list("id_hash", "pk"))
        memberships = [(pks[c.hash], adapt_date(c.joined_on)) for c in new]
        if joining:
            now = timezone.now()
            updates = []
            for c, pk, card in joining:
                updates.append(
                    Person(
                        pk=pk,
                        current_union_id=union.pk,
                        card_number=card or next(cards),
                        updated_at=now,
                    )
                )
                memberships.append((pk, adapt_date(c.joined_on)))
            Person.objects.bulk_update(updates, ["current_union", "card_number", "updated_at"])
        self.membership_writer.insert(memberships)

    def _audit(self) -> None:
        """One audit entry on the union: the rows themselves are written in bulk."""
        from auditlog.models import LogEntry

        LogEntry.objects.log_create(
            self.union,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=self.by,
            changes={str(_("roster import")): ["", f"{self.source_name}: {self.result.summary()}"]},
        )


def _id_like(value) -> bool:
    """Whether a cell could be an ID number (so its row is a person's, whatever else it says)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    text = normalise_id_number(cell_text(value))
    return len(text) in (15, 18) and text[:6].isdigit()


def _batched(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk
