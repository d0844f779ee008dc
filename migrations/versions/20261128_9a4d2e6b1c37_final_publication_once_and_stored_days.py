"""the final publication happens once; responses keep the day they were stored, not sent

- `round.final_published_at`: a closed round's final figures are released once, from what is left
  after its last blocks (services/publication.py), and never move again.
- `aggregate.hidden` goes: nothing is hidden or held any more; every published figure is a sum of
  blocks of at least k.
- `response.submitted_on` becomes `stored_on`: the day the mover stored the response with its batch.
  The day a response was sent, next to the days invitations were used (in two reads of the database,
  a backup, or the freed bytes of old row versions), tied a response that was alone with its day in
  its batch to its invitation. Responses stored before this migration get the day of the upgrade.
- `response_pool.submitted_on` goes for the same reason.
- Published figures are made anew (the workers, or `laget rebuild --round NAME`): the close of a
  round closed before this migration is released again under the new rule.

Revision ID: 9a4d2e6b1c37
Revises: 5c1e8d0f7a42
Create Date: 2026-11-28 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9a4d2e6b1c37'
down_revision = '5c1e8d0f7a42'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM aggregate WHERE kind = 'published'")
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_published_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('aggregate', schema=None) as batch_op:
        batch_op.drop_column('hidden')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('submitted_on', new_column_name='stored_on')
    op.execute("UPDATE response SET stored_on = CURRENT_DATE")
    with op.batch_alter_table('response_pool', schema=None) as batch_op:
        batch_op.drop_column('submitted_on')


def downgrade():
    with op.batch_alter_table('response_pool', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_on', sa.Date(), nullable=False,
                                      server_default=sa.func.current_date()))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('stored_on', new_column_name='submitted_on')
    with op.batch_alter_table('aggregate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('final_published_at')
