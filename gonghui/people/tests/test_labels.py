"""English labels: capitalised where shown, required fields marked, the eight groups named."""

from __future__ import annotations

import re

from django.urls import reverse

from gonghui.people.models import JoinApplication, Person
from gonghui.people.vocabularies import JoinRoute

LIST = reverse("people:person-list")


def test_table_headers_begin_with_a_capital_letter(people, client_for, county):
    html = client_for(county.admin).get(LIST).content.decode()

    headers = re.findall(r"<th>(.*?)</th>", html)
    assert headers[:3] == ["Name", "ID number", "Gender"]
    assert "New forms of employment group" in headers
    assert all(h[0].isupper() for h in headers), headers


def test_detail_labels_begin_with_a_capital_letter(people, client_for, county):
    client = client_for(county.admin)

    for url in (
        people.p1.get_absolute_url(),
        reverse("people:application-detail", args=[people.a4.pk]),
    ):
        labels = re.findall(r"<dt>(.*?)</dt>", client.get(url).content.decode())
        assert "Employer" in labels
        assert all(label[0].isupper() for label in labels), labels


def test_filter_labels_begin_with_a_capital_letter(people, client_for, county):
    html = client_for(county.admin).get(LIST).content.decode()
    start = html.index('<form class="filters"')
    form = html[start : html.index("</form>", start)]

    labels = re.findall(r"<label>([^<]*?) <", form)
    assert labels == ["Union", "Membership", "New forms of employment group", "Gender"]


def test_form_labels_begin_with_a_capital_letter_and_mark_required_fields(county, client_for):
    html = client_for(county.chair1).get(reverse("people:person-create")).content.decode()

    assert '<div class="field required">' in html
    assert '<label for="id_name">Name <abbr class="req" title="required">*</abbr></label>' in html
    assert (
        '<label for="id_id_number">ID number <abbr class="req" title="required">*</abbr></label>'
        in html
    )
    # Optional fields carry no mark.
    assert '<label for="id_phone">Mobile phone</label>' in html


def test_every_required_field_of_a_console_form_is_marked(county, client_for):
    client = client_for(county.chair1)
    for url in (reverse("people:person-create"), reverse("people:application-create")):
        response = client.get(url)
        html = response.content.decode()
        for field in response.context["form"].visible_fields():
            label = re.search(rf'<label for="{field.id_for_label}">(.*?)</label>', html).group(1)
            assert ('class="req"' in label) == field.field.required, (url, field.name, label)


def test_the_eight_groups_are_named_as_new_forms_of_employment(people, client_for, county):
    client = client_for(county.admin)
    pages = [
        client.get(LIST).content.decode(),
        client.get(people.p1.get_absolute_url()).content.decode(),
        client.get(reverse("people:person-create")).content.decode(),
    ]

    for html in pages:
        assert "business form" not in html
        assert "New forms of employment group" in html
    assert str(Person._meta.get_field("new_form_group").verbose_name) == (
        "new forms of employment group"
    )
    assert str(JoinApplication._meta.get_field("new_form_group").verbose_name) == (
        "new forms of employment group"
    )
    assert JoinRoute.JOINT_NEW_FORM.label == (
        "The township's joint union: a new-employment-form worker"
    )
