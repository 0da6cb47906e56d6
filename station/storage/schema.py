"""Schema as code: ordered migrations, applied in one transaction each (architecture example 8).

Identity (subjects) and templates live in separate tables; templates are keyed by a random id and
joined to a subject only through subject_templates (R13). There is no column for any trait (R9), and
audit rows carry no biometric bytes (R12).
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE subjects (
        id TEXT PRIMARY KEY,
        member_number TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        date_of_birth TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        model_id TEXT NOT NULL,
        model_fingerprint TEXT NOT NULL,
        vector BLOB NOT NULL,
        frames_used INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE subject_templates (
        subject_id TEXT PRIMARY KEY REFERENCES subjects(id),
        template_id TEXT NOT NULL UNIQUE REFERENCES templates(id)
    );
    CREATE TABLE consents (
        id TEXT PRIMARY KEY,
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        purpose TEXT NOT NULL,
        accepted INTEGER NOT NULL,
        notice_version TEXT NOT NULL,
        notice_sha256 TEXT NOT NULL,
        method TEXT NOT NULL,
        operator TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX consents_by_subject ON consents(subject_id, recorded_at);
    CREATE TABLE pins (
        subject_id TEXT PRIMARY KEY REFERENCES subjects(id),
        pin_hash TEXT NOT NULL,
        set_at TEXT NOT NULL
    );
    CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject_id TEXT,
        operator TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE station_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: membership cards, so the non-face path can be "card number + PIN" (R5)
    """
    ALTER TABLE subjects ADD COLUMN card_number TEXT;
    CREATE UNIQUE INDEX subjects_by_card ON subjects(card_number) WHERE card_number IS NOT NULL;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
