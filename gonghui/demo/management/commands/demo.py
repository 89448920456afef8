"""``gonghui demo``: build a fictional county to try the system with."""

import json
import time
import unicodedata
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.demo.care import CareSummary
from gonghui.demo.services import DemoSummary, demo_care_add, demo_county_create
from gonghui.orgs.models import Organisation, OrgKind

#: From this many workers on, the build reports its progress on stderr.
PROGRESS_FROM_SCALE = 100_000


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = (
        "Build a fictional county (organisations, employers, workers and members, staff "
        "sign-ins, needy-worker files, aid, outreach, spring jobs and counselling) from a seed. "
        "The same scale and seed always give the same county."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=20_000,
            help="Number of workers to create (the county has about one employer per 25).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generator.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
        parser.add_argument(
            "--force", action="store_true", help="Wipe an existing demo county and build again."
        )
        parser.add_argument(
            "--care-only",
            action="store_true",
            help=(
                "Add the care data (aid, needy-worker files, outreach, spring jobs, "
                "counselling) to a demo county built without them."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when any organisation exists already.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Organisation.objects.exists():
            return
        scale = options["scale"]
        started = time.monotonic()
        progress = None
        if scale >= PROGRESS_FROM_SCALE or options["verbosity"] >= 2:

            def progress(message: str) -> None:
                self.stderr.write(f"[{time.monotonic() - started:6.1f}s] {message}")

        if options["care_only"]:
            try:
                care = demo_care_add(progress=progress)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            seconds = time.monotonic() - started
            if options["json"]:
                data = {**asdict(care), "seconds": round(seconds, 2)}
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                out = self.stdout.write
                out(_("Care data added in %(s).1f s.") % {"s": seconds})
                self._print_care(care)
            return
        try:
            summary = demo_county_create(
                seed=options["seed"], scale=scale, force=options["force"], progress=progress
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        seconds = time.monotonic() - started
        if options["json"]:
            data = asdict(summary)
            data["seconds"] = round(seconds, 2)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self._print(summary, seconds)

    def _print_portal(self, portal) -> None:
        out = self.stdout.write
        out(
            _(
                "Workers sign into the portal at /m/ with a mobile number and a code sent by "
                "text message. With the console text-message backend (the default of make run) "
                "the code appears in the terminal where the server runs. Demo numbers:"
            )
        )
        for login in portal:
            if not login.name:
                who = _("no file yet: try linking one")
            elif login.union:
                who = f"{login.name} · {login.union}"
            else:
                who = _("%(name)s · not a member") % {"name": login.name}
            out(f"  {login.phone}  {who}")
        out("")

    def _print_care(self, care: CareSummary) -> None:
        for indent, label, value in _care_lines(care):
            self.stdout.write(f"  {_pad('  ' * indent + label, 32)}{value:>10,}")

    def _print(self, summary: DemoSummary, seconds: float) -> None:
        out = self.stdout.write
        out(
            _("Demo county built: %(county)s (seed %(seed)s, %(scale)s workers) in %(s).1f s.")
            % {
                "county": summary.county,
                "seed": summary.seed,
                "scale": f"{summary.scale:,}",
                "s": seconds,
            }
        )
        out("")
        lines = [
            (0, str(label), summary.organisations[kind], None) for kind, label in OrgKind.choices
        ]
        lines += [
            (0, _("Employers"), summary.employers, None),
            (1, _("without a union"), summary.employers_without_union, summary.employers),
            (1, _("with 25 or more employees"), summary.large_employers, None),
            (
                2,
                _("of which without a union"),
                summary.large_employers_without_union,
                summary.large_employers,
            ),
            (0, _("Employees in all employers"), summary.employees, None),
            (0, _("Workers registered"), summary.workers, None),
            (1, _("union members"), summary.members, summary.workers),
            (2, _("of which joined this year"), summary.members_joined_this_year, None),
            (1, _("join applications waiting"), summary.pending_applications, None),
        ]
        for indent, label, value, whole in lines:
            share = f"  ({_percent(value, whole)})" if whole is not None else ""
            out(f"  {_pad('  ' * indent + label, 32)}{value:>10,}{share}")
        self._print_care(summary.care)
        out("")
        columns = (_("User name"), _("Role"), _("Password"), _("Organisation"))
        rows = [(x.username, x.role, x.password, x.organisation) for x in summary.logins]
        widths = [max(_width(row[i]) for row in [columns, *rows]) + 2 for i in range(3)]
        for row in [columns, *rows]:
            cells = [_pad(cell, width) for cell, width in zip(row[:3], widths, strict=True)]
            out("  " + "".join(cells) + row[3])
        out("")
        totp = summary.authenticator
        out(
            _(
                "“%(username)s”, “sysadmin”, “secadmin” and “auditor” sign in with a second "
                "factor. Add this key to an authenticator app:"
            )
            % {"username": totp.username}
        )
        out("  " + _("secret: %(secret)s") % {"secret": totp.secret})
        out("  " + _("link: %(uri)s") % {"uri": totp.uri})
        out("  " + _("current code: %(code)s") % {"code": totp.code})
        out("")
        self._print_portal(summary.portal)
        out(
            self.style.WARNING(
                _(
                    "The demo password and authenticator key are public. They are for "
                    "demonstrations only: production accounts must choose their own password."
                )
            )
        )


def _care_lines(care: CareSummary) -> list[tuple[int, str, int]]:
    return [
        (0, _("Needy-worker files"), care.needy_files),
        (1, _("filed"), care.needy_filed),
        (1, _("exited"), care.needy_exited),
        (0, _("Aid campaigns"), care.campaigns),
        (1, _("funds"), care.funds),
        (0, _("Aid applications of past years"), care.past_applications),
        (0, _("Aid applications this year"), sum(care.current_applications.values())),
        (1, _("awaiting the county"), care.awaiting_county),
        (0, _("Aid payments"), care.payments),
        (0, _("Cooling deliveries"), care.deliveries),
        (0, _("Visits"), care.visits),
        (0, _("Micro-wishes"), care.wishes),
        (0, _("Job postings"), care.job_postings),
        (1, _("job applications"), care.job_applications),
        (0, _("Counselling slots"), care.counselling_slots),
        (1, _("bookings"), care.counselling_bookings),
    ]


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"
