"""Errors that services raise and views turn into messages a person can act on."""

from django.core.exceptions import ValidationError


class StaleEditError(Exception):
    """Someone else saved the object after this person loaded it (HTTP 409)."""

    def __init__(self, *, current_version: int, message: str | None = None) -> None:
        self.current_version = current_version
        super().__init__(
            message
            or "Someone else changed this while you were editing it. "
            "Your changes have not been saved: review the latest version and try again."
        )


__all__ = ["StaleEditError", "ValidationError"]
