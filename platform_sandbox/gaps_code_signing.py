"""Signer signing jobs and Lambda code signing in the simulator.

moto 5.2 stores Signer profiles but runs no signing job, and its Lambda has no code signing
configs: it neither creates, reads, updates nor deletes them, attaches none to a function after
creation, and verifies nothing when code is deployed. The platform signs the promoter's and the
trigger's packages (`modules/lambda-code-signing`) and deploys them under a config that
enforces the signature, so the simulator needs all of it. These patches (server process only,
registered by `gaps.patch_simulator`; the gap is listed in `gaps.GAPS`) keep their state on
moto's own backends (a reset of the simulator drops it) and answer as the services do:

- StartSigningJob / DescribeSigningJob / ListSigningJobs: the profile must exist and be Active,
  the source must be an existing version of an object, and the destination bucket must exist.
  The job copies that version to `<prefix><job id>.zip` in the destination bucket and succeeds at
  once. The simulator embeds no cryptographic signature: it records which profile version signed
  which bytes (SHA-256) under which key, and until when the signature is valid; that record is
  what Lambda verifies below.
- Create/Get/Update/Delete/ListCodeSigningConfigs, tags on a config, and
  Put/Get/DeleteFunctionCodeSigningConfig, with Lambda's ARN format (`csc-` and 17 characters)
  and errors (deleting a config that a function uses is refused).
- On CreateFunction and UpdateFunctionCode of a function with a config, the code must be an S3
  object recorded as signed, its current bytes must be the bytes that were signed (otherwise
  InvalidCodeSignatureException, whatever the policy, as Lambda's integrity check does), and the
  signer must be an allowed, still Active profile version with an unexpired signature (otherwise
  CodeVerificationFailedException when the policy is Enforce; Warn deploys).

IAM policies are not evaluated here (the simulator evaluates none for Signer or Lambda).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

LAMBDA_PLATFORM = "AWSLambda-SHA384-ECDSA"
MAX_ALLOWED_PUBLISHERS = 20
_LOCK = threading.RLock()


class SigningError(Exception):
    """An error the service reports with this code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SignedObject:
    """What a signing job left behind: the signed copy's key, bytes and signer."""

    job_id: str
    bucket: str
    key: str
    sha256: str
    profile_name: str
    profile_version_arn: str
    expires_at: datetime.datetime


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _s3(account: str) -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[account]["aws"]


def _signer(account: str, region: str) -> Any:
    from moto.signer.models import signer_backends

    return signer_backends[account][region]


def _lambda(account: str, region: str) -> Any:
    from moto.awslambda.models import lambda_backends

    return lambda_backends[account][region]


def _jobs(signer: Any) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = signer.__dict__.setdefault("sandbox_signing_jobs", {})
    return jobs


def _signed_objects(account: str) -> dict[tuple[str, str], SignedObject]:
    """Signed copies by (bucket, key), kept on the account's S3 backend (buckets are global)."""
    records: dict[tuple[str, str], SignedObject] = _s3(account).__dict__.setdefault(
        "sandbox_signed_objects", {}
    )
    return records


def _configs(backend: Any) -> dict[str, dict[str, Any]]:
    configs: dict[str, dict[str, Any]] = backend.__dict__.setdefault(
        "sandbox_code_signing_configs", {}
    )
    return configs


def _object_bytes(account: str, bucket: str, key: str, version: str | None = None) -> bytes | None:
    from moto.s3.exceptions import MissingBucket, MissingKey

    try:
        found = _s3(account).get_object(bucket, key, version_id=version)
    except (MissingBucket, MissingKey):
        return None
    return None if found is None else bytes(found.value)


# -- Signer ----------------------------------------------------------------------------------


