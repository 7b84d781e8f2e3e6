"""Every generated model, for imports: `from tmdb_sdk.models import MovieDetails, MovieSummary`.

The same classes as tmdb_generated.models, each imported on first access.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmdb_generated.models import *
else:
    from tmdb_generated.models import __all__

    def __getattr__(name: str) -> Any:
        from tmdb_generated import models

        value = getattr(models, name)  # AttributeError naming the module for an unknown name
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(__all__)
