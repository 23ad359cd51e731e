"""The timing harness: zwgk's commands on each fixture, cold and warm, against three floors and
Taskwarrior, then a Markdown table and the target ratios.

Every number is the median of N child processes. Wall time is `time.perf_counter()` around
`Popen` … `os.wait4`; peak RSS is that child's own `ru_maxrss` from `os.wait4` (the per-child
form of RUSAGE_CHILDREN: deltas of RUSAGE_CHILDREN are a high-water mark and would hide a small
child run after a big one). "Cold" empties zwgk's cache (snapshots) before every run (a private
ZWGK_CACHE_DIR, plus any `.zwgk-cache` folder under the fixture); the OS page cache is warm in
both columns. "Warm" runs the same command again on unchanged files, right after its cold run.

The runs are interleaved: each round runs every command of a fixture once — cold, then warm —
with the floors it is compared with (the bare import and the stack floor beside the bundled
data, the CSafeLoader load beside each fixture, Taskwarrior beside `items10k`), and the median
is taken over the rounds. On a shared machine whose speed drifts over minutes, a ratio is then
of two numbers measured under the same conditions, not minutes apart.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zwgk.bench import AS_OF, DEFAULT_SEED
from zwgk.bench.results import (
    DEPT,
    IMPORT_FLOOR,
    SCAN_FLOOR,
    STACK_LABEL,
    Row,
    Sample,
    _cell,
    format_table,
    format_targets,
    median_sample,
    targets,
)
from zwgk.bench.scenarios import record_then_status, scan_floor_ms, scan_probes

CSAFE_SCRIPT = """\
import sys, yaml
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""
# What the command-line stack alone costs: a typer app with one command that prints one Rich
# table of 35 rows (the size of the bundled dashboard), reading nothing. Typer ≥ 0.2x builds its
# parameter coercion on pydantic at run time, so this is more than the bare import.
STACK_FLOOR = """\
import sys
import typer
from rich.console import Console
from rich.table import Table
app = typer.Typer(add_completion=False)
@app.command()
def status(as_of: str = "", json: bool = False) -> None:
    table = Table(title="status")
    for name in ("处室", "逾期", "即将到期", "已完成", "栏目"):
        table.add_column(name)
    for n in range(35):
        table.add_row("政策法规处", str(n), "3", "4", "5")
    Console(file=sys.stdout, width=120).print(table)
@app.command()
def other() -> None:
    pass
app()
"""
PLAN_NAMES = ("zwgk.yaml", "settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml", "calendar.yaml")


# --- measuring ----------------------------------------------------------------------------------


def run_once(command: Sequence[str], env: dict[str, str], cwd: Path) -> Sample:
    """One child process: wall ms and its own peak RSS (MB). Exit 0 or 1 (findings) is success."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(command)} exited {child.returncode}:\n{tail}")
    return Sample(elapsed * 1000, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


@dataclass(frozen=True)
class Probe:
    """One command measured in every round: a table row's cold or warm column."""

    fixture: str  # the row it belongs to
    label: str
    command: list[str]
    cold: bool = False
    before: Callable[[], None] | None = None  # for cold runs: empty zwgk's cache
    env: dict[str, str] | None = None  # instead of the bench's own


def interleaved(probes: Sequence[Probe], env: dict[str, str], cwd: Path, repeat: int,
                progress: Callable[[int], None] | None = None) -> list[Row]:
    """Each probe `repeat` times, one round at a time; a row per (fixture, label), in order."""
    samples: dict[tuple[str, str, bool], list[Sample]] = {}
    for done in range(repeat):
        for probe in probes:
            if probe.before is not None:
                probe.before()
            samples.setdefault((probe.fixture, probe.label, probe.cold), []).append(
                run_once(probe.command, probe.env or env, cwd))
        if progress is not None:
            progress(done + 1)
    rows = []
    for fixture, label in dict.fromkeys((p.fixture, p.label) for p in probes):
        cold, warm = (samples.get((fixture, label, column)) for column in (True, False))
        kept = [median_sample(found) for found in (cold, warm) if found]
        rows.append(Row(fixture, label, median_sample(cold).ms if cold else None,
                        median_sample(warm).ms if warm else None, max(k.rss_mb for k in kept)))
    return rows


