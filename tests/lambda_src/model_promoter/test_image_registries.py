"""Images come from allowed registries only, and every image a central package names is pinned
by digest: copied dev images by their preserved digest, others by the digest their tag names at
promotion."""

from __future__ import annotations

import json

import pytest
from model_promoter.ecr_copy import ImageRef, check_image_allowed, registry_host
from model_promoter.errors import ConfigurationError, ImageCopyError, ImageNotAllowedError
from model_promoter.settings import load_settings
from promoter_world import (
    AWS_OWNED_IMAGE,
    AWS_OWNED_MANIFEST,
    AWS_OWNED_PINNED,
    DEV,
    HUB,
    PROMOTER_ENVIRONMENT,
    event_for_version,
    sha256_digest,
)

ALLOWED = (HUB, "141502667606", "registry.example.com:5000")
DIGEST = sha256_digest(b"an image manifest")


def _emf(capsys):
    out = capsys.readouterr().out
    documents = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [d for d in documents if "_aws" in d]


def _approved_with_image(world, image: str, version: int) -> dict:
    """Register (approved by the lead) version `version` whose container runs `image`, with the
    standard artifacts; returns its approval event."""
    artifacts = world.put_version_artifacts(version)
    container = {"Image": image, "ModelDataUrl": artifacts["model"]}
    arn = world.register_source_package([container], artifacts)
    event = event_for_version(version)
    assert event["detail"]["ModelPackageArn"] == arn
    return event


@pytest.mark.parametrize(
    ("uri", "host"),
    [
        ("141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1", None),
        ("registry.example.com:5000/team/app@" + DIGEST, "registry.example.com:5000"),
        ("python:3.13", "docker.io"),
        ("library/python@" + DIGEST, "docker.io"),
        ("public.ecr.aws/docker/library/python:3.13", "public.ecr.aws"),
    ],
)
def test_registry_host(uri, host):
    if host is not None:
        assert registry_host(uri) == host
    else:
        assert registry_host(uri) == uri.split("/", 1)[0]


@pytest.mark.parametrize(
    "uri",
    [
        f"{DEV}.dkr.ecr.eu-west-1.amazonaws.com/app:v1",  # the source account's own registry
        f"{HUB}.dkr.ecr.eu-central-1.amazonaws.com/mlgov-promoted/team-a:x",  # any region
        AWS_OWNED_IMAGE,
        f"registry.example.com:5000/team/app@{DIGEST}",
    ],
)
def test_allowed_images_pass(uri):
    check_image_allowed(uri, ImageRef.parse(uri), source_account=DEV, allowed=ALLOWED)


@pytest.mark.parametrize(
    ("uri", "code", "fragment"),
    [
        (
            "999988887777.dkr.ecr.eu-west-1.amazonaws.com/app:v1",
            "image-registry-not-allowed",
            "registry 999988887777",
        ),
        ("python:3.13", "image-registry-not-allowed", "registry docker.io"),
        (
            f"public.ecr.aws/docker/library/python@{DIGEST}",
            "image-registry-not-allowed",
            "registry public.ecr.aws",
        ),
        (
            "registry.example.com:5000/team/app:v1",
            "image-not-pinned",
            "names no digest",
        ),
    ],
)
def test_disallowed_or_unpinnable_images_are_refused(uri, code, fragment):
    with pytest.raises(ImageNotAllowedError) as refused:
        check_image_allowed(uri, ImageRef.parse(uri), source_account=DEV, allowed=ALLOWED)
    assert refused.value.code == code
    assert fragment in refused.value.reason


