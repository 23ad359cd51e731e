"""`zwgk init`: lay out a new office's repository — data, merge settings, CI templates, README.

Writes into a new folder or one without a dataset (a fresh clone with only a README and .git
is fine); never overwrites a file: the README, .gitignore and .gitattributes already there are
added to, anything else in the way is refused by name. The CI templates install zwgk from a
pinned source the office can reach (`ZwgkSource`), never by bare name from a public index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from zwgk.errors import InitError

TEMPLATES = Path(__file__).parent / "templates"
PLAN_FILES = ("settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml")
DATASET_FILES = (*PLAN_FILES, "calendar.yaml")
# The office's own files, which a fresh clone may already hold: zwgk adds to them.
ADDED_TO = ("README.md", ".gitignore", ".gitattributes")
SPEC_HELP = ("zwgk @ git+https://git.example.gov.cn/tools/zwgk.git@<提交或标签>",
             "path/to/zwgk-0.1.0-py3-none-any.whl (复制到新仓库的 ci/ 中)",
             "zwgk==0.1.0 (本单位的软件源;在 CI 中设置 PIP_INDEX_URL)")


@dataclass(frozen=True)
class Created:
    files: tuple[str, ...]
    git_message: str
    pip_spec: str = ""  # what the CI jobs install; "" when no source is known (the job stops)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ZwgkSource:
    """Where the new repository's CI installs zwgk from: a pip requirement pinned to a commit or
    version, or a wheel copied into the repository's ci/ folder. An empty spec means unknown:
    the CI job then stops with a message instead of guessing a package name."""

    spec: str
    wheel: Path | None = None
    notes: tuple[str, ...] = ()


EMPTY_TASKS = """\
# 任务清单。每项一个条目,格式见 zwgk 的 README,例如:
#
#   - id: T01
#     source: annex1
#     title: 公开属性审查环节
#     text: 增加公开属性环节……        # 原文
#     lead: [规划科技处]
#     responsible: [各处室、单位]
#     deadline: 2017年8月底            # 原文中的完成时限
#     rule: {kind: deadline, due: 2017-08-31}
tasks: []
"""

EMPTY_COLUMNS = """\
# 信息公开栏目。每个二级栏目一个条目,例如:
#
#   - id: C01
#     path: [机构领导, 领导简介]
#     lead: [人事教育处]
#     cooperating: []
#     requirement: 每半年不少于1次更新   # 原文
#     rule: {kind: periodic, cycle: half_year}
#     inspection: {category: other, reading: 概况信息,检查指标未列滚动窗口}   # zwgk inspect 的抽查类别
columns: []
"""


FOLLOWING_TASKS = """\
# 本单位沿用上级目录(settings.yaml 中的 follows)的全部任务。只写本单位的不同之处:
#
# tasks:            # 新增的任务(编号不能与上级重复)
#   - id: T90
#     ...
# override:         # 修改上级的任务:只写要改的字段
#   - {id: T05, lead: [办公室]}
# drop: [T23]       # 本单位不承担的任务
"""

FOLLOWING_COLUMNS = FOLLOWING_TASKS.replace("任务", "栏目").replace("T90", "C90").replace(
    "T05", "C12").replace("T23", "C23")

Content = bytes | Path  # text to write, or a file to copy


def create_repository(
    target: Path, bundled: Path, *, from_bundled: bool, unit: str | None, tracking_since: date,
    use_git: bool, follows: Path | None = None, zwgk_source: str | None = None,
) -> Created:
    """`follows` is read as typed (relative to the current folder); `zwgk_source` is the
    --zwgk-source text, None to use where this zwgk came from."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} 已存在且不是文件夹 (exists and is not a folder)")
    if follows is not None and not (follows / "settings.yaml").is_file():
        raise InitError(f"{follows} 不是 zwgk 数据文件夹(缺少 settings.yaml)(--follows needs a data folder)")
    source = explicit_source(zwgk_source) if zwgk_source is not None else running_source()
    plan = _plan(target, bundled, from_bundled, unit, tracking_since, follows, source)
    _refuse_conflicts(target, plan)
    added = tuple(f"{name} 已存在:zwgk 的内容加在了它的末尾 (appended)" for name in ADDED_TO
                  if (target / name).is_file())
    try:
        written = _write(target, plan)
    except OSError as error:
        raise InitError(f"无法写入 {target}:{error.strerror or error}") from None
    return Created(tuple(written), _git(target, written) if use_git else "未运行 git init。",
                   source.spec, source.notes + added)


# ---- where CI installs zwgk from ------------------------------------------------------------

