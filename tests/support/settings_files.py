"""Writing real settings files (the agent's and the machine-wide site file) for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from leaddesk.config.paths import Paths


def site_file(paths: Paths) -> Path:
    assert paths.site_config_file is not None
    return paths.site_config_file


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path
