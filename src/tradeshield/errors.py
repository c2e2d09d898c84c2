"""Domain errors. Each maps to one HTTP status and problem type, and to CLI exit code 2."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class DomainError(Exception):
    status: int = 400
    title: str = "Bad request"
    slug: str = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class Invalid(DomainError):
    status = 422
    title = "Invalid input"
    slug = "invalid"

    @classmethod
    def first_of(cls, exc: ValidationError) -> Invalid:
        """The first error pydantic found, as ``field: message`` with the field named."""
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return cls(f"{where}: {error['msg']}" if where else str(error["msg"]), field=where)


class NotFound(DomainError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    slug = "unauthorized"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class TooLarge(DomainError):
    status = 413
    title = "Content too large"
    slug = "too-large"
