"""Operator accounts from the command line (R12). Follows the add_commands / run protocol of
station.cli.COMMAND_MODULES. New passwords come from FACE_STATION_NEW_PASSWORD or a prompt."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

NEW_PASSWORD_ENV = "FACE_STATION_NEW_PASSWORD"
ROLES = ("operator", "administrator", "auditor")


def add_commands(commands: Any) -> None:
    accounts = commands.add_parser("operator", help="operator accounts and their passwords")
    actions = accounts.add_subparsers(dest="operator_command", required=True)
    actions.add_parser("list", help="every account, its role, and whether it was removed")
    add = actions.add_parser("add", help="a new account (asks for your password too)")
    add.add_argument("--name", required=True)
    add.add_argument("--role", choices=ROLES, default="operator")
    remove = actions.add_parser("remove", help="remove an account and destroy its key slot")
    remove.add_argument("--name", required=True)
    reset = actions.add_parser("reset", help="set a new password for another operator")
    reset.add_argument("--name", required=True)
    actions.add_parser("passwd", help="change your own password")
    actions.add_parser("recovery-key", help="replace the recovery key; the old one stops working")


def run(command: str, args: argparse.Namespace, station: Any) -> int | None:
    if command != "operator":
        return None
    from station.cli import _secret
    from station.domain import Role
    from station.services.accounts import Accounts

    accounts = Accounts(station)
    me = args.operator
    action = args.operator_command
    if action == "list":
        for account in accounts.list_operators():
            state = "active" if account.active else f"removed {account.removed_at:%Y-%m-%d}"
            print(f"{account.display_name:<24} {account.role.value:<14} {state}")
    elif action == "add":
        added = accounts.add_operator(
            args.name, Role(args.role), _new_password(), me, _secret("Your password: ")
        )
        print(f"Added {added.display_name} ({added.role.value}).")
    elif action == "remove":
        accounts.remove_operator(args.name, me)
        print(f"Removed {args.name}; their key slot is destroyed.")
    elif action == "reset":
        accounts.reset_password(args.name, _new_password(), me, _secret("Your password: "))
        print(f"New password set for {args.name}.")
    elif action == "passwd":
        accounts.change_own_password(me, _secret("Current password: "), _new_password())
        print("Password changed.")
    else:
        key = accounts.new_recovery_key(me, _secret("Your password: "))
        print("New recovery key (write it down; it is shown only now):")
        print(f"    {key}")
    return 0


def _new_password() -> str:
    return os.environ.get(NEW_PASSWORD_ENV) or getpass.getpass("New password: ")
