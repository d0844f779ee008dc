"""sealed drafts

Drafts were JSON on the invitation row, next to its token hash; they are now sealed with a key
derived from the token (invitation.sealed_draft), with the day of the last save. The old drafts
cannot be sealed here, since the tokens are not stored, so they are deleted: whoever was half-way
starts again at the first page. Keeping them readable until their owners came back would have left
plaintext answers next to token hashes for as long as the round stays open.

Revision ID: eeb20596106a
Revises: 3c5e8a1d9f02
Create Date: 2026-11-28 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'eeb20596106a'
down_revision = '3c5e8a1d9f02'
branch_labels = None
depends_on = None


def upgrade():
    # Empty the plaintext drafts before the column goes: PostgreSQL's DROP COLUMN leaves the values
    # in the stored rows, and the new row versions are what VACUUM keeps.
    op.execute("UPDATE invitation SET draft = NULL, draft_page = 0 "
               "WHERE draft IS NOT NULL OR draft_page <> 0")
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_draft', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('draft_saved_on', sa.Date(), nullable=True))
        batch_op.drop_column('draft')
    if op.get_bind().dialect.name == 'postgresql':
        # The old row versions still hold the drafts until vacuumed. (SQLite copies the table and drops
        # the old one, whose pages secure_delete, set on every connection, overwrites.)
        with op.get_context().autocommit_block():
            op.execute('VACUUM invitation')


def downgrade():
    # Sealed drafts cannot be turned back without their tokens: they are dropped.
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))
        batch_op.drop_column('draft_saved_on')
        batch_op.drop_column('sealed_draft')
    op.execute("UPDATE invitation SET draft_page = 0")
