"""Step 5: validate the overlaid document as OpenAPI 3.0 and write the final spec.

usage: python -m scripts.validate --in build/spec/overlaid.json --out build/spec/openapi.json
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator

from scripts.common import PipelineError, read_json, run_main, write_json


def validation_errors(document: dict[str, Any], limit: int = 10) -> list[str]:
    errors = []
    for error in OpenAPIV30SpecValidator(document).iter_errors():
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        errors.append(f"{where}: {error.message[:300]}")
        if len(errors) >= limit:
            break
    return errors


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    document = read_json(args.source)
    errors = validation_errors(document)
    if errors:
        raise PipelineError(f"{args.source}: not a valid OpenAPI 3.0 document:\n  " + "\n  ".join(errors))
    write_json(args.out, document)
    print(f"validate: {args.out} is valid OpenAPI {document.get('openapi')}")


if __name__ == "__main__":
    run_main(main)
