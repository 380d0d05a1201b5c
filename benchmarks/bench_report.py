"""Report benchmark: `report --format json` for a year with 1,000,000 requests, beside the bare grouped count.

Run: python benchmarks/bench_report.py [--requests 1000000] [--repeat 3] [--postgres URL]

Fills a fresh database (a temporary SQLite file; PostgreSQL too where --postgres or TEST_POSTGRES_URL
names a server, in a new database dropped afterwards) with synthetic disclosure requests: --requests
received in the report year and a tenth as many received in the last quarter of the year before, 10%
still open, outcomes and applicant types drawn at random, a few review records. Then times, in the same run:

- ours: ``build_report`` (tables 二, 三, 四, enquiries, checks, differences) serialised to JSON, the
  work of ``python -m bot report --year Y --format json`` after start-up;
- baseline: the bare grouped SQL count of the year's requests by applicant type and outcome.

Figures are best-of-``repeat`` wall times, and the ratio ours / baseline (aim: within 2×).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import postgres_database  # noqa: E402

from bot.db import Database  # noqa: E402
from bot.stats.report import build_report  # noqa: E402
from bot.tickets.codes import ApplicantType  # noqa: E402
from bot.tickets.models import RemedyRecord, RequestDetails, Ticket  # noqa: E402
from bot.tickets.outcomes import OUTCOMES  # noqa: E402

YEAR = 2025
TYPES = [t.value for t in ApplicantType]
CODES = list(OUTCOMES)
COLUMNS = ("id", "number", "kind", "status", "channel", "subject", "created_at", "received_on", "extension_days",
           "due_provisional", "outcome", "closed_on")


def rows(n: int, seed: int = 5) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """``n`` requests received in YEAR, and n/10 more received in the last quarter of the year before."""
    rng = random.Random(seed)
    tickets, details = [], []
    now = datetime(YEAR + 1, 3, 1, tzinfo=UTC)
    carried = n // 10
    for i in range(1, n + carried + 1):
        if i <= carried:
            received = date(YEAR - 1, 10, 1) + timedelta(days=rng.randrange(92))
        else:
            received = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        closed = None if rng.random() < 0.1 else received + timedelta(days=rng.randrange(40))
        outcome = rng.choice(CODES) if closed else None
        tickets.append((i, f"B{i:09d}", "disclosure_request", "closed" if closed else "received", "counter",
                        "s", now, received, 0, False, outcome, closed))
        details.append((i, "", rng.choice(TYPES), "", "", "", ""))
    return tickets, details


def fill(db: Database, n: int) -> None:
    tickets, details = rows(n)
    detail_columns = ("ticket_id", "applicant_name", "applicant_type", "id_kind", "id_number", "form", "delivery")
    if db.engine.dialect.name == "postgresql":
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY tickets ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in tickets:
                    copy.write_row(row)
            with cursor.copy(f"COPY request_details ({', '.join(detail_columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in details:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        with db.engine.begin() as conn:
            for chunk in range(0, len(tickets), 100_000):
                conn.execute(insert(Ticket), [dict(zip(COLUMNS, r, strict=True)) for r in tickets[chunk:chunk + 100_000]])
                conn.execute(insert(RequestDetails),
                             [dict(zip(detail_columns, r, strict=True)) for r in details[chunk:chunk + 100_000]])
    with db.engine.begin() as conn:
        conn.execute(insert(RemedyRecord), [
            {"ticket_id": i, "kind": "review", "filed_on": date(YEAR, 3, 1), "result": "pending"} for i in range(1, 200)])
        conn.execute(text("ANALYZE"))


def baseline(db: Database) -> None:
    with db.session() as session:
        session.execute(
            select(RequestDetails.applicant_type, Ticket.outcome, func.count())
            .join(RequestDetails, RequestDetails.ticket_id == Ticket.id)
            .where(Ticket.kind == "disclosure_request", Ticket.received_on >= date(YEAR, 1, 1),
                   Ticket.received_on <= date(YEAR, 12, 31))
            .group_by(RequestDetails.applicant_type, Ticket.outcome)).all()


def ours(db: Database) -> None:
    with db.session() as session:
        json.dump(build_report(session, YEAR), io.StringIO(), ensure_ascii=False)


def best(call: Callable[[Database], None], db: Database, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call(db)
        times.append(time.perf_counter() - started)
    return min(times)


def run(name: str, url: str, n: int, repeat: int) -> dict[str, object]:
    db = Database(url)
    try:
        started = time.perf_counter()
        fill(db, n)
        filled = time.perf_counter() - started
        ours(db)  # warm the caches once, for both
        b, o = best(baseline, db, repeat), best(ours, db, repeat)
        with db.session() as session:
            report = build_report(session, YEAR)
        failed = [c["name"] for c in report["checks"] if c["status"] == "fail"]
        total = next(r for r in report["table3"]["rows"] if r["label"].startswith("一、"))["values"]["总计"]
        with db.session() as session:
            stored = session.scalar(select(func.count()).select_from(Ticket))
        return {"backend": name, "requests_in_database": stored, "received_in_year": total, "fill_s": round(filled, 1),
                "baseline_s": round(b, 3), "ours_s": round(o, 3), "ratio": round(o / b, 2), "failed_checks": failed}
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.requests, args.repeat),
                         ensure_ascii=False))
    if args.postgres:
        with postgres_database(args.postgres) as url:
            print(json.dumps(run("postgresql", url, args.requests, args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
