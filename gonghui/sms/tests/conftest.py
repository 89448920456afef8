# The failing backend's fixture, for every test of the package.
from gonghui.sms.tests.test_sms_retry import failing  # noqa: F401
