"""What a data science team does in its dev workspace, as the workspace's own roles.

The workspace (ml-workspace, applied by Terraform) provides the persona roles, the team's
artifact bucket and the registry policy; the walk reads them from the dev stack's outputs. In a
real organization people reach the persona roles through their IAM Identity Center permission
sets; here the sandbox assumes the persona role directly, with the person's name as session name
(moto does not evaluate trust policies). The team's ECR repository and the image in it come from
the team's image build, which is no persona's job: the sandbox pushes it with the account's admin
session.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from botocore.exceptions import ClientError

from platform_composition.config import Environment
from platform_sandbox.runtimes import role_session
from platform_sandbox.simulator import Simulator

# Persona keys of ml-workspace's persona_role_arns output.
DATA_SCIENTIST = "data_scientist"
LEAD_DATA_SCIENTIST = "lead_data_scientist"
# What the team registers: their data, not platform configuration. The workspace's roles may
# only create groups named "<workspace name>-...".
MODEL = "customer-churn"
APPROVAL_REASON = "MSE below the team's threshold; reviewed the evaluation report"


class DataScienceTeam:
    """The team of one dev account, working through its applied workspace."""

    def __init__(
        self,
        simulator: Simulator,
        env: Environment,
        outputs: Mapping[str, Any],
        workspace_name: str,
        progress: Callable[[str], None],
    ) -> None:
        self.sim = simulator
        self.env = env
        self.outputs = outputs
        self.progress = progress
        self.model_group = f"{workspace_name}-{MODEL}"
        settings = env.workspace
        people = settings.users if settings else ()
        # Session names are the people holding each persona (the first one configured).
        self.people = {
            persona: next((u.name for u in people if u.persona == persona), persona)
            for persona in (DATA_SCIENTIST, LEAD_DATA_SCIENTIST)
        }

    def client(self, session: boto3.Session, service: str) -> Any:
        return self.sim.client(session, service)

    def persona(self, persona: str) -> boto3.Session:
        """A session of the workspace's persona role, named after the person holding it."""
        return role_session(
            self.sim,
            self.outputs["persona_role_arns"][persona],
            self.people[persona],
            self.env.region,
        )

    def persona_arn(self, persona: str) -> str:
        """The STS identity SageMaker records for calls made with `persona(persona)`."""
        role = self.outputs["persona_role_arns"][persona]
        account, name = role.split(":")[4], role.rsplit("/", 1)[1]
        return f"arn:aws:sts::{account}:assumed-role/{name}/{self.people[persona]}"

    def register_model(self, label: str) -> str:
        """The data scientist uploads artifacts to the team bucket and registers a package
        (PendingManualApproval, the only status the persona may register with)."""
        scientist = self.persona(DATA_SCIENTIST)
        s3 = self.client(scientist, "s3")
        bucket = self.outputs["team_artifact_bucket_name"]
        key_arn = self.outputs["team_kms_key_arn"]
        base = f"{MODEL}/{label}"
        uris = {}
        for name, key, body in (
            ("model", f"{base}/model.tar.gz", _model_tarball(label)),
            ("metrics", f"{base}/evaluation.json", b'{"regression_metrics": {"mse": 2.1}}'),
            ("constraints", f"{base}/baselines/constraints.json", b'{"features": []}'),
        ):
            s3.put_object(
                Bucket=bucket,
                Key=key,
                Body=body,
                ChecksumAlgorithm="SHA256",
                ServerSideEncryption="aws:kms",
                SSEKMSKeyId=key_arn,
            )
            uris[name] = f"s3://{bucket}/{key}"
        image_uri = self.push_image(
            self.sim.session(self.env.account_id, self.env.region), f"{self.model_group}", label
        )
        sagemaker = self.client(scientist, "sagemaker")
        self.ensure_group(sagemaker)
        json_report = {"ContentType": "application/json"}
        source_arn = str(
            sagemaker.create_model_package(
                ModelPackageGroupName=self.model_group,
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
            f"dev {self.env.account_id}: data scientist {self.people[DATA_SCIENTIST]} registered "
            f"{source_arn} (PendingManualApproval)"
        )
        return source_arn

    def ensure_group(self, sagemaker: Any) -> None:
        """The data scientist creates the group once; the lead gives it the registry policy
        (hub promoter reads, nothing else cross-account), which only the lead may set."""
        try:
            sagemaker.describe_model_package_group(ModelPackageGroupName=self.model_group)
            return
        except ClientError:
            pass
        sagemaker.create_model_package_group(
            ModelPackageGroupName=self.model_group,
            ModelPackageGroupDescription="Churn model of the team",
        )
        self.client(self.persona(LEAD_DATA_SCIENTIST), "sagemaker").put_model_package_group_policy(
            ModelPackageGroupName=self.model_group,
            ResourcePolicy=self.outputs["model_package_group_policy_json"],
        )
        self.progress(
            f"dev {self.env.account_id}: group {self.model_group} created; lead "
            f"{self.people[LEAD_DATA_SCIENTIST]} set the team registry policy"
        )

    def approve(self, source_arn: str, persona: str = LEAD_DATA_SCIENTIST) -> str:
        """`persona` approves the package in the team's registry; returns the identity that
        SageMaker records as the approver."""
        self.client(self.persona(persona), "sagemaker").update_model_package(
            ModelPackageArn=source_arn,
            ModelApprovalStatus="Approved",
            ApprovalDescription=APPROVAL_REASON,
        )
        self.progress(
            f"dev {self.env.account_id}: {self.persona_arn(persona)} approved {source_arn}"
        )
        return self.persona_arn(persona)

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
