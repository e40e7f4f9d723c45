"""Team mode: a call floor's shared history on one PostgreSQL server (Qt-free)."""
