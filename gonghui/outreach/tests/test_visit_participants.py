"""The staff who took part in a visit are chosen by name among the staff of the
user's own subtree."""

from __future__ import annotations

import re

from django.urls import reverse


def visitor_options(client) -> dict[str, str]:
    """The visit form's staff visitors: option value → label."""
    page = client.get(reverse("outreach:visit-create")).content.decode()
    select = re.search(r'<select name="visitors".*?</select>', page, re.S)
    assert select, "the visit form has no staff visitors list"
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select.group(0)))


def test_visitors_are_listed_by_name_with_their_organisation(county, client_for):
    county.chair1.last_name, county.chair1.first_name = "陈", "一"
    county.chair1.save()

    options = visitor_options(client_for(county.t1staff))

    assert options[str(county.chair1.pk)] == "陈一 (东镇机械厂工会)"
    # An account without a name is shown by its login name.
    assert options[str(county.chair2.pk)] == "chair2 (东镇纺织厂工会)"


def test_only_the_staff_of_the_users_subtree_are_listed(county, client_for):
    options = visitor_options(client_for(county.t1staff))

    assert set(options) == {str(u.pk) for u in (county.t1staff, county.chair1, county.chair2)}
    assert "t2staff" not in " ".join(options.values())
    assert "admin" not in " ".join(options.values())


def test_a_chair_lists_only_the_staff_of_the_own_union(county, client_for):
    options = visitor_options(client_for(county.chair1))

    assert set(options) == {str(county.chair1.pk)}
