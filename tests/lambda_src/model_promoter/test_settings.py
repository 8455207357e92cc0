"""Settings are validated when the handler is imported, with errors naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from model_promoter.errors import ConfigurationError
from model_promoter.settings import load_settings
from promoter_world import PROMOTER_ENVIRONMENT

LAMBDA_SRC = Path(__file__).resolve().parents[3] / "lambda_src"


def test_valid_environment_loads():
    settings = load_settings(PROMOTER_ENVIRONMENT)
    assert settings.source_role_name == "mlgov-promotion-source"
    assert settings.idempotency_table_name == "mlgov-model-promoter-idempotency"
    assert settings.hub_image_repository_prefix == "mlgov-promoted"


@pytest.mark.parametrize("prefix", ["mlgov-promoted", "org/ml.platform_promoted", "p" * 223])
def test_valid_image_repository_prefixes(prefix):
    environment = dict(PROMOTER_ENVIRONMENT, HUB_IMAGE_REPOSITORY_PREFIX=prefix)
    assert load_settings(environment).hub_image_repository_prefix == prefix


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HUB_KMS_KEY_ARN", "", "HUB_KMS_KEY_ARN is not set"),
        ("HUB_KMS_KEY_ARN", "alias/whatever", "HUB_KMS_KEY_ARN='alias/whatever' is invalid"),
        ("HUB_ARTIFACT_BUCKET", "Not_A_Bucket", "HUB_ARTIFACT_BUCKET='Not_A_Bucket' is invalid"),
        ("SOURCE_ACCOUNTS_PARAMETER", "no-leading-slash", "SOURCE_ACCOUNTS_PARAMETER="),
        ("SOURCE_ROLE_NAME", "role/with/slashes", "SOURCE_ROLE_NAME="),
        ("HUB_IMAGE_REPOSITORY_PREFIX", "", "HUB_IMAGE_REPOSITORY_PREFIX is not set"),
        (
            "HUB_IMAGE_REPOSITORY_PREFIX",
            "mlgov-promoted/",
            "HUB_IMAGE_REPOSITORY_PREFIX='mlgov-promoted/' is invalid",
        ),
        ("HUB_IMAGE_REPOSITORY_PREFIX", "MLGov-Promoted", "HUB_IMAGE_REPOSITORY_PREFIX="),
        (
            "HUB_IMAGE_REPOSITORY_PREFIX",
            "arn:aws:ecr:eu-west-1:123456789012:repository/mlgov-promoted",
            "HUB_IMAGE_REPOSITORY_PREFIX=",
        ),
        ("HUB_IMAGE_REPOSITORY_PREFIX", "p" * 224, "HUB_IMAGE_REPOSITORY_PREFIX="),
    ],
)
def test_invalid_setting_names_the_variable(variable, value, message):
    environment = dict(PROMOTER_ENVIRONMENT, **{variable: value})
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        load_settings(environment)


def test_approver_role_name_is_rendered_per_team():
    settings = load_settings(PROMOTER_ENVIRONMENT)
    assert settings.approver_role_name_template == "mlgov-{team}-lead-data-scientist"
    assert settings.approver_role_name("team-a") == "mlgov-team-a-lead-data-scientist"
    assert settings.approver_role_name("b2") == "mlgov-b2-lead-data-scientist"


@pytest.mark.parametrize("template", ["{team}-approver", "x" * 60 + "{team}", "{team}@{team}"])
def test_valid_approver_role_name_templates(template):
    environment = dict(PROMOTER_ENVIRONMENT, APPROVER_ROLE_NAME_TEMPLATE=template)
    assert load_settings(environment).approver_role_name_template == template


APPROVER_EXPECTED = (
    "(expected an IAM role name containing the placeholder {team} and otherwise only letters, "
    "digits and +=,.@_-, e.g. mlgov-{team}-lead-data-scientist)"
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("", f"APPROVER_ROLE_NAME_TEMPLATE is not set {APPROVER_EXPECTED}", id="empty"),
        pytest.param(
            "mlgov-team-a-lead-data-scientist",
            "APPROVER_ROLE_NAME_TEMPLATE='mlgov-team-a-lead-data-scientist' is invalid "
            + APPROVER_EXPECTED,
            id="no-placeholder",
        ),
        pytest.param(
            "mlgov-{TEAM}-lead-data-scientist",
            "APPROVER_ROLE_NAME_TEMPLATE='mlgov-{TEAM}-lead-data-scientist' is invalid",
            id="other-placeholder",
        ),
        pytest.param(
            "mlgov-{team}-{persona}",
            "APPROVER_ROLE_NAME_TEMPLATE='mlgov-{team}-{persona}' is invalid",
            id="second-placeholder",
        ),
        pytest.param(
            "ml/mlgov-{team}-lead-data-scientist",
            "APPROVER_ROLE_NAME_TEMPLATE='ml/mlgov-{team}-lead-data-scientist' is invalid",
            id="path-not-name",
        ),
        pytest.param(
            "arn:aws:iam::111122223333:role/mlgov-{team}-lead-data-scientist",
            "APPROVER_ROLE_NAME_TEMPLATE='arn:aws:iam::111122223333:role/mlgov-{team}-lead",
            id="arn-not-name",
        ),
        pytest.param(
            "x" * 63 + "{team}",
            "APPROVER_ROLE_NAME_TEMPLATE='" + "x" * 63 + "{team}' is invalid (expected a role "
            "name of at most 64 characters once {team} is replaced; with a 2-character team it "
            "has 65)",
            id="too-long",
        ),
    ],
)
def test_invalid_approver_role_name_template(value, message):
    environment = dict(PROMOTER_ENVIRONMENT, APPROVER_ROLE_NAME_TEMPLATE=value)
    with pytest.raises(ConfigurationError) as error:
        load_settings(environment)
    assert message in str(error.value)


def test_missing_approver_role_name_template_is_named():
    environment = dict(PROMOTER_ENVIRONMENT)
    del environment["APPROVER_ROLE_NAME_TEMPLATE"]
    with pytest.raises(ConfigurationError) as error:
        load_settings(environment)
    assert str(error.value) == (
        "model_promoter configuration error: APPROVER_ROLE_NAME_TEMPLATE is not set "
        + APPROVER_EXPECTED
    )


def test_handler_import_fails_fast_naming_the_missing_variable():
    environment = {k: v for k, v in os.environ.items() if k not in PROMOTER_ENVIRONMENT}
    environment.update(PROMOTER_ENVIRONMENT)
    del environment["IDEMPOTENCY_TABLE_NAME"]
    environment["PYTHONPATH"] = str(LAMBDA_SRC)
    completed = subprocess.run(
        [sys.executable, "-c", "import model_promoter.handler"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode != 0
    assert "IDEMPOTENCY_TABLE_NAME is not set" in completed.stderr


def test_handler_import_makes_no_aws_call():
    """Importing with no reachable AWS (no credentials, no endpoint) must still succeed."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment.update(PROMOTER_ENVIRONMENT)
    environment.update(
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ENDPOINT_URL="http://127.0.0.1:9",  # any call would fail loudly
        PYTHONPATH=str(LAMBDA_SRC),
    )
    completed = subprocess.run(
        [sys.executable, "-c", "import model_promoter.handler"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
