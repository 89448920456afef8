"""The extension point of a person's page (一人一档): sections other apps add.

A later app (aid, cases, awards, competitions) shows what it holds about a
person on the person's page by registering a section in its
``AppConfig.ready()``::

    from gonghui.people.profile import register_section

    def aid_context(person, user):
        return {"applications": AidApplication.objects.for_user(user).filter(person=person)}

    register_section(
        label=_("Aid"),
        template="aid/_person_section.html",
        context_func=aid_context,
        permission="aid.view_aidapplication",
        order=20,
    )

``context_func(person, user)`` returns the template's context (``person`` and
``user`` are added to it); it must read through ``Model.objects.for_user(user)``
like every other page, and select what it shows in a fixed number of queries.
A section is shown only to users holding ``permission`` (None: everyone who
may see the person). Sections appear in ``order``, then in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

ContextFunc = Callable[[Any, Any], dict]


@dataclass(frozen=True)
class ProfileSection:
    label: Any
    template: str
    context_func: ContextFunc
    permission: str | None = None
    order: int = 100


SECTIONS: list[ProfileSection] = []


def register_section(
    label: Any,
    template: str,
    context_func: ContextFunc,
    permission: str | None = None,
    order: int = 100,
) -> ProfileSection:
    """Add a section to every person's page; returns it (``unregister_section`` takes it back)."""
    section = ProfileSection(label, template, context_func, permission, order)
    SECTIONS.append(section)
    return section


def unregister_section(section: ProfileSection) -> None:
    if section in SECTIONS:
        SECTIONS.remove(section)


def sections_for(person, user) -> list[ProfileSection]:
    visible = [s for s in SECTIONS if s.permission is None or user.has_perm(s.permission)]
    return sorted(visible, key=lambda s: s.order)


def render_sections(person, request) -> list[tuple[Any, str]]:
    """(label, rendered HTML) of every section ``request.user`` may see."""
    rendered = []
    for section in sections_for(person, request.user):
        context = {**section.context_func(person, request.user), "person": person}
        rendered.append(
            (section.label, render_to_string(section.template, context, request=request))
        )
    return rendered
