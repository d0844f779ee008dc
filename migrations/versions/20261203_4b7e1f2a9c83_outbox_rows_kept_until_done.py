"""outbox rows are kept until the work is done, one key per piece of work; school_stats goes

- `outbox_event.key` names the work an event asks for ("school:<round>:<school>", "publish:<round>"):
  the relay sends one message per key, however many events wait under it.
- `outbox_event.sent_at`: when the broker accepted the last message for the row. The row is deleted
  by the actor that did the work; a row sent long ago and not done is sent again (services/outbox.py).
- `school_stats` goes: a school's response count is read from `response` itself, with the index
  `ix_response_round_school` (which also serves every read by round, so `ix_response_round_id` goes).

Revision ID: 4b7e1f2a9c83
Revises: 4b8e1f6a2c93
Create Date: 2026-12-03 10:40:00

"""
import sqlalchemy as sa
from alembic import op


revision = '4b7e1f2a9c83'
down_revision = '4b8e1f6a2c93'
branch_labels = None
depends_on = None

outbox = sa.table('outbox_event', sa.column('id', sa.Integer), sa.column('topic', sa.String),
                  sa.column('key', sa.String), sa.column('payload', sa.JSON))


def _key(event_id, topic, payload):
    if topic == 'response.stored':
        return f"school:{payload['round_id']}:{payload['school_id']}"
    return f"{topic}:{event_id}"  # no other topic existed; a stray one stays a key of its own


def upgrade():
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))
    conn = op.get_bind()
    events = conn.execute(sa.select(outbox.c.id, outbox.c.topic, outbox.c.payload)).all()
    for event_id, topic, payload in events:
        conn.execute(outbox.update().where(outbox.c.id == event_id)
                     .values(key=_key(event_id, topic, payload)))
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=80), nullable=False)
        batch_op.create_index('ix_outbox_event_key', ['key', 'id'], unique=False)
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_round_school', ['round_id', 'school_id'], unique=False)
        batch_op.drop_index('ix_response_round_id')
    op.drop_table('school_stats')


def downgrade():
    """Back to counts in school_stats (filled from the responses) and rows deleted once sent: the old
    relay sends again what is left, publications included, which it did not know, are left to the
    reconciliation."""
    op.create_table(
        'school_stats',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('responses', sa.Integer(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_school_stats_round_id_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_school_stats_school_id_school')),
        sa.PrimaryKeyConstraint('round_id', 'school_id', name=op.f('pk_school_stats')),
    )
    op.execute("INSERT INTO school_stats (round_id, school_id, responses, refreshed_at) "
               "SELECT round_id, school_id, count(*), CURRENT_TIMESTAMP FROM response "
               "GROUP BY round_id, school_id")
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_round_id', ['round_id'], unique=False)
        batch_op.drop_index('ix_response_round_school')
    op.execute("DELETE FROM outbox_event WHERE topic <> 'response.stored'")
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_event_key')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('key')
