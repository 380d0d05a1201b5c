"""The citizens' web chat: the dialogue core behind a page that works without JavaScript."""

from handlers.web.chat.app import chat_app

__all__ = ["chat_app"]
