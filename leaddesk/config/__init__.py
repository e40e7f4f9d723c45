"""Settings, config files, paths, the draft and the log."""
