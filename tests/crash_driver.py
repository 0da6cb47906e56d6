"""The child process of the crash-safety test (tests/station/test_crash_safety.py).

    python -m tests.crash_driver STORE_PATH OPERATION SEED      (from the repository root)

Signs in to an existing store as ADMIN, loads the real models in-process, prints ``ready`` and then
repeats one kind of operation until it is killed. One line goes to stdout, flushed, right after
each call that COMMITTED something returns, so everything printed is a promise the store must keep
after a SIGKILL at any moment:

    registered M-<seed>-<n> <subject id>     consented M-<seed>-<n>
    enrolled M-<seed>-<n> <template id>      withdrew M-<seed>-<n>
    erased M-<seed>-<n> <subject id>
    verified <member> <audit seq> <accepted|rejected> <digest of the event's detail>
    purged <count> <subject id>...
    password admin <index into ADMIN_PASSWORDS>
    added-operator <name>                    removed-operator <name>
    backed-up <file> <audit seq>             restored <file> <audit seq>

Operations: enroll (register + consent + enroll from three photos of one identity), verify (1:1
against one enrolled member, accepted and rejected photos in turn), liveness (the same with the
liveness check on: a synthetic live head of the member, then of someone else, answers each
challenge), purge (templates inserted, the injected clock moved past retention,
Administration.purge_expired — which also VACUUMs), withdraw (withdraw_face_consent on enrolled
members; every other one is erased at the end of service instead, Erasure.erase, issue 15), keys
(change_own_password between two known passwords, add_operator and remove_operator of throwaway
operators) and backup (register, back up to the next numbered file beside the store,
register, add an operator, restore the newest backup over the store as `face-station restore
--replace` does). A backup's and a restore's audit seq is that of its own event (store_backed_up,
store_restored). Only the operations that touch a face load the models.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from station.biometrics import pipeline
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource, ImageFolderSource
from station.domain import (
    AuditEvent,
    AuditKind,
    EnrollStatus,
    Role,
    Subject,
    Template,
    VerifyStatus,
)
from station.services import Station
from station.services.backup import restore_backup
from station.services.opening import open_station
from station.settings import PolicySettings, Settings
from station.storage import Store, WrongKeyError
from station.storage.ids import new_id
from station.storage.keys import key_file_path, read_key_file, wipe
from tests.basics import (
    ADMIN,
    ADULT_BIRTH,
    FACES_DIR,
    FAST_KDF,
    LIVENESS_ON,
    STORE_SECRET,
    FrozenClock,
    fast_settings,
)
from tests.live_person import LivePerson, portrait, seeded_challenges

OPERATIONS = ("enroll", "verify", "liveness", "purge", "withdraw", "keys", "backup")
FACE_OPERATIONS = frozenset(OPERATIONS) - {"keys", "backup"}  # the ones that load the models
ADMIN_PASSWORDS = (STORE_SECRET, "staple battery horse correct")
OPERATOR_PASSWORD = "a throwaway operator's password"
THROWAWAY_PREFIX = "op-"
KEEP_THROWAWAYS = 2  # the oldest is removed only above this many, so some stay to sign in with
DESK = "desk-crash"
VERIFY_MEMBER = "M-V"
LIVENESS_MEMBER = "M-L"
PHOTOS = FACES_DIR / "photos"
# Three photos of one identity each, all of which pass the enrollment gate.
ENROLL_SETS: tuple[tuple[str, ...], ...] = (
    (
        "Angelina_Jolie/deepface_img1.jpg",
        "Angelina_Jolie/deepface_img10.jpg",
        "Angelina_Jolie/deepface_img2.jpg",
    ),
    (
        "Matt_Damon/deepface_img30.jpg",
        "Matt_Damon/deepface_img32.jpg",
        "Matt_Damon/deepface_img33.jpg",
    ),
    (
        "Jennifer_Aniston/deepface_img3.jpg",
        "Jennifer_Aniston/deepface_img53.jpg",
        "Jennifer_Aniston/deepface_img54.jpg",
    ),
    (
        "deepface_img13/deepface_img13.jpg",
        "deepface_img13/deepface_img14.jpg",
        "deepface_img13/deepface_img15.jpg",
    ),
)
VERIFY_ENROLL = ENROLL_SETS[0]  # M-V is Angelina Jolie
ACCEPTED_PHOTOS = ("Angelina_Jolie/deepface_img4.jpg", "Angelina_Jolie/deepface_img6.jpg")
REJECTED_PHOTOS = ("Matt_Damon/deepface_img30.jpg", "Jennifer_Aniston/deepface_img3.jpg")
LIVE_MEMBER_PHOTO = "Angelina_Jolie/deepface_img6.jpg"  # M-L is Angelina Jolie, live
LIVE_OTHER_PHOTO = "Matt_Damon/deepface_img30.jpg"  # someone else, just as live
PURGE_BATCH = 3
BACKUP_PREFIX, BACKUP_SUFFIX = "backup-", ".fsb"


def driver_settings() -> Settings:
    """One day of retention, so a purge needs the clock moved by a day only (the audit trail then
    stays far younger than the records' retention and is never pruned), and a VACUUM after every
    purge of two templates or more, so kills land in VACUUMs too."""
    return fast_settings(
        store=replace(FAST_KDF, retention_days=1), policy=PolicySettings(vacuum_after_purged=2)
    )


def emit(*parts: object) -> None:
    """One committed effect: printed and flushed right after the call that committed it."""
    print(" ".join(str(part) for part in parts), flush=True)


def detail_digest(detail: dict[str, object]) -> str:
    """A short digest of an audit event's detail, so the checker sees it unchanged."""
    return hashlib.sha256(json.dumps(detail, sort_keys=True).encode()).hexdigest()[:16]


def backup_files(folder: Path) -> list[Path]:
    """The numbered backups the backup operation made in `folder`, oldest first."""
    return sorted(folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}"))


def next_backup(folder: Path) -> Path:
    made = backup_files(folder)
    number = int(made[-1].name[len(BACKUP_PREFIX) : -len(BACKUP_SUFFIX)]) + 1 if made else 1
    return folder / f"{BACKUP_PREFIX}{number:05d}{BACKUP_SUFFIX}"


def latest_seq(station: Station, kind: AuditKind) -> int:
    row = station.store.execute(
        "SELECT max(seq) FROM audit_events WHERE kind = ?", (kind.value,)
    ).fetchone()
    return int(row[0])


def camera(photos: tuple[str, ...]) -> Callable[[], FrameSource]:
    return lambda: ImageFolderSource.from_files([PHOTOS / p for p in photos], fps=1)


def admin_password(path: Path) -> str:
    """Which of the two known passwords opens ADMIN's key slot now (the keys operation swaps them)."""
    key_file = read_key_file(key_file_path(path))
    for password in ADMIN_PASSWORDS:
        try:
            wipe(key_file.unlock(ADMIN, password))
        except WrongKeyError:
            continue
        return password
    raise SystemExit(f"neither known password opens {ADMIN}'s key slot of {path}")


def latest_event_time(store: Store) -> datetime | None:
    row = store.execute("SELECT at FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def start_clock(path: Path, password: str) -> FrozenClock:
    """A frozen clock that starts no earlier than the newest audit event, so the trail stays in
    time order even after a purge run moved an earlier clock forward."""
    store = Store.open(path, ADMIN, password)
    try:
        latest = latest_event_time(store)
    finally:
        store.close()
    clock = FrozenClock()
    if latest is not None and latest > clock.current:
        clock.current = latest
    return clock


def register(station: Station, member: str, consent: bool = True) -> Subject:
    subject = station.subjects.register(member, f"Member {member}", ADULT_BIRTH, DESK)
    emit("registered", member, subject.id)
    if consent:
        station.consents.record(member, True, station.notices.current("en"), DESK)
        emit("consented", member)
    return subject


def enroll(station: Station, member: str, photos: tuple[str, ...]) -> str:
    outcome = station.enrollment.enroll(member, camera(photos), DESK)
    if outcome.status is not EnrollStatus.ENROLLED or outcome.template_id is None:
        raise SystemExit(f"enrollment of {member} failed: {outcome.message}")
    emit("enrolled", member, outcome.template_id)
    return outcome.template_id


def insert_template(station: Station, subject: Subject, template: Template) -> None:
    """A fresh copy of a real template (this run's real enrollment), stored the way
    Station.enrollment.enroll stores one: the template, its link and its audit event in one transaction."""
    now = station.clock.now()
    fresh = Template(
        id=new_id(),
        model_id=template.model_id,
        model_fingerprint=template.model_fingerprint,
        vector=template.vector.copy(),
        frames_used=template.frames_used,
        created_at=now,
        expires_at=now + timedelta(days=station.settings.store.retention_days),
    )
    with station.store.transaction():
        replaced = station.repos.templates.replace(subject.id, fresh)
        station.templates_changed()
        station.repos.audit.append(
            AuditKind.FACE_ENROLLED,
            DESK,
            now,
            subject.id,
            {
                "frames_used": fresh.frames_used,
                "frames_read": 0,
                "replaced_template": replaced is not None,
                "model_id": fresh.model_id,
                "expires_at": fresh.expires_at.isoformat(),
                "source": "crash driver copy of a real template",
            },
        )
    emit("enrolled", subject.member_number, fresh.id)


def real_template(station: Station, seed: int) -> Template:
    """Enroll one new member for real (before `ready`) and return the template it made."""
    member = f"M-{seed}-REAL"
    subject = register(station, member)
    enroll(station, member, ENROLL_SETS[seed % len(ENROLL_SETS)])
    template = station.repos.templates.for_subject(subject.id)
    if template is None:
        raise SystemExit(f"{member} has no template right after enrolling")
    return template


# the operations: each prepares (before `ready`) and returns one round, repeated until killed
Round = Callable[[], None]


def prepare_enroll(station: Station, seed: int, rng: random.Random) -> Round:
    numbers = itertools.count()

    def one() -> None:
        member = f"M-{seed}-{next(numbers)}"
        register(station, member)
        enroll(station, member, rng.choice(ENROLL_SETS))

    return one


def emit_verified(member: str, status: VerifyStatus, event: AuditEvent | None) -> None:
    if event is None:
        raise SystemExit(f"the verification of {member} ({status}) was not audited")
    emit("verified", member, event.seq, status.value, detail_digest(event.detail))


def prepare_verify(station: Station, rng: random.Random) -> Round:
    subject = station.subjects.find(VERIFY_MEMBER) or register(station, VERIFY_MEMBER)
    if station.repos.templates.for_subject(subject.id) is None:
        enroll(station, VERIFY_MEMBER, VERIFY_ENROLL)
    turns = itertools.count()

    def one() -> None:
        accept = next(turns) % 2 == 0
        photo = rng.choice(ACCEPTED_PHOTOS if accept else REJECTED_PHOTOS)
        outcome = station.verification.face(VERIFY_MEMBER, camera((photo,)), DESK)
        expected = VerifyStatus.ACCEPTED if accept else VerifyStatus.REJECTED
        if outcome.status is not expected:
            raise SystemExit(f"verify of {photo} gave {outcome.status}: {outcome.message}")
        emit_verified(VERIFY_MEMBER, outcome.status, outcome.audit_event)

    return one


def prepare_liveness(station: Station, models: BiometricModels, seed: int) -> Round:
    """Verification with the check on (R23): each visit is a new live head that reads the
    challenge off the station's progress reports; the challenges are drawn from the round's seed."""
    # What tests.live_person.draw_seeded does, for this whole process.
    pipeline.draw_challenge = seeded_challenges(seed)  # type: ignore[attr-defined]
    member = LivePerson(portrait(models, PHOTOS / LIVE_MEMBER_PHOTO), seed * 100)
    other = LivePerson(portrait(models, PHOTOS / LIVE_OTHER_PHOTO), seed * 100)
    subject = station.subjects.find(LIVENESS_MEMBER) or register(station, LIVENESS_MEMBER)
    if station.repos.templates.for_subject(subject.id) is None:
        enroll_live(station, member)
    turns = itertools.count()

    def one() -> None:
        accept = next(turns) % 2 == 0
        open_camera, task = (member if accept else other).visit()
        outcome = station.verification.face(LIVENESS_MEMBER, open_camera, DESK, task)
        expected = VerifyStatus.ACCEPTED if accept else VerifyStatus.REJECTED
        if outcome.status is not expected:
            raise SystemExit(f"a live verification gave {outcome.status}: {outcome.message}")
        emit_verified(LIVENESS_MEMBER, outcome.status, outcome.audit_event)

    return one


def enroll_live(station: Station, person: LivePerson) -> None:
    open_camera, task = person.visit()
    outcome = station.enrollment.enroll(LIVENESS_MEMBER, open_camera, DESK, task)
    if outcome.status is not EnrollStatus.ENROLLED or outcome.template_id is None:
        raise SystemExit(f"the live enrollment of {LIVENESS_MEMBER} failed: {outcome.message}")
    emit("enrolled", LIVENESS_MEMBER, outcome.template_id)


def prepare_purge(station: Station, seed: int, clock: FrozenClock) -> Round:
    template = real_template(station, seed)
    administration = station.administration
    retention = timedelta(days=station.settings.store.retention_days)
    batches = itertools.count()

    def one() -> None:
        batch = next(batches)
        for k in range(PURGE_BATCH):
            subject = register(station, f"M-{seed}-{batch}-{k}", consent=False)
            insert_template(station, subject, template)
        clock.advance(retention + timedelta(minutes=1))
        outcome = administration.purge_expired()
        emit("purged", outcome.destroyed, *(event.subject_id for event in outcome.events))

    return one


def prepare_withdraw(station: Station, seed: int) -> Round:
    template = real_template(station, seed)
    # Members an earlier run enrolled but did not get to withdraw come first, then new ones.
    pending = [
        str(row[0])
        for row in station.store.execute(
            "SELECT s.member_number FROM subjects s JOIN subject_templates l "
            "ON l.subject_id = s.id ORDER BY s.created_at, s.member_number"
        ).fetchall()
    ]
    numbers, turns = itertools.count(), itertools.count()

    def one() -> None:
        if not pending:
            member = f"M-{seed}-{next(numbers)}"
            insert_template(station, register(station, member), template)
            pending.append(member)
        member = pending.pop(0)
        if next(turns) % 2:
            receipt = station.erasure.erase(member, DESK)
            if receipt.templates != 1:
                raise SystemExit(f"erasure of {member} destroyed {receipt.templates}")
            emit("erased", member, receipt.reference)
            return
        outcome = station.subjects.withdraw_face_consent(member, DESK)
        if outcome.templates_destroyed != 1:
            raise SystemExit(f"withdrawal of {member} destroyed {outcome.templates_destroyed}")
        emit("withdrew", member)

    return one


def prepare_keys(station: Station, seed: int, password: str) -> Round:
    accounts = station.accounts
    current = ADMIN_PASSWORDS.index(password)
    steps = itertools.count()

    def one() -> None:
        nonlocal current
        n = next(steps)
        if n % 3 == 0:
            accounts.change_own_password(
                ADMIN, ADMIN_PASSWORDS[current], ADMIN_PASSWORDS[1 - current]
            )
            current = 1 - current
            emit("password", ADMIN, current)
        elif n % 3 == 1:
            name = f"{THROWAWAY_PREFIX}{seed}-{n}"
            accounts.add_operator(
                name, Role.OPERATOR, OPERATOR_PASSWORD, ADMIN, ADMIN_PASSWORDS[current]
            )
            emit("added-operator", name)
        else:
            throwaways = sorted(
                (
                    account
                    for account in station.repos.operators.accounts()
                    if account.active and account.name.startswith(THROWAWAY_PREFIX)
                ),
                key=lambda account: (account.created_at, account.name),
            )
            if len(throwaways) > KEEP_THROWAWAYS:
                accounts.remove_operator(throwaways[0].name, ADMIN)
                emit("removed-operator", throwaways[0].name)

    return one


def prepare_backup(station: Station, path: Path, seed: int, password: str) -> Round:
    """Register, back up, register, add an operator (so the key file changes too), restore the
    newest backup: the restore takes back the last two, and puts the backup's key file in place.
    The station is closed for the restore, which opens no store, and signed in to again."""
    steps, numbers = itertools.count(), itertools.count()

    def one() -> None:
        nonlocal station
        step, n = next(steps) % 5, next(numbers)
        if step in (0, 2):
            register(station, f"M-{seed}-{n}", consent=step == 0)
        elif step == 1:
            out = next_backup(path.parent)
            station.backups.back_up(out, ADMIN, password)
            emit("backed-up", out.name, latest_seq(station, AuditKind.STORE_BACKED_UP))
        elif step == 3:
            name = f"{THROWAWAY_PREFIX}{seed}-{n}"
            station.accounts.add_operator(name, Role.OPERATOR, OPERATOR_PASSWORD, ADMIN, password)
            emit("added-operator", name)
        else:
            newest = backup_files(path.parent)[-1]
            clock = station.clock
            station.close()
            restore_backup(newest, path, replace=True, name=ADMIN, password=password, clock=clock)
            station = open_station(path, ADMIN, password, driver_settings(), clock, no_models)
            emit("restored", newest.name, latest_seq(station, AuditKind.STORE_RESTORED))

    return one


def no_models() -> BiometricModels:
    raise SystemExit("an operation that touches no face asked for the models")


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[1] not in OPERATIONS:
        raise SystemExit(
            f"usage: python -m tests.crash_driver STORE_PATH {{{'|'.join(OPERATIONS)}}} SEED"
        )
    path, operation, seed = Path(argv[0]), argv[1], int(argv[2])
    rng = random.Random(seed)
    password = admin_password(path)
    clock = start_clock(path, password)
    settings = driver_settings()
    if operation == "liveness":
        settings = replace(settings, liveness=LIVENESS_ON)
    models = no_models
    if operation in FACE_OPERATIONS:
        loaded = BiometricModels()  # in-process, once: kills land in the operations, not here
        loaded.new_detector().close()  # the first network load, also before `ready`

        def models() -> BiometricModels:
            return loaded

    station = open_station(path, ADMIN, password, settings, clock, models)
    preparations: dict[str, Callable[[], Round]] = {
        "enroll": lambda: prepare_enroll(station, seed, rng),
        "verify": lambda: prepare_verify(station, rng),
        "liveness": lambda: prepare_liveness(station, station.models, seed),
        "purge": lambda: prepare_purge(station, seed, clock),
        "withdraw": lambda: prepare_withdraw(station, seed),
        "keys": lambda: prepare_keys(station, seed, password),
        "backup": lambda: prepare_backup(station, path, seed, password),
    }
    one_round = preparations[operation]()
    emit("ready")
    while True:
        one_round()


if __name__ == "__main__":
    main(sys.argv[1:])
