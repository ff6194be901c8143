"""Domain errors: a Chinese message for the user and a stable machine code."""


class DomainError(Exception):
    """Base of every error a user may see; the API maps it to 4xx with both fields."""

    status_code = 400

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidCode(DomainError):
    """An identifier (USCC, ID number, org code...) is malformed or fails its checksum."""

    status_code = 422


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class PolicyError(Exception):
    """A policy file is invalid; the message is one line: file, item, field and reason."""


class Busy(DomainError):
    """The work cannot start now because other work holds what it needs: try again later
    (HTTP 503 with a Retry-After header)."""

    status_code = 503

    def __init__(self, message: str, code: str, retry_after_seconds: int) -> None:
        super().__init__(message, code)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}
