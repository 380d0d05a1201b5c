"""dialogue: conversation state, updates seen, the outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 16:05:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dialogue_states',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('flow', sa.String(length=32), nullable=True),
    sa.Column('step', sa.String(length=32), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'user_id', name=op.f('pk_dialogue_states'))
    )
    op.create_table('dialogue_seen_updates',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'update_id', name=op.f('pk_dialogue_seen_updates'))
    )
    op.create_table('dialogue_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('ticket_number', sa.String(length=11), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_outbox')),
    sa.UniqueConstraint('event_id', 'chat_id', name=op.f('uq_dialogue_outbox_event_id'))
    )
    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_outbox_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_outbox_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_dialogue_outbox_chat_id'))
    op.drop_table('dialogue_outbox')
    op.drop_table('dialogue_seen_updates')
    op.drop_table('dialogue_states')
