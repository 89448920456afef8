"""The extension points of an employer's page and an organisation's page: sections
other apps add (collective contracts, rights cases, the workers' congress on an
employer; reading rooms, activities, offers on a union) without the orgs app
knowing them.
The mechanism is ``core.sections``; an app registers in its ``AppConfig.ready()``::

    from gonghui.orgs.sections import register_employer_section

    register_employer_section(
        label=_("Collective contracts"),
        template="contracts/_employer_section.html",
        context_func=lambda employer, user: {"contracts": ...},
        permission="contracts.view_collectivecontract",
        order=10,
    )

``register_organisation_section`` works the same on an organisation's page; its
sections receive the record as ``organisation`` and should count over the
organisation's subtree (``Model.objects.for_user(user).in_subtree(organisation)``)
where the work is a union's.
"""

from __future__ import annotations

from gonghui.core.sections import Section, Sections

EMPLOYER_SECTIONS = Sections("employer")
EmployerSection = Section

register_employer_section = EMPLOYER_SECTIONS.register
render_employer_sections = EMPLOYER_SECTIONS.render

ORGANISATION_SECTIONS = Sections("organisation")

register_organisation_section = ORGANISATION_SECTIONS.register
render_organisation_sections = ORGANISATION_SECTIONS.render
