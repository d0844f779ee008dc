"""gaps per competence area and ranked course matches per unit

Derived from published figures by a worker (services/matching.py); a rebuild recomputes them.

Revision ID: c3a91e5d7b20
Revises: 4b7e1f2a9c83
Create Date: 2026-12-03 14:50:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'c3a91e5d7b20'
down_revision = '4b7e1f2a9c83'
branch_labels = None
depends_on = None


def _unit_key():
    return [sa.Column('round_id', sa.Integer(), nullable=False),
            sa.Column('level', sa.String(length=10), nullable=False),
            sa.Column('unit_id', sa.Integer(), nullable=False)]


def upgrade():
    op.create_table(
        'unit_gap', *_unit_key(),
        sa.Column('grp', sa.String(length=40), nullable=False),
        sa.Column('area', sa.String(length=40), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('need', sa.Integer(), nullable=False),
        sa.Column('share', sa.Float(), nullable=False),
        sa.Column('low', sa.Float(), nullable=False),
        sa.Column('high', sa.Float(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('strength', sa.Float(), nullable=True),
        sa.Column('reach', sa.Float(), nullable=True),
        sa.Column('figures_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_unit_gap_round_id_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'level', 'unit_id', 'grp', 'area', name=op.f('pk_unit_gap')),
    )
    op.create_table(
        'course_match', *_unit_key(),
        sa.Column('course_code', sa.String(length=40), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_course_match_round_id_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'level', 'unit_id', 'course_code', name=op.f('pk_course_match')),
    )
    op.create_table(
        'match_state', *_unit_key(),
        sa.Column('figures_at', sa.DateTime(), nullable=False),
        sa.Column('catalogue', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_match_state_round_id_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'level', 'unit_id', name=op.f('pk_match_state')),
    )


def downgrade():
    op.drop_table('match_state')
    op.drop_table('course_match')
    op.drop_table('unit_gap')
