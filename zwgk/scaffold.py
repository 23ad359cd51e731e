"""`zwgk init`: lay out a new office's repository — data, merge settings, CI templates, README.

Writes only into an empty (or new) folder; refuses to touch an existing dataset.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zwgk.errors import InitError

TEMPLATES = Path(__file__).parent / "templates"
PLAN_FILES = ("settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml")


@dataclass(frozen=True)
class Created:
    files: tuple[str, ...]
    git_message: str


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


def create_repository(
    target: Path, bundled: Path, *, from_bundled: bool, unit: str | None, tracking_since: date,
    use_git: bool, follows: Path | None = None,
) -> Created:
    data = target / "data"
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} 已存在且不是文件夹 (exists and is not a folder)")
    if data.exists() and any(data.iterdir()):
        raise InitError(f"{data} 已有数据,不覆盖 (refusing to overwrite an existing dataset)")
    if target.exists() and any(p.name not in {".git"} for p in target.iterdir()):
        raise InitError(f"{target} 不是空文件夹,不覆盖 (folder is not empty)")
    if follows is not None and not (follows / "settings.yaml").is_file():
        raise InitError(f"{follows} 不是 zwgk 数据文件夹(缺少 settings.yaml)(--follows needs a data folder)")
    try:
        written = _write(target, bundled, from_bundled, unit, tracking_since, follows)
    except OSError as error:
        raise InitError(f"无法写入 {target}:{error.strerror or error}") from None
    return Created(tuple(written), _git(target) if use_git else "未运行 git init。")


def _write(target: Path, bundled: Path, from_bundled: bool, unit: str | None,
           tracking_since: date, follows: Path | None) -> list[str]:
    data = target / "data"
    (data / "journal").mkdir(parents=True, exist_ok=True)
    (data / "journal" / ".gitkeep").write_text("", encoding="utf-8")
    settings = (bundled / "settings.yaml").read_text(encoding="utf-8")
    settings = re.sub(r"(?m)^tracking_since:\s*\S+", f"tracking_since: {tracking_since}", settings)
    if unit:
        settings = re.sub(r"(?m)^unit:.*$", f"unit: {_yaml_text(unit)}", settings)
    if follows is not None:
        relative = Path(os.path.relpath(follows.resolve(), data.resolve())).as_posix()
        settings += (f"\n# 沿用上级目录的任务、栏目和责任单位;本文件夹只写不同之处。\n"
                     f"follows: {_yaml_text(relative)}\n")
    (data / "settings.yaml").write_text(settings, encoding="utf-8")
    if follows is not None:  # owners, tasks and columns come from the followed folder
        (data / "tasks.yaml").write_text(FOLLOWING_TASKS, encoding="utf-8")
        (data / "columns.yaml").write_text(FOLLOWING_COLUMNS, encoding="utf-8")
    elif from_bundled:
        shutil.copyfile(bundled / "owners.yaml", data / "owners.yaml")
        for name in ("tasks.yaml", "columns.yaml", "calendar.yaml"):
            if (bundled / name).exists():
                shutil.copyfile(bundled / name, data / name)
    else:
        shutil.copyfile(bundled / "owners.yaml", data / "owners.yaml")
        (data / "tasks.yaml").write_text(EMPTY_TASKS, encoding="utf-8")
        (data / "columns.yaml").write_text(EMPTY_COLUMNS, encoding="utf-8")
    copies = {
        "github-workflow.yml": target / ".github" / "workflows" / "zwgk.yml",
        "gitlab-ci.yml": target / ".gitlab-ci.yml",
        "gitattributes": target / ".gitattributes",
        "gitignore": target / ".gitignore",
        "README.office.md": target / "README.md",
    }
    for template, destination in copies.items():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATES / template, destination)
    return sorted(str(p.relative_to(target)) for p in target.rglob("*")
                  if p.is_file() and ".git" not in p.relative_to(target).parts[:1])


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _git(target: Path) -> str:
    git = shutil.which("git")
    if git is None:
        return "未找到 git:请自行 git init 并提交 (git not found)."
    env_identity = ["-c", "user.name=zwgk init", "-c", "user.email=zwgk@localhost"]
    try:
        if not (target / ".git").exists():
            subprocess.run([git, "init", "-q"], cwd=target, check=True, capture_output=True)
        subprocess.run([git, "add", "-A"], cwd=target, check=True, capture_output=True)
        has_identity = subprocess.run([git, "config", "user.email"], cwd=target,
                                      capture_output=True).returncode == 0
        identity = [] if has_identity else env_identity
        subprocess.run([git, *identity, "commit", "-q", "-m", "zwgk init: 政务公开数据仓库"],
                       cwd=target, check=True, capture_output=True)
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode(errors="replace").strip()
        return f"git 提交未完成:{detail}(文件已写好,请自行提交)"
    return "已运行 git init 并完成首次提交。"
