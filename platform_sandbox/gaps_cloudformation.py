"""CloudFormation stacks of the SageMaker project templates, in the simulator.

A lead data scientist's project is a CloudFormation stack that Service Catalog (or SageMaker, for
a Studio S3 template) creates in the dev account as the projects launch role, from one of
`modules/service-catalog-portfolios/project-templates/`. moto 5.2's CloudFormation resolves the
templates' SSM-typed parameters, but of the resource types they declare it creates only
`AWS::S3::Bucket`, and of that only the encryption (without the S3 Bucket Key) and the tags: it
skips `AWS::S3::BucketPolicy`, `AWS::SageMaker::ModelPackageGroup`, `AWS::CodeBuild::Project` and
`AWS::CodePipeline::Pipeline` with a warning and reports the stack CREATE_COMPLETE with nothing
behind them. It also checks no parameter constraint, hands `Number` parameters to `Ref` as numbers
and fails the CreateStack call (HTTP 500 or 400) when a resource cannot be created.

These patches (server process only, registered by `gaps.patch_simulator`; the gaps are listed in
`gaps.GAPS`) make such a stack what CloudFormation would make of it:
- resource handlers (moto's `CloudFormationModel` mechanism) that create each of those resources
  in moto's own backends, from the properties as given: the bucket policy, the model package
  group with its resource policy (kept where the simulator keeps group policies,
  `gaps.GROUP_POLICIES`), the CodeBuild project (environment variables, inline buildspec, service
  role, encryption key) and the CodePipeline pipeline (V2 type, triggers, stages and action
  configurations as written), each tagged as CloudFormation tags: its own tags, the stack's tags
  and `aws:cloudformation:stack-name|stack-id|logical-id`;
- the bucket's other settings the templates use (S3 Bucket Key, public access block, ownership
  controls, versioning, lifecycle rules);
- parameters checked against their constraints before anything is created, unknown parameters
  refused, `Number` parameters referenced as the string given;
- a resource that cannot be created fails the stack, not the call: CREATE_FAILED for the resource,
  rollback of what was created (resources with `DeletionPolicy: Retain` are kept, as in AWS) and
  ROLLBACK_COMPLETE with the reason.

A property the simulator would not apply is refused (the stack rolls back naming it) instead of
being dropped. Nothing runs behind the resources: no pipeline execution starts when the pipeline
is created, no build runs, no policy is enforced, and the caller's permissions (the launch
role's, for a project) are not evaluated: moto evaluates no IAM.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

# The resource types of the project templates that moto 5.2's CloudFormation has no model for.
RESOURCE_TYPES = (
    "AWS::S3::BucketPolicy",
    "AWS::SageMaker::ModelPackageGroup",
    "AWS::CodeBuild::Project",
    "AWS::CodePipeline::Pipeline",
)

# AWS::S3::Bucket properties the simulator applies (moto itself applies only the first three).
BUCKET_PROPERTIES = frozenset(
    {
        "BucketName",
        "BucketEncryption",
        "Tags",
        "PublicAccessBlockConfiguration",
        "OwnershipControls",
        "VersioningConfiguration",
        "LifecycleConfiguration",
    }
)
# Properties of the other types that have no API counterpart the simulator could apply.
NOT_SIMULATED = {
    "AWS::CodeBuild::Project": frozenset({"Triggers", "Visibility", "ResourceAccessRole"}),
    "AWS::CodePipeline::Pipeline": frozenset({"DisableInboundStageTransitions"}),
}

_MODEL_PACKAGE_GROUP_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")

# moto finds CloudFormation models through CloudFormationModel.__subclasses__(), which holds weak
# references: the classes defined by `patch_cloudformation` are kept alive here.
_MODELS: list[type] = []


class ResourceFailed(Exception):
    """A resource of a stack could not be created: the stack fails and rolls back."""

    def __init__(self, logical_id: str, resource_type: str, reason: str) -> None:
        super().__init__(f"{logical_id} ({resource_type}): {reason}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.reason = reason


class HandlerFailed(Exception):
    """What AWS answers a resource handler's request (or, with code NotSimulated, the simulator
    for a property it would not apply: it never pretends it did)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# -- shapes -------------------------------------------------------------------------------------


