"""One frozen settings object, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "gongkai-zhushou"


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


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(name, raw) from None
    if value < 1:
        raise SettingsError(name, raw)
    return value


class SettingsError(ValueError):
    """Raised when an environment variable holds a value the setting cannot take."""

    def __init__(self, name: str, raw: str) -> None:
        super().__init__(f"{name}={raw!r}")
        self.name = name
        self.raw = raw


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

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, db: str | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        url = db or env.get("DATABASE_URL") or default_database_url()
        return cls(
            database_url=normalize_database_url(url),
            log_level=env.get("LOG_LEVEL", "WARNING").upper(),
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
        )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def masked(self) -> dict[str, str]:
        """The settings as text, with secrets masked (safe to print or log)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = str(getattr(self, f.name))
            if f.name in ("telegram_token", "telegram_webhook_secret") and value:
                value = value[:4] + "…" + "*" * 6
            if f.name == "database_url" and "@" in value:
                head, _, tail = value.rpartition("@")
                scheme, _, cred = head.partition("://")
                user = cred.split(":", 1)[0]
                value = f"{scheme}://{user}:***@{tail}"
            out[f.name] = value
        return out
