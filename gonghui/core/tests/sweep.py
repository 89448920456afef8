"""The access sweep's machinery: the subtrees records are built in, the personas,
the routes of the URL resolver, and the answers a foreign record must get.

An app joins the sweep by declaring, in ``gonghui/<app>/tests/sweep.py``:

``build(subtree) -> dict[str, Model]``
    creates one record of each kind its routes name, owned inside ``subtree``
    (``subtree.person(...)`` registers a worker there), and returns them by key.
    Keys are shared by every app (``"person"`` is the people app's worker), so a
    later app's builder may read ``subtree.records``; apps build in
    ``INSTALLED_APPS`` order.
``ROUTES = {"ns:url-name": {"kwarg": "record key" | Fixed(value)}}``
    which record each URL kwarg names. A route whose only kwarg is ``pk`` and
    whose view has a ``model`` needs no line: the record of that model is used.
``PUBLIC = {"ns:url-name": "reason"}`` (optional)
    routes open to anyone, left out of the sweep; ``"ns:*"`` for a namespace.
``EXPECTED = {("ns:url-name", "persona" | "*"): "reason"}`` (optional)
    known defects the sweep reports as expected instead of failing on; keep empty.
``OPEN_FIELDS = {("ns:url-name", "field"): "reason"}`` (optional)
    form fields that rightly take a record outside the user's subtree.
``FORM_POSTS_TO = {"ns:page": "ns:target"}`` (optional)
    a page whose form is posted to another route without a record.
``ANSWERS = {("ns:url-name", "record key" | None, "persona"[, "get" | "post"]): status}``
    (optional) answers a persona gets with a record of its own subtree (or the
    superuser with G1's) that the generic rules do not decide: a page only a job's
    starter or a session's counsellor opens, a page that does not apply to the
    record, who of those holding a power may use it. The method is the view's GET
    unless it has none or one is named; ``None`` keeps the route's own records.
``COUNTY_WIDE = {"ns:url-name": "reason"}`` (optional)
    portal routes whose records every worker of the county may see (the county's job
    board): to a worker, only another county's records are foreign there.
``SEEN_BELOW = {"record key": "reason"}`` (optional)
    records that the organisations below their own rightly see (the county's aid
    campaign, which a grassroots union applies under): not foreign to them.
``GET_DATA = {"ns:url-name": {"param": "{name}"}}`` (optional)
    the query a search or suggestion route is asked with, once per foreign
    subtree: ``{name}`` the part of a worker's name that every subtree's first
    worker shares, ``{union}`` a word of every union's name, ``{id_number}`` a
    worker's ID number there. (Every list is also searched, ``?q=``, by name.)
``POST_DATA = {"ns:url-name": {...}}`` (optional)
    what a valid POST to the route carries, so that a refusal is the scope's (or the
    role's), not the form's; every POST of the sweep to the route sends it.

Everything else is generic: routes come from ``gonghui/urls.py``.
"""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver

from gonghui.conftest import County, Neighbours
from gonghui.core.idnumbers import complete_id_number

#: A record id no table reaches: the answer to it is what a foreign record must get.
MISSING_PK = 987_654_321


@dataclass(frozen=True)
class Fixed:
    """A URL kwarg that names no record (``people:person-reveal``'s ``field``)."""

    value: str | int