def _lower_first(key: str) -> str:
    return key[:1].lower() + key[1:]


def _text(value: Any) -> str:
    """A scalar as CloudFormation hands it to an API that takes strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def api_shape(value: Any, renamed: dict[str, str] | None = None) -> Any:
    """CloudFormation's PascalCase properties as the JSON APIs' camelCase request members.

    CodeBuild and CodePipeline name every member like their CloudFormation property with a
    lower-case first letter (`ArtifactStore.EncryptionKey.Id` -> `artifactStore.encryptionKey.id`)
    except those in `renamed`; an action's `Configuration` is a map of the provider's own keys,
    kept as written, with every value a string.
    """
    renamed = renamed or {}
    if isinstance(value, list):
        return [api_shape(item, renamed) for item in value]
    if not isinstance(value, dict):
        return value
    shaped: dict[str, Any] = {}
    for key, item in value.items():
        if key == "Configuration" and isinstance(item, dict):
            shaped["configuration"] = {k: _text(v) for k, v in item.items()}
        else:
            shaped[renamed.get(key, _lower_first(key))] = api_shape(item, renamed)
    return shaped


def _tag_map(tags: Any) -> dict[str, str]:
    return {t["Key"]: _text(t["Value"]) for t in tags or []}


def stack_resource_tags(
    account_id: str, region_name: str, stack_id: str, logical_id: str, own: Any
) -> dict[str, str]:
    """The tags CloudFormation gives a resource: the stack's (its own and the aws:cloudformation
    ones) and the resource's own `Tags`, which win."""
    from moto.cloudformation.models import cloudformation_backends

    stack = cloudformation_backends[account_id][region_name].stacks.get(stack_id)
    tags: dict[str, str] = {}
    if stack is not None:
        tags.update(
            {
                "aws:cloudformation:stack-name": stack.name,
                "aws:cloudformation:stack-id": stack_id,
                "aws:cloudformation:logical-id": logical_id,
            }
        )
        tags.update(stack.tags or {})
    tags.update(_tag_map(own))
    return tags


def _refuse_unknown(resource_type: str, properties: dict[str, Any]) -> None:
    refused = sorted(set(properties) & NOT_SIMULATED.get(resource_type, frozenset()))
    if refused:
        raise HandlerFailed("NotSimulated", f"{resource_type} {', '.join(refused)}")


def _failure(error: Exception) -> str:
    """`<code>: <message>` of an error moto (or a handler here) raised."""
    code = getattr(error, "error_type", None) or getattr(error, "code", None)
    message = getattr(error, "message", None) or getattr(error, "description", None) or error
    code = code if isinstance(code, str) else type(error).__name__
    return f"{code}: {message}"


# -- parameters -----------------------------------------------------------------------------------


