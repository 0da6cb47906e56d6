"""Keyed links (issue 14): a forward-secure MAC on every audit event, keyed apart from the
operators' passwords.

The hash chain alone proves nothing against someone who can open the store: they can rewrite an
event and recompute every later hash. So each event also carries `link = HMAC(K_seq, hash)`, where
the store keeps only the key for the *next* event and replaces it with `K_seq+1 = SHA-256(K_seq)`
in the same transaction as each event. Nobody who opens the store can go back from the key it holds
to an earlier one, so nobody can re-link an event already written. Only the recovery key, kept on
paper away from the operators, re-derives every key from an *epoch's* first one and checks them.

An epoch starts where the recovery key is known (the store is set up, the recovery key is replaced)
and its first key is derived from the recovery key itself: no one without it can make one. After a
restore the key in the store is gone (backups never carry it: a backup would otherwise let whoever
holds it re-link everything after it), so a new epoch starts with a random first key sealed to the
recovery key's public half (X25519): the station can seal it without being able to open it. Anyone
can seal such a key, so an insider could fake a restore and re-link after it; the verifier names
every epoch and why it started, so such a rewrite shows as a restore in the trail, never as nothing.

What this cannot stop: an insider who copies the key in force can, later, re-link every event from
that moment on. Those events are protected only by anchors outside the store (a report's, receipt's
or backup's head, a code on paper).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from station.storage.keys import KEY_BYTES, WrongKeyError, parse_recovery_key

FROM_RECOVERY_KEY = "recovery_key"  # the epoch's first key is derived from the recovery key
SEALED_AFTER_RESTORE = "sealed"  # a random first key sealed to the recovery key's public half
_ADVANCE = b"face-station audit link advance"


@dataclass(frozen=True)
class LinkEpoch:
    """Where one run of keyed links starts, how its first key came to be, and which recovery key
    (by its public half) checks it."""

    first_seq: int
    origin: str
    recipient: str  # hex of the recovery key's X25519 public key
    sealed: str | None = None  # hex: ephemeral public key, nonce, sealed first key


def _root(recovery_raw: bytes, purpose: bytes) -> bytes:
    return hmac.new(recovery_raw, b"face-station audit links|" + purpose, hashlib.sha256).digest()


def _private(recovery_raw: bytes) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(_root(recovery_raw, b"recipient"))


def recipient_of(recovery_key: str) -> str:
    """The recovery key's public half: new epochs are sealed to it, and it names the key."""
    public = _private(parse_recovery_key(recovery_key)).public_key()
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def derived_first_key(recovery_key: str, first_seq: int) -> bytes:
    return _root(parse_recovery_key(recovery_key), f"epoch {first_seq}".encode())


def epoch_from_recovery_key(recovery_key: str, first_seq: int) -> tuple[LinkEpoch, bytes]:
    epoch = LinkEpoch(first_seq, FROM_RECOVERY_KEY, recipient_of(recovery_key))
    return epoch, derived_first_key(recovery_key, first_seq)


def sealed_epoch(recipient: str, first_seq: int) -> tuple[LinkEpoch, bytes]:
    """A random first key, sealed (ephemeral X25519 + AES-256-GCM) so only the recovery key opens
    it; the caller keeps the key in the store and forgets it as events advance it."""
    first_key = secrets.token_bytes(KEY_BYTES)
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(bytes.fromhex(recipient)))
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_kek(shared, first_seq)).encrypt(nonce, first_key, recipient.encode())
    public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return LinkEpoch(first_seq, SEALED_AFTER_RESTORE, recipient, (public + nonce + sealed).hex()), (
        first_key
    )


def _kek(shared: bytes, first_seq: int) -> bytes:
    return hashlib.sha256(b"face-station audit epoch kek|%d|" % first_seq + shared).digest()


def first_key_of(epoch: LinkEpoch, recovery_key: str) -> bytes:
    """The epoch's first key, re-made from the recovery key; WrongKeyError when this recovery key
    is not the one the epoch is under."""
    if recipient_of(recovery_key) != epoch.recipient:
        raise WrongKeyError("this epoch is under another recovery key")
    if epoch.origin == FROM_RECOVERY_KEY:
        return derived_first_key(recovery_key, epoch.first_seq)
    blob = bytes.fromhex(epoch.sealed or "")
    public, nonce, sealed = blob[:32], blob[32:44], blob[44:]
    shared = _private(parse_recovery_key(recovery_key)).exchange(
        X25519PublicKey.from_public_bytes(public)
    )
    try:
        return AESGCM(_kek(shared, epoch.first_seq)).decrypt(
            nonce, sealed, epoch.recipient.encode()
        )
    except Exception as exc:  # InvalidTag: not sealed to this key, or altered
        raise WrongKeyError("the epoch's sealed key does not open") from exc


def advance(key: bytes) -> bytes:
    """The next event's key. One-way: the store never holds a key that re-links the past."""
    return hashlib.sha256(_ADVANCE + key).digest()


def link_of(key: bytes, event_hash: str) -> str:
    return hmac.new(key, event_hash.encode("ascii"), hashlib.sha256).hexdigest()


def epochs_text(epochs: list[LinkEpoch]) -> str:
    return json.dumps([asdict(epoch) for epoch in epochs], sort_keys=True)


def parse_epochs(text: str | None) -> list[LinkEpoch]:
    """The epochs as stored; unreadable text reads as none (the verifier then names every linked
    event as unchecked)."""
    if not text:
        return []
    try:
        return [LinkEpoch(**item) for item in json.loads(text)]
    except (TypeError, ValueError):
        return []


# Where the store keeps them (station_meta): the key for the next event, every epoch, and the public
# half of the recovery key in force, to seal a new epoch to after a restore.
LINK_STATE = "audit_link_state"
LINK_EPOCHS = "audit_link_epochs"
LINK_RECIPIENT = "audit_link_recipient"


def link_meta(recovery_key: str, first_seq: int, epochs: list[LinkEpoch]) -> dict[str, str]:
    """The station_meta rows that start an epoch from the recovery key at `first_seq`."""
    epoch, first_key = epoch_from_recovery_key(recovery_key, first_seq)
    return {
        LINK_STATE: f"{first_seq}:{first_key.hex()}",
        LINK_EPOCHS: epochs_text([*epochs, epoch]),
        LINK_RECIPIENT: epoch.recipient,
    }
