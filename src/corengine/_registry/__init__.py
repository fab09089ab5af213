"""The certificate registry: employers, their audits and certificates in a real database (SQLite by default,
PostgreSQL by URL), with Alembic migrations shipped as package data. See ``docs/registry.md``."""
