"""Who may do what (R12). The services ask `allowed(role, permission)` before they act, so a role is
enforced even when a screen or a script forgets to hide a button."""

from __future__ import annotations

from station.domain import Permission, Role

_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset({Permission.DESK}),
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.AUDITOR: frozenset({Permission.READ_AUDIT, Permission.READ_REPORTS}),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in _GRANTS[role]
