"""Exception types, split by what Lambda should do with the invocation.

* `EventRejected`: the event can never be processed (wrong shape, not approved, unknown source
  account). The handler turns it into a rejection result instead of raising, so Lambda does not
  retry it; see `handler.lambda_handler`.
* `PromotionError` and subclasses: something that a retry, an operator fix or a redrive from the
  dead-letter queue can resolve (missing artifact, throttling that outlasted the retries, a
  broken configuration parameter). They propagate so Lambda retries and finally dead-letters.
"""

from __future__ import annotations


class ConfigurationError(RuntimeError):
    """The function's environment or one of its SSM parameters is missing or malformed."""


class EventRejected(Exception):
    """The event is not something this function will ever promote; it is dropped, not retried."""

    def __init__(self, reason: str, *, details: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details or []


class PromotionError(RuntimeError):
    """Promotion failed in a way that a retry or an operator fix can resolve."""


class ArtifactNotFoundError(PromotionError):
    """An S3 artifact referenced by the source model package does not exist (or is unreadable)."""


class ArtifactVerificationError(PromotionError):
    """A copied artifact does not match its source (size, checksum or digest differs)."""


class ImageCopyError(PromotionError):
    """A container image could not be copied into the hub repository."""


class ImageTagConflictError(ImageCopyError):
    """The immutable hub tag already points at a different image digest."""