@dataclass
class Fixture:
    name: str
    root: Path  # cleared of .zwgk-cache folders for cold runs
    selector: list[str]  # --data DIR or --workspace FILE
    journals: list[Path] = field(default_factory=list)
    plans: list[Path] = field(default_factory=list)


def describe(name: str, root: Path, selector: list[str]) -> Fixture:
    plans = sorted(p for p in root.rglob("*.yaml") if p.name in PLAN_NAMES and ".zwgk-cache" not in p.parts)
    journals = sorted(p for p in root.rglob("*.jsonl") if p.parent.name == "journal")
    return Fixture(name, root, selector, journals, plans)


def fixtures(out: Path, quick: bool) -> list[Fixture]:
    from zwgk.bench.generate import bundled_data

    bundled = bundled_data()
    found = [describe("bundled", bundled, ["--data", str(bundled)]),
             describe("big", out / "big", ["--data", str(out / "big")])]
    if not quick:
        found.append(describe("province", out / "province",
                              ["--workspace", str(out / "province" / "zwgk.yaml")]))
    found.append(describe("items10k", out / "items10k", ["--data", str(out / "items10k")]))
    return found


def zwgk_commands(report: Path) -> list[tuple[str, list[str]]]:
    return [("zwgk status", ["status"]),
            (f"zwgk overdue --dept {DEPT}", ["overdue", "--dept", DEPT]),
            ("zwgk check", ["check"]),
            ("zwgk report --format html", ["report", "--format", "html", "-o", str(report)])]


def journal_as_yaml(journals: Sequence[Path], target: Path) -> list[Path]:
    """Each JSONL file as a YAML sequence: `- ` + line, since a JSON object is a flow mapping.
    Line by line: the harness stays small (see `own_peak`)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for index, path in enumerate(journals):
        converted = target / f"{index:04d}-{path.stem}.yaml"
        with path.open(encoding="utf-8") as lines, converted.open("w", encoding="utf-8") as out:
            out.writelines(f"- {line.rstrip()}\n" for line in lines if line.strip())
        written.append(converted)
    return written


class Bench:
    def __init__(self, work: Path, repeat: int) -> None:
        self.work = work
        self.repeat = repeat
        self.cache = work / "zwgk-cache"
        self.env = {**os.environ, "ZWGK_CACHE_DIR": str(self.cache), "COLUMNS": "120"}
        self.env.pop("ZWGK_DATA", None)
        self.env.pop("ZWGK_NO_CACHE", None)

    def clear(self, fixture: Fixture) -> Callable[[], None]:
        """What `zwgk cache clear` does: the cache folder, and any `.zwgk-cache` in the data."""
        def clear() -> None:
            shutil.rmtree(self.cache, ignore_errors=True)
            for folder in fixture.root.rglob(".zwgk-cache"):
                shutil.rmtree(folder, ignore_errors=True)
        return clear

    def command_probes(self, fixture: Fixture) -> list[Probe]:
        """zwgk's commands on the fixture, each cold then warm, and the plain YAML load of its files."""
        probes = []
        for label, args in zwgk_commands(self.work / "report.html"):
            command = [sys.executable, "-m", "zwgk", *args, *fixture.selector, "--as-of", AS_OF.isoformat()]
            probes += [Probe(fixture.name, label, command, cold=True, before=self.clear(fixture)),
                       Probe(fixture.name, label, command)]  # unchanged files, right after the cold run
        files = [*fixture.plans, *journal_as_yaml(fixture.journals, self.work / "yaml" / fixture.name)]
        listing = self.work / f"{fixture.name}-files.txt"
        listing.write_text("".join(f"{path}\n" for path in files), encoding="utf-8")
        probes.append(Probe(fixture.name, "floor: CSafeLoader load",
                            [sys.executable, "-c", CSAFE_SCRIPT, str(listing)]))
        return probes

    def measure(self, probes: Sequence[Probe], name: str) -> list[Row]:
        def progress(rounds: int) -> None:
            print(f"  {name}: round {rounds}/{self.repeat}", flush=True)

        rows = interleaved(probes, self.env, self.work, self.repeat, progress)
        for row in rows:
            print(f"  {row.fixture}: {row.command}: cold {_cell(row.cold_ms)} ms, "
                  f"warm {_cell(row.warm_ms)} ms", flush=True)
        return rows


