"""What the statistics store: staff-entered table 二 figures, published snapshots, import keys.

Everything else in the report is derived from the tickets when it is asked for.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.orm import Base


class ProactiveFigure(Base):
    """One cell of table 二 (主动公开), entered by staff for a year."""

    __tablename__ = "proactive_figures"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item: Mapped[str] = mapped_column(String(32), primary_key=True)  # a code, e.g. "regulations"
    field: Mapped[str] = mapped_column(String(32), primary_key=True)  # e.g. "issued", "in_force"
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PublishedReport(Base):
    """The figures of a year as published (``report publish``); later changes show as differences."""

    __tablename__ = "published_reports"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class ImportedRequest(Base):
    """A disclosure request that came from an office's register (登记台账), with its matching key."""

    __tablename__ = "imported_requests"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    register_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_key: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the row, when no number
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
