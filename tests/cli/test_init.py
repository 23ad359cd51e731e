"""`zwgk init`: a new office's repository — which folders it takes, what it writes, how its
journals merge, and CI jobs that install zwgk from a pinned source (run here, offline)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from conftest import run_cli as run

from zwgk.scaffold import ZwgkSource, checkout_source, direct_url_source, explicit_source

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini"
HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git not installed")
GITHUB_DEFAULT = re.compile(r"^\$\{\{ vars\.ZWGK_PIP_SPEC \|\| '((?:[^']|'')*)' \}\}$")


def git(folder: Path, *args: str) -> str:
    identity = ["-c", "user.name=测试", "-c", "user.email=test@localhost"]
    done = subprocess.run(["git", *identity, *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def gitlab_job(repo: Path) -> dict[str, Any]:
    return yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))["zwgk-check"]


def github_job(repo: Path) -> dict[str, Any]:
    return yaml.safe_load((repo / ".github" / "workflows" / "zwgk.yml").read_text("utf-8"))["jobs"]["check"]


def github_default_spec(repo: Path) -> str:
    """What `${{ vars.ZWGK_PIP_SPEC || '…' }}` gives when no repository variable is set."""
    match = GITHUB_DEFAULT.match(github_job(repo)["env"]["ZWGK_PIP_SPEC"])
    assert match, github_job(repo)["env"]
    return match.group(1).replace("''", "'")


class TestInit:
    def test_init_then_check_runs_clean(self, tmp_path: Path) -> None:
        repo = tmp_path / "office"
        assert run("init", str(repo)).exit_code == 0
        assert run("check", "--data", str(repo / "data")).exit_code == 0
        assert run("validate", "--data", str(repo / "data")).exit_code == 0

    def test_init_from_bundled_then_check_runs_clean(self, tmp_path: Path) -> None:
        repo = tmp_path / "office"
        assert run("init", str(repo), "--from-bundled", "--no-git").exit_code == 0
        assert (repo / "data" / "columns.yaml").read_bytes() == (REPO / "data" / "columns.yaml").read_bytes()
        result = run("check", "--data", str(repo / "data"))
        assert result.exit_code == 0, result.stdout

    def test_init_refuses_an_existing_dataset(self, tmp_path: Path, mini_data: Path) -> None:
        before = {p: p.read_bytes() for p in mini_data.iterdir()}
        result = run("init", str(mini_data.parent))
        assert result.exit_code == 2
        assert f"{mini_data / 'settings.yaml'} 已有数据" in result.output
        assert {p: p.read_bytes() for p in mini_data.iterdir()} == before

    @needs_git
    def test_init_makes_a_first_commit_with_union_merge_for_the_journal(self, tmp_path: Path) -> None:
        repo = tmp_path / "office"
        run("init", str(repo))
        log = subprocess.run(["git", "log", "--oneline"], cwd=repo, capture_output=True, text=True)
        assert log.returncode == 0 and "zwgk init" in log.stdout
        attr = subprocess.run(["git", "check-attr", "merge", "data/journal/2026.jsonl"], cwd=repo,
                              capture_output=True, text=True).stdout
        assert "merge: union" in attr

    def test_ci_templates_are_valid_yaml_with_the_expected_keys(self, tmp_path: Path) -> None:
        repo = tmp_path / "office"
        run("init", str(repo), "--no-git")
        workflow = yaml.safe_load((repo / ".github" / "workflows" / "zwgk.yml").read_text("utf-8"))
        triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads on: as True
        assert triggers["schedule"] == [{"cron": "0 0 * * *"}] and "push" in triggers
        steps = workflow["jobs"]["check"]["steps"]
        assert any("zwgk check" in str(step.get("run", "")) for step in steps)
        assert any("junit" in str(step.get("run", "")) for step in steps)
        gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
        job = gitlab["zwgk-check"]
        assert job["artifacts"]["reports"]["junit"] == "zwgk-junit.xml"
        assert any("schedule" in rule["if"] for rule in job["rules"])
        assert any(line.startswith("zwgk check") for line in job["script"])


# ---- which folders init takes ------------------------------------------------------------------

@needs_git
def test_init_takes_a_fresh_clone_with_only_a_readme_and_keeps_the_readme(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("# 某市应急管理局\n\n本单位的说明。\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "Initial commit")
    result = run("init", str(repo))
    assert result.exit_code == 0, result.output
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 某市应急管理局\n\n本单位的说明。\n\n# 政务公开事项跟踪")
    assert "README.md 已存在" in result.output
    assert git(repo, "log", "--format=%s").splitlines() == ["zwgk init: 政务公开数据仓库", "Initial commit"]
    assert git(repo, "status", "--porcelain") == ""
    assert run("validate", "--data", str(repo / "data")).exit_code == 0


@needs_git
def test_init_takes_a_folder_with_only_git_and_commits_only_its_own_files(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "notes.txt").write_text("not zwgk's\n", encoding="utf-8")
    (repo / "data").mkdir()  # an empty data folder is no dataset
    assert run("init", str(repo)).exit_code == 0
    assert "notes.txt" not in git(repo, "ls-files")
    assert "data/settings.yaml" in git(repo, "ls-files").splitlines()


def test_init_adds_its_lines_to_an_existing_gitignore_and_gitattributes(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    repo.mkdir()
    (repo / ".gitignore").write_text("*.docx\n*.lock\n", encoding="utf-8")
    (repo / ".gitattributes").write_text("* text=auto\n", encoding="utf-8")
    assert run("init", str(repo), "--no-git").exit_code == 0
    ignore = (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ignore[:2] == ["*.docx", "*.lock"] and ignore.count("*.lock") == 1 and ".zwgk-cache/" in ignore
    attributes = (repo / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert attributes[0] == "* text=auto" and "**/journal/*.jsonl merge=union text eol=lf" in attributes


@pytest.mark.parametrize("existing", [".gitlab-ci.yml", ".github/workflows/zwgk.yml", "data/tasks.yaml",
                                      "data/journal/2026.jsonl", "settings.yaml"])
def test_init_refuses_a_file_it_would_overwrite_and_names_it(tmp_path: Path, existing: str) -> None:
    repo = tmp_path / "office"
    (repo / existing).parent.mkdir(parents=True)
    (repo / existing).write_text("theirs\n", encoding="utf-8")
    result = run("init", str(repo), "--no-git")
    assert result.exit_code == 2
    assert str(repo / existing) in result.output and "不覆盖" in result.output
    assert (repo / existing).read_text(encoding="utf-8") == "theirs\n"
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()) == [existing]


@pytest.mark.parametrize(("cwd", "city", "province"), [
    (".", "cities/hefei", "province/data"),
    ("cities", "hefei", "../province/data"),
    ("cities/hefei", ".", "../../province/data"),
])
def test_follows_is_read_from_the_current_folder_and_written_for_the_new_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str, city: str, province: str) -> None:
    shutil.copytree(MINI, tmp_path / "province" / "data")
    (tmp_path / cwd).mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path / cwd)
    result = run("init", city, "--follows", province, "--unit", "合肥市安全监管局", "--no-git")
    assert result.exit_code == 0, result.output
    settings = (tmp_path / "cities" / "hefei" / "data" / "settings.yaml").read_text(encoding="utf-8")
    assert 'follows: "../../../province/data"\n' in settings  # from data/, forward slashes
    monkeypatch.chdir(tmp_path / "cities" / "hefei")
    validated = run("validate")
    assert validated.exit_code == 0, validated.output
    assert "沿用 9 项" in validated.output


# ---- journals merge line by line, at every depth -----------------------------------------------

JOURNALS = ("data/journal/2026.jsonl", "journal/2026.jsonl", "cities/hefei/data/journal/2026.jsonl",
            "provinces/anhui/cities/wuhu/data/journal/2027.jsonl")


def merge_attributes(folder: Path, paths: tuple[str, ...]) -> dict[str, str]:
    out = git(folder, "check-attr", "merge", "--", *paths)
    return dict(line.rsplit(": merge: ", 1) for line in out.splitlines())


@needs_git
def test_an_init_repository_merges_journals_by_union_at_every_depth(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    assert run("init", str(repo)).exit_code == 0
    assert merge_attributes(repo, JOURNALS) == dict.fromkeys(JOURNALS, "union")
    assert merge_attributes(repo, ("data/tasks.yaml", "data/journal/notes.txt")) == {
        "data/tasks.yaml": "unspecified", "data/journal/notes.txt": "unspecified"}


@needs_git
def test_two_branches_recording_in_a_nested_unit_merge_without_conflict(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    assert run("init", str(repo)).exit_code == 0
    journal = repo / "cities" / "hefei" / "data" / "journal" / "2026.jsonl"
    journal.parent.mkdir(parents=True)
    journal.write_text('{"id": "r0"}\n', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hefei")
    git(repo, "checkout", "-q", "-b", "other")
    journal.write_text('{"id": "r0"}\n{"id": "b1"}\n', encoding="utf-8")
    git(repo, "commit", "-q", "-am", "b1")
    git(repo, "checkout", "-q", "-")
    journal.write_text('{"id": "r0"}\n{"id": "a1"}\n', encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a1")
    git(repo, "merge", "-q", "--no-edit", "other")
    assert sorted(journal.read_text(encoding="utf-8").splitlines()) == [
        '{"id": "a1"}', '{"id": "b1"}', '{"id": "r0"}']


@needs_git
def test_this_repository_merges_journals_by_union_at_every_depth() -> None:
    if subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=REPO, capture_output=True,
                      text=True).stdout.strip() != str(REPO):
        pytest.skip("not run from zwgk's own git checkout")
    fixtures = ("tests/errors/journal-date-as-number/journal/2026.jsonl",)
    assert merge_attributes(REPO, JOURNALS + fixtures) == dict.fromkeys(JOURNALS + fixtures, "union")
    assert merge_attributes(REPO, ("data/tasks.yaml",)) == {"data/tasks.yaml": "unspecified"}


# ---- where CI installs zwgk from --------------------------------------------------------------

BARE = re.compile(r"pip install\s+[\"']?zwgk[\"']?(\s|$)", re.M)


@pytest.mark.parametrize("option", [(), ("--zwgk-source", "zwgk @ git+https://git.example.gov.cn/t/zwgk.git@v0.1.0")])
def test_no_ci_job_installs_zwgk_by_its_bare_name(tmp_path: Path, option: tuple[str, ...]) -> None:
    repo = tmp_path / "office"
    result = run("init", str(repo), "--no-git", *option)
    assert result.exit_code == 0, result.output
    for path in (".gitlab-ci.yml", ".github/workflows/zwgk.yml", "README.md"):
        assert not BARE.search((repo / path).read_text(encoding="utf-8")), path
    gitlab_spec = gitlab_job(repo)["variables"]["ZWGK_PIP_SPEC"]
    assert gitlab_spec == github_default_spec(repo)
    assert gitlab_spec != "zwgk"
    assert gitlab_spec.startswith(("zwgk @ git+", "./ci/zwgk-")) or gitlab_spec == ""
    if gitlab_spec == "":  # source unknown: init says so, and the job stops instead of guessing
        assert "ZWGK_PIP_SPEC" in result.output
    else:
        assert f"CI 安装 zwgk 的来源:{gitlab_spec}" in result.output
        assert f"    {gitlab_spec}\n" in (repo / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", ["", "zwgk"])
def test_a_job_without_a_pinned_source_stops_before_pip(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str) -> None:
    monkeypatch.setattr("zwgk.scaffold.running_source", lambda: ZwgkSource(""))
    repo = tmp_path / "office"
    assert run("init", str(repo), "--no-git").exit_code == 0
    for lines in (gitlab_job(repo)["script"], [s["run"] for s in github_job(repo)["steps"] if "run" in s]):
        done = subprocess.run([str(shutil.which("bash")), "-eo", "pipefail", "-c", "\n".join(lines)], cwd=repo,
                              env={**os.environ, "ZWGK_PIP_SPEC": spec, "PATH": "/nonexistent"},
                              capture_output=True, text=True)
        assert done.returncode == 1 and "ZWGK_PIP_SPEC" in done.stdout + done.stderr


@pytest.mark.parametrize("spec", ["zwgk", "zwgk>=0.1", "zwgk[test]", "git+https://git.example.gov.cn/t/zwgk.git",
                                  "zwgk @ git+ssh://git@git.example.gov.cn/t/zwgk.git", "."])
def test_an_unpinned_source_is_refused(tmp_path: Path, spec: str) -> None:
    result = run("init", str(tmp_path / "office"), "--no-git", "--zwgk-source", spec)
    assert result.exit_code == 2 and "--zwgk-source" in result.output
    assert not (tmp_path / "office").exists()


@pytest.mark.parametrize(("spec", "written"), [
    ("zwgk @ git+https://git.example.gov.cn/t/zwgk.git@3f2a9c1", "zwgk @ git+https://git.example.gov.cn/t/zwgk.git@3f2a9c1"),
    ("git+ssh://git@git.example.gov.cn/t/zwgk.git@v0.1.0", "git+ssh://git@git.example.gov.cn/t/zwgk.git@v0.1.0"),
    ("zwgk==0.1.0", "zwgk==0.1.0"),
    ("zwgk @ https://files.example.gov.cn/o'brien/zwgk-0.1.0-py3-none-any.whl", None),
])
def test_an_explicit_source_is_written_into_both_jobs(tmp_path: Path, spec: str, written: str | None) -> None:
    repo = tmp_path / "office"
    assert run("init", str(repo), "--no-git", "--zwgk-source", spec).exit_code == 0
    assert gitlab_job(repo)["variables"]["ZWGK_PIP_SPEC"] == github_default_spec(repo) == (written or spec)


def test_direct_url_records_become_pinned_specs(tmp_path: Path) -> None:
    vcs = {"url": "https://git.example.gov.cn/t/zwgk.git", "vcs_info": {"vcs": "git", "commit_id": "ab12"}}
    assert direct_url_source(vcs) == ZwgkSource("zwgk @ git+https://git.example.gov.cn/t/zwgk.git@ab12")
    archive = {"url": "https://files.example.gov.cn/zwgk-0.1.0.tar.gz", "archive_info": {"hashes": {"sha256": "c0ff"}}}
    assert direct_url_source(archive) == ZwgkSource("zwgk @ https://files.example.gov.cn/zwgk-0.1.0.tar.gz#sha256=c0ff")
    wheel = tmp_path / "zwgk-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    assert direct_url_source({"url": wheel.as_uri(), "archive_info": {}}) == ZwgkSource(f"./ci/{wheel.name}", wheel)
    gone = {"url": (tmp_path / "gone.whl").as_uri(), "archive_info": {}}
    assert direct_url_source(gone) is None
    assert direct_url_source({"url": tmp_path.as_uri(), "dir_info": {"editable": True}}) is None  # no checkout


@needs_git
@pytest.mark.parametrize(("remote", "url"), [
    ("git@git.example.gov.cn:tools/zwgk.git", "ssh://git@git.example.gov.cn/tools/zwgk.git"),
    ("https://oauth2:s3cret@git.example.gov.cn/tools/zwgk.git", "https://git.example.gov.cn/tools/zwgk.git"),
    ("https://git.example.gov.cn/tools/zwgk.git", "https://git.example.gov.cn/tools/zwgk.git"),
])
def test_a_checkout_is_pinned_to_its_remote_and_commit(tmp_path: Path, remote: str, url: str) -> None:
    checkout = tmp_path / "zwgk"
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text('[project]\nname = "zwgk"\n', encoding="utf-8")
    git(checkout, "init", "-q")
    git(checkout, "add", "-A")
    git(checkout, "commit", "-q", "-m", "zwgk")
    git(checkout, "remote", "add", "origin", remote)
    commit = git(checkout, "rev-parse", "HEAD")
    source = checkout_source(checkout)
    assert source is not None and source.spec == f"zwgk @ git+{url}@{commit}"
    assert "s3cret" not in " ".join(source.notes)
    assert any("还不在 origin 上" in note for note in source.notes)  # never pushed: init says so
    assert checkout_source(tmp_path) is None


def test_explicit_source_parses_a_wheel_path(tmp_path: Path) -> None:
    wheel = tmp_path / "zwgk-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    assert explicit_source(str(wheel)) == ZwgkSource("./ci/zwgk-0.1.0-py3-none-any.whl", wheel)


# ---- the generated jobs, run: install zwgk from the vendored wheel, then check ----------------

@pytest.fixture(scope="module")
def zwgk_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout, built from a copy (an in-tree build would write build/ here)."""
    source = tmp_path_factory.mktemp("zwgk-source")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("zwgk", "data"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)]
    failures = []
    # Offline first (setuptools and wheel already here); else the build backend from the registry.
    for extra in (["--no-build-isolation", "--no-index"], []):
        done = subprocess.run([*pip, *extra], capture_output=True, text=True, timeout=300)
        if done.returncode == 0:
            return next(out.glob("zwgk-*.whl"))
        failures.append(done.stderr.strip().splitlines()[-1:])
    pytest.skip(f"cannot build a zwgk wheel here: {failures}")


