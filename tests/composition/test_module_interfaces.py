"""Each Python module interface matches its HCL module, and bad arguments fail at synth time."""

from __future__ import annotations

import importlib.util
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cdktn import App, Fn, TerraformOutput, TerraformStack
from constructs import Construct

from platform_composition import modules as wrappers
from platform_composition.hcl_module import (
    MODULES_DIR,
    HclModule,
    ModuleArgumentError,
    check_module_arguments,
    read_module_interface,
)
from tests.composition.conftest import PROJECT_ROOT

WRAPPERS = sorted(
    (
        obj
        for obj in vars(wrappers).values()
        if inspect.isclass(obj) and issubclass(obj, HclModule) and obj is not HclModule
    ),
    key=lambda cls: cls.module_name,
)
_NOT_VARIABLES = {"self", "scope", "construct_id", "providers"}


@pytest.mark.parametrize("wrapper", WRAPPERS, ids=lambda cls: cls.module_name)
def test_wrapper_signature_mirrors_variables_tf(wrapper: type[HclModule]) -> None:
    interface = read_module_interface(wrapper.module_name)
    parameters = {
        name: param
        for name, param in inspect.signature(wrapper.__init__).parameters.items()
        if name not in _NOT_VARIABLES
    }
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert set(parameters) == set(interface.variables), (
        f"{wrapper.__name__} and modules/{wrapper.module_name}/variables.tf differ: "
        f"only in Python {sorted(set(parameters) - set(interface.variables))}, "
        f"only in HCL {sorted(set(interface.variables) - set(parameters))}"
    )
    for name, required in interface.variables.items():
        has_default = parameters[name].default is not inspect.Parameter.empty
        assert has_default != required, f"{wrapper.module_name}.{name}: required={required}"


@pytest.mark.parametrize("wrapper", WRAPPERS, ids=lambda cls: cls.module_name)
def test_wrapper_properties_mirror_outputs_tf(wrapper: type[HclModule]) -> None:
    interface = read_module_interface(wrapper.module_name)
    properties = {name for name, value in vars(wrapper).items() if isinstance(value, property)}
    assert properties == set(interface.outputs)


def test_every_module_has_a_wrapper() -> None:
    module_dirs = {p.name for p in MODULES_DIR.iterdir() if (p / "variables.tf").is_file()}
    assert module_dirs <= {cls.module_name for cls in WRAPPERS} | _MODULES_WITHOUT_WRAPPER


# Modules consumed directly in HCL only (none yet); listed so the omission is deliberate.
_MODULES_WITHOUT_WRAPPER: set[str] = set()


def test_unknown_variable_names_module_and_variable() -> None:
    interface = read_module_interface("central-model-registry")
    with pytest.raises(
        ModuleArgumentError, match=r"module central-model-registry: unknown variable 'bukcet_name'"
    ):
        check_module_arguments(interface, {"bukcet_name": "x"})


def test_missing_required_variable_names_module_and_variable() -> None:
    interface = read_module_interface("central-model-registry")
    arguments = {name: "x" for name, required in interface.variables.items() if required}
    arguments.pop("organization_id")
    with pytest.raises(
        ModuleArgumentError,
        match=r"module central-model-registry: required variable 'organization_id' is not set",
    ):
        check_module_arguments(interface, arguments)


def test_interface_is_read_from_the_hcl_files(tmp_path: Path) -> None:
    module = tmp_path / "demo"
    module.mkdir()
    (module / "variables.tf").write_text(
        'variable "name" {\n  type = string\n}\n'
        'variable "size" {\n  type    = number\n  default = null\n}\n'
    )
    (module / "outputs.tf").write_text('output "id" {\n  value = "x"\n}\n')
    interface = read_module_interface("demo", tmp_path)
    assert dict(interface.variables) == {"name": True, "size": False}
    assert interface.outputs == {"id"}


def _registry(scope: Construct, construct_id: str = "registry") -> HclModule:
    registry = next(cls for cls in WRAPPERS if cls.module_name == "central-model-registry")
    return registry(
        scope,
        construct_id,
        organization_id="o-a1b2c3d4e5",
        consumer_account_ids=["444444444444"],
        kms_alias_name="alias/x",
        artifact_bucket_name="bucket-name",
    )


def test_unknown_output_fails_at_synth_time(tmp_path: Path) -> None:
    module = _registry(TerraformStack(App(outdir=str(tmp_path)), "probe"))
    with pytest.raises(ModuleArgumentError, match="unknown output 'kms_arn'"):
        module.output("kms_arn")
    with pytest.raises(ModuleArgumentError, match="unknown output 'kms_arn'"):
        module.reference("kms_arn")


