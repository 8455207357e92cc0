"""Image handling: AWS-owned images pinned by digest, immutable tags, digest preservation."""

from __future__ import annotations

import json

import pytest
from model_promoter.aws import CopyTuning
from model_promoter.ecr_copy import EcrImageCopier, ImageRef, needs_copy
from model_promoter.errors import ImageTagConflictError
from promoter_world import (
    AWS_OWNED_DIGEST,
    AWS_OWNED_IMAGE,
    AWS_OWNED_PINNED,
    AWS_OWNED_REGISTRY,
    HUB_REPOSITORY,
    SOURCE_GROUP,
    load_event,
    sha256_digest,
)


def test_aws_owned_image_is_pinned_by_digest_without_ecr_writes(world, handler, recorder):
    world.standard_package(1, with_dev_image=False)

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted"
    assert (result["images_copied"], result["images_referenced"]) == (0, 1)
    [package] = world.central_packages()
    assert package["InferenceSpecification"]["Containers"][0]["Image"] == AWS_OWNED_PINNED
    # one manifest read in AWS's registry (with the hub's credentials), nothing written
    ecr_calls = [c for c in recorder.calls if c.service == "ecr"]
    assert [(c.label, c.operation) for c in ecr_calls] == [("hub", "BatchGetImage")]
    assert ecr_calls[0].params["registryId"] == AWS_OWNED_REGISTRY
    # the lineage keeps the tag that was approved next to the digest that is deployed
    metadata = package["CustomerMetadataProperties"]
    assert metadata["promotion:image-0"] == f"{AWS_OWNED_IMAGE} {AWS_OWNED_DIGEST}"


@pytest.mark.parametrize(
    ("uri", "copied"),
    [
        ("111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1", True),
        (f"111122223333.dkr.ecr.eu-west-1.amazonaws.com/app@{sha256_digest(b'x')}", True),
        (AWS_OWNED_IMAGE, False),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlgov-promoted/team-a:x", False),
        ("public.ecr.aws/docker/library/python:3.13", False),
    ],
)
def test_only_source_account_images_are_copied(uri, copied):
    assert needs_copy(ImageRef.parse(uri), "111122223333") is copied


def _copier(world, runtime, tag):
    return EcrImageCopier(
        source_session=world.dev,
        hub_ecr=runtime.ecr,
        hub_repository=HUB_REPOSITORY,
        tag=tag,
        http=world.layer_server.http(),
        tuning=CopyTuning(),
    )


def test_existing_tag_with_same_digest_is_success(world, runtime):
    from promoter_world import install_download_url_hook

    install_download_url_hook(world.dev.events, world.layer_server)
    image = world.put_dev_image("v1")
    ref = ImageRef.parse(image.uri)

    first = _copier(world, runtime, f"{SOURCE_GROUP}-1").copy(ref)
    again = _copier(world, runtime, f"{SOURCE_GROUP}-1").copy(ref)

    assert first.status == "copied" and first.layers_uploaded == 3
    assert again.status == "already-present" and again.layers_uploaded == 0
    assert again.destination_uri.endswith(f"@{image.digest}")


def test_existing_tag_with_other_digest_is_a_clear_error(world, handler, promoter):
    _, _, policies = promoter
    world.standard_package(1)
    # Something else already holds the immutable tag in the hub repository.
    ecr = world.hub.client("ecr")
    layer = b"unrelated layer"
    upload = ecr.initiate_layer_upload(repositoryName=HUB_REPOSITORY)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=HUB_REPOSITORY,
        uploadId=upload,
        partFirstByte=0,
        partLastByte=len(layer) - 1,
        layerPartBlob=layer,
    )
    ecr.complete_layer_upload(
        repositoryName=HUB_REPOSITORY, uploadId=upload, layerDigests=[sha256_digest(layer)]
    )
    ecr.put_image(
        repositoryName=HUB_REPOSITORY,
        imageTag=f"{SOURCE_GROUP}-1",
        imageManifest=json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "x", "size": 1, "digest": sha256_digest(b"c")},
                "layers": [{"mediaType": "y", "size": len(layer), "digest": sha256_digest(layer)}],
            }
        ),
    )

    with pytest.raises(ImageTagConflictError, match=f"{SOURCE_GROUP}-1 already points at"):
        handler.invoke(load_event("sagemaker_model_package_approved.json"))
    assert world.central_packages() == []
    assert policies.puts == []


def test_multi_platform_index_copies_every_platform_manifest(world, runtime):
    from promoter_world import DEV_REPOSITORY, install_download_url_hook

    install_download_url_hook(world.dev.events, world.layer_server)
    platforms = {"amd64": world.put_dev_image("amd64"), "arm64": world.put_dev_image("arm64")}
    dev_ecr = world.dev.client("ecr")
    children = {
        name: dev_ecr.batch_get_image(
            repositoryName=DEV_REPOSITORY, imageIds=[{"imageDigest": image.digest}]
        )["images"][0]["imageManifest"]
        for name, image in platforms.items()
    }
    index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "digest": platforms[name].digest,
                    "size": len(children[name]),
                    "platform": {"architecture": name, "os": "linux"},
                }
                for name in ("amd64", "arm64")
            ],
        }
    )
    index_digest = sha256_digest(index.encode())
    dev_ecr.put_image(
        repositoryName=DEV_REPOSITORY,
        imageManifest=index,
        imageManifestMediaType="application/vnd.oci.image.index.v1+json",
        imageTag="multi",
        imageDigest=index_digest,
    )
    ref = ImageRef.parse(f"111122223333.dkr.ecr.eu-west-1.amazonaws.com/{DEV_REPOSITORY}:multi")

    copied = _copier(world, runtime, f"{SOURCE_GROUP}-7").copy(ref)

    assert copied.status == "copied"
    assert copied.destination_uri.endswith(f"@{index_digest}")
    assert copied.layers_uploaded == 6  # config + two layers, per platform
    hub_ecr = world.hub.client("ecr")
    tagged = hub_ecr.describe_images(
        repositoryName=HUB_REPOSITORY, imageIds=[{"imageTag": f"{SOURCE_GROUP}-7"}]
    )["imageDetails"][0]
    assert tagged["imageDigest"] == index_digest
    for name, image in platforms.items():
        [child] = hub_ecr.batch_get_image(
            repositoryName=HUB_REPOSITORY, imageIds=[{"imageDigest": image.digest}]
        )["images"]
        assert child["imageManifest"] == children[name]
