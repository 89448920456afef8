"""The console's navigation: apps add their areas here.

An entry is shown when the user holds its permission. A new app appends
its own ``NavItem``s in its ``AppConfig.ready()`` (see docs/architecture.md).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    area: Any
    label: Any
    url_name: str
    permission: str | None = None
    order: int = 100


NAVIGATION: list[NavItem] = [
    NavItem(
        _("Organisations"),
        _("Organisation tree"),
        "orgs:organisation-list",
        "orgs.view_organisation",
        10,
    ),
    NavItem(_("Organisations"), _("Employers"), "orgs:employer-list", "orgs.view_employer", 20),
]


def register(*items: NavItem) -> None:
    NAVIGATION.extend(items)


def navigation_for(user) -> list[tuple[Any, list[NavItem]]]:
    areas: dict[str, tuple[Any, list[NavItem]]] = {}
    for item in sorted(NAVIGATION, key=lambda i: i.order):
        if item.permission and not user.has_perm(item.permission):
            continue
        areas.setdefault(str(item.area), (item.area, []))[1].append(item)
    return list(areas.values())
