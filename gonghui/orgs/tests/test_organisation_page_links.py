"""An organisation's page links only to organisations the reader may open."""

from django.urls import reverse


def test_a_chair_sees_the_parent_named_but_not_linked(client, county):
    client.force_login(county.chair1)
    page = client.get(reverse("orgs:organisation-detail", args=[county.g1.pk])).content.decode()
    assert county.t1.name in page
    assert county.t1.get_absolute_url() not in page
    # The link would have answered 404.
    assert client.get(county.t1.get_absolute_url()).status_code == 404


def test_township_staff_follow_the_link_to_their_own_township(client, county):
    client.force_login(county.t1staff)
    page = client.get(reverse("orgs:organisation-detail", args=[county.g1.pk])).content.decode()
    assert f'href="{county.t1.get_absolute_url()}"' in page
    assert client.get(county.t1.get_absolute_url()).status_code == 200
