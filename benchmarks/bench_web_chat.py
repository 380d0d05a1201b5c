"""Web chat load test: visitors asking questions of two `python -m bot web` processes, beside a bare endpoint.

Run: python benchmarks/bench_web_chat.py [--visitors 200] [--seconds 60] [--postgres URL] [--json]

The PostgreSQL server is --postgres or TEST_POSTGRES_URL; a new database is created on it (and dropped at the
end), migrated and loaded with the bundled knowledge by one `python -m bot ask` (which also builds the
index cache the servers then read). Nothing else is loaded.

- ours: two `python -m bot web --host 127.0.0.1` processes on that database, each with a clean environment
  (no Telegram token; LOG_LEVEL=WARNING). The per-visitor and per-address limits are raised
  (WEB_CHAT_LIMIT, WEB_ADDRESS_LIMIT = 1,000,000): every visitor comes from 127.0.0.1 and asks as fast as
  the server answers, which the default limits (20 and 60 a minute) would refuse. The shared address
  counter is still written on every post (one hot row: part of what is measured). Each process answers one
  question before the load (the first question loads the index).
- bare: two uvicorn processes serving a Starlette app (same uvicorn options as `python -m bot web`) whose
  GET / sets a cookie and returns a small HTML form with hidden csrf and mid fields, and whose POST / reads
  the form and redirects 303 to /#latest. No database, no templates, nothing stored: the framework's floor.

The load, on each side in turn: --visitors visitors at once (asyncio + httpx in this process, each with its
own cookie jar), for --seconds. A visitor opens the chat (GET /, untimed), then, until the time is up, posts
a question (csrf, mid, text) and follows the 303 with GET /, reading the new csrf and mid from that page.
Its requests alternate between the two processes (the post to one, the page to the other), so the cookie,
the CSRF key, the conversation and the transcript must be shared through the database. 40 questions from
tests/data (the bundled 2019 report, the regulation's procedures, and a few out of scope), each visitor
starting at its own place in the list.

Measured, per side: questions completed (POST 303 + GET 200), throughput (completed questions / the time from
the start of the load to the last visitor's end, in-flight questions finished), p50/p99 latency of one
question (POST + the GET it redirects to), errors (a POST not 303, a GET not 200, a timeout or any other
exception), the servers' CPU time per question and this client's CPU use (1.00 = one core: the client may be
what limits the bare side). Ratios ours / bare.

Checked after the load (ours): each visitor's lines in the web_transcript table against the questions it
got a 303 for — lost (a 303 without its line), duplicated (a line more than was asked), unanswered (a
visitor line with no bot line after it), in order; pages whose latest visitor line was not the question just
asked (a stale read across processes); lines stored for a visitor this run does not know. Exit status 1 when
anything is wrong; then the tail of each server's stderr is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx
import psutil
import uvicorn
from sqlalchemy import create_engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import free_port, percentile, postgres_database  # noqa: E402

from bot.tickets.masking import mask_text  # noqa: E402

COOKIE = "gongkai_visitor"
_INPUT = re.compile(r'name="(csrf|mid)" value="([^"]*)"')
UNLIMITED = "1000000"
# (file, how many): taken evenly spaced through each file.
QUESTION_SOURCES = (("dev_questions.jsonl", 14), ("dev_procedures.jsonl", 14), ("extra_questions.jsonl", 12))


def load_questions() -> list[str]:
    questions: list[str] = []
    for name, count in QUESTION_SOURCES:
        rows = [json.loads(line)["question"] for line in (ROOT / "tests" / "data" / name).read_text("utf-8").splitlines()
                if line.strip()]
        step = max(1, len(rows) // count)
        questions += rows[::step][:count]
    return questions


# --- the bare endpoint (run in its own process: --serve-bare PORT) ---------------------------------------

BARE_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>咨询</title></head><body>'
             '<form method="post" action="/"><input type="hidden" name="csrf" value="{csrf}">'
             '<input type="hidden" name="mid" value="{mid}"><textarea name="text"></textarea>'
             '<button type="submit">发送</button></form></body></html>')


def bare_app() -> Starlette:
    """A form page and a form post that redirects: no database, no templates, nothing stored."""

    async def page(request: Request) -> Response:
        response = HTMLResponse(BARE_PAGE.format(csrf=secrets.token_hex(16), mid=secrets.randbelow(2**62)))
        response.set_cookie(COOKIE, request.cookies.get(COOKIE) or secrets.token_hex(16), httponly=True,
                            samesite="lax")
        return response

    async def post(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        if not form.get("csrf") or not form.get("mid") or not form.get("text"):
            return PlainTextResponse("incomplete form", status_code=400)
        return RedirectResponse("/#latest", status_code=303)

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route("/", page, methods=["GET", "HEAD"]), Route("/", post, methods=["POST"]),
                             Route("/healthz", healthz)])


def serve_bare(port: int) -> None:
    # The options `python -m bot web` gives uvicorn (bot/cli_web.py).
    uvicorn.run(bare_app(), host="127.0.0.1", port=port, proxy_headers=False, server_header=False,
                log_level="warning", access_log=False)


# --- processes and the database --------------------------------------------------------------------------

def clean_env(url: str, folder: Path) -> dict[str, str]:
    """What the servers see: nothing of this shell's environment but PATH, HOME, the locale and PYTHONPATH."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL") if k in os.environ}
    python_path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**keep, "PYTHONPATH": python_path, "DATABASE_URL": url, "LOG_LEVEL": "WARNING",
            "GONGKAI_DATA_DIR": str(folder / "data"), "GONGKAI_CACHE_DIR": str(folder / "cache"),
            "WEB_CHAT_LIMIT": UNLIMITED, "WEB_ADDRESS_LIMIT": UNLIMITED, "PYTHONUNBUFFERED": "1"}


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 30) -> str:
        text_ = self.log.read_text("utf-8", errors="replace").splitlines()
        return "\n".join(text_[-lines:])

    def cpu(self) -> float:
        try:
            times = psutil.Process(self.process.pid).cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)


