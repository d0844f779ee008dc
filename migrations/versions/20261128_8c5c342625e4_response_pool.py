"""the response pool

Submits now wait sealed in response_pool until the mover stores a school's batch of them
(webapp.services.pool). No reference to the invitation, a random id, only the day.

Revision ID: 8c5c342625e4
Revises: eeb20596106a
Create Date: 2026-11-28 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '8c5c342625e4'
down_revision = 'eeb20596106a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'response_pool',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_response_pool_round_id_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_response_pool_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_response_pool')),
    )
    op.create_index('ix_response_pool_unit', 'response_pool', ['round_id', 'school_id'])


def downgrade():
    pooled = op.get_bind().execute(sa.text('SELECT count(*) FROM response_pool')).scalar()
    if pooled:
        raise RuntimeError(f'response_pool holds {pooled} submitted response(s): close their rounds, '
                           'or let the worker move them, before downgrading.')
    op.drop_index('ix_response_pool_unit', table_name='response_pool')
    op.drop_table('response_pool')
