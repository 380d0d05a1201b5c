"""Administration through HTTP: staff and roles, passwords, holiday schedules, the agency's details."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.agency import AgencySetting
from bot.app import App
from bot.settings import Settings
from bot.tickets.calendar_store import stored_schedules
from bot.tickets.clock import FixedClock
from bot.tickets.models import Staff, TicketEvent
from handlers.web.staff.site import create_site
from tests.dialogue_helpers import STAFF, SUPERVISOR
from tests.test_web_tickets import TICKET, file_request, service
from tests.web_helpers import ADMIN, client, post, sign_in, signed_in

ADMIN_PAGE = "/staff/admin"


def roles(app: App) -> dict[str, str]:
    with app.db.session() as session:
        return {m.name: m.role for m in session.scalars(select(Staff))}


def test_only_administrators_may_administer_and_refusals_are_recorded(app: App, clock: FixedClock) -> None:
    for name in (STAFF, SUPERVISOR):
        c = signed_in(app, clock, name)
        assert "/staff/admin" not in c.get("/staff/").text  # not in their navigation
        assert c.get(ADMIN_PAGE).status_code == 403
        assert post(c, "/staff/admin/staff", {"name": "x", "role": "admin"}, page="/staff/").status_code == 403
    with app.db.session() as session:
        denied = [(e.actor, e.data["action"]) for e in session.scalars(
            select(TicketEvent).where(TicketEvent.action == "denied"))]
    assert denied == [(STAFF, "admin_opened")] * 2 + [(SUPERVISOR, "admin_opened")] * 2
    assert roles(app) == {ADMIN: "admin", STAFF: "staff", SUPERVISOR: "supervisor"}
    page = signed_in(app, clock, ADMIN).get(ADMIN_PAGE)
    assert page.status_code == 200 and "工作人员与身份" in page.text


def test_staff_are_added_changed_and_removed(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock, ADMIN)
    assert post(c, "/staff/admin/staff", {"name": "zhao", "role": "staff"}, page=ADMIN_PAGE).status_code == 303
    assert post(c, "/staff/admin/staff", {"name": "zhao", "role": "supervisor"}, page=ADMIN_PAGE).status_code == 303
    assert roles(app)["zhao"] == "supervisor"
    bad = post(c, "/staff/admin/staff", {"name": "two words", "role": "staff"}, page=ADMIN_PAGE)
    assert bad.status_code == 400 and "不含空格" in bad.text and 'value="two words"' in bad.text
    bad = post(c, "/staff/admin/staff", {"name": "qian", "role": "boss"}, page=ADMIN_PAGE)
    assert bad.status_code == 400 and "身份“boss”无效" in bad.text and "qian" not in roles(app)
    last = post(c, "/staff/admin/staff", {"name": ADMIN, "role": "staff"}, page=ADMIN_PAGE)
    assert last.status_code == 400 and "唯一的管理员" in last.text
    assert post(c, "/staff/admin/staff/remove", {"name": "zhao"}, page=ADMIN_PAGE).status_code == 303
    assert "zhao" not in roles(app)


def test_removing_a_member_ends_their_sessions(app: App, clock: FixedClock) -> None:
    worker = signed_in(app, clock, STAFF)
    admin = signed_in(app, clock, ADMIN)
    assert post(admin, "/staff/admin/staff/remove", {"name": STAFF}, page=ADMIN_PAGE).status_code == 303
    assert worker.get("/staff/").status_code == 303


def test_an_administrator_sets_a_password(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock, ADMIN)
    mismatch = post(c, "/staff/admin/password", {"name": STAFF, "password": "new password one",
                                                 "again": "new password two"}, page=ADMIN_PAGE)
    assert mismatch.status_code == 400 and "不一致" in mismatch.text and "new password one" not in mismatch.text
    done = post(c, "/staff/admin/password", {"name": STAFF, "password": "new password one",
                                             "again": "new password one"}, page=ADMIN_PAGE)
    assert done.status_code == 303 and sign_in(client(app, clock), STAFF, "new password one") == 303


HOLIDAYS_2027 = "year 2027\n2027-01-01..2027-01-03 休 元旦\n2027-02-06..2027-02-12 休 春节\n2027-02-14 班 调休\n"


def test_holiday_schedules_show_what_changes_before_a_known_year_is_replaced(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock, ADMIN)
    broken = post(c, "/staff/admin/holidays", page=ADMIN_PAGE,
                  files=[("file", ("2027.txt", b"year 2027\n2027-02-30 \xe4\xbc\x91\n", "text/plain"))])
    assert broken.status_code == 400 and "第 2 行" in broken.text
    not_utf8 = post(c, "/staff/admin/holidays", page=ADMIN_PAGE,
                    files=[("file", ("2027.txt", "year 2027\n".encode("utf-16"), "text/plain"))])
    assert not_utf8.status_code == 400
    with app.db.session() as session:
        assert stored_schedules(session) == []
    new_year = post(c, "/staff/admin/holidays", page=ADMIN_PAGE,
                    files=[("file", ("2027.txt", HOLIDAYS_2027.encode("utf-8-sig"), "text/plain"))])
    assert new_year.status_code == 303
    known = "year 2026\n2026-10-01..2026-10-03 休 国庆\n"
    asked = post(c, "/staff/admin/holidays", page=ADMIN_PAGE,
                 files=[("file", ("2026.txt", known.encode(), "text/plain"))])
    assert asked.status_code == 409 and "2026 年已有节假日安排" in asked.text and "不再休息" in asked.text
    with app.db.session() as session:
        assert [s.year for s in stored_schedules(session)] == [2027]
    replaced = post(c, "/staff/admin/holidays", {"content": known, "replace": "1"}, page=ADMIN_PAGE)
    assert replaced.status_code == 303
    with app.db.session() as session:
        assert sorted(s.year for s in stored_schedules(session)) == [2026, 2027]


def test_the_agency_s_details_live_in_the_database_and_every_process_uses_them(
        app: App, clock: FixedClock, sqlite_url: str) -> None:
    c = signed_in(app, clock, ADMIN)
    with app.db.session() as session:  # seeded from the environment on the console's first start
        assert session.get(AgencySetting, "agency_name").value == "怀化市鹤城区人民政府"  # type: ignore[union-attr]
    page = c.get(ADMIN_PAGE)
    values = dict(re.findall(r'name="(agency_\w+|review_body|court)" value="([^"]*)"', page.text))
    assert values["court"] == "怀化市中级人民法院"
    empty = post(c, "/staff/admin/agency", {**values, "agency_phone": ""}, page=ADMIN_PAGE)
    assert empty.status_code == 400 and "“电话”不能为空" in empty.text
    saved = post(c, "/staff/admin/agency", {**values, "agency_name": "某市某区人民政府", "court": "某铁路运输法院"},
                 page=ADMIN_PAGE)
    assert saved.status_code == 303
    # Another process, started later with the old environment, replies with what staff saved.
    other = App(Settings.from_env(db=sqlite_url).with_(agency_name="环境里的旧名称"))
    create_site(other, clock=clock)  # a second console's start does not seed over the saved details
    number = file_request(other, clock)
    with other.db.session() as session:
        letter = service(other, session, clock).close(session, STAFF, number, outcome="state_secret")
    assert "某市某区人民政府" in letter and "向某铁路运输法院提起行政诉讼" in letter and "环境里的旧名称" not in letter
    other.close()
    assert "某市某区人民政府 · 政府信息公开工作台" in c.get(TICKET).text
    with app.db.session() as session:
        event = session.scalar(select(TicketEvent).where(TicketEvent.action == "settings_changed"))
        assert event is not None and event.data["keys"] == ["agency_name", "court"] and event.actor == ADMIN
