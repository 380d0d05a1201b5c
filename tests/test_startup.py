"""Several processes starting at once on a fresh database: one migrates and loads the bundled knowledge,
the others wait for it (PostgreSQL: advisory locks; SQLite: BEGIN IMMEDIATE in WAL mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from knowledge.store import Document

ROOT = Path(__file__).parents[1]


def test_eight_processes_start_together_on_a_fresh_database(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "GONGKAI_CACHE_DIR": str(tmp_path / "cache"), "GONGKAI_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    processes = [subprocess.Popen([sys.executable, "-m", "bot", "--db", db_url, "documents"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
                 for _ in range(8)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    assert [status for status, _out, _err in results] == [0] * 8, [err for _s, _o, err in results if err]
    assert all("Traceback" not in err for _s, _o, err in results)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Document)) == 3  # the bundled documents, once
    engine.dispose()
