"""Score question sets through the `ask --json --batch` contract.

Usage: python scripts/evaluate.py [--db URL] [--ingest PATH …] FILE.jsonl [FILE.jsonl …]
       python scripts/evaluate.py --set dev|validation [-v]

A named set ingests its reports into a fresh database and reads its question files:
  dev         tests/data/reports/*.txt and tests/data/*.jsonl (development: tune on these)
  validation  tests/data/validation/*.txt and tests/data/validation/*.jsonl (never tuned on)
Scores are printed overall and per question kind (the "kind" field; "other" when absent).

Each line of a FILE is {"id", "question", "expect_any": [...]} (answerable) or
{"id", "question", "expect_matched": false, "expect_none"?: [...]} (trap). Rules as in the
development set's README: answers compared with spaces removed and full-width hyphens as ASCII; an
expectation made only of digits must stand as a whole number.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_DATA = _ROOT / "tests" / "data"
# A set is groups of (question files, the reports loaded for them); each group gets a fresh database.
SETS: dict[str, list[tuple[str, str]]] = {
    "dev": [("*.jsonl", "reports/*.txt"),
            # Validation questions once seen (fixed by class, then moved here), on the validation reports.
            ("seen/*.jsonl", "validation/*.txt")],
    "validation": [("validation/*.jsonl", "validation/*.txt")],
}


def load_set(name: str) -> list[tuple[list[dict], list[str]]]:
    """The groups of a named set: (cases, report paths to ingest)."""
    groups = []
    for questions, reports in SETS[name]:
        cases = [json.loads(line) for f in sorted(_DATA.glob(questions))
                 for line in f.read_text("utf-8").splitlines() if line.strip()]
        groups.append((cases, [str(p) for p in sorted(_DATA.glob(reports))]))
    return groups


def run_set(name: str, folder: Path) -> tuple[list[dict], list[dict]]:
    """Every case of a named set with its result, each group on its own database in `folder`."""
    cases: list[dict] = []
    results: list[dict] = []
    for n, (group, ingest) in enumerate(load_set(name)):
        cases += group
        results += run(group, str(folder / f"{name}-{n}.sqlite3"), ingest)
    return cases, results


def _clean(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("－", "-").replace("—", "-").replace("–", "-")


def contains(answer: str, expected: str) -> bool:
    answer, expected = _clean(answer), _clean(expected)
    if expected.isdigit():
        return re.search(rf"(?<![\d.@A-Za-z_]){re.escape(expected)}(?![\d@A-Za-z]|\.\d)", answer) is not None
    return expected in answer


def passes(case: dict, result: dict) -> bool:
    answer = result.get("answer", "")
    if "expect_any" in case:
        return bool(result.get("matched")) and len(answer) <= 400 and any(
            contains(answer, e) for e in case["expect_any"])
    if not result.get("matched"):
        return True
    none = case.get("expect_none")
    return bool(none) and not any(contains(answer, e) for e in none)


def run(cases: list[dict], db: str, ingest: list[str]) -> list[dict]:
    base = [sys.executable, "-m", "bot", "--db", db]
    if ingest:
        subprocess.run([*base, "ingest", *ingest], check=False, capture_output=True)  # the bundled one is refused
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write("\n".join(c["question"] for c in cases) + "\n")
    out = subprocess.run([*base, "ask", "--json", "--batch", fh.name], check=True, capture_output=True,
                         text=True, encoding="utf-8")
    Path(fh.name).unlink()
    return [json.loads(line) for line in out.stdout.splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--set", choices=sorted(SETS))
    parser.add_argument("--db")
    parser.add_argument("--ingest", nargs="*", default=[])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not args.files and not args.set:
        parser.error("give question files or --set")
    with tempfile.TemporaryDirectory() as tmp:
        if args.set:
            cases, results = run_set(args.set, Path(tmp))
        else:
            cases = [json.loads(line) for f in args.files for line in Path(f).read_text("utf-8").splitlines()
                     if line.strip()]
            results = run(cases, args.db or str(Path(tmp) / "eval.sqlite3"), args.ingest)
    answerable = [(c, r) for c, r in zip(cases, results, strict=True) if "expect_any" in c]
    traps = [(c, r) for c, r in zip(cases, results, strict=True) if "expect_any" not in c]
    ok_a = sum(passes(c, r) for c, r in answerable)
    ok_t = sum(passes(c, r) for c, r in traps)
    for c, r in zip(cases, results, strict=True):
        if args.verbose or not passes(c, r):
            mark = "ok  " if passes(c, r) else "FAIL"
            print(f"{mark} {c.get('id', '')} {c['question']} -> matched={r['matched']} "
                  f"score={r['score']} {r['answer'][:120]}")
    kinds: dict[str, list[bool]] = {}
    for c, r in zip(cases, results, strict=True):
        kinds.setdefault(c.get("kind") or "other", []).append(passes(c, r))
    for kind, marks in sorted(kinds.items()):
        print(f"  {kind:<12} {sum(marks)}/{len(marks)}  {sum(marks) / len(marks):.2f}")
    total = ok_a + ok_t
    print(f"answerable: {ok_a}/{len(answerable)}  traps: {ok_t}/{len(traps)}  "
          f"total: {total}/{len(cases)}  ({total / max(len(cases), 1):.3f})")
    return 0 if ok_a == len(answerable) and ok_t == len(traps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