def test_image_from_a_disallowed_registry_refuses_the_promotion(
    world, handler, promoter, recorder, capsys
):
    _, _, policies = promoter
    foreign = "999988887777.dkr.ecr.eu-west-1.amazonaws.com/someone-elses-image:latest"
    event = _approved_with_image(world, foreign, 1)
    recorder.reset()
    capsys.readouterr()

    result = handler.invoke(event)

    assert result["status"] == "rejected"
    assert result["code"] == "image-registry-not-allowed"
    assert foreign in result["reason"]
    # refused before anything was copied: no hub object, no image read, no package
    assert world.hub_objects() == {}
    assert not [c for c in recorder.calls if c.service == "ecr"]
    assert world.central_packages() == []
    assert policies.puts == []
    [metric] = _emf(capsys)
    assert (metric["reason"], metric["PromotionsRefused"]) == ("image-registry-not-allowed", [1.0])
    [line] = [x for x in handler.log_lines() if x["message"] == "event rejected"]
    assert line["rejection_code"] == "image-registry-not-allowed"


def test_a_tag_is_pinned_to_the_digest_it_names_at_promotion(world, handler):
    """The tag moves after version 1 was promoted: version 1 keeps the digest that was
    reviewed, version 2 gets the one the tag names when it is promoted."""
    first = handler.invoke(_approved_with_image(world, AWS_OWNED_IMAGE, 1))
    assert first["status"] == "promoted"

    moved = json.loads(AWS_OWNED_MANIFEST)
    moved["layers"][0]["digest"] = "sha256:" + "e" * 64  # a patched image under the same tag
    moved_digest = world.put_aws_owned_image("1.7-1", json.dumps(moved))
    event = _approved_with_image(world, AWS_OWNED_IMAGE, 2)
    second = handler.invoke(event)
    assert second["status"] == "promoted", (second["reason"], second["details"])

    images = {
        p["ModelPackageVersion"]: p["InferenceSpecification"]["Containers"][0]["Image"]
        for p in world.central_packages()
    }
    assert images[1] == AWS_OWNED_PINNED
    assert images[2] == AWS_OWNED_IMAGE.rsplit(":", 1)[0] + "@" + moved_digest
    assert images[1] != images[2]


def test_an_image_already_named_by_digest_is_referenced_without_any_ecr_call(
    world, handler, recorder
):
    pinned = AWS_OWNED_PINNED
    event = _approved_with_image(world, pinned, 1)
    recorder.reset()

    result = handler.invoke(event)

    assert result["status"] == "promoted"
    assert not [c for c in recorder.calls if c.service == "ecr"]
    [package] = world.central_packages()
    assert package["InferenceSpecification"]["Containers"][0]["Image"] == pinned


def test_a_tag_that_cannot_be_resolved_is_retried_not_registered(world, handler):
    missing = AWS_OWNED_IMAGE.rsplit(":", 1)[0] + ":no-such-tag"
    event = _approved_with_image(world, missing, 1)

    with pytest.raises(ImageCopyError, match=r"cannot resolve .*:no-such-tag to a digest"):
        handler.invoke(event)
    assert world.central_packages() == []


def test_allowed_registries_setting():
    settings = load_settings(
        dict(PROMOTER_ENVIRONMENT, ALLOWED_IMAGE_REGISTRIES=" 141502667606, Registry.Example.com")
    )
    # entries are trimmed and lower-cased
    assert settings.allowed_image_registries == ("141502667606", "registry.example.com")
    unset = dict(PROMOTER_ENVIRONMENT)
    del unset["ALLOWED_IMAGE_REGISTRIES"]
    assert load_settings(unset).allowed_image_registries == ()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("141502667606,", "not an account id or registry host: ''"),
        ("14150266760", "not an account id or registry host: '14150266760'"),
        ("https://registry.example.com", "'https://registry.example.com'"),
        ("141502667606;763104351884", "'141502667606;763104351884'"),
    ],
)
def test_bad_allowed_registries_name_the_variable_value_and_expectation(value, fragment):
    with pytest.raises(ConfigurationError) as error:
        load_settings(dict(PROMOTER_ENVIRONMENT, ALLOWED_IMAGE_REGISTRIES=value))
    message = str(error.value)
    assert f"ALLOWED_IMAGE_REGISTRIES={value!r} is invalid" in message
    assert fragment in message
    assert "(expected comma-separated 12-digit AWS account ids or registry host names" in message
