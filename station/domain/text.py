"""Text that names people and records events, as every layer sees it: the characters that can hide,
reorder or inject (issue 16), the fields whose text the services check (TextField, for the window's
sentences), and `visible`, the one renderer for stored text on a terminal, in a CSV cell or in a
window label. The rules that normalise and bound the text are in station.policy.identifiers."""

from __future__ import annotations

import enum
import unicodedata

# ZWNJ and ZWJ shape Arabic-script and Indic writing (and emoji); they cannot move or inject text.
JOINERS = frozenset("\u200c\u200d")
_HIDDEN_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_hidden(character: str) -> bool:
    """A character that drives a terminal, breaks a line or hides or reorders the text around it:
    C0 and C1 controls and DEL (Cc, ESC among them); format characters (Cf: zero-width spaces, the
    byte-order mark, and the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069,
    of which U+202E makes "Li", U+202E, "aN" read "LiNa") except the two joiners; line and
    paragraph separators; and lone surrogates (which no file or terminal can encode)."""
    return unicodedata.category(character) in _HIDDEN_CATEGORIES and character not in JOINERS


def escape(character: str) -> str:
    """One character as the escape Python would write for it: \\x1b, \\u202e, \\U000e0001."""
    if character in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[character]
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def code_point(character: str) -> str:
    """How a refusal names a character the operator cannot see: U+202E."""
    return f"U+{ord(character):04X}"


def visible(text: str, *, newlines: bool = False) -> str:
    """`text` with every hidden character written out as its escape (ESC -> \\x1b, U+202E ->
    \\u202e), so stored text can neither drive a terminal nor disguise itself; line breaks are kept
    when `newlines` (a multi-line text shown whole). Text without hidden characters is unchanged."""
    if text.isprintable():  # no Cc, Cf, Cs, Zl or Zp (nor other spaces): nothing to escape
        return text
    return "".join(escape(c) if is_hidden(c) and not (newlines and c == "\n") else c for c in text)


class TextField(enum.Enum):
    """A text the services check before they keep it (station.policy.identifiers); a refusal names
    it so the operator knows which field to correct. Incident fields carry IncidentDetails' names."""

    MEMBER_NUMBER = "member_number"
    CARD_NUMBER = "card_number"
    NAME = "name"
    GUARDIAN_NAME = "guardian_name"
    GUARDIAN_RELATION = "guardian_relation"
    OPERATOR_NAME = "operator_name"
    RECIPIENT = "recipient"
    TRANSFER_PURPOSE = "transfer_purpose"
    LIKELY_IMPACT = "likely_impact"
    ASSESSMENT_REFERENCE = "assessment_reference"
    DESCRIPTION = "description"
    DATA_AFFECTED = "data_affected"
    CAUSE = "cause"
    LIKELY_HARM = "likely_harm"
    REMEDIES = "remedies"
    ADVICE = "advice"

    @property
    def label(self) -> str:
        """The field in the English of the CLI's messages (the window has its own words)."""
        return _LABELS.get(self, self.value.replace("_", " "))


_LABELS = {
    TextField.GUARDIAN_NAME: "guardian's name",
    TextField.GUARDIAN_RELATION: "guardian's relation",
    TextField.TRANSFER_PURPOSE: "purpose of the transfer",
    TextField.ASSESSMENT_REFERENCE: "security-assessment reference",
}
