"""Exception types, split by what Lambda should do with the invocation.

* `EventRejected`: the event can never be processed (wrong shape, not approved, unknown source
  account, approved by someone other than the team's approver role, a copy that does not match
  its source, an image from a registry that is not allowed). The handler turns it into
  a rejection result instead of raising, so Lambda does not retry it; see
  `handler.lambda_handler`.
* `PromotionError` and subclasses: something that a retry, an operator fix or a redrive from the
  dead-letter queue can resolve (missing artifact, throttling that outlasted the retries, a
  broken configuration parameter). They propagate so Lambda retries and finally dead-letters.
"""

from __future__ import annotations


class ConfigurationError(RuntimeError):
    """The function's environment or one of its SSM parameters is missing or malformed."""


class EventRejected(Exception):
    """The event is not something this function will ever promote; it is dropped, not retried.

    `reason` is the human-readable sentence of the rejection log line and result; `code` is a
    short stable identifier used as the `reason` dimension of the `PromotionsRefused` metric
    (a handful of values, so the metric stays cheap to alarm on); `log_fields` are extra keys of
    the rejection log line.
    """

    def __init__(
        self,
        reason: str,
        *,
        code: str,
        details: list[str] | None = None,
        log_fields: dict[str, object] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.details = details or []
        self.log_fields = log_fields or {}


class PromotionError(RuntimeError):
    """Promotion failed in a way that a retry or an operator fix can resolve."""


class ArtifactNotFoundError(PromotionError):
    """An S3 artifact referenced by the source model package does not exist (or is unreadable)."""


class ArtifactVerificationError(EventRejected):
    """A copy this promotion made does not match its source (size, checksum, or not the object
    the copy request wrote). The promotion is refused, not retried: the copies were pinned to
    the source's version and ETag, so a difference means tampering or a fault to investigate."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="artifact-verification-failed", details=[message])


class ImageNotAllowedError(EventRejected):
    """An inference image is hosted in a registry outside the allowed list, or cannot be pinned
    to a digest; the promotion is refused."""

    def __init__(self, message: str, *, code: str = "image-registry-not-allowed") -> None:
        super().__init__(message, code=code, details=[message])


class ImageCopyError(PromotionError):
    """A container image could not be copied into the hub repository."""


class ImageTagConflictError(ImageCopyError):
    """The immutable hub tag already points at a different image digest."""


class PromotionInProgressError(PromotionError):
    """Another invocation holds the registration claim of the same source package (see
    `registration`); raised before anything is registered, so Lambda retries it later."""