def start_signing_job(
    account: str,
    region: str,
    *,
    profile_name: str | None,
    source: dict[str, Any] | None,
    destination: dict[str, Any] | None,
    identity_arn: str,
) -> dict[str, str]:
    """StartSigningJob: sign one object version into the destination bucket."""
    signer = _signer(account, region)
    profile = signer.signing_profiles.get(profile_name or "")
    if profile is None:
        raise SigningError("ResourceNotFoundException", f"Profile {profile_name} does not exist.")
    if profile.status != "Active":
        raise SigningError(
            "ValidationException", f"Profile {profile_name} is {profile.status}, not Active."
        )
    s3_source = (source or {}).get("s3") or {}
    s3_destination = (destination or {}).get("s3") or {}
    for field_name, value in (
        ("source.s3.bucketName", s3_source.get("bucketName")),
        ("source.s3.key", s3_source.get("key")),
        ("source.s3.version", s3_source.get("version")),
        ("destination.s3.bucketName", s3_destination.get("bucketName")),
    ):
        if not value:
            raise SigningError("ValidationException", f"{field_name} is required.")
    content = _object_bytes(
        account, s3_source["bucketName"], s3_source["key"], s3_source["version"]
    )
    if content is None:
        raise SigningError(
            "ValidationException",
            f"Version {s3_source['version']} of s3://{s3_source['bucketName']}/{s3_source['key']}"
            " does not exist (signing jobs read a version of an object in a versioned bucket).",
        )
    if _s3(account).buckets.get(s3_destination["bucketName"]) is None:
        raise SigningError(
            "ValidationException",
            f"Destination bucket {s3_destination['bucketName']} does not exist.",
        )
    job_id = str(uuid.uuid4())
    signed_key = f"{s3_destination.get('prefix') or ''}{job_id}.zip"
    _s3(account).put_object(s3_destination["bucketName"], signed_key, content)
    now = _now()
    validity = profile.signature_validity_period
    expires_at = now + _validity(validity["value"], validity["type"])
    record = SignedObject(
        job_id=job_id,
        bucket=s3_destination["bucketName"],
        key=signed_key,
        sha256=hashlib.sha256(content).hexdigest(),
        profile_name=profile.name,
        profile_version_arn=profile.profile_version_arn,
        expires_at=expires_at,
    )
    _signed_objects(account)[(record.bucket, record.key)] = record
    _jobs(signer)[job_id] = {
        "jobId": job_id,
        "source": {"s3": dict(s3_source)},
        "signingMaterial": profile.signing_material or {},
        "platformId": profile.platform_id,
        "platformDisplayName": "AWS Lambda"
        if profile.platform_id == LAMBDA_PLATFORM
        else profile.platform_id,
        "profileName": profile.name,
        "profileVersion": profile.profile_version,
        "overrides": {},
        "signingParameters": {},
        "createdAt": now.timestamp(),
        "completedAt": now.timestamp(),
        "signatureExpiresAt": expires_at.timestamp(),
        "requestedBy": identity_arn,
        "status": "Succeeded",
        "statusReason": "Signing Succeeded",
        "signedObject": {"s3": {"bucketName": record.bucket, "key": record.key}},
        "jobOwner": account,
        "jobInvoker": account,
    }
    return {"jobId": job_id, "jobOwner": account}


def _validity(value: int, unit: str) -> datetime.timedelta:
    days = {"DAYS": 1, "MONTHS": 30, "YEARS": 365}.get(unit)
    if days is None:
        raise SigningError("ValidationException", f"Unknown signature validity type {unit}.")
    return datetime.timedelta(days=days * int(value))


def describe_signing_job(account: str, region: str, job_id: str) -> dict[str, Any]:
    job = _jobs(_signer(account, region)).get(job_id)
    if job is None:
        raise SigningError("ResourceNotFoundException", f"Signing job {job_id} does not exist.")
    return job


# -- Lambda code signing configs ---------------------------------------------------------------


def _config_arn(account: str, region: str) -> str:
    return f"arn:aws:lambda:{region}:{account}:code-signing-config:csc-{secrets.token_hex(9)[:17]}"


def _publishers(allowed: dict[str, Any] | None) -> list[str]:
    arns = list((allowed or {}).get("SigningProfileVersionArns") or [])
    if not 1 <= len(arns) <= MAX_ALLOWED_PUBLISHERS:
        raise SigningError(
            "InvalidParameterValueException",
            f"AllowedPublishers.SigningProfileVersionArns must hold 1 to {MAX_ALLOWED_PUBLISHERS}"
            f" profile version ARNs, not {len(arns)}.",
        )
    return arns


