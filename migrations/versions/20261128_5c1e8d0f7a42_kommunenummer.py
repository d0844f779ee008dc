"""kommunenummer on kommune

Kommune names repeat across fylker (Herøy is in Nordland and in Møre og Romsdal), so a kommune can
be named by its four-digit number. It stays empty for kommuner imported without one.

Revision ID: 5c1e8d0f7a42
Revises: 8c5c342625e4
Create Date: 2026-11-28 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5c1e8d0f7a42'
down_revision = '8c5c342625e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kommune', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=4), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_kommune_number'), ['number'])


def downgrade():
    with op.batch_alter_table('kommune', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_kommune_number'), type_='unique')
        batch_op.drop_column('number')
