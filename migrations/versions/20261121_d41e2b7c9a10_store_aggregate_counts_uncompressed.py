"""Store aggregate counts uncompressed on PostgreSQL

Every refresh rewrites a school's and its parents' count blobs (about 140 kB in all). PostgreSQL
compressed each with pglz on the way in and decompressed it on the way out: a third of a school's
refresh. The blobs are small in total (a few MB per round), so they are kept out of line but plain.

Revision ID: d41e2b7c9a10
Revises: b769799d755c
Create Date: 2026-11-21 23:00:00

"""
from alembic import op


revision = 'd41e2b7c9a10'
down_revision = 'b769799d755c'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE aggregate ALTER COLUMN counts SET STORAGE EXTERNAL")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE aggregate ALTER COLUMN counts SET STORAGE EXTENDED")
