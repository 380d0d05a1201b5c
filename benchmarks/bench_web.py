"""Staff console benchmark: pages per second for the queue and for one ticket, beside a bare endpoint.

Run: python benchmarks/bench_web.py [--tickets 10000] [--events 200] [--requests 200] [--postgres URL]

Fills a fresh database (a temporary SQLite file; PostgreSQL too where --postgres or TEST_POSTGRES_URL
names a server, in a new database dropped afterwards) with --tickets open disclosure requests (applicant
details, due dates spread over two months, a tenth assigned) and one more request with --events events in
its history. Then serves, in one uvicorn server on 127.0.0.1, in the same run:

- ours: the console's queue page (``/staff/``: the signed-in session checked, the counts of the seven
  filters, 50 rows by due date, masked, rendered with Jinja2) and the ticket page (``/staff/tickets/N``:
  details, the due date's explanation, the whole history, every form);
- baseline: a bare Starlette endpoint that reads the same rows with one SQL statement each (the first 50
  open tickets by due date with their applicant; the ticket and its events) and writes them as plain HTML.

One client sends --requests requests one after another to each endpoint (after 10 to warm up): pages per
second and p50/p99 latency, and the ratio ours / baseline.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import insert, text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import free_port, postgres_database  # noqa: E402

from bot.accounts import set_password  # noqa: E402
from bot.app import App  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.tickets.models import RequestDetails, Ticket, TicketEvent  # noqa: E402
from bot.tickets.staff import add_staff  # noqa: E402
from handlers.web.staff.site import create_site  # noqa: E402

PASSWORD = "benchmark password"
BIG = "2026-999999"  # the ticket with the long history


def fill(app: App, tickets: int, events: int) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    today = now.date()
    with app.db.session() as session:
        add_staff(session, at=now, by="admin", name="admin", role="admin")
        add_staff(session, at=now, by="admin", name="li", role="staff")
        set_password(session, at=now, by="li", name="li", password=PASSWORD)
    rows, details, history = [], [], []
    for i in range(1, tickets + 2):
        number = BIG if i == tickets + 1 else f"2026-{i:06d}"
        received = today - timedelta(days=rng.randrange(30))
        rows.append({"id": i, "number": number, "kind": "disclosure_request", "status": "received",
                     "channel": "counter", "subject": f"第{i}号申请：某年度财政预算执行情况", "created_at": now,
                     "received_on": received, "due_on": received + timedelta(days=28 + rng.randrange(30)),
                     "due_provisional": False, "extension_days": 0,
                     "assignee": "li" if rng.random() < 0.1 else None})
        details.append({"ticket_id": i, "applicant_name": "张三", "applicant_type": "natural_person",
                        "id_kind": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678",
                        "email": "zs@example.com", "address": "怀化市鹤城区迎丰西路 1 号", "form": "electronic",
                        "delivery": "email"})
        history.append({"ticket_id": i, "at": now, "actor": "li", "action": "created", "to_status": "received",
                        "data": {"kind": "disclosure_request", "channel": "counter"}})
    history += [{"ticket_id": tickets + 1, "at": now + timedelta(seconds=n), "actor": "li", "action": "note",
                 "data": {"text": f"第 {n} 次电话联系申请人，说明办理进度。"}} for n in range(events - 1)]
    with app.db.session() as session:
        for table, batch in ((Ticket, rows), (RequestDetails, details), (TicketEvent, history)):
            for start in range(0, len(batch), 5000):
                session.execute(insert(table), batch[start:start + 5000])
        session.execute(text("INSERT INTO ticket_counters (year, last) VALUES (2026, 999999)"))
    with app.db.engine.connect() as conn:  # what autovacuum (PostgreSQL) or a long-lived database would know
        conn.execute(text("ANALYZE"))
        conn.commit()


def bare_app(app: App) -> Starlette:
    """The same rows with one statement per page, written as plain HTML: the framework's floor."""
    queue_sql = text("SELECT t.number, t.kind, t.status, t.received_on, t.due_on, t.assignee, d.applicant_name, "
                     "d.phone FROM tickets t LEFT JOIN request_details d ON d.ticket_id = t.id "
                     "WHERE t.status <> 'closed' ORDER BY t.due_on, t.number LIMIT 50")
    ticket_sql = text("SELECT t.number, t.subject, e.at, e.actor, e.action, e.data FROM tickets t "
                      "JOIN ticket_events e ON e.ticket_id = t.id WHERE t.number = :n ORDER BY e.id")

    def rows_html(sql: text, **params: object) -> str:  # type: ignore[valid-type]
        with app.db.engine.connect() as conn:
            rows = conn.execute(sql, params).all()
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
        return f"<!doctype html><table>{cells}</table>"

    async def queue(_request: Request) -> HTMLResponse:
        return HTMLResponse(await run_in_threadpool(rows_html, queue_sql))

    async def ticket(_request: Request) -> HTMLResponse:
        return HTMLResponse(await run_in_threadpool(rows_html, ticket_sql, n=BIG))

    return Starlette(routes=[Route("/queue", queue), Route("/ticket", ticket)])


@contextmanager
def serving(app: App) -> Iterator[str]:
    port = free_port()
    site = Starlette(routes=[Mount("/bare", bare_app(app)), Mount("/", create_site(app))])
    server = uvicorn.Server(uvicorn.Config(site, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def measure(client: httpx.Client, url: str, requests: int) -> tuple[float, float, float]:
    for _ in range(10):
        assert client.get(url).status_code == 200
    times = []
    start = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, url
    total = time.perf_counter() - start
    times.sort()
    return requests / total, statistics.median(times) * 1000, times[int(len(times) * 0.99) - 1] * 1000


def sign_in(client: httpx.Client, base: str) -> None:
    page = client.get(f"{base}/staff/login")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    done = client.post(f"{base}/staff/login", data={"csrf": token, "name": "li", "password": PASSWORD})
    assert done.status_code == 303, done.text


def run(url: str, label: str, args: argparse.Namespace) -> list[str]:
    app = App(Settings.from_env({}, db=url))
    try:
        t0 = time.perf_counter()
        fill(app, args.tickets, args.events)
        print(f"[{label}] filled {args.tickets + 1} tickets in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        with serving(app) as base, httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
            sign_in(client, base)
            assert "共 10001 件" in client.get("/staff/").text or args.tickets != 10000
            lines = []
            for page, ours, bare in (("queue (10,000 open)", "/staff/", "/bare/queue"),
                                     (f"ticket ({args.events} events)", f"/staff/tickets/{BIG}", "/bare/ticket")):
                o = measure(client, ours, args.requests)
                b = measure(client, bare, args.requests)
                lines.append(f"| {label} | {page} | {o[0]:.1f} pages/s ({o[1]:.1f} / {o[2]:.1f} ms) | "
                             f"{b[0]:.1f} pages/s ({b[1]:.1f} / {b[2]:.1f} ms) | {o[0] / b[0]:.2f} |")
                print(lines[-1], flush=True)
            return lines
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    print("| backend | page | console (p50 / p99) | bare endpoint (p50 / p99) | ratio |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["GONGKAI_DATA_DIR"] = folder
        os.environ["GONGKAI_CACHE_DIR"] = str(Path(folder) / "cache")
        run(f"sqlite:///{folder}/bench.sqlite3", "SQLite", args)
    if args.postgres:
        with postgres_database(args.postgres, "bench_web_") as url:
            run(url, "PostgreSQL", args)


if __name__ == "__main__":
    main()