@contextmanager
def started(name: str, argv: list[str], env: dict[str, str], port: int, folder: Path) -> Iterator[Server]:
    log = folder / f"{name}.stderr"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{server.tail()}")
            try:
                if httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer /healthz in 120 s:\n{server.tail()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the load --------------------------------------------------------------------------------------------

@dataclass
class Visitor:
    n: int
    visitor_id: str = ""
    asked: list[str] = field(default_factory=list)  # questions answered 303, in order
    failed: list[str] = field(default_factory=list)  # questions whose post failed (error, timeout)
    times: list[float] = field(default_factory=list)  # seconds: POST + GET of each completed question
    errors: Counter[str] = field(default_factory=Counter)
    stale: int = 0  # pages whose latest visitor line was not the question just asked, or had no reply after it
    page_bytes: int = 0


def latest_exchange(page: str) -> tuple[str | None, bool]:
    """The text of the page's latest visitor line, and whether a bot line follows it."""
    i = page.rfind('<li class="msg visitor"')
    if i < 0:
        return None, False
    start = page.find('<p class="text">', i) + len('<p class="text">')
    return html.unescape(page[start:page.find("</p>", start)]), '<li class="msg bot"' in page[i:]


async def visit(visitor: Visitor, client: httpx.AsyncClient, bases: list[str], questions: list[str],
                deadline: float, check: bool) -> None:
    turn = visitor.n  # requests alternate between the processes, each visitor starting on its own one
    nth = visitor.n * 7  # where in the question list this visitor starts

    def base() -> str:
        nonlocal turn
        turn += 1
        return bases[turn % len(bases)]

    page: str | None = None
    while time.perf_counter() < deadline:
        if page is None:  # opening the chat (or again after an error): not timed
            try:
                response = await client.get(base() + "/")
            except httpx.HTTPError as exc:
                visitor.errors[f"GET {type(exc).__name__}"] += 1
                await asyncio.sleep(0.5)
                continue
            if response.status_code != 200:
                visitor.errors[f"GET {response.status_code}"] += 1
                await asyncio.sleep(0.5)
                continue
            page = response.text
        fields = dict(_INPUT.findall(page))
        question = questions[nth % len(questions)]
        nth += 1
        page = None
        t0 = time.perf_counter()
        try:
            response = await client.post(base() + "/", data={**fields, "text": question})
        except httpx.HTTPError as exc:
            visitor.errors[f"POST {type(exc).__name__}"] += 1
            visitor.failed.append(question)
            continue
        if response.status_code != 303:
            visitor.errors[f"POST {response.status_code}"] += 1
            visitor.failed.append(question)
            continue
        visitor.asked.append(question)
        try:
            response = await client.get(base() + response.headers["location"].partition("#")[0])
        except httpx.HTTPError as exc:
            visitor.errors[f"GET {type(exc).__name__}"] += 1
            continue
        if response.status_code != 200:
            visitor.errors[f"GET {response.status_code}"] += 1
            continue
        visitor.times.append(time.perf_counter() - t0)
        page = response.text
        visitor.page_bytes += len(response.content)
        if check:
            latest, replied = latest_exchange(page)
            visitor.stale += latest != mask_text(question) or not replied
    cookie = client.cookies.get(COOKIE) or ""
    visitor.visitor_id = cookie.partition(".")[0]


async def load(bases: list[str], questions: list[str], visitors: int, seconds: float, timeout: float,
               check: bool) -> tuple[list[Visitor], float, float]:
    """The visitors at once for ``seconds``; (visitors, wall seconds, this process's CPU seconds)."""
    # Plain HTTP on 127.0.0.1: no certificates to load for each of the visitors' clients.
    clients = [httpx.AsyncClient(timeout=timeout, follow_redirects=False, verify=False) for _ in range(visitors)]
    people = [Visitor(n) for n in range(visitors)]
    try:
        cpu0, start = time.process_time(), time.perf_counter()
        await asyncio.gather(*(visit(v, c, bases, questions, start + seconds, check) for v, c in zip(people, clients,
                                                                                                     strict=True)))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    finally:
        for client in clients:
            await client.aclose()
    return people, wall, cpu


def warm_up(bases: list[str], question: str) -> list[str]:
    """One question to each process (the first loads the index): the warm-up visitors' ids."""
    ids = []
    for base in bases:
        with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
            page = client.get("/")
            assert page.status_code == 200, page.text[:500]
            done = client.post("/", data={**dict(_INPUT.findall(page.text)), "text": question})
            assert done.status_code == 303, done.text[:500]
            assert client.get("/").status_code == 200
            ids.append((client.cookies.get(COOKIE) or "").partition(".")[0])
    return ids


def figures(people: list[Visitor], wall: float, client_cpu: float, server_cpu: float) -> dict[str, Any]:
    times = [t for v in people for t in v.times]
    completed = len(times)
    per_visitor = sorted(len(v.times) for v in people)
    errors: Counter[str] = Counter()
    for v in people:
        errors.update(v.errors)
    return {
        "completed": completed, "seconds": round(wall, 2), "throughput": completed / wall,
        "p50_ms": percentile(times, 0.5) * 1000, "p99_ms": percentile(times, 0.99) * 1000,
        "mean_ms": statistics.fmean(times) * 1000 if times else float("nan"),
        "errors": sum(errors.values()), "error_kinds": dict(errors),
        "per_visitor_min_median_max": [per_visitor[0], statistics.median(per_visitor), per_visitor[-1]],
        "page_kb": sum(v.page_bytes for v in people) / max(completed, 1) / 1024,
        "server_cpu_ms_per_question": server_cpu / max(completed, 1) * 1000,
        "client_cpu": client_cpu / wall,
    }


def verify(url: str, people: list[Visitor], warm_ids: list[str]) -> dict[str, Any]:
    """Each visitor's transcript against what it was told was taken (303)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT visitor_id, speaker, text FROM web_transcript ORDER BY id")).all()
    engine.dispose()
    lines: dict[str, list[tuple[str, str]]] = {}
    for visitor_id, speaker, said in rows:
        lines.setdefault(visitor_id, []).append((speaker, said))
    lost = duplicated = after_error = unanswered = out_of_order = 0
    for v in people:
        mine = lines.pop(v.visitor_id, [])
        said = [t for speaker, t in mine if speaker == "visitor"]
        expected = [mask_text(q) for q in v.asked]
        missing, extra = Counter(expected) - Counter(said), Counter(said) - Counter(expected)
        # A post that timed out or failed may still have been taken: a line for it is no duplicate.
        failed = Counter(mask_text(q) for q in v.failed)
        explained = extra & failed
        lost += sum(missing.values())
        duplicated += sum((extra - explained).values())
        after_error += sum(explained.values())
        out_of_order += not missing and not extra and said != expected
        unanswered += sum(1 for i, (speaker, _t) in enumerate(mine)
                          if speaker == "visitor" and (i + 1 == len(mine) or mine[i + 1][0] != "bot"))
    for visitor_id in warm_ids:
        lines.pop(visitor_id, None)
    return {"visitor_lines": sum(1 for _v, speaker, _t in rows if speaker == "visitor"),
            "bot_lines": sum(1 for _v, speaker, _t in rows if speaker == "bot"),
            "lost": lost, "duplicated": duplicated, "taken_despite_error": after_error,
            "unanswered": unanswered, "out_of_order_visitors": out_of_order,
            "stale_pages": sum(v.stale for v in people),
            "lines_of_unknown_visitors": sum(len(v) for v in lines.values()),
            "visitors_without_cookie": sum(1 for v in people if not v.visitor_id)}


def phase(label: str, servers: list[Server], questions: list[str], args: argparse.Namespace,
          check: bool) -> tuple[list[Visitor], dict[str, Any]]:
    print(f"[{label}] {args.visitors} visitors for {args.seconds} s on {', '.join(s.base for s in servers)}",
          file=sys.stderr, flush=True)
    cpu0 = sum(s.cpu() for s in servers)
    people, wall, client_cpu = asyncio.run(load([s.base for s in servers], questions, args.visitors,
                                                args.seconds, args.timeout, check))
    result = figures(people, wall, client_cpu, sum(s.cpu() for s in servers) - cpu0)
    print(f"[{label}] {result['completed']} questions in {wall:.1f} s, {result['errors']} errors",
          file=sys.stderr, flush=True)
    return people, result


def report(ours: dict[str, Any], bare: dict[str, Any], checks: dict[str, Any], args: argparse.Namespace,
           out: TextIO) -> None:
    print(f"PostgreSQL, two processes a side, {args.visitors} visitors for {args.seconds} s a side; "
          f"latency = one question (POST + the GET it redirects to)", file=out)
    print(f"{'':<8}{'questions':>10}{'q/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'page KB':>9}"
          f"{'server CPU ms/q':>17}{'client CPU':>12}{'per visitor (min/med/max)':>28}", file=out)
    for name, r in (("ours", ours), ("bare", bare)):
        spread = "/".join(f"{x:g}" for x in r["per_visitor_min_median_max"])
        print(f"{name:<8}{r['completed']:>10}{r['throughput']:>9.1f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
              f"{r['errors']:>8}{r['page_kb']:>9.1f}{r['server_cpu_ms_per_question']:>17.1f}"
              f"{r['client_cpu']:>12.2f}{spread:>28}", file=out)
        if r["error_kinds"]:
            print(f"        errors: {r['error_kinds']}", file=out)
    for name, r in (("ours", ours), ("bare", bare)):
        if r["client_cpu"] > 0.8:
            print(f"note: the client used {r['client_cpu']:.2f} of a core during the {name} load: that side's "
                  "throughput is the client's limit as much as the servers'", file=out)
    print(f"ratio ours / bare: throughput {ours['throughput'] / bare['throughput']:.2f}, "
          f"p50 latency {ours['p50_ms'] / bare['p50_ms']:.1f}x, p99 latency {ours['p99_ms'] / bare['p99_ms']:.1f}x",
          file=out)
    print(f"transcript (ours): {checks['visitor_lines']} visitor lines, {checks['bot_lines']} bot lines; "
          f"lost {checks['lost']}, duplicated {checks['duplicated']}, unanswered {checks['unanswered']}, "
          f"out of order {checks['out_of_order_visitors']} visitors, stale pages {checks['stale_pages']}, "
          f"lines of unknown visitors {checks['lines_of_unknown_visitors']}, "
          f"taken though the post failed {checks['taken_despite_error']}", file=out)


def failed(ours: dict[str, Any], bare: dict[str, Any], checks: dict[str, Any]) -> bool:
    return bool(ours["errors"] or bare["errors"] or any(checks[k] for k in (
        "lost", "duplicated", "unanswered", "out_of_order_visitors", "stale_pages", "lines_of_unknown_visitors",
        "visitors_without_cookie")))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a request may take before it counts "
                        "as an error")
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL server (a fresh database is created on it and dropped)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return 0
    if not args.postgres:
        parser.error("name a PostgreSQL server: --postgres URL or TEST_POSTGRES_URL")
    questions = load_questions()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        url = stack.enter_context(postgres_database(args.postgres, "bench_chat_"))
        env = clean_env(url, folder)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", questions[0]], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"database migrated, bundled knowledge loaded, index cached in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr, flush=True)
        ours_servers, bare_servers = [], []
        for i in (1, 2):
            port = free_port()
            ours_servers.append(stack.enter_context(started(
                f"ours{i}", [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port)],
                env, port, folder)))
        for i in (1, 2):
            port = free_port()
            bare_servers.append(stack.enter_context(started(
                f"bare{i}", [sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port)],
                env, port, folder)))
        try:
            warm_ids = warm_up([s.base for s in ours_servers], questions[1])
            warm_up([s.base for s in bare_servers], questions[1])
            ours_people, ours = phase("ours", ours_servers, questions, args, check=True)
            checks = verify(url, ours_people, warm_ids)
            _bare_people, bare = phase("bare", bare_servers, questions, args, check=False)
        except BaseException:
            for server in ours_servers + bare_servers:
                print(f"--- {server.name} stderr (tail) ---\n{server.tail()}", file=sys.stderr)
            raise
        if args.json:
            print(json.dumps({"visitors": args.visitors, "seconds": args.seconds, "ours": ours, "bare": bare,
                              "ratio": {"throughput": ours["throughput"] / bare["throughput"],
                                        "p50": ours["p50_ms"] / bare["p50_ms"], "p99": ours["p99_ms"] / bare["p99_ms"]},
                              "transcript": checks}, ensure_ascii=False, indent=2))
        else:
            report(ours, bare, checks, args, sys.stdout)
        bad = failed(ours, bare, checks)
        for server in ours_servers + bare_servers:
            tail = [line for line in server.tail().splitlines() if "/staff/" not in line]  # the start-up line
            if bad or tail:
                print(f"--- {server.name} stderr (tail) ---\n" + "\n".join(tail or ["(empty)"]), file=sys.stderr)
        return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
