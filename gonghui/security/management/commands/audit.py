"""``gonghui audit …``: the hash chains of the security log and the change history.

- ``verify`` walks every chain from its checkpoint to its head and prints how many
  links hold; at the first broken one it names the table, row and time and exits 1.
- ``seal`` seals the rows still waiting for their link (normally sealed right after
  they commit; a process that died in between leaves some).
- ``prune`` deletes, from the oldest end of each chain, rows past the retention
  (``security.chain.KEEP_DAYS``; ``--older-than`` may only lengthen it). Run it
  daily from the scheduler (docs/operations.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gonghui.security import chain
from gonghui.security.models import Chain


class Command(BaseCommand):
    help = "Verify, seal and prune the hash-chained security log and change history."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        subcommands.add_parser("verify", help="Walk every chain; exit 1 at the first broken link.")
        subcommands.add_parser("seal", help="Seal the rows still waiting for their link.")
        pruning = subcommands.add_parser(
            "prune", help="Delete the oldest rows past the retention, keeping a checkpoint."
        )
        pruning.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            dest="older_than",
            help="Only rows older than this many days (never fewer than the retention).",
        )

    def handle(self, *args, subcommand: str, **options):
        getattr(self, f"handle_{subcommand}")(**options)

    def handle_verify(self, **options):
        broken = None
        for name in Chain.values:
            result = chain.verify(name)
            self.stdout.write(
                _(
                    "%(chain)s: %(verified)d links verified, %(waiting)d rows waiting "
                    "to be sealed, head %(head)s"
                )
                % {
                    "chain": name,
                    "verified": result.verified,
                    "waiting": result.waiting,
                    "head": result.head_hash or "—",
                }
            )
            if result.broken is not None and broken is None:
                broken = result.broken
        if broken is not None:
            where = (
                _("table %(table)s, row %(row)s, %(time)s")
                % {
                    "table": broken.table,
                    "row": broken.row_id,
                    "time": formats.date_format(timezone.localtime(broken.at), "DATETIME_FORMAT"),
                }
                if broken.row_id is not None
                else _("the end of the chain")
            )
            raise CommandError(
                _("Chain %(chain)s is broken at %(where)s: %(reason)s.")
                % {"chain": broken.chain, "where": where, "reason": broken.reason}
            )

    def handle_seal(self, **options):
        for name, count in chain.seal_all().items():
            self.stdout.write(
                _("%(chain)s: %(count)d rows sealed") % {"chain": name, "count": count}
            )

    def handle_prune(self, *, older_than: int | None = None, **options):
        if older_than is not None and older_than < 0:
            raise CommandError(_("--older-than must be a number of days, 0 or more."))
        chain.seal_all()
        for name in Chain.values:
            pruned = chain.prune(name, older_than_days=older_than)
            self.stdout.write(
                _("%(chain)s: %(count)d rows older than %(cutoff)s deleted")
                % {
                    "chain": name,
                    "count": pruned.rows,
                    "cutoff": formats.date_format(
                        timezone.localtime(pruned.cutoff), "DATETIME_FORMAT"
                    ),
                }
            )
