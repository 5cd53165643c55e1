"""Start-up work kept small: the rules' TOML is parsed once and then read from a JSON cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kpilint import registry
from kpilint.registry import read_metadata, read_rule_files, rules_dir


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
