import pytest

from gonghui.conftest import neighbours_build
from gonghui.core.idnumbers import complete_id_number
from gonghui.people.services import person_create
from gonghui.rights import services


@pytest.fixture
def neighbours(county):
    return neighbours_build(county)


@pytest.fixture
def worker(county):
    """A worker of employer E1 (township T1, union G1)."""
    return person_create(
        by=county.admin,
        name="维权甲",
        id_number=complete_id_number("33010619800101001"),
        phone="13800000001",
        employer=county.e1,
    )


@pytest.fixture
def lodge(county, worker):
    """Lodge a case at T1 by T1's staff (keywords override the defaults)."""

    def make(**overrides):
        values = {
            "by": county.t1staff,
            "kind": "mediation",
            "channel": "hotline",
            "category": "wages",
            "summary": "三个月工资未发",
            "workers": [worker],
            "employer": county.e1,
        }
        values.update(overrides)
        return services.case_lodge(**values)

    return make
