"""The channel-neutral dialogue core: ``Engine.handle(incoming) -> list[Reply]``; it never sends."""

from bot.dialogue.messages import Button, Document, Incoming, Reply

__all__ = ["Button", "Document", "Incoming", "Reply"]
