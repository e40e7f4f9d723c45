"""The icon is found through importlib.resources: from this checkout here,
and from a built wheel (the bundle is checked by packaging/smoke_test.sh in CI)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from leaddesk import resources

ROOT = Path(__file__).resolve().parents[2]


def test_every_icon_size_is_a_png_of_that_size() -> None:
    files = resources.icon_files()
    assert len(files) == len(resources.ICON_SIZES)
    for path, size in zip(files, resources.ICON_SIZES, strict=True):
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size), path


def test_a_built_wheel_carries_the_resources(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("leaddesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"leaddesk/resources/leaddesk-{size}.png" for size in resources.ICON_SIZES}
    wanted |= {"leaddesk/resources/leaddesk.svg"}
    assert wanted <= names, sorted(wanted - names)
