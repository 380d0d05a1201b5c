"""web chat: the visitors' transcript, access codes, shared limits, the signing key; tickets of channel web

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 13:43:56.890072
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


_CHANNELS = ('telegram', 'terminal', 'counter', 'post', 'fax', 'email', 'website')


def _channel_check(channels: tuple[str, ...]) -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tickets_channel'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_tickets_channel'),
                                         f"channel IN ({', '.join(repr(c) for c in channels)})")


def upgrade() -> None:
    _channel_check((*_CHANNELS, 'web'))
    op.create_table('web_access_codes',
    sa.Column('ticket_number', sa.String(length=11), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ticket_number', name=op.f('pk_web_access_codes'))
    )
    op.create_table('web_chat_keys',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_chat_keys'))
    )
    op.create_table('web_rate_limits',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('window', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_web_rate_limits'))
    )
    op.create_table('web_transcript',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visitor_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('speaker', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_transcript'))
    )
    with op.batch_alter_table('web_transcript', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_transcript_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_transcript_visitor_id'), ['visitor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('web_transcript', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_transcript_visitor_id'))
        batch_op.drop_index(batch_op.f('ix_web_transcript_at'))

    op.drop_table('web_transcript')
    op.drop_table('web_rate_limits')
    op.drop_table('web_chat_keys')
    op.drop_table('web_access_codes')
    _channel_check(_CHANNELS)
