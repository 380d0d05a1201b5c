"""Channel adapters: the terminal chat (and, later, Telegram)."""
