"""Wire formats: a lead document to bytes and a reply to per-lead answers."""