def explicit_source(text: str) -> ZwgkSource:
    """--zwgk-source: a wheel file (copied into ci/), a URL or `zwgk @ URL` (a VCS URL must name
    a commit or tag), or `zwgk==VERSION` from the office's own index. A bare or unpinned name is
    refused: on a public index anyone may register it."""
    spec = text.strip()
    if spec.lower().endswith(".whl") and "://" not in spec and "@" not in spec:
        wheel = Path(spec)
        if not wheel.is_file():
            raise InitError(f"--zwgk-source {spec}:文件不存在 (no such wheel)")
        if not wheel.name.lower().startswith("zwgk-"):
            raise InitError(f"--zwgk-source {spec}:不是 zwgk 的 wheel (not a zwgk wheel)")
        return ZwgkSource(f"./ci/{wheel.name}", wheel)
    direct = re.match(r"(?i)zwgk\s*(\[[^\]]*\])?\s*@\s*(\S.*)$", spec)
    url = direct.group(2) if direct else spec
    if "://" in url:
        scheme = urlsplit(url).scheme
        if "+" in scheme and "@" not in urlsplit(url).path:  # git+https://…/zwgk.git: unpinned
            raise InitError(f"--zwgk-source {spec}:请固定到提交或标签,如 …/zwgk.git@v0.1.0 "
                            "(pin a commit or tag)", SPEC_HELP)
        local = scheme.endswith("file")  # file:// or git+file://: only a runner on this machine sees it
        return ZwgkSource(spec, notes=(f"{spec} 是本机路径:CI 运行器通常访问不到",) if local else ())
    if re.fullmatch(r"(?i)zwgk\s*(\[[^\]]*\])?\s*===?\s*[\w.!+-]+", spec):
        return ZwgkSource(spec, notes=(f"CI 将从 pip 配置的软件源安装 {spec}:公共软件源上没有 zwgk,"
                                       "请在 CI 变量中设置 PIP_INDEX_URL 指向本单位的软件源",))
    where = ("本机路径在 CI 中不存在;" if Path(spec).exists() else "")
    raise InitError(f"--zwgk-source {spec}:{where}不是固定的安装来源,CI 会去公共软件源找同名的包 "
                    "(not a pinned source)", ("可以写:", *SPEC_HELP))


def running_source() -> ZwgkSource:
    """Where this zwgk came from: the git checkout it runs from (remote URL + HEAD commit), or
    what pip recorded when it was installed (direct_url.json: a VCS commit, an archive URL, a
    local wheel to keep in ci/). Installed by name from an index, it cannot tell which index."""
    found = checkout_source(Path(__file__).resolve().parent.parent)
    if found is None:
        try:
            recorded = metadata.distribution("zwgk").read_text("direct_url.json")
        except metadata.PackageNotFoundError:
            recorded = None
        found = direct_url_source(json.loads(recorded)) if recorded else None
    return found or ZwgkSource("", notes=(
        "不知道本程序的 zwgk 从哪里安装,CI 模板未写安装来源:首次运行前请设置 CI 变量 ZWGK_PIP_SPEC,"
        "或重新运行 init 并加 --zwgk-source(见新仓库的 README.md)",))


def direct_url_source(direct: dict[str, object]) -> ZwgkSource | None:
    """PEP 610's record of a direct install; None when CI could not use it."""
    url = str(direct.get("url", ""))
    vcs, archive, folder = (direct.get(k) for k in ("vcs_info", "archive_info", "dir_info"))
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        pip_url, notes = pip_git_url(url, Path.cwd())
        sub = f"#subdirectory={direct['subdirectory']}" if direct.get("subdirectory") else ""
        return ZwgkSource(f"zwgk @ git+{pip_url}@{vcs['commit_id']}{sub}", notes=notes)
    if isinstance(archive, dict) and url.startswith("file:"):
        wheel = Path(unquote(urlsplit(url).path))
        return ZwgkSource(f"./ci/{wheel.name}", wheel) if wheel.suffix == ".whl" and wheel.is_file() else None
    if isinstance(archive, dict) and url.startswith(("https:", "http:")):
        hashes = archive.get("hashes")
        sha = hashes.get("sha256") if isinstance(hashes, dict) else None
        return ZwgkSource(f"zwgk @ {url}" + (f"#sha256={sha}" if sha and "#" not in url else ""))
    if isinstance(folder, dict) and url.startswith("file:"):
        return checkout_source(Path(unquote(urlsplit(url).path)))
    return None


