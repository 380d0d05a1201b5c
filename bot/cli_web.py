"""`python -m bot web` (the staff console's server) and `python -m bot staff passwd NAME`.

The server itself is a channel adapter (handlers/web/): the launcher hands its factory in, so this
module, like the rest of bot/, imports nothing from handlers/.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

from bot import texts
from bot.accounts import set_password
from bot.app import App
from bot.cli_tickets import default_actor, in_transaction
from bot.errors import InvalidInput
from bot.tickets.clock import SystemClock

SiteFactory = Callable[[App], Any]  # App → an ASGI application


def _read_password(args: argparse.Namespace) -> str:
    """The new password: the first line of standard input (--password-stdin), or typed twice unseen."""
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput(texts.WEB_PASSWORD_NONE)
        return line.rstrip("\r\n")
    first = getpass.getpass(texts.WEB_PASSWORD_PROMPT.format(name=args.name))
    if getpass.getpass(texts.WEB_PASSWORD_PROMPT_AGAIN) != first:
        raise InvalidInput(texts.WEB_PASSWORD_MISMATCH)
    return first


def _passwd(app: App, args: argparse.Namespace) -> int:
    password = _read_password(args)
    now = SystemClock().now()
    in_transaction(app, lambda session: set_password(session, at=now, by=args.actor, name=args.name,
                                                     password=password))
    print(texts.WEB_PASSWORD_SAVED.format(name=args.name))
    return 0


def _serve(factory: SiteFactory) -> Callable[[App, argparse.Namespace], int]:
    def handler(app: App, args: argparse.Namespace) -> int:
        import uvicorn

        certfile, keyfile = _tls(args)
        site = factory(app)
        print(texts.WEB_STARTED.format(scheme="https" if certfile else "http", host=args.host, port=args.port),
              file=sys.stderr, flush=True)
        # Forwarded headers are honoured by the site itself, from WEB_TRUSTED_PROXIES only.
        uvicorn.run(site, host=args.host, port=args.port, proxy_headers=False, server_header=False,
                    log_level=app.settings.log_level.lower(), access_log=False, ssl_certfile=certfile,
                    ssl_keyfile=keyfile)
        return 0

    return handler


def _tls(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The certificate and key to serve HTTPS directly (no proxy in front): both or neither."""
    if not args.ssl_certfile and not args.ssl_keyfile:
        return None, None
    if not (args.ssl_certfile and args.ssl_keyfile):
        raise InvalidInput(texts.CLI_WEB_TLS_BOTH)
    for path in (args.ssl_certfile, args.ssl_keyfile):
        if not os.path.isfile(path):
            raise InvalidInput(texts.CLI_WEB_TLS_MISSING.format(path=path))
    return args.ssl_certfile, args.ssl_keyfile


def register(subparsers: Any, site: SiteFactory) -> None:
    """Add `web` and `staff passwd` (the `staff` command comes from bot.cli_admin)."""
    p = subparsers.add_parser("web", help=texts.CLI_WEB_HELP)
    p.add_argument("--host", default="127.0.0.1", help=texts.CLI_WEB_HOST_HELP)
    p.add_argument("--port", type=int, default=8080, help=texts.CLI_WEB_PORT_HELP)
    p.add_argument("--ssl-certfile", metavar="PEM", help=texts.CLI_WEB_CERTFILE_HELP)
    p.add_argument("--ssl-keyfile", metavar="PEM", help=texts.CLI_WEB_KEYFILE_HELP)
    p.set_defaults(handler=_serve(site))
    staff = subparsers.choices["staff"]
    sub = next(a for a in staff._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    p = sub.add_parser("passwd", help=texts.CLI_PASSWD_HELP)
    p.add_argument("name")
    p.add_argument("--as", dest="actor", default=default_actor(), metavar="NAME", help=texts.CLI_AS_HELP)
    p.add_argument("--password-stdin", action="store_true", help=texts.CLI_PASSWORD_STDIN_HELP)
    p.set_defaults(handler=_passwd)
