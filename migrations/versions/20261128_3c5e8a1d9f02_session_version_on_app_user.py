"""session version on app_user

Every session carries the user's session version next to the user id; log-out and a new password
raise it, so a copied session cookie and the user's other sessions stop working. Existing rows
start at 1; sessions made before this migration carry no version and have to log in again.

Revision ID: 3c5e8a1d9f02
Revises: 3f1c0a9e7b21
Create Date: 2026-11-28 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3c5e8a1d9f02'
down_revision = '3f1c0a9e7b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default=sa.text('1'),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
