"""released blocks and the final publication replace per-unit publication

Figures are now published from blocks of at least k answers per school, occupational group and
item (kind 'released'), summed to every level; a closed round's final figures mark the cells that
keep their released figures in `hidden` (now: held). Only the `all` and `yrkesgruppe` breakdowns
remain. Published rows made under the old rule are deleted: their `hidden` meant "no numbers", and
they were cut per unit at different times. The workers publish every round anew (its first
publication releases every cell that has k answers or more); `laget rebuild --round NAME` does it
at once.

Revision ID: 3f1c0a9e7b21
Revises: e7a2c4f1b3d5
Create Date: 2026-11-28 12:00:00

"""
from alembic import op


revision = '3f1c0a9e7b21'
down_revision = 'e7a2c4f1b3d5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM aggregate WHERE kind = 'published' "
               "OR grouping IN ('skoleslag', 'ufaglaert', 'b_trinn')")
    with op.batch_alter_table('aggregate', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_aggregate_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('live', 'released', 'published')")


def downgrade():
    op.execute("DELETE FROM aggregate WHERE kind IN ('released', 'published')")
    with op.batch_alter_table('aggregate', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_aggregate_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('live', 'published')")
