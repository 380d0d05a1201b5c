"""Answer quality through the `ask --json --batch` contract, scored by scripts/evaluate.py's rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from evaluate import contains, passes  # noqa: E402


def _run(cli, db: str, cases: list[dict], tmp_path: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    batch = tmp_path / "batch.txt"
    batch.write_text("\n".join(c["question"] for c in cases) + "\n", encoding="utf-8")
    status, out, _ = cli("--db", db, "ask", "--json", "--batch", str(batch))
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]


def _failures(cases: list[dict], results: list[dict]) -> list[str]:
    return [f"{c['id']} {c['question']} -> {r['answer'][:80]}" for c, r in zip(cases, results, strict=True)
            if not passes(c, r)]


def test_every_development_question_is_answered_or_refused_correctly(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = _load("dev_questions.jsonl")
    results = _run(cli, sqlite_url, cases, tmp_path)
    assert _failures(cases, results) == []


def test_other_phrasings_traditional_characters_and_traps(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = _load("extra_questions.jsonl")
    results = _run(cli, sqlite_url, cases, tmp_path)
    failures = _failures(cases, results)
    traps = [c for c in cases if "expect_any" not in c]
    trap_failures = [f for f in failures if f.split()[0] in {c["id"] for c in traps}]
    assert trap_failures == []  # a wrong figure is worse than no answer
    assert len(failures) <= len(cases) // 20, failures  # at least 95% of the other phrasings


@pytest.mark.parametrize(
    ("answer", "expected", "found"),
    [("邮箱 hhhcxxs@163.com", "63", False), ("共2063件", "63", False), ("来信63件", "63", True),
     ("电话：0745－2230100", "0745-2230100", True)],
)
def test_the_scoring_rule_for_whole_numbers(answer: str, expected: str, found: bool) -> None:
    assert contains(answer, expected) is found
