"""`face-station eval`: accuracy on a folder of identity folders (R22), as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from station.cli.common import CommandContext, positive


def add_commands(commands: Any) -> None:
    evaluate = commands.add_parser("eval", help="measure accuracy on a folder of identity folders")
    evaluate.add_argument("directory", type=Path)
    evaluate.add_argument("--enroll-images", type=positive, default=3)
    evaluate.add_argument("--max-images", type=positive, default=None)
    evaluate.add_argument(
        "--jobs", type=positive, default=os.cpu_count() or 1, help="worker processes (%(default)s)"
    )
    evaluate.add_argument(
        "--gate",
        choices=["none", "verify", "enroll"],
        default="none",
        help="quality gate applied to each photo (none: face nearest the centre)",
    )
    evaluate.set_defaults(run=_evaluate)


def _evaluate(context: CommandContext) -> int:
    from station.evaluation import evaluate

    args = context.args
    result = evaluate(
        args.directory,
        args.enroll_images,
        args.max_images,
        args.gate,
        context.settings,
        jobs=args.jobs,
    )
    print(json.dumps(result, indent=2))
    return 0
