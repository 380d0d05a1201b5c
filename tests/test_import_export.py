"""`tickets import` and `tickets export`: the office register in and out, validated and idempotent."""

from __future__ import annotations

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
    import csv

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