@dataclass
class Subtree:
    """Where one set of records is owned: an organisation (``union``: a grassroots
    union, or a township for the township's own work), an employer and its township.

    Every record an app builds here is seen by that organisation and those above
    it, and nobody else: not a sibling, not a union below a township.
    """

    key: str
    top: object  # the subtree's organisation (G1, G3, T1, or the other county)
    township: object
    union: object  # the organisation whose own work the records are
    employer: object
    staff: object  # a staff account of the township
    chair: object  # the union's chair
    admin: object  # a county administrator above the subtree
    seq: int
    counsellor: object = None  # the counsellor persona, for G1's subtree
    #: The union its workers are members of; None in a township's own subtree, whose
    #: employer no union covers.
    member_union: object = None
    records: dict[str, models.Model] = field(default_factory=dict)
    #: Names that must appear on no page or file of a persona outside the subtree.
    names: list[str] = field(default_factory=list)
    #: Identifiers of the subtree's workers, posted into forms from outside.
    id_numbers: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    card_numbers: list[str] = field(default_factory=list)
    bank_accounts: list[str] = field(default_factory=list)

    @property
    def person_name_shared(self) -> str:
        """The name of the subtree's first worker without the subtree's prefix: what
        the first worker of every subtree is called ("职工甲" of "G1职工甲")."""
        name = next(n for n in self.names if n.startswith(self.key.upper()))
        return name[len(self.key) :]

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def person(self, label: str, *, employer=None, member: bool = True, by=None, **fields):
        """A worker of the subtree (at its employer and, if ``member``, in its union).
        ``employer=False`` registers one without an employer (``by`` keeps the file)."""
        from gonghui.people import services

        n = self.next_seq()
        name = f"{self.key.upper()}{label}"
        id_number = complete_id_number(f"330106{date(1980, 1, 1) + _days(n):%Y%m%d}{n % 1000:03d}")
        phone = f"138{n:08d}"
        person = services.person_create(
            by=by or self.admin,
            name=name,
            id_number=id_number,
            phone=phone,
            employer=self.employer if employer is None else employer or None,
            **fields,
        )
        if member and self.member_union is not None:
            services.membership_start(
                by=self.admin, person=person, union=self.member_union, joined_on=date(2020, 1, 1)
            )
            person.refresh_from_db()
            if person.card_number:
                self.card_numbers.append(person.card_number)
        self.names.append(person.name)
        self.id_numbers.append(id_number)
        self.phones.append(phone)
        return person

    def contains(self, organisation) -> bool:
        """Whether ``organisation`` lies inside this subtree's owning organisation."""
        return organisation is not None and organisation.path.startswith(self.top.path)

    def seen_by(self, organisation) -> bool:
        """Whether a user placed at ``organisation`` sees this subtree's records."""
        return organisation is not None and self.top.path.startswith(organisation.path)


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)


def subtrees(county: County, neighbours: Neighbours) -> list[Subtree]:
    """G1 under township T1, G3 under township T2, the neighbouring county, and
    township T1's own work (employer E6, no union: nothing of it reaches G1 or G2)."""
    made = [
        Subtree(
            "g1",
            county.g1,
            county.t1,
            county.g1,
            county.e1,
            county.t1staff,
            county.chair1,
            county.superuser,
            100,
            counsellor=neighbours.counsellor,
        ),
        Subtree(
            "g3",
            neighbours.g3,
            county.t2,
            neighbours.g3,
            neighbours.e4,
            county.t2staff,
            neighbours.chair3,
            county.superuser,
            300,
        ),
        Subtree(
            "x",
            neighbours.x,
            neighbours.xt,
            neighbours.xg,
            neighbours.xe,
            neighbours.xstaff,
            neighbours.xchair,
            county.superuser,
            500,
        ),
    ]
    for subtree in made:
        subtree.member_union = subtree.union
        subtree.names += [subtree.union.name, subtree.employer.name]
    made[2].names += [neighbours.x.name, neighbours.xt.name]
    # The township's own records. Its name is not among the secrets: a union below
    # rightly shows the township it belongs to.
    township = Subtree(
        "t1",
        county.t1,
        county.t1,
        county.t1,
        neighbours.e6,
        county.t1staff,
        county.t1staff,
        county.superuser,
        700,
    )
    township.names.append(neighbours.e6.name)
    return [*made, township]


# --- Declarations ----------------------------------------------------------------------


@dataclass
class Declaration:
    app: str
    build: Callable[[Subtree], dict[str, models.Model]] | None
    routes: dict[str, dict[str, str | Fixed]]
    public: dict[str, str]
    expected: dict[tuple[str, str], str]
    open_fields: dict[tuple[str, str], str]
    form_posts_to: dict[str, str]
    post_data: dict[str, dict]
    seen_below: dict[str, str]
    county_wide: dict[str, str]
    answers: dict[tuple[str, str | None, str], int]
    get_data: dict[str, dict]


