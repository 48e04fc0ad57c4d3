"""Records say what kind of resource they describe (a DCMI type) instead of "audiovisual".

Until now a stored record without ``audiovisual`` was a film of the catalogue, and one
with ``audiovisual: false`` a record whose type nobody stated.  The first become
``resource_type: MovingImage``, the second lose the key: no type, none written.  Their
renderings are redone by ``navette render`` (the crosswalks' version changed).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

POSTGRESQL = [
    """UPDATE record_contents SET data = data || '{"resource_type": "MovingImage"}'
       WHERE NOT data ? 'audiovisual' AND NOT data ? 'resource_type'""",
    """UPDATE record_contents
       SET data = (data - 'audiovisual') || '{"resource_type": "MovingImage"}'
       WHERE data -> 'audiovisual' = 'true'""",
    "UPDATE record_contents SET data = data - 'audiovisual' WHERE data ? 'audiovisual'",
]
SQLITE = [
    """UPDATE record_contents SET data = json_set(data, '$.resource_type', 'MovingImage')
       WHERE json_type(data, '$.audiovisual') IS NULL
         AND json_type(data, '$.resource_type') IS NULL""",
    """UPDATE record_contents
       SET data = json_set(json_remove(data, '$.audiovisual'), '$.resource_type', 'MovingImage')
       WHERE json_type(data, '$.audiovisual') = 'true'""",
    """UPDATE record_contents SET data = json_remove(data, '$.audiovisual')
       WHERE json_type(data, '$.audiovisual') IS NOT NULL""",
]


def upgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRESQL if bind.dialect.name == "postgresql" else SQLITE:
        bind.execute(sa.text(statement))


DOWN_POSTGRESQL = [
    """UPDATE record_contents SET data = data || '{"audiovisual": false}'
       WHERE coalesce(data ->> 'resource_type', '') <> 'MovingImage'""",
    "UPDATE record_contents SET data = data - 'resource_type'",
]
DOWN_SQLITE = [
    """UPDATE record_contents SET data = json_set(data, '$.audiovisual', json('false'))
       WHERE coalesce(json_extract(data, '$.resource_type'), '') <> 'MovingImage'""",
    "UPDATE record_contents SET data = json_remove(data, '$.resource_type')",
]


def downgrade() -> None:
    bind = op.get_bind()
    for statement in DOWN_POSTGRESQL if bind.dialect.name == "postgresql" else DOWN_SQLITE:
        bind.execute(sa.text(statement))
