"""The window's colours and type sizes: one design, three looks (issue 12).

Every colour the window uses is a named token of a `Theme`; ``resources/style.qss`` names them as
``@token`` (ui/style.py fills them in) and `qpalette` gives Qt's palette the same colours, so what
Fusion draws itself (scroll bars, text areas, the result card, which reads the palette) matches the
sheet. Type sizes are tokens too (``@font_body``), the same in every theme.

Contrast (WCAG 2.1; tests/ui/test_palette.py computes it for every theme): readable text ≥ 4.5:1
on every background it is drawn on (≥ 7:1 in the high-contrast look, WCAG's AAA level), and control
borders, the focus ring and the result colours ≥ 3:1 (1.4.11). Disabled text is exempt (1.4.3).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor, QPalette

# What `[display] theme = system` resolves to, and what a site may force (station.settings.THEMES).
LIGHT, DARK, HIGH_CONTRAST = "light", "dark", "high-contrast"


@dataclass(frozen=True)
class Theme:
    """One look. Colours are ``#rrggbb``; each field's comment says where the sheet uses it."""

    name: str
    min_text_contrast: float  # what every readable text token keeps on every background token
    window: str  # the window behind everything
    surface: str  # raised parts: buttons, fields, lists, the header, cards
    subtle: str  # quiet panels: the status banner, table headers, tabs not chosen
    text: str  # body text
    muted: str  # secondary text: captions, explanations, the header's states
    problem: str  # error messages and a state that needs attention
    accent: str  # the focus ring, selections, the liveness prompt's words
    on_accent: str  # text on the accent (a selection)
    border: str  # every control's outline
    divider: str  # frames that only group (header, count boxes): decoration, no contrast asked
    hover: str  # a button under the mouse
    pressed: str  # a button held down
    focus_tint: str  # a focused button's fill, under the accent ring
    field_focus: str  # a focused text field's fill
    disabled_text: str
    disabled_surface: str
    disabled_border: str
    ok: str  # result card: verified, enrolled (border and icon)
    fail: str  # result card: not verified
    other_way: str  # result card: use another way
    on_result: str  # the mark drawn inside a result icon (check, cross, arrow)

    def colours(self) -> dict[str, str]:
        """Token name → colour, for the style sheet."""
        return {
            spec.name: getattr(self, spec.name)
            for spec in fields(self)
            if spec.name not in ("name", "min_text_contrast")
        }


THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        # Calm neutral greys with one muted blue accent (the design before themes, unchanged).
        Theme(
            name=LIGHT,
            min_text_contrast=4.5,
            window="#f4f6f8",
            surface="#ffffff",
            subtle="#e7ecf1",
            text="#1c2430",
            muted="#3d4854",
            problem="#a11d1d",
            accent="#1d5c96",
            on_accent="#ffffff",
            border="#6f7b88",
            divider="#c9d1da",
            hover="#eef3f8",
            pressed="#d9e5f1",
            focus_tint="#e8f0f8",
            field_focus="#f7fafd",
            disabled_text="#6b7581",
            disabled_surface="#eceff2",
            disabled_border="#b4bdc7",
            ok="#1b6e3a",
            fail="#b3261e",
            other_way="#1f5fa8",
            on_result="#ffffff",
        ),
        # The same design at night: dark blue-greys, lighter raised parts, pale accent and results.
        Theme(
            name=DARK,
            min_text_contrast=4.5,
            window="#14181d",
            surface="#1e242b",
            subtle="#29313a",
            text="#e8ecf0",
            muted="#b8c2cc",
            problem="#ff9b93",
            accent="#8cbcf0",
            on_accent="#0b1420",
            border="#8a96a3",
            divider="#3a444f",
            hover="#27303a",
            pressed="#33414f",
            focus_tint="#1d3248",
            field_focus="#18212b",
            disabled_text="#7d8894",
            disabled_surface="#1a1f25",
            disabled_border="#3c4550",
            ok="#62c98b",
            fail="#ff8a80",
            other_way="#8cbcf0",
            on_result="#0b1117",
        ),
        # Black, white and a yellow focus, as the desktops' high-contrast modes: every line white.
        Theme(
            name=HIGH_CONTRAST,
            min_text_contrast=7.0,
            window="#000000",
            surface="#000000",
            subtle="#1a1a1a",
            text="#ffffff",
            muted="#e6e6e6",
            problem="#ffb0b0",
            accent="#ffd60a",
            on_accent="#000000",
            border="#ffffff",
            divider="#ffffff",
            hover="#242424",
            pressed="#383838",
            focus_tint="#2b2400",
            field_focus="#000000",
            disabled_text="#a6a6a6",
            disabled_surface="#000000",
            disabled_border="#8c8c8c",
            ok="#5ff08f",
            fail="#ff8f8f",
            other_way="#8fd0ff",
            on_result="#000000",
        ),
    )
}