def parameter_problem(name: str, slot: dict[str, Any], value: Any) -> str | None:
    """Why `value` breaks the constraints of parameter `name` (None when it does not).

    For SSM parameter types, as in CloudFormation, the constraints apply to the SSM name given.
    """
    kind = str(slot.get("Type", "String"))
    if kind == "CommaDelimitedList" or kind.startswith("List<"):
        return None  # not checked (no template of the platform has one)
    text = _text(value)
    allowed = slot.get("AllowedValues")
    described = slot.get("ConstraintDescription")
    problem = None
    if allowed is not None and text not in [_text(v) for v in allowed]:
        problem = "must be one of AllowedValues"
    elif kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return f"Parameter '{name}' must be a number"
        if "MinValue" in slot and number < float(slot["MinValue"]):
            problem = f"must be a number not less than {slot['MinValue']}"
        elif "MaxValue" in slot and number > float(slot["MaxValue"]):
            problem = f"must be a number not greater than {slot['MaxValue']}"
    else:
        if "MinLength" in slot and len(text) < int(slot["MinLength"]):
            problem = f"must contain at least {slot['MinLength']} characters"
        elif "MaxLength" in slot and len(text) > int(slot["MaxLength"]):
            problem = f"must contain at most {slot['MaxLength']} characters"
        elif "AllowedPattern" in slot and not re.fullmatch(slot["AllowedPattern"], text):
            problem = f"must match pattern {slot['AllowedPattern']}"
    if problem is None:
        return None
    if described:
        return f"Parameter {name} failed to satisfy constraint: {described}"
    return f"Parameter '{name}' {problem}"


def _patch_parameters() -> None:
    from moto.cloudformation import parsing
    from moto.cloudformation.exceptions import ValidationError
    from moto.ssm import ssm_backends

    original = parsing.ResourceMap.load_parameters

    def load_parameters(self: Any) -> None:
        slots: dict[str, Any] = self._template.get("Parameters", {}) or {}
        unknown = sorted(set(self.input_parameters) - set(slots))
        if unknown:
            raise ValidationError(message=f"Parameters: [{', '.join(unknown)}] do not exist")
        raw = {name: self.input_parameters.get(name, s.get("Default")) for name, s in slots.items()}
        problems = [
            problem
            for name, slot in slots.items()
            if raw[name] is not None and (problem := parameter_problem(name, slot, raw[name]))
        ]
        ssm = ssm_backends[self._account_id][self._region_name]
        missing = [
            f"ssm:{raw[name]}"
            for name, slot in slots.items()
            if str(slot.get("Type", "")).startswith("AWS::SSM::Parameter::Value")
            and raw[name] is not None
            and ssm.get_parameter(raw[name]) is None
        ]
        if missing:
            problems.append(f"Parameters: [{', '.join(missing)}] cannot be found.")
        if problems:
            raise ValidationError(message="; ".join(problems))
        original(self)
        for name, slot in slots.items():  # Ref gives a Number parameter as the string given
            if slot.get("Type") == "Number" and raw[name] is not None:
                self.resolved_parameters[name] = self._parsed_resources[name] = _text(raw[name])

    parsing.ResourceMap.load_parameters = load_parameters  # type: ignore[method-assign]


# -- failures roll the stack back -----------------------------------------------------------------


