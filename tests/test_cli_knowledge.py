"""The knowledge commands as a user runs them: ask (and its JSON contract), ingest, documents, where."""

import json
import zipfile
from pathlib import Path

import pytest

REPORTS = Path(__file__).parent / "data" / "reports"
CONTRACT_KEYS = {"question", "matched", "answer", "sources", "score"}


def test_ask_json_follows_the_contract_and_cites_its_source(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli("--db", sqlite_url, "ask", "--json", "区长信箱收到多少封来信？")
    result = json.loads(out)
    assert status == 0 and set(result) == CONTRACT_KEYS
    assert result["matched"] is True and "63" in result["answer"]
    assert result["sources"] == [{"document": "鹤城区2019年政府信息公开工作年度报告",
                                  "section": "一、总体情况 (一)积极主动公开各类信息"}]
    assert len(result["answer"]) <= 400


def test_ask_without_json_prints_what_a_citizen_reads(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli("--db", sqlite_url, "ask", "申请政府信息公开，多久能答复？")
    assert status == 0 and "20个工作日" in out and "出处" in out and not out.startswith("{")


def test_batch_keeps_one_line_per_question_blank_lines_included(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    batch = tmp_path / "q.txt"
    batch.write_text("区长信箱收到多少封来信？\n\n明天会下雨吗？\n", encoding="utf-8")
    status, out, _ = cli("--db", sqlite_url, "ask", "--json", "--batch", str(batch))
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [r["matched"] for r in lines] == [True, False, False]
    assert [r["question"] for r in lines] == ["区长信箱收到多少封来信？", "", "明天会下雨吗？"]


@pytest.mark.parametrize(
    "question",
    ["", "   \t ", "字" * 20000, "😀🎉👍", "\x00\x01\x1b[31m", "<script>alert(1)</script>", "？？？！！！"],
)
def test_bad_questions_get_a_plain_answer_never_a_traceback(cli, sqlite_url: str, question: str) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli("--db", sqlite_url, "ask", "--json", question)
    result = json.loads(out)
    assert status == 0 and result["matched"] is False
    assert result["answer"] and len(result["answer"]) <= 400 and "Traceback" not in err


def test_an_unreadable_batch_file_is_named(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    status, _, err = cli("--db", sqlite_url, "ask", "--batch", str(tmp_path / "missing.txt"))
    assert status == 2 and "missing.txt" in err


def test_ingest_lists_documents_and_reingesting_replaces(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli("--db", sqlite_url, "ingest", str(REPORTS / "11_huaian_2024.txt"))
    assert status == 0 and "淮安市人民政府2024年政府信息公开工作年度报告" in out
    status, out, _ = cli("--db", sqlite_url, "ingest", str(REPORTS / "pdf" / "11_huaian_2024.pdf"))
    assert status == 0 and "替换" in out
    _, out, _ = cli("--db", sqlite_url, "documents")
    assert out.count("淮安市人民政府2024年") == 1
    assert "鹤城区2019年" in out and "条例" in out and "办事指南" in out


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {
        "empty": tmp / "empty.txt",
        "binary": tmp / "binary.txt",
        "fake_docx": tmp / "fake.docx",
        "not_a_report": tmp / "notes.md",
        "unknown_type": tmp / "report.xyz",
        "broken_pdf": tmp / "broken.pdf",
        "missing": tmp / "missing.txt",
    }
    files["empty"].write_text("", encoding="utf-8")
    files["binary"].write_bytes(bytes(range(256)) * 8)
    files["fake_docx"].write_text("我不是 docx", encoding="utf-8")
    files["not_a_report"].write_text("# 购物清单\n苹果、牛奶。\n", encoding="utf-8")
    files["unknown_type"].write_text("一、总体情况", encoding="utf-8")
    files["broken_pdf"].write_bytes(b"%PDF-1.4\n garbage")
    return files


@pytest.mark.parametrize("kind", ["empty", "binary", "fake_docx", "not_a_report", "unknown_type",
                                  "broken_pdf", "missing"])
def test_a_file_that_cannot_be_parsed_gets_one_clear_line_and_nothing_is_stored(
    cli, sqlite_url: str, tmp_path: Path, kind: str  # type: ignore[no-untyped-def]
) -> None:
    path = _bad_files(tmp_path)[kind]
    _, before, _ = cli("--db", sqlite_url, "documents")
    status, out, err = cli("--db", sqlite_url, "ingest", str(path))
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and path.name in err and "Traceback" not in err
    _, after, _ = cli("--db", sqlite_url, "documents")
    assert after == before


def test_docx_and_html_reports_are_ingested(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    text = (REPORTS / "09_hongze_2023.txt").read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "hongze.docx"))
    html = ("<html><head><script>var x = '一、总体情况';</script><style>p{}</style></head><body><nav>首页 导航</nav>"
            + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>")
    (tmp_path / "hongze.html").write_text(html, encoding="utf-8")
    status, out, _ = cli("--db", sqlite_url, "ingest", str(tmp_path / "hongze.docx"))
    assert status == 0 and "洪泽区人民政府2023年" in out
    status, out, _ = cli("--db", sqlite_url, "ingest", str(tmp_path / "hongze.html"))
    assert status == 0 and "替换" in out
    _, out, _ = cli("--db", sqlite_url, "ask", "--json", "洪泽区2023年在政府网站主动公开了多少条信息？")
    assert "1136" in json.loads(out)["answer"]


def test_a_zip_that_is_not_a_docx_is_refused(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    status, _, err = cli("--db", sqlite_url, "ingest", str(path))
    assert status == 1 and "docx" in err


def test_where_shows_the_database_and_help_shows_the_default(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli("--db", sqlite_url, "where")
    assert status == 0 and "test.sqlite3" in out
    status, out, _ = cli()
    assert status == 0 and "默认数据库" in out and "gongkai.sqlite3" in out


def test_a_bare_path_means_a_sqlite_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sub" / "bot.db"
    status, _, _ = cli("--db", str(path), "documents")
    assert status == 0 and path.exists()


def test_a_database_that_cannot_be_opened_gets_a_plain_message(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = cli("--db", "postgresql://nobody@127.0.0.1:1/none", "documents")
    assert status == 2 and "无法连接数据库" in err and "Traceback" not in err


def test_a_bad_setting_gets_a_plain_message(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CORRECTION_DAYS", "abc")
    status, _, err = cli("documents")
    assert status == 2 and "CORRECTION_DAYS" in err and "Traceback" not in err
