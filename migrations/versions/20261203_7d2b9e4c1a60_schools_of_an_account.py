"""the schools an account may see: one or more, in user_school

A school leader may lead more than one school, and a tillitsvalgt may be given schools rather than a
whole kommune; app_user.school_id held only one. Existing accounts keep their school.

Revision ID: 7d2b9e4c1a60
Revises: 9a4d2e6b1c37
Create Date: 2026-12-03 08:20:00

"""
import sqlalchemy as sa
from alembic import op


revision = '7d2b9e4c1a60'
down_revision = '9a4d2e6b1c37'
branch_labels = None
depends_on = None


# SQLite's batch mode copies app_user and drops the old table, and that drop deletes (with cascade) any
# user_school rows already there: so each direction reads the schools first and writes them last.


def upgrade():
    conn = op.get_bind()
    schools = conn.execute(sa.text("SELECT id, school_id FROM app_user WHERE school_id IS NOT NULL")).all()
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_app_user_school_id_school'), type_='foreignkey')
        batch_op.drop_column('school_id')
    user_school = op.create_table(
        'user_school',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_school_user_id_app_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_user_school_school_id_school')),
        sa.PrimaryKeyConstraint('user_id', 'school_id', name=op.f('pk_user_school')),
    )
    if schools:
        op.bulk_insert(user_school, [{"user_id": u, "school_id": s} for u, s in schools])


def downgrade():
    """Back to one school per account: an account with several keeps the one with the lowest id."""
    conn = op.get_bind()
    first = conn.execute(sa.text("SELECT user_id, min(school_id) FROM user_school GROUP BY user_id")).all()
    op.drop_table('user_school')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_app_user_school_id_school'), 'school',
                                    ['school_id'], ['id'])
    for user_id, school_id in first:
        conn.execute(sa.text("UPDATE app_user SET school_id = :s WHERE id = :u"),
                     {"s": school_id, "u": user_id})
