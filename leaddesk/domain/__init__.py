"""The lead, its fields and states, the rules of its life: no I/O, no Qt."""
