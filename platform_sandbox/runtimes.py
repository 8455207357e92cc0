"""How the platform's own code runs against the simulated AWS, with what Terraform applied.

moto runs no Lambda function and no CodeBuild build, so the sandbox plays those services:

* Lambda: the function's configuration is read back (GetFunctionConfiguration); its code is the
  stack asset whose SHA-256 is the function's `CodeSha256`, imported in-process from that zip; the
  handler named by `Handler` runs with exactly the function's environment variables and with the
  credentials of its execution role, as the Lambda service provides them.
* CodeBuild: the project is read back (BatchGetProjects); its buildspec's `pre_build`, `build`
  and `post_build` commands run in bash (a child process) in the source directory, with the
  project's and the pipeline action's environment variables and the project's service role.
  The `install` phase is skipped: this machine's Python (with boto3) stands in for the runtime.
* Operators: the `mlgov` CLI of the deployed tooling bundle, in-process, with a persona's session.

`simulated_aws` points every AWS SDK of this process (and of the builds) at the simulator.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib
import io
import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import yaml

from platform_sandbox.organization import SandboxError
from platform_sandbox.simulator import Simulator

# Variables that would send an SDK to a developer's real AWS account instead of the simulator.
_REAL_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
)
BUILD_PHASES = ("pre_build", "build", "post_build")
_BUILD_TIMEOUT_SECONDS = 600


class RuntimeFailure(RuntimeError):
    """A handler, build or CLI command of the platform failed; the message holds its output."""


class WalkFailed(SandboxError):
    """A step of the lifecycle did not do what the platform promises; the message says which."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise WalkFailed(message)


@contextlib.contextmanager
def patched_environ(values: Mapping[str, str], unset: Iterable[str] = ()) -> Iterator[None]:
    """Set and unset environment variables for the block, then restore the whole environment."""
    saved = dict(os.environ)
    try:
        for name in unset:
            os.environ.pop(name, None)
        os.environ.update(values)
        boto3.DEFAULT_SESSION = None  # it caches the credentials it found first
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        boto3.DEFAULT_SESSION = None


def simulated_aws(simulator: Simulator) -> contextlib.AbstractContextManager[None]:
    """Every boto3 client created in the block talks to the simulator (endpoint and CA)."""
    files = {"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    return patched_environ({**simulator.environment(), **files}, unset=_REAL_AWS_VARIABLES)


@contextlib.contextmanager
def imported_from(directory: Path, package: str) -> Iterator[None]:
    """Import `package` from `directory` (a deployed zip, unpacked) for the block.

    Modules of that name imported before (the checkout's copy) are set aside and put back after,
    so the code that runs is the deployed code and nothing of it leaks into the caller.
    """

    def owned(name: str) -> bool:
        return name == package or name.startswith(package + ".")

    saved = {name: module for name, module in sys.modules.items() if owned(name)}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(directory))
        for name in [name for name in sys.modules if owned(name)]:
            del sys.modules[name]
        sys.modules.update(saved)


def role_session(
    simulator: Simulator, role_arn: str, session_name: str, region: str
) -> boto3.Session:
    """Credentials of `role_arn` under `session_name` (moto's STS acts in the role's account)."""
    sts = simulator.client(simulator.base_session(region), "sts", region)
    credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name[:64])[
        "Credentials"
    ]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


def credential_variables(session: boto3.Session) -> dict[str, str]:
    frozen = session.get_credentials().get_frozen_credentials()  # type: ignore[union-attr]
    return {
        "AWS_ACCESS_KEY_ID": frozen.access_key,
        "AWS_SECRET_ACCESS_KEY": frozen.secret_key,
        "AWS_SESSION_TOKEN": frozen.token or "",
    }


