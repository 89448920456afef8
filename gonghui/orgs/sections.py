"""The extension point of an employer's page: sections other apps add (collective
contracts, rights cases, the workers' congress) without the orgs app knowing them.
The mechanism is ``core.sections``; an app registers in its ``AppConfig.ready()``::

    from gonghui.orgs.sections import register_employer_section

    register_employer_section(
        label=_("Collective contracts"),
        template="contracts/_employer_section.html",
        context_func=lambda employer, user: {"contracts": ...},
        permission="contracts.view_collectivecontract",
        order=10,
    )
"""

from __future__ import annotations

from gonghui.core.sections import Section, Sections

EMPLOYER_SECTIONS = Sections("employer")
EmployerSection = Section

register_employer_section = EMPLOYER_SECTIONS.register
render_employer_sections = EMPLOYER_SECTIONS.render