@pytest.fixture(scope="module")
def dependencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This interpreter's installed packages except zwgk: a fresh venv sees them through a .pth,
    so pip installs zwgk's wheel there without an index."""
    farm = tmp_path_factory.mktemp("site")
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(("zwgk", "__editable__", "__pycache__")) and entry.suffix != ".pth":
            (farm / entry.name).symlink_to(entry)
    return farm


def fresh_venv(folder: Path, dependencies: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    purelib = subprocess.run([str(folder / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "zwgk-test-dependencies.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    return folder / "bin"


def run_job(lines: list[str], repo: Path, bin_dir: Path, spec: str) -> None:
    """The job's shell lines in one bash -eo pipefail, as GitHub's runner and GitLab's do."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", ZWGK_PIP_SPEC=spec, COLUMNS="120",
               PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", "\n".join(lines)], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    where = subprocess.run([str(bin_dir / "python"), "-c", "import zwgk; print(zwgk.__file__)"],
                           cwd=repo, capture_output=True, text=True, env=env, check=True).stdout
    assert where.startswith(str(bin_dir.parent)), where  # zwgk came from the spec, not this checkout


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None, reason="the jobs are bash on Linux")
def test_the_generated_jobs_install_the_vendored_wheel_and_run_the_check(
        tmp_path: Path, zwgk_wheel: Path, dependencies: Path) -> None:
    repo = tmp_path / "office"
    result = run("init", str(repo), "--no-git", "--zwgk-source", str(zwgk_wheel))
    assert result.exit_code == 0, result.output
    assert (repo / "ci" / zwgk_wheel.name).read_bytes() == zwgk_wheel.read_bytes()
    spec = gitlab_job(repo)["variables"]["ZWGK_PIP_SPEC"]
    assert spec == github_default_spec(repo) == f"./ci/{zwgk_wheel.name}"

    run_job(gitlab_job(repo)["script"], repo, fresh_venv(tmp_path / "gitlab", dependencies), spec)
    assert ElementTree.parse(repo / "zwgk-junit.xml").getroot().tag == "testsuites"
    assert json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8")) == []

    github = [step["run"] for step in github_job(repo)["steps"] if "run" in step]
    assert len(github) == 3
    run_job(github, repo, fresh_venv(tmp_path / "github", dependencies), spec)
    # A repository variable ZWGK_PIP_SPEC overrides the default: here a wheel by URL.
    run_job(github, repo, fresh_venv(tmp_path / "override", dependencies), f"zwgk @ {zwgk_wheel.as_uri()}")
