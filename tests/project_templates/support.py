"""Shared helpers for the SageMaker project template tests.

Templates are parsed with cfn-lint's own decoder (it understands `!Ref`, `!Sub`, ... and turns
them into `{"Ref": ...}` / `{"Fn::Sub": ...}` mappings), so the tests read exactly what cfn-lint
lints. `resolve` evaluates the few intrinsic functions the templates use (Ref, Fn::Sub, Fn::Join,
Fn::GetAtt) for a given set of parameter values; it exists only to say which value reaches which
property, and raises on anything it does not know instead of guessing.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from cfnlint.decode import decode

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = REPO_ROOT / "modules" / "service-catalog-portfolios" / "project-templates"
SETTINGS_PATH = (
    REPO_ROOT
    / "modules"
    / "service-catalog-portfolios"
    / "seed-code"
    / "model-build"
    / "pipelines"
    / "settings.py"
)
WORKSPACE_VARIABLES = REPO_ROOT / "modules" / "ml-workspace" / "variables.tf"

# Data source kind -> template file. DATA_SOURCE_KIND in the build is the key.
TEMPLATE_FILES = {
    "s3": "model-build-s3.yaml",
    "athena": "model-build-athena.yaml",
    "feature-store": "model-build-feature-store.yaml",
}
KINDS = tuple(TEMPLATE_FILES)

SSM_PREFIX = "/mlgov/project-settings/"
SSM_STRING = "AWS::SSM::Parameter::Value<String>"
SSM_LIST = "AWS::SSM::Parameter::Value<List<String>>"

# The SSM parameters of the team workspace: template parameter -> (default = SSM name, type).
COMMON_SSM_PARAMETERS = {
    "TeamName": (SSM_PREFIX + "team-name", SSM_STRING),
    "KmsKeyArn": (SSM_PREFIX + "kms-key-arn", SSM_STRING),
    "PipelineExecutionRoleArn": (SSM_PREFIX + "pipeline-execution-role-arn", SSM_STRING),
    "ProjectBuildRoleArn": (SSM_PREFIX + "project-build-role-arn", SSM_STRING),
    "ProjectPipelineRoleArn": (SSM_PREFIX + "project-pipeline-role-arn", SSM_STRING),
    "SourceConnectionArn": (SSM_PREFIX + "source-connection-arn", SSM_STRING),
    "SubnetIds": (SSM_PREFIX + "subnet-ids", SSM_LIST),
    "SecurityGroupIds": (SSM_PREFIX + "security-group-ids", SSM_LIST),
    "HubPromoterRoleArn": (SSM_PREFIX + "hub-promoter-role-arn", SSM_STRING),
    "OrganizationId": (SSM_PREFIX + "organization-id", SSM_STRING),
}
# Written by the team's lake access (data-lake-consumer); only the Athena-based templates read them.
LAKE_SSM_PARAMETERS = {
    "AthenaRoleArn": (SSM_PREFIX + "athena-role-arn", SSM_STRING),
    "AthenaWorkgroup": (SSM_PREFIX + "athena-workgroup", SSM_STRING),
}
SSM_PARAMETERS_BY_KIND = {
    "s3": COMMON_SSM_PARAMETERS,
    "athena": {**COMMON_SSM_PARAMETERS, **LAKE_SSM_PARAMETERS},
    "feature-store": {**COMMON_SSM_PARAMETERS, **LAKE_SSM_PARAMETERS},
}

# What the SSM parameters hold in an example dev account.
_ROLE = "arn:aws:iam::222222222222:role/mlgov-team-a-"
_SSM_EXAMPLES: dict[str, str | list[str]] = {
    "team-name": "mlgov-team-a",
    "kms-key-arn": "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "pipeline-execution-role-arn": _ROLE + "pipeline-execution",
    "project-build-role-arn": _ROLE + "project-build",
    "project-pipeline-role-arn": _ROLE + "project-pipeline",
    "source-connection-arn": (
        "arn:aws:codeconnections:eu-west-1:222222222222:connection/1111-2222-3333-4444"
    ),
    "subnet-ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "security-group-ids": ["sg-0cccccccccccccccc"],
    "hub-promoter-role-arn": "arn:aws:iam::111111111111:role/mlgov-model-promoter",
    "organization-id": "o-exampleorg1",
    "athena-role-arn": _ROLE + "lake-athena",
    "athena-workgroup": "mlgov-team-a-lake",
}
# Keyed by SSM name.
SSM_EXAMPLE_VALUES = {SSM_PREFIX + name: value for name, value in _SSM_EXAMPLES.items()}

PSEUDO_PARAMETERS = {
    "AWS::AccountId": "222222222222",
    "AWS::Region": "eu-west-1",
    "AWS::Partition": "aws",
}
ACCOUNT_ID_LENGTH = 12

# What the lead data scientist types in the form for an example project (besides the
# parameters SageMaker passes).
LEAD_EXAMPLE_VALUES = {
    "RepositoryFullName": "example-org/churn-model-build",
    "BranchName": "main",
    "TargetColumn": "churned",
    "MetricThreshold": "0.75",
    "DataSourceS3Uri": "s3://mlgov-team-a-data-222222222222-eu-west-1/churn/train/",
    "AthenaDatabase": "lake_sales",
    "AthenaTable": "customer_churn",
    "FeatureGroupName": "customer-profile",
    "FeatureStoreDatabase": "lake_feature_store",
}
SAGEMAKER_EXAMPLE_VALUES = {"SageMakerProjectName": "churn", "SageMakerProjectId": "p-abcdef123456"}


@cache
def _load(kind: str) -> dict[str, Any]:
    path = TEMPLATES_DIR / TEMPLATE_FILES[kind]
    template, matches = decode(str(path))
    if matches or template is None:
        raise AssertionError(f"{path.name} does not parse: {[str(m) for m in matches]}")
    return template


def load_template(kind: str) -> dict[str, Any]:
    """The decoded template of `kind` (cached; callers must not modify it, tests deep-copy)."""
    return _load(kind)


def template_path(kind: str) -> Path:
    return TEMPLATES_DIR / TEMPLATE_FILES[kind]


def resources_of_type(template: Mapping[str, Any], resource_type: str) -> dict[str, Any]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def only_resource(template: Mapping[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    """The one resource of `resource_type` (the templates create exactly one of each)."""
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected exactly one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def environment_variables(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    _, project = only_resource(template, "AWS::CodeBuild::Project")
    return list(project["Properties"]["Environment"].get("EnvironmentVariables", []))


def is_ssm_parameter(parameter: Mapping[str, Any]) -> bool:
    return str(parameter["Type"]).startswith("AWS::SSM::Parameter::Value<")


# ------------------------------------------------------------------------------------------------
# Parameter values and constraints
# ------------------------------------------------------------------------------------------------


def example_values(template: Mapping[str, Any], **overrides: Any) -> dict[str, Any]:
    """A value for every parameter: SSM parameters resolved to the example account's values,
    the others from the example project, then `overrides`."""
    values: dict[str, Any] = {}
    for name, parameter in template["Parameters"].items():
        if is_ssm_parameter(parameter):
            values[name] = SSM_EXAMPLE_VALUES[parameter["Default"]]
        elif name in SAGEMAKER_EXAMPLE_VALUES:
            values[name] = SAGEMAKER_EXAMPLE_VALUES[name]
        elif name in LEAD_EXAMPLE_VALUES:
            values[name] = LEAD_EXAMPLE_VALUES[name]
        elif "Default" in parameter:
            values[name] = str(parameter["Default"])
        else:
            raise AssertionError(f"no example value for parameter {name}")
    values.update(overrides)
    return values


def violations(parameter: Mapping[str, Any], value: str) -> list[str]:
    """Why CloudFormation would reject `value` for `parameter` (empty list: accepted).

    Follows CloudFormation's parameter constraints: MinLength/MaxLength/AllowedPattern/
    AllowedValues for String, MinValue/MaxValue for Number. AllowedPattern must match the whole
    value.
    """
    problems: list[str] = []
    if parameter["Type"] == "Number":
        try:
            number = float(value)
        except ValueError:
            return [f"{value!r} is not a number"]
        if "MinValue" in parameter and number < float(parameter["MinValue"]):
            problems.append(f"{value} < MinValue {parameter['MinValue']}")
        if "MaxValue" in parameter and number > float(parameter["MaxValue"]):
            problems.append(f"{value} > MaxValue {parameter['MaxValue']}")
        return problems
    if "MinLength" in parameter and len(value) < int(parameter["MinLength"]):
        problems.append(f"shorter than MinLength {parameter['MinLength']}")
    if "MaxLength" in parameter and len(value) > int(parameter["MaxLength"]):
        problems.append(f"longer than MaxLength {parameter['MaxLength']}")
    if "AllowedPattern" in parameter and not re.fullmatch(parameter["AllowedPattern"], value):
        problems.append(f"does not match AllowedPattern {parameter['AllowedPattern']}")
    if "AllowedValues" in parameter and value not in parameter["AllowedValues"]:
        problems.append(f"not one of {parameter['AllowedValues']}")
    return problems


def pattern_max_length(pattern: str) -> int | None:
    """Longest string `pattern` can match, or None when unbounded (from Python's regex parser)."""
    parser = getattr(re, "_parser", None) or __import__("sre_parse")
    _, longest = parser.parse(pattern).getwidth()
    return None if longest >= parser.MAXREPEAT else int(longest)


def constrained_max_length(parameter: Mapping[str, Any]) -> int:
    """The longest value the parameter's constraints accept (MaxLength and AllowedPattern)."""
    bounds = []
    if "MaxLength" in parameter:
        bounds.append(int(parameter["MaxLength"]))
    if "AllowedPattern" in parameter:
        longest = pattern_max_length(parameter["AllowedPattern"])
        if longest is not None:
            bounds.append(longest)
    if not bounds:
        raise AssertionError(f"parameter has no length bound: {dict(parameter)}")
    return min(bounds)


def workspace_team_name_pattern() -> str:
    """The team name rule, from the ml-workspace module's `name` validation (one definition).

    CloudFormation cannot constrain an SSM-typed parameter's value (cfn-lint checks an
    AllowedPattern against the default, i.e. the SSM name), so the workspace that writes
    /mlgov/project-settings/team-name is where the team name is constrained.
    """
    text = WORKSPACE_VARIABLES.read_text()
    match = re.search(
        r'variable\s+"name"\s*\{.*?regex\("((?:[^"\\]|\\.)*)",\s*var\.name\)', text, re.S
    )
    assert match, f"no regex(..., var.name) validation in {WORKSPACE_VARIABLES}"
    return match.group(1).replace("\\\\", "\\")


def team_name_max_length() -> int:
    longest = pattern_max_length(workspace_team_name_pattern())
    assert longest is not None, "the workspace's team name rule has no length bound"
    return longest


# ------------------------------------------------------------------------------------------------
# Intrinsic functions
# ------------------------------------------------------------------------------------------------

_SUB_REFERENCE = re.compile(r"\$\{(?!!)([^}]+)\}")


def resolve(node: Any, template: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    """Evaluate Ref/Fn::Sub/Fn::Join/Fn::GetAtt in `node` with parameter `values`."""
    if isinstance(node, list):
        return [resolve(item, template, values) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (key, argument), *_ = node.items()
        if key == "Ref":
            return _ref(argument, template, values)
        if key == "Fn::Sub":
            return _sub(argument, template, values)
        if key == "Fn::Join":
            delimiter, items = argument
            resolved = resolve(items, template, values)
            return delimiter.join(_flatten(resolve(i, template, values) for i in resolved))
        if key == "Fn::GetAtt":
            resource, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
            return _get_att(resource, attribute, template, values)
        if key.startswith("Fn::") or key == "Condition":
            raise NotImplementedError(f"resolve() does not know {key}")
    return {key: resolve(value, template, values) for key, value in node.items()}


def _flatten(items: Iterable[Any]) -> list[str]:
    flat: list[str] = []
    for item in items:
        flat.extend(item if isinstance(item, list) else [item])
    return [str(i) for i in flat]


def _ref(name: str, template: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    if name in template.get("Parameters", {}):
        return values[name]
    if name in PSEUDO_PARAMETERS:
        return PSEUDO_PARAMETERS[name]
    resource = template["Resources"][name]
    properties = resource.get("Properties", {})
    name_property = {
        "AWS::S3::Bucket": "BucketName",
        "AWS::CodeBuild::Project": "Name",
        "AWS::CodePipeline::Pipeline": "Name",
    }.get(resource["Type"])
    if name_property is None:
        raise NotImplementedError(f"Ref of a {resource['Type']}")
    return resolve(properties[name_property], template, values)


def _get_att(
    resource: str, attribute: str, template: Mapping[str, Any], values: Mapping[str, Any]
) -> Any:
    resource_type = template["Resources"][resource]["Type"]
    if (resource_type, attribute) == ("AWS::S3::Bucket", "Arn"):
        partition = PSEUDO_PARAMETERS["AWS::Partition"]
        return f"arn:{partition}:s3:::{_ref(resource, template, values)}"
    raise NotImplementedError(f"Fn::GetAtt {resource_type}.{attribute}")


def _sub(argument: Any, template: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    text, variables = (argument, {}) if isinstance(argument, str) else argument
    resolved_variables = {k: resolve(v, template, values) for k, v in variables.items()}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in resolved_variables:
            return str(resolved_variables[name])
        if "." in name and name not in PSEUDO_PARAMETERS:
            resource, attribute = name.split(".", 1)
            return str(_get_att(resource, attribute, template, values))
        value = _ref(name, template, values)
        if isinstance(value, list):
            raise AssertionError(f"${{{name}}} is a list inside Fn::Sub")
        return str(value)

    return _SUB_REFERENCE.sub(replace, text).replace("${!", "${")


# ------------------------------------------------------------------------------------------------
# The build's environment variable contract
# ------------------------------------------------------------------------------------------------

# The contract as agreed; used until the seed code's pipelines/settings.py exists, then the
# seed code's own definition is the one compared with the templates.
WRITTEN_COMMON_VARIABLES = frozenset(
    {
        "SAGEMAKER_PROJECT_NAME",
        "SAGEMAKER_PROJECT_ID",
        "SAGEMAKER_PIPELINE_NAME",
        "MODEL_PACKAGE_GROUP_NAME",
        "PIPELINE_EXECUTION_ROLE_ARN",
        "ARTIFACT_BUCKET",
        "KMS_KEY_ARN",
        "SUBNET_IDS",
        "SECURITY_GROUP_IDS",
        "DATA_SOURCE_KIND",
        "TARGET_COLUMN",
        "METRIC_THRESHOLD",
    }
)
WRITTEN_VARIABLES_BY_KIND = {
    "s3": frozenset({"DATA_SOURCE_S3_URI"}),
    "athena": frozenset({"ATHENA_DATABASE", "ATHENA_TABLE", "ATHENA_WORKGROUP", "ATHENA_ROLE_ARN"}),
    "feature-store": frozenset(
        {"FEATURE_GROUP_NAME", "FEATURE_STORE_DATABASE", "ATHENA_WORKGROUP", "ATHENA_ROLE_ARN"}
    ),
}


def _variable_names(spec: Any) -> frozenset[str]:
    """Names from a mapping (its keys) or an iterable of names or of objects with `.name`."""
    items = spec.keys() if isinstance(spec, Mapping) else spec
    names = set()
    for item in items:
        name = item if isinstance(item, str) else getattr(item, "name", None)
        if not isinstance(name, str):
            raise AssertionError(f"cannot read a variable name from {item!r} in {SETTINGS_PATH}")
        names.add(name)
    return frozenset(names)


def _kind_key(key: Any) -> str:
    value = getattr(key, "value", key)
    return str(value)


def load_seed_settings() -> ModuleType | None:
    """The seed code's pipelines/settings.py, loaded by path, or None while it does not exist."""
    if not SETTINGS_PATH.exists():
        return None
    module_name = "_mlgov_seed_code_pipeline_settings"
    spec = importlib.util.spec_from_file_location(module_name, SETTINGS_PATH)
    assert spec is not None and spec.loader is not None, f"cannot load {SETTINGS_PATH}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and typing look their module up here
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(module_name, None)
    return module


def build_contract() -> tuple[frozenset[str], dict[str, frozenset[str]], str]:
    """(common variables, variables by kind, where they came from).

    From the seed code's pipelines/settings.py (COMMON_VARIABLES, VARIABLES_BY_KIND) once it
    exists, loaded by path; until then the contract written above.
    """
    module = load_seed_settings()
    if module is None:
        return WRITTEN_COMMON_VARIABLES, dict(WRITTEN_VARIABLES_BY_KIND), "written contract"
    common = _variable_names(module.COMMON_VARIABLES)
    by_kind = {_kind_key(k): _variable_names(v) for k, v in module.VARIABLES_BY_KIND.items()}
    origin = (
        SETTINGS_PATH.relative_to(REPO_ROOT)
        if SETTINGS_PATH.is_relative_to(REPO_ROOT)
        else SETTINGS_PATH
    )
    return common, by_kind, str(origin)
