"""The checks printed with every report: pass, fail, or uncertain when a value is missing.

They run on the report's JSON form, so they judge exactly what is printed (and a corrupted
report fails them visibly). A missing value is never taken as 0.
"""

from __future__ import annotations

from typing import Any

from bot import texts
from bot.stats.layout import (
    CARRIED_IN,
    CARRIED_OUT,
    COLUMNS,
    GRAND_TOTAL,
    NEW,
    RESULT_COLUMNS,
    RESULTS,
    TOTAL,
    TYPE_COLUMNS,
)
from knowledge import template_labels as labels

Check = dict[str, Any]
Number = int | float


def _check(name: str, left: list[Any], right: list[Any], shown: tuple[str, str] | None = None) -> Check:
    """Compare sum(left) with sum(right); uncertain when any term is missing."""
    if any(v is None for v in (*left, *right)):
        return {"name": name, "status": "uncertain", "ok": False, "detail": texts.DETAIL_MISSING.format(names=name)}
    a, b = sum(left), sum(right)
    lhs, rhs = shown or (" + ".join(map(_fmt, left)) or "0", " + ".join(map(_fmt, right)) or "0")
    ok = abs(a - b) < 1e-9
    detail = (texts.DETAIL_EQUAL if ok else texts.DETAIL_DIFFERENT).format(
        left=f"{lhs} = {_fmt(a)}" if len(left) > 1 else lhs, right=f"{rhs} = {_fmt(b)}" if len(right) > 1 else rhs)
    return {"name": name, "status": "pass" if ok else "fail", "ok": ok, "detail": detail}


