"""What a data science team does in its own dev account, with what the team owns there.

None of it is platform-managed, so the sandbox creates it the way the team would: the persona
roles (the team's SSO permission sets provide them in a real organization; stand-ins named
`<prefix>-<persona>`, tagged `mlgov-sandbox=persona-stand-in`), SageMaker's default bucket
`sagemaker-<region>-<account>` (the SageMaker SDK creates it on first use), the team's ECR
repository and model package group. Everything is created once and reused by later walks.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ClientError

from platform_composition.config import Environment
from platform_sandbox.runtimes import role_session
from platform_sandbox.simulator import Simulator

# The team's personas: stand-in role `<prefix>-<persona>`, assumed with the persona as session.
DATA_SCIENTIST = "data-scientist"
LEAD_DATA_SCIENTIST = "lead-data-scientist"
PERSONA_TAG = {"Key": "mlgov-sandbox", "Value": "persona-stand-in"}
# What the team registers: their data, not platform configuration.
MODEL_GROUP = "customer-churn"
APPROVAL_REASON = "MSE below the team's threshold; reviewed the evaluation report"


class DataScienceTeam:
    """The team of one dev account."""

    def __init__(
        self,
        simulator: Simulator,
        env: Environment,
        name_prefix: str,
        progress: Callable[[str], None],
    ) -> None:
        self.sim = simulator
        self.env = env
        self.prefix = name_prefix
        self.progress = progress

    def client(self, session: boto3.Session, service: str) -> Any:
        return self.sim.client(session, service)

    def persona(self, persona: str) -> boto3.Session:
        """The persona's session, its stand-in role created on first use."""
        iam = self.client(self.sim.session(self.env.account_id, self.env.region), "iam")
        name = f"{self.prefix}-{persona}"
        try:
            arn = iam.get_role(RoleName=name)["Role"]["Arn"]
        except ClientError:
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{self.env.account_id}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            arn = iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(trust),
                Description=f"{persona} of the team (sandbox stand-in for the SSO role)",
                Tags=[PERSONA_TAG],
            )["Role"]["Arn"]
        return role_session(self.sim, arn, persona, self.env.region)

    def register_model(self, label: str) -> str:
        """The data scientist uploads artifacts and an image and registers a package (pending)."""
        scientist = self.persona(DATA_SCIENTIST)
        s3 = self.client(scientist, "s3")
        bucket = f"sagemaker-{self.env.region}-{self.env.account_id}"
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            location = {"LocationConstraint": self.env.region}
            if self.env.region == "us-east-1":
                s3.create_bucket(Bucket=bucket)
            else:
                s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=location)
        base = f"{MODEL_GROUP}/{label}"
        uris = {}
        for name, key, body in (
            ("model", f"{base}/model.tar.gz", _model_tarball(label)),
            ("metrics", f"{base}/evaluation.json", b'{"regression_metrics": {"mse": 2.1}}'),
            ("constraints", f"{base}/baselines/constraints.json", b'{"features": []}'),
        ):
            s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")
            uris[name] = f"s3://{bucket}/{key}"
        image_uri = self.push_image(scientist, f"{MODEL_GROUP}-inference", label)
        sagemaker = self.client(scientist, "sagemaker")
        with contextlib.suppress(ClientError):  # the group exists after the first walk
            sagemaker.create_model_package_group(
                ModelPackageGroupName=MODEL_GROUP,
                ModelPackageGroupDescription="Churn model of the team",
            )
        json_report = {"ContentType": "application/json"}
        source_arn = str(
            sagemaker.create_model_package(
                ModelPackageGroupName=MODEL_GROUP,
                ModelPackageDescription=f"XGBoost churn regressor, training run {label}",
                InferenceSpecification={
                    "Containers": [{"Image": image_uri, "ModelDataUrl": uris["model"]}],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                },
                ModelMetrics={
                    "ModelQuality": {"Statistics": {**json_report, "S3Uri": uris["metrics"]}}
                },
                DriftCheckBaselines={
                    "ModelDataQuality": {
                        "Constraints": {**json_report, "S3Uri": uris["constraints"]}
                    }
                },
                Domain="MACHINE_LEARNING",
                Task="REGRESSION",
                CustomerMetadataProperties={"training-run": label},
                ModelApprovalStatus="PendingManualApproval",
            )["ModelPackageArn"]
        )
        self.progress(
            f"dev {self.env.account_id}: data scientist registered {source_arn} (pending)"
        )
        return source_arn

    def approve(self, source_arn: str) -> None:
        """The lead data scientist approves the package in the team's registry."""
        self.client(self.persona(LEAD_DATA_SCIENTIST), "sagemaker").update_model_package(
            ModelPackageArn=source_arn,
            ModelApprovalStatus="Approved",
            ApprovalDescription=APPROVAL_REASON,
        )
        self.progress(f"dev {self.env.account_id}: lead data scientist approved {source_arn}")

    def push_image(self, session: boto3.Session, repository: str, tag: str) -> str:
        """Push a small image (config + two layers) through the ECR layer API, as docker does."""
        ecr = self.client(session, "ecr")
        with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
            ecr.create_repository(repositoryName=repository)
        layers = [os.urandom(96 * 1024), os.urandom(24 * 1024)]
        config = json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "rootfs": {"type": "layers", "diff_ids": [_digest(layer) for layer in layers]},
            }
        ).encode()
        digests = [_upload_layer(ecr, repository, blob) for blob in (config, *layers)]
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": digests[0],
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(blob),
                    "digest": digest,
                }
                for blob, digest in zip(layers, digests[1:], strict=True)
            ],
        }
        ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)
        (described,) = ecr.describe_repositories(repositoryNames=[repository])["repositories"]
        return f"{described['repositoryUri']}:{tag}"


def _digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def _upload_layer(ecr: Any, repository: str, data: bytes) -> str:
    upload_id = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=repository,
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    return str(
        ecr.complete_layer_upload(
            repositoryName=repository, uploadId=upload_id, layerDigests=[_digest(data)]
        )["layerDigest"]
    )


def _model_tarball(label: str) -> bytes:
    """A small model.tar.gz (what a training job writes: the model file at the root)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        model = json.dumps({"learner": "xgboost", "trees": 120, "run": label}).encode()
        info = tarfile.TarInfo("xgboost-model")
        info.size = len(model)
        archive.addfile(info, io.BytesIO(model))
    return buffer.getvalue()
