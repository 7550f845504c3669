"""Who may see and change what: roles, scopes and the access file. Pure (no Streamlit).

A `Scope` is what one session may do. It is applied below the pages, where data is read
(`envol.queries.run_query`), exported (`envol.ingest.export_csv`) and written
(`envol.ingest.commit`, `envol.store.rollback_table`), so a page that forgets to check cannot
leak. Roles:

- `viewer`: aggregates, maps, funnels, scenario, for their clusters; no member-level rows
  (firm names, revenue, export revenue, who is hosted where), no member CSV;
- `director`: a viewer who also reads the member-level rows of their clusters;
- `analyst`: a director who also uploads, commits and rolls back the rows of their clusters;
- `admin`: everything, every cluster, and the tables that belong to no cluster.

Local mode (no `[auth]` in the secrets) is one user with every right: `LOCAL`.

The access file (TOML, `.streamlit/access.toml` beside the secrets, or `$ENVOL_ACCESS_FILE`)
maps a logged-in user to a role and clusters, by email, by an OIDC group/role claim, or by email
domain, in that order of precedence (see `.streamlit/access.example.toml`). Anything malformed
makes the whole file refused (`AccessFileError`): nobody gets in until it is fixed.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROLES = ("viewer", "director", "analyst", "admin")
ALL = "*"  # in `clusters`: every cluster
DEFAULT_CLAIMS = ("groups", "roles")
SECTIONS = ("users", "groups", "domains")
TOP_KEYS = ("group_claims", *SECTIONS)
RULE_KEYS = ("role", "clusters")
ENV_VAR = "ENVOL_ACCESS_FILE"
CLUSTER_ID = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Scope:
    """What one session may read and write. `clusters` None means every cluster."""

    identity: str  # the email (or name) of who is logged in; "local" in local mode
    role: str
    clusters: frozenset[str] | None
    local: bool = False

    @property
    def member_rows(self) -> bool:
        """May read member-level rows (of `clusters`)."""
        return self.role in ("director", "analyst", "admin")

    @property
    def can_write(self) -> bool:
        return self.role in ("analyst", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def allows(self, cluster_id: object) -> bool:
        """May this scope see (or, for a writer, change) rows of this cluster?"""
        if self.clusters is None:
            return True
        return isinstance(cluster_id, str) and cluster_id in self.clusters

    def restrict(self, clusters: Iterable[str]) -> list[str]:
        """The requested clusters that this scope may see, in the requested order."""
        return [c for c in clusters if self.allows(c)]

    def cache_key(self) -> tuple:
        """What a cached result depends on (not who: two users with one scope share it)."""
        return (self.member_rows, None if self.clusters is None else tuple(sorted(self.clusters)))


LOCAL = Scope("local", "admin", None, local=True)


def nobody(identity: str = "") -> Scope:
    """A scope that sees no cluster and may do nothing (fail closed)."""
    return Scope(identity, "viewer", frozenset())


class Forbidden(PermissionError):
    """An action this scope may not do. `reason` is an i18n key suffix (`access.forbidden.*`);
    `rows` names the offending rows (key, cluster) when the refusal is about rows."""

    def __init__(self, reason: str, *, table: str = "", rows: tuple[tuple[str, str], ...] = (),
                 total: int = 0):
        super().__init__(f"forbidden: {reason} {table} {list(rows)[:5]}".strip())
        self.reason, self.table, self.rows, self.total = reason, table, rows, total or len(rows)


# ---------------------------------------------------------------------------------------------
# The access file


class AccessFileError(ValueError):
    """The access file cannot be used. `rule` names what is wrong (i18n `access.bad.<rule>`),
    `where` the line or key, `value` what was found."""

    def __init__(self, path: Path, rule: str, where: str, value: str = ""):
        super().__init__(f"{path}: {where}: {rule} {value}".strip())
        self.path, self.rule, self.where, self.value = path, rule, where, value


@dataclass(frozen=True)
class Rule:
    role: str
    clusters: frozenset[str] | None  # None: every cluster


@dataclass(frozen=True)
class AccessFile:
    path: Path
    group_claims: tuple[str, ...]
    users: Mapping[str, Rule]
    groups: Mapping[str, Rule]
    domains: Mapping[str, Rule]


def default_path(secrets_files: Iterable[str | Path] = (), env: Mapping[str, str] | None = None
                 ) -> Path:
    """`$ENVOL_ACCESS_FILE`, else `access.toml` beside the first secrets file that exists,
    else `.streamlit/access.toml`."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR])
    for f in secrets_files:
        if Path(f).is_file():
            return Path(f).parent / "access.toml"
    return Path(".streamlit/access.toml")