def _fmt(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def table3_checks(rows: list[dict[str, Any]], unmapped: dict[str, int]) -> list[Check]:
    by_label = {row["label"]: row["values"] for row in rows}
    get = lambda label, column: by_label.get(label, {}).get(column)  # noqa: E731
    checks = [_check(texts.CHECK_BALANCE.format(column=c), [get(NEW, c), get(CARRIED_IN, c)],
                     [get(GRAND_TOTAL, c), get(CARRIED_OUT, c)]) for c in COLUMNS]
    groups = [row for row in rows if any(r["group"] == row["label"] for r in rows)]
    for group in groups:
        if group["values"] == {}:  # 三、本年度办理结果 (header) holds the （n） rows: checked as （七） below
            continue
        items = [r for r in rows if r["group"] == group["label"]]
        worst = [_check(texts.CHECK_GROUP_SUM.format(group=group["label"]),
                        [group["values"].get(c)], [i["values"].get(c) for i in items]) for c in COLUMNS]
        checks.append(_worst(worst))
    seconds = [r for r in rows if r["group"] == RESULTS and r["label"] != GRAND_TOTAL]
    for c in COLUMNS:
        checks.append(_check(texts.CHECK_GRAND_TOTAL.format(column=c), [get(GRAND_TOTAL, c)],
                             [r["values"].get(c) for r in seconds]))
    for row in rows:
        if row["values"]:
            checks.append(_check(texts.CHECK_ROW_TOTAL.format(row=row["label"]), [row["values"].get(TOTAL)],
                                 [row["values"].get(c) for c in TYPE_COLUMNS]))
    checks.append(_counted(unmapped))
    return checks


def _worst(checks: list[Check]) -> Check:
    """One line per group: the first failing column, else the first uncertain, else the total column."""
    for status in ("fail", "uncertain"):
        for check in checks:
            if check["status"] == status:
                return check
    return checks[-1]


def _counted(unmapped: dict[str, int]) -> Check:
    problems = []
    if unmapped.get("applicant_type"):
        problems.append(texts.DETAIL_UNMAPPED_TYPE.format(n=unmapped["applicant_type"]))
    if unmapped.get("outcome"):
        problems.append(texts.DETAIL_UNMAPPED_OUTCOME.format(n=unmapped["outcome"]))
    ok = not problems
    return {"name": texts.CHECK_ALL_COUNTED, "status": "pass" if ok else "fail", "ok": ok,
            "detail": "；".join(problems) or texts.DETAIL_EQUAL.format(left="0", right="0")}


def table4_checks(table4: dict[str, Any]) -> list[Check]:
    groups = {"行政复议": table4["行政复议"], **table4["行政诉讼"]}
    return [_check(texts.CHECK_TABLE4_TOTAL.format(group=name), [values.get(TOTAL)],
                   [values.get(c) for c in RESULT_COLUMNS if c != TOTAL]) for name, values in groups.items()]


def negative_check(report: dict[str, Any]) -> Check:
    """No figure below 0, except the 2019 format's 本年增/减 of table 二 (a change, which may be a decrease)."""
    signed = {f"表二/{row.label}/{labels.CHANGE_2019}" for row in labels.table2(report["format"])
              if labels.CHANGE_2019 in row.columns}
    cells = [f"{where}={value}" for where, value in _cells(report)
             if isinstance(value, int | float) and value < 0 and where not in signed]
    ok = not cells
    return {"name": texts.CHECK_NON_NEGATIVE, "status": "pass" if ok else "fail", "ok": ok,
            "detail": texts.DETAIL_NEGATIVE.format(cells="，".join(cells)) if cells else "—"}


def _cells(report: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every figure of tables 二, 三, 四 with a readable place name ("表三/一、…/自然人")."""
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}/{key}", value)
        else:
            found.append((prefix, node))

    for row in report["table3"]["rows"]:
        walk(f"表三/{row['label']}", row["values"])
    walk("表四", report["table4"])
    walk("表二", report.get("table2", {}))
    return found


def enquiry_checks(enquiries: dict[str, Any] | None) -> list[Check]:
    """Section 一: the bot answers no more questions than were asked; the two rates are shares.

    A figure that could not be computed (None) makes its check uncertain, with the reason.
    """
    e = enquiries or {}
    asked, by_bot = e.get("questions_asked"), e.get("answered_by_bot")
    if asked is None or by_bot is None:
        checks = [{"name": texts.CHECK_ENQUIRY_BY_BOT, "status": "uncertain", "ok": False,
                   "detail": texts.DETAIL_NOT_COMPUTABLE.format(name="提问数", why=texts.WHY_NO_LOG)}]
    else:
        ok = 0 <= by_bot <= asked
        checks = [{"name": texts.CHECK_ENQUIRY_BY_BOT, "status": "pass" if ok else "fail", "ok": ok,
                   "detail": (texts.DETAIL_EQUAL if ok else texts.DETAIL_DIFFERENT).format(
                       left=f"{by_bot} ≤ {asked}", right="是" if ok else "否")}]
    whys = {"closed_rate": texts.WHY_NO_ESCALATED, "satisfaction_rate": texts.WHY_NO_RATINGS}
    for key, rate in texts.ENQUIRY_RATE_NAMES.items():
        name, value = texts.CHECK_ENQUIRY_RATE.format(rate=rate), e.get(key)
        if value is None:
            checks.append({"name": name, "status": "uncertain", "ok": False,
                           "detail": texts.DETAIL_NOT_COMPUTABLE.format(name=rate, why=whys[key])})
            continue
        ok = 0 <= value <= 1
        checks.append({"name": name, "status": "pass" if ok else "fail", "ok": ok,
                       "detail": (texts.DETAIL_RATE if ok else texts.DETAIL_RATE_OUT_OF_RANGE).format(
                           rate=rate, value=f"{value:.1%}")})
    return checks


def previous_year_checks(report: dict[str, Any], previous: dict[str, Any] | None) -> list[Check]:
    """Against the published figures of Y−1: 四 → 二, and 现行有效 carried forward (table 二)."""
    # The 2019 format's table 二 has no 现行有效件数 column: nothing to carry forward there.
    in_force_items = IN_FORCE_ITEMS if report["format"] == "2021" else ()
    if previous is None:
        detail = texts.DETAIL_NO_PREVIOUS.format(year=report["year"] - 1)
        names = [texts.CHECK_CARRY_OVER.format(column=c) for c in COLUMNS]
        names += [texts.CHECK_IN_FORCE.format(item=item) for item in in_force_items]
        return [{"name": n, "status": "uncertain", "ok": False, "detail": detail} for n in names]
    before = {r["label"]: r["values"] for r in previous["table3"]["rows"]}
    now = {r["label"]: r["values"] for r in report["table3"]["rows"]}
    checks = [_check(texts.CHECK_CARRY_OVER.format(column=c), [before.get(CARRIED_OUT, {}).get(c)],
                     [now.get(CARRIED_IN, {}).get(c)]) for c in COLUMNS]
    for item in in_force_items:
        this, last = report.get("table2", {}).get(item, {}), previous.get("table2", {}).get(item, {})
        issued, repealed = this.get(ISSUED), this.get(REPEALED)
        checks.append(_check(texts.CHECK_IN_FORCE.format(item=item), [this.get(IN_FORCE)],
                             [last.get(IN_FORCE), issued, None if repealed is None else -repealed]))
    return checks


# 第二十条第（一）项 of the 2021 format: 规章 and 行政规范性文件, with 本年制发件数, 本年废止件数, 现行有效件数.
ISSUED, REPEALED, IN_FORCE = labels.T2_2021[0].columns
IN_FORCE_ITEMS = tuple(row.label for row in labels.T2_2021 if IN_FORCE in row.columns)
