"""statistics: staff-entered table 二 figures, published reports, imported register rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proactive_figures',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('entered_by', sa.String(length=64), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', 'item', 'field', name=op.f('pk_proactive_figures'))
    )
    op.create_table('published_reports',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_published_reports'))
    )
    op.create_table('imported_requests',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('register_no', sa.String(length=64), nullable=True),
    sa.Column('content_key', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_imported_requests_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_imported_requests')),
    sa.UniqueConstraint('register_no', name=op.f('uq_imported_requests_register_no'))
    )
    with op.batch_alter_table('imported_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_requests_content_key'), ['content_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('imported_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_requests_content_key'))
    op.drop_table('imported_requests')
    op.drop_table('published_reports')
    op.drop_table('proactive_figures')
