"""The domain dictionary holds words of the documents, not words of one listed question."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parents[1] / "knowledge" / "data"
TESTS = Path(__file__).parent / "data"


def test_every_dictionary_word_occurs_in_the_knowledge_the_template_or_a_development_report() -> None:
    corpus = "".join(p.read_text("utf-8") for p in (DATA / "hecheng_2019.txt", DATA / "tiaoli_2019.txt",
                                                     DATA / "guide.md"))
    corpus += "".join(p.read_text("utf-8") for p in (TESTS / "law").glob("template-*.md"))
    corpus += "".join(p.read_text("utf-8") for p in (TESTS / "reports").glob("*.txt"))
    words = [line.split()[0] for line in (DATA / "userdict.txt").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert words and [w for w in words if w not in corpus] == []
