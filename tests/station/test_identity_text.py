"""Issue 16: text is normalised and bounded. Member and card numbers have one kept form, so
look-alikes are one member (R21: a claim names one person); names and record texts are bounded and
hold no control, invisible or bidi character (R7, R12, R16, R19); dates of birth are plausible (R7);
stored text is written out visibly wherever the station prints it (R12: the audit trail, the CLI, the
CSV registers), and numbers kept by a store made before the rules are still found.

Property tests run derandomized in CI (tests/conftest.py); real stores and the real CLI elsewhere."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from station.cli import HOME_ENV, SECRET_ENV
from station.cli.transfer import PASSPHRASE_ENV
from station.domain import AuditKind, Guardian, RefusalCode, Role, ServiceError
from station.domain.incidents import IncidentDetails
from station.domain.text import TextField, is_hidden, visible
from station.domain.transfer import TransferConsentRequest
from station.policy.identifiers import (
    EARLIEST_BIRTH_DATE,
    MAX_IDENTIFIER_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    check_birth_date,
    clean_text,
    identifier,
)
from station.services import Station
from station.services.opening import create_station
from station.services.report_formats import csv_text
from station.settings import PolicySettings
from station.storage import Repositories, Store
from station.storage.export_package import ExportContents, KdfParameters, write_export
from station.storage.ids import new_id
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    STORE_SECRET,
    FrozenClock,
    fast_settings,
    run_cli,
    share_of_examples,
)

# The explicit direction controls: marks, embeddings and overrides, isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
KEPT_IDENTIFIER = re.compile(r"[A-Z0-9](?:[A-Z0-9._/-]*[A-Z0-9])?")
# What a terminal obeys or a reader cannot see: C0, DEL and C1 controls, bidi controls, separators.
TERMINAL_HAZARD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")
ESCAPES = "\x1b[2J\x1b]0;pwned\x07"  # clear the screen, retitle the terminal
OVERRIDE = "\u202e"
MANY = share_of_examples(2)  # the normalisers are cheap: twice the profile's examples

# Names as people write them: they must come back exactly.
REAL_NAMES = (
    "王芳",
    "李娜",
    "欧阳娜娜",
    "ئەخمەتجان قاسىم",  # Uyghur, Arabic script
    "فاطمه‌زهرا",  # Persian, with the zero-width non-joiner its spelling needs
    "José Ñúñez",
    "Zoë Åberg-Müller",
    "Nguyễn Thị Minh Khai",
    "Angelina Test",
    "Li Na",
)


def _refused(code: RefusalCode, call: object, *args: object, **kwargs: object) -> ServiceError:
    assert callable(call)
    with pytest.raises(ServiceError) as refused:
        call(*args, **kwargs)
    assert refused.value.code is code, refused.value
    return refused.value


# ------------------------------------------------------------------------------------------------
# The normalisers, as pure functions


def _identifier_or_none(text: str) -> str | None:
    try:
        return identifier(text, TextField.MEMBER_NUMBER)
    except ServiceError:
        return None


@MANY
@given(st.text())
@example("Ｍ\u2011１００１")
@example("m-1\u200b0\ufeff01\u202e")
@example("M-1\x1b[2J")
@example("ß-1")
def test_r21_an_accepted_number_is_in_the_repertoire_bounded_and_already_in_kept_form(
    text: str,
) -> None:
    kept = _identifier_or_none(text)
    if kept:
        assert KEPT_IDENTIFIER.fullmatch(kept), kept
        assert len(kept) <= MAX_IDENTIFIER_LENGTH
        assert identifier(kept, TextField.MEMBER_NUMBER) == kept  # idempotent


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_INVISIBLE = ("", "\u200b", "\u200d", "\ufeff", "\u2060", "\u202e", " ", "\u3000", "\u00a0")


@st.composite
def look_alikes(draw: st.DrawFn) -> tuple[str, str]:
    """A kept number, and the same number as it might arrive: any case, fullwidth, any dash, with
    zero-width characters, bidi controls and spaces between its characters."""
    kept = draw(st.from_regex(r"[A-Z0-9](?:[A-Z0-9._/-]{0,20}[A-Z0-9])?", fullmatch=True))
    typed = []
    for character in kept:
        if character == "-":
            character = draw(st.sampled_from(_DASHES))
        elif draw(st.booleans()):
            character = character.lower()
        if draw(st.booleans()):
            character = chr(ord(character) + 0xFEE0) if "!" <= character <= "~" else character
        typed.append(character + draw(st.sampled_from(_INVISIBLE)))
    return kept, "".join(typed)


@MANY
@given(look_alikes())
def test_r21_look_alike_numbers_map_to_one_kept_form(pair: tuple[str, str]) -> None:
    kept, typed = pair
    assert identifier(typed, TextField.MEMBER_NUMBER) == kept
    assert identifier(typed, TextField.CARD_NUMBER) == kept


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("M-1\x1b[2J", RefusalCode.TEXT_HIDDEN_CHARACTER),
        ("M-1\x00", RefusalCode.TEXT_HIDDEN_CHARACTER),
        ("M-1\n2", RefusalCode.TEXT_HIDDEN_CHARACTER),
        ("M-1\u20282", RefusalCode.TEXT_HIDDEN_CHARACTER),
        ("М-1", RefusalCode.IDENTIFIER_FORMAT),  # Cyrillic Em: refused, not guessed
        ("会员1", RefusalCode.IDENTIFIER_FORMAT),
        ("-M1", RefusalCode.IDENTIFIER_FORMAT),
        ("M1/", RefusalCode.IDENTIFIER_FORMAT),
        ("M+1", RefusalCode.IDENTIFIER_FORMAT),
        ("M" * (MAX_IDENTIFIER_LENGTH + 1), RefusalCode.TEXT_TOO_LONG),
    ],
)
def test_r21_a_number_that_cannot_be_read_back_is_refused_with_the_reason(
    typed: str, code: RefusalCode
) -> None:
    refusal = _refused(code, identifier, typed, TextField.CARD_NUMBER)
    assert refusal.details["field"] == "card_number"
    assert str(refusal).endswith(".")


@MANY
@given(st.text())
@example("Li\u202eaN")
@example("a\u0301")
@example("\u2066x\u2069")
def test_r12_an_accepted_name_is_nfc_bounded_and_holds_nothing_hidden(text: str) -> None:
    try:
        kept = clean_text(text, TextField.NAME)
    except ServiceError as refusal:
        assert refusal.code in (RefusalCode.TEXT_TOO_LONG, RefusalCode.TEXT_HIDDEN_CHARACTER)
        return
    assert len(kept) <= MAX_NAME_LENGTH
    assert unicodedata.is_normalized("NFC", kept)
    assert not TERMINAL_HAZARD.search(kept)
    assert not any(is_hidden(c) for c in kept)  # nothing a terminal or a label would obey
    assert clean_text(kept, TextField.NAME) == kept  # idempotent


@pytest.mark.parametrize("name", REAL_NAMES)
def test_r12_cjk_arabic_script_and_accented_names_are_kept_exactly(name: str) -> None:
    assert clean_text(name, TextField.NAME) == name
    assert clean_text(f"  {name}\n", TextField.NAME) == name
    assert visible(name) == name
    # The same name typed decomposed (as some keyboards send accents) is kept composed.
    assert clean_text(unicodedata.normalize("NFD", name), TextField.NAME) == name


# ESC, NUL, DEL, NEL (C1), the bidi controls, a zero-width space, the BOM, a line separator.
HIDDEN = "\x1b\x00\x7f\x85" + BIDI_CONTROLS + "\u200b\ufeff\u2028"


@pytest.mark.parametrize("hidden", list(HIDDEN))
def test_r12_a_name_with_a_control_or_bidi_character_is_refused_naming_it(hidden: str) -> None:
    refusal = _refused(
        RefusalCode.TEXT_HIDDEN_CHARACTER, clean_text, f"Li{hidden}Na", TextField.GUARDIAN_NAME
    )
    assert refusal.details == {"field": "guardian_name", "character": f"U+{ord(hidden):04X}"}


def test_r19_record_texts_are_longer_and_may_hold_paragraphs_but_names_may_not() -> None:
    assert clean_text("First.\r\nSecond.\rThird.", TextField.DESCRIPTION) == (
        "First.\nSecond.\nThird."
    )
    assert len(clean_text("x" * MAX_TEXT_LENGTH, TextField.LIKELY_HARM)) == MAX_TEXT_LENGTH
    _refused(RefusalCode.TEXT_TOO_LONG, clean_text, "x" * (MAX_TEXT_LENGTH + 1), TextField.CAUSE)
    _refused(RefusalCode.TEXT_HIDDEN_CHARACTER, clean_text, "a\tb", TextField.REMEDIES)
    _refused(RefusalCode.TEXT_HIDDEN_CHARACTER, clean_text, "Li\nNa", TextField.NAME)


def test_r7_a_date_of_birth_lies_between_1900_and_today() -> None:
    today = date(2026, 11, 27)
    check_birth_date(EARLIEST_BIRTH_DATE, today)
    check_birth_date(today, today)
    check_birth_date(None, today)  # R7 asks for it before face enrollment, not at registration
    for born in (EARLIEST_BIRTH_DATE - timedelta(days=1), today + timedelta(days=1)):
        refusal = _refused(RefusalCode.BIRTH_DATE_OUT_OF_RANGE, check_birth_date, born, today)
        assert refusal.details == {"earliest": "1900-01-01", "latest": "2026-11-27"}


# ------------------------------------------------------------------------------------------------
# The renderer


@MANY
@given(st.text())
@example(ESCAPES + OVERRIDE + "\u2066\x9b31m\u2028\ud800")
def test_r12_rendered_text_never_holds_an_escape_a_control_or_a_bidi_character(
    text: str,
) -> None:
    shown = visible(text)
    assert not TERMINAL_HAZARD.search(shown)
    categories = {unicodedata.category(c) for c in shown if c not in "\u200c\u200d"}  # joiners
    assert not categories & {"Cc", "Cf", "Cs", "Zl", "Zp"}
    assert visible(shown) == shown
    paragraphs = visible(text, newlines=True)
    assert not TERMINAL_HAZARD.search(paragraphs.replace("\n", ""))
    assert paragraphs.count("\n") == text.count("\n")


@MANY
@given(st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_r12_rendering_leaves_plain_text_as_it_is(text: str) -> None:
    assert visible(text) == text


def test_r12_the_renderer_writes_escapes_as_python_would() -> None:
    assert visible(ESCAPES) == "\\x1b[2J\\x1b]0;pwned\\x07"
    assert visible(f"Li{OVERRIDE}aN\u2066") == "Li\\u202eaN\\u2066"
    assert visible("a\tb\r\nc\U000e0001") == "a\\tb\\r\\nc\\U000e0001"
    assert visible("a\r\nb", newlines=True) == "a\\r\nb"


def test_r12_r17_csv_cells_write_out_controls_and_keep_line_breaks() -> None:
    text = csv_text(
        ("value",),
        [(ESCAPES,), (f"Li{OVERRIDE}aN",), ("line 1\nline 2",), ("\t=1+1",), ("=1+1",)],
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [
        ["\\x1b[2J\\x1b]0;pwned\\x07"],
        ["Li\\u202eaN"],
        ["line 1\nline 2"],
        ["\\t=1+1"],
        ["'=1+1"],
    ]
    assert "\x1b" not in text and OVERRIDE not in text


# ------------------------------------------------------------------------------------------------
# The services, on a real store


def test_r21_a_fullwidth_number_with_a_non_breaking_hyphen_is_the_same_member(
    station: Station,
) -> None:
    station.subjects.register("M-1001", "Li Na", ADULT_BIRTH, "desk-1", card_number="C-5521")
    for look_alike in (
        "Ｍ\u2011１００１",
        "m-1001",
        "M\u20131001",
        " M - 1001\u200b",
        "M-1001\ufeff",
    ):
        refusal = _refused(
            RefusalCode.MEMBER_EXISTS,
            station.subjects.register,
            look_alike,
            "Someone Else",
            ADULT_BIRTH,
            "desk-1",
        )
        assert refusal.details == {"member": "M-1001"}
        found = station.subjects.find(look_alike)
        assert found is not None and found.member_number == "M-1001"
    _refused(
        RefusalCode.CARD_TAKEN,
        station.subjects.register,
        "M-2",
        "Other",
        ADULT_BIRTH,
        "desk-1",
        card_number="ｃ－５５２１",
    )
    assert station.repos.subjects.count() == 1
    assert [s.member_number for s in station.subjects.search("Ｍ－１００１")] == ["M-1001"]


def test_r21_numbers_are_kept_upper_case_and_found_in_any_case(station: Station) -> None:
    subject = station.subjects.register("m-7", "Wang Fang", ADULT_BIRTH, "desk-1", "card-9")
    assert (subject.member_number, subject.card_number) == ("M-7", "CARD-9")
    station.subjects.set_pin("m-7", "482913", "desk-1")
    verdict = station.verification.pin("card-9", "482913", "desk-1")  # card number + PIN (R5)
    assert verdict.subject is not None and verdict.subject.id == subject.id


def test_r12_a_10_kb_name_or_number_is_refused_and_nothing_is_stored(station: Station) -> None:
    name = _refused(
        RefusalCode.TEXT_TOO_LONG, station.subjects.register, "M-1", "x" * 10_000, None, "desk-1"
    )
    assert name.details == {"field": "name", "limit": str(MAX_NAME_LENGTH)}
    _refused(
        RefusalCode.TEXT_TOO_LONG, station.subjects.register, "M" * 10_000, "Li Na", None, "desk-1"
    )
    assert station.repos.subjects.count() == 0


def test_r12_a_member_number_or_name_with_a_control_character_is_refused(
    station: Station,
) -> None:
    _refused(
        RefusalCode.TEXT_HIDDEN_CHARACTER,
        station.subjects.register,
        "M-1\x1b[2J",
        "Li Na",
        None,
        "desk-1",
    )
    _refused(
        RefusalCode.TEXT_HIDDEN_CHARACTER,
        station.subjects.register,
        "M-1",
        f"Li{OVERRIDE}aN",
        None,
        "desk-1",
    )
    assert station.repos.subjects.count() == 0


@pytest.mark.parametrize("name", REAL_NAMES)
def test_r12_real_names_are_registered_and_found_exactly(station: Station, name: str) -> None:
    subject = station.subjects.register("M-1", name, ADULT_BIRTH, "desk-1")
    assert subject.display_name == name
    assert [s.display_name for s in station.subjects.search(name[:2])] == [name]


@pytest.mark.parametrize("born", [date(2099, 1, 1), date(1800, 1, 1)])
def test_r7_a_date_of_birth_in_2099_or_1800_is_refused(station: Station, born: date) -> None:
    refusal = _refused(
        RefusalCode.BIRTH_DATE_OUT_OF_RANGE, station.subjects.register, "M-1", "Li Na", born, "d"
    )
    assert refusal.details["earliest"] == "1900-01-01"
    assert station.repos.subjects.count() == 0


def test_r7_a_guardians_name_and_relation_are_bounded_and_plain(
    tmp_store: Store, frozen_clock: FrozenClock
) -> None:
    settings = fast_settings(policy=PolicySettings(minors_policy="guardian"))
    station = Station(tmp_store, ADMIN, settings, frozen_clock)
    station.subjects.register("M-1", "Child", date(2016, 3, 1), "desk-1")
    notice = station.notices.current("en")
    for guardian, code in (
        (Guardian("x" * (MAX_NAME_LENGTH + 1), "mother"), RefusalCode.TEXT_TOO_LONG),
        (Guardian("Li Hua", f"mother{OVERRIDE}"), RefusalCode.TEXT_HIDDEN_CHARACTER),
    ):
        _refused(code, station.consents.record, "M-1", True, notice, "desk-1", guardian=guardian)
    record = station.consents.record(
        "M-1", True, notice, "desk-1", guardian=Guardian(" 李华 ", "mother")
    )
    assert (record.guardian_name, record.guardian_relation) == ("李华", "mother")


def test_r19_incident_texts_are_bounded_and_plain(station: Station) -> None:
    now = station.clock.now()
    details = IncidentDetails(
        "loss", now, "A printed list.", "names", "left behind", "low", "collected", "none"
    )
    station.subjects.register("M-1", "Li Na", ADULT_BIRTH, "desk-1")
    _refused(
        RefusalCode.TEXT_HIDDEN_CHARACTER,
        station.incidents.record,
        replace(details, description=f"Lost{ESCAPES}"),
        ADMIN,
        ["M-1"],
    )
    _refused(
        RefusalCode.TEXT_TOO_LONG,
        station.incidents.record,
        replace(details, advice="x" * (MAX_TEXT_LENGTH + 1)),
        ADMIN,
        ["M-1"],
    )
    # Look-alike numbers of one member list that person once.
    incident = station.incidents.record(
        replace(details, description="Line one.\nLine two."), ADMIN, ["M-1", "ｍ\u20111"]
    )
    assert incident.people_affected == 1
    assert incident.details.description == "Line one.\nLine two."


def test_r16_transfer_consent_texts_are_bounded_and_plain(
    tmp_store: Store, frozen_clock: FrozenClock
) -> None:
    settings = fast_settings(policy=PolicySettings(face_export_enabled=True))
    station = Station(tmp_store, ADMIN, settings, frozen_clock)
    station.subjects.register("M-1", "Li Na", ADULT_BIRTH, "desk-1")
    request = TransferConsentRequest(
        "Acme Gyms", "CN", "access at partner gyms", ("face_template",), "recognised there"
    )
    _refused(
        RefusalCode.TEXT_HIDDEN_CHARACTER,
        station.transfers.record_consent,
        "M-1",
        replace(request, recipient=f"Acme{OVERRIDE}smyG"),
        ADMIN,
    )
    _refused(
        RefusalCode.TEXT_TOO_LONG,
        station.transfers.record_consent,
        "M-1",
        replace(request, likely_impact="x" * (MAX_TEXT_LENGTH + 1)),
        ADMIN,
    )
    assert station.transfers.record_consent("ｍ-1", request, ADMIN).recipient == "Acme Gyms"


def test_r12_operator_names_are_bounded_and_plain_and_kept_as_typed(
    station: Station, store_path: Path
) -> None:
    accounts = station.accounts
    for name, code in (
        ("Desk\x1b[2J", RefusalCode.TEXT_HIDDEN_CHARACTER),
        (f"Desk{OVERRIDE}", RefusalCode.TEXT_HIDDEN_CHARACTER),
        ("D" * (MAX_NAME_LENGTH + 1), RefusalCode.TEXT_TOO_LONG),
    ):
        _refused(
            code, accounts.add_operator, name, Role.OPERATOR, "desk password", ADMIN, STORE_SECRET
        )
    assert [a.display_name for a in accounts.list_operators()] == [ADMIN]
    added = accounts.add_operator("前台 二号", Role.OPERATOR, "desk password", ADMIN, STORE_SECRET)
    assert added.display_name == "前台 二号"
    other = store_path.with_name("other.db")
    _refused(
        RefusalCode.TEXT_HIDDEN_CHARACTER,
        create_station,
        other,
        "Chief\x1b[2J",
        STORE_SECRET,
        fast_settings(),
    )
    assert not other.exists()


# ------------------------------------------------------------------------------------------------
# A store made before the rules


def test_r21_numbers_kept_before_the_rules_are_still_found(station: Station) -> None:
    """Rows written straight through the repository, as a store from before issue 16 holds them:
    each is found by its kept form and by the text the station shows, and blocks a new look-alike."""
    repo, now = station.repos.subjects, station.clock.now()
    with station.store.transaction():
        lower = repo.add("m-1001", "Li Na", ADULT_BIRTH, now, "c-5521")
        wide = repo.add("Ｍ-2002", "Wang Fang", ADULT_BIRTH, now)
        spaced = repo.add("M 3003\u200b", "Zhang Wei", ADULT_BIRTH, now)
        broken = repo.add(f"M-4{ESCAPES}", f"Evil{OVERRIDE}", ADULT_BIRTH, now)
        twin_a = repo.add("a-1", "Twin A", ADULT_BIRTH, now)
        twin_b = repo.add("Ａ-1", "Twin B", ADULT_BIRTH, now)
    expected = {
        "M-1001": lower,
        "m-1001": lower,
        "Ｍ－１００１": lower,
        "M-2002": wide,
        "Ｍ-2002": wide,
        "M3003": spaced,
        "M 3003\u200b": spaced,
        f"M-4{ESCAPES}": broken,  # not a number under the rules: found only as stored
        "a-1": twin_a,
        "Ａ-1": twin_b,
    }
    for typed, subject in expected.items():
        found = station.subjects.find(typed)
        assert found is not None and found.id == subject.id, typed
    assert station.subjects.find("A-1") is None  # two old members read "A-1": neither is guessed
    card = station.subjects.find_by_card("C-5521")
    assert card is not None and card.id == lower.id
    for taken in ("M-1001", "M-2002", "M3003", "A-1"):
        _refused(RefusalCode.MEMBER_EXISTS, station.subjects.register, taken, "New", None, "desk-1")
    _refused(
        RefusalCode.CARD_TAKEN, station.subjects.register, "M-9", "New", None, "desk-1", "C-5521"
    )
    # The services act on what the station shows for each person (the subject page passes it on).
    outcome = station.subjects.withdraw_face_consent(broken.member_number, "desk-1")
    assert outcome.subject_id == broken.id


# ------------------------------------------------------------------------------------------------
# The command line, over a store with text written before the rules


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv(SECRET_ENV, STORE_SECRET)
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    site = tmp_path / "site.toml"
    site.write_text(
        "[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n", encoding="utf-8"
    )
    common = ["--settings", str(site), "--operator", ADMIN]
    assert run_cli([*common, "init"]) == 0
    return common


def _write_old_rows(store_path: Path) -> str:
    """Hostile text as a store from before issue 16 may hold it; returns the incident's id."""
    store = Store.open(store_path, ADMIN, STORE_SECRET)
    try:
        repos, now = Repositories(store), datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
        with store.transaction():
            subject = repos.subjects.add(f"M-9{ESCAPES}", f"Evil{OVERRIDE}eman", ADULT_BIRTH, now)
            repos.operators.add(f"Desk{ESCAPES}", Role.OPERATOR, ADMIN, now)
            repos.audit.append(
                AuditKind.SIGN_IN_FAILED, f"root{ESCAPES}", now, subject.id, {"name": OVERRIDE}
            )
            incident = repos.incidents.add(
                new_id(),
                IncidentDetails(
                    "loss", now, f"Lost{ESCAPES}", "names", "cause", "harm", "remedy", "advice"
                ),
                ADMIN,
                now,
                [subject.id],
            )
        return incident.id
    finally:
        store.close()


