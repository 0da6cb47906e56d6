"""Administrator commands: the audit trail (R12), settings and the notice (R3), retention (R14),
re-enabling face or PIN after too many failures (R24, R5), and decommission."""

from __future__ import annotations

import json
from typing import Any

from station.cli.common import RECOVERY_ENV, CommandContext, UsageError, ask_secret, say
from station.services.audit_anchors import AnchorCodeError, anchors_from
from station.settings import Settings


def add_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser(
        "verify",
        help="check the store file for damage, then the hash chain: any edited, deleted or "
        "reordered event is named",
    )
    verify.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="HEAD",
        help="a head code noted from the administration screen, or a report, receipt, notice, "
        "export or backup file: prove the trail still holds the head it carries (repeatable)",
    )
    verify.add_argument(
        "--recovery-key",
        action="store_true",
        help=f"also check every keyed link with the recovery key (asked, or ${RECOVERY_ENV})",
    )
    verify.set_defaults(run=_audit_verify)
    audit_commands.add_parser(
        "head", help="the trail's head now, as a code to note on paper"
    ).set_defaults(run=_audit_head)
    show = audit_commands.add_parser("show", help="print the newest events")
    show.add_argument("--limit", type=int, default=50)
    show.set_defaults(run=_audit_show)

    notice = commands.add_parser("notice", help="the face-data notice (R2, R3)")
    notice_commands = notice.add_subparsers(dest="notice_command", required=True)
    show_notice = notice_commands.add_parser("show", help="print the notice in force")
    show_notice.add_argument("--language", default="en", choices=["en", "zh_CN"])
    show_notice.set_defaults(run=_notice_show)
    notice_commands.add_parser(
        "publish", help="publish a new version: every earlier consent must be renewed"
    ).set_defaults(run=_notice_publish)

    setting = commands.add_parser("set", help="change settings kept in the store (audited)")
    setting.add_argument(
        "assignments", nargs="+", metavar="SECTION.KEY=VALUE", help="value in TOML/JSON syntax"
    )
    setting.set_defaults(run=_set)

    commands.add_parser(
        "purge", help="destroy expired face templates now (also done at start-up)"
    ).set_defaults(run=_purge)
    reenable = commands.add_parser(
        "reenable", help="let face or PIN be tried again after too many failures (both by default)"
    )
    reenable.add_argument("--member", required=True)
    factor = reenable.add_mutually_exclusive_group()
    factor.add_argument("--face", action="store_true", help="face verification only")
    factor.add_argument("--pin", action="store_true", help="PIN verification only")
    reenable.set_defaults(run=_reenable)
    decommission = commands.add_parser(
        "decommission", help="destroy every key and the store so nothing can be recovered"
    )
    decommission.add_argument("--confirm", required=True, help="type: DESTROY ALL DATA")
    decommission.set_defaults(run=_decommission)


def _audit_verify(context: CommandContext) -> int:
    args = context.args
    try:
        anchors = [anchor for given in args.against for anchor in anchors_from(given)]
    except AnchorCodeError as exc:
        raise UsageError(str(exc)) from None
    recovery_key = ask_secret("Recovery key: ", RECOVERY_ENV) if args.recovery_key else None
    result = context.station.administration.verify_audit(context.operator, anchors, recovery_key)
    print(result.summary)
    for finding in result.store_damage:
        print(f"  {context.store_path}: {finding}")
    for problem in result.problems:
        say(f"  event {problem.seq}: {problem.kind}: {problem.message}")
    for check in result.anchors:
        say(f"  {check.anchor.code} ({check.source}): {check.verdict}: {check.message}")
    if result.links is not None:
        links = result.links
        print(
            f"  keyed links: {links.checked} verified, {links.other_key} under an earlier "
            f"recovery key, {links.before_links} written before links began"
            + (
                f", new keys sealed after restores at events {list(links.restores)}"
                if links.restores
                else ""
            )
        )
    return 0 if result.ok else 3


def _audit_head(context: CommandContext) -> int:
    head = context.station.administration.audit_head()
    if head is None:
        print("The audit trail is empty.")
        return 0
    print(head.code)
    print(f"full: {head.field}")
    return 0


def _audit_show(context: CommandContext) -> int:
    for event in context.station.administration.audit_trail(context.args.limit):
        detail = json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
        say(
            f"{event.seq:>6}  {event.at:%Y-%m-%d %H:%M:%S}  {event.kind:<24} "
            f"{event.operator:<12} {event.subject_id or '-':<32} {detail}"
        )
    return 0


def _notice_show(context: CommandContext) -> int:
    rendered = context.station.notices.current(context.args.language)
    print(f"Notice version {rendered.version} (sha256 {rendered.sha256})\n")
    say(rendered.text, newlines=True)
    return 0


def _notice_publish(context: CommandContext) -> int:
    published = context.station.notices.publish(context.operator)
    print(f"Published notice version {published.label}; earlier consents must be renewed.")
    return 0


def _reenable(context: CommandContext) -> int:
    from station.domain import AttemptFactor, AuditKind

    args = context.args
    factors = [
        factor
        for factor, chosen in ((AttemptFactor.FACE, args.face), (AttemptFactor.PIN, args.pin))
        if chosen or not (args.face or args.pin)  # neither flag: both
    ]
    for event in context.station.attempts.reenable(args.member, factors, context.operator):
        name = "Face" if event.kind == AuditKind.FACE_REENABLED else "PIN"
        cleared = event.detail["consecutive_failures"]
        print(f"{name} verification re-enabled for {args.member} ({cleared} failures cleared).")
    return 0


def _set(context: CommandContext) -> int:
    changes = _assignments(context.args.assignments)
    change = context.station.configuration.update(changes, context.operator)
    for dotted, (old, new) in change.changes.items():
        print(f"{dotted}: {old!r} -> {new!r}")
    if not change.changes:
        print("Nothing changed.")
    if change.notice_republished:
        print(f"The notice changed: version {change.notice.label} is now in force.")
    return 0


def _purge(context: CommandContext) -> int:
    outcome = context.station.administration.purge_expired(context.operator)
    print(f"Destroyed {outcome.destroyed} expired face template(s).")
    return 0


def _decommission(context: CommandContext) -> int:
    report = context.station.administration.decommission(context.args.confirm, context.operator)
    print(report.message)
    return 0


def _assignments(items: list[str]) -> dict[str, dict[str, Any]]:
    import tomllib

    defaults = Settings()
    changes: dict[str, dict[str, Any]] = {}
    for item in items:
        name, separator, text = item.partition("=")
        section, dot, key = name.partition(".")
        if not separator or not dot:
            raise UsageError(f"Write each change as section.key=value, not {item!r}.")
        try:
            value = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            value = text  # a bare word is a string: minors_policy=guardian
        if isinstance(getattr(getattr(defaults, section, None), key, None), str):
            value = value if isinstance(value, str) else text  # operating_point=1e-3 is a name
        changes.setdefault(section, {})[key] = value
    return changes
