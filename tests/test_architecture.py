"""One direction of imports: handlers → bot → knowledge; only handlers import telegram."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("knowledge"), ids=str)
def test_knowledge_imports_neither_bot_nor_handlers_nor_telegram(path: Path) -> None:
    assert not _imports(path) & {"bot", "handlers", "telegram"}


@pytest.mark.parametrize("path", _modules("bot"), ids=str)
def test_bot_does_not_import_handlers_or_telegram_except_the_launcher(path: Path) -> None:
    forbidden = {"telegram"} if path.name == "__main__.py" else {"handlers", "telegram"}
    assert not _imports(path) & forbidden
