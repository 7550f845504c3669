"""One setting chooses the catalog (issue 11): ENVOL_CATALOG, ENVOL_DATA_PATH, ENVOL_LAKE_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from envol import store


def test_the_default_is_a_duckdb_catalog_file_in_the_data_folder():
    config = store.LakeConfig.from_env({})
    assert config.catalog == str(store.ROOT / "data" / "lake" / "envol.ducklake")
    assert config.data_path == store.ROOT / "data" / "lake" / "files"
    assert not config.is_postgres and config.password is None


def test_envol_lake_dir_still_moves_both(tmp_path):
    config = store.LakeConfig.from_env({"ENVOL_LAKE_DIR": str(tmp_path)})
    assert config.catalog == str(tmp_path / "envol.ducklake")
    assert config.data_path == tmp_path / "files"


def test_postgres_catalog_with_a_shared_data_path_and_a_password_kept_out_of_sight():
    config = store.LakeConfig.from_env({
        "ENVOL_CATALOG": "postgres:dbname=envol host=db.internal user=envol",
        "ENVOL_DATA_PATH": "/mnt/envol-lake", "ENVOL_CATALOG_PASSWORD": "s3cr3t-value"})
    assert config.is_postgres
    assert config.catalog == "postgres:dbname=envol host=db.internal user=envol"
    assert config.data_path == Path("/mnt/envol-lake")
    assert config.password == "s3cr3t-value" and "s3cr3t-value" not in repr(config)


@pytest.mark.parametrize("catalog", ["sqlite:data/lake/envol.sqlite", "data/lake/envol.sqlite",
                                     "SQLITE:x", "x.sqlite3"])
def test_sqlite_catalogs_are_refused_with_a_clear_message(catalog):
    with pytest.raises(store.CatalogRefused, match="SQLite catalog is not supported"):
        store.LakeConfig.from_env({"ENVOL_CATALOG": catalog})
    with pytest.raises(store.CatalogRefused):
        store.open_lake(store.LakeConfig(catalog, Path("/nonexistent")))


def test_unknown_catalog_kinds_are_refused():
    with pytest.raises(store.CatalogRefused, match="unknown catalog kind 'mysql'"):
        store.LakeConfig.from_env({"ENVOL_CATALOG": "mysql:db=envol"})


def test_passwords_are_redacted_from_any_text():
    text = "at \"dbname=x password=hunter2 host=h\" and password = 'a b\\'c' end"
    assert store.redact(text) == "at \"dbname=x password=*** host=h\" and password = *** end"
    assert store.redact("found hunter2 here", "hunter2") == "found *** here"


def test_production_server_settings():
    """Issue 10: XSRF tokens on, cross-origin access closed (Streamlit's `enableCORS` is CORS
    *protection*: false would send `Access-Control-Allow-Origin: *` and accept a WebSocket from
    any site), uploads capped, error details hidden from users."""
    import tomllib

    config = tomllib.loads((store.ROOT / ".streamlit" / "config.toml").read_text())
    server, client = config["server"], config["client"]
    assert (server["enableXsrfProtection"], server["enableCORS"]) == (True, True)
    assert server["corsAllowedOrigins"] == [] and server["maxUploadSize"] == 200
    assert (client["showErrorDetails"], client["toolbarMode"]) == ("none", "viewer")


def test_config_runs_with_the_deploy_flags_and_the_bench_still_measures_the_defaults():
    """`make run` and every server get the two speed settings the concurrency bench measured
    (no file watcher, no gc.collect() after each run); its "defaults" case passes Streamlit's."""
    import tomllib

    from bench import concurrency

    config = tomllib.loads((store.ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False
    assert concurrency.DEPLOY_FLAGS == (
        "--server.fileWatcherType", "none", "--runner.postScriptGC", "false")
    assert concurrency.STREAMLIT_DEFAULTS == (
        "--server.fileWatcherType", "auto", "--runner.postScriptGC", "true")
