"""Checks of one decoded project template, as plain functions that raise AssertionError.

They are functions (not test bodies) so that test_mutations.py can run each one against a
deliberately broken copy of a template and show that it fails: a check that passes on a wrong
template protects nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from tests.project_templates.support import (
    ACCOUNT_ID_LENGTH,
    SSM_PARAMETERS_BY_KIND,
    as_list,
    build_contract,
    constrained_max_length,
    environment_variables,
    example_values,
    is_ssm_parameter,
    only_resource,
    resolve,
    team_name_max_length,
    violations,
    workspace_team_name_pattern,
)

Template = Mapping[str, Any]

ALLOWED_RESOURCE_TYPES = {
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SageMaker::ModelPackageGroup",
    "AWS::CodeBuild::Project",
    "AWS::CodePipeline::Pipeline",
}
PROJECT_TAG_KEYS = {
    "sagemaker:project-name": {"Ref": "SageMakerProjectName"},
    "sagemaker:project-id": {"Ref": "SageMakerProjectId"},
}
GROUP_NAME = {"Fn::Sub": "${TeamName}-${SageMakerProjectName}"}

# The parameters the lead data scientist types that feed the build, and their variables.
TYPED_PARAMETER_VARIABLES = {
    "s3": {
        "DataSourceS3Uri": "DATA_SOURCE_S3_URI",
        "TargetColumn": "TARGET_COLUMN",
        "MetricThreshold": "METRIC_THRESHOLD",
    },
    "athena": {
        "AthenaDatabase": "ATHENA_DATABASE",
        "AthenaTable": "ATHENA_TABLE",
        "TargetColumn": "TARGET_COLUMN",
        "MetricThreshold": "METRIC_THRESHOLD",
    },
    "feature-store": {
        "FeatureGroupName": "FEATURE_GROUP_NAME",
        "FeatureStoreDatabase": "FEATURE_STORE_DATABASE",
        "TargetColumn": "TARGET_COLUMN",
        "MetricThreshold": "METRIC_THRESHOLD",
    },
}
# Typed, but for the source action rather than the build.
SOURCE_PARAMETERS = {"RepositoryFullName", "BranchName"}
SAGEMAKER_PARAMETERS = {"SageMakerProjectName", "SageMakerProjectId"}


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return as_list(document["Statement"])


def check_resource_types(template: Template, kind: str) -> None:
    """Only the project's own resources: no IAM roles, KMS keys, VPC or anything else."""
    types = {r["Type"] for r in template["Resources"].values()}
    unexpected = types - ALLOWED_RESOURCE_TYPES
    assert not unexpected, f"unexpected resource types {unexpected}"
    for resource_type in ALLOWED_RESOURCE_TYPES:
        only_resource(template, resource_type)


def check_bucket_hardening(template: Template, kind: str) -> None:
    _, bucket = only_resource(template, "AWS::S3::Bucket")
    properties = bucket["Properties"]
    rules = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert len(rules) == 1, rules
    assert rules[0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Ref": "KmsKeyArn"},
    }
    assert rules[0].get("BucketKeyEnabled") is True
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    noncurrent = [
        r
        for r in properties["LifecycleConfiguration"]["Rules"]
        if r["Status"] == "Enabled" and "NoncurrentVersionExpiration" in r
    ]
    assert noncurrent, "no enabled lifecycle rule expires noncurrent versions"
    assert all(
        int(r["NoncurrentVersionExpiration"]["NoncurrentDays"]) > 0
        and "Prefix" not in r
        and "Filter" not in r
        for r in noncurrent
    ), "the noncurrent-version rule must cover the whole bucket"


