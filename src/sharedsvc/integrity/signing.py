"""Ed25519 signatures on checkpoints, through the ``cryptography`` package (the ``signing``
extra: ``pip install 'sharedsvc[signing]'``)."""

from __future__ import annotations

from typing import Any

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.values import INVALID

__all__ = [
    "generate_key",
    "load_private_key",
    "load_public_key",
    "private_key_of",
    "public_key_of",
    "verify_signature",
]


def _ed25519() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "signing checkpoints needs the 'cryptography' package: pip install 'sharedsvc[signing]'"
        ) from None
    return ed25519


def generate_key() -> Any:
    """A new Ed25519 private key (``cryptography``'s ``Ed25519PrivateKey``)."""
    return _ed25519().Ed25519PrivateKey.generate()


def private_key_of(key: Any) -> Any:
    """``key`` as an ``Ed25519PrivateKey``: one already, or its 32 raw bytes."""
    ed25519 = _ed25519()
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    if isinstance(key, bytes) and len(key) == 32:
        return ed25519.Ed25519PrivateKey.from_private_bytes(key)
    raise RuleViolation(INVALID, "a signing key must be an Ed25519 private key or 32 raw bytes")


def public_key_of(key: Any) -> Any:
    """``key`` as an ``Ed25519PublicKey``: one already, its 32 raw bytes, or the public half
    of a private key."""
    ed25519 = _ed25519()
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.public_key()
    if isinstance(key, bytes) and len(key) == 32:
        return ed25519.Ed25519PublicKey.from_public_bytes(key)
    raise RuleViolation(INVALID, "a public key must be an Ed25519 public key or 32 raw bytes")


def verify_signature(public_key: Any, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is the holder of ``public_key``'s signature of ``message``."""
    from cryptography.exceptions import InvalidSignature

    try:
        public_key_of(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def load_private_key(data: bytes) -> Any:
    """An Ed25519 private key from PEM (PKCS #8, as ``openssl genpkey -algorithm ed25519``
    writes it) or from its 32 raw bytes."""
    if len(data) == 32:
        return private_key_of(data)
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise RuleViolation(INVALID, f"not an unencrypted PEM private key: {error}") from None
    return private_key_of(key)


def load_public_key(data: bytes) -> Any:
    """An Ed25519 public key from PEM (as ``openssl pkey -pubout`` writes it) or its 32 raw
    bytes."""
    if len(data) == 32:
        return public_key_of(data)
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise RuleViolation(INVALID, f"not a PEM public key: {error}") from None
    return public_key_of(key)