def _policies(policies: dict[str, Any] | None) -> dict[str, str]:
    policy = (policies or {}).get("UntrustedArtifactOnDeployment") or "Warn"
    if policy not in ("Warn", "Enforce"):
        raise SigningError(
            "InvalidParameterValueException",
            f"UntrustedArtifactOnDeployment must be Warn or Enforce, not {policy}.",
        )
    return {"UntrustedArtifactOnDeployment": policy}


def create_code_signing_config(account: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    arn = _config_arn(account, region)
    config = {
        "CodeSigningConfigId": arn.rsplit(":", 1)[-1],
        "CodeSigningConfigArn": arn,
        "Description": body.get("Description") or "",
        "AllowedPublishers": {
            "SigningProfileVersionArns": _publishers(body.get("AllowedPublishers"))
        },
        "CodeSigningPolicies": _policies(body.get("CodeSigningPolicies")),
        "LastModified": _now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000",
    }
    backend = _lambda(account, region)
    _configs(backend)[arn] = config
    if body.get("Tags"):
        backend.__dict__.setdefault("sandbox_code_signing_tags", {})[arn] = dict(body["Tags"])
    return {"CodeSigningConfig": config}


def get_code_signing_config(account: str, region: str, arn: str) -> dict[str, Any]:
    config = _configs(_lambda(account, region)).get(arn)
    if config is None:
        raise SigningError(
            "ResourceNotFoundException", f"The code signing configuration {arn} does not exist."
        )
    return config


def update_code_signing_config(
    account: str, region: str, arn: str, body: dict[str, Any]
) -> dict[str, Any]:
    config = get_code_signing_config(account, region, arn)
    if "AllowedPublishers" in body:
        config["AllowedPublishers"] = {
            "SigningProfileVersionArns": _publishers(body["AllowedPublishers"])
        }
    if "CodeSigningPolicies" in body:
        config["CodeSigningPolicies"] = _policies(body["CodeSigningPolicies"])
    if "Description" in body:
        config["Description"] = body["Description"] or ""
    config["LastModified"] = _now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"
    return {"CodeSigningConfig": config}


def _functions_using(backend: Any, arn: str) -> list[str]:
    return sorted(
        function.function_name
        for function in backend.list_functions()
        if getattr(function, "code_signing_config_arn", None) == arn
    )


def delete_code_signing_config(account: str, region: str, arn: str) -> None:
    backend = _lambda(account, region)
    get_code_signing_config(account, region, arn)
    users = _functions_using(backend, arn)
    if users:
        raise SigningError(
            "ResourceConflictException",
            f"The code signing configuration {arn} is used by functions {', '.join(users)}.",
        )
    del _configs(backend)[arn]
    backend.__dict__.setdefault("sandbox_code_signing_tags", {}).pop(arn, None)


def list_code_signing_configs(account: str, region: str) -> dict[str, Any]:
    return {"CodeSigningConfigs": list(_configs(_lambda(account, region)).values())}


# -- verification at deployment ----------------------------------------------------------------


def verify_code(account: str, region: str, config_arn: str, code: dict[str, Any]) -> None:
    """What Lambda checks before it deploys code under a code signing config."""
    config = get_code_signing_config(account, region, config_arn)
    enforce = config["CodeSigningPolicies"]["UntrustedArtifactOnDeployment"] == "Enforce"
    bucket, key = code.get("S3Bucket"), code.get("S3Key")
    record = _signed_objects(account).get((bucket, key)) if bucket and key else None
    if record is None:
        if enforce:
            raise SigningError(
                "CodeVerificationFailedException",
                "Lambda cannot deploy the function: the code is not signed (the code signing"
                f" policy of {config_arn} is Enforce).",
            )
        return
    content = _object_bytes(account, record.bucket, record.key, code.get("S3ObjectVersion"))
    if content is None or hashlib.sha256(content).hexdigest() != record.sha256:
        raise SigningError(
            "InvalidCodeSignatureException",
            f"The code signature of s3://{record.bucket}/{record.key} failed the integrity check:"
            " the object changed after signing job " + record.job_id + ".",
        )
    profile = _signer(account, region).signing_profiles.get(record.profile_name)
    problem = None
    if record.profile_version_arn not in config["AllowedPublishers"]["SigningProfileVersionArns"]:
        problem = f"profile version {record.profile_version_arn} is not an allowed publisher"
    elif profile is None or profile.status != "Active":
        problem = f"signing profile {record.profile_name} is revoked or canceled"
    elif record.expires_at <= _now():
        problem = f"the signature expired at {record.expires_at.isoformat()}"
    if problem and enforce:
        raise SigningError(
            "CodeVerificationFailedException",
            f"Lambda cannot deploy the function: {problem} (the code signing policy of"
            f" {config_arn} is Enforce).",
        )


# -- wiring into moto --------------------------------------------------------------------------


def _raise_as_rest(error: SigningError) -> Any:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(error.code, error.message)


def _patch_signer() -> None:
    from moto.signer import responses, urls

    response = responses.SignerResponse
    if getattr(response, "sandbox_code_signing", False):
        return

    def start(self: Any) -> str:
        with _LOCK:
            try:
                result = start_signing_job(
                    self.current_account,
                    self.region,
                    profile_name=self._get_param("profileName"),
                    source=self._get_param("source"),
                    destination=self._get_param("destination"),
                    identity_arn=f"arn:aws:iam::{self.current_account}:root",
                )
            except SigningError as error:
                raise _raise_as_rest(error) from error
        return json.dumps(result)

    def describe(self: Any) -> str:
        with _LOCK:
            try:
                job = describe_signing_job(
                    self.current_account, self.region, self.path.rstrip("/").split("/")[-1]
                )
            except SigningError as error:
                raise _raise_as_rest(error) from error
        return json.dumps(job)

    def list_jobs(self: Any) -> str:
        with _LOCK:
            jobs = list(_jobs(_signer(self.current_account, self.region)).values())
        return json.dumps({"jobs": jobs})

    response.start_signing_job = start  # type: ignore[attr-defined]
    response.describe_signing_job = describe  # type: ignore[attr-defined]
    response.list_signing_jobs = list_jobs  # type: ignore[attr-defined]
    urls.url_paths["{0}/signing-jobs$"] = response.dispatch
    urls.url_paths["{0}/signing-jobs/(?P<job_id>[^/]+)$"] = response.dispatch
    response.sandbox_code_signing = True  # type: ignore[attr-defined]


def _is_config_arn(arn: str) -> bool:
    return ":code-signing-config:" in arn


def _patch_lambda_responses() -> None:
    from moto.awslambda import responses, urls

    response = responses.LambdaResponse
    if getattr(response, "sandbox_code_signing", False):
        return

    def handled(action: Any) -> Any:
        def handle(self: Any) -> Any:
            with _LOCK:
                try:
                    return action(self)
                except SigningError as error:
                    raise _raise_as_rest(error) from error

        handle.__name__ = action.__name__
        return handle

    def config_arn(self: Any) -> str:
        return unquote(self.path.rstrip("/").rsplit("/", 1)[-1])

    @handled
    def create(self: Any) -> Any:
        result = create_code_signing_config(self.current_account, self.region, self.json_body)
        return 201, {}, json.dumps(result)

    @handled
    def get(self: Any) -> str:
        config = get_code_signing_config(self.current_account, self.region, config_arn(self))
        return json.dumps({"CodeSigningConfig": config})

    @handled
    def update(self: Any) -> str:
        result = update_code_signing_config(
            self.current_account, self.region, config_arn(self), self.json_body
        )
        return json.dumps(result)

    @handled
    def delete(self: Any) -> Any:
        delete_code_signing_config(self.current_account, self.region, config_arn(self))
        return 204, {}, ""

    @handled
    def list_configs(self: Any) -> str:
        return json.dumps(list_code_signing_configs(self.current_account, self.region))

    def function_name(self: Any) -> str:
        return unquote(self.path.rstrip("/").rsplit("/", 2)[-2])

    @handled
    def put_function_config(self: Any) -> str:
        arn = self.json_body.get("CodeSigningConfigArn") or ""
        get_code_signing_config(self.current_account, self.region, arn)
        function = self.backend.get_function(function_name(self))
        function.code_signing_config_arn = arn
        return json.dumps({"CodeSigningConfigArn": arn, "FunctionName": function.function_name})

    @handled
    def delete_function_config(self: Any) -> Any:
        function = self.backend.get_function(function_name(self))
        function.code_signing_config_arn = None
        return 204, {}, ""

    tags_of = response.list_tags
    tag = response.tag_resource
    untag = response.untag_resource

    def config_tags(self: Any) -> dict[str, dict[str, str]]:
        tags: dict[str, dict[str, str]] = self.backend.__dict__.setdefault(
            "sandbox_code_signing_tags", {}
        )
        return tags

    @handled
    def list_tags(self: Any) -> Any:
        arn = unquote(self.path.rsplit("/", 1)[-1])
        if not _is_config_arn(arn):
            return tags_of(self)
        get_code_signing_config(self.current_account, self.region, arn)
        return json.dumps({"Tags": config_tags(self).get(arn, {})})

    @handled
    def tag_resource(self: Any) -> Any:
        arn = unquote(self.path.rsplit("/", 1)[-1])
        if not _is_config_arn(arn):
            return tag(self)
        get_code_signing_config(self.current_account, self.region, arn)
        config_tags(self).setdefault(arn, {}).update(self.json_body.get("Tags") or {})
        return "{}"

    @handled
    def untag_resource(self: Any) -> Any:
        arn = unquote(self.path.rsplit("/", 1)[-1])
        if not _is_config_arn(arn):
            return untag(self)
        get_code_signing_config(self.current_account, self.region, arn)
        held = config_tags(self).setdefault(arn, {})
        for key in self.querystring.get("tagKeys", []):
            held.pop(key, None)
        return 204, {}, ""

    response.create_code_signing_config = create  # type: ignore[attr-defined]
    response.get_code_signing_config = get  # type: ignore[attr-defined]
    response.update_code_signing_config = update  # type: ignore[attr-defined]
    response.delete_code_signing_config = delete  # type: ignore[attr-defined]
    response.list_code_signing_configs = list_configs  # type: ignore[attr-defined]
    response.put_function_code_signing_config = put_function_config  # type: ignore[attr-defined]
    response.delete_function_code_signing_config = delete_function_config  # type: ignore[attr-defined]
    response.list_tags = list_tags  # type: ignore[method-assign]
    response.tag_resource = tag_resource  # type: ignore[method-assign]
    response.untag_resource = untag_resource  # type: ignore[method-assign]
    urls.url_paths[r"{0}/(?P<api_version>[^/]+)/code-signing-configs/?$"] = response.dispatch
    urls.url_paths[r"{0}/(?P<api_version>[^/]+)/code-signing-configs/(?P<arn>[^/]+)$"] = (
        response.dispatch
    )
    response.sandbox_code_signing = True  # type: ignore[attr-defined]


def _patch_lambda_deployments() -> None:
    """Verify the code of functions with a config on create and on every code update."""
    from moto.awslambda import models

    backend_class = models.LambdaBackend
    if getattr(backend_class, "sandbox_code_signing", False):
        return
    original_create = backend_class.create_function
    original_update = backend_class.update_function_code

    def create_function(self: Any, spec: dict[str, Any]) -> Any:
        arn = spec.get("CodeSigningConfigArn")
        if arn:
            with _LOCK:
                try:
                    verify_code(self.account_id, self.region_name, arn, spec.get("Code") or {})
                except SigningError as error:
                    raise _raise_as_rest(error) from error
        return original_create(self, spec)

    def update_function_code(
        self: Any, function_name: str, qualifier: str, body: dict[str, Any]
    ) -> Any:
        function = self.get_function(function_name, qualifier)
        arn = getattr(function, "code_signing_config_arn", None)
        if arn and not body.get("DryRun"):
            with _LOCK:
                try:
                    verify_code(self.account_id, self.region_name, arn, body)
                except SigningError as error:
                    raise _raise_as_rest(error) from error
        return original_update(self, function_name, qualifier, body)

    backend_class.create_function = create_function  # type: ignore[method-assign]
    backend_class.update_function_code = update_function_code  # type: ignore[method-assign]
    backend_class.sandbox_code_signing = True  # type: ignore[attr-defined]


def patch_code_signing() -> None:
    """Every code signing patch of the simulator (idempotent per process)."""
    _patch_signer()
    _patch_lambda_responses()
    _patch_lambda_deployments()
