"""Row <-> domain value mapping for every table. Callers own the transaction."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime
from typing import Any

import numpy as np

from station.domain import (
    AuditEvent,
    ConsentRecord,
    Guardian,
    OperatorAccount,
    Role,
    Subject,
    Template,
)
from station.policy.attempts import AttemptState
from station.policy.notice import PublishedNotice, sha256_text
from station.storage.keys import name_key
from station.storage.store import Store

GENESIS_HASH = "0" * 64
AUDIT_HEAD = "audit_head"
AUDIT_ANCHOR = "audit_anchor"
FACE_PURPOSE = "face_verification"
SUBJECT_COLUMNS = "id, member_number, display_name, date_of_birth, created_at, card_number"


def new_id() -> str:
    """Random ids: nothing about a person or an order of enrollment can be read from them (R13)."""
    return secrets.token_hex(16)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Repository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # subjects
    def add_subject(
        self,
        member_number: str,
        display_name: str,
        date_of_birth: date | None,
        now: datetime,
        card_number: str | None = None,
    ) -> Subject:
        subject = Subject(new_id(), member_number, display_name, date_of_birth, now, card_number)
        self.store.execute(
            "INSERT INTO subjects(id, member_number, display_name, date_of_birth, created_at, "
            "card_number) VALUES (?, ?, ?, ?, ?, ?)",
            (
                subject.id,
                member_number,
                display_name,
                date_of_birth.isoformat() if date_of_birth else None,
                now.isoformat(),
                card_number,
            ),
        )
        return subject

    def subject_by_member_number(self, member_number: str) -> Subject | None:
        row = self.store.execute(
            f"SELECT {SUBJECT_COLUMNS} FROM subjects WHERE member_number = ?",
            (member_number,),
        ).fetchone()
        return _subject(row) if row else None

    def subject_by_card(self, card_number: str) -> Subject | None:
        row = self.store.execute(
            f"SELECT {SUBJECT_COLUMNS} FROM subjects WHERE card_number = ?", (card_number,)
        ).fetchone()
        return _subject(row) if row else None

    def subject_by_id(self, subject_id: str) -> Subject | None:
        row = self.store.execute(
            f"SELECT {SUBJECT_COLUMNS} FROM subjects WHERE id = ?",
            (subject_id,),
        ).fetchone()
        return _subject(row) if row else None

    def search_subjects(self, text: str, limit: int) -> list[Subject]:
        rows = self.store.execute(
            f"SELECT {SUBJECT_COLUMNS} FROM subjects "
            "WHERE member_number = ? OR display_name LIKE ? ESCAPE '\\' "
            "ORDER BY member_number = ? DESC, display_name LIMIT ?",
            (text, "%" + _like_escape(text) + "%", text, limit),
        ).fetchall()
        return [_subject(row) for row in rows]

    # consents
    def add_consent(
        self,
        subject_id: str,
        accepted: bool,
        notice_version: str,
        notice_sha256: str,
        method: str,
        operator: str,
        now: datetime,
        guardian: Guardian | None = None,
    ) -> ConsentRecord:
        record = ConsentRecord(
            new_id(),
            subject_id,
            FACE_PURPOSE,
            accepted,
            notice_version,
            notice_sha256,
            method,
            operator,
            now,
            guardian.name if guardian else None,
            guardian.relation if guardian else None,
        )
        self.store.execute(
            "INSERT INTO consents(id, subject_id, purpose, accepted, notice_version, notice_sha256, "
            "method, operator, recorded_at, guardian_name, guardian_relation) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                subject_id,
                FACE_PURPOSE,
                int(accepted),
                notice_version,
                notice_sha256,
                method,
                operator,
                now.isoformat(),
                record.guardian_name,
                record.guardian_relation,
            ),
        )
        return record

    def latest_face_consent(self, subject_id: str) -> ConsentRecord | None:
        row = self.store.execute(
            "SELECT id, subject_id, purpose, accepted, notice_version, notice_sha256, method, "
            "operator, recorded_at, guardian_name, guardian_relation FROM consents "
            "WHERE subject_id = ? AND purpose = ? ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
            (subject_id, FACE_PURPOSE),
        ).fetchone()
        if row is None:
            return None
        return ConsentRecord(
            row[0],
            row[1],
            row[2],
            bool(row[3]),
            row[4],
            row[5],
            row[6],
            row[7],
            _time(row[8]),
            row[9],
            row[10],
        )

    # notices (R3)
    def publish_notice(
        self, texts: dict[str, str], template_version: str, operator: str, now: datetime
    ) -> PublishedNotice:
        row = self.store.execute("SELECT coalesce(max(version), 0) FROM notices").fetchone()
        notice = PublishedNotice(row[0] + 1, now, operator, template_version, dict(texts))
        self.store.execute(
            "INSERT INTO notices(version, published_at, operator, template_version, text_en, "
            "sha256_en, text_zh_cn, sha256_zh_cn) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                notice.version,
                now.isoformat(),
                operator,
                template_version,
                texts["en"],
                sha256_text(texts["en"]),
                texts["zh_CN"],
                sha256_text(texts["zh_CN"]),
            ),
        )
        return notice

    def current_notice(self) -> PublishedNotice | None:
        row = self.store.execute(
            "SELECT version, published_at, operator, template_version, text_en, text_zh_cn "
            "FROM notices ORDER BY version DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return PublishedNotice(
            row[0], _time(row[1]), row[2], row[3], {"en": row[4], "zh_CN": row[5]}
        )

    # settings an administrator changed in the app (R12: each change audited by the caller)
    def settings_overrides(self) -> dict[str, dict[str, Any]]:
        overrides: dict[str, dict[str, Any]] = {}
        for section, key, value in self.store.execute(
            "SELECT section, key, value FROM settings_overrides ORDER BY section, key"
        ):
            overrides.setdefault(section, {})[key] = json.loads(value)
        return overrides

    def set_setting_override(self, section: str, key: str, value: Any) -> None:
        self.store.execute(
            "INSERT INTO settings_overrides(section, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT(section, key) DO UPDATE SET value = excluded.value",
            (section, key, json.dumps(value)),
        )

    # templates
    def replace_template(self, subject_id: str, template: Template) -> str | None:
        """Store a subject's template; an older one is destroyed, not kept beside it (R15)."""
        old = self.template_id_for(subject_id)
        if old is not None:
            self.destroy_template(subject_id)
        self.store.execute(
            "INSERT INTO templates(id, model_id, model_fingerprint, vector, frames_used, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                template.id,
                template.model_id,
                template.model_fingerprint,
                np.asarray(template.vector, dtype="<f4").tobytes(),
                template.frames_used,
                template.created_at.isoformat(),
                template.expires_at.isoformat(),
            ),
        )
        self.store.execute(
            "INSERT INTO subject_templates(subject_id, template_id) VALUES (?, ?)",
            (subject_id, template.id),
        )
        return old

    def template_id_for(self, subject_id: str) -> str | None:
        row = self.store.execute(
            "SELECT template_id FROM subject_templates WHERE subject_id = ?", (subject_id,)
        ).fetchone()
        return row[0] if row else None

    def template_for(self, subject_id: str) -> Template | None:
        row = self.store.execute(
            "SELECT t.id, t.model_id, t.model_fingerprint, t.vector, t.frames_used, t.created_at, "
            "t.expires_at FROM templates t JOIN subject_templates l ON l.template_id = t.id "
            "WHERE l.subject_id = ?",
            (subject_id,),
        ).fetchone()
        return _template(row) if row else None

    def templates_of_model(self, model_fingerprint: str) -> tuple[list[str], np.ndarray[Any, Any]]:
        """(subject ids, N x 128 float32) for 1:N search; other models' templates are left out (R15)."""
        rows = self.store.execute(
            "SELECT l.subject_id, t.vector FROM templates t JOIN subject_templates l "
            "ON l.template_id = t.id WHERE t.model_fingerprint = ?",
            (model_fingerprint,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 128), dtype=np.float32)
        vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
        return [r[0] for r in rows], vectors.astype(np.float32)

    def expired_templates(self, now: datetime, created_before: datetime) -> list[tuple[str, str]]:
        """(subject id, template id) past their own expiry, or older than a retention that has
        since been shortened (R14)."""
        rows = self.store.execute(
            "SELECT l.subject_id, t.id FROM templates t JOIN subject_templates l "
            "ON l.template_id = t.id WHERE t.expires_at <= ? OR t.created_at <= ? "
            "ORDER BY t.expires_at",
            (now.isoformat(), created_before.isoformat()),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def count_subjects(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM subjects").fetchone()[0])

    def count_templates(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM subject_templates").fetchone()[0])

    def destroy_template(self, subject_id: str) -> int:
        template_id = self.template_id_for(subject_id)
        if template_id is None:
            return 0
        self.store.execute("DELETE FROM subject_templates WHERE subject_id = ?", (subject_id,))
        self.store.execute("DELETE FROM templates WHERE id = ?", (template_id,))
        return 1

    # PINs for the non-face path (R5)
    def set_pin_hash(self, subject_id: str, pin_hash: str, now: datetime) -> None:
        self.store.execute(
            "INSERT INTO pins(subject_id, pin_hash, set_at) VALUES (?, ?, ?) "
            "ON CONFLICT(subject_id) DO UPDATE SET pin_hash = excluded.pin_hash, set_at = excluded.set_at",
            (subject_id, pin_hash, now.isoformat()),
        )

    def pin_hash(self, subject_id: str) -> str | None:
        row = self.store.execute(
            "SELECT pin_hash FROM pins WHERE subject_id = ?", (subject_id,)
        ).fetchone()
        return row[0] if row else None

    # operator accounts (R12); their key slots live in the key file
    def operator_account(self, name: str) -> OperatorAccount | None:
        row = self.store.execute(
            "SELECT name, display_name, role, created_at, created_by, removed_at FROM operators "
            "WHERE name = ?",
            (name_key(name),),
        ).fetchone()
        return _account(row) if row else None

    def operator_accounts(self) -> list[OperatorAccount]:
        rows = self.store.execute(
            "SELECT name, display_name, role, created_at, created_by, removed_at FROM operators "
            "ORDER BY removed_at IS NOT NULL, display_name"
        ).fetchall()
        return [_account(row) for row in rows]

    def add_operator_account(
        self, display_name: str, role: Role, created_by: str, now: datetime
    ) -> OperatorAccount:
        account = OperatorAccount(
            name_key(display_name), display_name.strip(), role, now, created_by, None
        )
        self.store.execute(
            "INSERT INTO operators(name, display_name, role, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET display_name = "
            "excluded.display_name, role = excluded.role, created_at = excluded.created_at, "
            "created_by = excluded.created_by, removed_at = NULL",
            (account.name, account.display_name, role.value, now.isoformat(), created_by),
        )
        return account

    def remove_operator_account(self, name: str, now: datetime) -> None:
        self.store.execute(
            "UPDATE operators SET removed_at = ? WHERE name = ?", (now.isoformat(), name_key(name))
        )

    # audit (R12): append-only and hash-chained; the head is kept in station_meta so deleting the
    # newest events is detected, and the anchor records where a prune (R17) left the chain's start.
    def append_audit(
        self,
        kind: str,
        operator: str,
        now: datetime,
        subject_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditEvent:
        head = self.audit_head()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        body = detail or {}
        digest = audit_hash(seq, now.isoformat(), kind, subject_id, operator, body, prev_hash)
        self.store.execute(
            "INSERT INTO audit_events(seq, at, kind, subject_id, operator, detail, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, now.isoformat(), kind, subject_id, operator, _canonical(body), prev_hash, digest),
        )
        self.set_meta_value(AUDIT_HEAD, f"{seq}:{digest}")
        return AuditEvent(seq, now, kind, subject_id, operator, body, prev_hash, digest)

    def audit_head(self) -> tuple[int, str] | None:
        """(seq, hash) of the newest event ever written, even if it was since pruned."""
        recorded = self.meta_value(AUDIT_HEAD)
        if recorded is not None:
            seq, digest = recorded.split(":")
            return int(seq), digest
        # A store from before the head was recorded: its newest row is the head.
        last = self.store.execute(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (int(last[0]), str(last[1])) if last else None

    def audit_anchor(self) -> tuple[int, str]:
        """(seq, prev_hash) the remaining chain must start from."""
        recorded = self.meta_value(AUDIT_ANCHOR)
        if recorded is None:
            return 1, GENESIS_HASH
        seq, digest = recorded.split(":")
        return int(seq), digest

    def prune_audit_before(self, cutoff: datetime) -> tuple[int, int, int] | None:
        """Delete events dated before cutoff (R17: only once they are older than the records'
        retention); returns (count, first seq, last seq) deleted, and moves the anchor."""
        rows = self.store.execute(
            "SELECT seq, hash FROM audit_events WHERE at < ? ORDER BY seq", (cutoff.isoformat(),)
        ).fetchall()
        if not rows:
            return None
        last_seq, last_hash = rows[-1]
        # Events are dated in order, so everything up to last_seq goes; the chain then starts at
        # the event after it, whose prev_hash is the last deleted event's hash.
        self.store.execute("DELETE FROM audit_events WHERE seq <= ?", (last_seq,))
        self.set_meta_value(AUDIT_ANCHOR, f"{last_seq + 1}:{last_hash}")
        return len(rows), int(rows[0][0]), int(last_seq)

    def audit_rows(self) -> list[tuple[Any, ...]]:
        """Raw rows in seq order, as stored: what `audit verify` checks."""
        return list(
            self.store.execute(
                "SELECT seq, at, kind, subject_id, operator, detail, prev_hash, hash "
                "FROM audit_events ORDER BY seq"
            ).fetchall()
        )

    def meta_value(self, key: str) -> str | None:
        row = self.store.execute("SELECT value FROM station_meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta_value(self, key: str, value: str) -> None:
        self.store.execute(
            "INSERT INTO station_meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def recent_audit_events(self, limit: int) -> list[AuditEvent]:
        rows = self.store.execute(
            "SELECT seq, at, kind, subject_id, operator, detail, prev_hash, hash FROM audit_events "
            "ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_event(row) for row in rows]

    def audit_events(self, subject_id: str | None = None) -> list[AuditEvent]:
        query = (
            "SELECT seq, at, kind, subject_id, operator, detail, prev_hash, hash FROM audit_events"
        )
        parameters: tuple[Any, ...] = ()
        if subject_id is not None:
            query += " WHERE subject_id = ?"
            parameters = (subject_id,)
        rows = self.store.execute(query + " ORDER BY seq", parameters).fetchall()
        return [_event(row) for row in rows]

    # face attempt limits per claimed identity (R24); counts only, nothing biometric
    def face_attempts(self, subject_id: str) -> AttemptState:
        row = self.store.execute(
            "SELECT consecutive_failures, last_failure_at, disabled_at FROM face_attempts "
            "WHERE subject_id = ?",
            (subject_id,),
        ).fetchone()
        if row is None:
            return AttemptState()
        return AttemptState(
            int(row[0]), _time(row[1]) if row[1] else None, _time(row[2]) if row[2] else None
        )

    def set_face_attempts(self, subject_id: str, state: AttemptState) -> None:
        """A clean state deletes the row: nothing is kept about someone with no failures."""
        if state.is_clean:
            self.store.execute("DELETE FROM face_attempts WHERE subject_id = ?", (subject_id,))
            return
        self.store.execute(
            "INSERT INTO face_attempts(subject_id, consecutive_failures, last_failure_at, "
            "disabled_at) VALUES (?, ?, ?, ?) ON CONFLICT(subject_id) DO UPDATE SET "
            "consecutive_failures = excluded.consecutive_failures, "
            "last_failure_at = excluded.last_failure_at, disabled_at = excluded.disabled_at",
            (
                subject_id,
                state.consecutive_failures,
                state.last_failure_at.isoformat() if state.last_failure_at else None,
                state.disabled_at.isoformat() if state.disabled_at else None,
            ),
        )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def audit_hash(
    seq: int,
    at: str,
    kind: str,
    subject_id: str | None,
    operator: str,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    material = _canonical(
        {
            "seq": seq,
            "at": at,
            "kind": kind,
            "subject": subject_id,
            "operator": operator,
            "detail": detail,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _account(row: tuple[Any, ...]) -> OperatorAccount:
    return OperatorAccount(
        row[0], row[1], Role(row[2]), _time(row[3]), row[4], _time(row[5]) if row[5] else None
    )


def _event(row: tuple[Any, ...]) -> AuditEvent:
    return AuditEvent(
        row[0], _time(row[1]), row[2], row[3], row[4], json.loads(row[5]), row[6], row[7]
    )


def _subject(row: tuple[Any, ...]) -> Subject:
    return Subject(
        row[0],
        row[1],
        row[2],
        date.fromisoformat(row[3]) if row[3] else None,
        _time(row[4]),
        row[5],
    )


def _template(row: tuple[Any, ...]) -> Template:
    return Template(
        id=row[0],
        model_id=row[1],
        model_fingerprint=row[2],
        vector=np.frombuffer(row[3], dtype="<f4").astype(np.float32),
        frames_used=row[4],
        created_at=_time(row[5]),
        expires_at=_time(row[6]),
    )
