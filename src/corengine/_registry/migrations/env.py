"""Alembic's environment for the registry: run programmatically by :mod:`corengine._registry.store`, which hands
over the open connection (no alembic.ini, no logging set-up)."""

from __future__ import annotations

from alembic import context

from corengine._registry.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
