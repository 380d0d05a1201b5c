"""Shared fixtures: databases (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.settings import normalize_database_url
from knowledge import textproc

DATA = Path(__file__).parent / "data"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
pytest_plugins = ["tests.web_fixtures"]


def _postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = normalize_database_url(POSTGRES_URL)
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = admin_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for each backend; PostgreSQL runs where TEST_POSTGRES_URL is set (it is in CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set TEST_POSTGRES_URL so the PostgreSQL tests run")
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL variant not run here (CI runs it)")
    yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's data or cache directory."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    textproc.use_cache_dir(base / "cache")  # jieba's trimmed dictionary (the settings set it in the app)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `python -m bot …` in-process; returns (exit status, stdout, stderr)."""
    from bot.__main__ import register_channels
    from bot.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(args), channels=register_channels)
        out, err = capsys.readouterr()
        return status, out, err

    return run
