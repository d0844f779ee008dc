"""leader figures above the school are counted once, at the final publication, and stored

- `leader_share`: per round, level (kommune, fylke, round), unit, leader statement and group (or
  "all"), how many of the counted statements said yes, of how many. Written in the transaction that
  publishes the round's final figures (services/publication.py), never again.
- `round.leaders_counted_at`: when that was done. Counting the shares on every page view let them
  move between the close and the final publication, and when an organisation import moved a school
  to another kommune; either difference gave one school's leader answer away (docs/privacy.md).
- A round finally published before this migration has no stored shares: its pages show none above
  the school until its next publication (`laget rebuild --round NAME`, or the scheduled
  reconciliation) counts them once, from its final figures.

Revision ID: d5e6f7a8b9c0
Revises: c4d5e6f7a8b9
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'd5e6f7a8b9c0'
down_revision = 'c4d5e6f7a8b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'leader_share',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=10), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('statement', sa.String(length=40), nullable=False),
        sa.Column('grp', sa.String(length=40), nullable=False),
        sa.Column('yes', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.CheckConstraint("level IN ('kommune', 'fylke', 'round')", name=op.f('ck_leader_share_level')),
        sa.CheckConstraint('yes >= 0 AND yes <= n', name=op.f('ck_leader_share_yes_of_n')),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_leader_share_round_id_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'level', 'unit_id', 'statement', 'grp',
                                name=op.f('pk_leader_share')),
    )
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leaders_counted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('leaders_counted_at')
    op.drop_table('leader_share')
