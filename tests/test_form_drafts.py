"""A request form left half-filled holds an identity number: the daily housekeeping drops it after
FORM_DRAFT_DAYS days without a change, and /privacy says so."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.dialogue.messages import Incoming
from bot.dialogue.models import DialogueState
from bot.settings import Settings, SettingsError
from bot.tickets.clock import FixedClock
from tests.dialogue_helpers import DAY, RESIDENT_ID, make_app


def test_an_abandoned_form_is_dropped_after_the_draft_days(db_url: str) -> None:
    clock = FixedClock.on(DAY)
    app = make_app(db_url, clock)

    def say(user: str, text: str = "", button: str | None = None) -> str:
        return "\n".join(r.text for r in app.engine.handle(Incoming("telegram", user, user, text=text, button=button)))

    for user in ("old", "recent"):
        say(user, "/apply")
        say(user, "张三")
        say(user, button="f:applicant_type:natural_person")
        say(user, button="f:id_kind:resident_id")
        if user == "old":
            say(user, RESIDENT_ID)
            clock.advance(days=20)
    clock.advance(days=11)  # "old" untouched for 31 days, "recent" for 11
    app.engine.run_scheduled("w")
    with app.db.session() as session:
        states = {s.user_id: s for s in session.scalars(select(DialogueState))}
        assert states["old"].flow is None and RESIDENT_ID not in str(states["old"].data)
        assert states["recent"].flow == "form"
    assert app.engine.resume("telegram", "old") == []
    assert "4. " in "".join(r.text for r in app.engine.resume("telegram", "recent"))  # still waiting for the number
    assert "超过 30 天未继续填写的自动删除" in say("old", "/privacy")
    app.close()


def test_the_draft_days_are_a_setting() -> None:
    assert Settings.from_env({}).form_draft_days == 30
    assert Settings.from_env({"FORM_DRAFT_DAYS": "7"}).form_draft_days == 7
    with pytest.raises(SettingsError, match="FORM_DRAFT_DAYS"):
        Settings.from_env({"FORM_DRAFT_DAYS": "0"})
