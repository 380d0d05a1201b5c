"""staff: the administrator role; existing supervisors become administrators

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_EVENTS = sa.table(
    'ticket_events',
    sa.column('ticket_id', sa.Integer()),
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('actor', sa.String()),
    sa.column('action', sa.String()),
    sa.column('data', sa.JSON()),
)


def _role_check(roles: tuple[str, ...]) -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_staff_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_staff_role'),
                                         f"role IN ({', '.join(repr(r) for r in roles)})")


def upgrade() -> None:
    _role_check(('staff', 'supervisor', 'admin'))
    # Until now a supervisor was the most trusted role: it becomes an administrator, so a database in
    # use keeps someone who may manage staff. Each change is an event, like every staff change.
    connection = op.get_bind()
    names = connection.execute(sa.text("SELECT name FROM staff WHERE role = 'supervisor' ORDER BY name")).scalars()
    at = datetime.now(UTC)
    rows = [{'ticket_id': None, 'at': at, 'actor': 'system', 'action': 'staff_added',
             'data': {'name': name, 'role': 'admin'}} for name in names]
    op.execute("UPDATE staff SET role = 'admin' WHERE role = 'supervisor'")
    if rows:
        op.bulk_insert(_EVENTS, rows)


def downgrade() -> None:
    op.execute("UPDATE staff SET role = 'supervisor' WHERE role = 'admin'")
    _role_check(('staff', 'supervisor'))
