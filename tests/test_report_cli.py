"""`python -m bot report …`: the JSON shape, md and csv, table 二 entered by staff, publishing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.tickets.models import TicketEvent

REGISTER = "\n".join([
    "登记编号,收到日期,申请人类型,申请内容,办结日期,办理结果",
    "R1,2024-12-10,自然人,财政预算,2025-01-08,予以公开",
    "R2,2024-12-30,法律服务机构,征地,,",
    "R3,2025-03-01,商业企业,规划,2025-03-09,不予处理：重复申请",
])


@pytest.fixture
def run(cli: Any, db_url: str, tmp_path: Path) -> Any:
    def call(*args: str) -> tuple[int, str, str]:
        return cli("--db", db_url, *args)

    call("staff", "add", "li")
    path = tmp_path / "r.csv"
    path.write_text(REGISTER + "\n", encoding="utf-8")
    assert call("tickets", "import", str(path), "--as", "li")[0] == 0
    return call


def _json(run: Any, year: int) -> dict[str, Any]:
    status, out, err = run("report", "--year", str(year), "--format", "json")
    assert status == 0, err
    return json.loads(out)


def test_json_has_the_documented_shape(run: Any) -> None:
    report = _json(run, 2025)
    assert set(report) >= {"year", "format", "table3", "table4", "table2", "enquiries", "checks"}
    assert report["year"] == 2025 and report["format"] == "2021"
    assert report["table3"]["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    first, carried = report["table3"]["rows"][:2]
    assert first == {"label": "一、本年新收政府信息公开申请数量", "group": None,
                     "values": {"自然人": 0, "商业企业": 1, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 0,
                                "其他": 0, "总计": 1}}
    assert carried["values"]["总计"] == 2
    item = next(r for r in report["table3"]["rows"] if r["label"] == "2.重复申请")
    assert item["group"] == "（五）不予处理" and item["values"]["商业企业"] == 1
    assert set(report["table4"]) == {"行政复议", "行政诉讼"}
    assert set(report["table4"]["行政诉讼"]) == {"未经复议直接起诉", "复议后起诉"}
    assert list(report["table4"]["行政复议"]) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for check in report["checks"]:
        assert set(check) == {"name", "status", "ok", "detail"}
        assert check["ok"] == (check["status"] == "pass")


def test_md_and_csv_show_the_same_figures(run: Any) -> None:
    status, md, _ = run("report", "--year", "2025", "--format", "md")
    assert status == 0
    assert "| 一、本年新收政府信息公开申请数量 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |" in md
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in md
    assert "| 无法确定 |" in md  # no table 二 figures yet: uncertain, printed
    status, text, _ = run("report", "--year", "2025", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["四、结转下年度继续办理", "", "0", "0", "0", "0", "1", "0", "1"] in rows


def test_output_file_and_strict(run: Any, tmp_path: Path, db_url: str) -> None:
    out = tmp_path / "r.json"
    status, stdout, err = run("report", "--year", "2025", "--format", "json", "--output", str(out))
    assert status == 0 and stdout == "" and str(out) in err
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == 2025
    assert run("report", "--year", "2025", "--strict")[0] == 0  # uncertain is not a failure
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE tickets SET outcome = 'bogus' WHERE outcome = 'repeated'"))
    engine.dispose()
    status, md, _ = run("report", "--year", "2025", "--strict")
    assert status == 1 and "| 不通过 | 每件申请都计入表中 |" in md
    assert run("report", "--year", "2025")[0] == 0  # without --strict a failed check is in the report


def test_table2_is_entered_by_staff_and_checked_against_last_year(run: Any) -> None:
    for item, field, value in [("regulations", "issued", "2"), ("regulations", "repealed", "1"),
                               ("regulations", "in_force", "10"), ("fees", "amount", "12.5")]:
        status, out, err = run("report", "set", "--year", "2024", item, field, value, "--as", "li")
        assert status == 0, err
    assert run("report", "set", "--year", "2024", "regulations", "issued", "-1", "--as", "li")[0] == 1
    assert run("report", "set", "--year", "2024", "nonsense", "issued", "1", "--as", "li")[0] == 1
    assert run("report", "set", "--year", "2024", "fees", "amount", "1", "--as", "mallory")[0] == 1
    assert _json(run, 2024)["table2"]["规章"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 10}
    assert _json(run, 2024)["table2"]["行政事业性收费"] == {"本年收费金额（单位：万元）": 12.5}
    assert run("report", "publish", "--year", "2024", "--as", "li")[0] == 0
    for field, value in [("issued", "3"), ("repealed", "0"), ("in_force", "12")]:
        run("report", "set", "--year", "2025", "regulations", field, value, "--as", "li")
    checks = {c["name"]: c for c in _json(run, 2025)["checks"]}
    in_force = checks["规章现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数"]
    assert in_force["status"] == "fail" and "12 ≠ 10 + 3 + 0 = 13" in in_force["detail"]
    assert checks["行政规范性文件现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数"]["status"] == "uncertain"
    assert checks["上年“结转下年度继续办理”等于本年“上年结转”（总计）"]["status"] == "pass"


def test_publishing_is_a_supervisors_act_on_the_command_line_as_in_the_console(run: Any, db_url: str) -> None:
    assert run("staff", "add", "wang", "--role", "staff", "--as", "li")[0] == 0
    status, out, err = run("report", "publish", "--year", "2025", "--as", "wang")
    assert status == 1 and out == "" and "wang" in err and "已记录" in err
    assert _json(run, 2025)["differences"] is None  # nothing was published
    assert run("staff", "add", "zhao", "--role", "supervisor", "--as", "li")[0] == 0
    assert "已发布 2025 年度报告的数字" in run("report", "publish", "--year", "2025", "--as", "zhao")[1]
    with Database(db_url, auto_migrate=False).session() as session:  # the refusal and the act, recorded
        events = {(e.action, e.actor) for e in session.scalars(select(TicketEvent))}
    assert ("denied", "wang") in events and ("report_published", "zhao") in events


def test_a_change_after_publishing_shows_as_a_difference(run: Any, tmp_path: Path) -> None:
    assert _json(run, 2025)["differences"] is None
    assert "已发布 2025 年度报告的数字" in run("report", "publish", "--year", "2025", "--as", "li")[1]
    assert _json(run, 2025)["differences"]["cells"] == []
    changed = REGISTER.replace("R2,2024-12-30,法律服务机构,征地,,", "R2,2024-12-30,法律服务机构,征地,2025-02-01,予以公开")
    path = tmp_path / "r2.csv"
    path.write_text(changed + "\n", encoding="utf-8")
    assert "更新 1 件" in run("tickets", "import", str(path), "--as", "li")[1]
    cells = {c["where"]: (c["published"], c["now"]) for c in _json(run, 2025)["differences"]["cells"]}
    assert cells["表三/（一）予以公开/法律服务机构"] == (0, 1)
    assert cells["表三/四、结转下年度继续办理/法律服务机构"] == (1, 0)
    status, md, _ = run("report", "--year", "2025")
    assert "表三/（一）予以公开/法律服务机构：已发布 0，现为 1" in md


def test_a_csv_file_has_a_bom_for_excel(run: Any, tmp_path: Path) -> None:
    """Excel on a Chinese Windows reads a CSV without a BOM as GBK: the Chinese labels would be garbled."""
    out = tmp_path / "r.csv"
    run("report", "--year", "2025", "--format", "csv", "--output", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "四、结转下年度继续办理" in data.decode("utf-8-sig")
    assert not run("report", "--year", "2025", "--format", "csv")[1].startswith("\ufeff")  # not on the screen
    run("report", "--year", "2025", "--format", "json", "--output", str(tmp_path / "r.json"))
    assert (tmp_path / "r.json").read_bytes().startswith(b"{")


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_binary_report_without_output_is_a_file_in_the_current_folder(
        run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    from bot.stats import chart

    monkeypatch.setattr(chart, "render_chart", lambda *args: _PNG)  # the file, not the chart, is under test
    monkeypatch.chdir(tmp_path)
    name = f"政府信息公开工作年度报告-2025.{fmt}"
    status, out, err = run("report", "--year", "2025", "--format", fmt)
    assert status == 0 and out == "" and name in err
    written = (tmp_path / name).read_bytes()
    assert written[:2] == b"PK"
    (tmp_path / name).write_bytes(b"staff edited this")
    status, out, err = run("report", "--year", "2025", "--format", fmt)
    assert status == 1 and out == "" and "已存在" in err and "--force" in err and "Traceback" not in err
    assert (tmp_path / name).read_bytes() == b"staff edited this"  # kept
    status, out, err = run("report", "--year", "2025", "--format", fmt, "--force")
    assert status == 0 and (tmp_path / name).read_bytes()[:2] == b"PK"


def test_binary_goes_to_standard_output_only_with_a_dash_and_never_to_a_terminal(
        run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    status, out, err = run("report", "--year", "2025", "--format", "xlsx", "--output", "-")
    assert status == 1 and out == "" and "不能输出到屏幕" in err
    status, out, _ = run("report", "--year", "2025", "--format", "md", "--output", "-")
    assert status == 0 and "一、本年新收政府信息公开申请数量" in out


@pytest.mark.parametrize("target", ["missing/dir/x.xlsx", "r.csv/x.xlsx", "."])
def test_an_output_that_cannot_be_written_is_one_line(run: Any, tmp_path: Path, target: str) -> None:
    (tmp_path / "r.csv").write_text("", encoding="utf-8")
    path = tmp_path / target
    status, out, err = run("report", "--year", "2025", "--format", "xlsx", "--output", str(path))
    assert status == 1 and out == ""
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert err.startswith("操作未完成：无法写入") and str(path) in err
    reason = {"missing/dir/x.xlsx": "文件夹不存在", "r.csv/x.xlsx": "不是文件夹", ".": "这是一个文件夹"}[target]
    assert reason in err


def _png() -> bytes:
    """A 1×1 white PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(
        b"IEND", b"")


_PNG = _png()
