#!/usr/bin/env python3
"""Writes the Python-compatibility fixtures that the Java tests read.

Run from this directory: python3 make_fixtures.py  (needs the `cryptography` package, 44 or later).
The output is committed, so the tests run on machines without Python. Keys, passwords and salts here are
test values, fixed so that anyone can regenerate and compare; tokens differ per run (random IV, current time).
"""
import base64
import hashlib
import json

import cryptography
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

FERNET_KEY = "bVIL0Yfp5Pd0nN2L7x3K1AyL9QqRhXcVd3qR6kW2l8o="
PLAINTEXTS = [
    "sk-live-0123456789abcdef",
    "clé secrète: ключ 鍵 🔑",
    "x",
    "a" * 100,
]
PASSWORD = "correct horse battery staple – Pässwörd"
SALT = b"configstore-fixture-salt"


def fernet_tokens():
    f = Fernet(FERNET_KEY.encode())
    out = []
    for text in PLAINTEXTS:
        token = f.encrypt(text.encode("utf-8"))
        out.append({"plaintext": text, "token": token.decode(), "timestamp": f.extract_timestamp(token)})
    return out


def pbkdf2_token():
    # The way many Python services derive a Fernet key from a password.
    derived = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode("utf-8"), SALT, 100_000, 32)
    key = base64.urlsafe_b64encode(derived)
    token = Fernet(key).encrypt("sk-from-a-password-derived-key".encode())
    return {
        "password": PASSWORD,
        "salt_base64": base64.b64encode(SALT).decode(),
        "iterations": 100_000,
        "derived_key": key.decode(),
        "plaintext": "sk-from-a-password-derived-key",
        "token": token.decode(),
    }


def argon2id_vectors():
    out = []
    for memory, iterations, lanes in [(19 * 1024, 2, 1), (64, 1, 1), (256, 3, 2)]:
        kdf = Argon2id(salt=SALT, length=32, iterations=iterations, lanes=lanes, memory_cost=memory)
        out.append({
            "password": PASSWORD,
            "salt_base64": base64.b64encode(SALT).decode(),
            "memory_kib": memory,
            "iterations": iterations,
            "parallelism": lanes,
            "key_hex": kdf.derive(PASSWORD.encode("utf-8")).hex(),
        })
    return out


if __name__ == "__main__":
    fixtures = {
        "generator": "cryptography " + cryptography.__version__,
        "fernet_key": FERNET_KEY,
        "fernet_tokens": fernet_tokens(),
        "pbkdf2_fernet": pbkdf2_token(),
        "argon2id": argon2id_vectors(),
    }
    with open("python-fixtures.json", "w", encoding="utf-8") as out:
        json.dump(fixtures, out, ensure_ascii=False, indent=2)
        out.write("\n")