def check_bucket_tls_policy(template: Template, kind: str) -> None:
    bucket_name, _ = only_resource(template, "AWS::S3::Bucket")
    _, policy = only_resource(template, "AWS::S3::BucketPolicy")
    assert policy["Properties"]["Bucket"] == {"Ref": bucket_name}
    values = example_values(template)
    document = resolve(policy["Properties"]["PolicyDocument"], template, values)
    bucket_arn = f"arn:aws:s3:::{resolve({'Ref': bucket_name}, template, values)}"
    tls = [
        s
        for s in _statements(document)
        if s.get("Effect") == "Deny"
        and s.get("Principal") in ("*", {"AWS": "*"})
        and as_list(s.get("Action")) == ["s3:*"]
        and set(as_list(s.get("Resource"))) == {bucket_arn, f"{bucket_arn}/*"}
        and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert len(tls) == 1, f"no statement denies non-TLS requests on the bucket: {document}"
    effects = {s["Effect"] for s in _statements(document)}
    assert effects == {"Deny"}, "the bucket policy only denies"


def check_model_package_group_policy(template: Template, kind: str) -> None:
    """The team's group policy: the hub promoter reads, inside the organization, nothing else."""
    _, group = only_resource(template, "AWS::SageMaker::ModelPackageGroup")
    properties = group["Properties"]
    assert properties["ModelPackageGroupName"] == GROUP_NAME
    values = example_values(template)
    group_name = resolve(GROUP_NAME, template, values)
    prefix = "arn:aws:sagemaker:eu-west-1:222222222222"
    document = resolve(properties["ModelPackageGroupPolicy"], template, values)
    org = {"StringEquals": {"aws:PrincipalOrgID": values["OrganizationId"]}}
    promoter = {"AWS": values["HubPromoterRoleArn"]}
    expected = {
        (
            frozenset({"sagemaker:DescribeModelPackageGroup"}),
            f"{prefix}:model-package-group/{group_name}",
        ),
        (
            frozenset({"sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"}),
            f"{prefix}:model-package/{group_name}/*",
        ),
    }
    found = set()
    for statement in _statements(document):
        allowed_keys = {"Sid", "Effect", "Principal", "Action", "Resource", "Condition"}
        assert set(statement) <= allowed_keys, f"unexpected keys in {statement}"
        assert statement["Effect"] == "Allow", statement
        assert statement.get("Principal") == promoter, statement
        assert statement.get("Condition") == org, statement
        resources = as_list(statement["Resource"])
        assert len(resources) == 1, statement
        found.add((frozenset(as_list(statement["Action"])), resources[0]))
    assert found == expected, f"group policy grants {found}, expected {expected}"
    assert len(_statements(document)) == 2


def check_only_promoter_is_granted(template: Template, kind: str) -> None:
    """No policy in the template allows any principal except the promoter on the group."""
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("PolicyDocument", "ModelPackageGroupPolicy"):
            if key not in properties:
                continue
            for statement in _statements(properties[key]):
                if statement.get("Effect") != "Allow":
                    continue
                assert "NotPrincipal" not in statement
                assert resource["Type"] == "AWS::SageMaker::ModelPackageGroup", name
                assert statement.get("Principal") == {"AWS": {"Ref": "HubPromoterRoleArn"}}, (
                    f"{name} allows {statement.get('Principal')}"
                )


def _stage_actions(pipeline: Mapping[str, Any]) -> list[list[Mapping[str, Any]]]:
    return [list(stage["Actions"]) for stage in pipeline["Properties"]["Stages"]]


def check_code_pipeline(template: Template, kind: str) -> None:
    bucket_name, _ = only_resource(template, "AWS::S3::Bucket")
    build_name, _ = only_resource(template, "AWS::CodeBuild::Project")
    _, pipeline = only_resource(template, "AWS::CodePipeline::Pipeline")
    properties = pipeline["Properties"]
    assert properties["PipelineType"] == "V2"
    assert properties["RoleArn"] == {"Ref": "ProjectPipelineRoleArn"}
    assert properties["ArtifactStore"] == {
        "Type": "S3",
        "Location": {"Ref": bucket_name},
        "EncryptionKey": {"Type": "KMS", "Id": {"Ref": "KmsKeyArn"}},
    }
    stages = _stage_actions(pipeline)
    assert len(stages) == 2 and all(len(actions) == 1 for actions in stages), stages
    source, build = stages[0][0], stages[1][0]
    assert source["ActionTypeId"] == {
        "Category": "Source",
        "Owner": "AWS",
        "Provider": "CodeStarSourceConnection",
        "Version": "1",
    }
    configuration = source["Configuration"]
    assert configuration["ConnectionArn"] == {"Ref": "SourceConnectionArn"}
    assert configuration["FullRepositoryId"] == {"Ref": "RepositoryFullName"}
    assert configuration["BranchName"] == {"Ref": "BranchName"}
    source_outputs = [a["Name"] for a in source["OutputArtifacts"]]
    assert build["ActionTypeId"] == {
        "Category": "Build",
        "Owner": "AWS",
        "Provider": "CodeBuild",
        "Version": "1",
    }
    assert build["Configuration"] == {"ProjectName": {"Ref": build_name}}
    assert [a["Name"] for a in build["InputArtifacts"]] == source_outputs

    triggers = properties.get("Triggers", [])
    assert len(triggers) == 1, triggers
    trigger = triggers[0]
    assert trigger["ProviderType"] == "CodeStarSourceConnection"
    git = trigger["GitConfiguration"]
    assert git["SourceActionName"] == source["Name"]
    assert "PullRequest" not in git
    assert git["Push"] == [{"Branches": {"Includes": [{"Ref": "BranchName"}]}}], git["Push"]


def _contains_codecommit(node: Any) -> bool:
    if isinstance(node, dict):
        return any(_contains_codecommit(k) or _contains_codecommit(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_contains_codecommit(i) for i in node)
    return isinstance(node, str) and "codecommit" in node.lower()


def check_no_codecommit(template: Template, kind: str) -> None:
    assert not _contains_codecommit(template), "the template mentions CodeCommit"


def check_build_project(template: Template, kind: str) -> None:
    _, project = only_resource(template, "AWS::CodeBuild::Project")
    properties = project["Properties"]
    assert properties["ServiceRole"] == {"Ref": "ProjectBuildRoleArn"}
    assert properties["EncryptionKey"] == {"Ref": "KmsKeyArn"}
    assert properties["Artifacts"] == {"Type": "CODEPIPELINE"}
    source = properties["Source"]
    assert source["Type"] == "CODEPIPELINE"
    # Inline: a YAML document, not the path of a buildspec file in the repository.
    buildspec = yaml.safe_load(source["BuildSpec"])
    assert isinstance(buildspec, dict), "BuildSpec must be an inline buildspec"
    assert str(buildspec["version"]) == "0.2"
    phases = buildspec["phases"]
    commands = [c for phase in phases.values() for c in phase.get("commands", [])]
    assert any(
        c.startswith("python -m pip install") and c.endswith("-r requirements.txt")
        for c in phases["install"]["commands"]
    ), commands
    assert phases["build"]["commands"][-1] == "python -m pipelines.run_pipeline", commands
    for command in commands:
        assert command in {
            'cd "$CODEBUILD_SRC_DIR"',
            "python -m pipelines.run_pipeline",
        } or command.startswith("python -m pip install"), f"unexpected command {command!r}"
    assert set(buildspec) == {"version", "phases"}, "no artifacts, env or reports from the repo"


def check_build_variables_match_contract(template: Template, kind: str) -> None:
    common, by_kind, origin = build_contract()
    names = [v["Name"] for v in environment_variables(template)]
    assert len(names) == len(set(names)), f"duplicate variables: {names}"
    expected = set(common) | set(by_kind[kind])
    assert set(names) == expected, (
        f"build variables differ from the contract ({origin}): "
        f"extra {sorted(set(names) - expected)}, missing {sorted(expected - set(names))}"
    )
    for variable in environment_variables(template):
        assert variable.get("Type", "PLAINTEXT") == "PLAINTEXT", variable


def check_build_variable_values(template: Template, kind: str) -> None:
    """Each variable resolves to the value it names, for the example project."""
    values = example_values(template)
    env = {
        v["Name"]: resolve(v["Value"], template, values) for v in environment_variables(template)
    }
    team, project = values["TeamName"], values["SageMakerProjectName"]
    expected = {
        "SAGEMAKER_PROJECT_NAME": project,
        "SAGEMAKER_PROJECT_ID": values["SageMakerProjectId"],
        "SAGEMAKER_PIPELINE_NAME": f"{team}-{project}",
        "MODEL_PACKAGE_GROUP_NAME": f"{team}-{project}",
        "PIPELINE_EXECUTION_ROLE_ARN": values["PipelineExecutionRoleArn"],
        "ARTIFACT_BUCKET": f"{team}-project-{values['SageMakerProjectId']}-222222222222",
        "KMS_KEY_ARN": values["KmsKeyArn"],
        "SUBNET_IDS": ",".join(values["SubnetIds"]),
        "SECURITY_GROUP_IDS": ",".join(values["SecurityGroupIds"]),
        "DATA_SOURCE_KIND": kind,
    }
    if "AthenaWorkgroup" in values:
        expected["ATHENA_WORKGROUP"] = values["AthenaWorkgroup"]
        expected["ATHENA_ROLE_ARN"] = values["AthenaRoleArn"]
    for parameter, variable in TYPED_PARAMETER_VARIABLES[kind].items():
        expected[variable] = values[parameter]
    assert {k: env.get(k) for k in expected} == expected
    group = resolve(
        only_resource(template, "AWS::SageMaker::ModelPackageGroup")[1]["Properties"][
            "ModelPackageGroupName"
        ],
        template,
        values,
    )
    assert env["MODEL_PACKAGE_GROUP_NAME"] == group


def check_typed_parameters_reach_variables(template: Template, kind: str) -> None:
    """Every data-source parameter the lead types reaches its variable, with any typed value."""
    typed = {
        name
        for name, parameter in template["Parameters"].items()
        if not is_ssm_parameter(parameter) and name not in SAGEMAKER_PARAMETERS
    }
    mapping = TYPED_PARAMETER_VARIABLES[kind]
    assert typed == set(mapping) | SOURCE_PARAMETERS, (
        f"typed parameters {sorted(typed)}; each must be a source parameter or reach a variable"
    )
    base = example_values(template)
    for parameter, variable in mapping.items():
        marker = "0.5" if template["Parameters"][parameter]["Type"] == "Number" else "marker_value"
        values = {**base, parameter: marker}
        env = {
            v["Name"]: resolve(v["Value"], template, values)
            for v in environment_variables(template)
        }
        assert env.get(variable) == marker, f"{parameter} does not reach {variable}"
        leaked = [k for k, v in env.items() if k != variable and marker in str(v)]
        assert not leaked, f"{parameter} also reaches {leaked}"


def check_ssm_parameters(template: Template, kind: str) -> None:
    ssm = {
        name: (parameter["Default"], parameter["Type"])
        for name, parameter in template["Parameters"].items()
        if is_ssm_parameter(parameter)
    }
    assert ssm == SSM_PARAMETERS_BY_KIND[kind]


def check_project_tags(template: Template, kind: str) -> None:
    for name, resource in template["Resources"].items():
        if resource["Type"] == "AWS::S3::BucketPolicy":
            continue  # not taggable
        tags = {t["Key"]: t["Value"] for t in resource["Properties"].get("Tags", [])}
        for key, value in PROJECT_TAG_KEYS.items():
            assert tags.get(key) == value, f"{name} lacks tag {key}"


def check_names_start_with_team(template: Template, kind: str) -> None:
    """The workspace's IAM and the launch role only allow names starting with "<team>-"."""
    values = example_values(template)
    team = values["TeamName"]
    named = {
        "AWS::S3::Bucket": "BucketName",
        "AWS::SageMaker::ModelPackageGroup": "ModelPackageGroupName",
        "AWS::CodeBuild::Project": "Name",
        "AWS::CodePipeline::Pipeline": "Name",
    }
    for resource_type, key in named.items():
        _, resource = only_resource(template, resource_type)
        name = resolve(resource["Properties"][key], template, values)
        assert name.startswith(f"{team}-"), f"{resource_type} name {name}"
    env = {
        v["Name"]: resolve(v["Value"], template, values) for v in environment_variables(template)
    }
    assert env["SAGEMAKER_PIPELINE_NAME"].startswith(f"{team}-")


def check_outputs(template: Template, kind: str) -> None:
    values = example_values(template)
    outputs = {k: resolve(v["Value"], template, values) for k, v in template["Outputs"].items()}
    team, project = values["TeamName"], values["SageMakerProjectName"]
    expected = {
        "ProjectBucketName": f"{team}-project-{values['SageMakerProjectId']}-222222222222",
        "ModelPackageGroupName": f"{team}-{project}",
        "SageMakerPipelineName": f"{team}-{project}",
        "CodePipelineName": f"{team}-{project}-build",
    }
    assert {k: outputs.get(k) for k in expected} == expected


# ------------------------------------------------------------------------------------------------
# Names: the longest the parameters allow, against the AWS limits
# ------------------------------------------------------------------------------------------------

# AWS naming rules (length, pattern) of what the templates name, from the service API
# references; the model package group and bucket rules are also in cfn-lint's schemas.
NAME_RULES = {
    "model package group": (63, r"[a-zA-Z0-9](-*[a-zA-Z0-9])*"),
    "SageMaker pipeline": (256, r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"),
    "project bucket": (63, r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
    "CodePipeline": (100, r"[A-Za-z0-9.@\-_]+"),
    "CodeBuild project": (255, r"[A-Za-z0-9][A-Za-z0-9\-_]{1,254}"),
}
# The longest names the parameters allow, as the README's arithmetic states them.
DOCUMENTED_MAXIMA = {
    "model package group": 57,
    "SageMaker pipeline": 57,
    "project bucket": 60,
    "CodePipeline": 63,
    "CodeBuild project": 63,
}


def name_expressions(template: Template) -> dict[str, Any]:
    """Where each derived name is written in the template (an Fn::Sub each)."""

    def prop(resource_type: str, key: str) -> Any:
        return only_resource(template, resource_type)[1]["Properties"][key]

    env = {v["Name"]: v["Value"] for v in environment_variables(template)}
    return {
        "model package group": prop("AWS::SageMaker::ModelPackageGroup", "ModelPackageGroupName"),
        "SageMaker pipeline": env["SAGEMAKER_PIPELINE_NAME"],
        "project bucket": prop("AWS::S3::Bucket", "BucketName"),
        "CodePipeline": prop("AWS::CodePipeline::Pipeline", "Name"),
        "CodeBuild project": prop("AWS::CodeBuild::Project", "Name"),
    }


def check_longest_names_fit_aws_limits(template: Template, kind: str) -> None:
    """Resolve every name with the longest valid parameter values; check length and rule."""
    parameters = template["Parameters"]
    id_length = constrained_max_length(parameters["SageMakerProjectId"])
    longest = {
        "TeamName": "a" * team_name_max_length(),
        "SageMakerProjectName": "a" * constrained_max_length(parameters["SageMakerProjectName"]),
        "SageMakerProjectId": "p-" + "a" * (id_length - 2),
    }
    assert re.fullmatch(workspace_team_name_pattern(), longest["TeamName"])
    for name in ("SageMakerProjectName", "SageMakerProjectId"):
        assert violations(parameters[name], longest[name]) == [], name
    values = example_values(template, **longest)
    expressions = name_expressions(template)
    assert set(expressions) == set(NAME_RULES)
    for what, expression in expressions.items():
        name = resolve(expression, template, values)
        limit, rule = NAME_RULES[what]
        assert len(name) <= limit, f"{what} {name!r}: {len(name)} > {limit}"
        assert re.fullmatch(rule, name), f"{what} {name!r} breaks the naming rule {rule}"
        documented = DOCUMENTED_MAXIMA[what]
        assert len(name) == documented, f"{what}: {len(name)}, the README says {documented}"


def check_name_arithmetic(template: Template, kind: str) -> None:
    """The same from lengths alone: each ${X} counts the longest X its constraints allow."""
    parameters = template["Parameters"]
    longest = {
        "TeamName": team_name_max_length(),
        "SageMakerProjectName": constrained_max_length(parameters["SageMakerProjectName"]),
        "SageMakerProjectId": constrained_max_length(parameters["SageMakerProjectId"]),
        "AWS::AccountId": ACCOUNT_ID_LENGTH,
    }
    for what, expression in name_expressions(template).items():
        text = expression["Fn::Sub"]
        references = re.findall(r"\$\{([^}]+)\}", text)
        assert set(references) <= set(longest), f"{what} uses {references}"
        length = len(re.sub(r"\$\{[^}]+\}", "", text)) + sum(longest[r] for r in references)
        assert length <= NAME_RULES[what][0], f"{what}: {length} > {NAME_RULES[what][0]}"
        assert length == DOCUMENTED_MAXIMA[what], f"{what}: {length}"


CHECKS: dict[str, Callable[[Template, str], None]] = {
    check.__name__.removeprefix("check_"): check
    for check in (
        check_resource_types,
        check_bucket_hardening,
        check_bucket_tls_policy,
        check_model_package_group_policy,
        check_only_promoter_is_granted,
        check_code_pipeline,
        check_no_codecommit,
        check_build_project,
        check_build_variables_match_contract,
        check_build_variable_values,
        check_typed_parameters_reach_variables,
        check_ssm_parameters,
        check_project_tags,
        check_names_start_with_team,
        check_outputs,
        check_longest_names_fit_aws_limits,
        check_name_arithmetic,
    )
}
