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
    # 3: the rules of issue 4 (R3, R6, R7, R14, R16, R17, R19) and administrator settings
    """
    CREATE TABLE notices (
        version INTEGER PRIMARY KEY,
        published_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        template_version TEXT NOT NULL,
        text_en TEXT NOT NULL,
        sha256_en TEXT NOT NULL,
        text_zh_cn TEXT NOT NULL,
        sha256_zh_cn TEXT NOT NULL
    );
    ALTER TABLE consents ADD COLUMN guardian_name TEXT;
    ALTER TABLE consents ADD COLUMN guardian_relation TEXT;
    CREATE TABLE transfer_consents (
        id TEXT PRIMARY KEY,
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        recipient TEXT NOT NULL,
        recipient_country TEXT NOT NULL,
        purpose TEXT NOT NULL,
        data_types TEXT NOT NULL,
        likely_impact TEXT NOT NULL,
        assessment_reference TEXT,
        operator TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        withdrawn_at TEXT
    );
    CREATE INDEX transfer_consents_by_subject ON transfer_consents(subject_id);
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('leak', 'destruction', 'loss')),
        occurred_at TEXT,
        discovered_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        description TEXT NOT NULL,
        data_affected TEXT NOT NULL,
        cause TEXT NOT NULL,
        likely_harm TEXT NOT NULL,
        remedies TEXT NOT NULL,
        advice TEXT NOT NULL
    );
    CREATE TABLE incident_subjects (
        incident_id TEXT NOT NULL REFERENCES incidents(id),
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        PRIMARY KEY (incident_id, subject_id)
    );
    CREATE TABLE settings_overrides (
        section TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (section, key)
    );
    CREATE INDEX templates_by_expiry ON templates(expires_at);
    CREATE INDEX audit_by_subject ON audit_events(subject_id);
    CREATE INDEX audit_by_time ON audit_events(at);
    """,
    # 4: operator accounts with roles (R12) and face attempt limits per claimed identity (R24)
    """
    CREATE TABLE operators (
        name TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('operator', 'administrator', 'auditor')),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        removed_at TEXT
    );
    CREATE TABLE face_attempts (
        subject_id TEXT PRIMARY KEY REFERENCES subjects(id),
        consecutive_failures INTEGER NOT NULL,
        last_failure_at TEXT,
        disabled_at TEXT
    );
    """,
    # 5: one table of failed attempts for every factor, face (R24) and PIN (R5); face counts carry
    # over. (A primary key cannot be altered in place, so the table is made anew.)
    """
    CREATE TABLE attempts (
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        factor TEXT NOT NULL CHECK (factor IN ('face', 'pin')),
        consecutive_failures INTEGER NOT NULL,
        last_failure_at TEXT,
        disabled_at TEXT,
        PRIMARY KEY (subject_id, factor)
    );
    INSERT INTO attempts(subject_id, factor, consecutive_failures, last_failure_at, disabled_at)
        SELECT subject_id, 'face', consecutive_failures, last_failure_at, disabled_at
        FROM face_attempts;
    DROP TABLE face_attempts;
    """,
    # 6: keyed links on audit events (issue 14, R12): NULL for events written before them
    """
    ALTER TABLE audit_events ADD COLUMN link TEXT;
    """,
    # 7: erasing a member at the end of service (issue 15). What a rule keeps after the person is
    # gone is a count, never a row naming them: consents for the processing record (R17) and the
    # people an incident affected (R19). audit_visits lets the inactivity listing read each
    # member's last visit from the index alone (bench/bench_erasure.py).
    """
    CREATE TABLE erased_tallies (
        item TEXT PRIMARY KEY,
        count INTEGER NOT NULL
    );
    ALTER TABLE incidents ADD COLUMN erased_affected INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX audit_visits ON audit_events(subject_id, at, operator);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
