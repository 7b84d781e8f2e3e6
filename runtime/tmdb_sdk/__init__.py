"""TMDB client: hand-written runtime around the generated `tmdb_generated` package."""
from __future__ import annotations

from tmdb_generated._build_info import GENERATOR, SPEC_SHA256, __version__

__all__ = ["GENERATOR", "SPEC_SHA256", "__version__"]
