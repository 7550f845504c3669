"""A throw-away PostgreSQL server on 127.0.0.1, for the deploy tests and the benchmark.

`throwaway()` runs Debian's PostgreSQL (`initdb` + `pg_ctl`, as the `postgres` user when run as
root: initdb refuses root) on a free loopback port with a temporary data directory, password
authentication (scram) for every connection, and stops it and deletes the directory on the way
out, failure or not. Not used by the app: a real deployment points `ENVOL_CATALOG` at its own
PostgreSQL (README, "Deploy").
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("ENVOL_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> bool:
    return (PG_BIN / "postgres").exists()


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root)."""
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
        """Create database `name`; returns its ENVOL_CATALOG value."""
        _as_postgres([str(PG_BIN / "createdb"),
                      "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name],
                     env={**os.environ, "PGPASSWORD": self.password})
        return self.catalog(name)


@contextmanager
def throwaway(max_connections: int = 100) -> Iterator[Postgres]:
    """PostgreSQL on 127.0.0.1, a free port, a temp data directory; stopped at the end."""
    root = Path(tempfile.mkdtemp(prefix="envol-pg-"))
    data = root / "data"
    started = False
    try:
        password = secrets.token_urlsafe(16)
        (root / "pw").write_text(password + "\n")
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
            shutil.chown(root / "pw", "postgres", "postgres")
        root.chmod(0o700)
        port = free_port()
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "envol", "--pwfile",
                      str(root / "pw"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"])
        (root / "pw").unlink()
        started = True
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "pg.log"),
                      "-w", "-t", "60", "-o",
                      f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off "
                      f"-c max_connections={max_connections}", "start"])
        pg = Postgres(root, port, password)
        _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                      "envol", "envol"], env={**os.environ, "PGPASSWORD": password})
        yield pg
    finally:
        if started:
            subprocess.run(["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
                           + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate",
                              "-w", "stop"], capture_output=True, timeout=60)
            time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)
