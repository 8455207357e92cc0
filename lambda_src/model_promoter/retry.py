"""Backoff for the copy loops, on top of botocore's own retry modes.

botocore retries each API call (adaptive mode for the data-plane clients), but a copy loop that
runs for minutes also meets failures botocore gives up on: a part copy that times out after its
attempts, a presigned layer download that resets half-way. Retrying the unit of work (one part,
one layer) keeps the finished ones and avoids restarting the whole promotion.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from urllib3.exceptions import HTTPError as Urllib3HTTPError

T = TypeVar("T")

RETRYABLE_ERROR_CODES = frozenset(
    {
        "InternalError",
        "InternalFailure",
        "RequestLimitExceeded",
        "RequestTimeout",
        "RequestTimeoutException",
        "ServerException",
        "ServiceUnavailable",
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)


class TransientError(Exception):
    """Raised by our own code for a failure worth retrying (e.g. a truncated download)."""


def is_retryable(error: BaseException) -> bool:
    """Throttling, 5xx and connection-level failures are retried; everything else is final."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return code in RETRYABLE_ERROR_CODES or status >= 500
    return isinstance(
        error,
        TransientError
        | ConnectionClosedError
        | EndpointConnectionError
        | ReadTimeoutError
        | Urllib3HTTPError,
    )


def with_backoff(
    operation: Callable[[], T],
    *,
    attempts: int = 5,
    base_delay: float = 0.25,
    max_delay: float = 8.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `operation`; retry retryable errors with capped exponential backoff, full jitter."""
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except Exception as error:
            if attempt == attempts or not is_retryable(error):
                raise
            sleep(random.uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1))))
    raise AssertionError("unreachable")  # pragma: no cover
