"""Face templates, in their own table under random ids, linked to a person only through
subject_templates (R13); bound to the model that made them (R15); destroyed, never kept aside (R14)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import numpy as np

from station.domain import Template
from station.storage.ids import parse_time
from station.storage.store import Store


class ModelsOfTemplate(Protocol):
    """What storage needs of a template version (biometrics.model_sets.ModelSet)."""

    @property
    def fingerprint(self) -> str: ...

    @property
    def size(self) -> int: ...


_COLUMNS = (
    "t.id, t.model_id, t.model_fingerprint, t.vector, t.frames_used, t.created_at, t.expires_at"
)


class TemplateRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def replace(self, subject_id: str, template: Template) -> str | None:
        """Store a subject's template; an older one is destroyed, not kept beside it (R15).
        Returns the replaced template's id."""
        old = self.id_for(subject_id)
        if old is not None:
            self.destroy(subject_id)
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

    def id_for(self, subject_id: str) -> str | None:
        row = self.store.execute(
            "SELECT template_id FROM subject_templates WHERE subject_id = ?", (subject_id,)
        ).fetchone()
        return row[0] if row else None

    def for_subject(self, subject_id: str) -> Template | None:
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM templates t JOIN subject_templates l ON l.template_id = t.id "
            "WHERE l.subject_id = ?",
            (subject_id,),
        ).fetchone()
        return _template(row) if row else None

    def of_model(self, models: ModelsOfTemplate) -> tuple[list[str], np.ndarray[Any, Any]]:
        """(subject ids, N x size float32) of one template version, for 1:N search; other
        versions' templates are left out (R15)."""
        rows = self.store.execute(
            "SELECT l.subject_id, t.vector FROM templates t JOIN subject_templates l "
            "ON l.template_id = t.id WHERE t.model_fingerprint = ?",
            (models.fingerprint,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, models.size), dtype=np.float32)
        vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
        return [r[0] for r in rows], vectors.astype(np.float32)

    def expired(self, now: datetime, created_before: datetime) -> list[tuple[str, str]]:
        """(subject id, template id) past their own expiry, or older than a retention that has
        since been shortened (R14)."""
        rows = self.store.execute(
            "SELECT l.subject_id, t.id FROM templates t JOIN subject_templates l "
            "ON l.template_id = t.id WHERE t.expires_at <= ? OR t.created_at <= ? "
            "ORDER BY t.expires_at",
            (now.isoformat(), created_before.isoformat()),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def subjects_with_template(self) -> list[str]:
        """Everyone who has face data now (an incident may affect them all, R19)."""
        rows = self.store.execute(
            "SELECT subject_id FROM subject_templates ORDER BY subject_id"
        ).fetchall()
        return [row[0] for row in rows]

    def count_by_model(self) -> dict[str, int]:
        """People with face data per fingerprint of the models that made their template (R15)."""
        rows = self.store.execute(
            "SELECT t.model_fingerprint, count(*) FROM templates t JOIN subject_templates l "
            "ON l.template_id = t.id GROUP BY t.model_fingerprint"
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def count(self) -> int:
        """People with face data stored (R18)."""
        return int(self.store.execute("SELECT count(*) FROM subject_templates").fetchone()[0])

    def destroy(self, subject_id: str) -> int:
        """Delete the subject's template (secure_delete overwrites it, R14); how many were destroyed."""
        template_id = self.id_for(subject_id)
        if template_id is None:
            return 0
        self.store.execute("DELETE FROM subject_templates WHERE subject_id = ?", (subject_id,))
        self.store.execute("DELETE FROM templates WHERE id = ?", (template_id,))
        return 1


def _template(row: tuple[Any, ...]) -> Template:
    return Template(
        id=row[0],
        model_id=row[1],
        model_fingerprint=row[2],
        vector=np.frombuffer(row[3], dtype="<f4").astype(np.float32),
        frames_used=row[4],
        created_at=parse_time(row[5]),
        expires_at=parse_time(row[6]),
    )
