import pytest

from gonghui.security import chain


@pytest.fixture
def sealed():
    """Seal what the test wrote: a test runs inside one transaction that never
    commits, so the seal that follows a commit never comes by itself."""
    return chain.seal_all
