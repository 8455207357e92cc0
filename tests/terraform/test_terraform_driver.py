"""How the harness finds the provider: no machine path in the project, a clear reason otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_sandbox import terraform


def test_without_a_mirror_terraform_uses_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(terraform.MIRROR_VARIABLE, raising=False)
    config = terraform.write_cli_config(tmp_path).read_text(encoding="utf-8")
    assert "filesystem_mirror" not in config
    assert "plugin_cache_dir" in config


def test_a_mirror_is_used_for_every_registry_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "registry.terraform.io").mkdir(parents=True)
    monkeypatch.setenv(terraform.MIRROR_VARIABLE, str(mirror))
    config = terraform.write_cli_config(tmp_path / "cli").read_text(encoding="utf-8")
    assert f'path    = "{mirror}"' in config
    assert 'exclude = ["registry.terraform.io/*/*"]' in config


def test_a_mirror_without_the_registry_layout_is_refused_with_the_expected_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(terraform.MIRROR_VARIABLE, str(tmp_path))
    with pytest.raises(terraform.TerraformUnavailable) as error:
        terraform.provider_mirror()
    assert str(tmp_path) in str(error.value)
    assert "registry.terraform.io/hashicorp/aws/<version>/<os_arch>/" in str(error.value)


def test_no_terraform_binary_is_a_clear_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(terraform.TerraformUnavailable, match="no `terraform` binary on PATH"):
        terraform.setup_terraform(tmp_path / "cli")


def test_the_caller_credentials_never_reach_terraform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production-admin")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-looking-token")
    setup = terraform.TerraformSetup("terraform", tmp_path / "rc", {"AWS_ACCESS_KEY_ID": "sandbox"})
    env = setup.env()
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["AWS_ACCESS_KEY_ID"] == "sandbox"
    assert env["TF_CLI_CONFIG_FILE"] == str(tmp_path / "rc")
