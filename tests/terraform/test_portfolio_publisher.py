"""The publishing pipeline's publisher, run against the simulator as the publish build runs it.

A repository checkout holds the templates and seed code; the publisher adds a version to each
product whose content changed, deprecates the earlier ones, writes the Studio templates (with
their visibility tag) and the seed code, and publishes nothing when run again on the same
content. Manifest mistakes are reported at once, naming what is wrong.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import shutil
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from platform_sandbox import simulator
from platform_sandbox.simulator import Simulator

MODULE = Path(__file__).resolve().parents[2] / "modules" / "service-catalog-portfolios"
TEMPLATES = MODULE / "project-templates"
SEED_CODE = MODULE / "seed-code" / "model-build"
HUB, REGION = "111111111111", "eu-west-1"
BUCKET = f"mlgov-portfolio-artifacts-{HUB}-{REGION}"


def _load_publisher() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "publish_portfolio", MODULE / "publisher" / "publish_portfolio.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["publish_portfolio"] = module
    spec.loader.exec_module(module)
    return module


publisher = _load_publisher()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    sim = simulator.start(Path(tmp_path_factory.mktemp("publisher")))
    try:
        yield sim
    finally:
        simulator.stop(sim)


@pytest.fixture
def hub(running: Simulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The hub account with the artifacts bucket, its key and one CloudFormation product."""
    for name, value in running.environment().items():
        monkeypatch.setenv(name, value)
    session = running.session(HUB, REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", session.get_credentials().access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", session.get_credentials().secret_key)
    monkeypatch.setenv("AWS_SESSION_TOKEN", session.get_credentials().token)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    s3 = running.client(session, "s3")
    key_arn = running.client(session, "kms").create_key()["KeyMetadata"]["Arn"]
    if BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    catalog = running.client(session, "servicecatalog")
    # The first version, as Terraform publishes it (Service Catalog reads the template).
    first_key = "products/model-build-s3/0.1.0/first/model-build-s3.yaml"
    s3.put_object(
        Bucket=BUCKET, Key=first_key, Body=(TEMPLATES / "model-build-s3.yaml").read_bytes()
    )
    first = f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{first_key}"
    product = catalog.create_product(
        Name="Model build from S3 data",
        Owner="ML platform team",
        ProductType="CLOUD_FORMATION_TEMPLATE",
        ProvisioningArtifactParameters={
            "Name": "0.1.0",
            "Description": "Platform release 0.1.0.",
            "Info": {"LoadTemplateFromURL": first},
            "Type": "CLOUD_FORMATION_TEMPLATE",
        },
        IdempotencyToken=str(uuid.uuid4()),
    )
    product_id = product["ProductViewDetail"]["ProductViewSummary"]["ProductId"]
    return {"session": session, "s3": s3, "catalog": catalog, "key": key_arn, "product": product_id}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "templates").mkdir(parents=True)
    shutil.copy(TEMPLATES / "model-build-s3.yaml", root / "templates" / "model-build-s3.yaml")
    shutil.copytree(SEED_CODE, root / "seed", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _manifest(hub: dict[str, Any]) -> Any:
    return publisher.load_manifest(
        json.dumps(
            {
                "bucket": BUCKET,
                "kms_key_arn": hub["key"],
                "templates_prefix": "templates/",
                "products": {
                    "model-build-s3": {
                        "product_id": hub["product"],
                        "type": "CLOUD_FORMATION_TEMPLATE",
                        "source": "templates/model-build-s3.yaml",
                        "studio_template": True,
                    }
                },
                "seed_code": {"model-build": "seed"},
            }
        )
    )


def _artifacts(hub: dict[str, Any]) -> list[dict[str, Any]]:
    return hub["catalog"].list_provisioning_artifacts(ProductId=hub["product"])[
        "ProvisioningArtifactDetails"
    ]


def test_publishes_a_new_version_and_deprecates_the_earlier(
    hub: dict[str, Any], repository: Path
) -> None:
    results = publisher.Publisher(_manifest(hub), "2026.12.02-abc123").publish(repository)
    assert results == {
        "model-build-s3": "published 2026.12.02-abc123",
        "seed-code/model-build": "published",
    }
    by_name = {a["Name"]: a for a in _artifacts(hub)}
    assert set(by_name) == {"0.1.0", "2026.12.02-abc123"}
    assert by_name["0.1.0"]["Guidance"] == "DEPRECATED"
    assert by_name["2026.12.02-abc123"].get("Guidance", "DEFAULT") == "DEFAULT"
    assert "sha256:" in by_name["2026.12.02-abc123"]["Description"]

    s3 = hub["s3"]
    template = s3.get_object(Bucket=BUCKET, Key="templates/model-build-s3.yaml")
    assert template["Body"].read() == (TEMPLATES / "model-build-s3.yaml").read_bytes()
    assert template["ServerSideEncryption"] == "aws:kms"
    tags = s3.get_object_tagging(Bucket=BUCKET, Key="templates/model-build-s3.yaml")["TagSet"]
    assert {"Key": "sagemaker:studio-visibility", "Value": "true"} in tags
    seed = s3.get_object(Bucket=BUCKET, Key="seed-code/model-build.zip")["Body"].read()
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        assert "pipelines/run_pipeline.py" in archive.namelist()


def test_same_content_publishes_nothing_and_changed_content_a_new_version(
    hub: dict[str, Any], repository: Path
) -> None:
    manifest = _manifest(hub)
    publisher.Publisher(manifest, "v1").publish(repository)
    again = publisher.Publisher(manifest, "v2").publish(repository)
    assert again["model-build-s3"] == "unchanged"
    assert {a["Name"] for a in _artifacts(hub)} == {"0.1.0", "v1"}

    template = repository / "templates" / "model-build-s3.yaml"
    template.write_text(template.read_text() + "\n# changed\n")
    assert publisher.Publisher(manifest, "v3").publish(repository)["model-build-s3"] == (
        "published v3"
    )
    guidance = {a["Name"]: a.get("Guidance", "DEFAULT") for a in _artifacts(hub)}
    assert guidance == {"0.1.0": "DEPRECATED", "v1": "DEPRECATED", "v3": "DEFAULT"}


def test_a_version_name_is_never_reused_for_other_content(
    hub: dict[str, Any], repository: Path
) -> None:
    manifest = _manifest(hub)
    publisher.Publisher(manifest, "v1").publish(repository)
    template = repository / "templates" / "model-build-s3.yaml"
    template.write_text(template.read_text() + "\n# changed\n")
    with pytest.raises(publisher.ManifestError, match="version 'v1' exists with other content"):
        publisher.Publisher(manifest, "v1").publish(repository)


def test_manifest_mistakes_are_reported_together() -> None:
    bad = {
        "bucket": "b",
        "products": {
            "a": {"product_id": "prod-1", "type": "TERRAFORM_OPEN_SOURCE", "source": "x"},
            "b": {"type": "EXTERNAL"},
        },
    }
    with pytest.raises(publisher.ManifestError) as caught:
        publisher.load_manifest(json.dumps(bad))
    message = str(caught.value)
    for fragment in (
        "missing 'kms_key_arn'",
        "missing 'templates_prefix'",
        "products.a.type: got 'TERRAFORM_OPEN_SOURCE'",
        "products.b: missing product_id, source",
    ):
        assert fragment in message, message


def test_a_missing_source_names_the_product(tmp_path: Path) -> None:
    product = publisher.Product(
        "model-build-s3", "prod-1", "CLOUD_FORMATION_TEMPLATE", "t.yaml", True
    )
    with pytest.raises(publisher.ManifestError, match=r"products.model-build-s3.source: t.yaml"):
        publisher.artifact_of(product, tmp_path)
    terraform = publisher.Product("ws", "prod-2", "EXTERNAL", "ws", False)
    (tmp_path / "ws").mkdir()
    with pytest.raises(publisher.ManifestError, match=r"not a directory of \.tf files"):
        publisher.artifact_of(terraform, tmp_path)
    (tmp_path / "ws" / "main.tf").write_text("")
    name, body = publisher.artifact_of(terraform, tmp_path)
    assert name == "ws.tar.gz" and body == publisher.artifact_of(terraform, tmp_path)[1]


def test_a_version_terraform_published_is_recognized(hub: dict[str, Any], repository: Path) -> None:
    """Terraform writes the artifact's digest into the first version's description."""
    digest = hashlib.sha256((TEMPLATES / "model-build-s3.yaml").read_bytes()).hexdigest()
    first = _artifacts(hub)[0]
    hub["catalog"].update_provisioning_artifact(
        ProductId=hub["product"],
        ProvisioningArtifactId=first["Id"],
        Description=f"Platform release 0.1.0. (sha256:{digest})",
    )
    results = publisher.Publisher(_manifest(hub), "v1").publish(repository)
    assert results["model-build-s3"] == "unchanged"
    assert [a["Name"] for a in _artifacts(hub)] == ["0.1.0"]
