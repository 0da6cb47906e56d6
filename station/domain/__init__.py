"""Frozen values and enums shared by every layer; no I/O here."""

from station.domain.models import (
    AuditEvent,
    ConsentRecord,
    DeletionOutcome,
    EnrollmentOutcome,
    EnrollStatus,
    Guardian,
    Operator,
    OperatorAccount,
    QualityIssue,
    Role,
    Subject,
    SubjectRecord,
    Template,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)

__all__ = [
    "AuditEvent",
    "ConsentRecord",
    "DeletionOutcome",
    "EnrollStatus",
    "EnrollmentOutcome",
    "Guardian",
    "Operator",
    "OperatorAccount",
    "QualityIssue",
    "Role",
    "Subject",
    "SubjectRecord",
    "Template",
    "VerificationOutcome",
    "VerifyMethod",
    "VerifyStatus",
]
