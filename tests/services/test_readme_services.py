"""The README shows each service of issue 15 as an example that tests/runtime/test_readme.py runs."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SERVICES = {"raw-response", "client-defaults", "request-options", "hooks", "logging", "telemetry", "testing-kit"}


def test_every_service_has_a_checked_readme_example() -> None:
    names = set(re.findall(r"^<!-- example: ([\w-]+) -->\n```python\n", README.read_text(encoding="utf-8"), re.MULTILINE))
    assert SERVICES <= names, f"missing: {sorted(SERVICES - names)}"
