"""The Telegram channel (python-telegram-bot): updates in, the core's replies out; thin."""
