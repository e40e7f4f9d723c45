"""Sending: the poster (HTTP), the evidence of what left, the outbox loop."""