def test_r12_r19_the_cli_prints_stored_escapes_and_overrides_written_out(
    cli_store: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incident_id = _write_old_rows(tmp_path / "home" / "station.db")
    capsys.readouterr()
    commands = {
        "incident list": ["incident", "list"],
        "incident affected": ["incident", "affected", incident_id],
        "audit show": ["audit", "show", "--limit", "5"],
        "operator list": ["operator", "list"],
    }
    printed = {}
    for what, command in commands.items():
        assert run_cli([*cli_store, *command]) == 0, what
        printed[what] = capsys.readouterr().out
        assert "\\x1b[2J\\x1b]0;pwned\\x07" in printed[what], what
        assert not TERMINAL_HAZARD.search(printed[what].replace("\n", "")), what
    assert "M-9\\x1b[2J\\x1b]0;pwned\\x07  Evil\\u202eeman" in printed["incident affected"]
    assert "Lost\\x1b[2J" in printed["incident list"]
    assert "root\\x1b[2J" in printed["audit show"]
    assert '{"name": "\\u202e"}' in printed["audit show"]
    # An error repeating what was typed (or stored) is written out too.
    assert run_cli([*cli_store, "withdraw", "--member", f"X{ESCAPES}"]) == 1
    error = capsys.readouterr().err
    assert "No member X\\x1b[2J" in error
    assert not TERMINAL_HAZARD.search(error.replace("\n", ""))


def test_r12_r16_read_export_writes_out_a_files_hostile_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export comes from another station: its texts are foreign input to the recipient."""
    monkeypatch.setenv(PASSPHRASE_ENV, "agreed on the phone 7731")
    path = tmp_path / "hostile.fsx"
    template = np.zeros(128, dtype=np.float32)
    contents = ExportContents("model", template, f"M-1{ESCAPES}", f"Evil{OVERRIDE}eman")
    write_export(path, contents, "agreed on the phone 7731", KdfParameters(1, 8192, 1))
    assert run_cli(["read-export", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "display_name: Evil\\u202eeman" in shown
    assert "member_number: M-1\\x1b[2J" in shown
    assert not TERMINAL_HAZARD.search(shown.replace("\n", ""))
    assert run_cli(["read-export", "--json", str(path)]) == 0
    raw = capsys.readouterr().out
    assert not TERMINAL_HAZARD.search(raw.replace("\n", ""))
    assert json.loads(raw)["display_name"] == contents.display_name  # escaped, not altered
