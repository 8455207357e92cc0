"""Registration claim: "was this source package already promoted?" without reading the group.

The question is asked on every promotion, after the idempotency record expired too, and its cost
must not grow with the central group (scanning the group costs one DescribeModelPackage per
version). The answer uses the lineage manifest, which every promotion writes right before it
registers, at a key that only the source package determines:

    promoted/<dev account>/<group>/<version>/_promotion/lineage.json

in the hub artifact bucket. Only the promoter's role can write `promoted/` (the hub bucket
policy denies every other account), and the registry bucket's lifecycle expires only `staging/`
and noncurrent versions, so the manifest is durable and trustworthy. It names the source
package in its user metadata (`promotion-source-model-package-arn`).

Lookup (`find_registration`): one HeadObject of the manifest. None there: never promoted. There:
the package registered after it was written is the one whose lineage names the source ARN among
the packages the group gained between the manifest's LastModified and the end of the invocation
that wrote it (ListModelPackages with CreationTimeAfter/CreationTimeBefore, oldest first, then
DescribeModelPackage until the match: the first package created after the manifest, unless
other versions were registered in the same seconds). The invocation that writes the manifest
registers within its own lifetime (15 minutes at most), so that window holds the package if
there is one, and it holds only what the group gained in those minutes: the cost is the same
for a group of 1 version and of 1,000. Only when that window holds no match (an interrupted
attempt) are the minutes before the manifest also read, for clock differences between S3 and
SageMaker.

Claim: the manifest is written conditionally on what the lookup saw: `If-None-Match: *` when
there was none, `If-Match: <its ETag>` when an earlier attempt wrote one but registered nothing
in its window (it failed between the manifest and CreateModelPackage). The group and the
package are written only after that write succeeded.

Why this is correct:

* Expired idempotency record, replay, redrive: the manifest is durable, so the replay finds the
  package and returns `already-promoted` without touching the dev account.
* A failure after CreateModelPackage (model card, a lost response): the retry finds the package
  in the window of its manifest and only repairs the card.
* Concurrent duplicates: the idempotency record (in progress until the invocation's deadline)
  lets only one invocation run at a time. Should two reach registration anyway from the same
  observed state, their conditional manifest writes on one key admit exactly one (S3 answers
  412 or 409 to the others), and a loser raises `PromotionInProgressError` before writing the
  group or the package; Lambda retries it and its retry finds the package.
* CreateModelPackage's `ClientToken` (derived from the source ARN) stays as SageMaker's own
  guard for a retried create request.

Packages promoted before this lookup existed have their manifest at the same key (only the
artifact keys beside it were longer) and were registered the same way, right after it, so the
lookup finds them too; such a manifest carries no source ARN metadata, which is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from model_promoter import registry
from model_promoter.errors import PromotionError, PromotionInProgressError

LINEAGE_OBJECT = "_promotion/lineage.json"
META_SOURCE_ARN = "promotion-source-model-package-arn"
# Longer than any Lambda invocation (15 minutes): the package registered after a manifest was
# written is created before the manifest is this old.
REGISTRATION_WINDOW = timedelta(minutes=20)
# Clock differences between S3 (LastModified) and SageMaker (CreationTime).
CLOCK_SKEW = timedelta(minutes=5)
# LastModified is in whole seconds.
RESOLUTION = timedelta(seconds=1)
_CONFLICT_CODES = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


@dataclass(frozen=True)
class Manifest:
    """What the HeadObject of a version's lineage manifest said (None: no manifest)."""

    etag: str
    last_modified: datetime


@dataclass(frozen=True)
class Registration:
    """The lookup's answer: the manifest (if any) and the central package (if registered)."""

    manifest: Manifest | None
    central_package_arn: str | None = None
    package: dict[str, Any] | None = None

    def write_condition(self) -> dict[str, str]:
        """PutObject condition of the manifest write that claims the registration."""
        if self.manifest is None:
            return {"IfNoneMatch": "*"}
        return {"IfMatch": self.manifest.etag}


def _error_code(error: ClientError) -> str:
    response = error.response
    return str(response.get("Error", {}).get("Code") or "") or str(
        response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
    )


def read_manifest(s3: Any, bucket: str, key: str, source_arn: str) -> Manifest | None:
    """HeadObject of the manifest; one that names another source package is an error."""
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if _error_code(error) in _MISSING_CODES:
            return None
        raise
    recorded = head.get("Metadata", {}).get(META_SOURCE_ARN)
    if recorded is not None and recorded != source_arn:
        raise PromotionError(f"lineage manifest s3://{bucket}/{key} belongs to {recorded}")
    return Manifest(etag=str(head["ETag"]), last_modified=head["LastModified"])


def find_registration(
    *, s3: Any, sagemaker: Any, bucket: str, key: str, group_name: str, source_arn: str
) -> Registration:
    """The manifest at `key` and the central package registered after it, if any."""
    manifest = read_manifest(s3, bucket, key, source_arn)
    if manifest is None:
        return Registration(None)
    written = manifest.last_modified  # whole seconds
    windows = (
        # Where the package is: created after the manifest, usually the first one listed.
        (written - RESOLUTION, written + REGISTRATION_WINDOW + CLOCK_SKEW),
        # Only looked at when the first window holds no match (an interrupted attempt, or
        # SageMaker's clock behind S3's).
        (written - CLOCK_SKEW, written - RESOLUTION),
    )
    found = None
    for after, before in windows:
        found = registry.find_registered_between(
            sagemaker, group_name, source_arn, after=after, before=before
        )
        if found is not None:
            break
    if found is None:
        return Registration(manifest)
    return Registration(manifest, central_package_arn=found[0], package=found[1])


def write_manifest(s3: Any, *, condition: dict[str, str], source_arn: str, **put: Any) -> None:
    """PutObject of the manifest under `condition` (the claim); a lost race is retryable."""
    try:
        s3.put_object(Metadata={META_SOURCE_ARN: source_arn}, **condition, **put)
    except ClientError as error:
        if _error_code(error) in _CONFLICT_CODES:
            raise PromotionInProgressError(
                f"{source_arn} is being registered by another invocation (its lineage manifest "
                f"{put.get('Key')} changed since it was read); retry later"
            ) from error
        raise
