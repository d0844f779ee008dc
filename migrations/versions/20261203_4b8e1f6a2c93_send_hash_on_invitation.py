"""send_hash on invitation

The summary page's form carries a random send id; the submit that claims the invitation keeps its
SHA-256 here, so that the same Send sent again (a double tap, a browser retrying) gets the thanks
page, while another device's Send on the used link is told the link is used. Random and never
stored with the response, it ties the response to nothing. Existing invitations have none.

Revision ID: 4b8e1f6a2c93
Revises: 7d2b9e4c1a60
Create Date: 2026-12-03 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '4b8e1f6a2c93'
down_revision = '7d2b9e4c1a60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('send_hash')
