"""Service Catalog in the simulator: `tests/fixtures/service-catalog` applied by real Terraform.

The fixture declares every Service Catalog resource type the service-catalog-portfolios module
uses (two portfolios; a CloudFormation product with a second version; an EXTERNAL and a
TERRAFORM_CLOUD product; LAUNCH constraints by LocalRoleName and a RESOURCE_UPDATE constraint;
TagOptions on portfolios and a product; OU shares with principal sharing and an account share;
IAM_PATTERN and IAM principals; AWS Organizations access). A copy is applied with the real
provider into a simulator of its own, in the management account of an organization seeded the
way the organization's baseline would hold it; what Service Catalog then holds is read back with
boto3, a second plan must show no changes, an update (the second version deprecated, a
description and tags changed) is applied and planned again clean, and destroy removes it all.
The gaps this needs are closed in `platform_sandbox/gaps_service_catalog.py` and listed in
`gaps.GAPS`; the simulator's own Service Catalog is checked at the end, in another region, and
its validation rules without any simulator.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_sandbox import gaps, simulator
from platform_sandbox.gaps_service_catalog import (
    constraint_problem,
    new_id,
    organization_node_id,
    principal_arn_problem,
    template_location,
    template_problem,
)
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import Workspace, setup_terraform
from tests.terraform_support import require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "service-catalog"
ACCOUNT_ID = "123456789012"  # the simulator's default account: the management account here
REGION = "eu-west-1"  # the fixture's region
OTHER_REGION = "us-east-1"  # where the simulator's own behaviour is checked
EXTERNAL_ACCOUNT = "210987654321"  # the fixture's account share
OUTSIDER = "111122223333"  # an account in no organization
TYPES = (
    "aws_servicecatalog_organizations_access",
    "aws_servicecatalog_portfolio",
    "aws_servicecatalog_product",
    "aws_servicecatalog_provisioning_artifact",
    "aws_servicecatalog_product_portfolio_association",
    "aws_servicecatalog_constraint",
    "aws_servicecatalog_tag_option",
    "aws_servicecatalog_tag_option_resource_association",
    "aws_servicecatalog_principal_portfolio_association",
    "aws_servicecatalog_portfolio_share",
)
PATTERNS = {
    "ml_admin": [
        "arn:aws:iam:::role/mlgov/*-studio-lead-data-scientist",
        "arn:aws:iam:::role/mlgov/*-platform-admin",
    ],
    "sagemaker_projects": [
        "arn:aws:iam:::role/mlgov/*-studio-data-scientist",
        "arn:aws:iam:::role/mlgov/*-studio-lead-data-scientist",
    ],
}


def ids_like(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-[a-z0-9]{{13}}$")


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


# -- validation rules, without a simulator --------------------------------------------------


def test_ids_are_prefixed_13_lower_case_letters_and_digits() -> None:
    for prefix in ("port", "prod", "pa", "cons", "tag", "share"):
        assert ids_like(prefix).match(new_id(prefix))


@pytest.mark.parametrize(
    ("arn", "principal_type", "accepted"),
    [
        ("arn:aws:iam::123456789012:role/mlgov/team-a-lead", "IAM", True),
        ("arn:aws:iam:::role/mlgov/team-a-lead", "IAM", False),
        ("arn:aws:iam:::role/mlgov/*-studio-lead-data-scientist", "IAM_PATTERN", True),
        ("arn:aws:iam:::role/*/ResourceName_?", "IAM_PATTERN", True),
        ("arn:aws:iam:::user/ops/*", "IAM_PATTERN", True),
        ("arn:aws:iam:::*/ResourceName", "IAM_PATTERN", False),
        ("arn:aws:iam::123456789012:role/mlgov/*", "IAM_PATTERN", False),
        ("arn:aws:iam:::role/mlgov/x", "SSO", False),
    ],
)
def test_principal_arns_by_type(arn: str, principal_type: str, accepted: bool) -> None:
    assert (principal_arn_problem(arn, principal_type) is None) is accepted


@pytest.mark.parametrize(
    ("constraint_type", "parameters", "accepted"),
    [
        ("LAUNCH", {"LocalRoleName": "SCBasicLaunchRole"}, True),
        ("LAUNCH", {"RoleArn": "arn:aws:iam::123456789012:role/LaunchRole"}, True),
        (
            "LAUNCH",
            {
                "LocalRoleName": "SCBasicLaunchRole",
                "RoleArn": "arn:aws:iam::123456789012:role/LaunchRole",
            },
            False,
        ),
        ("LAUNCH", {}, False),
        ("LAUNCH", {"LocalRoleName": "path/not-a-name"}, False),
        ("NOTIFICATION", {"NotificationArns": ["arn:aws:sns:us-east-1:123456789012:t"]}, True),
        ("NOTIFICATION", {"NotificationArns": ["arn:aws:sqs:us-east-1:123456789012:q"]}, False),
        (
            "RESOURCE_UPDATE",
            {"Version": "2.0", "Properties": {"TagUpdateOnProvisionedProduct": "ALLOWED"}},
            True,
        ),
        (
            "RESOURCE_UPDATE",
            {"Version": "2.0", "Properties": {"TagUpdateOnProvisionedProduct": "MAYBE"}},
            False,
        ),
        ("TEMPLATE", {"Rules": {"OnlySmall": {"Assertions": []}}}, True),
        ("TEMPLATE", {"Rules": {}}, False),
        (
            "STACKSET",
            {
                "Version": "2.0",
                "Properties": {
                    "AccountList": ["222222222222"],
                    "RegionList": ["eu-west-1"],
                    "AdminRole": "arn:aws:iam::123456789012:role/Admin",
                    "ExecutionRole": "Execution",
                },
            },
            True,
        ),
        ("STACKSET", {"Version": "2.0", "Properties": {"AccountList": []}}, False),
        ("QUOTA", {}, False),
    ],
)
def test_constraint_parameters_by_type(
    constraint_type: str, parameters: dict[str, Any], accepted: bool
) -> None:
    problem = constraint_problem(constraint_type, json.dumps(parameters))
    assert (problem is None) is accepted, problem
    assert constraint_problem("LAUNCH", "not json") is not None


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("https://b.s3.eu-west-1.amazonaws.com/p/t.yaml", ("b", "p/t.yaml")),
        ("https://b.s3.amazonaws.com/t.json", ("b", "t.json")),
        ("https://s3.eu-west-1.amazonaws.com/b/p/t.yaml", ("b", "p/t.yaml")),
        ("https://s3-eu-west-1.amazonaws.com/b/t%20x.yaml", ("b", "t x.yaml")),
        ("https://raw.githubusercontent.com/org/repo/main/t.yaml", None),
        ("https://b.s3.eu-west-1.amazonaws.com/", None),
    ],
)
def test_template_urls_in_s3(url: str, location: tuple[str, str] | None) -> None:
    assert template_location(url) == location


def test_templates_need_resources_and_may_use_short_form_tags() -> None:
    yaml_template = (
        b"Resources:\n"
        b"  B:\n"
        b"    Type: AWS::S3::Bucket\n"
        b"    Properties:\n"
        b'      BucketName: !Sub "x-${AWS::AccountId}"\n'
        b"      Tags: [!Ref AWS::NoValue]\n"
    )
    assert template_problem(yaml_template) is None
    assert template_problem(b'{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}') is None
    assert template_problem(b"Description: nothing\n") == "the template has no Resources"
    assert template_problem(b"[1, 2") is not None


def test_organization_nodes_by_id_or_arn() -> None:
    arn = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdef3456"
    assert organization_node_id(arn) == "ou-ab12-cdef3456"
    assert organization_node_id("o-abcdefghij") == "o-abcdefghij"


# -- the fixture applied ------------------------------------------------------------------------


@dataclass
class Organization:
    """The simulated organization: its id, the workloads OU and a member account in it."""

    id: str
    ou_id: str
    ou_arn: str
    member: str


@dataclass
class AppliedCatalog:
    """The fixture applied: its simulator, Terraform working directory, outputs and timings."""

    sim: Simulator
    workspace: Workspace
    organization: Organization
    types: set[str]
    outputs: dict[str, Any]
    resources: int
    seconds: dict[str, float] = field(default_factory=dict)

    def client(self, service: str, region: str = REGION) -> Any:
        return self.sim.client(self.sim.base_session(region), service)

    def write_variables(self, **values: Any) -> None:
        variables = {"workloads_ou_arn": self.organization.ou_arn, **values}
        path = self.workspace.directory / "terraform.tfvars.json"
        path.write_text(json.dumps(variables), encoding="utf-8")


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    running = simulator.start(tmp_path_factory.mktemp("service-catalog-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def organization(sim: Simulator) -> Organization:
    """The organization the catalog account manages, with the OU the portfolios go to."""
    org = sim.client(sim.base_session(REGION), "organizations")
    org_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]
    member = org.create_account(AccountName="team-a", Email="team-a@example.com")
    member_id = member["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=member_id, SourceParentId=root, DestinationParentId=ou["Id"])
    return Organization(org_id, ou["Id"], ou["Arn"], member_id)


@pytest.fixture(scope="module")
def applied(
    sim: Simulator, organization: Organization, tmp_path_factory: pytest.TempPathFactory
) -> AppliedCatalog:
    require_terraform()
    root = tmp_path_factory.mktemp("service-catalog-sandbox")
    directory = root / FIXTURE.name
    shutil.copytree(FIXTURE, directory, ignore=shutil.ignore_patterns(".terraform*"))
    workspace = setup_terraform(root / "cli", sim.environment()).workspace(directory)
    catalog = AppliedCatalog(sim, workspace, organization, set(), {}, 0)
    catalog.write_variables()
    workspace.init(backend=False)
    started = time.monotonic()
    workspace.apply()
    catalog.seconds["apply"] = time.monotonic() - started
    resources = workspace.state_resources()
    catalog.types = {r["type"] for r in resources}
    catalog.resources = len(resources)
    catalog.outputs = workspace.output()
    return catalog


@pytest.mark.slow
def test_every_resource_type_applies(applied: AppliedCatalog) -> None:
    print(
        f"\nservice-catalog fixture: {applied.resources} resources applied in "
        f"{applied.seconds['apply']:.1f} s"
    )
    assert set(TYPES) <= applied.types
    assert not applied.types & gaps.UNSUPPORTED_RESOURCE_TYPES.keys()
    outputs = applied.outputs
    assert all(ids_like("port").match(i) for i in outputs["portfolio_ids"].values())
    assert all(ids_like("prod").match(i) for i in outputs["product_ids"].values())
    assert all(ids_like("cons").match(i) for i in outputs["constraint_ids"].values())
    assert all(ids_like("tag").match(i) for i in outputs["tag_option_ids"].values())
    assert ids_like("pa").match(outputs["workspace_v2_id"])


@pytest.mark.slow
def test_a_second_plan_shows_no_changes(applied: AppliedCatalog) -> None:
    started = time.monotonic()
    changes, text = applied.workspace.plan_has_changes()
    applied.seconds["replan"] = time.monotonic() - started
    print(f"\nservice-catalog fixture: second plan in {applied.seconds['replan']:.1f} s")
    assert not changes, text


def artifacts_by_name(catalog: Any, product_id: str) -> dict[str, dict[str, Any]]:
    summaries = catalog.describe_product_as_admin(Id=product_id)["ProvisioningArtifactSummaries"]
    return {
        s["Name"]: catalog.describe_provisioning_artifact(
            ProductId=product_id, ProvisioningArtifactId=s["Id"]
        )
        for s in summaries
    }


@pytest.mark.slow
def test_products_keep_their_versions(applied: AppliedCatalog) -> None:
    catalog = applied.client("servicecatalog")
    products = applied.outputs["product_ids"]
    workspace = catalog.describe_product_as_admin(Id=products["workspace"])
    summary = workspace["ProductViewDetail"]["ProductViewSummary"]
    assert (summary["Name"], summary["Type"], summary["Owner"]) == (
        "ml-workspace",
        "CLOUD_FORMATION_TEMPLATE",
        "ML platform team",
    )
    assert summary["SupportEmail"] == "ml-platform@example.com"
    assert workspace["ProductViewDetail"]["Status"] == "AVAILABLE"
    assert workspace["ProductViewDetail"]["ProductARN"] == (
        f"arn:aws:catalog:{REGION}:{ACCOUNT_ID}:product/{products['workspace']}"
    )
    tags = {t["Key"]: t["Value"] for t in workspace["Tags"]}
    assert tags == {
        "mlgov:component": "service-catalog",
        "mlgov:environment": "sandbox",
        "sagemaker:studio-visibility": "true",
    }
    versions = artifacts_by_name(catalog, products["workspace"])
    assert sorted(versions) == ["v1", "v2"]
    bucket = f"https://mlgov-sc-artifacts-{ACCOUNT_ID}-{REGION}.s3.{REGION}.amazonaws.com"
    for name, version in versions.items():
        detail = version["ProvisioningArtifactDetail"]
        assert (detail["Type"], detail["Active"], detail["Guidance"]) == (
            "CLOUD_FORMATION_TEMPLATE",
            True,
            "DEFAULT",
        )
        assert version["Info"] == {
            "TemplateUrl": f"{bucket}/products/workspace/{name}/template.yaml"
        }
        assert version["Status"] == "AVAILABLE"
    assert versions["v2"]["ProvisioningArtifactDetail"]["Id"] == applied.outputs["workspace_v2_id"]
    for key, product_type in (
        ("terraform_workspace", "EXTERNAL"),
        ("hcp_workspace", "TERRAFORM_CLOUD"),
    ):
        (version,) = artifacts_by_name(catalog, products[key]).values()
        assert version["ProvisioningArtifactDetail"]["Type"] == product_type


@pytest.mark.slow
def test_portfolios_hold_products_constraints_and_tag_options(applied: AppliedCatalog) -> None:
    catalog = applied.client("servicecatalog")
    portfolios, products = applied.outputs["portfolio_ids"], applied.outputs["product_ids"]
    placed = {
        key: [
            p["Id"] for p in catalog.list_portfolios_for_product(ProductId=pid)["PortfolioDetails"]
        ]
        for key, pid in products.items()
    }
    assert placed == {
        "workspace": [portfolios["ml_admin"]],
        "terraform_workspace": [portfolios["ml_admin"]],
        "hcp_workspace": [portfolios["sagemaker_projects"]],
    }
    constraints = {
        (c["ProductId"], c["Type"]): catalog.describe_constraint(Id=c["ConstraintId"])
        for portfolio in portfolios.values()
        for c in catalog.list_constraints_for_portfolio(PortfolioId=portfolio)["ConstraintDetails"]
    }
    launch_roles = {
        product: json.loads(found["ConstraintParameters"])
        for (product, kind), found in constraints.items()
        if kind == "LAUNCH"
    }
    assert launch_roles == {
        products["workspace"]: {"LocalRoleName": "mlgov-sc-ml-admin-launch"},
        products["terraform_workspace"]: {"LocalRoleName": "mlgov-sc-ml-admin-launch"},
        products["hcp_workspace"]: {"LocalRoleName": "mlgov-sc-projects-launch"},
    }
    update = constraints[(products["workspace"], "RESOURCE_UPDATE")]
    assert json.loads(update["ConstraintParameters"]) == {
        "Version": "2.0",
        "Properties": {"TagUpdateOnProvisionedProduct": "ALLOWED"},
    }
    assert all(c["Status"] == "AVAILABLE" for c in constraints.values())
    assert {c["ConstraintDetail"]["Owner"] for c in constraints.values()} == {ACCOUNT_ID}
    teams = sorted(applied.outputs["tag_option_ids"].values())
    for portfolio in portfolios.values():
        described = catalog.describe_portfolio(Id=portfolio)
        assert sorted(t["Id"] for t in described["TagOptions"]) == teams
        assert {t["Key"] for t in described["Tags"]} == {"mlgov:component", "mlgov:environment"}
    team_a = applied.outputs["tag_option_ids"]["team-a"]
    resources = catalog.list_resources_for_tag_option(TagOptionId=team_a)["ResourceDetails"]
    assert sorted(r["Id"] for r in resources) == sorted(
        [*portfolios.values(), products["workspace"]]
    )
    option = catalog.describe_tag_option(Id=team_a)["TagOptionDetail"]
    assert (option["Key"], option["Value"], option["Active"]) == ("mlgov:team", "team-a", True)


@pytest.mark.slow
def test_principals_are_patterns_and_the_platform_admin(applied: AppliedCatalog) -> None:
    catalog = applied.client("servicecatalog")
    found = {
        key: sorted(
            (p["PrincipalType"], p["PrincipalARN"])
            for p in catalog.list_principals_for_portfolio(PortfolioId=pid)["Principals"]
        )
        for key, pid in applied.outputs["portfolio_ids"].items()
    }
    admin = f"arn:aws:iam::{ACCOUNT_ID}:role/mlgov/mlgov-platform-admin"
    assert found == {
        "ml_admin": sorted(
            [("IAM", admin)] + [("IAM_PATTERN", arn) for arn in PATTERNS["ml_admin"]]
        ),
        "sagemaker_projects": sorted(
            ("IAM_PATTERN", arn) for arn in PATTERNS["sagemaker_projects"]
        ),
    }


@pytest.mark.slow
def test_portfolios_are_shared_with_the_workloads_ou(applied: AppliedCatalog) -> None:
    catalog = applied.client("servicecatalog")
    portfolios = applied.outputs["portfolio_ids"]
    organization = applied.organization
    for portfolio in portfolios.values():
        shares = catalog.describe_portfolio_shares(
            PortfolioId=portfolio, Type="ORGANIZATIONAL_UNIT"
        )["PortfolioShareDetails"]
        assert shares == [
            {
                "PrincipalId": organization.ou_id,
                "Type": "ORGANIZATIONAL_UNIT",
                "Accepted": True,
                "ShareTagOptions": True,
                "SharePrincipals": True,
            }
        ]
        nodes = catalog.list_organization_portfolio_access(
            PortfolioId=portfolio, OrganizationNodeType="ORGANIZATIONAL_UNIT"
        )["OrganizationNodes"]
        assert nodes == [{"Type": "ORGANIZATIONAL_UNIT", "Value": organization.ou_id}]
        reached = catalog.list_portfolio_access(
            PortfolioId=portfolio, OrganizationParentId=organization.ou_id
        )["AccountIds"]
        assert reached == [organization.member]
    account_shares = catalog.describe_portfolio_shares(
        PortfolioId=portfolios["ml_admin"], Type="ACCOUNT"
    )["PortfolioShareDetails"]
    # An account share waits for the account to accept it.
    assert account_shares == [
        {
            "PrincipalId": EXTERNAL_ACCOUNT,
            "Type": "ACCOUNT",
            "Accepted": False,
            "ShareTagOptions": True,
            "SharePrincipals": False,
        }
    ]
    assert catalog.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"
    services = applied.client("organizations").list_aws_service_access_for_organization()
    principals = [s["ServicePrincipal"] for s in services["EnabledServicePrincipals"]]
    assert principals == ["servicecatalog.amazonaws.com"]


@pytest.mark.slow
def test_an_eleventh_iam_pattern_is_refused(applied: AppliedCatalog) -> None:
    catalog = applied.client("servicecatalog")
    portfolio = applied.outputs["portfolio_ids"]["sagemaker_projects"]
    extra = [f"arn:aws:iam:::role/mlgov/extra-{index}-*" for index in range(9)]
    try:
        for arn in extra[:8]:  # 2 applied + 8 = the 10 AWS allows
            catalog.associate_principal_with_portfolio(
                PortfolioId=portfolio, PrincipalARN=arn, PrincipalType="IAM_PATTERN"
            )
        with pytest.raises(ClientError) as refused:
            catalog.associate_principal_with_portfolio(
                PortfolioId=portfolio, PrincipalARN=extra[8], PrincipalType="IAM_PATTERN"
            )
        assert error_code(refused) == "LimitExceededException"
        assert "current limits of the service would have been exceeded" in str(refused.value)
        listed = catalog.list_principals_for_portfolio(PortfolioId=portfolio, PageSize=20)
        assert len(listed["Principals"]) == 10
    finally:
        for arn in extra[:8]:
            catalog.disassociate_principal_from_portfolio(
                PortfolioId=portfolio, PrincipalARN=arn, PrincipalType="IAM_PATTERN"
            )


@pytest.mark.slow
def test_an_update_deprecates_the_second_version(applied: AppliedCatalog) -> None:
    applied.write_variables(
        v2_guidance="DEPRECATED",
        workspace_description="The team ML workspace, v2 recommended until v3.",
        tags={"mlgov:owner": "ml-platform"},
    )
    started = time.monotonic()
    applied.workspace.apply()
    applied.seconds["update"] = time.monotonic() - started
    changes, text = applied.workspace.plan_has_changes()
    print(f"\nservice-catalog fixture: update applied in {applied.seconds['update']:.1f} s")
    assert not changes, text
    catalog = applied.client("servicecatalog")
    products = applied.outputs["product_ids"]
    versions = artifacts_by_name(catalog, products["workspace"])
    v2 = versions["v2"]["ProvisioningArtifactDetail"]
    assert (v2["Guidance"], v2["Active"]) == ("DEPRECATED", True)
    assert versions["v1"]["ProvisioningArtifactDetail"]["Guidance"] == "DEFAULT"
    workspace = catalog.describe_product_as_admin(Id=products["workspace"])
    summary = workspace["ProductViewDetail"]["ProductViewSummary"]
    assert summary["ShortDescription"] == "The team ML workspace, v2 recommended until v3."
    assert {"Key": "mlgov:owner", "Value": "ml-platform"} in workspace["Tags"]
    portfolio = catalog.describe_portfolio(Id=applied.outputs["portfolio_ids"]["ml_admin"])
    assert {"Key": "mlgov:owner", "Value": "ml-platform"} in portfolio["Tags"]


@pytest.mark.slow
def test_destroy_removes_the_catalog(applied: AppliedCatalog) -> None:
    """Last test of the fixture: everything above reads what this destroys."""
    started = time.monotonic()
    applied.workspace.destroy()
    applied.seconds["destroy"] = time.monotonic() - started
    print(
        f"\nservice-catalog fixture: destroyed in {applied.seconds['destroy']:.1f} s "
        f"({json.dumps({k: round(v, 1) for k, v in applied.seconds.items()})})"
    )
    assert applied.workspace.state_resources() == []
    catalog = applied.client("servicecatalog")
    assert catalog.list_portfolios()["PortfolioDetails"] == []
    assert catalog.search_products_as_admin()["ProductViewDetails"] == []
    assert catalog.list_tag_options()["TagOptionDetails"] == []
    for product in applied.outputs["product_ids"].values():
        with pytest.raises(ClientError) as missing:
            catalog.describe_product_as_admin(Id=product)
        assert error_code(missing) == "ResourceNotFoundException"
    assert catalog.get_aws_organizations_access_status()["AccessStatus"] == "DISABLED"


# -- the simulator's Service Catalog, on its own (another region than the fixture's) ----------


@pytest.fixture(scope="module")
def catalog(sim: Simulator, organization: Organization) -> Any:
    return sim.client(sim.base_session(OTHER_REGION), "servicecatalog")


@pytest.fixture(scope="module")
def templates(sim: Simulator) -> str:
    """A bucket of the simulator with a valid and an invalid template; returns its URL."""
    s3 = sim.client(sim.base_session(OTHER_REGION), "s3")
    bucket = f"sc-checks-{ACCOUNT_ID}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(
        Bucket=bucket,
        Key="valid.json",
        Body=json.dumps({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}).encode(),
    )
    s3.put_object(Bucket=bucket, Key="invalid.yaml", Body=b"Description: no resources\n")
    return f"https://{bucket}.s3.amazonaws.com"


def cfn_product(catalog: Any, url: str, **parameters: Any) -> dict[str, Any]:
    return catalog.create_product(  # type: ignore[no-any-return]
        Name="checks",
        Owner="checks",
        ProductType="CLOUD_FORMATION_TEMPLATE",
        ProvisioningArtifactParameters={"Name": "v1", "Info": {"LoadTemplateFromURL": url}}
        | parameters,
    )


def test_missing_resources_are_resource_not_found(catalog: Any) -> None:
    for call, arguments in (
        (catalog.describe_portfolio, {"Id": "port-aaaaaaaaaaaaa"}),
        (catalog.describe_product_as_admin, {"Id": "prod-aaaaaaaaaaaaa"}),
        (catalog.describe_constraint, {"Id": "cons-aaaaaaaaaaaaa"}),
        (catalog.describe_tag_option, {"Id": "tag-aaaaaaaaaaaaa"}),
        (catalog.delete_portfolio, {"Id": "port-aaaaaaaaaaaaa"}),
    ):
        with pytest.raises(ClientError) as missing:
            call(**arguments)
        assert error_code(missing) == "ResourceNotFoundException"


def test_templates_in_the_simulator_are_validated(catalog: Any, templates: str) -> None:
    product = cfn_product(catalog, f"{templates}/valid.json")
    assert ids_like("prod").match(product["ProductViewDetail"]["ProductViewSummary"]["ProductId"])
    assert ids_like("pa").match(product["ProvisioningArtifactDetail"]["Id"])
    for key in ("invalid.yaml", "missing.yaml"):
        with pytest.raises(ClientError) as refused:
            cfn_product(catalog, f"{templates}/{key}")
        assert error_code(refused) == "InvalidParametersException"
    cfn_product(catalog, f"{templates}/invalid.yaml", DisableTemplateValidation=True)
    # A template outside the simulated AWS cannot be read: it is taken as it is.
    cfn_product(catalog, "https://raw.githubusercontent.com/org/repo/main/template.yaml")
    with pytest.raises(ClientError) as mismatched:
        cfn_product(catalog, f"{templates}/valid.json", Type="EXTERNAL")
    assert error_code(mismatched) == "InvalidParametersException"


def test_versions_are_updated_and_the_last_one_stays(catalog: Any, templates: str) -> None:
    product = cfn_product(catalog, f"{templates}/valid.json")
    product_id = product["ProductViewDetail"]["ProductViewSummary"]["ProductId"]
    v1 = product["ProvisioningArtifactDetail"]["Id"]
    v2 = catalog.create_provisioning_artifact(
        ProductId=product_id,
        Parameters={"Name": "v2", "Info": {"LoadTemplateFromURL": f"{templates}/valid.json"}},
    )["ProvisioningArtifactDetail"]["Id"]
    catalog.update_provisioning_artifact(
        ProductId=product_id, ProvisioningArtifactId=v1, Active=False, Guidance="DEPRECATED"
    )
    detail = catalog.describe_provisioning_artifact(ProductId=product_id, ProvisioningArtifactId=v1)
    assert (
        detail["ProvisioningArtifactDetail"]["Active"],
        detail["ProvisioningArtifactDetail"]["Guidance"],
    ) == (False, "DEPRECATED")
    listed = catalog.list_provisioning_artifacts(ProductId=product_id)[
        "ProvisioningArtifactDetails"
    ]
    assert [a["Id"] for a in listed] == [v1, v2]
    # The end user's view offers active versions only, through the portfolios.
    with pytest.raises(ClientError) as in_no_portfolio:
        catalog.describe_product(Id=product_id)
    assert error_code(in_no_portfolio) == "ResourceNotFoundException"
    portfolio = catalog.create_portfolio(DisplayName="versions", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    catalog.associate_product_with_portfolio(ProductId=product_id, PortfolioId=portfolio_id)
    offered = catalog.describe_product(Id=product_id)
    assert [a["Id"] for a in offered["ProvisioningArtifacts"]] == [v2]
    assert [p["Name"] for p in offered["LaunchPaths"]] == ["versions"]
    catalog.delete_provisioning_artifact(ProductId=product_id, ProvisioningArtifactId=v2)
    with pytest.raises(ClientError) as last:
        catalog.delete_provisioning_artifact(ProductId=product_id, ProvisioningArtifactId=v1)
    assert error_code(last) == "InvalidParametersException"


def test_constraints_follow_their_types(sim: Simulator, catalog: Any, templates: str) -> None:
    iam = sim.client(sim.base_session(OTHER_REGION), "iam")
    iam.create_role(RoleName="checks-launch", AssumeRolePolicyDocument=json.dumps(TRUST))
    portfolio = catalog.create_portfolio(DisplayName="checks", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    products = [
        cfn_product(catalog, f"{templates}/valid.json")["ProductViewDetail"]["ProductViewSummary"][
            "ProductId"
        ]
        for _ in range(2)
    ]

    def constrain(product: str, kind: str, parameters: dict[str, Any]) -> dict[str, Any]:
        return catalog.create_constraint(  # type: ignore[no-any-return]
            PortfolioId=portfolio_id,
            ProductId=product,
            Type=kind,
            Parameters=json.dumps(parameters),
        )

    with pytest.raises(ClientError) as outside:
        constrain(products[0], "LAUNCH", {"LocalRoleName": "checks-launch"})
    assert error_code(outside) == "ResourceNotFoundException"  # not in the portfolio yet
    for product in products:
        catalog.associate_product_with_portfolio(ProductId=product, PortfolioId=portfolio_id)
    with pytest.raises(ClientError) as no_role:
        constrain(products[0], "LAUNCH", {"LocalRoleName": "no-such-role"})
    assert error_code(no_role) == "InvalidParametersException"
    launch = constrain(products[0], "LAUNCH", {"LocalRoleName": "checks-launch"})
    assert ids_like("cons").match(launch["ConstraintDetail"]["ConstraintId"])
    with pytest.raises(ClientError) as second:
        constrain(products[0], "LAUNCH", {"LocalRoleName": "checks-launch"})
    assert error_code(second) == "DuplicateResourceException"
    with pytest.raises(ClientError) as both:
        constrain(products[0], "STACKSET", STACKSET)
    assert error_code(both) == "InvalidParametersException"
    constrain(products[1], "STACKSET", STACKSET)
    constrain(products[1], "NOTIFICATION", {"NotificationArns": [TOPIC]})
    constrain(products[1], "TEMPLATE", {"Rules": {"Small": {"Assertions": []}}})
    kinds = catalog.list_constraints_for_portfolio(PortfolioId=portfolio_id, ProductId=products[1])
    assert sorted(c["Type"] for c in kinds["ConstraintDetails"]) == [
        "NOTIFICATION",
        "STACKSET",
        "TEMPLATE",
    ]
    with pytest.raises(ClientError) as constrained:
        catalog.disassociate_product_from_portfolio(ProductId=products[0], PortfolioId=portfolio_id)
    assert error_code(constrained) == "ResourceInUseException"
    with pytest.raises(ClientError) as in_use:
        catalog.delete_portfolio(Id=portfolio_id)
    assert error_code(in_use) == "ResourceInUseException"
    with pytest.raises(ClientError) as in_portfolio:
        catalog.delete_product(Id=products[0])
    assert error_code(in_portfolio) == "ResourceInUseException"


STACKSET = {
    "Version": "2.0",
    "Properties": {
        "AccountList": ["222222222222"],
        "RegionList": [OTHER_REGION],
        "AdminRole": f"arn:aws:iam::{ACCOUNT_ID}:role/AWSCloudFormationStackSetAdministrationRole",
        "ExecutionRole": "AWSCloudFormationStackSetExecutionRole",
    },
}
TOPIC = f"arn:aws:sns:{OTHER_REGION}:{ACCOUNT_ID}:launches"


def test_tag_options_are_unique_and_held_while_associated(catalog: Any) -> None:
    option = catalog.create_tag_option(Key="cost-center", Value="1234")["TagOptionDetail"]
    assert ids_like("tag").match(option["Id"])
    with pytest.raises(ClientError) as duplicate:
        catalog.create_tag_option(Key="cost-center", Value="1234")
    assert error_code(duplicate) == "DuplicateResourceException"
    portfolio = catalog.create_portfolio(DisplayName="tags", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    catalog.associate_tag_option_with_resource(ResourceId=portfolio_id, TagOptionId=option["Id"])
    with pytest.raises(ClientError) as twice:
        catalog.associate_tag_option_with_resource(
            ResourceId=portfolio_id, TagOptionId=option["Id"]
        )
    assert error_code(twice) == "DuplicateResourceException"
    with pytest.raises(ClientError) as held:
        catalog.delete_tag_option(Id=option["Id"])
    assert error_code(held) == "ResourceInUseException"
    inactive = catalog.create_tag_option(Key="cost-center", Value="5678")["TagOptionDetail"]
    catalog.update_tag_option(Id=inactive["Id"], Active=False)
    with pytest.raises(ClientError) as not_active:
        catalog.associate_tag_option_with_resource(
            ResourceId=portfolio_id, TagOptionId=inactive["Id"]
        )
    assert error_code(not_active) == "InvalidStateException"
    catalog.disassociate_tag_option_from_resource(ResourceId=portfolio_id, TagOptionId=option["Id"])
    catalog.delete_tag_option(Id=option["Id"])


def test_principals_are_checked_and_limited(catalog: Any) -> None:
    portfolio = catalog.create_portfolio(DisplayName="principals", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    for arn, kind in (
        ("arn:aws:iam:::role/team", "IAM"),
        (f"arn:aws:iam::{ACCOUNT_ID}:role/team-*", "IAM_PATTERN"),
        ("arn:aws:iam:::*/team", "IAM_PATTERN"),
    ):
        with pytest.raises(ClientError) as invalid:
            catalog.associate_principal_with_portfolio(
                PortfolioId=portfolio_id, PrincipalARN=arn, PrincipalType=kind
            )
        assert error_code(invalid) == "InvalidParametersException", arn
    for index in range(10):
        catalog.associate_principal_with_portfolio(
            PortfolioId=portfolio_id,
            PrincipalARN=f"arn:aws:iam:::role/team-{index}/*",
            PrincipalType="IAM_PATTERN",
        )
    # An IAM principal is not an IAM_PATTERN: it does not count against the 10.
    catalog.associate_principal_with_portfolio(
        PortfolioId=portfolio_id,
        PrincipalARN=f"arn:aws:iam::{ACCOUNT_ID}:role/admin",
        PrincipalType="IAM",
    )
    with pytest.raises(ClientError) as eleventh:
        catalog.associate_principal_with_portfolio(
            PortfolioId=portfolio_id,
            PrincipalARN="arn:aws:iam:::role/team-10/*",
            PrincipalType="IAM_PATTERN",
        )
    assert error_code(eleventh) == "LimitExceededException"
    first = catalog.list_principals_for_portfolio(PortfolioId=portfolio_id, PageSize=8)
    rest = catalog.list_principals_for_portfolio(
        PortfolioId=portfolio_id, PageSize=8, PageToken=first["NextPageToken"]
    )
    assert len(first["Principals"]) + len(rest["Principals"]) == 11
    assert "NextPageToken" not in rest
    with pytest.raises(ClientError) as wrong_type:
        catalog.disassociate_principal_from_portfolio(
            PortfolioId=portfolio_id,
            PrincipalARN="arn:aws:iam:::role/team-0/*",
            PrincipalType="IAM",
        )
    assert error_code(wrong_type) == "ResourceNotFoundException"


def test_organization_shares_follow_the_organization(
    sim: Simulator, catalog: Any, organization: Organization
) -> None:
    portfolio = catalog.create_portfolio(DisplayName="shared", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    node = {"Type": "ORGANIZATIONAL_UNIT", "Value": organization.ou_arn}
    catalog.disable_aws_organizations_access()
    with pytest.raises(ClientError) as no_access:
        catalog.create_portfolio_share(PortfolioId=portfolio_id, OrganizationNode=node)
    assert error_code(no_access) == "InvalidStateException"
    catalog.enable_aws_organizations_access()
    with pytest.raises(ClientError) as unknown:
        catalog.create_portfolio_share(
            PortfolioId=portfolio_id,
            OrganizationNode={"Type": "ORGANIZATIONAL_UNIT", "Value": "ou-zzzz-zzzzzzzz"},
        )
    assert error_code(unknown) == "InvalidParametersException"
    with pytest.raises(ClientError) as account_principals:
        catalog.create_portfolio_share(
            PortfolioId=portfolio_id, AccountId=EXTERNAL_ACCOUNT, SharePrincipals=True
        )
    assert error_code(account_principals) == "InvalidParametersException"
    token = catalog.create_portfolio_share(
        PortfolioId=portfolio_id, OrganizationNode=node, SharePrincipals=True
    )["PortfolioShareToken"]
    assert ids_like("share").match(token)
    status = catalog.describe_portfolio_share_status(PortfolioShareToken=token)
    assert status["Status"] == "COMPLETED"
    assert status["OrganizationNodeValue"] == organization.ou_id
    assert status["ShareDetails"]["SuccessfulShares"] == [organization.member]
    updated = catalog.update_portfolio_share(
        PortfolioId=portfolio_id, OrganizationNode=node, ShareTagOptions=True
    )
    assert updated["Status"] == "COMPLETED"
    (share,) = catalog.describe_portfolio_shares(
        PortfolioId=portfolio_id, Type="ORGANIZATIONAL_UNIT"
    )["PortfolioShareDetails"]
    assert (share["Accepted"], share["SharePrincipals"], share["ShareTagOptions"]) == (
        True,
        True,
        True,
    )
    # A member account is no management account or delegated administrator ...
    member = sim.client(sim.session(organization.member, OTHER_REGION), "servicecatalog")
    with pytest.raises(ClientError) as not_admin:
        member.get_aws_organizations_access_status()
    assert error_code(not_admin) == "OperationNotSupportedException"
    # ... until it is registered as Service Catalog's delegated administrator.
    organizations = sim.client(sim.base_session(OTHER_REGION), "organizations")
    organizations.register_delegated_administrator(
        AccountId=organization.member, ServicePrincipal="servicecatalog.amazonaws.com"
    )
    try:
        assert member.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"
        with pytest.raises(ClientError) as delegated_enable:
            member.enable_aws_organizations_access()
        assert error_code(delegated_enable) == "OperationNotSupportedException"
        with pytest.raises(ClientError) as admins_remain:
            catalog.disable_aws_organizations_access()
        assert error_code(admins_remain) == "InvalidStateException"
    finally:
        organizations.deregister_delegated_administrator(
            AccountId=organization.member, ServicePrincipal="servicecatalog.amazonaws.com"
        )
    outsider = sim.client(sim.session(OUTSIDER, OTHER_REGION), "servicecatalog")
    with pytest.raises(ClientError) as no_organization:
        outsider.get_aws_organizations_access_status()
    assert error_code(no_organization) == "ResourceNotFoundException"
    catalog.delete_portfolio_share(PortfolioId=portfolio_id, OrganizationNode=node)
    catalog.disable_aws_organizations_access()


def test_an_account_share_is_accepted_by_the_account(sim: Simulator, catalog: Any) -> None:
    portfolio = catalog.create_portfolio(DisplayName="to one account", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    assert "PortfolioShareToken" not in catalog.create_portfolio_share(
        PortfolioId=portfolio_id, AccountId=OUTSIDER, ShareTagOptions=True
    )

    def accepted() -> bool:
        (share,) = catalog.describe_portfolio_shares(PortfolioId=portfolio_id, Type="ACCOUNT")[
            "PortfolioShareDetails"
        ]
        return bool(share["Accepted"])

    assert not accepted()
    recipient = sim.client(sim.session(OUTSIDER, OTHER_REGION), "servicecatalog")
    recipient.accept_portfolio_share(PortfolioId=portfolio_id)
    assert accepted()
    assert catalog.list_portfolio_access(PortfolioId=portfolio_id)["AccountIds"] == [OUTSIDER]
    with pytest.raises(ClientError) as in_use:
        catalog.delete_portfolio(Id=portfolio_id)
    assert error_code(in_use) == "ResourceInUseException"
    catalog.delete_portfolio_share(PortfolioId=portfolio_id, AccountId=OUTSIDER)
    catalog.delete_portfolio(Id=portfolio_id)


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "servicecatalog.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
