"""Writing many rows of one model through one prepared INSERT.

``Model.objects.bulk_create`` passes every value of every row through the
field's ``get_db_prep_save`` and the SQL compiler. For a 100,000-row roster
that was 30 of the import's 36 seconds (bench/roster_import.py), while the
database itself needed about two. Here the rows' values arrive in database
form already (text, numbers, dates adapted once by the caller), go through
one parametrised INSERT executed for every row (DB-API ``executemany``), and
the columns not given take the field's default (``auto_now`` fields: now),
prepared once per writer. Like ``bulk_create``, no signal is sent and
``save()`` is not called.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone


class RowInserter:
    """INSERTs rows of ``model``: values for ``columns`` (attnames) per row, the rest fixed."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], **fixed):
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        unknown = (set(columns) | set(fixed)) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        now = timezone.now()
        constants = []
        for attname, field in fields.items():
            if attname in columns:
                continue
            if attname in fixed:
                value = fixed[attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            constants.append((field, field.get_db_prep_save(value, connection)))
        names = [fields[c].column for c in columns] + [f.column for f, _v in constants]
        quote = connection.ops.quote_name
        self.constants = tuple(value for _f, value in constants)
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(name) for name in names),
            ", ".join(["%s"] * len(names)),
        )

    def insert(self, rows: Iterable[Sequence]) -> None:
        constants = self.constants
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, [(*row, *constants) for row in rows])


def values_in(
    model: type[models.Model],
    columns: Sequence[str],
    *,
    key: str,
    keys: Sequence,
    batch: int = 900,
    for_update: bool = False,
) -> list[tuple]:
    """``columns`` (attnames) of the rows whose ``key`` is in ``keys``, in batches.

    The queryset equivalent (``filter(key__in=…).values_list(…)``) spends more
    time preparing its 900 parameters than the database spends answering; the
    roster looks up tens of thousands of keys. ``batch`` stays below SQLite's
    999 bound parameters. ``for_update`` locks the rows (where the database can).
    """
    meta = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(c).column) for c in columns)
    key_column = quote(meta.get_field(key).column)
    lock = ""
    if for_update and connection.features.has_select_for_update:
        lock = " " + connection.ops.for_update_sql()
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), batch):
            part = keys[start : start + batch]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT {names} FROM {quote(meta.db_table)} WHERE {key_column} IN ({marks}){lock}",
                part,
            )
            found.extend(cursor.fetchall())
    return found


@contextmanager
def larger_sqlite_cache(mebibytes: int) -> Iterator[None]:
    """SQLite's page cache raised to ``mebibytes`` for one bulk write, then put back.

    Each new person goes into a dozen indexes, four of them on random keyed
    hashes. With a million people on file those indexes outgrow the default
    cache, and pages are written out and read back again and again during the
    transaction (bench/roster_import.py: about a tenth of a 100,000-row
    import). Pages are only allocated as they are used. Other databases manage
    their own buffers: nothing changes there.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
