"""integrity scores, rings, actions and appeals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tradeshield.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "integrity_scores",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("buyer_id", ID, nullable=False),
        sa.Column("level", sa.Float(), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("log_odds", sa.Float(), nullable=False),
        sa.Column("ring_key", sa.String(length=40), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("as_of", tradeshield.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("computed_at", tradeshield.db.UtcDateTime(timezone=True), nullable=False),
        _fk("integrity_scores", "buyer_id", "buyer_accounts"),
        _fk("integrity_scores", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_scores")),
    )
    with op.batch_alter_table("integrity_scores", schema=None) as batch_op:
        batch_op.create_index(
            "ix_integrity_scores_buyer", ["tenant_id", "buyer_id", "computed_at"], unique=False
        )
        batch_op.create_index(
            "ix_integrity_scores_queue", ["tenant_id", "current", "level"], unique=False
        )

    op.create_table(
        "integrity_rings",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("ring_key", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("component_size", sa.Integer(), nullable=False),
        sa.Column("confirmed_members", sa.Integer(), nullable=False),
        sa.Column("abuse_share", sa.Float(), nullable=False),
        sa.Column("claimed_minor_365d", sa.Integer(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("edges", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("computed_at", tradeshield.db.UtcDateTime(timezone=True), nullable=False),
        _fk("integrity_rings", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_rings")),
    )
    with op.batch_alter_table("integrity_rings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_integrity_rings_tenant_key", ["tenant_id", "ring_key"], unique=False
        )

    op.create_table(
        "integrity_actions",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("buyer_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("score_id", ID, nullable=True),
        sa.Column("created_at", tradeshield.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", tradeshield.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lifted_because", sa.String(length=40), nullable=True),
        _fk("integrity_actions", "buyer_id", "buyer_accounts"),
        _fk("integrity_actions", "score_id", "integrity_scores"),
        _fk("integrity_actions", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_actions")),
    )
    with op.batch_alter_table("integrity_actions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_integrity_actions_buyer", ["tenant_id", "buyer_id", "state"], unique=False
        )

    op.create_table(
        "integrity_appeals",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("buyer_id", ID, nullable=False),
        sa.Column("action_id", ID, nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", tradeshield.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", tradeshield.db.UtcDateTime(timezone=True), nullable=True),
        _fk("integrity_appeals", "action_id", "integrity_actions"),
        _fk("integrity_appeals", "buyer_id", "buyer_accounts"),
        _fk("integrity_appeals", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_appeals")),
    )
    with op.batch_alter_table("integrity_appeals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_integrity_appeals_buyer_id"), ["buyer_id"], unique=False
        )
        batch_op.create_index("ix_integrity_appeals_state", ["tenant_id", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("integrity_appeals", schema=None) as batch_op:
        batch_op.drop_index("ix_integrity_appeals_state")
        batch_op.drop_index(batch_op.f("ix_integrity_appeals_buyer_id"))
    op.drop_table("integrity_appeals")
    with op.batch_alter_table("integrity_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_integrity_actions_buyer")
    op.drop_table("integrity_actions")
    with op.batch_alter_table("integrity_rings", schema=None) as batch_op:
        batch_op.drop_index("ix_integrity_rings_tenant_key")
    op.drop_table("integrity_rings")
    with op.batch_alter_table("integrity_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_integrity_scores_queue")
        batch_op.drop_index("ix_integrity_scores_buyer")
    op.drop_table("integrity_scores")