FLOOR_PROBES = (Probe("(none)", f"floor: python -c '{IMPORT_FLOOR}'", [sys.executable, "-c", IMPORT_FLOOR]),
                Probe("(none)", STACK_LABEL, [sys.executable, "-c", STACK_FLOOR, "status", "--as-of", "x"]))


# --- Taskwarrior ------------------------------------------------------------------------------


def ensure_taskwarrior(install: bool) -> tuple[str | None, str]:
    found = shutil.which("task")
    if found:
        return found, f"taskwarrior found at {found}"
    if not install:
        return None, "taskwarrior not installed (--no-install given)"
    command = ["apt-get", "install", "-y", "-qq", "taskwarrior"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = shutil.which("task")
    what = f"ran `{' '.join(command)}` (exit {done.returncode})"
    if found:
        return found, f"{what}: installed {found}"
    return None, f"{what}: taskwarrior still missing: {done.stderr.strip()[-300:]}"


def taskwarrior_version(task: str) -> str:
    done = subprocess.run([task, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def task_count(task: str, rc: list[str], env: dict[str, str], work: Path, project: str) -> int:
    done = subprocess.run([task, *rc, "+OVERDUE", f"project:{project}", "count"], capture_output=True,
                          text=True, env=env, cwd=work, check=False)
    return int(done.stdout.strip() or -1)


def setup_taskwarrior(task: str, export: Path, work: Path, env: dict[str, str]) -> tuple[list[str], str]:
    """A private taskrc and data folder with the 10k deadlines imported; the project to ask for."""
    folder = work / "taskwarrior"
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    taskrc = folder / "taskrc"
    taskrc.write_text(f"data.location={data}\nconfirmation=off\nhooks=off\nverbose=nothing\n",
                      encoding="utf-8")
    rc = [f"rc:{taskrc}", f"rc.data.location={data}", "rc.confirmation=off", "rc.hooks=off",
          "rc.verbose=nothing"]
    subprocess.run([task, *rc, "import", str(export)], capture_output=True, env=env, cwd=work, check=True)
    return rc, DEPT


def zwgk_overdue_count(env: dict[str, str], work: Path, data: Path) -> int:
    done = subprocess.run([sys.executable, "-m", "zwgk", "overdue", "--dept", DEPT, "--data", str(data),
                           "--as-of", AS_OF.isoformat(), "--json"], capture_output=True, text=True,
                          env=env, cwd=work, check=False)
    return len(json.loads(done.stdout).get("items", []))


def taskwarrior_probe(bench: Bench, items10k: Path, install: bool) -> tuple[Probe | None, list[str]]:
    notes = []
    task, message = ensure_taskwarrior(install)
    notes.append(message)
    if task is None:
        return None, notes
    notes.append(f"taskwarrior version {taskwarrior_version(task)}")
    env = {**bench.env, "TZ": "Asia/Shanghai"}
    rc, project = setup_taskwarrior(task, items10k / "taskwarrior.json", bench.work, env)
    count = task_count(task, rc, env, bench.work, project)
    notes.append(f"task import of {items10k / 'taskwarrior.json'}: `task overdue project:{project}` "
                 f"selects {count} tasks (Taskwarrior judges against the real clock); "
                 f"zwgk --as-of {AS_OF} selects {zwgk_overdue_count(bench.env, bench.work, items10k)}")
    if count <= 0:
        notes.append("the Chinese project name selected nothing: the comparison is not meaningful")
    probe = Probe("items10k", f"task overdue project:{project}", [task, *rc, "overdue", f"project:{project}"],
                  env=env)
    return probe, notes


# --- the whole run --------------------------------------------------------------------------


def own_peak() -> str:
    """The harness's own peak RSS. A child's ru_maxrss cannot be below it: Linux counts the pages
    a child is forked (or vforked) with, before it execs. So the harness generates fixtures in a
    child process and converts journals line by line, and says how small it stayed."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"the harness's own peak RSS: {peak:.1f} MB (no child's peak RSS is reported below "
            "this: Linux counts the pages a child starts with)")


def machine() -> str:
    return (f"nproc {os.cpu_count()}, Python {sys.version.split()[0]} ({sys.executable}), "
            f"{os.uname().sysname} {os.uname().release}")


def code_version() -> str:
    """Which zwgk was measured: the commit of its checkout, and whether it had local changes."""
    import zwgk

    checkout = Path(zwgk.__file__).parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "zwgk", "pyproject.toml"],
                                 cwd=checkout, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"zwgk {zwgk.__version__} (not a git checkout)"
    return f"zwgk commit {commit}" + (" with local changes" if changed else "")


def byte_compile_zwgk() -> str:
    """zwgk's modules byte-compiled before timing, as `pip install` does for an installed
    package: a machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every module of
    zwgk from source in every run (its dependencies in site-packages are already compiled)."""
    import compileall

    import zwgk

    package = Path(zwgk.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    return f"zwgk byte-compiled before timing ({package}); PYTHONDONTWRITEBYTECODE=" \
           f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}"


def run_all(out: Path | None, repeat: int, quick: bool, seed: int = DEFAULT_SEED,
            install: bool = True) -> int:
    out = out or Path(tempfile.mkdtemp(prefix="zwgk-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "fixtures.json"
    if not manifest.is_file():  # in a child: generating grows a process, and children inherit that
        print(f"generating fixtures into {out} (seed {seed}) …", flush=True)
        subprocess.run([sys.executable, "-m", "zwgk.bench", "generate", str(out), "--seed", str(seed)],
                       check=True)
    compiled = byte_compile_zwgk()
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-work-") as scratch:
        bench = Bench(Path(scratch), repeat)
        print(f"machine: {machine()}\nrepeat {repeat} (median); RSS: ru_maxrss of each child via os.wait4",
              flush=True)
        notes = [code_version(), compiled]
        floors: list[Row] = []
        rows: list[Row] = []
        for fixture in fixtures(out, quick):
            probes = bench.command_probes(fixture)
            if fixture.name == "bundled":
                probes[:0] = FLOOR_PROBES
            if fixture.name == "province":
                probes += record_then_status(bench, fixture.root)
            if fixture.name == "items10k":
                task, said = taskwarrior_probe(bench, out / "items10k", install)
                notes += said
                probes += [task] if task is not None else []
            measured = bench.measure(probes, fixture.name)
            floors += [row for row in measured if row.fixture == "(none)"]
            rows += [row for row in measured if row.fixture != "(none)"]
        with scan_probes(bench) as (probes, said):
            notes += said
            if probes:
                rows += bench.measure(probes, "scan")
                rows.append(Row("scan", SCAN_FLOOR, None, scan_floor_ms(), None))
        rows[:0] = floors
        notes.append(own_peak())
    table = format_table(rows)
    verdicts = format_targets(targets(rows))
    text = (f"# zwgk benchmark\n\n{machine()}; repeat {repeat} (median); as-of {AS_OF}; "
            "runs interleaved, one round at a time (each command cold, then warm, beside the floors "
            "it is compared with); cold = zwgk's cache (snapshots) emptied before the run (OS page "
            "cache warm); warm = the same command again on unchanged files; floors and Taskwarrior "
            "are warm-only; peak RSS = max ru_maxrss (os.wait4) over the runs.\n\n"
            f"{table}\n\n## Targets\n\n{verdicts}\n\n## Notes\n\n"
            + "\n".join(f"- {note}" for note in notes) + "\n")
    print()
    print(text)
    (out / "bench.md").write_text(text, encoding="utf-8")
    print(f"written to {out / 'bench.md'}")
    return 0
