"""The CI jobs `zwgk init` writes, parsed as YAML: GitLab's image, runner tag and pip index come
from CI variables with documented defaults and pip is cached; the optional morning `zwgk notify`
job runs only on its schedule, on both systems. GitLab's `extends` and `rules: if` are applied
here as GitLab applies them, for the few expressions the template uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_cli as run

SPEC = "zwgk @ git+https://git.example.gov.cn/t/zwgk.git@v0.1.0"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "office"
    result = run("init", str(target), "--no-git", "--zwgk-source", SPEC)
    assert result.exit_code == 0, result.output
    return target


def gitlab(repo: Path) -> dict[str, Any]:
    return yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def github(repo: Path) -> dict[str, Any]:
    return yaml.safe_load((repo / ".github" / "workflows" / "zwgk.yml").read_text(encoding="utf-8"))


def resolved(config: dict[str, Any], name: str) -> dict[str, Any]:
    """A job with its `extends` applied: hashes merged deeply, anything else replaced."""
    job = config[name]
    if "extends" not in job:
        return job
    base = resolved(config, job["extends"])
    return merge(base, {k: v for k, v in job.items() if k != "extends"})


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def holds(expression: str, variables: dict[str, str]) -> bool:
    """GitLab's `if:` for what the template writes: `$V`, `$V == "x"`, `$V =~ /re/`, joined by &&."""
    results = []
    for part in expression.split("&&"):
        part = part.strip()
        if m := re.fullmatch(r"\$(\w+) == \"([^\"]*)\"", part):
            results.append(variables.get(m[1]) == m[2])
        elif m := re.fullmatch(r"\$(\w+) =~ /(.*)/", part):
            results.append(re.search(m[2], variables.get(m[1], "")) is not None)
        elif m := re.fullmatch(r"\$(\w+)", part):
            results.append(bool(variables.get(m[1])))
        else:
            raise AssertionError(f"unexpected rule {part!r}")
    return all(results)


def runs(job: dict[str, Any], variables: dict[str, str]) -> bool:
    for rule in job["rules"]:
        if holds(rule["if"], variables):
            return rule.get("when", "on_success") != "never"
    return False


def jobs_run(config: dict[str, Any], **variables: str) -> set[str]:
    return {name for name in config if not name.startswith(".") and name != "variables"
            and runs(resolved(config, name), variables)}


def test_gitlab_image_comes_from_a_variable_with_a_default(repo: Path) -> None:
    config = gitlab(repo)
    assert config["variables"]["ZWGK_IMAGE"] == "python:3.11"  # with git, for git+ sources
    for name in ("zwgk-check", "zwgk-check-tagged", "zwgk-notify", "zwgk-notify-tagged"):
        assert resolved(config, name)["image"] == "$ZWGK_IMAGE", name
    text = (repo / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "hub.docker" not in text and "image: python" not in text  # nothing hard-coded


def test_gitlab_runner_tag_comes_from_a_variable_and_exactly_one_check_runs(repo: Path) -> None:
    config = gitlab(repo)
    assert resolved(config, "zwgk-check-tagged")["tags"] == ["$ZWGK_RUNNER_TAG"]
    assert "tags" not in resolved(config, "zwgk-check")
    assert resolved(config, "zwgk-check-tagged")["script"] == config["zwgk-check"]["script"]
    for source in ("push", "schedule", "web"):
        assert jobs_run(config, CI_PIPELINE_SOURCE=source) == {"zwgk-check"}
        assert jobs_run(config, CI_PIPELINE_SOURCE=source, ZWGK_RUNNER_TAG="intranet") == {"zwgk-check-tagged"}
        assert jobs_run(config, CI_PIPELINE_SOURCE=source, ZWGK_RUNNER_TAG="") == {"zwgk-check"}
    assert jobs_run(config, CI_PIPELINE_SOURCE="merge_request_event") == set()


def test_gitlab_caches_pip_in_the_project_and_takes_the_index_from_a_variable(repo: Path) -> None:
    config = gitlab(repo)
    cache_dir = config["variables"]["PIP_CACHE_DIR"]
    assert cache_dir.startswith("$CI_PROJECT_DIR/")
    for name in ("zwgk-check", "zwgk-notify"):
        paths = [p for entry in resolved(config, name)["cache"] for p in entry["paths"]]
        assert cache_dir.removeprefix("$CI_PROJECT_DIR/") in paths, name
    # PIP_INDEX_URL is pip's own variable: documented, not set here, so a project variable (or the
    # image's pip.conf) decides; a default written here would override an intranet pip.conf.
    text = (repo / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "PIP_INDEX_URL" in text and "PIP_INDEX_URL" not in config["variables"]
    for name in ("ZWGK_IMAGE", "ZWGK_RUNNER_TAG", "PIP_INDEX_URL", "ZWGK_NOTIFY"):
        assert re.search(rf"^#\s+{name}\s+\S", text, re.M), name  # each one documented in the header


def test_the_gitlab_notify_job_runs_only_on_its_schedule(repo: Path) -> None:
    config = gitlab(repo)
    assert jobs_run(config, CI_PIPELINE_SOURCE="schedule", ZWGK_NOTIFY="1") == {"zwgk-notify"}
    assert jobs_run(config, CI_PIPELINE_SOURCE="schedule", ZWGK_NOTIFY="1", ZWGK_RUNNER_TAG="x") == {
        "zwgk-notify-tagged"}
    assert jobs_run(config, CI_PIPELINE_SOURCE="push", ZWGK_NOTIFY="1") == {"zwgk-check"}
    notify = resolved(config, "zwgk-notify")
    assert notify["script"][-1] == "zwgk notify --data data"
    assert notify["variables"]["ZWGK_PIP_SPEC"] == config["zwgk-check"]["variables"]["ZWGK_PIP_SPEC"] == SPEC
    state = notify["variables"]["ZWGK_STATE_DIR"].removeprefix("$CI_PROJECT_DIR/")
    assert state in [p for entry in notify["cache"] for p in entry["paths"]]  # sent-log kept between runs
    assert resolved(config, "zwgk-notify-tagged")["tags"] == ["$ZWGK_RUNNER_TAG"]


def test_the_github_notify_job_is_schedule_only_with_secrets_from_the_repository(repo: Path) -> None:
    workflow = github(repo)
    notify, check = workflow["jobs"]["notify"], workflow["jobs"]["check"]
    assert "github.event_name == 'schedule'" in notify["if"] and "vars.ZWGK_NOTIFY == '1'" in notify["if"]
    assert notify["env"]["ZWGK_PIP_SPEC"] == check["env"]["ZWGK_PIP_SPEC"]
    for name in ("DINGTALK_WEBHOOK", "DINGTALK_SECRET", "WECOM_WEBHOOK", "SMTP_USER", "SMTP_PASSWORD"):
        assert notify["env"][name] == f"${{{{ secrets.{name} }}}}", name
    [cache] = [s for s in notify["steps"] if str(s.get("uses", "")).startswith("actions/cache@")]
    assert notify["env"]["ZWGK_STATE_DIR"].endswith("/" + cache["with"]["path"])
    assert notify["steps"][-1]["run"] == "zwgk notify --data data"
    assert "if" not in check and len([s for s in check["steps"] if "run" in s]) == 3
    assert any("--format github" in str(s.get("run", "")) for s in check["steps"])  # writes the summary
