"""One access sweep over every route of the project (PIPL; 等保 2.0 level 3 access
control; OWASP ASVS L2 V4 "access control").

Routes come from the URL resolver (``gonghui/urls.py`` includes every namespace),
records from each app's ``tests/sweep.py`` (see ``core/tests/sweep.py``). Every
persona asks for every route naming a record owned outside its subtree, by GET
and by POST with a valid CSRF token, and must get 404 — or the very answer a
record that does not exist gets (a 403 or 405 given before any lookup confirms
nothing) — a signed-out visitor the sign-in page; the answer names no one
outside the subtree and nothing is written. Routes without a record are asked
by every persona (their pages and Excel exports name no one outside, an empty
POST writes nothing), and every create or edit form the persona may open is
posted with the identifiers of foreign records in each field that takes one.
``docs/security.md`` says more and records the figures.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Role
from gonghui.conftest import county_build, make_user, neighbours_build
from gonghui.core.scope import SEGMENT_WIDTH
from gonghui.core.tests import sweep
from gonghui.core.tests.sweep import MISSING_PK, Fixed, Route, Subtree

#: The personas, each with the account attribute of the county or its neighbours.
PERSONAS = (
    "admin",  # county administrator at C
    "leader",  # read only, at C
    "t1staff",  # township T1
    "t2staff",  # township T2
    "chair1",  # grassroots G1 (under T1)
    "chair2",  # grassroots G2, G1's sibling
    "legal_aid",  # legal-aid handler at T2
    "mediator",  # mediator at G1
    "counsellor",  # counsellor at T1
    "judge",  # competition judge at C
    "sysadmin",  # system administrator at C: accounts, organisations
    "secadmin",  # security administrator at C: roles, locks, second factors
    "auditor",  # auditor at C: reads the audit trail only
    "outsider",  # signed in, no organisation
    "unplaced",  # holds the staff role but belongs to no organisation yet
    "t1admin",  # system administrator of township T1 only: its staff accounts
    "worker1",  # a worker signed into the portal, bound to G1's worker (no staff account)
    "worker2",  # the same, bound to G3's worker
    "anonymous",
)

#: The portal's personas: the subtree whose worker (``person``) each is bound to.
WORKERS = {"worker1": "g1", "worker2": "g3"}

LOGIN = "login"

#: Roles that may change nothing anywhere: their POSTs, even on their own records, write nothing.
#: (Legal-aid handlers and mediators handle rights cases: not read only.)
READ_ONLY = ("leader", "judge", "auditor")

#: Every test here needs the test database (and so makes pytest-django create it).
pytestmark = pytest.mark.django_db


@dataclass
class World:
    county: object
    neighbours: object
    trees: list[Subtree]
    declarations: list[sweep.Declaration]
    routes: list[Route]
    public: dict[str, str]
    expected: dict[tuple[str, str], str]
    open_fields: dict[tuple[str, str], str]
    form_posts_to: dict[str, str]
    post_data: dict[str, dict]
    seen_below: dict[str, str]
    county_wide: dict[str, str]
    get_data: dict[str, dict]
    fingerprint_sql: str
    #: Personas the shared fixtures do not make (``build_world``).
    extra: dict = field(default_factory=dict)

    def user(self, persona: str):
        if persona == "anonymous" or persona in WORKERS:
            return None  # a worker holds no staff account: to the console, a visitor
        if persona in self.extra:
            return self.extra[persona]
        return getattr(self.county, persona, None) or getattr(self.neighbours, persona)

    def is_public(self, route: Route) -> bool:
        return route.name in self.public or f"{route.namespace}:*" in self.public

    def plan(self, route: Route) -> dict[str, str | Fixed] | None:
        """Which record (by key) or fixed value each kwarg of ``route`` takes."""
        for declaration in self.declarations:
            if route.name in declaration.routes:
                return declaration.routes[route.name]
        model = getattr(route.view, "model", None)
        if route.kwargs == ("pk",) and model is not None:
            keys = [k for k, r in self.trees[0].records.items() if type(r) is model]
            if len(keys) == 1:
                return {"pk": keys[0]}
        return None


@pytest.fixture(autouse=True)
def _fast_and_isolated():
    """The world's settings hold for the whole module (see ``world``)."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The county, its neighbours and every app's records, built once and rolled back."""
    tasks = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASKS["default"]["QUEUES"],
        }
    }
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            TASKS=tasks,
            LANGUAGE_CODE="en",
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_world() -> World:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    county = county_build()
    neighbours = neighbours_build(county)
    trees = sweep.subtrees(county, neighbours)
    declarations = sweep.declarations()
    public: dict[str, str] = {}
    expected: dict[tuple[str, str], str] = {}
    open_fields: dict[tuple[str, str], str] = {}
    form_posts_to: dict[str, str] = {}
    post_data: dict[str, dict] = {}
    seen_below: dict[str, str] = {}
    county_wide: dict[str, str] = {}
    get_data: dict[str, dict] = {}
    for declaration in declarations:
        public |= declaration.public
        expected |= declaration.expected
        open_fields |= declaration.open_fields
        form_posts_to |= declaration.form_posts_to
        post_data |= declaration.post_data
        seen_below |= declaration.seen_below
        county_wide |= declaration.county_wide
        get_data |= declaration.get_data
        if declaration.build is None:
            continue
        for tree in trees:
            built = declaration.build(tree)
            clash = set(built) & set(tree.records)
            assert not clash, f"{declaration.app} declares record keys already taken: {clash}"
            tree.records |= built
    world = World(
        county,
        neighbours,
        trees,
        declarations,
        sweep.routes(),
        public,
        expected,
        open_fields,
        form_posts_to,
        post_data,
        seen_below,
        county_wide,
        get_data,
        sweep.fingerprint_sql(),
        extra={"t1admin": make_user("t1admin", county.t1, Role.SYSTEM_ADMIN)},
    )
    for persona in (*PERSONAS, "superuser"):
        user = world.user(persona)
        if user is not None and user.must_change_password:
            # Past every sign-in step, as conftest's ``client_for`` leaves a user.
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.save(update_fields=["must_change_password", "password_changed_at"])
        if user is not None and user.requires_otp:
            TOTPDevice.objects.create(user=user, confirmed=True, name="sweep")
    return world


# --- One persona's pass ------------------------------------------------------------------

#: Form fields that take an identifier, by name: the subtree's list they come from, and
#: whether the identifier finds a record (which must then be refused) or is only a value
#: the form stores (a phone, a bank account: which may be accepted, naming no one).
IDENTIFIER_FIELDS = (
    (re.compile(r"id_number|id_no|identity"), "id_numbers", True),
    (re.compile(r"card"), "card_numbers", True),
    (re.compile(r"phone|mobile"), "phones", False),
    (re.compile(r"bank_account"), "bank_accounts", False),
)


class Pass:
    """Everything one persona asks, and every answer that broke the rule."""

    def __init__(self, world: World, persona: str):
        self.world = world
        self.persona = persona
        self.user = world.user(persona)
        self.account = None
        self.mine = None
        organisation = getattr(self.user, "organisation", None)
        if persona in WORKERS:
            # Everything but the worker's own subtree is foreign; within it, the worker's
            # own file is what the portal shows.
            own = next(t for t in world.trees if t.key == WORKERS[persona])
            self.account = own.records["worker_account"]
            self.foreign, self.own = [t for t in world.trees if t is not own], None
            self.mine = own  # whose records are the worker's own (the portal's pages)
        elif getattr(self.user, "is_superuser", False):
            self.foreign, self.own = [], world.trees[0]
        else:
            self.foreign = [t for t in world.trees if not t.seen_by(organisation)]
            self.own = next((t for t in world.trees if t.seen_by(organisation)), None)
        if persona in ("anonymous", "outsider"):
            # No role and no organisation: every subtree is alike to them, two suffice
            # (one of this county, the neighbour's); a signed-out visitor needs one.
            self.foreign = self.foreign[: 1 if self.user is None else 3 : 2]
        self.failures: list[str] = []
        self.expected_seen: list[str] = []
        self.requests = 0
        self.routes_with_records = 0
        self.records_tried = 0
        self.plain_routes = 0
        self.forms_posted = 0
        self.client = self.signed_in_client()
        self.recorder = sweep.WriteRecorder()
        self.baseline = sweep.fingerprint(world.fingerprint_sql)

    # --- requests

    def signed_in_client(self) -> Client:
        from django_otp import DEVICE_ID_SESSION_KEY

        # A 500 is an answer like any other: recorded, not raised, so one pass lists them all.
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        if self.account is not None:
            from gonghui.portal.auth import COOKIE
            from gonghui.portal.services import session_start

            client.cookies[COOKIE] = session_start(self.account)
        if self.user is not None:
            client.force_login(self.user)
            if self.user.requires_otp:
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = self.user.totpdevice_set.get().persistent_id
                session.save()
        # A real token, as a browser gets it: from the cookie set by a page with a form.
        for page in ("/", reverse("accounts:login"), reverse("accounts:password-change")):
            client.get(page)
            if "csrftoken" in client.cookies:
                break
        assert "csrftoken" in client.cookies, "no page handed out a CSRF token"
        self.token = client.cookies["csrftoken"].value
        return client

    def ask(self, method: str, url: str, data: dict | None = None):
        """One request in a savepoint rolled back after it: what it wrote is recorded
        (every data-table statement, and the database fingerprint), then undone, so
        that one answer never depends on another."""
        self.requests += 1
        self.recorder.writes = []
        with transaction.atomic():
            with connection.execute_wrapper(self.recorder):
                if method == "get":
                    response = self.client.get(url, data)
                else:
                    response = self.client.post(
                        url, {**(data or {}), "csrfmiddlewaretoken": self.token}
                    )
            # Every statement is recorded above; the fingerprint, a second witness,
            # is taken after each POST (a GET writing would show among the statements).
            if method == "post" and sweep.fingerprint(self.world.fingerprint_sql) != self.baseline:
                self.recorder.writes.append("the database fingerprint changed")
            transaction.set_rollback(True)
        return response

    @property
    def signed_out(self) -> bool:
        return self.user is None and self.account is None

    def answer(self, response):
        location = response.get("Location", "") if response.status_code == 302 else ""
        if location.startswith((reverse("accounts:login"), reverse("portal:sign-in"))):
            return LOGIN
        if response.status_code in (301, 302, 303):
            return f"{response.status_code} → {response['Location']}"
        return response.status_code

    def fail(self, route: Route, message: str) -> None:
        reason = self.world.expected.get((route.name, self.persona)) or self.world.expected.get(
            (route.name, "*")
        )
        line = f"{self.persona:<11} {route.name}: {message}"
        if reason:
            self.expected_seen.append(f"{line}  [expected: {reason}]")
        else:
            self.failures.append(line)

    def check_written(self, route: Route, what: str) -> None:
        if self.recorder.writes:
            self.fail(route, f"{what} wrote: {'; '.join(self.recorder.writes[:3])}")

    def check_role(self, route: Route, what: str, response) -> None:
        """The role decides what, before the scope decides where: a view's
        ``permission_required`` refuses (403) whoever lacks it, and nobody else."""
        needed = required_permissions(route.view)
        if needed is None or self.user is None:
            return
        got = self.answer(response)
        if not self.user.has_perms(needed) and got != 403:
            self.fail(route, f"{what} answered {got} to a role without {', '.join(needed)}")
        elif self.user.has_perms(needed) and got == 403:
            self.fail(route, f"{what} answered 403 to a role holding {', '.join(needed)}")

    def check_names(self, route: Route, what: str, response, trees: list[Subtree]) -> None:
        if response.status_code != 200 and not getattr(response, "streaming", False):
            text = response.content.decode("utf-8", "replace")
        else:
            text = sweep.response_text(response)
        for tree in trees:
            leaked = sweep.named(text, tree.names)
            if leaked:
                self.fail(route, f"{what} names {tree.key}'s {', '.join(leaked)}")

    # --- routes that name records

    def url(self, route: Route, plan: dict, source: dict) -> str:
        """``route`` with each record kwarg taken from ``source[kwarg]`` (a subtree;
        ``None`` for a record that does not exist)."""
        kwargs = {}
        for name, value in plan.items():
            if isinstance(value, Fixed):
                kwargs[name] = value.value
            else:
                tree = source[name]
                kwargs[name] = MISSING_PK if tree is None else tree.records[value].pk
        return reverse(route.name, kwargs=kwargs)

    def record_routes(self) -> None:
        for route in self.world.routes:
            if not route.kwargs or self.world.is_public(route):
                continue
            plan = self.world.plan(route)
            if plan is None:
                continue  # the meta-test names it
            self.routes_with_records += 1
            self.record_route(route, plan)

    def record_route(self, route: Route, plan: dict) -> None:
        record_kwargs = [n for n, v in plan.items() if not isinstance(v, Fixed)]
        controls: dict[str | None, dict] = {}  # the answers for a record that does not exist
        keys = {v for v in plan.values() if not isinstance(v, Fixed)}
        # A worker's place is their own union (the top of their subtree): the records
        # its organisations above rightly show below (SEEN_BELOW) are not foreign to them.
        organisation = (
            self.mine.top if self.mine is not None else getattr(self.user, "organisation", None)
        )
        for tree in self.foreign_for(route):
            if not keys <= tree.records.keys():
                continue  # the subtree holds no such record (a township has no file requests)
            if keys & self.world.seen_below.keys() and tree.contains(organisation):
                continue  # a record the unions below its organisation rightly see
            combos = [(tree.key, None, self.url(route, plan, dict.fromkeys(record_kwargs, tree)))]
            if self.own is not None and len(record_kwargs) > 1:
                # One foreign id among the persona's own records: each id is checked.
                for swapped in record_kwargs:
                    source = {n: tree if n == swapped else self.own for n in record_kwargs}
                    label = f"{self.own.key} with {tree.key}'s {swapped}"
                    combos.append((label, swapped, self.url(route, plan, source)))
            for label, swapped, url in combos:
                self.records_tried += 1
                for method in ("get", "post"):
                    data = self.world.post_data.get(route.name) if method == "post" else None
                    response = self.ask(method, url, data)
                    got = self.answer(response)
                    what = f"{method.upper()} {url} ({label})"
                    self.check_written(route, what)
                    self.check_names(route, what, response, [tree])
                    if got == 404 or (got == LOGIN and self.user is None):
                        continue
                    if swapped not in controls:
                        source = {
                            n: None if swapped in (None, n) else self.own for n in record_kwargs
                        }
                        control_url = self.url(route, plan, source)
                        controls[swapped] = {
                            "get": self.answer(self.ask("get", control_url)),
                            "post": self.answer(
                                self.ask("post", control_url, self.world.post_data.get(route.name))
                            ),
                        }
                    missing = controls[swapped][method]
                    if got in (403, 405, LOGIN) and got == missing:
                        continue  # refused before any lookup: says nothing of the record
                    self.fail(route, f"{what} answered {got}, a missing record {missing}")

    # --- routes without a record

    def plain_routes_pass(self) -> None:
        for route in self.world.routes:
            if route.kwargs or self.world.is_public(route):
                continue
            self.plain_routes += 1
            url = reverse(route.name)
            response = self.ask("get", url)
            self.check_written(route, f"GET {url}")
            self.check_role(route, f"GET {url}", response)
            if self.signed_out and self.answer(response) not in (LOGIN, 405):
                self.fail(route, f"GET {url} answered {self.answer(response)} to a visitor")
            if response.status_code >= 500:
                self.fail(route, f"GET {url} answered {response.status_code}")
            if response.status_code == 200:
                foreign = self.foreign_for(route)
                self.check_names(route, f"GET {url}", response, foreign)
                if hasattr(route.view, "export_stem"):  # a list: its Excel export too
                    exported = self.ask("get", url, {"export": "xlsx"})
                    self.check_written(route, f"GET {url}?export=xlsx")
                    self.check_names(route, f"GET {url}?export=xlsx", exported, foreign)
                self.searches(route, url)
                form = (response.context or {}).get("form")
                # The persona's own password and authenticator pages are not about records.
                if isinstance(form, forms.BaseForm) and not route.name.startswith("accounts:"):
                    self.foreign_ids_in_form(route, url, form)
            response = self.ask("post", url)
            self.check_written(route, f"POST {url} (empty)")
            self.check_role(route, f"POST {url} (empty)", response)
            if response.status_code >= 500:
                self.fail(route, f"POST {url} answered {response.status_code}")

    def foreign_for(self, route: Route) -> list[Subtree]:
        """The subtrees foreign to the persona on ``route``: on a county-wide portal
        route (the job board), a worker's own county is not foreign."""
        if self.mine is None or route.name not in self.world.county_wide:
            return self.foreign
        county = self.mine.top.path[:SEGMENT_WIDTH]
        return [t for t in self.foreign if not t.top.path.startswith(county)]

    def searches(self, route: Route, url: str) -> None:
        """A list searched, and a suggestion box asked, for what lies outside: no one named."""
        # The page repeats what was asked: the query is the part of a name that every
        # subtree's worker shares ("职工甲" of "G1职工甲"), so only a found row names one.
        queries = []
        if hasattr(route.view, "export_stem") and self.foreign:
            queries.append((self.foreign[0], {"q": self.foreign[0].person_name_shared}))
        template = self.world.get_data.get(route.name)
        if template:
            for tree in self.foreign:
                values = {
                    "name": tree.person_name_shared,
                    "union": "工会",
                    "id_number": tree.id_numbers[0] if tree.id_numbers else "",
                }
                queries.append((tree, {k: v.format(**values) for k, v in template.items()}))
        for tree, query in queries:
            found = self.ask("get", url, query)
            what = f"GET {url}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
            self.check_written(route, what)
            self.check_names(route, what, found, [tree])

    # --- forms

    def is_ancestor(self, record) -> bool:
        """An organisation above the persona's (its township, its county): named rightly."""
        organisation = getattr(self.user, "organisation", None)
        path = getattr(record, "path", None)
        return bool(organisation and path) and organisation.path.startswith(path)

    def foreign_value(self, form_field, name: str, tree: Subtree):
        """A foreign identifier for the field, and whether it must be refused."""
        if isinstance(form_field, forms.ModelChoiceField):
            model = form_field.queryset.model
            organisation = getattr(self.user, "organisation", None)
            # Records the unions below their organisation rightly see are not foreign there.
            seen = tree.contains(organisation)
            candidates = [
                r
                for r in (
                    *(
                        record
                        for key, record in tree.records.items()
                        if not (seen and key in self.world.seen_below)
                    ),
                    tree.union,
                    tree.township,
                    tree.top,
                    tree.employer,
                    tree.chair,
                    tree.staff,
                )
                if isinstance(r, model) and not self.is_ancestor(r)
            ]
            if not candidates:
                return None, True
            value = str(candidates[0].pk)
            if isinstance(form_field, forms.ModelMultipleChoiceField):
                return [value], True
            return value, True
        if isinstance(form_field, forms.CharField | forms.IntegerField) or isinstance(
            form_field.widget, forms.HiddenInput
        ):
            for pattern, attribute, refers in IDENTIFIER_FIELDS:
                if pattern.search(name) and getattr(tree, attribute):
                    return getattr(tree, attribute)[0], refers
        return None, True

    def own_routes(self) -> None:
        """Every route naming a record, with the persona's own: the role decides as the
        view declares, a read-only role writes nothing, and every form the persona
        opens is posted with foreign identifiers."""
        if self.own is None:
            return
        own = self.own
        for route in self.world.routes:
            if not route.kwargs or self.world.is_public(route):
                continue  # routes without a record: see plain_routes_pass
            plan = self.world.plan(route)
            if plan is None:
                continue
            url = self.url(route, plan, dict.fromkeys(plan, own))
            page = self.ask("get", url)
            self.check_role(route, f"GET {url} (own)", page)
            if self.persona in READ_ONLY:
                self.check_written(route, f"GET {url} (own)")
                posted = self.ask("post", url, self.world.post_data.get(route.name))
                self.check_written(route, f"POST {url} (own, a read-only role)")
                if posted.status_code >= 500:
                    self.fail(route, f"POST {url} (own, read only) answered {posted.status_code}")
            form = (page.context or {}).get("form") if page.status_code == 200 else None
            if isinstance(form, forms.BaseForm):
                self.foreign_ids_in_form(route, url, form)

    def reaches(self, route: Route, plan: dict) -> bool:
        """Whether a GET or an empty POST with the persona's own records gets past the lookup."""
        url = self.url(route, plan, dict.fromkeys(plan, self.own or self.mine))
        for method in ("get", "post"):
            got = self.answer(self.ask(method, url))
            if got in (200, 400) or (isinstance(got, str) and not signing_in(got)):
                return True
        return False

    def foreign_ids_in_form(self, route: Route, url: str, form) -> None:
        target = self.world.form_posts_to.get(route.name)
        post_url = reverse(target) if target else url
        data = self.form_data(form)
        for name, form_field in form.fields.items():
            if (route.name, name) in self.world.open_fields:
                continue
            for tree in self.foreign:
                value, refers = self.foreign_value(form_field, name, tree)
                if value is None:
                    continue
                self.forms_posted += 1
                response = self.ask("post", post_url, {**data, form.add_prefix(name): value})
                what = f"POST {post_url} with {tree.key}'s {name}={value}"
                self.check_names(route, what, response, [tree])
                if not refers:
                    continue  # a value, not a reference: it may be stored
                self.check_written(route, what)
                got = self.answer(response)
                if got not in (200, 400, 403, 404, 405):
                    self.fail(route, f"{what} answered {got}: not refused")
                elif got == 200 and not self.has_errors(response):
                    self.fail(route, f"{what} answered 200 without a form error")

    @staticmethod
    def has_errors(response) -> bool:
        form = (response.context or {}).get("form")
        return not isinstance(form, forms.BaseForm) or bool(form.errors)

    @staticmethod
    def form_data(form) -> dict:
        """What the page shows in the form: the record's values, or a new form's initial ones."""
        data = {}
        for name, form_field in form.fields.items():
            if isinstance(form_field, forms.FileField):
                continue
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [str(getattr(v, "pk", v)) for v in value]
            elif value is True:
                value = "on"
            else:
                value = str(getattr(value, "pk", value))
            data[form.add_prefix(name)] = value
        return data

    def run(self) -> None:
        self.record_routes()
        self.plain_routes_pass()
        self.own_routes()


