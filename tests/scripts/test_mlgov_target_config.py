"""Target config parsing: good configs load with stage defaults, bad ones name the key (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from mlgov_testkit import REPO, TARGETS, session_factory, target_json

from mlgov.cli import main
from mlgov.errors import InputError
from mlgov.target_config import TargetConfig, load_target_document, parse_target_config

ARN = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/team-a-churn/1"


def _complete(path: str | None, stage: str | None = None) -> TargetConfig:
    document = load_target_document(path, expected_stage=stage)
    assert document.parameter_name is None and document.config is not None
    return document.config


def test_fixture_configs_load_with_stage_defaults() -> None:
    test = _complete(str(TARGETS / "test.json"), "test")
    prod = _complete(str(TARGETS / "prod.json"), "prod")

    assert test.traffic_shifting.mode == "all_at_once"
    assert test.autoscaling is None
    assert test.variant_name == "AllTraffic"
    assert prod.traffic_shifting.mode == "canary"
    assert prod.traffic_shifting.canary_size_percent == 10
    assert prod.autoscaling is not None and prod.autoscaling.max_capacity == 4
    assert prod.alarm_names == ("mlgov-prod-endpoint-5xx", "mlgov-prod-endpoint-latency-p99")


def test_config_is_read_from_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test")))
    assert _complete(None).account_id == "111111111111"


def test_endpoint_name_is_derived_from_prefix_and_group() -> None:
    config = parse_target_config(target_json("test"))
    # No endpoint_name: the prefix comes from the deploy role name "{prefix}-model-deployer".
    assert config.resolve_endpoint_name("team-a-churn") == "mlgov-team-a-churn"
    with_prefix = parse_target_config({**target_json("test"), "name_prefix": "acme"})
    assert with_prefix.resolve_endpoint_name("team-a-churn") == "acme-team-a-churn"


def _with(**changes: Any) -> dict[str, Any]:
    raw = target_json("test")
    for key, value in changes.items():
        if value is _DROP:
            raw.pop(key)
        else:
            raw[key] = value
    return raw


_DROP = object()


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (_with(subnet_ids=_DROP), "subnet_ids"),
        (_with(subnet_ids=[]), "subnet_ids"),
        (_with(security_group_ids=["default"]), "security_group_ids"),
        (_with(stage="dev"), "stage"),
        (_with(account_id="1234"), "account_id"),
        (
            _with(deploy_role_arn="arn:aws:iam::999999999999:role/mlgov-model-deployer"),
            "deploy_role_arn",
        ),
        (_with(kms_key_arn="alias/aws/sagemaker"), "kms_key_arn"),
        (_with(data_capture_s3_uri="https://bucket/prefix"), "data_capture_s3_uri"),
        (_with(initial_instance_count=True), "initial_instance_count"),
        (_with(instance_type="m5.large"), "instance_type"),
        (_with(alarm_name=["typo"]), "alarm_name"),
        (
            _with(
                autoscaling={
                    "min_capacity": 3,
                    "max_capacity": 2,
                    "target_invocations_per_instance": 5,
                }
            ),
            "autoscaling.max_capacity",
        ),
        (
            _with(autoscaling={"min_capacity": 1, "max_capacity": 2}),
            "autoscaling.target_invocations_per_instance",
        ),
        (_with(traffic_shifting="big-bang"), "traffic_shifting"),
    ],
)
def test_bad_config_names_the_key(raw: dict[str, Any], key: str) -> None:
    with pytest.raises(InputError) as error:
        parse_target_config(raw)
    assert f"'{key}'" in error.value.message or repr(key) in error.value.message


def test_cli_exits_2_naming_the_bad_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "target.json"
    bad.write_text(json.dumps(_with(subnet_ids=["vpc-123"])))

    code = main(
        ["deploy", "--stage", "test", "--target-config", str(bad), "--model-package-arn", ARN],
        session_factory=session_factory,
    )

    assert code == 2
    assert "key 'subnet_ids'" in capsys.readouterr().err


def test_cli_refuses_another_stages_config(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "deploy",
            "--stage",
            "prod",
            "--target-config",
            str(TARGETS / "test.json"),
            "--model-package-arn",
            ARN,
            "--json",
        ],
        session_factory=session_factory,
    )

    captured = capsys.readouterr()
    assert code == 2
    assert json.loads(captured.out)["status"] == "invalid_input"
    assert "key 'stage'" in captured.err


def test_cli_needs_a_target_config(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["deploy", "--stage", "test", "--model-package-arn", ARN], session_factory=session_factory
    )
    assert code == 2
    assert "MLGOV_TARGET_CONFIG" in capsys.readouterr().err


def test_cli_rejects_an_unversioned_package_arn(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "deploy",
            "--stage",
            "test",
            "--target-config",
            str(TARGETS / "test.json"),
            "--model-package-arn",
            "arn:aws:sagemaker:eu-west-1:123456789012:model-package/team-a-churn",
        ],
        session_factory=session_factory,
    )
    assert code == 2
    assert "--model-package-arn" in capsys.readouterr().err


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["deploy", "--stage", "staging", "--model-package-arn", ARN])
    assert exit_info.value.code == 2
    assert "--stage" in capsys.readouterr().err


def test_cli_runs_from_the_unpacked_tooling_bundle(tmp_path: Path) -> None:
    # CodeBuild unpacks the tooling zip (root: mlgov/) and runs `python -m mlgov` in that
    # directory; the package is imported from there, not from an installation.
    with zipfile.ZipFile(tmp_path / "mlgov.zip", "w") as archive:
        for file in (REPO / "mlgov").rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                archive.write(file, file.relative_to(REPO))
    bundle = tmp_path / "bundle"
    with zipfile.ZipFile(tmp_path / "mlgov.zip") as archive:
        archive.extractall(bundle)
    code = (
        "import mlgov; from mlgov.endpoint_check import load_payloads;"
        "print(mlgov.__file__);"
        "print(len(load_payloads(None, default_content_type='application/json')))"
    )
    help_run = subprocess.run(
        [sys.executable, "-m", "mlgov", "deploy", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=bundle,
    )
    payload_run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=bundle,
    )
    assert help_run.returncode == 0 and "--model-package-arn" in help_run.stdout
    location, count = payload_run.stdout.split()
    assert Path(location).is_relative_to(bundle), payload_run.stdout
    assert count == "3", payload_run.stderr
