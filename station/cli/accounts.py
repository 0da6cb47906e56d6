"""Operator accounts from the command line (R12). New passwords come from FACE_STATION_NEW_PASSWORD
or a prompt; the signed-in administrator confirms with their own password."""

from __future__ import annotations

from typing import Any

from station.cli.common import CommandContext, new_password, password, say

ROLES = ("operator", "administrator", "auditor")


def add_commands(commands: Any) -> None:
    accounts = commands.add_parser("operator", help="operator accounts and their passwords")
    actions = accounts.add_subparsers(dest="operator_command", required=True)
    actions.add_parser(
        "list", help="every account, its role, and whether it was removed"
    ).set_defaults(run=_list)
    add = actions.add_parser("add", help="a new account (asks for your password too)")
    add.add_argument("--name", required=True)
    add.add_argument("--role", choices=ROLES, default="operator")
    add.set_defaults(run=_add)
    remove = actions.add_parser("remove", help="remove an account and destroy its key slot")
    remove.add_argument("--name", required=True)
    remove.set_defaults(run=_remove)
    reset = actions.add_parser("reset", help="set a new password for another operator")
    reset.add_argument("--name", required=True)
    reset.set_defaults(run=_reset)
    actions.add_parser("passwd", help="change your own password").set_defaults(run=_passwd)
    actions.add_parser(
        "recovery-key", help="replace the recovery key; the old one stops working"
    ).set_defaults(run=_recovery_key)


def _list(context: CommandContext) -> int:
    for account in context.station.accounts.list_operators():
        state = "active" if account.active else f"removed {account.removed_at:%Y-%m-%d}"
        say(f"{account.display_name:<24} {account.role.value:<14} {state}")
    return 0


def _add(context: CommandContext) -> int:
    from station.domain import Role

    args = context.args
    added = context.station.accounts.add_operator(
        args.name, Role(args.role), new_password(), context.operator, password("Your password: ")
    )
    say(f"Added {added.display_name} ({added.role.value}).")
    return 0


def _remove(context: CommandContext) -> int:
    context.station.accounts.remove_operator(context.args.name, context.operator)
    say(f"Removed {context.args.name}; their key slot is destroyed.")
    return 0


def _reset(context: CommandContext) -> int:
    context.station.accounts.reset_password(
        context.args.name, new_password(), context.operator, password("Your password: ")
    )
    say(f"New password set for {context.args.name}.")
    return 0


def _passwd(context: CommandContext) -> int:
    context.station.accounts.change_own_password(
        context.operator, password("Current password: "), new_password()
    )
    print("Password changed.")
    return 0


def _recovery_key(context: CommandContext) -> int:
    key = context.station.accounts.new_recovery_key(context.operator, password("Your password: "))
    print("New recovery key (write it down; it is shown only now):")
    print(f"    {key}")
    return 0
