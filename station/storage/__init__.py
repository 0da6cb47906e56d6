"""SQLCipher store, key handling, schema and repositories."""

from station.storage.keys import KeyFileError, StoreError, WrongKeyError
from station.storage.repository import Repository
from station.storage.store import (
    CorruptStoreError,
    MissingStoreError,
    NewerSchemaError,
    Store,
    StoreExistsError,
)

__all__ = [
    "CorruptStoreError",
    "KeyFileError",
    "MissingStoreError",
    "NewerSchemaError",
    "Repository",
    "Store",
    "StoreError",
    "StoreExistsError",
    "WrongKeyError",
]
