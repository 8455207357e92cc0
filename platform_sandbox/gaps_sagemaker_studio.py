"""SageMaker Studio in the simulator: domains, user profiles and MLflow tracking servers.

moto 5.2 answers CreateDomain and DescribeDomain only in part and knows neither user profiles nor
MLflow tracking servers. These patches (server process only, registered by
`gaps.patch_simulator`; the gaps themselves are listed in `gaps.GAPS`) keep what each request set
and describe it back the way SageMaker does, so that the Terraform provider's create, read,
waiters, update and delete work. Nothing runs behind them: no home EFS, no apps, no MLflow.
"""

from __future__ import annotations

import itertools
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

_ID_ALPHABET = string.ascii_lowercase + string.digits
# AWS assigns a maintenance window and the newest MLflow version when the request names none.
DEFAULT_MAINTENANCE_WINDOW = "Tue:03:30"
DEFAULT_MLFLOW_VERSION = "2.16.2"


def random_id(length: int) -> str:
    """Lower-case letters and digits, as in SageMaker's `d-...` domain and `t-...` server ids."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def merge_settings(current: dict[str, Any] | None, update: dict[str, Any] | None) -> Any:
    """An Update* call replaces the settings it names and keeps the others (top-level keys)."""
    if not update:
        return current
    return {**(current or {}), **update}


@dataclass
class StudioResource:
    """A user profile or MLflow tracking server: its description as AWS returns it, its tags."""

    description: dict[str, Any]
    tags: list[dict[str, str]] = field(default_factory=list)


# ARN -> every user profile and MLflow tracking server the simulator holds.
USER_PROFILES: dict[str, StudioResource] = {}
TRACKING_SERVERS: dict[str, StudioResource] = {}
_HOME_EFS_UIDS = itertools.count(200001)


def _check_domain_network(account: str, region: str, vpc_id: str, subnet_ids: list[str]) -> None:
    """SageMaker refuses a domain whose VPC or subnets do not exist (or not in that VPC)."""
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models import ec2_backends
    from moto.sagemaker.exceptions import ValidationError

    ec2 = ec2_backends[account][region]
    if vpc_id not in ec2.vpcs:
        raise ValidationError(f"Invalid VpcId: {vpc_id} does not exist")
    for subnet_id in subnet_ids or []:
        try:
            subnet = ec2.get_subnet(subnet_id)
        except EC2ClientError:
            raise ValidationError(f"Invalid SubnetIds: {subnet_id} does not exist") from None
        if subnet.vpc_id != vpc_id:
            raise ValidationError(f"Invalid SubnetIds: {subnet_id} is not in {vpc_id}")


def _patch_studio_domains() -> None:
    """Domain ids and URLs as SageMaker makes them (CreateDomain returns the id), TagPropagation
    kept, UpdateDomain, a missing domain is ResourceNotFound, DeleteDomain refused while user
    profiles remain."""
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.sagemaker import models, responses
    from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound
    from moto.sagemaker.utils import arn_formatter

    original_init = models.Domain.__init__
    original_describe = models.Domain.describe
    original_create = responses.SageMakerResponse.create_domain
    original_delete = models.SageMakerModelBackend.delete_domain

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.id = f"d-{random_id(12)}"
        self.arn = arn_formatter("domain", self.id, self.account_id, self.region_name)
        self.url = f"https://{self.id}.studio.{self.region_name}.sagemaker.aws"
        self.tags = list(self.tags or [])
        self.tag_propagation = "DISABLED"

    def describe(self: Any) -> dict[str, Any]:
        return {**original_describe(self), "TagPropagation": self.tag_propagation}

    def find(backend: Any, domain_id: str) -> Any:
        if domain_id not in backend.domains:
            raise ResourceNotFound(f"Cannot find Domain {domain_id}")
        return backend.domains[domain_id]

    def describe_domain(self: Any, domain_id: str) -> dict[str, Any]:
        return find(self, domain_id).describe()  # type: ignore[no-any-return]

    def delete_domain(self: Any, domain_id: str, retention_policy: Any) -> None:
        domain = find(self, domain_id)
        if any(p.description["DomainId"] == domain_id for p in USER_PROFILES.values()):
            raise ResourceInUseException(f"Domain {domain.arn} still has user profiles")
        original_delete(self, domain_id, retention_policy)

    def create_domain(self: Any) -> Any:
        _check_domain_network(
            self.current_account,
            self.region,
            self._get_param("VpcId"),
            self._get_param("SubnetIds"),
        )
        result: Any = original_create(self)
        domain_id = str(result.result["DomainArn"]).rsplit("/", 1)[-1]
        domain = self.sagemaker_backend.domains[domain_id]
        domain.tag_propagation = self._get_param("TagPropagation") or "DISABLED"
        return ActionResult({**result.result, "DomainId": domain_id})

    def update_domain(self: Any) -> Any:
        domain = find(self.sagemaker_backend, self._get_param("DomainId"))
        domain.default_user_settings = merge_settings(
            domain.default_user_settings, self._get_param("DefaultUserSettings")
        )
        domain.default_space_settings = merge_settings(
            domain.default_space_settings, self._get_param("DefaultSpaceSettings")
        )
        domain.domain_settings = merge_settings(
            domain.domain_settings, self._get_param("DomainSettingsForUpdate")
        )
        if self._get_param("SubnetIds"):
            _check_domain_network(
                self.current_account, self.region, domain.vpc_id, self._get_param("SubnetIds")
            )
            domain.subnet_ids = self._get_param("SubnetIds")
        for attribute, parameter in (
            ("app_network_access_type", "AppNetworkAccessType"),
            ("app_security_group_management", "AppSecurityGroupManagement"),
            ("tag_propagation", "TagPropagation"),
        ):
            if self._get_param(parameter):
                setattr(domain, attribute, self._get_param(parameter))
        domain.last_modified_time = utcnow()
        return ActionResult({"DomainArn": domain.arn})

    models.Domain.__init__ = init  # type: ignore[method-assign]
    models.Domain.describe = describe  # type: ignore[method-assign]
    models.SageMakerModelBackend.describe_domain = describe_domain  # type: ignore[method-assign]
    models.SageMakerModelBackend.delete_domain = delete_domain  # type: ignore[method-assign]
    responses.SageMakerResponse.create_domain = create_domain  # type: ignore[method-assign]
    responses.SageMakerResponse.update_domain = update_domain  # type: ignore[attr-defined]


def _patch_studio_user_profiles() -> None:
    """Create, Describe, Update, Delete and ListUserProfiles in a domain that exists."""
    from moto.core.responses import ActionResult, EmptyResult
    from moto.core.utils import utcnow
    from moto.sagemaker import responses
    from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError
    from moto.sagemaker.utils import arn_formatter

    def arn_of(self: Any, domain_id: str, name: str) -> str:
        return arn_formatter(
            "user-profile", f"{domain_id}/{name}", self.current_account, self.region
        )

    def find(self: Any) -> StudioResource:
        domain_id, name = self._get_param("DomainId"), self._get_param("UserProfileName")
        profile = USER_PROFILES.get(arn_of(self, domain_id, name))
        if profile is None:
            raise ResourceNotFound(f"User profile {name} does not exist in domain {domain_id}")
        return profile

    def create_user_profile(self: Any) -> Any:
        domain = self.sagemaker_backend.describe_domain(self._get_param("DomainId"))
        name = self._get_param("UserProfileName")
        arn = arn_of(self, domain["DomainId"], name)
        if arn in USER_PROFILES:
            raise ResourceInUseException(f"User profile {name} already exists")
        identifier = self._get_param("SingleSignOnUserIdentifier")
        value = self._get_param("SingleSignOnUserValue")
        if (domain["AuthMode"] == "SSO") != bool(identifier and value):
            raise ValidationError(
                "SingleSignOnUserIdentifier and SingleSignOnUserValue are required in a domain "
                "with AuthMode SSO and not allowed in any other"
            )
        now = utcnow()
        USER_PROFILES[arn] = StudioResource(
            {
                "DomainId": domain["DomainId"],
                "UserProfileArn": arn,
                "UserProfileName": name,
                "HomeEfsFileSystemUid": str(next(_HOME_EFS_UIDS)),
                "Status": "InService",
                "CreationTime": now,
                "LastModifiedTime": now,
                "SingleSignOnUserIdentifier": identifier,
                "SingleSignOnUserValue": value,
                "UserSettings": self._get_param("UserSettings"),
            },
            list(self._get_param("Tags") or []),
        )
        return ActionResult({"UserProfileArn": arn})

    def describe_user_profile(self: Any) -> Any:
        return ActionResult(find(self).description)

    def update_user_profile(self: Any) -> Any:
        profile = find(self).description
        profile["UserSettings"] = merge_settings(
            profile["UserSettings"], self._get_param("UserSettings")
        )
        profile["LastModifiedTime"] = utcnow()
        return ActionResult({"UserProfileArn": profile["UserProfileArn"]})

    def delete_user_profile(self: Any) -> Any:
        del USER_PROFILES[find(self).description["UserProfileArn"]]
        return EmptyResult()

    def list_user_profiles(self: Any) -> Any:
        domain_id = self._get_param("DomainIdEquals")
        # ".../user-profile/<domain>/" for one domain, ".../user-profile/" for all of them
        prefix = arn_of(self, domain_id, "") if domain_id else arn_of(self, "", "")[:-1]
        contains = self._get_param("UserProfileNameContains") or ""
        keys = ("DomainId", "UserProfileName", "Status", "CreationTime", "LastModifiedTime")
        summaries = [
            {key: profile.description[key] for key in keys}
            for arn, profile in sorted(USER_PROFILES.items())
            if arn.startswith(prefix) and contains in profile.description["UserProfileName"]
        ]
        return ActionResult({"UserProfiles": summaries})

    response = responses.SageMakerResponse
    response.create_user_profile = create_user_profile  # type: ignore[attr-defined]
    response.describe_user_profile = describe_user_profile  # type: ignore[attr-defined]
    response.update_user_profile = update_user_profile  # type: ignore[attr-defined]
    response.delete_user_profile = delete_user_profile  # type: ignore[attr-defined]
    response.list_user_profiles = list_user_profiles  # type: ignore[attr-defined]


def _patch_mlflow_tracking_servers() -> None:
    """Create, Describe, Update, Delete and ListMlflowTrackingServers (status Created/Updated at
    once; the role must exist)."""
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.iam.models import iam_backends
    from moto.sagemaker import responses
    from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError
    from moto.sagemaker.utils import arn_formatter
    from moto.utilities.utils import get_partition

    updatable = (
        "ArtifactStoreUri",
        "TrackingServerSize",
        "AutomaticModelRegistration",
        "WeeklyMaintenanceWindowStart",
    )

    def arn_of(self: Any) -> str:
        name = self._get_param("TrackingServerName")
        return arn_formatter("mlflow-tracking-server", name, self.current_account, self.region)

    def find(self: Any) -> StudioResource:
        server = TRACKING_SERVERS.get(arn_of(self))
        if server is None:
            name = self._get_param("TrackingServerName")
            raise ResourceNotFound(f"Tracking server {name} does not exist")
        return server

    def create_mlflow_tracking_server(self: Any) -> Any:
        arn, name = arn_of(self), self._get_param("TrackingServerName")
        if arn in TRACKING_SERVERS:
            raise ResourceInUseException(f"Tracking server {name} already exists")
        role_arn = self._get_param("RoleArn")
        roles = iam_backends[self.current_account][get_partition(self.region)].roles.values()
        if role_arn not in {role.arn for role in roles}:
            raise ValidationError(f"RoleArn {role_arn} does not exist")
        if not str(self._get_param("ArtifactStoreUri")).startswith("s3://"):
            raise ValidationError("ArtifactStoreUri must be an s3:// URI")
        now = utcnow()
        TRACKING_SERVERS[arn] = StudioResource(
            {
                "TrackingServerArn": arn,
                "TrackingServerName": name,
                "ArtifactStoreUri": self._get_param("ArtifactStoreUri"),
                "TrackingServerSize": self._get_param("TrackingServerSize") or "Small",
                "MlflowVersion": self._get_param("MlflowVersion") or DEFAULT_MLFLOW_VERSION,
                "RoleArn": role_arn,
                "TrackingServerStatus": "Created",
                "IsActive": "Active",
                "TrackingServerUrl": f"https://t-{random_id(12)}.{self.region}"
                ".experiments.sagemaker.aws",
                "WeeklyMaintenanceWindowStart": self._get_param("WeeklyMaintenanceWindowStart")
                or DEFAULT_MAINTENANCE_WINDOW,
                "AutomaticModelRegistration": bool(self._get_param("AutomaticModelRegistration")),
                "CreationTime": now,
                "LastModifiedTime": now,
            },
            list(self._get_param("Tags") or []),
        )
        return ActionResult({"TrackingServerArn": arn})

    def describe_mlflow_tracking_server(self: Any) -> Any:
        return ActionResult(find(self).description)

    def update_mlflow_tracking_server(self: Any) -> Any:
        server = find(self).description
        for key in updatable:
            if self._get_param(key) is not None:
                server[key] = self._get_param(key)
        server["TrackingServerStatus"] = "Updated"
        server["LastModifiedTime"] = utcnow()
        return ActionResult({"TrackingServerArn": server["TrackingServerArn"]})

    def delete_mlflow_tracking_server(self: Any) -> Any:
        arn = find(self).description["TrackingServerArn"]
        del TRACKING_SERVERS[arn]
        return ActionResult({"TrackingServerArn": arn})

    def list_mlflow_tracking_servers(self: Any) -> Any:
        prefix = arn_formatter("mlflow-tracking-server", "", self.current_account, self.region)
        keys = (
            "TrackingServerArn",
            "TrackingServerName",
            "CreationTime",
            "LastModifiedTime",
            "TrackingServerStatus",
            "IsActive",
            "MlflowVersion",
        )
        summaries = [
            {key: server.description[key] for key in keys}
            for arn, server in sorted(TRACKING_SERVERS.items())
            if arn.startswith(prefix)
        ]
        return ActionResult({"TrackingServerSummaries": summaries})

    response = responses.SageMakerResponse
    response.create_mlflow_tracking_server = create_mlflow_tracking_server  # type: ignore[attr-defined]
    response.describe_mlflow_tracking_server = describe_mlflow_tracking_server  # type: ignore[attr-defined]
    response.update_mlflow_tracking_server = update_mlflow_tracking_server  # type: ignore[attr-defined]
    response.delete_mlflow_tracking_server = delete_mlflow_tracking_server  # type: ignore[attr-defined]
    response.list_mlflow_tracking_servers = list_mlflow_tracking_servers  # type: ignore[attr-defined]


def _patch_studio_tags() -> None:
    """AddTags, ListTags and DeleteTags reach user profiles and tracking servers; AddTags with a
    key the resource already has replaces its value."""
    from moto.sagemaker import models
    from moto.sagemaker.exceptions import ResourceNotFound

    original_resource = models.SageMakerModelBackend._get_resource_from_arn

    def resource_from_arn(self: Any, arn: str) -> Any:
        for store in (USER_PROFILES, TRACKING_SERVERS):
            if arn in store:
                return store[arn]
        if arn.rsplit(":", 1)[-1].split("/")[0] in ("user-profile", "mlflow-tracking-server"):
            raise ResourceNotFound(f"Cannot find resource {arn}")
        return original_resource(self, arn)

    def add_tags(self: Any, arn: str, tags: list[dict[str, str]]) -> list[dict[str, str]]:
        resource = self._get_resource_from_arn(arn)
        keys = {tag["Key"] for tag in tags}
        resource.tags = [tag for tag in resource.tags or [] if tag["Key"] not in keys] + tags
        return resource.tags  # type: ignore[no-any-return]

    models.SageMakerModelBackend._get_resource_from_arn = resource_from_arn  # type: ignore[method-assign]
    models.SageMakerModelBackend.add_tags = add_tags  # type: ignore[method-assign]
