"""The extension point of a person's page (一人一档): sections other apps add.

A later app (aid, cases, awards, competitions) shows what it holds about a
person on the person's page by registering a section in its
``AppConfig.ready()`` (the mechanism is ``core.sections``)::

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

from gonghui.core.sections import Section, Sections

PERSON_SECTIONS = Sections("person")
ProfileSection = Section

register_section = PERSON_SECTIONS.register
unregister_section = PERSON_SECTIONS.unregister
sections_for = PERSON_SECTIONS.visible
render_sections = PERSON_SECTIONS.render
