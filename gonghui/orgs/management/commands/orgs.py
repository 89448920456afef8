"""``gonghui orgs …``: the organisation tree from the command line.

Subcommands hang off one argparse subparser so that later ones (import,
move, …) sit beside ``list``. The command line is an operator's tool: it
reads the whole tree, not one user's scope.
"""

from __future__ import annotations

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Organisation


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = "Work with the organisation tree."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        listing = subcommands.add_parser(
            "list", help="List organisations in tree order: code, name, kind, parent code."
        )
        listing.add_argument(
            "--json", action="store_true", dest="as_json", help="Print a JSON array."
        )
        listing.add_argument(
            "--under", metavar="CODE", help="Only this organisation and everything under it."
        )

    def handle(self, *args, subcommand: str, **options):
        getattr(self, f"handle_{subcommand}")(**options)

    def handle_list(self, *, as_json: bool = False, under: str | None = None, **options):
        organisations = Organisation.objects.select_related("parent").order_by("path")
        top_depth = 0
        if under:
            root = Organisation.objects.filter(code=under).first()
            if root is None:
                raise CommandError(_("No organisation has the code “%(code)s”.") % {"code": under})
            organisations = organisations.filter(subtree_q(root.path))
            top_depth = root.depth
        rows = [
            {
                "code": org.code,
                "name": org.name,
                "kind": org.kind,
                "parent": org.parent.code if org.parent_id else None,
                "depth": org.depth - top_depth,
            }
            for org in organisations
        ]
        if as_json:
            for row in rows:
                del row["depth"]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.write_table(rows)

    def write_table(self, rows: list[dict]) -> None:
        headers = {"code": _("code"), "name": _("name"), "kind": _("kind"), "parent": _("parent")}
        cells = [
            {
                "code": row["code"],
                # Indented by depth, so the table reads as the tree it is.
                "name": "  " * row["depth"] + row["name"],
                "kind": row["kind"],
                "parent": row["parent"] or "-",
            }
            for row in rows
        ]
        widths = {
            key: max(display_width(str(line[key])) for line in [headers, *cells]) for key in headers
        }
        for line in [headers, *cells]:
            self.stdout.write(
                "  ".join(pad(str(line[key]), widths[key]) for key in headers).rstrip()
            )
