"""AWS partitions and their regions, from the partition data botocore ships."""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from platform_composition.hcl_reader import Reader, closest

REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


@functools.cache
def partition_regions() -> dict[str, frozenset[str]]:
    """The regions of each partition, from the partition data botocore ships (the list the AWS
    SDKs resolve endpoints with); a region launched after the pinned botocore needs an update."""
    data = json.loads(
        (resources.files("botocore") / "data" / "partitions.json").read_text(encoding="utf-8")
    )
    return {
        partition["id"]: frozenset(r for r in partition["regions"] if not r.endswith("-global"))
        for partition in data["partitions"]
    }


def check_region(reader: Reader, key: str, region: str, partition: str) -> None:
    """`region` must be a region of `partition`, not only look like one (else an error is
    recorded)."""
    regions = sorted(partition_regions().get(partition, ()))
    if region in regions:
        return
    guess = closest(region, regions, cutoff=0.8)
    hint = f"did you mean {guess!r}? " if guess else ""
    reader.report(
        key,
        f"got {region!r}; {hint}expected a region of partition {partition!r}: {', '.join(regions)}",
    )
