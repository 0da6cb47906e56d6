"""Setting a station up: `init` (a new encrypted store and its first administrator), `recover` (a
forgotten administrator password, with the recovery key) and `check-models`."""

from __future__ import annotations

from typing import Any

from station.cli.common import RECOVERY_ENV, CommandContext, ask_secret, password


def add_commands(commands: Any) -> None:
    commands.add_parser(
        "init", help="create a new encrypted store; --operator becomes its first administrator"
    ).set_defaults(run=_init)
    commands.add_parser(
        "recover",
        help="set a new password for --operator (an administrator) with the recovery key",
    ).set_defaults(run=_recover)
    commands.add_parser(
        "check-models", help="verify the model files against their pinned hashes"
    ).set_defaults(run=check_models)


def _init(context: CommandContext) -> int:
    from station.services.opening import create_station

    created = create_station(
        context.store_path, context.operator, password("New password: "), context.settings
    )
    created.station.close()
    print(
        f"Created an encrypted store at {context.store_path}; {context.operator} is its administrator."
    )
    print("Recovery key (write it down and keep it safe; it is shown only now):")
    print(f"    {created.recovery_key}")
    return 0


def _recover(context: CommandContext) -> int:
    from station.services.opening import reset_with_recovery_key

    recovery_key = ask_secret("Recovery key: ", RECOVERY_ENV)
    reset_with_recovery_key(
        context.store_path,
        recovery_key,
        context.operator,
        password("New password: "),
        context.settings,
    )
    print(f"New password set for {context.operator}.")
    return 0


def check_models(context: CommandContext) -> int:
    from station.biometrics.assets import verify_assets

    for key, path in verify_assets().items():
        print(f"ok  {key}: {path}")
    return 0
