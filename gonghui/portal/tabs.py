"""The portal's bottom navigation: each capability registers its tab here (from its
app's ``ready()``), so that a service whose pages do not exist has no tab at all."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tab:
    label: str | Promise
    url_name: str
    order: int


TABS: list[Tab] = []


def register_tab(label, url_name: str, order: int) -> None:
    if all(tab.url_name != url_name for tab in TABS):
        TABS.append(Tab(label, url_name, order))
        TABS.sort(key=lambda tab: tab.order)
