"""reliable delivery: the inbox of updates, outbox keys, leases and parts, daily job runs, moved chats,
the shared flood limit and the form id

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dialogue_inbox',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('channel', 'update_id', name=op.f('pk_dialogue_inbox'))
    )
    op.create_index('ix_dialogue_inbox_status_received_at', 'dialogue_inbox', ['status', 'received_at'],
                    unique=False)
    op.create_table('scheduled_runs',
    sa.Column('job', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('worker', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('job', 'day', name=op.f('pk_scheduled_runs'))
    )
    op.create_table('dialogue_chat_moves',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('old_chat_id', sa.String(length=64), nullable=False),
    sa.Column('new_chat_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'old_chat_id', name=op.f('pk_dialogue_chat_moves'))
    )
    _move_seen_updates()
    op.drop_table('dialogue_seen_updates')

    with op.batch_alter_table('dialogue_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_id', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('flood_window', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('flood_count', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('owner', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('parts_sent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('unknown', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('error', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))
    # Messages written before keys existed keep one of their own; they are due at once.
    op.execute("UPDATE dialogue_outbox SET key = 'legacy:' || CAST(id AS VARCHAR(20)), next_attempt_at = created_at")
    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=160), nullable=False)
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_dialogue_outbox_event_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_dialogue_outbox_key'), ['key'])
        batch_op.create_index('ix_dialogue_outbox_due', ['status', 'next_attempt_at'], unique=False)


def _move_seen_updates() -> None:
    """Updates already handled stay handled (as done rows of the inbox); a day's digest stays sent."""
    connection = op.get_bind()
    seen = sa.table('dialogue_seen_updates', sa.column('channel', sa.String()), sa.column('update_id', sa.Integer()),
                    sa.column('at', sa.DateTime(timezone=True)))
    rows = connection.execute(sa.select(seen.c.channel, seen.c.update_id, seen.c.at)).all()
    inbox = [{'channel': c, 'update_id': u, 'status': 'done', 'received_at': at, 'attempts': 1}
             for c, u, at in rows if c != 'digest']
    runs = [{'job': 'digest', 'day': date(u // 10000, u // 100 % 100, u % 100), 'at': at, 'worker': 'migration'}
            for c, u, at in rows if c == 'digest']
    if inbox:
        op.bulk_insert(sa.table('dialogue_inbox', sa.column('channel', sa.String()),
                                sa.column('update_id', sa.BigInteger()), sa.column('status', sa.String()),
                                sa.column('received_at', sa.DateTime(timezone=True)),
                                sa.column('attempts', sa.Integer())), inbox)
    if runs:
        op.bulk_insert(sa.table('scheduled_runs', sa.column('job', sa.String()), sa.column('day', sa.Date()),
                                sa.column('at', sa.DateTime(timezone=True)), sa.column('worker', sa.String())),
                       runs)


def downgrade() -> None:
    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_dialogue_outbox_due')
        batch_op.drop_constraint(batch_op.f('uq_dialogue_outbox_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_dialogue_outbox_event_id'), ['event_id', 'chat_id'])
        for column in ('reported_at', 'error', 'unknown', 'parts_sent', 'owner', 'lease_until', 'next_attempt_at',
                       'key'):
            batch_op.drop_column(column)
    with op.batch_alter_table('dialogue_states', schema=None) as batch_op:
        for column in ('flood_count', 'flood_window', 'form_id'):
            batch_op.drop_column(column)
    op.create_table('dialogue_seen_updates',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'update_id', name=op.f('pk_dialogue_seen_updates'))
    )
    op.drop_table('dialogue_chat_moves')
    op.drop_table('scheduled_runs')
    op.drop_index('ix_dialogue_inbox_status_received_at', table_name='dialogue_inbox')
    op.drop_table('dialogue_inbox')
