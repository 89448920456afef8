"""The lock files and the environment agree, and the locks agree with pyproject.toml.

`make run` and `make test` install exactly what requirements.lock and
requirements-test.lock pin (`pip install --require-hashes --no-deps`). A lock that
drifts from pyproject.toml (a dependency added there but not locked, a range moved past
the pin) or an environment that drifts from the lock fails here, not on a machine
installed a month later. `make lock` regenerates both locks."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(name: str) -> dict[str, str]:
    """{canonical name: version} of a lock file; every pin carries its hashes."""
    text = (ROOT / name).read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{name}: {match[1]} has no hash"
            found[canonicalize_name(match[1])] = match[2]
    assert found, f"{name} pins nothing"
    return found


RUNTIME = pins("requirements.lock")
TEST = pins("requirements-test.lock")


def declared(extra: str | None) -> list[Requirement]:
    project = PYPROJECT["project"]
    lines = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def test_every_pin_of_the_test_lock_is_installed_at_that_version():
    wrong = {}
    for name, version in TEST.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = f"locked {version}, installed {installed}"
    assert not wrong, f"environment differs from requirements-test.lock (make test): {wrong}"


def test_the_test_lock_holds_the_runtime_lock_at_the_same_versions():
    differ = {n: (v, TEST.get(n)) for n, v in RUNTIME.items() if TEST.get(n) != v}
    assert not differ, f"(runtime, test) pins differ; run make lock: {differ}"


@pytest.mark.parametrize(
    "extra, lock",
    [(None, "requirements.lock"), ("test", "requirements-test.lock")],
    ids=["dependencies", "test extra"],
)
def test_every_declared_dependency_is_locked_within_its_range(extra, lock):
    locked = pins(lock)
    problems = []
    for req in declared(extra):
        name = canonicalize_name(req.name)
        if name not in locked:
            problems.append(f"{req} is not in {lock}")
        elif not req.specifier.contains(locked[name], prereleases=True):
            problems.append(f"{req}: {lock} pins {locked[name]}")
        for wanted in req.extras:
            # psycopg[binary]: what the extra brings must be locked too.
            for sub in metadata.requires(req.name) or []:
                sub_req = Requirement(sub)
                marker = sub_req.marker
                if marker and "extra" in str(marker) and marker.evaluate({"extra": wanted}):
                    if canonicalize_name(sub_req.name) not in locked:
                        problems.append(f"{sub_req.name} (from {req}) is not in {lock}")
    assert not problems, "pyproject.toml and the lock differ; run make lock:\n" + "\n".join(
        problems
    )
