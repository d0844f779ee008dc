"""the course catalogue: one row per offer, keyed by its code

Areas and yrkesgrupper are lists of the shared vocabulary's codes (JSON); a retired course stays with
active false, and `example` marks the demo catalogue's offers.

Revision ID: 04bb2aba5b91
Revises: c3a91e5d7b20
Create Date: 2026-12-03 13:53:02

"""
import sqlalchemy as sa
from alembic import op


revision = '04bb2aba5b91'
down_revision = 'c3a91e5d7b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'course',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('provider', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('areas', sa.JSON(), nullable=False),
        sa.Column('yrkesgrupper', sa.JSON(), nullable=False),
        sa.Column('format', sa.String(length=20), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('credits', sa.Float(), nullable=False),
        sa.Column('fee_nok', sa.Integer(), nullable=False),
        sa.Column('seats', sa.Integer(), nullable=True),
        sa.Column('substitute_hours', sa.Float(), nullable=False),
        sa.Column('start', sa.Date(), nullable=True),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('funding_share', sa.Float(), nullable=False),
        sa.Column('funder', sa.String(length=200), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('example', sa.Boolean(), nullable=False),
        sa.CheckConstraint('fee_nok >= 0', name=op.f('ck_course_fee_not_negative')),
        sa.CheckConstraint('funding_share = 0 OR funder IS NOT NULL',
                           name=op.f('ck_course_funding_has_funder')),
        sa.CheckConstraint('funding_share >= 0 AND funding_share <= 1',
                           name=op.f('ck_course_funding_share_fraction')),
        sa.CheckConstraint('hours >= 0 AND credits >= 0 AND substitute_hours >= 0',
                           name=op.f('ck_course_hours_not_negative')),
        sa.CheckConstraint('seats IS NULL OR seats > 0', name=op.f('ck_course_seats_positive')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
        sa.UniqueConstraint('code', name=op.f('uq_course_code')),
    )


def downgrade():
    op.drop_table('course')
