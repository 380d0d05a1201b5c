"""One frozen settings object, read once from the environment."""

from __future__ import annotations

import getpass
import logging
import os
import re
from dataclasses import dataclass, field, fields, replace
from email.utils import formataddr, parseaddr
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from platformdirs import user_cache_dir, user_data_dir
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

APP_NAME = "gongkai-zhushou"
# The databases the project installs a driver for and tests on.
SUPPORTED_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


def default_data_dir() -> Path:
    return Path(os.environ.get("GONGKAI_DATA_DIR") or user_data_dir(APP_NAME))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'gongkai.sqlite3'}"


def normalize_database_url(value: str) -> str:
    """Turn what a user types into a SQLAlchemy URL.

    A bare file path means a SQLite file; ``postgresql://`` and ``postgres://`` use psycopg 3,
    the driver this project installs.
    """
    value = value.strip()
    if value.startswith("postgres://"):
        value = "postgresql://" + value[len("postgres://"):]
    if value.startswith("postgresql://"):
        return "postgresql+psycopg://" + value[len("postgresql://"):]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _database_url(raw: str, name: str) -> str:
    """A supported database URL, or SettingsError naming where it came from (``--db`` or DATABASE_URL)."""
    url = normalize_database_url(raw)
    scheme = url.partition("://")[0].lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise SettingsError(name, mask_url(raw.strip()), "database")
    try:
        make_url(url)
    except (ArgumentError, ValueError):  # a malformed URL (a port that is not a number …)
        raise SettingsError(name, mask_url(raw.strip()), "database") from None
    return url