def unpack(archive: bytes | Path, destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    source = io.BytesIO(archive) if isinstance(archive, bytes) else archive
    with zipfile.ZipFile(source) as bundle:
        bundle.extractall(destination)
    return destination


def code_sha256(data: bytes) -> str:
    """Lambda's `CodeSha256`: base64 of the zip's SHA-256."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def function_package(stack_dir: Path, sha256: str, destination: Path) -> Path:
    """Unpack the stack asset Terraform uploaded as a function's code (matched by CodeSha256)."""
    for candidate in sorted((stack_dir / "assets").rglob("*.zip")):
        data = candidate.read_bytes()
        if code_sha256(data) == sha256:
            return unpack(data, destination)
    raise RuntimeFailure(f"no asset of {stack_dir} has CodeSha256 {sha256}")


# -- Lambda -------------------------------------------------------------------------------------


@dataclass
class LambdaContext:
    """The context object the Lambda runtime passes (what Powertools reads)."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"sandbox/[{self.function_version}]{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_seconds * 1000


@dataclass
class Invocation:
    """What one handler call returned, and what it logged (its CloudWatch Logs, here)."""

    result: Any
    logs: str


@dataclass
class LambdaFunction:
    """A function as applied: configuration read back, code unpacked, execution role's session."""

    simulator: Simulator
    configuration: dict[str, Any]
    code_dir: Path
    role: boto3.Session

    @classmethod
    def load(
        cls, simulator: Simulator, session: boto3.Session, name: str, stack_dir: Path, work: Path
    ) -> LambdaFunction:
        configuration = simulator.client(session, "lambda").get_function_configuration(
            FunctionName=name
        )
        configuration.pop("ResponseMetadata", None)
        code_dir = function_package(
            stack_dir, configuration["CodeSha256"], work / configuration["FunctionName"]
        )
        # The Lambda service assumes the execution role with the function name as session name.
        role = role_session(
            simulator,
            configuration["Role"],
            configuration["FunctionName"],
            configuration["FunctionArn"].split(":")[3],
        )
        return cls(simulator, configuration, code_dir, role)

    @property
    def name(self) -> str:
        return str(self.configuration["FunctionName"])

    @property
    def arn(self) -> str:
        return str(self.configuration["FunctionArn"])

    @property
    def variables(self) -> dict[str, str]:
        return dict((self.configuration.get("Environment") or {}).get("Variables") or {})

    def environment(self) -> dict[str, str]:
        """The execution environment: the function's variables, region, role credentials."""
        region = self.arn.split(":")[3]
        return {
            **self.simulator.environment(),
            **credential_variables(self.role),
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_FUNCTION_NAME": self.name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.configuration.get("MemorySize", 128)),
            # The promoter downloads ECR layers over HTTPS with urllib3's default trust store,
            # which OpenSSL takes from SSL_CERT_FILE: the simulator's certificate here.
            "SSL_CERT_FILE": self.simulator.ca_bundle,
            **self.variables,
        }

    def invoke(self, *events: dict[str, Any]) -> list[Invocation]:
        """Run the handler on each event in one warm execution environment (one cold start)."""
        module_name, _, handler_name = str(self.configuration["Handler"]).rpartition(".")
        context = LambdaContext(
            function_name=self.name,
            invoked_function_arn=self.arn,
            memory_limit_in_mb=int(self.configuration.get("MemorySize", 128)),
            timeout_seconds=int(self.configuration.get("Timeout", 3)),
        )
        invocations: list[Invocation] = []
        logs = io.StringIO()
        with (
            patched_environ(self.environment(), unset=_REAL_AWS_VARIABLES),
            imported_from(self.code_dir, module_name.split(".")[0]),
            contextlib.redirect_stdout(logs),
        ):
            handler = getattr(importlib.import_module(module_name), handler_name)
            for event in events:
                start = logs.tell()
                try:
                    result = handler(event, context)
                except Exception as error:
                    raise RuntimeFailure(
                        f"{self.name} failed: {error}\n{logs.getvalue()[start:]}"
                    ) from error
                invocations.append(Invocation(result, logs.getvalue()[start:]))
        return invocations


# -- CodeBuild ----------------------------------------------------------------------------------


@dataclass
class Build:
    """One build of a CodeBuild project as the sandbox ran it."""

    project: str
    build_id: str
    exit_code: int
    output: str
    commands: list[str]

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0


def build_script(buildspec: str) -> tuple[str, list[str]]:
    """A bash script running the buildspec's phases after `install`, stopping at a failure."""
    spec = yaml.safe_load(buildspec) or {}
    phases = spec.get("phases") or {}
    commands = [
        str(command)
        for phase in BUILD_PHASES
        for command in (phases.get(phase) or {}).get("commands", [])
    ]
    exported = "".join(
        f"export {name}={json.dumps(str(value))}\n"
        for name, value in ((spec.get("env") or {}).get("variables") or {}).items()
    )
    return "set -e\n" + exported + "\n".join(commands) + "\n", commands


def run_build(
    simulator: Simulator,
    project: dict[str, Any],
    *,
    source_dir: Path,
    action_variables: Mapping[str, str],
    initiator: str,
) -> Build:
    """Run a project's buildspec the way CodeBuild would, against the simulator."""
    build_id = f"{project['name']}:{uuid.uuid4()}"
    region = project["arn"].split(":")[3]
    role = role_session(simulator, project["serviceRole"], f"AWSCodeBuild-{build_id[-36:]}", region)
    variables: dict[str, str] = {}
    for variable in project["environment"].get("environmentVariables", []):
        if variable.get("type", "PLAINTEXT") != "PLAINTEXT":
            raise RuntimeFailure(f"{project['name']}: {variable['type']} variables not supported")
        variables[variable["name"]] = variable["value"]
    script, commands = build_script(project["source"]["buildspec"])
    environment = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(source_dir.parent),
        "LANG": "C.UTF-8",
        **simulator.environment(),
        **credential_variables(role),
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "CODEBUILD_SRC_DIR": str(source_dir),
        "CODEBUILD_BUILD_ID": build_id,
        "CODEBUILD_BUILD_ARN": f"{project['arn'].replace(':project/', ':build/')}:{build_id}",
        "CODEBUILD_INITIATOR": initiator,
        **variables,
        **action_variables,  # the pipeline action's variables override the project's
    }
    completed = subprocess.run(
        ["bash", "-c", script],
        cwd=source_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=_BUILD_TIMEOUT_SECONDS,
        check=False,
    )
    return Build(
        project["name"],
        build_id,
        completed.returncode,
        completed.stdout + completed.stderr,
        commands,
    )


# -- operators ----------------------------------------------------------------------------------


def run_cli(bundle_dir: Path, argv: list[str], session: boto3.Session) -> tuple[int, str, str]:
    """`mlgov <argv>` from the deployed tooling bundle, in-process, as `session`'s principal."""
    out, err = io.StringIO(), io.StringIO()
    with imported_from(bundle_dir, "mlgov"):
        main = importlib.import_module("mlgov.cli").main
        code = main(argv, session_factory=lambda _profile, _region: session, stdout=out, stderr=err)
    return int(code), out.getvalue(), err.getvalue()
