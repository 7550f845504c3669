"""Deploy tests: a throw-away PostgreSQL catalog on 127.0.0.1 (Debian's PostgreSQL 15)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.browser.conftest import free_port

PG_BIN = Path(os.environ.get("ENVOL_PG_BIN", "/usr/lib/postgresql/15/bin"))


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


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the `postgres` user (initdb refuses root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120,
                          **kwargs)


class Postgres:
    def __init__(self, root: Path, port: int, password: str):
        self.root, self.port, self.password = root, port, password
        self.user, self.dbname = "envol", "envol"

    def catalog(self, dbname: str | None = None) -> str:
        """The ENVOL_CATALOG value (no password in it)."""
        return (f"postgres:dbname={dbname or self.dbname} host=127.0.0.1 port={self.port} "
                f"user={self.user}")

    def create_database(self, name: str) -> str:
        _as_postgres([str(PG_BIN / "createdb"),
                      "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name],
                     env={**os.environ, "PGPASSWORD": self.password})
        return self.catalog(name)


@pytest.fixture(scope="session")
def postgres():
    """PostgreSQL on 127.0.0.1, a free port, a temp data directory; stopped at the end.

    Password authentication (scram) for every connection, so the tests exercise the password
    path (`ENVOL_CATALOG_PASSWORD`) for real.
    """
    root = Path(tempfile.mkdtemp(prefix="envol-pg-"))
    password = secrets.token_urlsafe(16)
    (root / "pw").write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(root / "pw", "postgres", "postgres")
    root.chmod(0o700)
    data = root / "data"
    port = free_port()
    _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "envol", "--pwfile",
                  str(root / "pw"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"])
    (root / "pw").unlink()
    _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "pg.log"), "-w",
                  "-t", "60", "-o",
                  f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=100",
                  "start"])
    pg = Postgres(root, port, password)
    try:
        _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                      "envol", "envol"], env={**os.environ, "PGPASSWORD": password})
        yield pg
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
                       + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                          "stop"], capture_output=True, timeout=60)
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


# The browser fixtures of tests/browser (Debian's Chromium, offline page), for the two-server test.
from tests.browser.conftest import browser_type_launch_args, offline_page  # noqa: E402, F401
