"""Start-up work kept small: the rules' TOML is parsed once and then read from a JSON cache;
a cold ``check`` imports only what it needs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kpilint import registry
from kpilint.registry import read_metadata, read_rule_files, rules_dir
from tests.conftest import WriteProject, modules_after, run_python


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_the_parsed_rules_come_from_the_cache_until_a_file_changes(
    rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = read_metadata(rules)
    assert parsed == read_metadata(rules_dir())
    assert (rules / "__pycache__" / "kpilint-rules.json").is_file()
    import kpilint.config

    def no_toml(path: Path) -> dict[str, object]:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(kpilint.config, "read_toml", no_toml)
    assert read_metadata(rules) == parsed  # from the cache
    monkeypatch.undo()
    family = rules / "structure.toml"
    family.write_text(family.read_text().replace('name = "yaml-syntax"', 'name = "yaml-broken"'))
    assert read_metadata(rules)["KPI001"].name == "yaml-broken"  # a changed file is read again


def test_a_corrupt_or_unwritable_cache_only_means_parsing_again(rules: Path) -> None:
    read_rule_files(rules)
    cache = rules / "__pycache__" / "kpilint-rules.json"
    cache.write_text('{"stamp": [], "files": ')
    assert read_rule_files(rules)["vocabulary.toml"]
    assert cache.read_text().startswith('{"stamp": [')
    shutil.rmtree(cache.parent)
    os.chmod(rules, 0o555)
    try:
        assert "structure.toml" in read_rule_files(rules)
    finally:
        os.chmod(rules, 0o755)
    assert not (rules / "__pycache__").exists() or os.geteuid() == 0


def test_vocabulary_reads_through_the_same_cache() -> None:
    registry.vocabulary.cache_clear()
    assert registry.vocabulary() == read_rule_files(rules_dir())["vocabulary.toml"]


# Modules a cold `kpilint check` of a small project does not need: each costs
# milliseconds of every pre-commit run (hashlib loads OpenSSL; importlib.resources
# pulls tempfile and zipfile; annotated_types is read only for rule options).
NOT_ON_THE_CHECK_PATH = (
    "pydantic",
    "pydantic_core",
    "kpilint.strict",
    "hashlib",
    "_hashlib",
    "importlib.resources",
    "tempfile",
    "zipfile",
    "traceback",
    "annotated_types",
    "typing_extensions",
)


# A small project of valid entities, and a cold `kpilint check` of it.
SMALL_PROJECT = {
    "team.kpi.yaml": """
        goals:
          - id: grow
            name: Grow
            owner: ceo
            period: {start: 2027-01-01, end: 2027-12-31}
        kpis:
          - id: deploys
            name: Deploys
            owner: cto
            goal: grow
    """
}
COLD_CHECK = (
    "from kpilint.cli import main\nsys.argv = ['kpilint', 'check', '--no-cache', '--format', "
    "'json', '.']\ntry:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 1\n"
)


def test_a_cold_check_imports_only_what_it_needs(write_project: WriteProject) -> None:
    loaded = modules_after(COLD_CHECK, write_project(SMALL_PROJECT))
    assert "kpilint.checks.focus" in loaded  # the rules did run
    # A valid project: pydantic is imported only to explain an invalid entity.
    assert sorted(set(NOT_ON_THE_CHECK_PATH) & loaded) == []


def test_a_cold_check_loads_only_the_check_command(write_project: WriteProject) -> None:
    """Each command's module is imported when it runs: the hook's check loads no other."""
    loaded = modules_after(COLD_CHECK, write_project(SMALL_PROJECT))
    assert "kpilint.cli.check" in loaded
    others = ("audit", "diff", "importing", "rules", "init", "server", "schema")
    assert sorted(loaded & {f"kpilint.cli.{name}" for name in others}) == []


def test_rule_defaults_need_no_annotations_and_types_come_when_asked() -> None:
    from kpilint.registry import registry

    rule = registry()["KPI406"]
    assert rule.defaults == {"max": 7}
    ((kind, default),) = rule.options.values()
    assert default == 7
    assert kind.__metadata__[0].ge == 1  # Annotated[int, Ge(1)], read from the annotation


def test_the_not_printable_class_is_the_complement_of_yaml_printable() -> None:
    """edits writes it as what it excludes (cheap to compile); same characters as the spec's."""
    import re

    from kpilint.edits import _NOT_PRINTABLE

    spec = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(_NOT_PRINTABLE, every) == spec.findall(every)


def _program(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` then ``kpilint.cli.run()`` (the console script) with an atexit marker."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('torn down\\n'))\n"
        f"{code}\n"
        "from kpilint.cli import run\n"
        "sys.argv = ['kpilint', 'check', '--no-cache', '--format', 'json', '.']\n"
        "run()\n"
    )
    return run_python(script, cwd)


def test_the_program_exits_without_tearing_python_down(write_project: WriteProject) -> None:
    """Output flushed and the exit code kept; the interpreter's teardown (a tenth of a
    small run) skipped, unless another thread still runs."""
    import json

    root = write_project({"a.kpi.yaml": "kpis:\n  - id: deploys\n    name: Deploys\n"})
    fast = _program("", root)
    assert fast.returncode == 1
    finding = json.loads(fast.stdout)["findings"][0]
    assert (finding["code"], finding["line"], finding["column"]) == ("KPI101", 2, 5)
    assert "torn down" not in fast.stderr
    # A thread alive until the main thread ends (not for a fixed time: a slow machine
    # would outlive it and take the fast exit).
    waited = _program(
        "import threading\nthreading.Thread(target=threading.main_thread().join).start()", root
    )
    assert waited.returncode == 1
    assert json.loads(waited.stdout) == json.loads(fast.stdout)
    assert "torn down" in waited.stderr