def test_outputs_render_as_cdktn_renders_them(tmp_path: Path) -> None:
    """`output()` writes the expression itself; it must be what cdktn's own token renders to,
    for a module in its stack and one nested deeper (whose key cdktn derives), and
    `reference()` must stay an expression inside cdktn's functions."""
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    direct = _registry(stack, "central-model-registry")
    nested = _registry(Construct(stack, "team"), "registry")
    for index, module in enumerate((direct, nested)):
        TerraformOutput(stack, f"ours-{index}", value=module.output("kms_key_arn"))
        TerraformOutput(stack, f"cdktn-{index}", value=module.get_string("kms_key_arn"))
    TerraformOutput(
        stack, "in-function", value=Fn.values(direct.reference("image_repository_urls"))
    )
    app.synth()
    document = json.loads((tmp_path / "stacks" / "probe" / "cdk.tf.json").read_text())
    outputs = {name: body["value"] for name, body in document["output"].items()}
    assert outputs["ours-0"] == outputs["cdktn-0"] == "${module.central-model-registry.kms_key_arn}"
    assert outputs["ours-1"] == outputs["cdktn-1"]
    assert outputs["ours-1"].startswith("${module.team_registry_")
    assert (
        outputs["in-function"] == "${values(module.central-model-registry.image_repository_urls)}"
    )


def test_generated_interfaces_are_up_to_date() -> None:
    """The Python interfaces are generated from the HCL; a stale one fails here, not in plan."""
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts/generate_module_interfaces.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module_dir",
    sorted(p for p in MODULES_DIR.iterdir() if (p / "variables.tf").is_file()),
    ids=lambda p: p.name,
)
def test_variables_and_outputs_live_in_their_own_files(module_dir: Path) -> None:
    """The synth-time argument check reads only variables.tf and outputs.tf."""
    import hcl2

    for tf_file in sorted(module_dir.glob("*.tf")):
        with tf_file.open(encoding="utf-8") as handle:
            parsed = hcl2.load(handle)
        if tf_file.name != "variables.tf":
            assert "variable" not in parsed, f"{tf_file}: declare variables in variables.tf"
        if tf_file.name != "outputs.tf":
            assert "output" not in parsed, f"{tf_file}: declare outputs in outputs.tf"


# -- object variables are TypedDicts ------------------------------------------------------------


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_module_interfaces", PROJECT_ROOT / "scripts" / "generate_module_interfaces.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through it
    spec.loader.exec_module(module)
    return module


def test_object_types_become_typed_dicts_with_optional_attributes_not_required() -> None:
    generator = _generator()
    typed = generator.TypedDicts()
    hint = generator.python_type(
        'map(object({name = string, tags = optional(list(string), ["a,b", "c)"]), '
        "limits = optional(object({max = number}), {max = 1}), on = bool}))",
        "Thing",
        typed,
    )
    assert hint == "Mapping[str, ThingValue]"
    assert typed.classes == [
        "class ThingValueLimits(TypedDict):\n    max: int | float\n",
        "class ThingValue(TypedDict):\n"
        "    name: str\n"
        "    tags: NotRequired[Sequence[str] | None]\n"
        "    limits: NotRequired[ThingValueLimits | None]\n"
        "    on: bool\n",
    ]
    with pytest.raises(ValueError, match="unknown type 'strng'"):
        generator.python_type("object({name = strng})")


def test_mypy_refuses_a_key_the_module_does_not_declare(tmp_path: Path) -> None:
    """What a stack passes to an object variable is checked before any synth: a misspelled
    attribute (which Terraform would silently drop) and a missing required one are errors."""
    caller = tmp_path / "caller.py"
    caller.write_text(
        "from cdktn import App, TerraformStack\n"
        "from platform_composition.modules import LambdaCodeSigning\n"
        "stack = TerraformStack(App(), 's')\n"
        "LambdaCodeSigning(stack, 'x', name='n', packages={'p': {'filenam': 'a.zip', "
        "'source_code_hash': 'h'}})\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", str(caller)],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1, result.stdout
    assert 'Missing key "filename"' in result.stdout
    assert 'Extra key "filenam"' in result.stdout


def test_interfaces_are_kept_per_file_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept interface is used only for the same file content; a damaged entry is parsed
    again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    module = tmp_path / "modules" / "demo"
    module.mkdir(parents=True)
    (module / "variables.tf").write_text('variable "a" {\n  type = string\n}\n')
    (module / "outputs.tf").write_text('output "b" {\n  value = var.a\n}\n')
    read = read_module_interface.__wrapped__  # without the per-process memo

    first = read("demo", tmp_path / "modules")
    assert dict(first.variables) == {"a": True} and first.outputs == {"b"}
    (entry,) = (tmp_path / "cache" / "mlgov" / "module-interfaces").glob("*.json")
    assert read("demo", tmp_path / "modules") == first

    (module / "variables.tf").write_text('variable "c" {\n  default = 1\n}\n')
    assert dict(read("demo", tmp_path / "modules").variables) == {"c": False}

    (module / "variables.tf").write_text('variable "a" {\n  type = string\n}\n')
    entry.write_text('{"variables": {"a": "yes"}}')
    assert read("demo", tmp_path / "modules") == first
