"""The portal's bottom navigation and the home's list of services: each capability
registers its tab or its service here (from its app's ``ready()``), so that a service
whose pages do not exist has no tab and no link at all."""

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


#: The services on the home page (counselling, jobs, …), in order.
SERVICES: list[Tab] = []


def register_service(label, url_name: str, order: int) -> None:
    if all(service.url_name != url_name for service in SERVICES):
        SERVICES.append(Tab(label, url_name, order))
        SERVICES.sort(key=lambda service: service.order)
