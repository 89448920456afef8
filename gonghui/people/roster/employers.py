"""Finding the employer a roster row names (see ``importer``)."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from gonghui.orgs.models import Employer, Organisation, OrgKind
from gonghui.people.services import route_union, township_joint_union

from .parse import cell_text

#: Credit codes per ``credit_code IN (…)`` query: below SQLite's 999 bound parameters.
LOOKUP_BATCH = 900
_CREDIT_CODE_DROP = re.compile(r"[\s\-]+")


class EmployerFinder:
    """Finds the employer a row names, caching every answer (the rules: ``importer``).

    The employers of the union are those it covers and those whose workers'
    join applications go to it (``people.services.route_union``, the one rule
    of both): for a township's joint union, the employers of that township
    without a union (and, for a worker of the eight groups, those whose union
    is no joint union), as far as the acting user sees them.
    """

    def __init__(self, *, by, union: Organisation):
        self.union = union
        self.scoped = (
            Employer.objects.for_user(by) if by is not None else Employer.objects.all()
        ).select_related("township", "union")
        covered = list(Employer.objects.filter(union=union).select_related("township", "union"))
        candidates = {employer.pk: employer for employer in covered}
        if union.kind == OrgKind.JOINT and union.parent_id is not None:
            for employer in self.scoped.filter(township_id=union.parent_id):
                candidates.setdefault(employer.pk, employer)
        self.single = covered[0] if len(covered) == 1 else None
        self.by_code: dict[str, Employer | None] = {e.credit_code: e for e in candidates.values()}
        self.by_name: dict[str, list[Employer]] = {}
        for employer in candidates.values():
            self.by_name.setdefault(_name_key(employer.name), []).append(employer)
        self._joint_unions: dict[int, Organisation | None] = {}

    def _joint_union_of(self, township_id: int) -> Organisation | None:
        if township_id not in self._joint_unions:
            self._joint_unions[township_id] = township_joint_union(township_id)
        return self._joint_unions[township_id]

    def belongs(self, employer: Employer, new_form_group: str = "") -> bool:
        """Whether the union covers ``employer`` or receives its workers' applications."""
        if employer.union_id == self.union.pk:
            return True
        routed, _route = route_union(
            employer, new_form_group=new_form_group, joint_union_of=self._joint_union_of
        )
        return routed is not None and routed.pk == self.union.pk

    def prefetch(self, codes: set[str]) -> None:
        missing = [code for code in codes if code not in self.by_code]
        for start in range(0, len(missing), LOOKUP_BATCH):
            batch = missing[start : start + LOOKUP_BATCH]
            found = {e.credit_code: e for e in self.scoped.filter(credit_code__in=batch)}
            for code in batch:
                self.by_code[code] = found.get(code)

    def resolve(
        self, name: str, code: str, new_form_group: str = ""
    ) -> tuple[Employer | None, str | None]:
        """(employer or None, a warning or None)."""
        if code:
            employer = self.by_code.get(code)
            if employer is not None:
                if not self.belongs(employer, new_form_group):
                    return employer, _(
                        "The employer %(employer)s is not covered by this union; the file "
                        "names it as the employer all the same."
                    ) % {"employer": employer.name}
                return employer, None
            if not name:
                return self._fallback(
                    _("No employer with the credit code %(code)s is registered in your area.")
                    % {"code": code}
                )
        if name:
            named = [
                employer
                for employer in self.by_name.get(_name_key(name), ())
                if self.belongs(employer, new_form_group)
            ]
            # Two employers of one name: the name alone decides nothing.
            if len(named) == 1:
                return named[0], None
            return self._fallback(
                _("No employer named “%(name)s” is covered by this union.") % {"name": name}
            )
        if self.single is not None:
            return self.single, None
        return None, _(
            "No employer was given and the union covers several employers (or none): the "
            "person was registered without an employer."
        )

    def _fallback(self, problem: str) -> tuple[Employer | None, str]:
        if self.single is not None:
            return self.single, _("%(problem)s The union's employer %(employer)s was taken.") % {
                "problem": problem,
                "employer": self.single.name,
            }
        return None, _("%(problem)s The person was registered without an employer.") % {
            "problem": problem
        }


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def credit_code(value) -> str:
    """A credit code cell as compared: NFKC, no spaces or dashes, upper case."""
    return _CREDIT_CODE_DROP.sub("", unicodedata.normalize("NFKC", cell_text(value))).upper()
