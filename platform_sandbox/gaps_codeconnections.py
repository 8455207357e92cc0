"""AWS CodeConnections in the simulator: connections to third-party source providers.

moto 5.2 has no CodeConnections service at all (neither `codeconnections` nor its predecessor
`codestar-connections`): the server cannot route the requests, and every call of the Terraform
provider's `aws_codeconnections_connection` fails with HTTP 500 (retried until the apply times
out). This module is a small CodeConnections of its own, served by the simulator
(`patch_codeconnections`, server process only, registered by `gaps.patch_simulator`; the gap is
listed in `gaps.GAPS`):

- Connections: CreateConnection, GetConnection, ListConnections, DeleteConnection; tags:
  TagResource, UntagResource, ListTagsForResource. Per account (the request's credentials, as
  moto's own backends resolve them) and region, in a moto `BackendDict` (reset with the others).
- A connection is PENDING, as AWS leaves every connection created through the API until someone
  completes the provider's handshake in the console; nothing ever reaches a repository through it.
- AWS's errors: ResourceNotFoundException (unknown ARN, or another account's or region's),
  LimitExceededException (250 connections per account and region, 50 tags per connection),
  ValidationException in the wording of AWS's request validation (name longer than 32
  characters, unknown provider type, malformed ARN, ...), InvalidInputException (neither a
  provider type nor a host).
- Hosts (GitHub Enterprise Server, GitLab self-managed installations) are not simulated: a
  connection through a host is refused with ResourceUnavailableException, as AWS refuses one
  through a host that is not set up; no connection has a HostArn.
- The JSON 1.0 protocol (`X-Amz-Target: CodeConnections_20231201.<Operation>`), which both the
  Terraform provider's Go SDK and boto3 send; the Smithy RPC v2 CBOR protocol AWS also serves
  for this API is not.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SERVICE = "codeconnections"
TARGET_PREFIX = "CodeConnections_20231201"
ERROR_NAMESPACE = "com.amazonaws.codeconnections"
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"
# The provider types CreateConnection accepts (AWS's API model, botocore 1.44).
PROVIDER_TYPES = (
    "Bitbucket",
    "GitHub",
    "GitHubEnterpriseServer",
    "GitLab",
    "GitLabSelfManaged",
    "AzureDevOps",
    "GitHubEnterpriseCloudDataResidency",
)
CONNECTION_STATUS = "PENDING"  # until the console handshake, which never happens here
CONNECTION_LIMIT = 250  # connections per account and region
TAG_LIMIT = 50  # tags per resource (AWS's limit for tagged resources)
NAME_MAX = 32
PAGE_MAX = 100
# Patterns of AWS's API model, as its request validation quotes them.
CONNECTION_ARN_PATTERN = (
    r"arn:aws(-[\w]+)*:(codestar-connections|codeconnections):[a-z0-9\-]+:[0-9]{12}:"
    r"connection\/[\w\-]+"
)
HOST_ARN_PATTERN = r"arn:aws(-[\w]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host\/.+"
RESOURCE_ARN_PATTERN = r"arn:aws(-[\w]+)*:.+:.+:[0-9]{12}:.+"
_CONNECTION_ARN = re.compile(
    r"arn:(?P<partition>aws(-[\w]+)*):(codestar-connections|codeconnections):"
    r"(?P<region>[a-z0-9\-]+):(?P<account>[0-9]{12}):connection/(?P<id>[\w\-]+)"
)


# -- errors -------------------------------------------------------------------------------------


class CodeConnectionsError(Exception):
    """An error reply: its code (`__type`), message and HTTP status as AWS's model gives them."""

    def __init__(self, code: str, message: str, status: int = 400, namespace: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.namespace = namespace or ERROR_NAMESPACE

    @property
    def type(self) -> str:
        return f"{self.namespace}#{self.code}"


def not_found(arn: str) -> CodeConnectionsError:
    return CodeConnectionsError(
        "ResourceNotFoundException", f"Resource not found: {arn} does not exist", 404
    )


def serialization_error(message: str) -> CodeConnectionsError:
    return CodeConnectionsError("SerializationException", message, 400, "com.amazon.coral.service")


class Constraints:
    """AWS's request validation: every violated constraint, reported at once as one
    ValidationException ("2 validation errors detected: Value 'x' at 'connectionName' failed to
    satisfy constraint: Member must have length less than or equal to 32; ...")."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def _fail(self, value: Any, member: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{value}'"
        self.problems.append(
            f"Value {shown} at '{member}' failed to satisfy constraint: Member must {constraint}"
        )

    def required(self, member: str, value: Any) -> bool:
        if value is None:
            self._fail(None, member, "not be null")
            return False
        return True

    def length(self, member: str, value: Any, low: int, high: int) -> None:
        if value is None:
            return
        if len(value) < low:
            self._fail(value, member, f"have length greater than or equal to {low}")
        elif len(value) > high:
            self._fail(value, member, f"have length less than or equal to {high}")

    def range(self, member: str, value: int | None, low: int, high: int) -> None:
        if value is None:
            return
        if value < low:
            self._fail(value, member, f"have value greater than or equal to {low}")
        elif value > high:
            self._fail(value, member, f"have value less than or equal to {high}")

    def enum(self, member: str, value: str | None, allowed: tuple[str, ...]) -> None:
        if value is not None and value not in allowed:
            self._fail(value, member, f"satisfy enum value set: [{', '.join(allowed)}]")

    def pattern(self, member: str, value: str | None, pattern: str) -> None:
        if value is not None and not re.fullmatch(pattern, value):
            self._fail(value, member, f"satisfy regular expression pattern: {pattern}")

    def tags(self, member: str, tags: list[dict[str, Any]] | None) -> None:
        if tags is None:
            return
        self.length(member, tags, 0, 200)
        for index, tag in enumerate(tags, start=1):
            where = f"{member}.{index}.member"
            if self.required(f"{where}.key", tag.get("Key")):
                self.length(f"{where}.key", tag["Key"], 1, 128)
            if self.required(f"{where}.value", tag.get("Value")):
                self.length(f"{where}.value", tag["Value"], 0, 256)

    def check(self) -> None:
        if not self.problems:
            return
        count = len(self.problems)
        noun = "error" if count == 1 else "errors"
        raise CodeConnectionsError(
            "ValidationException",
            f"{count} validation {noun} detected: " + "; ".join(self.problems),
            400,
            "com.amazon.coral.validate",
        )


# -- connections --------------------------------------------------------------------------------


@dataclass
class Connection:
    """One connection as GetConnection describes it, and its tags (in the order they came)."""

    arn: str
    name: str
    provider_type: str
    owner_account_id: str
    status: str = CONNECTION_STATUS
    tags: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "ConnectionName": self.name,
            "ConnectionArn": self.arn,
            "ProviderType": self.provider_type,
            "OwnerAccountId": self.owner_account_id,
            "ConnectionStatus": self.status,
        }


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


class Connections:
    """The connections of one account in one region."""

    def __init__(self, account_id: str, region: str, partition: str = "aws") -> None:
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}  # connection id -> connection

    def _find(self, arn: str) -> Connection:
        """The connection an ARN names: its `codeconnections` or its older `codestar-connections`
        form (AWS answers both for the same connection), in this account and region only."""
        match = _CONNECTION_ARN.fullmatch(arn)
        if (
            match is None
            or (match["partition"], match["region"], match["account"])
            != (self.partition, self.region, self.account_id)
            or match["id"] not in self._connections
        ):
            raise not_found(arn)
        return self._connections[match["id"]]

    def create(
        self, name: str, provider_type: str | None, host_arn: str | None, tags: dict[str, str]
    ) -> Connection:
        if host_arn is not None:
            raise CodeConnectionsError(
                "ResourceUnavailableException",
                f"Host {host_arn} is not available: the simulator has no hosts",
            )
        if provider_type is None:
            raise CodeConnectionsError(
                "InvalidInputException", "Either a ProviderType or a HostArn must be specified"
            )
        self._check_tag_limit(tags)
        with self._lock:
            if len(self._connections) >= CONNECTION_LIMIT:
                raise CodeConnectionsError(
                    "LimitExceededException",
                    f"Exceeded the maximum limit for connections ({CONNECTION_LIMIT} in "
                    f"{self.region})",
                    429,
                )
            connection_id = str(uuid.uuid4())
            arn = (
                f"arn:{self.partition}:{SERVICE}:{self.region}:{self.account_id}:"
                f"connection/{connection_id}"
            )
            connection = Connection(arn, name, provider_type, self.account_id, tags=dict(tags))
            self._connections[connection_id] = connection
        return connection

    def get(self, arn: str) -> Connection:
        with self._lock:
            return self._find(arn)

    def matching(self, provider_type: str | None, host_arn: str | None) -> list[Connection]:
        with self._lock:
            connections = list(self._connections.values())
        if host_arn is not None:
            return []  # no connection goes through a host (hosts are not simulated)
        return [c for c in connections if provider_type in (None, c.provider_type)]

    def delete(self, arn: str) -> None:
        with self._lock:
            connection = self._find(arn)
            del self._connections[connection.arn.rsplit("/", 1)[-1]]

    def tags(self, arn: str) -> dict[str, str]:
        with self._lock:
            return dict(self._find(arn).tags)

    def tag(self, arn: str, tags: dict[str, str]) -> None:
        with self._lock:
            connection = self._find(arn)
            self._check_tag_limit({**connection.tags, **tags})
            connection.tags.update(tags)

    def untag(self, arn: str, keys: list[str]) -> None:
        with self._lock:
            connection = self._find(arn)
            for key in keys:
                connection.tags.pop(key, None)

    @staticmethod
    def _check_tag_limit(tags: dict[str, str]) -> None:
        if len(tags) > TAG_LIMIT:
            raise CodeConnectionsError(
                "LimitExceededException",
                f"A resource can have at most {TAG_LIMIT} tags ({len(tags)} requested)",
                429,
            )


# -- operations ---------------------------------------------------------------------------------


def _string(params: dict[str, Any], key: str) -> Any:
    value = params.get(key)
    if value is not None and not isinstance(value, str):
        raise serialization_error(f"{key} must be a string")
    return value


def _tags_param(params: dict[str, Any], key: str = "Tags") -> list[dict[str, Any]] | None:
    tags = params.get(key)
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(isinstance(t, dict) for t in tags):
        raise serialization_error(f"{key} must be a list of Key/Value structures")
    return tags


def _tag_map(tags: list[dict[str, Any]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in tags or []}


def _connection_arn(params: dict[str, Any]) -> str:
    return _arn_param(params, "ConnectionArn", CONNECTION_ARN_PATTERN, 0, 256)


def _resource_arn(params: dict[str, Any]) -> str:
    return _arn_param(params, "ResourceArn", RESOURCE_ARN_PATTERN, 1, 1011)


def _arn_param(params: dict[str, Any], key: str, pattern: str, low: int, high: int) -> str:
    member = key[0].lower() + key[1:]
    checks = Constraints()
    arn = _string(params, key)
    if checks.required(member, arn):
        checks.length(member, arn, low, high)
        checks.pattern(member, arn, pattern)
    checks.check()
    return str(arn)


def create_connection(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    name, provider_type = _string(params, "ConnectionName"), _string(params, "ProviderType")
    host_arn, tags = _string(params, "HostArn"), _tags_param(params)
    checks = Constraints()
    if checks.required("connectionName", name):
        checks.length("connectionName", name, 1, NAME_MAX)
    checks.enum("providerType", provider_type, PROVIDER_TYPES)
    checks.length("hostArn", host_arn, 0, 256)
    checks.pattern("hostArn", host_arn, HOST_ARN_PATTERN)
    checks.tags("tags", tags)
    checks.check()
    connection = store.create(name, provider_type, host_arn, _tag_map(tags))
    reply: dict[str, Any] = {"ConnectionArn": connection.arn}
    if tags:
        reply["Tags"] = tag_list(connection.tags)
    return reply


def get_connection(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    arn = _connection_arn(params)
    return {"Connection": store.get(arn).describe()}


def list_connections(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    provider_type = _string(params, "ProviderTypeFilter")
    host_arn = _string(params, "HostArnFilter")
    token, limit = _string(params, "NextToken"), params.get("MaxResults")
    checks = Constraints()
    checks.enum("providerTypeFilter", provider_type, PROVIDER_TYPES)
    checks.length("hostArnFilter", host_arn, 0, 256)
    checks.pattern("hostArnFilter", host_arn, HOST_ARN_PATTERN)
    if limit is not None and not isinstance(limit, int):
        raise serialization_error("MaxResults must be an integer")
    checks.range("maxResults", limit, 0, PAGE_MAX)
    checks.length("nextToken", token, 1, 2048)
    checks.check()
    start = _page_start(token)
    connections = store.matching(provider_type, host_arn)
    end = start + (limit or PAGE_MAX)
    reply: dict[str, Any] = {"Connections": [c.describe() for c in connections[start:end]]}
    if end < len(connections):
        reply["NextToken"] = base64.urlsafe_b64encode(f"offset:{end}".encode()).decode()
    return reply


def _page_start(token: str | None) -> int:
    if token is None:
        return 0
    try:
        label, offset = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        if label == "offset" and int(offset) >= 0:
            return int(offset)
    except ValueError:
        pass
    raise CodeConnectionsError("ValidationException", f"Invalid NextToken: {token}")


def delete_connection(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    store.delete(_connection_arn(params))
    return {}


def tag_resource(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    arn = _resource_arn(params)
    tags = _tags_param(params)
    checks = Constraints()
    if checks.required("tags", tags):
        checks.tags("tags", tags)
    checks.check()
    store.tag(arn, _tag_map(tags))
    return {}


def untag_resource(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    arn = _resource_arn(params)
    keys: list[str] | None = params.get("TagKeys")
    if keys is not None and (
        not isinstance(keys, list) or not all(isinstance(k, str) for k in keys)
    ):
        raise serialization_error("TagKeys must be a list of strings")
    checks = Constraints()
    if checks.required("tagKeys", keys):
        checks.length("tagKeys", keys, 0, 200)
        for index, key in enumerate(keys or [], start=1):
            checks.length(f"tagKeys.{index}.member", key, 1, 128)
    checks.check()
    store.untag(arn, keys or [])
    return {}


def list_tags_for_resource(store: Connections, params: dict[str, Any]) -> dict[str, Any]:
    arn = _resource_arn(params)
    return {"Tags": tag_list(store.tags(arn))}


OPERATIONS: dict[str, Callable[[Connections, dict[str, Any]], dict[str, Any]]] = {
    "CreateConnection": create_connection,
    "GetConnection": get_connection,
    "ListConnections": list_connections,
    "DeleteConnection": delete_connection,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}


# -- the wire: JSON 1.0 ------------------------------------------------------------------------


def operation_of(target: str | None) -> str | None:
    """The operation an `X-Amz-Target` names: `CodeConnections_20231201.<Operation>` (what the
    Go SDK sends) or `com.amazonaws.codeconnections.CodeConnections_20231201.<Operation>` (what
    boto3 sends); None when it names another service or nothing."""
    prefix, _, operation = (target or "").rpartition(".")
    if prefix.rsplit(".", 1)[-1] == TARGET_PREFIX and operation:
        return operation
    return None


def answer(
    store_for: Callable[[], Connections], headers: Any, body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """One request's reply as (status, headers, JSON body); an error is AWS's JSON error
    (`__type` = namespace#code, `message`) with the status AWS's model gives it."""
    name = operation_of(headers.get("X-Amz-Target"))
    try:
        operation = OPERATIONS.get(name or "")
        if operation is None:
            raise CodeConnectionsError(
                "UnknownOperationException",
                f"The simulator does not implement CodeConnections operation {name}",
                400,
                "com.amazon.coral.service",
            )
        status, reply = 200, operation(store_for(), _decode_params(body))
    except CodeConnectionsError as error:
        status, reply = error.status, {"__type": error.type, "message": error.message}
    reply_headers = {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-RequestId": str(uuid.uuid4())}
    return status, reply_headers, json.dumps(reply).encode("utf-8")


def _decode_params(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        params = json.loads(body)
    except ValueError as error:
        raise serialization_error("The request body is not valid JSON") from error
    if not isinstance(params, dict):
        raise serialization_error("The request body is not a JSON object")
    return params


# -- moto glue (server process) -----------------------------------------------------------------


_ONCE_LOCK = threading.RLock()


def _once(factory: Callable[[], Any]) -> Callable[[], Any]:
    """`factory`'s value, made on the first call only, even with concurrent first calls (the
    server is threaded: two stores made at once would each keep a part of the connections)."""
    made: list[Any] = []

    @functools.wraps(factory)
    def value() -> Any:
        if not made:
            with _ONCE_LOCK:
                if not made:
                    made.append(factory())
        return made[0]

    return value


@_once
def backends() -> Any:
    """Every account's and region's connections: a moto BackendDict (moto's reset clears it)."""
    from moto.core.base_backend import BackendDict, BaseBackend

    class CodeConnectionsBackend(BaseBackend):
        def __init__(self, region_name: str, account_id: str) -> None:
            super().__init__(region_name, account_id)
            self.connections = Connections(account_id, region_name, self.partition)

    # botocore's endpoint data names no region for CodeConnections (it resolves endpoints by
    # rules): every region of the AWS partitions serves it here.
    return BackendDict(
        CodeConnectionsBackend, SERVICE, use_boto3_regions=False, additional_regions=_regions()
    )


def _regions() -> list[str]:
    from botocore.session import get_session

    session = get_session()
    return [
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("ec2", partition_name=partition)
    ]


@_once
def _response_class() -> Any:
    from moto.core.responses import BaseResponse

    class CodeConnectionsResponse(BaseResponse):
        """moto's request handling (region from the signature, account from the credentials);
        the reply is `answer`'s."""

        def __init__(self) -> None:
            super().__init__(service_name=SERVICE)

        def call_action(self) -> Any:
            def store() -> Connections:
                backend = backends()[self.current_account][self.region]
                return backend.connections  # type: ignore[no-any-return]

            body = self.raw_body if isinstance(self.raw_body, bytes) else b""
            return answer(store, self.headers, body)

    return CodeConnectionsResponse


@_once
def application() -> Any:
    """The CodeConnections endpoint as a WSGI app (Flask, like moto's per-service apps)."""
    from flask import Flask
    from moto.core.utils import convert_to_flask_response
    from moto.moto_server.werkzeug_app import BackendRequest

    app = Flask("sandbox-codeconnections")
    app.request_class = BackendRequest
    view = convert_to_flask_response(_response_class().dispatch)
    app.add_url_rule("/", "codeconnections", view, methods=["POST"])
    return app


def _signing_service(environ: dict[str, Any]) -> str | None:
    """The service of a SigV4 request's credential scope (`<key>/<date>/<region>/<service>/...`)."""
    authorization = environ.get("HTTP_AUTHORIZATION") or ""
    match = re.search(r"Credential=[^/,\s]+/[^/]+/[^/]+/([^/]+)/", authorization)
    return match.group(1) if match else None


def is_codeconnections_request(environ: dict[str, Any]) -> bool:
    """Signed for `codeconnections`, or (unsigned) with a CodeConnections target."""
    service = _signing_service(environ)
    if service is not None:
        return service == SERVICE
    return operation_of(environ.get("HTTP_X_AMZ_TARGET")) is not None


def patch_codeconnections() -> None:
    """Route CodeConnections requests to `application()` (idempotent per server process)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if getattr(DomainDispatcherApplication, "sandbox_codeconnections", False):
        return
    backends(), application()  # made before the first request
    original = DomainDispatcherApplication.get_application

    def get_application(self: Any, environ: dict[str, Any]) -> Any:
        if is_codeconnections_request(environ):
            return application()
        return original(self, environ)

    DomainDispatcherApplication.get_application = get_application  # type: ignore[method-assign]
    DomainDispatcherApplication.sandbox_codeconnections = True  # type: ignore[attr-defined]
