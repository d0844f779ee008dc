"""the short leader questionnaire's answers: per round, school and yrkesgruppe

Yes/no to three statements that mirror Section D, or the group marked as not at the school; who saved
the school's set and when. The school management's signed statements, not anonymous answers.

Revision ID: a1f3c5e7d9b2
Revises: 04bb2aba5b91
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'a1f3c5e7d9b2'
down_revision = '04bb2aba5b91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'leader_answer',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('yrkesgruppe', sa.String(length=40), nullable=False),
        sa.Column('present', sa.Boolean(), nullable=False),
        sa.Column('leder_plan', sa.Boolean(), nullable=True),
        sa.Column('leder_roller', sa.Boolean(), nullable=True),
        sa.Column('leder_felles', sa.Boolean(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('present OR (leder_plan IS NULL AND leder_roller IS NULL '
                           'AND leder_felles IS NULL)',
                           name=op.f('ck_leader_answer_absent_group_has_no_answers')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['app_user.id'],
                                name=op.f('fk_leader_answer_answered_by_id_app_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_leader_answer_round_id_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_leader_answer_school_id_school')),
        sa.PrimaryKeyConstraint('round_id', 'school_id', 'yrkesgruppe', name=op.f('pk_leader_answer')),
    )


def downgrade():
    op.drop_table('leader_answer')
