"""A real full disk for tests: a small tmpfs (needs root, as on CI), filled with one file
that can be removed again to free it."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs(mount_point: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. "64k") at mount_point, unmounted afterwards; skips the test
    where mounting is not allowed."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(folder: Path) -> Path:
    """Fill the file system holding `folder` to the last byte; the file that does it."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"x" * 4096)
    except OSError as error:
        if error.errno != 28:  # ENOSPC: full, as wanted
            raise
    finally:
        os.close(descriptor)
    return filler


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder`, with the files it holds, read-only until the block ends: by its
    permissions, or, for root (who writes through them), a tmpfs over it holding copies
    of its files, remounted read-only. Skips the test where neither can be done."""
    if not hasattr(os, "geteuid"):
        pytest.skip("needs POSIX permissions or mounts")
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)
        return
    files = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    with tmpfs(folder, "256k"):
        for name, data in files.items():
            (folder / name).write_bytes(data)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
