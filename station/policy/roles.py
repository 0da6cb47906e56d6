"""Who may do what (R12). The services ask `allowed(role, permission)` before they act, so a role is
enforced even when a screen or a script forgets to hide a button."""

from __future__ import annotations

import enum

from station.domain import Role


class Permission(enum.Enum):
    DESK = "desk"  # register, consent, enroll, verify, PIN, the subject page, withdrawal
    ADMINISTER = "administer"  # settings, notice, operators, exports, incidents, decommission
    READ_AUDIT = "read_audit"  # the audit trail and its verification
    READ_REPORTS = "read_reports"  # processing record, filing status, incident register


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset({Permission.DESK}),
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.AUDITOR: frozenset({Permission.READ_AUDIT, Permission.READ_REPORTS}),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in _GRANTS[role]
