"""Set specs OAI-PMH cannot carry are taken out of what the store serves.

Before the gate refused them (a record naming a set such as ``a&b`` or ``séries`` is
now refused with the reason), such specs went into ``sets``, ``record_sets`` and the
records' ``set_specs``: every header and every ListSets page holding one failed the
OAI-PMH schema, and a harvester that validates dropped the whole page.  Each is removed
from those three places; the record's own data keeps what it said, so an admin still
sees which set was asked for.  A record that loses a membership gets a new datestamp:
its header changed, and a selective harvest must see it again.  Memberships in valid
parent sets stay.  Nothing is restored on downgrade.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from protocol.dates import utc_now
from protocol.set_specs import is_set_spec

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Records rewritten per statement.
CHUNK = 500

sets = sa.table("sets", sa.column("spec", sa.String))
record_sets = sa.table("record_sets", sa.column("record_id", sa.Integer), sa.column("spec"))
records = sa.table(
    "records",
    sa.column("id", sa.Integer),
    sa.column("set_specs", sa.Text),
    sa.column("datestamp", sa.DateTime),
)


def upgrade() -> None:
    bind = op.get_bind()
    stored = set(bind.scalars(sa.select(sets.c.spec)))
    stored.update(bind.scalars(sa.select(record_sets.c.spec).distinct()))
    unservable = sorted(spec for spec in stored if not is_set_spec(spec))
    if not unservable:
        return
    affected = sorted(
        set(
            bind.scalars(
                sa.select(record_sets.c.record_id).where(record_sets.c.spec.in_(unservable))
            )
        )
    )
    bind.execute(sa.delete(record_sets).where(record_sets.c.spec.in_(unservable)))
    bind.execute(sa.delete(sets).where(sets.c.spec.in_(unservable)))
    now = utc_now()
    for start in range(0, len(affected), CHUNK):
        chunk = affected[start : start + CHUNK]
        rows = bind.execute(
            sa.select(records.c.id, records.c.set_specs).where(records.c.id.in_(chunk))
        ).all()
        bind.execute(
            sa.update(records)
            .where(records.c.id == sa.bindparam("row_id"))
            .values(set_specs=sa.bindparam("kept"), datestamp=now),
            [
                {"row_id": record_id, "kept": _servable(specs)}
                for record_id, specs in rows
            ],
        )


def _servable(specs: str) -> str:
    return " ".join(spec for spec in specs.split() if is_set_spec(spec))


def downgrade() -> None:
    """The specs removed were never valid OAI-PMH: there is nothing to put back."""
