"""Settings: secrets never printed, the environment read in one module, what the index cache depends on."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import bm25s
import jieba
import pytest

from bot.app import App
from bot.settings import Settings, SettingsError
from knowledge import index

ROOT = Path(__file__).parents[1]
TOKEN, SECRET, PASSWORD = "123456:AAEx-secret-token", "hook-secret-value", "db-pa55word"


def test_repr_of_the_settings_and_of_the_app_hides_the_token_the_webhook_secret_and_the_password(
        sqlite_url: str) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    settings = Settings.from_env(env, db=f"postgresql://bot:{PASSWORD}@db.example/gongkai?password={PASSWORD}")
    for shown in (repr(settings), str(settings), str(settings.masked())):
        assert TOKEN not in shown and TOKEN[:6] not in shown and SECRET not in shown and PASSWORD not in shown
        assert "bot:***@db.example/gongkai" in shown  # the rest stays readable
    app = App(Settings.from_env(env, db=sqlite_url))
    try:
        assert TOKEN not in repr(app) and SECRET not in repr(app) and "**********" in repr(app)
    finally:
        app.close()


@pytest.mark.parametrize(("env", "expected"), [
    ({"LOG_LEVEL": "BOGUS"}, "log_level"),
    ({"TELEGRAM_PORT": "http"}, "port"),
    ({"DUE_SOON_DAYS": "0"}, "working_days"),
])
def test_a_bad_value_says_what_it_should_be(env: dict[str, str], expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env, db="x.sqlite3")
    assert caught.value.expected == expected


@pytest.mark.parametrize("url", ["mysql://x@y/z", "oracle://a@b/c", "postgresql+psycopg2://a@b/c",
                                 "postgresql://a@b:port/c"])
def test_only_sqlite_and_postgresql_are_accepted(url: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({}, db=url)
    assert caught.value.expected == "database" and caught.value.name == "--db"
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"DATABASE_URL": url})
    assert caught.value.name == "DATABASE_URL"


def _reads_environment(path: Path) -> list[int]:
    """Lines where a module touches the process environment (os.environ, os.getenv, putenv …)."""
    names = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            used = {node.attr}
        elif isinstance(node, ast.Name):
            used = {node.id}
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            used = {a.name for a in node.names}
        else:
            continue
        if used & names:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", sorted(p for package in ("bot", "knowledge", "handlers")
                                        for p in (ROOT / package).rglob("*.py")), ids=str)
def test_no_module_but_the_settings_reads_the_environment(path: Path) -> None:
    if path == ROOT / "bot" / "settings.py":
        assert _reads_environment(path)  # the walk finds what it looks for
        return
    assert _reads_environment(path) == []


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """knowledge/data copied, and the cache key computed from the copy."""
    folder = tmp_path / "data"
    with resources.as_file(resources.files("knowledge") / "data") as source:
        shutil.copytree(source, folder)
    monkeypatch.setattr(index, "DATA", folder)
    index.dependencies_digest.cache_clear()
    yield folder
    index.dependencies_digest.cache_clear()


def _key() -> str:
    index.dependencies_digest.cache_clear()
    return index.cache_key("sqlite:///x|abc", 3)


def test_the_index_cache_key_changes_with_every_data_file(data_copy: Path) -> None:
    names = sorted(p.name for p in data_copy.iterdir())
    assert {"userdict.txt", "synonyms.txt", "stopwords.txt", "guide.md", "tiaoli_2019.txt",
            "hecheng_2019.txt"} <= set(names)
    keys = {_key()}
    for name in names:
        with (data_copy / name).open("a", encoding="utf-8") as fh:
            fh.write("\n# 改动\n")
        keys.add(_key())
    assert len(keys) == len(names) + 1  # each change made a new key: a stale cached index is not read
    (data_copy / "new.txt").write_text("新文件", encoding="utf-8")
    assert _key() not in keys


def test_the_index_cache_key_changes_with_jieba_and_bm25s(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _key()
    monkeypatch.setattr(jieba, "__version__", "0.99")
    after_jieba = _key()
    monkeypatch.setattr(bm25s, "__version__", "9.9")
    assert len({before, after_jieba, _key()}) == 3