def signing_in(answer: str) -> bool:
    """The sign-in page or a step of signing in (password change, second factor)."""
    steps = ("login", "password-change", "otp-verify", "otp-setup")
    location = answer.split(" → ", 1)[-1]
    return answer == LOGIN or any(location.startswith(reverse(f"accounts:{s}")) for s in steps)


def required_permissions(view) -> tuple[str, ...] | None:
    """The permissions a view checks first, if it declares them plainly."""
    if not (isinstance(view, type) and issubclass(view, PermissionRequiredMixin)):
        return None
    if (
        view.has_permission is not PermissionRequiredMixin.has_permission
        or view.get_permission_required is not PermissionRequiredMixin.get_permission_required
        or view.permission_required is None
    ):
        return None
    needed = view.permission_required
    return (needed,) if isinstance(needed, str) else tuple(needed)


FIGURES: dict[str, dict[str, float]] = {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_reaches_what_lies_outside_its_subtree(world, persona, request):
    started = time.perf_counter()
    run = Pass(world, persona)
    run.run()
    FIGURES[persona] = {
        "routes with records": run.routes_with_records,
        "foreign records tried": run.records_tried,
        "routes without": run.plain_routes,
        "foreign ids posted in forms": run.forms_posted,
        "requests": run.requests,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(f"\naccess sweep, {persona}: {FIGURES[persona]}")
    for line in run.expected_seen:
        print(f"  expected: {line}")
    assert not run.failures, f"{len(run.failures)} answers broke the rule:\n" + "\n".join(
        run.failures
    )


def test_every_route_naming_a_record_answers_someone_with_their_own(world):
    """Without this, a route failing for everyone (a broken record, a wrong kwarg)
    would pass the sweep on 404s alone. The superuser reaches nearly every record;
    a job or a counselling session answers only to its own starter or counsellor, a
    portal page only to the worker whose record it is."""
    probes = [Pass(world, p) for p in ("superuser", "chair1", "counsellor", "worker1")]
    unreached = [
        route.name
        for route in world.routes
        if route.kwargs
        and not world.is_public(route)
        and (plan := world.plan(route)) is not None
        and not any(probe.reaches(route, plan) for probe in probes)
    ]
    assert not unreached, f"routes nobody reached with their own records: {unreached}"


def test_the_declared_answers_to_own_records(world):
    """What each app declares in ``ANSWERS``: the cells of the former per-app
    matrices that the generic rules above do not decide."""
    answers = {k: v for d in world.declarations for k, v in d.answers.items()}
    passes: dict[str, Pass] = {}
    wrong = []
    for cell, expected in answers.items():
        name, key, persona, *method = cell
        run = passes.get(persona) or passes.setdefault(persona, Pass(world, persona))
        route = next(r for r in world.routes if r.name == name)
        plan = world.plan(route) if route.kwargs else {}
        if key is not None:
            plan = {**plan, **{k: key for k, v in plan.items() if not isinstance(v, Fixed)}}
        url = run.url(route, plan, dict.fromkeys(plan, run.own or run.mine))
        if not method:
            method = ["get" if route.view is None or hasattr(route.view, "get") else "post"]
        method = method[0]
        got = run.ask(method, url, world.post_data.get(name) if method == "post" else None)
        if run.answer(got) != expected and got.status_code != expected:
            wrong.append(f"{persona} {method.upper()} {url} ({name}, {key}): {run.answer(got)}")
        if method == "get":
            run.check_written(route, f"GET {url}")
    wrong += [line for run in passes.values() for line in run.failures]
    assert not wrong, "answers other than declared:\n" + "\n".join(wrong)


def test_every_route_is_swept_or_listed_as_public(world):
    unswept = [
        f"{route.name} {route.pattern} {route.kwargs}"
        for route in world.routes
        if not world.is_public(route) and route.kwargs and world.plan(route) is None
    ]
    assert not unswept, (
        "routes naming a record that no app's tests/sweep.py declares (ROUTES), "
        "and not listed as PUBLIC with a reason:\n" + "\n".join(unswept)
    )


def test_every_declared_route_and_record_exists(world):
    names = {route.name for route in world.routes}
    declared = {name for d in world.declarations for name in (*d.routes, *d.public)}
    stale = {name for name in declared if name not in names and not name.endswith(":*")}
    assert not stale, f"declared routes the resolver does not know: {sorted(stale)}"
    # Every subtree of a union holds every kind of record; a township's own may hold fewer.
    for tree in world.trees:
        if tree.member_union is None:
            continue
        for d in world.declarations:
            for name, plan in d.routes.items():
                for key in plan.values():
                    if not isinstance(key, Fixed):
                        assert key in tree.records, f"{name}: no record {key!r} in {tree.key}"


def test_every_public_route_says_why(world):
    assert all(reason.strip() for reason in world.public.values())


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    if not FIGURES:
        return
    totals = {k: sum(f[k] for f in FIGURES.values()) for k in next(iter(FIGURES.values()))}
    line = (
        f"access sweep: {len(FIGURES)} personas × {totals['routes with records'] // len(FIGURES)}"
        f" routes with records ({totals['foreign records tried']} foreign records tried)"
        f" + {totals['routes without'] // len(FIGURES)} routes without,"
        f" {totals['foreign ids posted in forms']} foreign ids posted in forms,"
        f" {totals['requests']} requests in {totals['seconds']:.0f} s"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)
