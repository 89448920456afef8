"""``gonghui orgs list``: the organisation tree from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gonghui.orgs.services import organisation_create


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("orgs", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tree(county):
    """The persona county with one more level: an industry union with a union under it."""
    industry = organisation_create(
        by=county.superuser, code="I1", name="东镇商贸行业工会", kind="industry", parent=county.t1
    )
    organisation_create(
        by=county.superuser, code="G3", name="东镇超市工会", kind="grassroots", parent=industry
    )
    return county


def test_json_lists_every_organisation_in_tree_order_with_its_parent_code(tree):
    rows = json.loads(run("list", "--json"))

    assert rows == [
        {"code": "C", "name": "示例县总工会", "kind": "county", "parent": None},
        {"code": "T1", "name": "东镇总工会", "kind": "township", "parent": "C"},
        {"code": "G1", "name": "东镇机械厂工会", "kind": "grassroots", "parent": "T1"},
        {"code": "G2", "name": "东镇纺织厂工会", "kind": "grassroots", "parent": "T1"},
        {"code": "J1", "name": "东镇新业态联合工会", "kind": "joint", "parent": "T1"},
        {"code": "I1", "name": "东镇商贸行业工会", "kind": "industry", "parent": "T1"},
        {"code": "G3", "name": "东镇超市工会", "kind": "grassroots", "parent": "I1"},
        {"code": "T2", "name": "西镇总工会", "kind": "township", "parent": "C"},
    ]


def test_tree_order_follows_a_move_not_the_order_of_creation(tree):
    from gonghui.orgs.models import Organisation
    from gonghui.orgs.services import organisation_move

    organisation_move(
        by=tree.superuser,
        organisation=Organisation.objects.get(code="I1"),
        new_parent=tree.t2,
    )

    codes = [row["code"] for row in json.loads(run("list", "--json"))]

    assert codes == ["C", "T1", "G1", "G2", "J1", "T2", "I1", "G3"]


def test_under_lists_only_that_subtree(tree):
    rows = json.loads(run("list", "--json", "--under", "I1"))

    assert [(row["code"], row["parent"]) for row in rows] == [("I1", "T1"), ("G3", "I1")]


def test_under_an_unknown_code_is_a_clear_error(tree):
    with pytest.raises(CommandError, match="No organisation has the code “NOPE”"):
        run("list", "--under", "NOPE")


def test_the_plain_table_has_a_header_and_one_aligned_line_per_organisation(tree):
    lines = run("list", "--under", "T1").splitlines()

    assert lines[0].split() == ["code", "name", "kind", "parent"]
    assert [line.split() for line in lines[1:]] == [
        ["T1", "东镇总工会", "township", "C"],
        ["G1", "东镇机械厂工会", "grassroots", "T1"],
        ["G2", "东镇纺织厂工会", "grassroots", "T1"],
        ["J1", "东镇新业态联合工会", "joint", "T1"],
        ["I1", "东镇商贸行业工会", "industry", "T1"],
        ["G3", "东镇超市工会", "grassroots", "I1"],
    ]
    # Names are indented by depth under the listed root, and the kind column
    # starts at the same terminal column on every line (CJK characters are two wide).
    from gonghui.orgs.management.commands.orgs import display_width

    assert lines[1].split("东镇总工会")[0] == "T1    "
    assert lines[2].split("东镇机械厂工会")[0] == "G1      "
    assert lines[6].split("东镇超市工会")[0] == "G3        "
    kind_columns = {
        display_width(line[: line.index(kind)])
        for line, kind in zip(
            lines[1:],
            ["township", "grassroots", "grassroots", "joint", "industry", "grassroots"],
            strict=True,
        )
    }
    assert len(kind_columns) == 1


def test_the_root_has_no_parent_in_the_table(tree):
    lines = run("list").splitlines()

    assert lines[1].split() == ["C", "示例县总工会", "county", "-"]


def test_list_is_a_subcommand_and_a_missing_one_is_refused(db):
    with pytest.raises(CommandError, match="SUBCOMMAND"):
        run()
