"""Matcher benchmark: latency, index build, memory and start-up, beside plain BM25 in the same run.

Run: python benchmarks/bench_matcher.py [--passages 100000] [--repeat 3]

Corpora: the bundled knowledge (three documents), and a corpus scaled up to --passages passages made
from every report in tests/data/reports (copies under other agency names and years, numbers shifted,
so every passage is distinct). Baseline: bm25s over the same passages and the same jieba terms,
answering with its top passage and nothing else (no features, no cutting, no abstention).
Figures are printed as ours / baseline ratios.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import bm25s
import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import App  # noqa: E402
from bot.settings import Settings  # noqa: E402
from knowledge.index import DocInfo, Entry, Index  # noqa: E402
from knowledge.matcher import Matcher  # noqa: E402
from knowledge.textproc import normalize, tokenize, warm_up  # noqa: E402

DATA = ROOT / "tests" / "data"


def questions() -> list[str]:
    out = []
    for name in ("dev_questions.jsonl", "extra_questions.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


class _Fixed:
    """A knowledge base that always hands over one prebuilt index."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def index(self) -> Index:
        return self._index


class Baseline:
    def __init__(self, entries: list[Entry]) -> None:
        self.texts = [e.text for e in entries]
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenize(normalize(e.text)) or ["∅"] for e in entries], show_progress=False)

    def answer(self, question: str) -> str:
        terms = tokenize(normalize(question), for_index=False)
        if not terms:
            return ""
        return self.texts[int(np.argmax(self.bm25.get_scores(terms)))]


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return statistics.median(ordered), p99


def latency(answer, qs: list[str], repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    for q in qs[:5]:
        answer(q)
    samples = []
    for _ in range(repeat):
        for q in qs:
            t = time.perf_counter()
            answer(q)
            samples.append((time.perf_counter() - t) * 1000)
    return percentiles(samples)


def scaled_entries(base: list[Entry], target: int) -> list[Entry]:
    rng = random.Random(7)
    out: list[Entry] = []
    copy = 0
    while len(out) < target:
        copy += 1
        shift = copy * 7
        for e in base:
            if len(out) >= target:
                break
            doc = DocInfo(e.doc.id + copy * 10_000, f"第{copy}号{e.doc.title}", f"测试{copy}县{e.doc.agency}",
                          e.doc.year, e.doc.kind)
            text = "".join(str((int(c) + shift + rng.randint(0, 3)) % 10) if c.isdigit() else c for c in e.text)
            out.append(replace(e, id=len(out) + 1, doc=doc, text=text))
    return out


def measure(label: str, entries: list[Entry], qs: list[str], repeat: int) -> dict[str, float]:
    before = rss_mb()
    t = time.perf_counter()
    index = Index([replace(e) for e in entries])
    build = time.perf_counter() - t
    ours_mem = rss_mb() - before
    matcher = Matcher(_Fixed(index), home_agency="鹤城区")  # type: ignore[arg-type]
    p50, p99 = latency(matcher.answer, qs, repeat)
    before = rss_mb()
    t = time.perf_counter()
    base = Baseline(entries)
    base_build = time.perf_counter() - t
    base_mem = rss_mb() - before
    b50, b99 = latency(base.answer, qs, repeat)
    print(f"\n[{label}] {len(entries)} passages, {len(qs)} questions × {repeat}")
    print(f"  index build     ours {build:8.2f} s    bm25s {base_build:8.2f} s    ratio {build / base_build:6.2f}")
    print(f"  memory (RSS +)  ours {ours_mem:8.1f} MB   bm25s {base_mem:8.1f} MB   ratio {ours_mem / max(base_mem, 0.1):6.2f}")
    print(f"  latency p50     ours {p50:8.2f} ms   bm25s {b50:8.2f} ms   ratio {p50 / b50:6.2f}")
    print(f"  latency p99     ours {p99:8.2f} ms   bm25s {b99:8.2f} ms   ratio {p99 / b99:6.2f}")
    del index, base, matcher
    return {"p50": p50, "p99": p99}


def startup(db: Path, cache: Path) -> tuple[float, float, float]:
    env = {**os.environ, "GONGKAI_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "bot", "--db", str(db), "ask", "区长信箱收到多少封来信？"]

    def run(extra: dict[str, str]) -> float:
        t = time.perf_counter()
        subprocess.run(cmd, env={**env, **extra}, check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - t

    run({})  # fill the caches
    warm = min(run({}) for _ in range(3))
    cold = min(run({"GONGKAI_INDEX_CACHE": "0"}) for _ in range(3))
    base_script = ("import sys, bm25s, json; sys.path.insert(0, %r); "
                   "from knowledge.textproc import normalize, tokenize; "
                   "texts = json.load(open(%r)); r = bm25s.BM25(); "
                   "r.index([tokenize(normalize(t)) or ['∅'] for t in texts], show_progress=False); "
                   "r.get_scores(tokenize(normalize('区长信箱收到多少封来信？'), for_index=False))")
    texts_file = cache / "texts.json"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", base_script % (str(ROOT), str(texts_file))], check=True)
    baseline = time.perf_counter() - t
    return warm, cold, baseline


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warm_up()
    qs = questions()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        app = App(Settings.from_env(env={}, db=str(tmp / "bench.sqlite3")).with_(cache_dir=tmp / "cache"))
        bundled = app.knowledge.index().entries
        (tmp / "cache").mkdir(exist_ok=True)
        (tmp / "cache" / "texts.json").write_text(json.dumps([e.text for e in bundled], ensure_ascii=False))
        measure("bundled corpus", bundled, qs, args.repeat)
        for path in [*sorted((DATA / "reports").glob("*.txt"))]:
            app.knowledge.ingest(path)
        full = app.knowledge.index().entries
        scaled = scaled_entries(full, args.passages)
        result = measure("scaled corpus", scaled, qs, args.repeat)
        app.close()
        warm, cold, base = startup(tmp / "bench.sqlite3", tmp / "cache")
        print(f"\n[start-up to first answer, bundled + {len(full) - len(bundled)} report passages]")
        print(f"  warm cache {warm:6.2f} s   no index cache {cold:6.2f} s   "
              f"bm25s script {base:6.2f} s   ratio warm/bm25s {warm / base:5.2f}")
        print(f"\naim: p99 < 5 ms at {args.passages} passages: {'met' if result['p99'] < 5 else 'NOT met'} "
              f"({result['p99']:.2f} ms); start-up < 2 s warm: {'met' if warm < 2 else 'NOT met'} ({warm:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
