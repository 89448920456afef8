"""Pages other apps add sections to: a person's file (一人一档) and an employer's page.

The app that owns a page does not know the apps that hold something about its
record; each of those registers a section in its ``AppConfig.ready()`` on the
page's registry (``people.profile.register_section``,
``orgs.sections.register_employer_section``), and the page renders the sections
its reader may see.

``context_func(record, user)`` returns the section template's context (the record
is added under the registry's name, ``person`` or ``employer``); it reads through
``Model.objects.for_user(user)`` like every other page, in a fixed number of
queries. A section is shown only to users holding ``permission`` (None: everyone
who may see the record), in ``order``, then in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

ContextFunc = Callable[[Any, Any], dict]


@dataclass(frozen=True)
class Section:
    label: Any
    template: str
    context_func: ContextFunc
    permission: str | None = None
    order: int = 100


class Sections:
    """The sections of one kind of page; ``name`` is what the record is called in them."""

    def __init__(self, name: str):
        self.name = name
        self.sections: list[Section] = []

    def register(
        self,
        label: Any,
        template: str,
        context_func: ContextFunc,
        permission: str | None = None,
        order: int = 100,
    ) -> Section:
        """Add a section (a template registered again is not added twice); returns it."""
        for existing in self.sections:
            if existing.template == template:
                return existing
        section = Section(label, template, context_func, permission, order)
        self.sections.append(section)
        return section

    def unregister(self, section: Section) -> None:
        if section in self.sections:
            self.sections.remove(section)

    def visible(self, user) -> list[Section]:
        shown = [s for s in self.sections if s.permission is None or user.has_perm(s.permission)]
        return sorted(shown, key=lambda s: s.order)

    def render(self, record, request) -> list[tuple[Any, str]]:
        """(label, rendered HTML) of every section ``request.user`` may see."""
        rendered = []
        for section in self.visible(request.user):
            context = {**section.context_func(record, request.user), self.name: record}
            html = render_to_string(section.template, context, request=request)
            rendered.append((section.label, html))
        return rendered
