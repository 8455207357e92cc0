"""Promotion of an approved package with S3 and ECR artifacts, end to end through the handler."""

from __future__ import annotations

import json

from promoter_world import (
    AWS_OWNED_IMAGE,
    AWS_OWNED_PINNED,
    AWS_OWNED_REGISTRY,
    CENTRAL_GROUP,
    DEV,
    DEV_BUCKET,
    HUB,
    HUB_REPOSITORY,
    LEAD_APPROVER,
    PROD,
    REGION,
    SOURCE_GROUP,
    TEST,
    load_event,
)

# promoted/<account>/<group>/<version>/<artifact name>: the artifacts' shared source folder
# (s3://<dev bucket>/<group>/<version>/) is not repeated in the hub key.
PROMOTED_PREFIX = f"promoted/{DEV}/{SOURCE_GROUP}/1"
STAGED_PREFIX = f"staging/{DEV}/{SOURCE_GROUP}/1"


def test_approved_package_is_promoted_with_hub_copies(world, handler, promoter, recorder):
    _, sources, policies = promoter
    source = world.standard_package(1, layer_sizes=(11 * 1024 * 1024, 300_000))
    dev_image = world.images["v1"]

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted", result
    assert result["source_model_package_arn"] == source["arn"]
    assert result["central_model_package_group"] == CENTRAL_GROUP
    # model.tar.gz, evaluation.json, constraints.json, three objects under the prefix
    assert result["artifacts_copied"] == 6
    assert result["images_copied"] == 1 and result["images_referenced"] == 1
    assert result["layers_uploaded"] == 3  # config blob + two layers

    # assumed the dev account's promotion-source role, session name carrying the version
    assert sources.role_arns == [f"arn:aws:iam::{DEV}:role/mlgov-promotion-source"]
    assume = recorder.of("sts", "AssumeRole")
    assert assume[0].params["RoleSessionName"] == f"promote-v1-{SOURCE_GROUP}"

    [package] = world.central_packages()
    assert package["ModelPackageArn"] == result["central_model_package_arn"]
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    bucket = world.settings.hub_artifact_bucket
    hub_image = f"{HUB}.dkr.ecr.{REGION}.amazonaws.com/{HUB_REPOSITORY}@{dev_image.digest}"
    first, second = package["InferenceSpecification"]["Containers"]
    assert first == {
        "Image": hub_image,
        "ModelDataUrl": f"s3://{bucket}/{PROMOTED_PREFIX}/model.tar.gz",
    }
    # the AWS-owned image is not copied, but its tag is pinned to the digest it names now
    assert second["Image"] == AWS_OWNED_PINNED != AWS_OWNED_IMAGE
    assert second["ModelDataSource"]["S3DataSource"] == {
        "S3Uri": f"s3://{bucket}/{PROMOTED_PREFIX}/uncompressed/",
        "S3DataType": "S3Prefix",
        "CompressionType": "None",
    }
    metrics_uri = package["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"]
    assert metrics_uri == f"s3://{bucket}/{PROMOTED_PREFIX}/evaluation.json"
    baseline = package["DriftCheckBaselines"]["ModelDataQuality"]["Constraints"]["S3Uri"]
    assert baseline == f"s3://{bucket}/{PROMOTED_PREFIX}/baselines/constraints.json"
    # The dev account id survives only as the hub key prefix (promoted/<dev account>/, the same
    # layout as the staging/<dev account>/ prefix the hub bucket policy scopes each account's
    # writes to) and the dev bucket's name only as a path below it: nothing in the package
    # points at a dev-account resource, or at a staged copy.
    assert DEV not in json.dumps(
        {k: v for k, v in package.items() if k not in {"CustomerMetadataProperties"}},
        default=str,
    ).replace(f"s3://{bucket}/promoted/{DEV}/", "").replace(DEV_BUCKET, "")

    # lineage
    metadata = package["CustomerMetadataProperties"]
    assert metadata["promotion:source-model-package-arn"] == source["arn"]
    assert metadata["promotion:source-account"] == DEV
    assert metadata["promotion:source-model-package-version"] == "1"
    # the approver checked on the dev registry's description, not the one the event names
    assert metadata["promotion:source-approver"] == LEAD_APPROVER
    assert metadata["training-job"] == "churn-train-2025-11-20"  # source's own properties kept
    source_head = world.dev.client("s3").head_object(
        Bucket=DEV_BUCKET, Key=f"{SOURCE_GROUP}/1/model.tar.gz"
    )
    etag = source_head["ETag"].strip('"')
    assert any(
        value.endswith(f"model.tar.gz etag={etag} size={source_head['ContentLength']}")
        for key, value in metadata.items()
        if key.startswith("promotion:artifact-")
    )
    assert metadata["promotion:image-0"] == f"{dev_image.uri} {dev_image.digest}"
    lineage_key = metadata["promotion:lineage-uri"].split(f"s3://{bucket}/", 1)[1]
    lineage = json.loads(
        world.hub.client("s3").get_object(Bucket=bucket, Key=lineage_key)["Body"].read()
    )
    assert lineage["source"]["model_package_arn"] == source["arn"]
    recorded = {o["source_uri"]: o for a in lineage["artifacts"] for o in a["objects"]}
    model = recorded[f"s3://{DEV_BUCKET}/{SOURCE_GROUP}/1/model.tar.gz"]
    assert model["source_etag"] == etag
    # staged by the source role and checked against the source, then promoted by the hub role
    # and checked against the staged object (the source's CRC32 carried through both copies)
    assert model["stage_method"] == "copy" and model["method"] == "copy"
    assert model["staged_uri"] == f"s3://{bucket}/{STAGED_PREFIX}/model.tar.gz"
    # (the staged object read back is the version the stage copy itself returned)
    assert model["verification"] == (
        "staged copy-version+size+source-metadata+CRC32; promoted size+CRC32"
    )

    # every hub object is SSE-KMS with the registry key and records its source
    s3 = world.hub.client("s3")
    for key in world.hub_objects():
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ServerSideEncryption"] == "aws:kms"
        assert head["SSEKMSKeyId"] == world.settings.hub_kms_key_arn
        if not key.endswith("_promotion/lineage.json"):
            assert "promotion-source-etag" in head["Metadata"]
    copied = s3.get_object(Bucket=bucket, Key=f"{PROMOTED_PREFIX}/model.tar.gz")["Body"].read()
    original = (
        world.dev.client("s3")
        .get_object(Bucket=DEV_BUCKET, Key=f"{SOURCE_GROUP}/1/model.tar.gz")["Body"]
        .read()
    )
    assert copied == original

    # S3 data never went through the function: only server-side copy calls, in two stages
    assert not recorder.of("s3", "GetObject", "dev") and not recorder.of("s3", "GetObject", "hub")
    assert {c.operation for c in recorder.calls if c.service == "s3" and c.is_write} == {
        "CopyObject",
        "PutObject",  # the lineage manifest only
    }
    assert [c.params["Key"] for c in recorder.of("s3", "PutObject")] == [lineage_key]
    stage = recorder.of("s3", "CopyObject", "dev")
    promote = recorder.of("s3", "CopyObject", "hub")
    assert len(stage) == len(promote) == 6
    assert all(c.params["Key"].startswith(f"staging/{DEV}/{SOURCE_GROUP}/1/") for c in stage)
    assert all(c.params["CopySource"]["Bucket"] == DEV_BUCKET for c in stage)
    assert all(c.params["Key"].startswith(f"promoted/{DEV}/{SOURCE_GROUP}/1/") for c in promote)
    for call in promote:  # exactly the staged version that was verified
        staged_key = call.params["CopySource"]["Key"]
        assert call.params["CopySource"]["Bucket"] == bucket
        assert staged_key == call.params["Key"].replace("promoted/", "staging/", 1)
        staged_head = s3.head_object(Bucket=bucket, Key=staged_key)
        assert call.params["CopySource"]["VersionId"] == staged_head["VersionId"]
        assert call.params["CopySourceIfMatch"] == staged_head["ETag"]

    # ECR: image in the hub under the immutable tag, same digest, layers checked first
    ecr = world.hub.client("ecr")
    described = ecr.describe_images(
        repositoryName=HUB_REPOSITORY, imageIds=[{"imageTag": f"{SOURCE_GROUP}-1"}]
    )["imageDetails"][0]
    assert described["imageDigest"] == dev_image.digest
    dev_manifest = world.dev.client("ecr").batch_get_image(
        repositoryName="customer-churn-inference", imageIds=[{"imageTag": "v1"}]
    )["images"][0]["imageManifest"]
    hub_manifest = ecr.batch_get_image(
        repositoryName=HUB_REPOSITORY, imageIds=[{"imageDigest": dev_image.digest}]
    )["images"][0]["imageManifest"]
    assert hub_manifest == dev_manifest  # exact bytes
    hub_ecr_ops = [c.operation for c in recorder.calls if c.service == "ecr" and c.label == "hub"]
    assert hub_ecr_ops.index("BatchCheckLayerAvailability") < hub_ecr_ops.index(
        "InitiateLayerUpload"
    )
    # the dev image is copied (ending with PutImage), then the AWS-owned tag is resolved
    assert hub_ecr_ops[-2:] == ["PutImage", "BatchGetImage"]
    assert recorder.of("ecr", "BatchGetImage", "hub")[-1].params["registryId"] == (
        AWS_OWNED_REGISTRY
    )
    [put_image] = recorder.of("ecr", "PutImage")
    assert put_image.params["imageDigest"] == dev_image.digest
    parts = recorder.of("ecr", "UploadLayerPart", "hub")
    assert len(parts) == 4  # 11 MiB layer in two 10 MiB chunks (ECR's partSize), two small blobs
    big_layer = world.layer_server.blobs[dev_image.blob_digests[1]]
    big_parts = [p for p in parts if p.params["uploadId"] == parts[1].params["uploadId"]]
    assert [(p.params["partFirstByte"], p.params["partLastByte"]) for p in big_parts] == [
        (0, 10 * 1024 * 1024 - 1),
        (10 * 1024 * 1024, len(big_layer) - 1),
    ]

    # group policy rendered from the SSM template (moto lacks this API: recorded, not enforced)
    [(group, policy_text)] = policies.puts
    assert group == CENTRAL_GROUP
    assert "{model_package_group_name}" not in policy_text
    policy = json.loads(policy_text)
    [statement] = policy["Statement"]
    assert set(statement["Principal"]["AWS"]) == {
        f"arn:aws:iam::{TEST}:root",
        f"arn:aws:iam::{PROD}:root",
    }
    assert f"model-package/{CENTRAL_GROUP}/*" in statement["Resource"][0]
    assert "sagemaker:UpdateModelPackage" not in statement["Action"]

    # model card created for the new group
    card = world.hub.client("sagemaker").describe_model_card(ModelCardName=CENTRAL_GROUP)
    assert card["ModelCardVersion"] == 1
    assert card["SecurityConfig"]["KmsKeyId"] == world.settings.hub_kms_key_arn
    content = json.loads(card["Content"])
    overview = content["model_overview"]
    assert overview["model_id"] == package["ModelPackageArn"]
    assert overview["model_version"] == 1
    assert overview["model_artifact"] == [
        f"s3://{bucket}/{PROMOTED_PREFIX}/model.tar.gz",
        f"s3://{bucket}/{PROMOTED_PREFIX}/uncompressed/",
    ]
    assert overview["inference_environment"]["container_image"] == [hub_image, AWS_OWNED_PINNED]
    assert content["model_package_details"]["model_approval_status"] == "PendingManualApproval"
    assert source["arn"] in content["additional_information"]["custom_details"]["promotion-v1"]

    # test and prod accounts were not written to: the promotion only touches the hub
    for account in (world.test, world.prod):
        assert (
            account.client("sagemaker").list_model_package_groups()["ModelPackageGroupSummaryList"]
            == []
        )

    # structured logs carry both ARNs
    registered = [
        line
        for line in handler.log_lines()
        if line["message"] == "central model package registered"
    ]
    assert registered[0]["source_model_package_arn"] == source["arn"]
    assert registered[0]["central_model_package_arn"] == package["ModelPackageArn"]
