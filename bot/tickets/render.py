"""Plain-text rendering of tickets for staff (the CLI; the staff chat can reuse it)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot import texts
from bot.tickets.clock import SHANGHAI
from bot.tickets.outcomes import OUTCOMES
from bot.tickets.views import EventView, TicketDetail, TicketRow
from bot.workdays import Due

# Event data keys whose values are codes, and the labels to show for them.
_CODE_LABELS: dict[str, dict[str, str]] = {
    "kind": {**texts.KIND_LABELS, **texts.REMEDY_KIND_LABELS},
    "channel": texts.CHANNEL_LABELS,
    "party": texts.PAUSE_LABELS,
    "role": texts.ROLE_LABELS,
    "result": texts.REMEDY_RESULT_LABELS,
    "action": texts.ACTION_LABELS,
}


# Event data: a date and the flag saying it reaches a year whose holidays are not yet known.
_PROVISIONAL_FLAGS = {"due": "provisional", "deadline": "deadline_provisional", "limit": "limit_provisional",
                      "old": "old_provisional"}


def due_text(due_on: date | None, provisional: bool, overdue: bool = False, soon: bool = False) -> str:
    if due_on is None:
        return texts.DUE_NONE
    mark = texts.DUE_OVERDUE if overdue else texts.DUE_SOON if soon else ""
    return f"{due_on.isoformat()}{texts.DUE_PROVISIONAL if provisional else ''}{mark}"


def outcome_label(code: str | None) -> str:
    if code is None:
        return ""
    if code in OUTCOMES:
        outcome = OUTCOMES[code]
        return outcome.row if outcome.row == outcome.group else f"{outcome.group} {outcome.row}"
    return texts.ENQUIRY_OUTCOME_LABELS.get(code, code)


def render_row(row: TicketRow) -> str:
    return texts.LIST_LINE.format(
        number=row.number,
        kind=texts.KIND_LABELS[row.kind],
        status=texts.STATUS_LABELS[row.status],
        due=due_text(row.due_on, row.provisional, row.overdue, row.due_soon),
        assignee=row.assignee or texts.UNASSIGNED,
        applicant=row.applicant or "—",
        contact=row.contact or "—",
    )


def _value(key: str, value: Any) -> str:
    labels = {
        "applicant_type": texts.APPLICANT_TYPE_LABELS, "id_kind": texts.ID_KIND_LABELS,
        "form": texts.FORM_LABELS, "delivery": texts.DELIVERY_LABELS,
    }.get(key)
    if labels is not None:
        return labels.get(value, value)
    if isinstance(value, Due):
        return due_text(value.date, value.provisional)
    return value.isoformat() if isinstance(value, date) else str(value)


def render_detail(detail: TicketDetail) -> list[str]:
    row = detail.row
    lines = [texts.SHOW_TITLE.format(number=row.number, kind=texts.KIND_LABELS[row.kind],
                                     channel=texts.CHANNEL_LABELS[row.channel],
                                     status=texts.STATUS_LABELS[row.status])]
    shown: dict[str, Any] = {
        "subject": row.subject, "received_on": row.received_on,
        "due_on": due_text(row.due_on, row.provisional, row.overdue, row.due_soon),
        "assignee": row.assignee or texts.UNASSIGNED, "applicant": row.applicant or None,
        **detail.facts, "outcome": outcome_label(row.outcome) or None,
    }
    for key, value in shown.items():
        if value not in (None, "", 0):
            lines.append(texts.SHOW_LINE.format(label=texts.SHOW_LABELS[key], value=_value(key, value)))
    for pause in detail.pauses:
        end = texts.SHOW_PAUSE_ENDED.format(end=pause.ended_on) if pause.ended_on else texts.SHOW_PAUSE_OPEN
        lines.append(texts.SHOW_PAUSE.format(kind=texts.PAUSE_LABELS[pause.kind], start=pause.started_on,
                                             limit=due_text(pause.limit.date, pause.limit.provisional), end=end))
    for record in detail.remedies:
        decided = f"（{record.decided_on}）" if record.decided_on else ""
        lines.append(texts.SHOW_REMEDY.format(id=record.id, kind=texts.REMEDY_KIND_LABELS[record.kind],
                                              filed=record.filed_on, result=texts.REMEDY_RESULT_LABELS[record.result],
                                              decided=decided))
    if detail.revealed:
        lines.append(texts.SHOW_REVEALED)
    lines.append(texts.SHOW_HISTORY)
    lines.extend(render_event(e) for e in detail.events)
    return lines


def render_event(event: EventView) -> str:
    at, actor, what = event_parts(event)
    return texts.SHOW_EVENT.format(at=at, actor=actor, action=what, move="", data="")


def event_parts(event: EventView) -> tuple[str, str, str]:
    """An event as (local time, who, what happened with its details): a line of the history."""
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)  # SQLite returns naive UTC
    move = ""
    if event.src != event.dst and event.dst:
        src = texts.STATUS_LABELS.get(event.src or "", "")
        move = f"：{src} → {texts.STATUS_LABELS[event.dst]}" if src else f"：{texts.STATUS_LABELS[event.dst]}"
    items = {k: v for k, v in event.data.items() if k not in _PROVISIONAL_FLAGS.values()}
    for key, flag in _PROVISIONAL_FLAGS.items():  # a provisional date is marked where it stands
        if event.data.get(flag) and isinstance(items.get(key), str):
            items[key] = f"{items[key]}{texts.DUE_PROVISIONAL}"
    data = "；".join(_data_item(k, v) for k, v in items.items() if v not in (None, False))
    return _local(at), event.actor, f"{texts.ACTION_LABELS[event.action]}{move}{f'（{data}）' if data else ''}"


def _data_item(key: str, value: Any) -> str:
    label = texts.EVENT_DATA_LABELS.get(key, key)
    if value is True:
        return label
    if key == "outcome":
        return f"{label}：{outcome_label(value)}"
    if isinstance(value, list):
        value = "、".join(map(str, value))
    shown = _CODE_LABELS.get(key, {}).get(value, str(value)) if isinstance(value, str) else str(value)
    return f"{label}：{shown}"


def _local(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
