"""The web channel: one ASGI application (Starlette under uvicorn) that the Telegram webhook, the staff
console and the citizen web chat are mounted on (``handlers.web.server.create_app``)."""
