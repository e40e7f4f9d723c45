"""LeadDesk's icon and stylesheet, read with importlib.resources so that they are found
alike in a source checkout, an installed wheel and a PyInstaller bundle."""

from importlib.resources import files
from pathlib import Path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def read_text(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def icon_files() -> list[Path]:
    """The application icon's PNG sizes, smallest first."""
    folder = files(__name__)
    return [Path(str(folder.joinpath(f"leaddesk-{size}.png"))) for size in ICON_SIZES]
