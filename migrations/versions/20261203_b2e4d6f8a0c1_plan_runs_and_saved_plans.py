"""plan runs and saved plans: a course budget plan asked for, worked out by a worker, and saved by name

A run keeps its request, its status and, once done, the plan's snapshot (or the planner's refusal);
a saved plan keeps the snapshot under a name unique per unit and round.

Revision ID: b2e4d6f8a0c1
Revises: a1f3c5e7d9b2
Create Date: 2026-12-04 09:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'b2e4d6f8a0c1'
down_revision = 'a1f3c5e7d9b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=10), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('request', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('refusal_code', sa.String(length=40), nullable=True),
        sa.Column('refusal_params', sa.JSON(), nullable=True),
        sa.Column('requested_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("level IN ('school', 'kommune')", name=op.f('ck_plan_run_level')),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'refused', 'failed')",
                           name=op.f('ck_plan_run_status')),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_plan_run_round_id_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by'], ['app_user.id'],
                                name=op.f('fk_plan_run_requested_by_app_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_run')),
    )
    op.create_index('ix_plan_run_unit', 'plan_run', ['round_id', 'level', 'unit_id'], unique=False)
    op.create_table(
        'saved_plan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=10), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.Column('saved_by', sa.Integer(), nullable=True),
        sa.Column('saved_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("level IN ('school', 'kommune')", name=op.f('ck_saved_plan_level')),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_saved_plan_round_id_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['saved_by'], ['app_user.id'], name=op.f('fk_saved_plan_saved_by_app_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_plan')),
        sa.UniqueConstraint('round_id', 'level', 'unit_id', 'name', name=op.f('uq_saved_plan_round_id')),
    )


def downgrade():
    op.drop_table('saved_plan')
    op.drop_index('ix_plan_run_unit', table_name='plan_run')
    op.drop_table('plan_run')
