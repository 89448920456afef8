"""The outcome of a roster import, row by row, kept compact.

A 1,000,000-row roster keeps per row a row number (8 bytes), a status byte
and, only for rows that have any, a tuple of reasons.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gonghui.core.labels import labelled

from .columns import HeaderMap


class RowStatus(models.TextChoices):
    """What became of a row: the same words on the job page, in its summary and in the
    report's result column."""

    IMPORTED = "imported", gettext_lazy("Imported")
    WARNING = "warning", gettext_lazy("Imported, with a warning")
    SKIPPED = "skipped", gettext_lazy("Already a member")
    REJECTED = "rejected", gettext_lazy("Rejected")
    IGNORED = "ignored", gettext_lazy("Not a person's row")


#: The statuses of a roster's rows: the lines of a person, counted as "rows" in the
#: progress and the summary alike. Header, title, signature and blank lines are not.
COUNTED = (RowStatus.IMPORTED, RowStatus.WARNING, RowStatus.SKIPPED, RowStatus.REJECTED)


#: Labels of a dry run, which imports nothing.
DRY_RUN_LABELS = {
    RowStatus.IMPORTED: gettext_lazy("Would be imported"),
    RowStatus.WARNING: gettext_lazy("Would be imported, with a warning"),
}
_STATUSES = list(RowStatus)
_CODE = {status: code for code, status in enumerate(_STATUSES)}


def status_label(status: str, *, dry_run: bool) -> str:
    if dry_run and status in DRY_RUN_LABELS:
        return str(DRY_RUN_LABELS[status])
    return str(RowStatus(status).label)


@dataclass
class ImportResult:
    """What an import did, row by row, kept compact (a 1,000,000-row file fits).

    ``imported`` counts the rows written (with or without a warning);
    ``warnings`` those of them with a warning.
    """

    path: str
    union_code: str
    dry_run: bool
    file_format: str
    sheet_index: int
    sheet_name: str
    header: HeaderMap
    column_offset: int = 0
    width: int = 0
    _rows: array = field(default_factory=lambda: array("q"))
    _statuses: bytearray = field(default_factory=bytearray)
    _reasons: dict[int, tuple[str, ...]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in RowStatus})

    def add(self, row: int, status: str, reasons: Iterable[str] = ()) -> None:
        self._rows.append(row)
        self._statuses.append(_CODE[status])
        reasons = tuple(reasons)
        if reasons:
            self._reasons[row] = reasons
        self.counts[status] += 1

    def rows(self) -> Iterator[tuple[int, str, tuple[str, ...]]]:
        """(row number, status, reasons) in row order."""
        for row, code in zip(self._rows, self._statuses, strict=True):
            yield row, _STATUSES[code].value, self._reasons.get(row, ())

    @property
    def imported(self) -> int:
        return self.counts[RowStatus.IMPORTED] + self.counts[RowStatus.WARNING]

    @property
    def counted(self) -> int:
        """The roster's rows: every person's line, whatever became of it (``COUNTED``)."""
        return sum(self.counts[status] for status in COUNTED)

    @property
    def warnings(self) -> int:
        return self.counts[RowStatus.WARNING]

    @property
    def rejected(self) -> int:
        return self.counts[RowStatus.REJECTED]

    @property
    def skipped(self) -> int:
        return self.counts[RowStatus.SKIPPED]

    @property
    def ignored(self) -> int:
        return self.counts[RowStatus.IGNORED]

    def count_lines(self) -> list[tuple[str, str, int]]:
        """(status, label, count) of each status, as the page and the report both show them."""
        return [
            (status.value, status_label(status, dry_run=self.dry_run), self.counts[status])
            for status in RowStatus
        ]

    def summary(self) -> str:
        """The counts in words, the same words as the report's result column."""
        counts = pgettext("list separator", "; ").join(
            labelled(label, count) for _status, label, count in self.count_lines()
        )
        if self.dry_run:
            return _("Dry run, nothing was written. %(rows)d rows: %(counts)s.") % {
                "rows": self.counted,
                "counts": counts,
            }
        return _("%(rows)d rows: %(counts)s.") % {"rows": self.counted, "counts": counts}

    def head(self) -> dict:
        """Everything but the rows, as JSON-ready values."""
        return {
            "file": Path(self.path).name,
            "union": self.union_code,
            "dry_run": self.dry_run,
            "format": self.file_format,
            "sheet": self.sheet_name,
            "header_row": self.header.row,
            "columns": {name: self.header.labels[name] for name in self.header.columns},
            "imported": self.imported,
            "warnings": self.warnings,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "ignored": self.ignored,
        }

    def write_json(self, out: IO[str]) -> None:
        """One JSON object, the rows streamed into it rather than built as one list."""
        head = json.dumps(self.head(), ensure_ascii=False)
        out.write(head[:-1] + ', "rows": [')
        for n, (row, status, reasons) in enumerate(self.rows()):
            item = {"row": row, "status": status, "reasons": list(reasons)}
            out.write(("," if n else "") + json.dumps(item, ensure_ascii=False))
        out.write("]}\n")
