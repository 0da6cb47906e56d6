"""`face-station eval`: accuracy on a folder of identity folders (R22), as JSON; `face-station
pad-eval`: presentation-attack detection on a folder of presentation kinds (R23), as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from station.cli.common import CommandContext, UsageError, positive
from station.cli.progress import ProgressPrinter


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
    pad = commands.add_parser(
        "pad-eval",
        help="measure liveness (R23): APCER per attack type and BPCER on a folder of presentations",
        description=(
            "DIR holds one folder per presentation kind: live/ (bona fide: clips, or photos that "
            "become a generated live head) and any other name an attack type (print/, screen/, "
            "replay/ ...), each with video files or folders of frames. Every clip goes through the "
            "capture loop the flows use, with the challenge drawn as in the flows."
        ),
    )
    pad.add_argument("directory", type=Path, metavar="DIR")
    pad.add_argument(
        "--seed",
        type=int,
        default=None,
        help="draw the challenges (and generate the live heads) from this seed, for a repeatable "
        "run; without it the challenges come from the CSPRNG, as in the flows",
    )
    pad.set_defaults(run=_pad_evaluate)


def _evaluate(context: CommandContext) -> int:
    from station.evaluation import describe_dataset, report

    args = context.args
    with ProgressPrinter("eval", counted=True) as progress:
        described = describe_dataset(
            args.directory,
            args.enroll_images,
            args.max_images,
            args.gate,
            context.settings,
            jobs=args.jobs,
            progress=progress,
        )
    print(json.dumps(report(described), indent=2))
    return 0


def _pad_evaluate(context: CommandContext) -> int:
    from station.biometrics.pipeline import BiometricModels
    from station.liveness.pad_eval import PadEvalError, entries, evaluate_directory

    args = context.args
    try:
        entries(args.directory)  # refuse a missing or empty folder before loading the models
    except PadEvalError as error:
        raise UsageError(str(error)) from None

    models = BiometricModels()
    try:
        with ProgressPrinter("pad-eval", counted=True) as progress:
            result = evaluate_directory(
                args.directory, models, context.settings, args.seed, progress
            )
    finally:
        models.close()
    print(json.dumps(result, indent=2))
    return 0
