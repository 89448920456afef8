"""The console's navigation offers the coverage pages to those who may see them."""

from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.conftest import make_user


def test_the_navigation_offers_coverage_to_those_who_may_see_it(county, client_for):
    overview = reverse("coverage:overview")
    assert overview in client_for(county.leader).get(reverse("core:home")).content.decode()
    mediator = make_user("mediator", county.root, Role.MEDIATOR)
    assert overview not in client_for(mediator).get(reverse("core:home")).content.decode()
