"""The random draw of a challenge (R23): two distinct actions, at least one a head movement.

The draw comes from the operating system's CSPRNG (secrets.SystemRandom) so neither a person nor a
prepared replay can predict it; a seeded `random.Random` is accepted for tests and pad-eval only.
Of the 4 x 3 = 12 ordered pairs of distinct actions, none is two blinks, so every pair already
holds a head movement; a replay showing one fixed challenge is drawn again with probability 1/12.
For a person whose blink cannot be seen (station.liveness.check: eyes too narrow at the start)
the draw is from the 3 x 2 = 6 pairs of head movements: probability 1/6.
"""

from __future__ import annotations

import random
import secrets

from station.domain.liveness import Action

CHALLENGES: tuple[tuple[Action, Action], ...] = tuple(
    (first, second)
    for first in Action
    for second in Action
    if first is not second and (first.moves_head or second.moves_head)
)
HEAD_CHALLENGES: tuple[tuple[Action, Action], ...] = tuple(
    pair for pair in CHALLENGES if all(action.moves_head for action in pair)
)


def draw_challenge(
    rng: random.Random | None = None, *, blink: bool = True
) -> tuple[Action, Action]:
    """Two distinct actions, uniformly from CHALLENGES (HEAD_CHALLENGES when `blink` is False);
    `rng` defaults to the CSPRNG."""
    chooser = rng if rng is not None else secrets.SystemRandom()
    return chooser.choice(CHALLENGES if blink else HEAD_CHALLENGES)