def load(path: Path) -> AccessFile:
    """Read and check the access file; any problem raises `AccessFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AccessFileError(path, "missing", str(path)) from None
    except (OSError, UnicodeError) as error:
        raise AccessFileError(path, "unreadable", str(path), type(error).__name__) from None
    return parse(text, path)


def parse(text: str, path: Path = Path("access.toml")) -> AccessFile:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # "… (at line 4, column 1)" in Python 3.11
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        where = f"{found.group(1)}:{found.group(2)}" if found else "?"
        raise AccessFileError(path, "syntax", where,
                              re.sub(r"\s*\(at .*\)$", "", str(error))) from None
    for key in doc:
        if key not in TOP_KEYS:
            raise AccessFileError(path, "unknown_key", key)
    claims = doc.get("group_claims", list(DEFAULT_CLAIMS))
    if not (isinstance(claims, list) and claims and all(isinstance(c, str) and c
                                                        for c in claims)):
        raise AccessFileError(path, "claims", "group_claims", repr(claims))
    sections = {}
    for section in SECTIONS:
        table = doc.get(section, {})
        if not isinstance(table, dict):
            raise AccessFileError(path, "section", section, repr(table))
        rules = {}
        for name, body in table.items():
            where = f'{section}."{name}"'
            key = name.strip().lower() if section != "groups" else name
            if section == "users" and "@" not in key:
                raise AccessFileError(path, "email", where, name)
            if section == "domains" and ("@" in key or "." not in key):
                raise AccessFileError(path, "domain", where, name)
            rules[key] = _rule(path, where, body)
        sections[section] = rules
    if not any(sections.values()):
        raise AccessFileError(path, "empty", str(path))
    return AccessFile(path, tuple(claims), sections["users"], sections["groups"],
                      sections["domains"])


def _rule(path: Path, where: str, body: object) -> Rule:
    if not isinstance(body, dict):
        raise AccessFileError(path, "section", where, repr(body))
    for key in body:
        if key not in RULE_KEYS:
            raise AccessFileError(path, "unknown_key", f"{where}.{key}")
    role = body.get("role")
    if role not in ROLES:
        raise AccessFileError(path, "role", f"{where}.role", repr(role))
    clusters = body.get("clusters")
    if role == "admin":
        if clusters not in (None, [ALL]):
            raise AccessFileError(path, "admin_clusters", f"{where}.clusters", repr(clusters))
        return Rule(role, None)
    if clusters == [ALL]:
        return Rule(role, None)
    if not (isinstance(clusters, list) and clusters
            and all(isinstance(c, str) and CLUSTER_ID.fullmatch(c) for c in clusters)):
        raise AccessFileError(path, "clusters", f"{where}.clusters", repr(clusters))
    return Rule(role, frozenset(clusters))


def _claim_values(claims: Mapping[str, object], names: Iterable[str]) -> list[str]:
    out = []
    for name in names:
        value = claims.get(name)
        if isinstance(value, str):
            out += value.split() if " " in value else [value]
        elif isinstance(value, list | tuple):
            out += [v for v in value if isinstance(v, str)]
    return out


def identity_of(claims: Mapping[str, object]) -> str:
    """What a commit's author and the audit log record: the email, else the name, else sub."""
    for key in ("email", "preferred_username", "name", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "?"


def resolve(access: AccessFile, claims: Mapping[str, object]) -> Scope | None:
    """The scope of a logged-in user (their OIDC claims), or None if the file does not know
    them. Precedence: their email, then the first group (in the file's order) found in one of
    `group_claims`, then their email's domain. An email the provider marks as not verified
    (`email_verified = false`) matches neither an email nor a domain."""
    identity = identity_of(claims)
    email = claims.get("email")
    email = email.strip().lower() if isinstance(email, str) and "@" in email else None
    if email and claims.get("email_verified") is False:
        email = None
    rule = access.users.get(email) if email else None
    if rule is None:
        theirs = set(_claim_values(claims, access.group_claims))
        rule = next((r for g, r in access.groups.items() if g in theirs), None)
    if rule is None and email:
        rule = access.domains.get(email.rsplit("@", 1)[1])
    if rule is None:
        return None
    return Scope(identity, rule.role, rule.clusters)
