def test_the_personas_see_their_own_subtree(county):
    from gonghui.orgs.models import Employer

    assert set(Employer.objects.for_user(county.t1staff)) == {county.e1, county.e2}
    assert set(Employer.objects.for_user(county.chair1)) == {county.e1}
    assert set(Employer.objects.for_user(county.admin)) == {county.e1, county.e2, county.e3}
    assert not Employer.objects.for_user(county.outsider).exists()
