"""公开助手 core: settings, database, dialogue, tickets, deadlines, statistics, CLI."""
