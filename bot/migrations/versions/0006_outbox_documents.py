"""outbox documents: the files a message carries, as references (a channel's file id or a stored path)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('documents', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dialogue_outbox', schema=None) as batch_op:
        batch_op.drop_column('documents')
