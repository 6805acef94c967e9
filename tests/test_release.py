"""The release: one version everywhere (package, pyproject, CITATION.cff, CHANGELOG, data package,
the book), the licence files, and a CI workflow that passes its linter."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
import types
from pathlib import Path

import pytest
import yaml

import nhsreport
from nhsreport.publish.book import content

from .conftest import BIN, ROOT, need_tool

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
    contact = config.myst_substitutions.pop("contact")  # the statement's contact (or the copy's publisher)
    assert contact.strip()
    assert "nhs-print-only" in config.myst_substitutions.pop("on_website")  # where the profiles are, in print
    assert "nhs-print-only" in config.myst_substitutions.pop("in_html")  # where the HTML-only parts are
    assert config.myst_substitutions.pop("website").startswith("on the report’s website")
    for name in ("general_contact", "response", "responder", "code_where"):  # the contact's and the code's words
        assert isinstance(config.myst_substitutions.pop(name), str), name
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
    assert "make test" in runs and "make book" in runs
    assert "make data-raw FETCH_ARGS=--online" in runs, "a runner has no mirror: files come from their pinned addresses"
    assert runs.index("make data-raw") < runs.index("make test") < runs.index("make book")
    assert 'cat _build/fetch.md >> "$GITHUB_STEP_SUMMARY"' in runs and "make changes" in runs
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    caches = {s["with"]["path"]: s["with"]["key"] for s in steps if s.get("uses", "").startswith("actions/cache")}
    assert set(caches) == {"_build/.jupyter_cache", "_build/.render_cache", "data/raw", "~/.cache/pip"}
    assert "nhsreport/build/pinned.csv" in caches["data/raw"] and "requirements.txt" in caches["~/.cache/pip"]
    assert wf["jobs"]["publish"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_package_data_pattern_matches_a_file():
    """pyproject ships only files that exist: each package-data glob matches at least one file."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package, patterns in setuptools["package-data"].items():
        folder = ROOT.joinpath(*package.split("."))
        for pattern in patterns:
            assert any(p.is_file() for p in folder.glob(pattern)), f"{package}: {pattern} matches no file"


def test_every_third_party_import_of_the_package_is_a_declared_dependency():
    """A library the package imports is named in pyproject's dependencies (not only arriving with
    another one); requirements.txt pins them all."""
    import ast
    import sys

    declared = {
        re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-")
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    distribution = {
        "yaml": "pyyaml",
        "vl_convert": "vl-convert-python",
        "python_calamine": "python-calamine",
        "bs4": "beautifulsoup4",
    }
    imported = set()
    for path in (ROOT / "nhsreport").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in ("nhsreport", "__future__")}
    names = {distribution.get(m, m.replace("_", "-")).lower() for m in third_party}
    missing = sorted(names - declared)
    assert not missing, f"imported by nhsreport but not declared in pyproject.toml: {missing}"


# where each command a workflow step runs writes (Jupyter Book's builders write _build/<folder>)
BUILDER_FOLDERS = {"html": "_build/html", "pdflatex": "_build/latex", "singlehtml": "_build/singlehtml"}


def _written_by(command: str) -> set[str]:
    """The folders that a command of a Make recipe writes its products into (as far as the
    workflow's copy steps care): Jupyter Book's builders, and ``scripts/briefing.py`` as its own
    usage lines say (``python scripts/briefing.py --boards  # _build/briefing/boards/*.pdf``)."""
    builder = re.search(r"(?:jupyter-book build|-m nhsreport\.publish\.book\.build) \S+ --builder (\S+)", command)
    if builder:
        return {BUILDER_FOLDERS[builder.group(1)]}
    call = re.search(r"scripts/briefing\.py((?: [^ ;&|]+)*)", command)
    if call:
        usage = (ROOT / "scripts" / "briefing.py").read_text(encoding="utf-8")
        for args, out in re.findall(r"^python scripts/briefing\.py([^#\n]*)#\s*(\S+)", usage, re.M):
            if args.split() == call.group(1).split():
                return {out.rsplit("/", 1)[0] if "*" in out else str(Path(out).parent)}
        raise AssertionError(f"scripts/briefing.py{call.group(1)}: no usage line says where it writes")
    return set()


def _make_writes(target: str) -> set[str]:
    """The folders ``make <target>`` writes, from its recipe (``make -n``: printed, not run)."""
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0, dry.stderr
    return set().union(*(_written_by(line) for line in dry.stdout.splitlines()))


def test_workflow_publishes_a_folder_its_make_targets_build():
    """The folder the workflow uploads is one a ``make`` target run before it writes (the site,
    which carries the PDF book and every board's briefing), and each path a step copies lies in a
    folder a make target before it writes: the published site never waits for files nothing builds."""
    need_tool("make")
    wf = yaml.safe_load(WORKFLOW.read_text())
    for job in wf["jobs"].values():
        written: set[str] = set()
        for step in job.get("steps", []):
            for line in step.get("run", "").splitlines():
                for target in re.findall(r"(?:^|&&|;|\|\|)\s*make ([a-z][a-z-]*)", line):
                    written |= _make_writes(target)
                copy = re.match(r"\s*cp (?:-\w+ )*(\S+) (\S+)", line)
                if copy:
                    source = Path(copy.group(1)).parent.as_posix()
                    assert any(source == w or source.startswith(w + "/") for w in written), (
                        f"step {step.get('name')!r} copies {copy.group(1)}, which no make target before it writes"
                    )
            if step.get("uses", "").startswith("actions/upload-pages-artifact"):
                assert step["with"]["path"] in written, f"uploads {step['with']['path']}; built: {sorted(written)}"
                return
    raise AssertionError("the workflow uploads no site")


def test_briefing_usage_lines_name_the_folder_the_script_writes(tmp_path):
    """The usage lines the workflow test reads are true: the boards' briefings go to
    ``_build/briefing/boards`` (the script's default folder, ``boards`` under it)."""
    from nhsreport.publish.briefing import render

    assert render.OUT_DIR == ROOT / "_build" / "briefing"
    assert _written_by(".venv/bin/python scripts/briefing.py --boards") == {"_build/briefing/boards"}
