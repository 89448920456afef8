"""The extension point of an employer's page: sections other apps add.

Like a person's page (``people.profile``), an employer's page shows what later
apps hold about the employer (collective contracts, rights cases, the workers'
congress) without the orgs app knowing them. An app registers a section in its
``AppConfig.ready()``::

    from gonghui.orgs.sections import register_employer_section

    register_employer_section(
        label=_("Collective contracts"),
        template="contracts/_employer_section.html",
        context_func=lambda employer, user: {"contracts": ...},
        permission="contracts.view_collectivecontract",
        order=10,
    )

``context_func(employer, user)`` returns the template's context (``employer``
is added to it); it reads through ``Model.objects.for_user(user)`` like every
other page, in a fixed number of queries. A section is shown only to users
holding ``permission`` (None: everyone who may see the employer), in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

ContextFunc = Callable[[Any, Any], dict]


@dataclass(frozen=True)
class EmployerSection:
    label: Any
    template: str
    context_func: ContextFunc
    permission: str | None = None
    order: int = 100


SECTIONS: list[EmployerSection] = []


def register_employer_section(
    label: Any,
    template: str,
    context_func: ContextFunc,
    permission: str | None = None,
    order: int = 100,
) -> EmployerSection:
    """Add a section to every employer's page (registering the same template twice adds it once)."""
    for existing in SECTIONS:
        if existing.template == template:
            return existing
    section = EmployerSection(label, template, context_func, permission, order)
    SECTIONS.append(section)
    return section


def render_employer_sections(employer, request) -> list[tuple[Any, str]]:
    """(label, rendered HTML) of every section ``request.user`` may see, in order."""
    user = request.user
    visible = [s for s in SECTIONS if s.permission is None or user.has_perm(s.permission)]
    rendered = []
    for section in sorted(visible, key=lambda s: s.order):
        context = {**section.context_func(employer, user), "employer": employer}
        rendered.append(
            (section.label, render_to_string(section.template, context, request=request))
        )
    return rendered
