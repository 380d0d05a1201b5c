"""Staff teach the guide from the questions the bot could not answer (rules, roles, the record).

The knowledge layer stores the additions and merges them into the index (knowledge/guide_edits.py);
here they are checked, done as a staff member (a refusal is an event like every other), and recorded
as ``guide_changed`` events beside the rows that say who did what. The question a change came from
is deleted: its text lives on, masked, as the new phrasing.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from bot import questions, texts
from bot.errors import InvalidInput, RuleViolation
from bot.tickets.codes import Action, Role
from bot.tickets.history import record_event
from bot.tickets.masking import mask_text
from bot.tickets.staff import require_role
from knowledge import guide_edits
from knowledge.guide_edits import GuideEdit

MAX_PHRASING = 200
MAX_TITLE = 100
MAX_ANSWER = 2000


def _text(value: str, limit: int, label: str) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    if not value or len(value) > limit:
        raise InvalidInput(texts.WEB_GUIDE_FIELD_RULE.format(label=label, max=limit))
    return value


def _require(session: Session, at: datetime, actor: str) -> None:
    require_role(session, at=at, actor=actor, action=Action.GUIDE_CHANGED, role=Role.STAFF)


def add_phrasing(session: Session, *, at: datetime, actor: str, entry_id: str, phrasing: str,
                 question_id: int | None = None) -> GuideEdit:
    """"Add as a way to ask entry X": the bot answers this wording from that entry from now on."""
    _require(session, at, actor)
    phrasing = mask_text(_text(phrasing, MAX_PHRASING, texts.WEB_GUIDE_LABEL_PHRASING))
    if entry_id not in {e.id for e in guide_edits.entries(session)}:
        raise InvalidInput(texts.WEB_GUIDE_NO_ENTRY.format(entry=entry_id))
    edit = guide_edits.add_phrasing(session, at=at, actor=actor, entry_id=entry_id, phrasing=phrasing)
    _done(session, at, actor, edit, question_id)
    return edit


def add_entry(session: Session, *, at: datetime, actor: str, title: str, basis: str, answer: str,
              asked_as: list[str], question_id: int | None = None) -> GuideEdit:
    """"Write a new guide entry": its title, the articles it rests on, the answer, the ways it is asked."""
    _require(session, at, actor)
    title = _text(title, MAX_TITLE, texts.WEB_GUIDE_LABEL_TITLE)
    basis = _text(basis, MAX_TITLE, texts.WEB_GUIDE_LABEL_BASIS)
    answer = _text(answer, MAX_ANSWER, texts.WEB_GUIDE_LABEL_ANSWER)
    phrasings = [mask_text(_text(p, MAX_PHRASING, texts.WEB_GUIDE_LABEL_ASKED)) for p in asked_as if p.strip()]
    if not phrasings:
        raise InvalidInput(texts.WEB_GUIDE_FIELD_RULE.format(label=texts.WEB_GUIDE_LABEL_ASKED, max=MAX_PHRASING))
    edit = guide_edits.add_entry(session, at=at, actor=actor, title=title, basis=basis, answer=answer,
                                 asked_as=phrasings)
    _done(session, at, actor, edit, question_id)
    return edit


def undo(session: Session, *, at: datetime, actor: str, edit_id: int) -> GuideEdit:
    """Undo a change; the bot stops answering from it in every process."""
    _require(session, at, actor)
    edit = session.get(GuideEdit, edit_id)
    if edit is None:
        raise InvalidInput(texts.WEB_GUIDE_NO_EDIT.format(id=edit_id))
    if edit.undone_at is not None:
        raise RuleViolation(texts.WEB_GUIDE_ALREADY_UNDONE.format(id=edit_id))
    guide_edits.undo(session, at=at, actor=actor, edit=edit)
    record_event(session, at=at, actor=actor, action=Action.GUIDE_CHANGED,
                 data={"edit": edit.id, "entry": edit.entry_id, "undone": True})
    return edit


def dismiss(session: Session, *, at: datetime, actor: str, question_id: int) -> None:
    """Delete a kept question without teaching anything (it is not the bot's to answer)."""
    _require(session, at, actor)
    questions.forget(session, question_id)


def _done(session: Session, at: datetime, actor: str, edit: GuideEdit, question_id: int | None) -> None:
    record_event(session, at=at, actor=actor, action=Action.GUIDE_CHANGED,
                 data={"edit": edit.id, "entry": edit.entry_id})
    if question_id is not None:
        questions.forget(session, question_id)
