"""Row <-> domain value mapping for every table. Callers own the transaction."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime
from typing import Any

import numpy as np

from station.domain import AuditEvent, ConsentRecord, Subject, Template
from station.storage.store import Store

GENESIS_HASH = "0" * 64
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
        )
        self.store.execute(
            "INSERT INTO consents(id, subject_id, purpose, accepted, notice_version, notice_sha256, "
            "method, operator, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ),
        )
        return record

    def latest_face_consent(self, subject_id: str) -> ConsentRecord | None:
        row = self.store.execute(
            "SELECT id, subject_id, purpose, accepted, notice_version, notice_sha256, method, "
            "operator, recorded_at FROM consents WHERE subject_id = ? AND purpose = ? "
            "ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
            (subject_id, FACE_PURPOSE),
        ).fetchone()
        if row is None:
            return None
        return ConsentRecord(
            row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], _time(row[8])
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

    # audit (R12): append-only and hash-chained
    def append_audit(
        self,
        kind: str,
        operator: str,
        now: datetime,
        subject_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditEvent:
        last = self.store.execute(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        body = detail or {}
        digest = audit_hash(seq, now.isoformat(), kind, subject_id, operator, body, prev_hash)
        self.store.execute(
            "INSERT INTO audit_events(seq, at, kind, subject_id, operator, detail, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, now.isoformat(), kind, subject_id, operator, _canonical(body), prev_hash, digest),
        )
        return AuditEvent(seq, now, kind, subject_id, operator, body, prev_hash, digest)

    def audit_events(self, subject_id: str | None = None) -> list[AuditEvent]:
        query = (
            "SELECT seq, at, kind, subject_id, operator, detail, prev_hash, hash FROM audit_events"
        )
        parameters: tuple[Any, ...] = ()
        if subject_id is not None:
            query += " WHERE subject_id = ?"
            parameters = (subject_id,)
        rows = self.store.execute(query + " ORDER BY seq", parameters).fetchall()
        return [
            AuditEvent(r[0], _time(r[1]), r[2], r[3], r[4], json.loads(r[5]), r[6], r[7])
            for r in rows
        ]


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