def checkout_source(folder: Path) -> ZwgkSource | None:
    """A git checkout whose root is `folder`: `zwgk @ git+REMOTE@HEAD`; None if not a checkout."""
    top = _git_out(folder, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != folder.resolve() or not (folder / "pyproject.toml").is_file():
        return None  # e.g. site-packages inside some other project's repository
    commit = _git_out(folder, "rev-parse", "HEAD")
    remote = _remote_of(folder)
    if commit is None or remote is None:
        return ZwgkSource("", notes=(f"zwgk 的源码 {folder} 没有提交或远程仓库 (git remote),CI 无处安装:"
                                     "推送到本单位的 git 服务器后重新 init,或用 --zwgk-source,"
                                     "或设置 CI 变量 ZWGK_PIP_SPEC",))
    url, notes = pip_git_url(_git_out(folder, "remote", "get-url", remote) or "", folder)
    if not _git_out(folder, "branch", "-r", "--contains", commit):
        notes += (f"提交 {commit[:12]} 还不在 {remote} 上:首次运行 CI 前请先推送 (git push {remote})",)
    if _git_out(folder, "status", "--porcelain", "--untracked-files=no"):
        notes += (f"{folder} 有未提交的修改,CI 安装的是提交 {commit[:12]},不含这些修改",)
    return ZwgkSource(f"zwgk @ git+{url}@{commit}", notes=notes)


def pip_git_url(url: str, base: Path) -> tuple[str, tuple[str, ...]]:
    """A git remote as pip wants it after `git+`: scp-style `git@host:path` becomes ssh://, a
    local path a file:// URL; a password or token in an https URL is dropped, not written into
    the office's CI file."""
    if "://" not in url:
        scp = re.fullmatch(r"([^/@:]+@)?([^/:]{2,}):(.+)", url)  # two letters: not C:\…
        if scp:
            return f"ssh://{scp.group(1) or ''}{scp.group(2)}/{scp.group(3).lstrip('/')}", ()
        local = (base / url).resolve().as_uri()
        return local, (f"zwgk 的远程仓库是本机路径 {url}:CI 运行器通常访问不到,请改用 git 服务器地址",)
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])), (
            "远程仓库地址中的用户名和口令未写入 CI 文件;私有仓库请在 CI 变量 ZWGK_PIP_SPEC 中提供",)
    if parts.scheme == "file":
        return url, (f"zwgk 的远程仓库是本机路径 {url}:CI 运行器通常访问不到,请改用 git 服务器地址",)
    return url, ()


