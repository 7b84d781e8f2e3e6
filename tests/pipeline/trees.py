"""Fingerprints of folders, to prove a failed step left its outputs byte-for-byte as they were."""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree_hash(root: Path) -> str:
    """sha256 over every file's relative path and bytes (and every empty folder), in sorted order."""
    digest = hashlib.sha256()
    if not root.exists():
        return "absent"
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix().encode()
        if path.is_file():
            digest.update(b"F" + relative + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        elif path.is_dir() and not any(path.iterdir()):
            digest.update(b"D" + relative + b"\0")
    return digest.hexdigest()
