"""Deploy tests: a throw-away PostgreSQL catalog on 127.0.0.1 (Debian's PostgreSQL 15)."""

from __future__ import annotations

import os

import pytest

from envol import pgserver

PG_BIN = pgserver.PG_BIN


def pytest_collection_modifyitems(items):
    if (PG_BIN / "postgres").exists():
        return
    deploy = [item for item in items if "tests/deploy" in str(item.fspath)]
    if not deploy:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true and no PostgreSQL at {PG_BIN}: deploy tests cannot be "
                                "skipped under CI (make test installs Debian's postgresql)")
    skip = pytest.mark.skip(reason=f"no PostgreSQL at {PG_BIN} (make test installs it)")
    for item in deploy:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres():
    """PostgreSQL on 127.0.0.1, a free port, a temp data directory; stopped at the end.

    Password authentication (scram) for every connection, so the tests exercise the password
    path (`ENVOL_CATALOG_PASSWORD`) for real (envol/pgserver.py, shared with the benchmark).
    """
    with pgserver.throwaway() as pg:
        yield pg


# The browser fixtures of tests/browser (Debian's Chromium, offline page), for the two-server test.
from tests.browser.conftest import browser_type_launch_args, offline_page  # noqa: E402, F401
