"""openapi-core checks of what crossed the wire, against the final spec.

The spec object is built once per session from the final spec without its examples (they
are most of its 9 MB and take no part in validation), with the local test server as its
only server so that a captured request matches a path of the spec.
"""

from __future__ import annotations

from typing import Any

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.wrappers import Request, Response

from .catalog import without_examples


def local_openapi(spec: dict[str, Any], server_url: str) -> OpenAPI:
    document = without_examples(spec)
    document["servers"] = [{"url": server_url.rstrip("/")}]
    return OpenAPI.from_dict(document)


def request_errors(openapi: OpenAPI, request: Request) -> list[str]:
    return [_describe(error) for error in openapi.iter_request_errors(WerkzeugOpenAPIRequest(request))]


def response_errors(openapi: OpenAPI, request: Request, response: Response) -> list[str]:
    wrapped = WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response)
    return [_describe(error) for error in openapi.iter_response_errors(*wrapped)]


def _describe(error: Exception) -> str:
    """The error and its causes (openapi-core nests the schema errors that say what is wrong)."""
    parts = [f"{type(error).__name__}: {error}"]
    for detail in getattr(error, "schema_errors", None) or []:
        where = "/".join(str(p) for p in getattr(detail, "absolute_path", []))
        parts.append(f"  at {where or '(root)'}: {str(getattr(detail, 'message', detail))[:200]}")
    cause = error.__cause__
    while cause is not None:
        parts.append(f"  caused by {type(cause).__name__}: {str(cause)[:300]}")
        for detail in (getattr(cause, "schema_errors", None) or [])[:10]:
            where = "/".join(str(p) for p in getattr(detail, "absolute_path", []))
            parts.append(f"    at {where or '(root)'}: {str(getattr(detail, 'message', detail))[:200]}")
        cause = cause.__cause__
    return "\n".join(parts)
