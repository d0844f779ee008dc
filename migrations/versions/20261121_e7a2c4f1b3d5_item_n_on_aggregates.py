"""n per group and item kept on aggregate rows

The round-wide suppression needs only each group's n per item, yet read every published row's
counts (megabytes at 200 schools) and worked the n out again at each publication. Rows written
from now on carry it; older rows are worked out from their counts until they are rewritten.

Revision ID: e7a2c4f1b3d5
Revises: d41e2b7c9a10
Create Date: 2026-11-21 23:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a2c4f1b3d5'
down_revision = 'd41e2b7c9a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('aggregate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_n', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('aggregate', schema=None) as batch_op:
        batch_op.drop_column('item_n')
