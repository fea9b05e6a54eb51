"""The install and deployment files agree with each other and say why each setting is there."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, str]:
    """name -> pinned version from a compiled requirements file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name, _, version = line.partition("==")
        assert version, f"{path.name}: '{line}' is not pinned with =="
        found[canonicalize_name(name.split("[")[0])] = version.strip()
    return found


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_requirements_pin_every_declared_dependency_within_its_range(project: dict) -> None:
    pinned = pins(REPO / "requirements.txt")
    for spec in project["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pinned, f"requirements.txt lacks {req.name} (declared in pyproject.toml)"
        assert req.specifier.contains(pinned[name]), f"{req.name}=={pinned[name]} is outside '{req.specifier}'"


def test_test_requirements_keep_the_app_pins_and_add_the_test_tools(project: dict) -> None:
    app, test = pins(REPO / "requirements.txt"), pins(REPO / "requirements-test.txt")
    for name, version in app.items():
        assert test.get(name) == version, f"{name}: requirements-test.txt has {test.get(name)}, app pins {version}"
    for spec in project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in test, f"requirements-test.txt lacks {req.name}"
        assert req.specifier.contains(test[name]), f"{req.name}=={test[name]} is outside '{req.specifier}'"


def test_every_streamlit_setting_says_why() -> None:
    lines = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8").splitlines()
    settings = [i for i, line in enumerate(lines) if re.match(r"^\s*\w+\s*=", line)]
    assert settings, "config.toml has no settings"
    for i in settings:
        assert i > 0 and lines[i - 1].lstrip().startswith("#"), f"config.toml line {i + 1} has no comment above it"


def test_production_settings_are_safe_for_a_public_url() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 10


def test_dockerfile_installs_the_pins_and_checks_health() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/_stcore/health" in dockerfile
    assert "dashboard/app.py" in dockerfile
    for source in re.findall(r"^COPY (\S+)", dockerfile, flags=re.MULTILINE):
        assert (REPO / source).exists(), f"Dockerfile copies {source}, which is not in the repository"


def test_readme_links_the_deployment_guide_and_names_both_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/deploy.md" in readme
    assert "python3 run.py dashboard" in readme and "python3 run.py tests" in readme
