"""The access keys the server accepts: a JSON file of access key id → secret and account.

    {"AKIAEXAMPLE": {"secret": "wJalr...", "account": "123456789012"}, ...}

The order of the file is kept: `first_key_of(account)` is the account's first key, the one
the engine signs its own S3 calls with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

_ACCOUNT = re.compile(r"\d{12}")
_ACCESS_KEY = re.compile(r"[A-Za-z0-9]{3,128}")


class CredentialsError(ValueError):
    """The credentials file cannot be used; the message names the file, the key and the fault."""


class Credential(NamedTuple):
    secret: str
    account: str


class Credentials:
    def __init__(self, keys: Mapping[str, Credential]):
        self._keys = dict(keys)

    @classmethod
    def load(cls, path: str | Path) -> Credentials:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CredentialsError(f"credentials file {path}: {error.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CredentialsError(f"credentials file {path}: not JSON: {error}") from None
        return cls.parse(data, source=f"credentials file {path}")

    @classmethod
    def parse(cls, data: object, source: str = "credentials") -> Credentials:
        if not isinstance(data, dict):
            raise CredentialsError(
                f"{source}: expected an object of access key id → "
                '{"secret": ..., "account": ...}, got ' + type(data).__name__
            )
        if not data:
            raise CredentialsError(f"{source}: no access keys")
        return cls({key: _credential(key, entry, source) for key, entry in data.items()})

    def lookup(self, access_key: str) -> Credential | None:
        return self._keys.get(access_key)

    def first_key_of(self, account: str) -> str | None:
        return next((key for key, found in self._keys.items() if found.account == account), None)


def _credential(key: str, entry: object, source: str) -> Credential:
    where = f"{source}: access key {key!r}"
    if not _ACCESS_KEY.fullmatch(key):
        raise CredentialsError(f"{where}: an access key id is 3 to 128 letters and digits")
    if not isinstance(entry, dict):
        raise CredentialsError(f'{where}: expected {{"secret": ..., "account": ...}}')
    unknown = sorted(set(entry) - {"secret", "account"})
    if unknown:
        raise CredentialsError(f"{where}: unknown member {', '.join(map(repr, unknown))}")
    secret, account = entry.get("secret"), entry.get("account")
    if not isinstance(secret, str) or not secret:
        raise CredentialsError(f"{where}: 'secret' must be a non-empty string")
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise CredentialsError(f"{where}: 'account' must be a string of 12 digits, got {account!r}")
    return Credential(secret, account)
