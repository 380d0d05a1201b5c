"""The knowledge base works the same on SQLite and PostgreSQL: bundled load, ingest, replace, answer."""

from pathlib import Path

from bot.answers import render
from bot.app import App
from bot.settings import Settings

REPORTS = Path(__file__).parent / "data" / "reports"


def test_bundled_knowledge_ingest_and_answers_on_each_backend(db_url: str, tmp_path: Path) -> None:
    app = App(Settings.from_env(env={}, db=db_url).with_(cache_dir=tmp_path / "cache"))
    try:
        assert "63" in render(app.matcher.answer("区长信箱收到多少封来信？"))
        kinds = sorted(d.kind for d, _ in app.knowledge.documents())
        assert kinds == ["guide", "regulation", "report"]
        first = app.knowledge.ingest(REPORTS / "10_hongze_2024.txt")
        again = app.knowledge.ingest(REPORTS / "pdf" / "10_hongze_2024.pdf")
        assert first.ok and again.ok and again.replaced
        assert len(app.knowledge.documents()) == 4
        assert "2776" in render(app.matcher.answer("洪泽区2024年行政处罚本年处理决定多少件"))
    finally:
        app.close()


def test_a_restart_reuses_the_index_cache_and_sees_new_documents(sqlite_url: str, tmp_path: Path) -> None:
    settings = Settings.from_env(env={}, db=sqlite_url).with_(cache_dir=tmp_path / "cache")
    app = App(settings)
    app.knowledge.index()
    app.close()
    assert list((tmp_path / "cache").glob("index-*.pickle"))
    other = App(settings)
    other.knowledge.ingest(REPORTS / "11_huaian_2024.txt")
    assert "3119" in render(other.matcher.answer("淮安市2024年本年新收政府信息公开申请总计多少件？"))
    other.close()