def mask_url(url: str) -> str:
    """A database URL with its password hidden, in the user part and in the query (``?password=``)."""
    head, sep, query = url.partition("?")
    if "://" in head and "@" in head:
        prefix, _, host = head.rpartition("@")
        scheme, _, cred = prefix.partition("://")
        user, has_password, _ = cred.partition(":")
        head = f"{scheme}://{user}{':***' if has_password else ''}@{host}"
    if sep:
        pairs = [(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs, safe="*")
    return head + sep + query


def os_login() -> str:
    """The operating-system login name (recorded beside the staff name on every CLI event)."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError, ImportError):  # no login name in some containers
        return "unknown"


def _log_level(env: dict[str, str]) -> str:
    raw = env.get("LOG_LEVEL", "").strip()
    level = raw.upper() or "WARNING"
    if level not in logging.getLevelNamesMapping():
        raise SettingsError("LOG_LEVEL", raw, "log_level")
    return level


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(name, raw, "port" if name.endswith("PORT") else "working_days") from None
    if value < 1:
        raise SettingsError(name, raw, "port" if name.endswith("PORT") else "working_days")
    return value


def _count(env: dict[str, str], name: str, default: int, *, least: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < least:
        raise SettingsError(name, raw, "count")
    return int(raw)


def _time_of_day(env: dict[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    hour, sep, minute = raw.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60 and len(minute) == 2):
        raise SettingsError(name, raw, "time")
    return f"{int(hour):02d}:{minute}"


def _switch(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        raise SettingsError(name, raw, "switch")
    return raw in ("1", "true", "yes", "on")


def _smtp_url(env: dict[str, str]) -> str:
    raw = env.get("SMTP_URL", "").strip()
    if raw:
        parse_smtp_url(raw)  # refused at start, in Chinese, rather than at the first e-mail
    return raw


def _prefix(value: str) -> str:
    """WEB_CHAT_PREFIX as a mount path: "" (the chat at /) or "/name" without a trailing slash."""
    value = value.strip().strip("/")
    return "/" + value if value else ""


def _at_most(value: int, limit: int, name: str) -> int:
    if value > limit:
        raise SettingsError(name, str(value))
    return value


@dataclass(frozen=True)
class SmtpServer:
    """Where e-mail is handed over (SMTP_URL), parsed.

    ``smtp://[user:password@]host[:port][?starttls=1]``: plain SMTP, or STARTTLS (required: a server that
    does not offer it is not sent to) with ``starttls=1``; ``smtps://…``: TLS from the first byte. The user
    and the password are percent-decoded. Default port: 25 (``smtp://``), 587 (``starttls=1``), 465
    (``smtps://``). ``timeout=`` seconds for each network step (default 30). A password is never sent in the
    clear: with a user, ``smtp://`` needs ``starttls=1`` unless the server is this machine.
    """

    host: str
    port: int
    security: str  # "none", "starttls" or "tls"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0


_SMTP_SECURITY = {"smtp": "none", "smtps": "tls"}
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def parse_smtp_url(raw: str, name: str = "SMTP_URL") -> SmtpServer:
    """SMTP_URL as a ``SmtpServer``, or SettingsError (the password masked in what it names)."""
    shown = mask_url(raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
        query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:  # a port that is not a number, a query that is not key=value …
        raise SettingsError(name, shown, "smtp") from None
    scheme = parts.scheme.lower()
    options = dict(query)
    if (scheme not in _SMTP_SECURITY or not parts.hostname or parts.path not in ("", "/") or parts.fragment
            or len(options) != len(query) or set(options) - {"starttls", "timeout"}
            or (scheme == "smtps" and "starttls" in options)):
        raise SettingsError(name, shown, "smtp")
    security = _SMTP_SECURITY[scheme]
    starttls = options.get("starttls", "0").strip().lower()
    if starttls not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        raise SettingsError(name, shown, "smtp")
    if starttls in ("1", "true", "yes", "on"):
        security = "starttls"
    timeout = options.get("timeout", "30")
    try:
        seconds = float(timeout)
    except ValueError:
        raise SettingsError(name, shown, "smtp") from None
    if not 0 < seconds <= 600:
        raise SettingsError(name, shown, "smtp")
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    if user and security == "none" and parts.hostname not in _LOOPBACK:
        raise SettingsError(name, shown, "smtp_clear_password")
    default_port = {"none": 25, "starttls": 587, "tls": 465}[security]
    return SmtpServer(parts.hostname, port or default_port, security, user, password, seconds)


def _mailbox(env: dict[str, str], name: str) -> str:
    """An e-mail address, with or without a display name (``名称 <x@example.gov.cn>``); "" when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return ""
    _display, address = parseaddr(raw)
    local, at, domain = address.rpartition("@")
    if not (at and local and "." in domain) or any(c in raw for c in "\r\n"):
        raise SettingsError(name, raw, "mailbox")
    return raw


class SettingsError(ValueError):
    """Raised when an environment variable (or ``--db``) holds a value the setting cannot take.

    ``expected`` says what it should be (a key of ``texts.BAD_SETTINGS``): ``working_days``, ``port``,
    ``log_level``, ``database``, ``smtp`` …
    """

    def __init__(self, name: str, raw: str, expected: str = "working_days") -> None:
        super().__init__(f"{name}={raw!r}")
        self.name = name
        self.raw = raw
        self.expected = expected


# Fields never printed as they are: the bot token, the webhook secret, the database and SMTP passwords.
_SECRETS = ("telegram_token", "telegram_webhook_secret", "database_url", "smtp_url")


@dataclass(frozen=True)
class Settings:
    database_url: str
    log_level: str = "WARNING"
    home_agency: str = "鹤城区"
    cache_dir: Path = Path(user_cache_dir(APP_NAME))
    index_cache: bool = True
    telegram_token: str = ""
    # The agency that answers requests; named in every reply (see docs/tickets.md).
    agency_name: str = "怀化市鹤城区人民政府"
    agency_address: str = "怀化市鹤城区政府行政中心主楼四楼"
    agency_phone: str = "0745-2230100"
    agency_email: str = "hhhcxxs@163.com"
    # 行政复议法第二十四条: a district government's acts are reviewed by the city government.
    review_body: str = "怀化市人民政府"
    # 行政诉讼法第十五条: suits against a county-level government go to the intermediate court.
    court: str = "怀化市中级人民法院"
    home_calendar: str = "CN"
    correction_days: int = 15
    fee_payment_days: int = 20
    due_soon_days: int = 3
    # The chat channels (docs/conversation.md).
    staff_chat_id: str = ""
    telegram_api_base_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = ""
    telegram_listen: str = "127.0.0.1"
    telegram_port: int = 8443
    # Reliability (README, "Reliability"): Telegram's own rate limits, the per-user flood limit, when the
    # digest goes out, how long handled updates and attached files are kept.
    telegram_rate_limit: bool = True
    flood_limit: int = 30
    flood_window: int = 60
    digest_time: str = "09:00"
    inbox_retention_days: int = 7
    attachment_retention_years: int = 0  # 0: attached files are never pruned
    outbox_lease_seconds: int = 120  # a message a worker took is another's to send after this long
    # The staff console (docs/web.md): idle session hours, trusted reverse proxies, upload limit.
    web_session_hours: int = 8
    web_trusted_proxies: str = ""
    web_upload_max_mb: int = 10
    # The citizens' web chat (README, "Web chat"): where it is served, who may frame it, its limits.
    web_chat_prefix: str = ""
    web_allowed_origins: str = ""  # space- or comma-separated origins allowed to frame the chat (the widget)
    web_chat_limit: int = 20  # messages per visitor per minute
    web_address_limit: int = 60  # messages per network address per minute
    web_transcript_days: int = 30  # the privacy notice promises 30 at most
    # Unanswered questions are kept as (masked) text this many days; the privacy notice promises 90 at most.
    question_retention_days: int = 90
    # A request form left half-filled (it holds an identity number) is dropped after this many days.
    form_draft_days: int = 30
    # Who acts on the command line when --as is not given (GONGKAI_STAFF; else the login name).
    acting_staff: str = ""
    # E-mail to web-chat applicants who gave an address (README, "Web chat"): unset, none is sent.
    smtp_url: str = ""
    smtp_from: str = ""  # the From of those e-mails; unset: the agency's name and e-mail (AGENCY_EMAIL)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, db: str | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        url = db or env.get("DATABASE_URL") or default_database_url()
        return cls(
            database_url=_database_url(url, "--db" if db else "DATABASE_URL"),
            log_level=_log_level(env),
            home_agency=env.get("HOME_AGENCY", "鹤城区"),
            cache_dir=Path(env.get("GONGKAI_CACHE_DIR") or user_cache_dir(APP_NAME)),
            index_cache=env.get("GONGKAI_INDEX_CACHE", "1") not in ("0", "false", "no"),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            agency_name=env.get("AGENCY_NAME", cls.agency_name),
            agency_address=env.get("AGENCY_ADDRESS", cls.agency_address),
            agency_phone=env.get("AGENCY_PHONE", cls.agency_phone),
            agency_email=env.get("AGENCY_EMAIL", cls.agency_email),
            review_body=env.get("AGENCY_REVIEW_BODY", cls.review_body),
            court=env.get("AGENCY_COURT", cls.court),
            home_calendar=env.get("HOME_CALENDAR", cls.home_calendar).upper(),
            correction_days=_positive_int(env, "CORRECTION_DAYS", cls.correction_days),
            fee_payment_days=_positive_int(env, "FEE_PAYMENT_DAYS", cls.fee_payment_days),
            due_soon_days=_positive_int(env, "DUE_SOON_DAYS", cls.due_soon_days),
            staff_chat_id=env.get("STAFF_CHAT_ID", "").strip(),
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip().rstrip("/"),
            telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL", "").strip(),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip(),
            telegram_listen=env.get("TELEGRAM_LISTEN", cls.telegram_listen).strip(),
            telegram_port=_positive_int(env, "TELEGRAM_PORT", cls.telegram_port),
            telegram_rate_limit=_switch(env, "TELEGRAM_RATE_LIMIT", cls.telegram_rate_limit),
            flood_limit=_count(env, "FLOOD_LIMIT", cls.flood_limit, least=1),
            flood_window=_count(env, "FLOOD_WINDOW", cls.flood_window, least=1),
            digest_time=_time_of_day(env, "DIGEST_TIME", cls.digest_time),
            inbox_retention_days=_count(env, "INBOX_RETENTION_DAYS", cls.inbox_retention_days, least=1),
            attachment_retention_years=_count(env, "ATTACHMENT_RETENTION_YEARS", cls.attachment_retention_years,
                                              least=0),
            outbox_lease_seconds=_count(env, "OUTBOX_LEASE_SECONDS", cls.outbox_lease_seconds, least=5),
            acting_staff=env.get("GONGKAI_STAFF", "").strip(),
            web_session_hours=_positive_int(env, "WEB_SESSION_HOURS", cls.web_session_hours),
            web_trusted_proxies=env.get("WEB_TRUSTED_PROXIES", "").strip(),
            web_upload_max_mb=_positive_int(env, "WEB_UPLOAD_MAX_MB", cls.web_upload_max_mb),
            web_chat_prefix=_prefix(env.get("WEB_CHAT_PREFIX", "")),
            web_allowed_origins=" ".join(o for o in re.split(r"[\s,]+", env.get("WEB_ALLOWED_ORIGINS", "")) if o),
            web_chat_limit=_positive_int(env, "WEB_CHAT_LIMIT", cls.web_chat_limit),
            web_address_limit=_positive_int(env, "WEB_ADDRESS_LIMIT", cls.web_address_limit),
            web_transcript_days=_at_most(_positive_int(env, "WEB_TRANSCRIPT_DAYS", cls.web_transcript_days), 30,
                                         "WEB_TRANSCRIPT_DAYS"),
            question_retention_days=_at_most(
                _positive_int(env, "QUESTION_RETENTION_DAYS", cls.question_retention_days), 90,
                "QUESTION_RETENTION_DAYS"),
            form_draft_days=_count(env, "FORM_DRAFT_DAYS", cls.form_draft_days, least=1),
            smtp_url=_smtp_url(env),
            smtp_from=_mailbox(env, "SMTP_FROM"),
        )

    @property
    def smtp(self) -> SmtpServer | None:
        """The SMTP server e-mail is sent through; None: no e-mail at all."""
        return parse_smtp_url(self.smtp_url) if self.smtp_url else None

    def mail_from(self) -> str:
        """The From of the e-mails: SMTP_FROM, else the agency's name and e-mail address (``agency_email``:
        pass the settings as stored in the database, ``bot.agency.effective_settings``)."""
        return self.smtp_from or formataddr((self.agency_name, self.agency_email))

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def masked(self) -> dict[str, str]:
        """The settings as text, with secrets masked (safe to print or log)."""
        return {f.name: self._shown(f.name) if f.name in _SECRETS else str(getattr(self, f.name))
                for f in fields(self)}

    def _shown(self, name: str) -> str:
        value = str(getattr(self, name))
        if name in ("database_url", "smtp_url"):
            return mask_url(value)
        return "**********" if value else ""

    def __repr__(self) -> str:
        # The dataclass repr would print the token, the webhook secret and the database password.
        return "Settings(" + ", ".join(
            f"{f.name}={self._shown(f.name) if f.name in _SECRETS else getattr(self, f.name)!r}"
            for f in fields(self)) + ")"

    __str__ = __repr__
