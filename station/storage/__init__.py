"""SQLCipher store, key handling, schema and repositories: the only place SQL is written."""

from station.domain import StoreError
from station.storage.errors import CorruptStoreError
from station.storage.keys import KeyFileError, WeakPasswordError, WrongKeyError
from station.storage.repositories import Repositories
from station.storage.store import (
    ForeignStoreError,
    MissingStoreError,
    NameMissingError,
    NewerSchemaError,
    Store,
    StoreExistsError,
)

__all__ = [
    "CorruptStoreError",
    "ForeignStoreError",
    "KeyFileError",
    "MissingStoreError",
    "NameMissingError",
    "NewerSchemaError",
    "Repositories",
    "Store",
    "StoreError",
    "StoreExistsError",
    "WeakPasswordError",
    "WrongKeyError",
]
