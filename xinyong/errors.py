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