def _patch_rollback() -> None:
    from moto.cloudformation import models, parsing
    from moto.core.exceptions import ServiceException
    from werkzeug.exceptions import HTTPException

    expected = (ServiceException, HTTPException, HandlerFailed)
    original_create = parsing.parse_and_create_resource
    original_resources = models.Stack.create_resources

    def parse_and_create_resource(
        logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return original_create(logical_id, resource_json, *args, **kwargs)
        except expected as error:
            raise ResourceFailed(logical_id, resource_json["Type"], _failure(error)) from error

    def create_resources(self: Any) -> None:
        try:
            original_resources(self)
        except ResourceFailed as failed:
            events = (
                (failed.logical_id, failed.resource_type, "CREATE_FAILED", failed.reason),
                (self.name, "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", str(failed)),
            )
            for logical_id, resource_type, status, reason in events:
                self.events.append(
                    models.Event(
                        self.stack_id,
                        self.name,
                        logical_id,
                        "",
                        resource_type,
                        status,
                        reason,
                        None,
                    )
                )
            resources = self.resource_map
            resources.delete()  # what was created; DeletionPolicy Retain keeps a resource
            # Only the kept resources remain (the map would create the others when listed).
            resources._resource_json_map = {
                k: v
                for k, v in resources._resource_json_map.items()
                if k in resources._parsed_resources
            }
            self.output_map = parsing.OutputMap(resources, {}, self.stack_id)
            self.status = "ROLLBACK_COMPLETE"
            self.stack_status_reason = (
                f"The following resource(s) failed to create: [{failed.logical_id}]. {failed}"
            )
            self._add_stack_event("ROLLBACK_COMPLETE")

    parsing.parse_and_create_resource = parse_and_create_resource  # type: ignore[assignment]
    models.Stack.create_resources = create_resources  # type: ignore[method-assign]


# -- the bucket's other settings ------------------------------------------------------------------


def lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule as S3's PutBucketLifecycleConfiguration rule."""
    known = {
        "Id",
        "Status",
        "Prefix",
        "ExpirationInDays",
        "ExpiredObjectDeleteMarker",
        "NoncurrentVersionExpiration",
        "NoncurrentVersionExpirationInDays",
        "AbortIncompleteMultipartUpload",
    }
    refused = sorted(set(rule) - known)
    if refused:
        raise HandlerFailed("NotSimulated", f"lifecycle rule {', '.join(refused)}")
    shaped: dict[str, Any] = {
        "Status": rule["Status"],
        "Filter": {"Prefix": rule.get("Prefix", "")},
    }
    if "Id" in rule:
        shaped["ID"] = rule["Id"]
    if "ExpirationInDays" in rule:
        shaped["Expiration"] = {"Days": _text(rule["ExpirationInDays"])}
    elif "ExpiredObjectDeleteMarker" in rule:
        shaped["Expiration"] = {
            "ExpiredObjectDeleteMarker": _text(rule["ExpiredObjectDeleteMarker"])
        }
    noncurrent = rule.get("NoncurrentVersionExpiration", {}).get(
        "NoncurrentDays", rule.get("NoncurrentVersionExpirationInDays")
    )
    if noncurrent is not None:
        shaped["NoncurrentVersionExpiration"] = {"NoncurrentDays": _text(noncurrent)}
    if "AbortIncompleteMultipartUpload" in rule:
        days = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
        shaped["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": _text(days)}
    return shaped


def _apply_bucket_settings(bucket: Any, properties: dict[str, Any], account_id: str) -> None:
    from moto.s3.models import s3_backends

    backend = s3_backends[account_id][bucket.partition]
    name = bucket.name
    if "BucketEncryption" in properties:
        rules = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        if len(rules) != 1:
            raise HandlerFailed("MalformedXML", "a bucket has exactly one encryption rule")
        default = rules[0]["ServerSideEncryptionByDefault"]
        by_default = {"SSEAlgorithm": default["SSEAlgorithm"]}
        if "KMSMasterKeyID" in default:
            by_default["KMSMasterKeyID"] = default["KMSMasterKeyID"]
        rule: dict[str, Any] = {"ApplyServerSideEncryptionByDefault": by_default}
        if "BucketKeyEnabled" in rules[0]:
            rule["BucketKeyEnabled"] = _text(rules[0]["BucketKeyEnabled"])
        backend.put_bucket_encryption(name, {"Rule": rule})
    if "PublicAccessBlockConfiguration" in properties:
        block = properties["PublicAccessBlockConfiguration"]
        backend.put_public_access_block(name, {k: _text(v) for k, v in block.items()})
    if "OwnershipControls" in properties:
        (ownership,) = properties["OwnershipControls"]["Rules"]
        backend.put_bucket_ownership_controls(name, ownership["ObjectOwnership"])
    if "VersioningConfiguration" in properties:
        backend.put_bucket_versioning(name, properties["VersioningConfiguration"]["Status"])
    if "LifecycleConfiguration" in properties:
        rules = [lifecycle_rule(r) for r in properties["LifecycleConfiguration"]["Rules"]]
        backend.put_bucket_lifecycle(name, rules)
    stack_id, logical_id = bucket.sandbox_stack
    tags = stack_resource_tags(
        account_id, bucket.region_name, stack_id, logical_id, properties.get("Tags")
    )
    backend.put_bucket_tagging(name, tags)


def _patch_bucket() -> None:
    from moto.s3 import models

    original_create = models.FakeBucket.create_from_cloudformation_json
    original_update = models.FakeBucket.update_from_cloudformation_json

    def refuse_unapplied(properties: dict[str, Any]) -> None:
        refused = sorted(set(properties) - BUCKET_PROPERTIES)
        if refused:
            raise HandlerFailed("NotSimulated", f"AWS::S3::Bucket {', '.join(refused)}")

    def create(
        cls: Any,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        properties = cloudformation_json.get("Properties", {})
        refuse_unapplied(properties)
        bucket = original_create(resource_name, cloudformation_json, account_id, region_name)
        bucket.sandbox_stack = (kwargs.get("StackId", ""), kwargs.get("LogicalId", ""))  # type: ignore[attr-defined]
        _apply_bucket_settings(bucket, properties, account_id)
        return bucket

    def update(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        refuse_unapplied(properties)
        bucket = original_update(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
        bucket.sandbox_stack = getattr(original_resource, "sandbox_stack", ("", ""))  # type: ignore[attr-defined]
        _apply_bucket_settings(bucket, properties, account_id)
        return bucket

    models.FakeBucket.create_from_cloudformation_json = classmethod(create)  # type: ignore[method-assign,assignment,arg-type]
    models.FakeBucket.update_from_cloudformation_json = classmethod(update)  # type: ignore[method-assign,assignment,arg-type]


# -- the resource types moto lacks -----------------------------------------------------------------


def bucket_policy_problem(bucket: str, document: dict[str, Any]) -> str | None:
    """S3 refuses a bucket policy with a resource outside the bucket ("Policy has invalid
    resource")."""
    arn = f"arn:aws:s3:::{bucket}"
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        resources = statement.get("Resource", [])
        for resource in resources if isinstance(resources, list) else [resources]:
            if resource != arn and not str(resource).startswith(f"{arn}/"):
                return f"Policy has invalid resource: {resource}"
    return None


def pipeline_trigger_problem(pipeline: dict[str, Any]) -> str | None:
    """CodePipeline accepts triggers on V2 pipelines only, each naming a CodeStarSourceConnection
    source action of the pipeline."""
    triggers = pipeline.get("triggers") or []
    if triggers and pipeline.get("pipelineType") != "V2":
        return "triggers are supported on V2 pipelines only"
    sources = {
        action["name"]
        for stage in pipeline.get("stages", [])
        for action in stage.get("actions", [])
        if action.get("actionTypeId", {}).get("category") == "Source"
        and action["actionTypeId"].get("provider") == "CodeStarSourceConnection"
    }
    for trigger in triggers:
        name = trigger.get("gitConfiguration", {}).get("sourceActionName")
        if trigger.get("providerType") != "CodeStarSourceConnection" or name not in sources:
            return f"trigger source action {name!r} is not a CodeStarSourceConnection source action"
    return None


def _define_models() -> list[type]:
    """The CloudFormation handlers of RESOURCE_TYPES, creating in moto's backends."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
    from moto.codebuild import responses as codebuild_api
    from moto.codebuild.models import codebuild_backends
    from moto.codepipeline.models import codepipeline_backends
    from moto.core.common_models import CloudFormationModel
    from moto.s3.models import s3_backends
    from moto.sagemaker.models import sagemaker_backends
    from moto.utilities.utils import get_partition

    from platform_sandbox import gaps

    class Handled:
        """moto's CloudFormationModel protocol for every handler here; a handler names its TYPE,
        NAME_PROPERTY and ATTRIBUTES and implements `create`, `update` and `remove`.

        `Ref` gives `physical_id`, `Fn::GetAtt` `attributes`. A change of the identity (the name;
        the bucket of a bucket policy) replaces the resource, as CloudFormation does, keeping the
        old one with `UpdateReplacePolicy: Retain`.
        """

        TYPE: ClassVar[str] = ""
        NAME_PROPERTY: ClassVar[str] = ""
        ATTRIBUTES: ClassVar[tuple[str, ...]] = ()

        def __init__(
            self, name: str, account_id: str, region: str, stack_id: str, logical_id: str
        ) -> None:
            self.name = self.physical_id = name
            self.account_id, self.region = account_id, region
            self.stack_id, self.logical_id = stack_id, logical_id
            self.attributes: dict[str, Any] = {}

        # -- what each handler implements --
        @classmethod
        def identity(cls, name: str, properties: dict[str, Any]) -> str:
            return name

        def create(self, properties: dict[str, Any]) -> None:
            raise NotImplementedError

        def update(self, properties: dict[str, Any]) -> None:
            raise NotImplementedError

        def remove(self) -> None:
            raise NotImplementedError

        # -- moto's protocol --
        @classmethod
        def cloudformation_type(cls) -> str:  # type: ignore[override]
            return cls.TYPE

        @classmethod
        def cloudformation_name_type(cls) -> str:  # type: ignore[override]
            return cls.NAME_PROPERTY

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr in cls.ATTRIBUTES

        @property
        def physical_resource_id(self) -> str:
            return self.physical_id

        def is_created(self) -> bool:
            return True

        def get_cfn_attribute(self, attribute_name: str) -> Any:
            if attribute_name not in self.ATTRIBUTES:
                raise UnformattedGetAttTemplateException()
            return self.attributes[attribute_name]

        def tags(self, own: Any) -> dict[str, str]:
            return stack_resource_tags(
                self.account_id, self.region, self.stack_id, self.logical_id, own
            )

        @classmethod
        def create_from_cloudformation_json(
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            properties = cloudformation_json["Properties"]
            _refuse_unknown(cls.TYPE, properties)
            name = cls.identity(resource_name, properties)
            ids = (kwargs.get("StackId", ""), kwargs.get("LogicalId", ""))
            handled = cls(name, account_id, region_name, *ids)
            handled.create(properties)
            return handled

        @classmethod
        def update_from_cloudformation_json(
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Any:
            properties = cloudformation_json["Properties"]
            _refuse_unknown(cls.TYPE, properties)
            if cls.identity(new_resource_name, properties) == original_resource.name:
                original_resource.update(properties)
                return original_resource
            replacement = cls.create_from_cloudformation_json(
                new_resource_name,
                cloudformation_json,
                account_id,
                region_name,
                StackId=original_resource.stack_id,
                LogicalId=original_resource.logical_id,
            )
            if cloudformation_json.get("UpdateReplacePolicy") != "Retain":
                original_resource.remove()
            return replacement

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, *args: Any
        ) -> None:
            raise NotImplementedError("resources are deleted through delete()")

        def delete(self, account_id: str, region_name: str) -> None:
            self.remove()

    class BucketPolicy(Handled, CloudFormationModel):
        TYPE = "AWS::S3::BucketPolicy"

        @classmethod
        def identity(cls, name: str, properties: dict[str, Any]) -> str:
            return str(properties["Bucket"])  # Ref gives the bucket's name

        def backend(self) -> Any:
            return s3_backends[self.account_id][get_partition(self.region)]

        def create(self, properties: dict[str, Any]) -> None:
            document = properties["PolicyDocument"]
            document = json.loads(document) if isinstance(document, str) else document
            problem = bucket_policy_problem(self.name, document)
            if problem:
                raise HandlerFailed("MalformedPolicy", problem)
            self.backend().put_bucket_policy(self.name, json.dumps(document).encode())

        update = create

        def remove(self) -> None:
            if self.name in self.backend().buckets:
                self.backend().delete_bucket_policy(self.name)

    class ModelPackageGroup(Handled, CloudFormationModel):
        TYPE = "AWS::SageMaker::ModelPackageGroup"
        NAME_PROPERTY = "ModelPackageGroupName"
        ATTRIBUTES = ("ModelPackageGroupArn", "CreationTime", "ModelPackageGroupStatus")

        def backend(self) -> Any:
            return sagemaker_backends[self.account_id][self.region]

        def create(self, properties: dict[str, Any]) -> None:
            name, backend = self.name, self.backend()
            if not _MODEL_PACKAGE_GROUP_NAME.match(name):
                raise HandlerFailed(
                    "ValidationException",
                    f"ModelPackageGroupName {name!r}: at most 63 letters, digits and hyphens, "
                    "starting and ending with a letter or digit",
                )
            if name in backend.model_package_groups:
                raise HandlerFailed(
                    "AlreadyExists",
                    f"Resource of type '{self.TYPE}' with identifier '{name}' already exists.",
                )
            self.physical_id = backend.create_model_package_group(name, None, [])  # Ref: the ARN
            group = backend.model_package_groups[name]
            self.attributes = {
                "ModelPackageGroupArn": self.physical_id,
                "CreationTime": group.creation_time.isoformat(),
                "ModelPackageGroupStatus": group.model_package_group_status,
            }
            self.update(properties)

        def update(self, properties: dict[str, Any]) -> None:
            group = self.backend().model_package_groups[self.name]
            group.model_package_group_description = properties.get("ModelPackageGroupDescription")
            tags = self.tags(properties.get("Tags"))
            group.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
            policy = properties.get("ModelPackageGroupPolicy")
            key = (self.account_id, self.region, self.name)
            if policy is None:
                gaps.GROUP_POLICIES.pop(key, None)
            else:
                gaps.GROUP_POLICIES[key] = policy if isinstance(policy, str) else json.dumps(policy)

        def remove(self) -> None:
            backend = self.backend()
            if any(
                p.model_package_group_name == self.name for p in backend.model_packages.values()
            ):
                raise HandlerFailed(
                    "ValidationException", f"model package group {self.name} has model packages"
                )
            backend.model_package_groups.pop(self.name, None)
            gaps.GROUP_POLICIES.pop((self.account_id, self.region, self.name), None)

    class BuildProject(Handled, CloudFormationModel):
        TYPE = "AWS::CodeBuild::Project"
        NAME_PROPERTY = "Name"
        ATTRIBUTES = ("Arn",)
        # CreateProject members moto's backend takes; any other is kept on the project as given.
        TAKEN = frozenset(
            {"name", "description", "source", "artifacts", "environment", "serviceRole", "cache"}
            | {"timeoutInMinutes", "queuedTimeoutInMinutes", "sourceVersion", "logsConfig"}
            | {"vpcConfig", "encryptionKey", "tags"}
        )

        def backend(self) -> Any:
            return codebuild_backends[self.account_id][self.region]

        def create(self, properties: dict[str, Any], created: Any = None) -> None:
            name, backend = self.name, self.backend()
            request = api_shape(properties, {"BuildSpec": "buildspec"})
            environment = request["environment"]
            for variable in environment.get("environmentVariables", []):
                variable["value"] = _text(variable["value"])
                variable.setdefault("type", "PLAINTEXT")
            # CreateProject's own checks (with the simulator's CODEPIPELINE source gap closed).
            codebuild_api._validate_required_params_source(request["source"])
            codebuild_api._validate_required_params_service_role(
                self.account_id, self.region, request["serviceRole"]
            )
            codebuild_api._validate_required_params_artifacts(request["artifacts"])
            codebuild_api._validate_required_params_environment(environment)
            codebuild_api._validate_required_params_project_name(name)
            if name in backend.codebuild_projects:
                raise HandlerFailed(
                    "ResourceAlreadyExistsException", f"Project already exists: {name}"
                )
            tags = self.tags(properties.get("Tags"))
            metadata = backend.create_project(
                project_name=name,
                description=request.get("description"),
                project_source=request["source"],
                artifacts=request["artifacts"],
                environment=environment,
                service_role=request["serviceRole"],
                tags=[{"key": k, "value": v} for k, v in tags.items()],
                cache=request.get("cache"),
                timeout=request.get("timeoutInMinutes", 60),  # CodeBuild's defaults
                queued_timeout=request.get("queuedTimeoutInMinutes", 480),
                source_version=request.get("sourceVersion"),
                logs_config=request.get("logsConfig"),
                vpc_config=request.get("vpcConfig"),
            )
            if request.get("encryptionKey"):
                metadata["encryptionKey"] = request["encryptionKey"]
            for member, value in request.items():
                if member == "badgeEnabled":
                    metadata["badge"] = {"badgeEnabled": value}
                elif member not in self.TAKEN:
                    metadata[member] = value
            if created is not None:
                metadata["created"] = created
            self.attributes = {"Arn": metadata["arn"]}

        def update(self, properties: dict[str, Any]) -> None:
            # UpdateProject: the same project (name, ARN, creation date, builds), new settings;
            # the project as it was when the new settings are refused.
            backend = self.backend()
            current = backend.codebuild_projects.pop(self.name)
            builds = backend.build_history.get(self.name, [])
            try:
                self.create(properties, current.project_metadata["created"])
            except Exception:
                backend.codebuild_projects[self.name] = current
                raise
            finally:
                backend.build_history[self.name] = builds

        def remove(self) -> None:
            self.backend().delete_project(self.name)

    class BuildPipeline(Handled, CloudFormationModel):
        TYPE = "AWS::CodePipeline::Pipeline"
        NAME_PROPERTY = "Name"
        ATTRIBUTES = ("Version",)
        # CloudFormation's own: what to do on stack updates, not part of the pipeline.
        CFN_ONLY = ("Tags", "RestartExecutionOnUpdate")

        def backend(self) -> Any:
            return codepipeline_backends[self.account_id][self.region]

        def pipeline(self, properties: dict[str, Any]) -> dict[str, Any]:
            pipeline: dict[str, Any] = api_shape(
                {k: v for k, v in properties.items() if k not in self.CFN_ONLY}
            )
            pipeline["name"] = self.name
            problem = pipeline_trigger_problem(pipeline)
            if problem:
                raise HandlerFailed("InvalidStructureException", problem)
            return pipeline

        def create(self, properties: dict[str, Any]) -> None:
            pipeline = self.pipeline(properties)
            self.backend().create_pipeline(pipeline, [])  # checks name, role trust, stages
            self.tag_and_describe(properties, pipeline)

        def update(self, properties: dict[str, Any]) -> None:
            pipeline = self.backend().update_pipeline(self.pipeline(properties))
            self.tag_and_describe(properties, pipeline)

        def tag_and_describe(self, properties: dict[str, Any], pipeline: dict[str, Any]) -> None:
            # Set directly: CodePipeline's TagResource refuses the aws:cloudformation tags.
            self.backend().pipelines[self.name].tags = self.tags(properties.get("Tags"))
            self.attributes = {"Version": _text(pipeline["version"])}

        def remove(self) -> None:
            self.backend().delete_pipeline(self.name)

    return [BucketPolicy, ModelPackageGroup, BuildProject, BuildPipeline]


def patch_cloudformation() -> None:
    """Close the CloudFormation gaps (server process only)."""
    from moto.cloudformation import parsing

    _MODELS.extend(_define_models())
    _patch_bucket()
    _patch_parameters()
    _patch_rollback()
    # moto caches its type -> model map on first use; the handlers above must be in it.
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    missing = set(RESOURCE_TYPES) - set(parsing.get_model_map())
    if missing:
        raise RuntimeError(f"CloudFormation handlers not registered: {sorted(missing)}")
