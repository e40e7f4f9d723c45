"""The history pane and its parts: the filter bar, the summary strip, the table's model,
the selection keeper and the actions on the selected leads; `pane` puts them together."""
