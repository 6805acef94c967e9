"""The release: one version everywhere (package, pyproject, CITATION.cff, CHANGELOG, data package,
the book), the licence files, and a CI workflow that passes its linter."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
import types

import pytest
import yaml

import nhsreport
from nhsreport.publish.book import content

from .conftest import BIN, ROOT

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def test_one_version_and_date_everywhere():
    version, released = nhsreport.__version__, nhsreport.RELEASED
    assert SEMVER.match(version), version
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == version
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] and cff["authors"]
    assert cff["version"] == version and str(cff["date-released"]) == released
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    assert json.loads((ROOT / "data/datapackage.json").read_text())["version"] == version


def test_changelog_keeps_a_changelog_and_opens_with_this_release():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "Keep a Changelog" in text and "Semantic Versioning" in text
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert releases[0] == ("Unreleased", ""), "an [Unreleased] section comes first"
    assert releases[1] == (nhsreport.__version__, nhsreport.RELEASED), "then this release, with its date"
    assert all(SEMVER.match(v) for v, _ in releases[1:])
    dates = [d for _, d in releases[1:]]
    assert dates == sorted(dates, reverse=True), "newest release first"
    sections = re.findall(r"^### (\w+)$", text, re.M)
    assert sections and set(sections) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_licence_files_for_code_text_and_data():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "Permission is hereby granted, free of charge" in code
    text = (ROOT / "LICENSE-text").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in text
    assert "Section 3 -- License Conditions." in text  # the legal code itself, not only a name
    data = (ROOT / "LICENSE-data").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in data and "Office for National Statistics" in data
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in ("LICENSE", "LICENSE-text", "LICENSE-data", "CITATION.cff", "CHANGELOG.md"))


def test_the_book_configuration_carries_the_release():
    config = types.SimpleNamespace(
        version="",
        release="",
        today="",
        myst_substitutions={"x": "y"},
        html_theme_options={"extra_footer": "Data: OGL."},
    )
    content.set_release(None, config)
    when = content.release_date_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", when)
    assert config.release == config.version == nhsreport.__version__ and config.today == when
    assert config.myst_substitutions == {"x": "y", "release": nhsreport.__version__, "release_date": when}
    assert config.html_theme_options["extra_footer"] == f"Version {nhsreport.__version__}, {when}. Data: OGL."
    content.set_release(None, config)  # idempotent: the footer says it once
    assert config.html_theme_options["extra_footer"].count("Version") == 1
    assert "{{ release }}" in (ROOT / "book/index.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_built_book_shows_its_version(html_book):
    line = f"Version {nhsreport.__version__}, {content.release_date_text()}."
    for page in ("book/index.html", "book/02_management.html"):
        assert line in (html_book / page).read_text(encoding="utf-8"), page


def _lint(path) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    assert exe, "check-jsonschema is a test requirement (requirements.txt)"
    return subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True, timeout=120
    )


def test_workflow_passes_its_linter_and_the_linter_catches_errors(tmp_path):
    ok = _lint(WORKFLOW)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = yaml.safe_load(WORKFLOW.read_text())
    broken["jobs"]["build"]["runs-on"] = None
    broken["jobs"]["build"]["steps"][0]["timeout"] = "soon"
    bad = tmp_path / "broken.yml"
    bad.write_text(yaml.safe_dump(broken))
    assert _lint(bad).returncode != 0


def test_workflow_tests_builds_publishes_on_push_and_monthly_and_keeps_the_execution_cache():
    wf = yaml.safe_load(WORKFLOW.read_text())
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as true
    assert "push" in triggers
    (cron,) = [s["cron"] for s in triggers["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert day.isdigit() and month == "*" and weekday == "*", "once a month"
    steps = [s for job in wf["jobs"].values() for s in job.get("steps", [])]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "make test" in runs and "make book" in runs and "make briefings" in runs
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache")]
    assert cache["with"]["path"] == "_build/.jupyter_cache"
    assert wf["jobs"]["publish"]["permissions"] == {"pages": "write", "id-token": "write"}
