"""web chat: the files a reply in the transcript carries (name and stored path), for the visitor to download

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 15:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('web_transcript', schema=None) as batch_op:
        batch_op.add_column(sa.Column('documents', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('web_transcript', schema=None) as batch_op:
        batch_op.drop_column('documents')
