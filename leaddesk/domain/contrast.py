"""WCAG 2 contrast between two colours written #rrggbb: whether text in one colour can be
read on the other. No Qt here, so that the state table's own tests and the window's
choice of a state's colour (leaddesk.gui.history.cells) use the same figures."""

from __future__ import annotations

READABLE = 4.5  # WCAG 2 level AA for body text


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour written #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same) to 21 (black on white)."""
    darker, lighter = sorted((luminance(first), luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(colour: str, backgrounds: tuple[str, ...]) -> float:
    """The lowest contrast of `colour` over every background it may be drawn on."""
    return min(contrast_ratio(colour, background) for background in backgrounds)
