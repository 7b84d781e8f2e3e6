"""`python -m tmdb_sdk`: the debug CLI (tmdb_sdk.cli), as the `tmdb` console script."""
from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    main()
