"""The composition root: settings → database → knowledge → services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.db import Database

if TYPE_CHECKING:
    from bot.dialogue.engine import Engine as DialogueEngine
from bot.settings import Settings
from knowledge.bundled import ensure_bundled
from knowledge.matcher import Matcher
from knowledge.service import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database = field(init=False)

    def __post_init__(self) -> None:
        logging.basicConfig(level=self.settings.log_level, format="%(levelname)s %(name)s: %(message)s")
        # httpx logs request URLs, which carry the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.db = Database(self.settings.database_url)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        with self.db.session() as session:
            ensure_bundled(session)
        return KnowledgeBase(self.db.session, cache_dir=self.settings.cache_dir if self.settings.index_cache else None)

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