def _remote_of(folder: Path) -> str | None:
    upstream = _git_out(folder, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    remotes = (_git_out(folder, "remote") or "").split()
    for name in (upstream.split("/", 1)[0] if upstream else None, "origin", *remotes):
        if name in remotes:
            return name
    return None


def _git_out(folder: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "-C", str(folder), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


# ---- what init writes -------------------------------------------------------------------------

def _plan(target: Path, bundled: Path, from_bundled: bool, unit: str | None, tracking_since: date,
          follows: Path | None, source: ZwgkSource) -> dict[str, Content]:
    """Every file init writes (its path under target, posix) and its content, before any is written."""
    plan: dict[str, Content] = {"data/journal/.gitkeep": b""}
    settings = (bundled / "settings.yaml").read_text(encoding="utf-8")
    settings = re.sub(r"(?m)^tracking_since:\s*\S+", f"tracking_since: {tracking_since}", settings)
    if unit:
        settings = re.sub(r"(?m)^unit:.*$", f"unit: {_yaml_text(unit)}", settings)
    if follows is not None:
        settings += (f"\n# 沿用上级目录的任务、栏目和责任单位;本文件夹只写不同之处。\n"
                     f"follows: {_yaml_text(_follows_path(follows, target / 'data'))}\n")
    plan["data/settings.yaml"] = settings.encode("utf-8")
    if follows is not None:  # owners, tasks and columns come from the followed folder
        plan["data/tasks.yaml"] = FOLLOWING_TASKS.encode("utf-8")
        plan["data/columns.yaml"] = FOLLOWING_COLUMNS.encode("utf-8")
    else:
        plan["data/owners.yaml"] = bundled / "owners.yaml"
        if from_bundled:
            for name in ("tasks.yaml", "columns.yaml", "calendar.yaml"):
                if (bundled / name).exists():
                    plan[f"data/{name}"] = bundled / name
        else:
            plan["data/tasks.yaml"] = EMPTY_TASKS.encode("utf-8")
            plan["data/columns.yaml"] = EMPTY_COLUMNS.encode("utf-8")
    plan["data/notify.yaml"] = TEMPLATES / "notify.yaml"  # zwgk notify's routes, commented, sending nothing
    plan["data/site.yaml"] = TEMPLATES / "site.yaml"  # zwgk scan's column pages, commented, mapping nothing
    if source.wheel is not None:
        plan[f"ci/{source.wheel.name}"] = source.wheel
    templates = {".github/workflows/zwgk.yml": "github-workflow.yml", ".gitlab-ci.yml": "gitlab-ci.yml",
                 ".gitattributes": "gitattributes", ".gitignore": "gitignore",
                 "README.md": "README.office.md"}
    for path, template in templates.items():
        plan[path] = _render(template, source.spec)
    return plan


def _follows_path(follows: Path, data: Path) -> str:
    """`follows` as typed (relative to the current folder) → relative to the new data folder, which
    is what the loader reads it against; with forward slashes, so the file works on every system."""
    try:
        return Path(os.path.relpath(follows.resolve(), data.resolve())).as_posix()
    except ValueError:  # Windows: another drive has no relative path
        return follows.resolve().as_posix()


def _render(template: str, spec: str) -> bytes:
    """The template with the pip spec filled in: as a YAML string, and for GitHub inside the
    `${{ vars.ZWGK_PIP_SPEC || '…' }}` expression, whose strings double their quotes."""
    github = "${{ vars.ZWGK_PIP_SPEC || '" + spec.replace("'", "''") + "' }}"
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    text = text.replace("__ZWGK_PIP_SPEC_GITHUB__", json.dumps(github, ensure_ascii=False))
    text = text.replace("__ZWGK_PIP_SPEC_YAML__", json.dumps(spec, ensure_ascii=False))
    text = text.replace("__ZWGK_PIP_SPEC__", spec or "(未设置)")
    return text.encode("utf-8")


def _refuse_conflicts(target: Path, plan: dict[str, Content]) -> None:
    """A dataset, or any file init would overwrite, stops it: named, before anything is written."""
    data = target / "data"
    dataset = [target / n for n in DATASET_FILES] + [data / n for n in DATASET_FILES]
    dataset += sorted((data / "journal").glob("*.jsonl")) if (data / "journal").is_dir() else []
    found = [p for p in dataset if p.exists()]
    if found:
        raise InitError(f"{found[0]} 已有数据,不覆盖 (refusing to overwrite an existing dataset)",
                        (str(p) for p in found[1:]))
    taken = [target / path for path in plan if path not in ADDED_TO and path != "data/journal/.gitkeep"
             and (target / path).exists()]
    taken += [target / n for n in ADDED_TO if (target / n).exists() and not (target / n).is_file()]
    if taken:
        raise InitError(f"{taken[0]} 已存在,不覆盖 (refusing to overwrite it)", (str(p) for p in taken[1:]))


def _write(target: Path, plan: dict[str, Content]) -> list[str]:
    written = []
    for path, content in plan.items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path == "data/journal/.gitkeep" and destination.exists():
            continue
        if path in ADDED_TO and destination.exists():
            _add_to(destination, _bytes(content), whole=path == "README.md")
        else:
            with destination.open("xb") as file:  # "x": never overwrite, even if one appeared meanwhile
                file.write(_bytes(content))
        written.append(path)
    return sorted(written)


def _add_to(destination: Path, addition: bytes, *, whole: bool) -> None:
    """README: ours after theirs. .gitignore, .gitattributes: only the lines they lack."""
    existing = destination.read_bytes()
    if not whole:
        have = set(existing.splitlines())
        addition = b"".join(line + b"\n" for line in addition.splitlines()
                            if line.strip() and line not in have)
    if addition.strip():
        separator = b"" if not existing or existing.endswith(b"\n\n") else (
            b"\n" if existing.endswith(b"\n") else b"\n\n")
        destination.write_bytes(existing + separator + addition)


def _bytes(content: Content) -> bytes:
    return content.read_bytes() if isinstance(content, Path) else content


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _git(target: Path, written: list[str]) -> str:
    git = shutil.which("git")
    if git is None:
        return "未找到 git:请自行 git init 并提交 (git not found)."
    env_identity = ["-c", "user.name=zwgk init", "-c", "user.email=zwgk@localhost"]
    try:
        if not (target / ".git").exists():
            subprocess.run([git, "init", "-q"], cwd=target, check=True, capture_output=True)
        # Only what init wrote: other files in the folder, staged or not, stay the office's to commit.
        subprocess.run([git, "add", "--", *written], cwd=target, check=True, capture_output=True)
        has_identity = subprocess.run([git, "config", "user.email"], cwd=target,
                                      capture_output=True).returncode == 0
        identity = [] if has_identity else env_identity
        subprocess.run([git, *identity, "commit", "-q", "-m", "zwgk init: 政务公开数据仓库", "--", *written],
                       cwd=target, check=True, capture_output=True)
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode(errors="replace").strip()
        return f"git 提交未完成:{detail}(文件已写好,请自行提交)"
    return "已运行 git init 并完成首次提交。"