def declarations() -> list[Declaration]:
    """Every app's ``tests/sweep.py``, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gonghui."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.sweep")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.sweep":
                raise
            continue
        found.append(
            Declaration(
                app=config.label,
                build=getattr(module, "build", None),
                routes=getattr(module, "ROUTES", {}),
                public=getattr(module, "PUBLIC", {}),
                expected=getattr(module, "EXPECTED", {}),
                open_fields=getattr(module, "OPEN_FIELDS", {}),
                form_posts_to=getattr(module, "FORM_POSTS_TO", {}),
                post_data=getattr(module, "POST_DATA", {}),
                seen_below=getattr(module, "SEEN_BELOW", {}),
                county_wide=getattr(module, "COUNTY_WIDE", {}),
                answers=getattr(module, "ANSWERS", {}),
                get_data=getattr(module, "GET_DATA", {}),
            )
        )
    return found


# --- Routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:url-name"
    pattern: str
    kwargs: tuple[str, ...]
    view: object  # the view class, or the function

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]


def routes() -> list[Route]:
    """Every named pattern of every namespace that ``gonghui/urls.py`` includes."""

    def walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                view = getattr(callback, "view_class", callback)
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                yield Route(
                    name or f"<unnamed {prefix}{pattern.pattern}>",
                    prefix + str(pattern.pattern),
                    tuple(pattern.pattern.converters),
                    view,
                )

    return list(walk(get_resolver().url_patterns, "/", None))


# --- What a request wrote ---------------------------------------------------------------

#: Tables a request may write whoever makes it: the caller's own session and sign-in logs,
#: and the security event log, which records a refusal (403, out-of-scope 404) as an event.
NOT_DATA = re.compile(r"^(django_session|axes_|accounts_usersession|django_tasks|security_)")

#: A reader's own mark that they have read a record (a worker opening their message):
#: a read leaves it, as it leaves a session.
READ_MARK = re.compile(r'^\s*UPDATE\s+"?\w+"?\s+SET\s+"?read_at"?\s*=\s*%s\s+WHERE', re.IGNORECASE)

WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)


class WriteRecorder:
    """Every INSERT, UPDATE or DELETE of a data table, with its statement (``execute_wrapper``)."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if (
            match
            and not NOT_DATA.match(match.group(2))
            and not is_access_record(sql, params, many)
            and not READ_MARK.match(sql)
        ):
            self.writes.append(sql[:160])
        return execute(sql, params, many, context)


def is_access_record(sql: str, params, many: bool) -> bool:
    """A record that a page was read (django-auditlog's ACCESS entry, sent when a
    needy file shows income and health): a read leaves it, as a reveal does."""
    from auditlog.models import LogEntry

    if many or not sql.lstrip().upper().startswith('INSERT INTO "AUDITLOG_LOGENTRY"'):
        return False
    columns = [c.strip().strip('"') for c in sql[sql.index("(") + 1 : sql.index(")")].split(",")]
    return "action" in columns and params[columns.index("action")] == LogEntry.Action.ACCESS


def fingerprint_sql() -> str:
    """One query: the row count and largest id of every table, and the latest change
    time of every table that keeps one (``auto_now`` columns)."""
    parts = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        table = model._meta.db_table
        if NOT_DATA.match(table) or model._meta.proxy or not model._meta.managed:
            continue
        pk = model._meta.pk
        parts.append(f"(SELECT COUNT(*) FROM {quote(table)})")
        if isinstance(pk, models.AutoField | models.BigAutoField | models.IntegerField):
            parts.append(f"(SELECT MAX({quote(pk.column)}) FROM {quote(table)})")
        for column in model._meta.concrete_fields:
            if getattr(column, "auto_now", False):
                parts.append(f"(SELECT MAX({quote(column.column)}) FROM {quote(table)})")
    return "SELECT " + ", ".join(parts)


def fingerprint(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


# --- Reading answers ---------------------------------------------------------------------

SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response_text(response) -> str:
    """What a reader of the answer sees: the page, or the cells of a spreadsheet."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith(SPREADSHEET):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8", "replace")


def named(text: str, names: list[str]) -> list[str]:
    return [name for name in names if name and name in text]


# --- Routes outside every app ------------------------------------------------------------

PUBLIC = {
    "set_language": "Django's language switch: sets the visitor's own language cookie",
    "admin:*": "the Django admin answers only to superusers (is_staff), who see everything; "
    "accounts/tests/test_admin_access.py proves nobody else gets in",
}
