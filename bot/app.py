"""The composition root: settings → database → knowledge → services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot import questions
from bot.db import Database
from bot.locks import hold

if TYPE_CHECKING:
    from bot.dialogue.engine import Engine as DialogueEngine
from bot.settings import Settings
from knowledge import textproc
from knowledge.bundled import ensure_bundled
from knowledge.matcher import Matcher
from knowledge.service import KnowledgeBase

log = logging.getLogger(__name__)
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore", "uvicorn", "uvicorn.error", "uvicorn.access")


@dataclass
class App:
    settings: Settings
    db: Database = field(init=False)

    def __post_init__(self) -> None:
        logging.basicConfig(level=self.settings.log_level, format="%(levelname)s %(name)s: %(message)s")
        # httpx logs request URLs, which carry the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if logging.getLevelName(self.settings.log_level) >= logging.WARNING:
            # Citizens and staff read stderr in Chinese: the libraries' English lines (network retries,
            # access logs) show only when LOG_LEVEL asks for INFO or DEBUG; their errors still do.
            for name in LIBRARY_LOGGERS:
                logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        textproc.use_cache_dir(self.settings.cache_dir)  # jieba's trimmed dictionary
        self.db = Database(self.settings.database_url)
        # Unanswered questions are kept as masked text for staff (bot/questions.py), in every process.
        questions.install(self.settings.question_retention_days)
        # The message of a ticket event is written in the event's own transaction, whoever records it.
        from bot.dialogue import outbox

        outbox.install(self.db, self.settings)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        with self.db.session() as session:
            hold(session, "knowledge")  # processes starting together load the bundled documents once
            ensure_bundled(session)
        # joined: the index's freshness check during a question reads in the question's own transaction.
        return KnowledgeBase(self.db.joined, cache_dir=self.settings.cache_dir if self.settings.index_cache else None)

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher(self.knowledge, home_agency=self.settings.home_agency)

    @cached_property
    def engine(self) -> DialogueEngine:
        """The dialogue core every channel shares."""
        from bot.dialogue.engine import Engine

        return Engine(self.settings, self.db.session, lambda: self.matcher)

    def close(self) -> None:
        self.db.dispose()
