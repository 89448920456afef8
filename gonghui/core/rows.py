"""One row of a model, with the rows its foreign keys point to, read by SQL written once
per process.

For the few reads every request makes (the session, the signed-in account, the card a
desk checks): the ORM builds the same SQL again on each call, which costs 0.2-0.5 ms
of Python against 0.02 ms for SQLite to answer it (docs/benchmarks.md). The SQL is
derived from the models' own fields, so it follows every migration; values pass
through the same converters the ORM applies, and the instances are made the way the
ORM makes them (``Model.from_db``), so they behave exactly like fetched ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, models


@dataclass(frozen=True)
class _Part:
    model: type[models.Model]
    attnames: list[str]
    converters: list[tuple[int, object, list]]  # (index, column expression, converters)
    via: models.ForeignKey | None  # the key of the main model that points here


class RowReader:
    """``RowReader(User, related=("organisation",), where="t.id = %s").get(pk)``.

    ``where`` is SQL over the model's table aliased ``t``; ``related`` names foreign
    keys of the model, each joined (LEFT) and set on the instance as
    ``select_related`` would. Parameters are passed as the database expects them
    (``connection.ops.adapt_*`` for dates).
    """

    def __init__(self, model, *, where: str, related: tuple[str, ...] = ()):
        self.model = model
        self.where = where
        self.related = related
        self._prepared: dict[str, tuple[str, list[_Part]]] = {}

    def get(self, *params, using: str = "default"):
        """The first row matching, as an instance, or None."""
        connection = connections[using]
        sql, parts = self._prepare(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return self._instance(connection, parts, row)

    def _instance(self, connection, parts: list[_Part], row):
        main, start = None, 0
        for part in parts:
            values = list(row[start : start + len(part.attnames)])
            start += len(part.attnames)
            for index, column, converters in part.converters:
                for converter in converters:
                    values[index] = converter(values[index], column, connection)
            if part.via is None:
                main = part.model.from_db(connection.alias, part.attnames, values)
                continue
            related = None
            if values[part.attnames.index(part.model._meta.pk.attname)] is not None:
                related = part.model.from_db(connection.alias, part.attnames, values)
            part.via.set_cached_value(main, related)
        return main

    def _prepare(self, connection) -> tuple[str, list[_Part]]:
        if connection.alias not in self._prepared:
            self._prepared[connection.alias] = self._build(connection)
        return self._prepared[connection.alias]

    def _build(self, connection) -> tuple[str, list[_Part]]:
        quote = connection.ops.quote_name
        columns: list[str] = []
        parts: list[_Part] = []
        joins: list[str] = []

        def add(model, alias: str, via) -> None:
            fields = model._meta.concrete_fields
            converters = []
            for index, field in enumerate(fields):
                column = field.get_col(alias)
                found = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if found:
                    converters.append((index, column, found))
                columns.append(f"{alias}.{quote(field.column)}")
            parts.append(_Part(model, [f.attname for f in fields], converters, via))

        add(self.model, "t", None)
        for number, name in enumerate(self.related, start=1):
            field = self.model._meta.get_field(name)
            target = field.related_model
            alias = f"r{number}"
            add(target, alias, field)
            joins.append(
                f"LEFT JOIN {quote(target._meta.db_table)} {alias} "
                f"ON {alias}.{quote(field.target_field.column)} = t.{quote(field.column)}"
            )
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(self.model._meta.db_table)} t "
            f"{' '.join(joins)} WHERE {self.where}"
        )
        return sql, parts


class RowInserter:
    """``RowInserter(SecurityEvent).insert(event)``: the INSERT of ``Model.save()`` for a
    new row, by SQL written once, for a row written on every request of a kind (the
    security log). Field values are prepared as ``save()`` prepares them (``pre_save``,
    then ``get_db_prep_save``: automatic times, JSON, keys); no signal is sent, so it is
    for models no receiver listens to, and the model's own ``save()`` logic must be done
    by the caller (the model's constructor of such rows)."""

    def __init__(self, model):
        self.model = model
        self._prepared: dict[str, tuple[str, list, bool]] = {}

    def insert(self, obj, *, using: str = "default"):
        connection = connections[using]
        sql, fields, returns = self._prepare(connection)
        params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        meta = self.model._meta
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returns:
                pk = cursor.fetchone()[0]
            else:
                pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
        obj.pk = meta.pk.to_python(pk)
        obj._state.adding = False
        obj._state.db = using
        return obj

    def _prepare(self, connection) -> tuple[str, list, bool]:
        if connection.alias not in self._prepared:
            meta = self.model._meta
            quote = connection.ops.quote_name
            fields = [f for f in meta.concrete_fields if not f.primary_key]
            if any(f.generated or f.has_db_default() for f in fields):
                # The ORM leaves such columns to the database; this INSERT would not.
                raise TypeError(f"{meta.label} has columns the database fills")
            returns = connection.features.can_return_columns_from_insert
            sql = (
                f"INSERT INTO {quote(meta.db_table)} "
                f"({', '.join(quote(f.column) for f in fields)}) "
                f"VALUES ({', '.join(['%s'] * len(fields))})"
                + (f" RETURNING {quote(meta.pk.column)}" if returns else "")
            )
            self._prepared[connection.alias] = (sql, fields, returns)
        return self._prepared[connection.alias]
