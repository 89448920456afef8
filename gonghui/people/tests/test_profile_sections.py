"""The extension point of a person's file: sections that other apps register."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from gonghui.people.profile import ProfileSection, register_section, unregister_section


@dataclass
class Registered:
    section: ProfileSection
    calls: list = field(default_factory=list)


@pytest.fixture
def aid_section(tmp_path, settings):
    """A section as a later app would register it, with a template of its own."""
    template_dir = tmp_path / "templates"
    (template_dir / "example_section").mkdir(parents=True)
    (template_dir / "example_section" / "_person_section.html").write_text(
        "<p class='aid'>{{ person.name }}: {{ count }} aid records, seen by {{ viewer }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    calls = []

    def context(person, user):
        calls.append((person.pk, user.username))
        return {"count": 2, "viewer": user.username}

    section = register_section(
        "Aid",
        "example_section/_person_section.html",
        context,
        permission="people.change_person",
        order=20,
    )
    yield Registered(section, calls)
    unregister_section(section)


def test_a_registered_section_appears_on_the_file_with_its_context(
    people, client_for, county, aid_section
):
    html = client_for(county.chair1).get(people.p1.get_absolute_url()).content.decode()

    assert "<h2>Aid</h2>" in html
    assert "<p class='aid'>张一: 2 aid records, seen by chair1</p>" in html
    assert aid_section.calls == [(people.p1.pk, "chair1")]


def test_a_section_is_hidden_from_users_without_its_permission(
    people, client_for, county, aid_section
):
    html = client_for(county.leader).get(people.p1.get_absolute_url()).content.decode()

    assert "aid records" not in html
    assert aid_section.calls == []


def test_an_unregistered_section_is_gone(people, client_for, county, aid_section):
    unregister_section(aid_section.section)

    html = client_for(county.chair1).get(people.p1.get_absolute_url()).content.decode()

    assert "aid records" not in html
