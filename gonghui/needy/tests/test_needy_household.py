"""Household members: ID numbers kept encrypted, households recognised across files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gonghui.needy import selectors, services
from gonghui.needy.models import HouseholdMember, NeedyFile
from gonghui.needy.services import MemberData
from gonghui.people.models import id_hash

from .conftest import open_file, valid_id


def test_member_id_numbers_are_stored_encrypted_with_the_person_hash(county, workers):
    file = open_file(county.t1staff, workers.w1)
    member = file.household.get(name="陈妻")
    assert valid_id(101) not in member.id_number_encrypted
    assert member.plain_id_number() == valid_id(101)
    assert member.id_hash == id_hash(valid_id(101))
    assert member.masked_id_number() == valid_id(101)[:3] + "*" * 11 + valid_id(101)[-4:]


def test_two_files_listing_the_same_household_member_are_flagged(county, workers):
    first = open_file(county.t1staff, workers.w1)
    # w3 in the other township lists the same child.
    second = open_file(
        county.t2staff,
        workers.w3,
        household=[MemberData("张小", "child", valid_id(102, born=dt.date(2012, 6, 1)))],
    )
    unrelated = open_file(
        county.t1staff, workers.w2, household=[MemberData("某人", "parent", valid_id(201))]
    )

    assert list(selectors.shared_household_files(first)) == [second]
    assert list(selectors.shared_household_files(second)) == [first]
    assert list(selectors.shared_household_files(unrelated)) == []


def test_a_worker_listed_in_anothers_household_is_flagged(county, workers):
    husband = open_file(
        county.t1staff, workers.w1, household=[MemberData("李二", "spouse", valid_id(2))]
    )
    wife = open_file(county.t1staff, workers.w2, household=[])

    assert list(selectors.shared_household_files(husband)) == [wife]
    assert list(selectors.shared_household_files(wife)) == [husband]
    assert list(selectors.people_sharing_household(workers.w1)) == [workers.w2]
    assert list(selectors.people_sharing_household(workers.w2)) == [workers.w1]


def test_two_parents_listing_one_child_share_a_household(county, workers):
    child = MemberData("张小", "child", valid_id(102, born=dt.date(2012, 6, 1)))
    open_file(county.t1staff, workers.w1, household=[child])
    open_file(county.t2staff, workers.w3, household=[child])
    open_file(county.t1staff, workers.w2, household=[MemberData("某人", "parent", valid_id(201))])

    assert list(selectors.people_sharing_household(workers.w1)) == [workers.w3]
    assert list(selectors.people_sharing_household(workers.w3)) == [workers.w1]
    assert list(selectors.people_sharing_household(workers.w2)) == []


def test_the_shared_household_filter_finds_both_files_and_only_them(county, workers, clock):
    child = MemberData("张小", "child", valid_id(102, born=dt.date(2012, 6, 1)))
    husband = open_file(county.t1staff, workers.w1, household=[child])
    open_file(county.t1staff, workers.w2, household=[MemberData("某人", "parent", valid_id(201))])
    lone = open_file(county.t2staff, workers.w3, household=[])
    assert list(selectors.with_shared_household(NeedyFile.objects.all())) == []

    # The same worker's next file lists the same household again: still not shared.
    services.needy_file_withdraw(by=county.t1staff, file=husband, reason="撤回")
    again = open_file(county.t1staff, workers.w1, household=[child])
    assert list(selectors.with_shared_household(NeedyFile.objects.all())) == []

    # w3 lists the child as well; and a fourth file lists w3 as a spouse.
    services.needy_file_withdraw(by=county.t2staff, file=lone, reason="撤回")
    third = open_file(county.t2staff, workers.w3, household=[child])
    shared = set(selectors.with_shared_household(NeedyFile.objects.all()))
    assert shared == {husband, again, third}


def test_a_worker_listed_elsewhere_is_found_by_the_filter(county, workers):
    husband = open_file(
        county.t1staff, workers.w1, household=[MemberData("李二", "spouse", valid_id(2))]
    )
    wife = open_file(county.t1staff, workers.w2, household=[])
    assert set(selectors.with_shared_household(NeedyFile.objects.all())) == {husband, wife}


def test_an_earlier_file_of_the_same_worker_is_not_flagged_on_the_detail(county, workers):
    first = open_file(county.t1staff, workers.w1)
    services.needy_file_withdraw(by=county.t1staff, file=first, reason="撤回")
    second = open_file(county.t1staff, workers.w1)
    assert list(selectors.shared_household_files(second)) == []


def test_the_worker_is_not_listed_in_their_own_household(county, workers):
    with pytest.raises(ValidationError, match="other than the worker"):
        open_file(county.t1staff, workers.w1, household=[MemberData("张一", "other", valid_id(1))])


def test_a_member_listed_twice_is_refused(county, workers):
    twice = [MemberData("陈妻", "spouse", valid_id(101)), MemberData("陈", "other", valid_id(101))]
    with pytest.raises(ValidationError, match="listed twice"):
        open_file(county.t1staff, workers.w1, household=twice)


def test_a_wrong_member_id_number_is_refused_by_name(county, workers):
    wrong = valid_id(101)[:-1] + ("0" if valid_id(101)[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="The ID number of 陈妻"):
        open_file(county.t1staff, workers.w1, household=[MemberData("陈妻", "spouse", wrong)])
    assert not HouseholdMember.objects.exists()


def test_a_member_without_an_id_number_is_kept_but_not_matched(county, workers):
    file = open_file(county.t1staff, workers.w1, household=[MemberData("小宝", "child")])
    other = open_file(county.t1staff, workers.w2, household=[MemberData("小宝", "child")])
    assert file.household.get().id_hash == ""
    assert list(selectors.shared_household_files(other)) == []
