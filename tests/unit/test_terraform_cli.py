"""The Terraform CLI configuration the worker writes for every run."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.terraform_cli import TerraformNotUsable, cli_config_text, parse_version, terraform_env


def test_mirror_serves_the_aws_provider_and_the_registry_everything_else(tmp_path: Path) -> None:
    text = cli_config_text(tmp_path / "mirror", tmp_path / "cache")
    assert f'plugin_cache_dir = "{tmp_path / "cache"}"' in text
    assert f'path    = "{tmp_path / "mirror"}"' in text
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in text
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in text
    assert "provider_installation" not in cli_config_text(None, tmp_path / "cache")


def test_the_configuration_lives_in_the_given_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TF_PLUGIN_MIRROR", raising=False)
    env = terraform_env({"PATH": "/usr/bin"}, tmp_path)
    assert env["TF_CLI_CONFIG_FILE"] == str(tmp_path / "terraformrc")
    assert (tmp_path / "terraformrc").read_text().startswith("# Written by portal.terraform_cli")
    assert (tmp_path / "terraform-plugin-cache").is_dir()
    assert env["PATH"] == "/usr/bin" and env["CHECKPOINT_DISABLE"] == "1"


def test_a_mirror_setting_that_is_not_a_directory_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(tmp_path / "missing"))
    with pytest.raises(TerraformNotUsable, match="is not a directory. Point it at a provider"):
        terraform_env({}, tmp_path)


def test_versions_are_read_from_terraform_output() -> None:
    assert parse_version("Terraform v1.11.4\non linux_amd64") == (1, 11, 4)
    with pytest.raises(TerraformNotUsable, match="could not read a version"):
        parse_version("no version here")
