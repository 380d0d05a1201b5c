"""What ingest never does: replace the bundled law, inflate a zip bomb, or show a traceback (issue 11)."""

from __future__ import annotations

import base64
import json
import random
import re
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

import knowledge.bundled
from bot.db import Database
from knowledge.bundled import ensure_bundled
from knowledge.store import Document

DATA = Path(__file__).parent / "data"
REPORTS = DATA / "reports"
CN = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    return CN[n] if n <= 10 else ("十" if n < 20 else CN[n // 10] + "十") + (CN[n % 10] if n % 10 else "")


def _regulation_lookalike() -> str:
    """Several reports pasted into one file, each quoting 《政府信息公开条例》 article by article: the
    reader takes it for the regulation."""
    quoted = "\n".join(f"第{_cn(i)}条 本机关依照条例做好第{i}项工作。" for i in range(1, 16))
    report = (REPORTS / "09_hongze_2023.txt").read_text(encoding="utf-8")
    return f"《中华人民共和国政府信息公开条例》学习汇编\n{quoted}\n\n{report}\n\n{report}\n"


def _documents(cli, db: str) -> list[str]:  # type: ignore[no-untyped-def]
    _, out, _ = cli("--db", db, "documents")
    return [line for line in out.splitlines() if "条例" in line]


def test_ingest_never_replaces_the_bundled_regulation(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = _documents(cli, sqlite_url)
    assert len(before) == 1 and "随程序附带" in before[0]
    path = tmp_path / "compilation.txt"
    path.write_text(_regulation_lookalike(), encoding="utf-8")
    status, out, err = cli("--db", sqlite_url, "ingest", str(path))
    assert status == 1 and out == ""
    [line] = err.splitlines()
    assert "随程序附带" in line and "中华人民共和国政府信息公开条例" in line and "Traceback" not in err
    assert _documents(cli, sqlite_url) == before  # the same document, the same passages
    _, out, _ = cli("--db", sqlite_url, "ask", "--json", "政府信息公开申请多久答复？")
    assert "20个工作日" in json.loads(out)["answer"]


def test_a_new_release_replaces_the_bundled_documents_and_drops_those_it_no_longer_has(sqlite_url: str,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(sqlite_url)
    try:
        with db.session() as session:
            ensure_bundled(session)
        texts = knowledge.bundled._bundled_texts()
        regulation = texts["tiaoli_2019.txt"]
        monkeypatch.setattr(knowledge.bundled, "_bundled_texts", lambda: {
            "tiaoli_2019.txt": regulation + "\n", "guide.md": texts["guide.md"]})
        monkeypatch.setattr(knowledge.bundled, "BUNDLED_FILES", ("tiaoli_2019.txt", "guide.md"))
        with db.session() as session:
            assert ensure_bundled(session)
            kinds = sorted(d.kind for d in session.scalars(select(Document)))
        assert kinds == ["guide", "regulation"]  # the example report is gone with the release that dropped it
    finally:
        db.dispose()


def _docx(path: Path, extra: dict[str, bytes] | None = None, document_xml: bytes | None = None) -> Path:
    import docx

    base = path.with_suffix(".base.docx")
    document = docx.Document()
    for line in (REPORTS / "09_hongze_2023.txt").read_text(encoding="utf-8").splitlines()[:40]:
        document.add_paragraph(line)
    document.save(str(base))
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bomb = _docx(tmp_path / "bomb.docx", {"word/media/image1.png": bytes(300 * 1024 * 1024)})
    assert bomb.stat().st_size < 1024 * 1024  # 300 MB of zeros in well under 1 MB
    started = time.monotonic()
    status, out, err = cli("--db", sqlite_url, "ingest", str(bomb))
    assert time.monotonic() - started < 20
    assert status == 1 and out == "" and "压缩" in err and len(err.splitlines()) == 1


def _pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF whose page content is ``content``, zlib-compressed (written by hand: offsets and all)."""
    data = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_bomb_is_refused_in_one_chinese_line(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bomb = _pdf(tmp_path / "bomb.pdf", b" " * (200 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024  # 200 MB of page content in well under 1 MB
    started = time.monotonic()
    status, out, err = cli("--db", sqlite_url, "ingest", str(bomb))
    assert time.monotonic() - started < 20
    assert status == 1 and out == "" and "解压" in err and len(err.splitlines()) == 1


def test_a_docx_with_one_huge_xml_part_is_refused(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Random text compresses hardly at all, so the ratio looks ordinary: 32 MB of XML is still no report.
    filler = base64.b64encode(random.Random(0).randbytes(24 * 1024 * 1024))
    xml = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' \
          + filler + b"</w:t></w:r></w:p></w:body></w:document>"
    status, _, err = cli("--db", sqlite_url, "ingest", str(_docx(tmp_path / "big.docx", document_xml=xml)))
    assert status == 1 and "过大" in err


def test_a_docx_with_malformed_xml_gets_one_chinese_line(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = _docx(tmp_path / "broken.docx", document_xml=b"<w:document><w:body><w:p>unterminated")
    status, out, err = cli("--db", sqlite_url, "ingest", str(broken))
    assert status == 1 and out == ""
    [line] = err.splitlines()
    assert "XML" in line and re.search(r"[\u4e00-\u9fff]", line)
    assert not re.search(r"Traceback|XMLSyntaxError|lxml", err)


def test_an_ordinary_docx_still_ingests(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli("--db", sqlite_url, "ingest", str(_docx(tmp_path / "hongze.docx")))
    assert status == 0, err
    assert "洪泽区" in out


def test_the_bundled_report_ingested_again_is_kept_as_it_is(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    _, before, _ = cli("--db", sqlite_url, "documents")
    status, out, err = cli("--db", sqlite_url, "ingest", str(REPORTS / "000_hecheng_2019.txt"))
    assert status == 0 and "鹤城区" in out and "替换" not in out, err
    assert cli("--db", sqlite_url, "documents")[1] == before
