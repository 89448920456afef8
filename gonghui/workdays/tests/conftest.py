import pytest

from gonghui.workdays.calendar import forget_entered_years


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test reads the entered years afresh, and leaves none behind: a year entered in
    a test's transaction is rolled back with it, but a process keeps its copy of the
    entered years for ``calendar.REFRESH_SECONDS``."""
    forget_entered_years()
    yield
    forget_entered_years()
