"""The history: the store, its schema and queries, search, export."""
