"""study: settings, login sessions, flags, presentations, personal notes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 11:35:29.820018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "card_flags",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("buried_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_card_flags_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_card_flags_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "card_id", name=op.f("pk_card_flags")),
    )
    op.create_table(
        "personal_notes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_personal_notes_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_personal_notes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "card_id", name=op.f("pk_personal_notes")),
    )
    op.create_table(
        "presentations",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intervals", sa.JSON(), nullable=False),
        sa.Column("state_version", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_presentations_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_presentations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_presentations")),
    )
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_presentations_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), server_default="review", nullable=False)
        )
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("desired_retention", sa.Float(), server_default="0.9", nullable=False)
        )
        # Existing accounts get the default steps (1 and 10 minutes; 10 minutes).
        batch_op.add_column(
            sa.Column("learning_steps", sa.JSON(), server_default="[1, 10]", nullable=False)
        )
        batch_op.add_column(
            sa.Column("relearning_steps", sa.JSON(), server_default="[10]", nullable=False)
        )
        batch_op.add_column(
            sa.Column("maximum_interval_days", sa.Integer(), server_default="36500", nullable=False)
        )
        batch_op.add_column(
            sa.Column("new_per_day", sa.Integer(), server_default="20", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reviews_per_day", sa.Integer(), server_default="200", nullable=False)
        )
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("timezone")
        batch_op.drop_column("reviews_per_day")
        batch_op.drop_column("new_per_day")
        batch_op.drop_column("maximum_interval_days")
        batch_op.drop_column("relearning_steps")
        batch_op.drop_column("learning_steps")
        batch_op.drop_column("desired_retention")

    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presentations_user_id"))

    op.drop_table("presentations")
    op.drop_table("personal_notes")
    op.drop_table("card_flags")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_sessions_user_id"))

    op.drop_table("login_sessions")
