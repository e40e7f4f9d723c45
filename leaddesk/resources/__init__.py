"""LeadDesk's icon, found with importlib.resources so that it is found alike in a source
checkout, an installed wheel and a PyInstaller bundle."""

from importlib.resources import files
from pathlib import Path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_files() -> list[Path]:
    """The application icon's PNG sizes, smallest first."""
    folder = files(__name__)
    return [Path(str(folder.joinpath(f"leaddesk-{size}.png"))) for size in ICON_SIZES]