# Pixel sizes (the sheet's ``@font_<name>``); one scale for every theme.
FONT_SIZES: dict[str, int] = {
    "caption": 15,  # explanations, captions, tool tips, the header's states
    "body": 16,
    "emphasis": 17,  # the header's site and operator, long text
    "control": 18,  # buttons, fields, the counts' heading
    "hint": 20,  # camera hints
    "heading": 24,  # a page title
    "result": 26,  # an outcome in words
    "result_detail": 21,  # the result card's detail line
    "guidance": 28,  # the camera hint beside the preview, read from a metre
    "count": 32,  # the day's counts
    "prompt": 34,  # the liveness check's movement (R23): the biggest words but the headline
    "result_headline": 40,  # the result card's headline, read from a metre
}


def sheet_tokens(theme: Theme) -> dict[str, str]:
    """Everything the sheet may name: the colours and ``font_<name>`` sizes."""
    sizes = {f"font_{name}": f"{pixels}px" for name, pixels in FONT_SIZES.items()}
    return theme.colours() | sizes


def relative_luminance(colour: QColor | str) -> float:
    rgb = QColor(colour)

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(rgb.redF())
        + 0.7152 * channel(rgb.greenF())
        + 0.0722 * channel(rgb.blueF())
    )


def contrast_ratio(first: QColor | str, second: QColor | str) -> float:
    """WCAG contrast ratio of two opaque colours, 1..21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(base: QColor | str, tint: QColor | str, share: float) -> QColor:
    """`share` of `tint` over `base` (0: base, 1: tint)."""
    under, over = QColor(base), QColor(tint)
    return QColor.fromRgbF(
        under.redF() * (1 - share) + over.redF() * share,
        under.greenF() * (1 - share) + over.greenF() * share,
        under.blueF() * (1 - share) + over.blueF() * share,
    )


def qpalette(theme: Theme) -> QPalette:
    """Qt's palette in the theme's colours, for what Fusion draws without the sheet."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: theme.window,
        role.WindowText: theme.text,
        role.Base: theme.surface,
        role.AlternateBase: theme.subtle,
        role.Text: theme.text,
        role.Button: theme.surface,
        role.ButtonText: theme.text,
        role.BrightText: theme.problem,
        role.PlaceholderText: theme.muted,
        role.Highlight: theme.accent,
        role.HighlightedText: theme.on_accent,
        role.Accent: theme.accent,
        role.Link: theme.accent,
        role.LinkVisited: theme.accent,
        role.ToolTipBase: theme.text,
        role.ToolTipText: theme.surface,
        # Fusion's bevels and scroll-bar grooves
        role.Light: theme.hover,
        role.Midlight: theme.subtle,
        role.Mid: theme.divider,
        role.Dark: theme.border,
        role.Shadow: theme.window,
    }
    disabled = {
        role.WindowText: theme.disabled_text,
        role.Text: theme.disabled_text,
        role.ButtonText: theme.disabled_text,
        role.Base: theme.disabled_surface,
        role.Button: theme.disabled_surface,
    }
    palette = QPalette()
    for colour_group in (group.Active, group.Inactive, group.Disabled):
        for colour_role, colour in colours.items():
            palette.setColor(colour_group, colour_role, QColor(colour))
    for colour_role, colour in disabled.items():
        palette.setColor(group.Disabled, colour_role, QColor(colour))
    return palette
