"""substitute cost per hour on kommune, set by an administrator

A kommune's plans use it when a plan gives no rate of its own; empty means the planner's default
(300 kr per hour, docs/planning.md). Whole kroner, more than 0 and at most 2,000.

Revision ID: c4d5e6f7a8b9
Revises: b2e4d6f8a0c1
Create Date: 2026-12-05 09:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'c4d5e6f7a8b9'
down_revision = 'b2e4d6f8a0c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kommune', schema=None) as batch_op:
        batch_op.add_column(sa.Column('substitute_rate_nok', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'substitute_rate_range',
            'substitute_rate_nok IS NULL OR (substitute_rate_nok > 0 AND substitute_rate_nok <= 2000)')


def downgrade():
    with op.batch_alter_table('kommune', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_kommune_substitute_rate_range'), type_='check')
        batch_op.drop_column('substitute_rate_nok')
