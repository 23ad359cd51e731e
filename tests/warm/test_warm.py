"""The warm path (zwgk/store/warm.py) gives back exactly what the normal path prints: the same
stdout bytes, stderr bytes and exit code, over a matrix of data, commands, arguments, widths,
colour settings and clock instants — and misses whenever any fact an answer came from changed.

The commands run in-process as zwgk/__main__.py runs them (warm.serve around the typer app);
the clock is one instant set by the test: warm.clock and zwgk.cli.options.now/today are
replaced together, so both paths see the same moment.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import MINI, TESTS, unit_with_hours

from zwgk.cli import options
from zwgk.store import cache, warm

BEIJING = timezone(timedelta(hours=8))
PROVINCE = TESTS / "fixtures" / "province"
EVENT = {"id": "20261125-200000-000000e1", "type": "event", "item": "C05", "date": "2026-11-25",
         "time": "20:00", "title": "夜间爆炸", "at": "2026-11-25T20:05:00+08:00"}  # due 11-26 01:00


class Clock:
    def __init__(self) -> None:
        self.instant = datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)

    def set(self, text: str) -> None:
        self.instant = datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(warm, "clock", lambda: found.instant.timestamp())
    monkeypatch.setattr(options, "now", lambda: found.instant.replace(microsecond=0))
    monkeypatch.setattr(options, "today", lambda: found.instant.date())
    return found


def normal() -> None:
    """The normal path, as zwgk/__main__.py runs it (without freezing the collector: in-process)."""
    from zwgk.cli.app import main

    main()


class Zwgk:
    """`zwgk ARGS` in-process: through the warm path, or the normal path alone."""

    def __init__(self, capsys: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys, self.monkeypatch = capsys, monkeypatch

    def __call__(self, *argv: str, warm_path: bool = True) -> tuple[bytes, bytes, int, bool]:
        self.monkeypatch.setattr(sys, "argv", ["zwgk", *argv])
        self.capsys.readouterr()
        for stream in (sys.stdout, sys.stderr):  # as a new process finds them (the normal path
            stream.reconfigure(encoding="utf-8", errors="strict")  # reconfigures what it writes to)
        hit = warm.answer(list(argv)) is not None
        code = warm.serve(list(argv), normal) if warm_path else warm.exit_code(normal)
        out, err = self.capsys.readouterr()
        return out, err, code, hit


@pytest.fixture
def zwgk(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Zwgk:
    monkeypatch.delenv("ZWGK_NO_CACHE", raising=False)
    monkeypatch.delenv("ZWGK_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    # zwgk's own files are in the key (test_zwgk_s_own_files_are_in_the_key); taken once here, so
    # that an edit made to the checkout while the suite runs does not make a test miss.
    code = warm._code()
    monkeypatch.setattr(warm, "_code", lambda: code)
    return Zwgk(capsysbinary, monkeypatch)


def same_three_ways(zwgk: Zwgk, *argv: str) -> tuple[bytes, bytes, int]:
    """Recorded by the warm path (its first run), the normal path alone, then answered warm:
    byte for byte the same."""
    first = zwgk(*argv)
    plain = zwgk(*argv, warm_path=False)
    again = zwgk(*argv)
    assert first[:3] == plain[:3], f"zwgk {' '.join(argv)}: recording changed the output"
    assert again[3], f"zwgk {' '.join(argv)}: not answered warm"
    assert again[:3] == plain[:3], f"zwgk {' '.join(argv)}: the kept answer differs"
    return plain[:3]


# --- the matrix ------------------------------------------------------------------------------

COMMANDS = (
    ("status",), ("status", "--json"), ("status", "--as-of", "2026-11-20"),
    ("overdue",), ("overdue", "--dept", "政策法规处"), ("overdue", "--json", "--sort", "days"),
    ("upcoming", "--within", "30d"), ("agenda", "--month", "2026-12"), ("agenda", "--json"),
    ("check",), ("check", "--format", "json"), ("check", "--format", "junit"),
    ("report",), ("report", "--format", "json"), ("report", "--week", "2026-W47", "-o", "-"),
    ("ics",), ("validate",), ("log",),
)


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_the_bundled_data_the_same_warm(zwgk: Zwgk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        argv: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)  # no ./data: the bundled data, with its note on stderr
    same_three_ways(zwgk, *argv)


@pytest.mark.parametrize("argv", [*COMMANDS[:10], ("show", "T01"), ("show", "C01", "--json"), ("log", "--json")],
                         ids=" ".join)
@pytest.mark.parametrize("env", [{"COLUMNS": "80"}, {"COLUMNS": "200", "NO_COLOR": "1"}],
                         ids=["80", "200-nocolor"])
def test_the_mini_data_the_same_warm(zwgk: Zwgk, mini_data: Path, monkeypatch: pytest.MonkeyPatch,
                                     argv: tuple[str, ...], env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    same_three_ways(zwgk, *argv, "--data", str(mini_data))


@pytest.mark.parametrize("argv", [("status",), ("status", "--json"), ("overdue",), ("overdue", "--unit", "合肥"),
                                  ("upcoming",), ("check",), ("report",), ("report", "--format", "json"),
                                  ("ics",), ("agenda",)], ids=" ".join)
def test_a_workspace_the_same_warm(zwgk: Zwgk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   argv: tuple[str, ...]) -> None:
    shutil.copytree(PROVINCE, tmp_path / "province")
    monkeypatch.chdir(tmp_path / "province")  # ./zwgk.yaml: the workspace
    same_three_ways(zwgk, *argv)


@pytest.fixture
def hours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return unit_with_hours(tmp_path, [EVENT])  # ./data with a 5-hour duty due 2026-11-26 01:00


HOUR_COMMANDS = (("status", "--json"), ("overdue",), ("check",), ("show", "C05"), ("upcoming",),
                 ("status", "--as-of", "2026-11-26T00:30"))


@pytest.mark.parametrize("argv", HOUR_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("instant", ["2026-11-25T23:59", "2026-11-26T00:30", "2026-11-26T01:00",
                                     "2026-11-26T01:01", "2026-11-26T06:02"])
def test_an_hour_window_the_same_warm_at_every_instant(zwgk: Zwgk, clock: Clock, hours: Path,
                                                       argv: tuple[str, ...], instant: str) -> None:
    clock.set(instant)
    same_three_ways(zwgk, *argv)


# --- an answer holds until the clock would change it -----------------------------------------


@pytest.mark.parametrize("argv", HOUR_COMMANDS[:5], ids=" ".join)
def test_an_answer_kept_before_a_deadline_is_not_given_after_it(zwgk: Zwgk, clock: Clock, hours: Path,
                                                                argv: tuple[str, ...]) -> None:
    clock.set("2026-11-26T00:30")
    before = same_three_ways(zwgk, *argv)
    clock.set("2026-11-26T01:00")
    assert zwgk(*argv)[3], "still the same answer at the deadline's own minute"
    clock.set("2026-11-26T01:01")
    out, err, code, hit = zwgk(*argv)
    assert not hit
    assert (out, err, code) == zwgk(*argv, warm_path=False)[:3]
    assert (out, err, code) != before


def test_hours_overdue_change_every_hour_and_the_answer_with_them(zwgk: Zwgk, clock: Clock, hours: Path) -> None:
    clock.set("2026-11-26T06:02")
    first = same_three_ways(zwgk, "overdue")
    assert "5 小时".encode() in first[0]
    clock.set("2026-11-26T06:59")
    assert zwgk("overdue")[3]
    clock.set("2026-11-26T07:00")
    out, _, _, hit = zwgk("overdue")
    assert not hit and "6 小时".encode() in out


def test_no_answer_outlives_midnight_in_beijing(zwgk: Zwgk, clock: Clock, mini_data: Path) -> None:
    clock.set("2026-11-26T23:59")
    same_three_ways(zwgk, "status", "--data", str(mini_data))
    clock.set("2026-11-27T00:00")
    out, err, code, hit = zwgk("status", "--data", str(mini_data))
    assert not hit
    assert (out, err, code) == zwgk("status", "--data", str(mini_data), warm_path=False)[:3]


def test_the_validity_is_the_first_change_or_midnight() -> None:
    from zwgk.load import load_dataset
    from zwgk.rules.engine import evaluate, next_change

    data = unit_with_hours(Path(os.environ["ZWGK_CACHE_DIR"]).parent / "hours-unit", [EVENT])
    dataset = load_dataset(data).dataset
    assert dataset is not None
    day = evaluate(dataset, datetime(2026, 11, 26).date())
    assert next_change(day, datetime(2026, 11, 26, 0, 30)) == datetime(2026, 11, 26, 1, 1)
    assert next_change(day, datetime(2026, 11, 26, 1, 1)) == datetime(2026, 11, 26, 2, 0)
    assert next_change(day, datetime(2026, 11, 26, 6, 2)) == datetime(2026, 11, 26, 7, 0)
    assert next_change(evaluate(dataset, datetime(2026, 11, 27).date()),
                       datetime(2026, 11, 27, 0, 59)) == datetime(2026, 11, 27, 1, 0)
    assert next_change(evaluate(dataset, datetime(2026, 11, 27).date()),
                       datetime(2026, 11, 27, 1, 0)) == datetime(2026, 11, 27, 1, 1)  # the second day starts


# --- invalidation ------------------------------------------------------------------------------


def kept_then(zwgk: Zwgk, argv: tuple[str, ...], change: object) -> None:
    same_three_ways(zwgk, *argv)
    assert callable(change)
    change()
    out, err, code, hit = zwgk(*argv)
    assert not hit, "answered from before the change"
    assert (out, err, code) == zwgk(*argv, warm_path=False)[:3]


def test_an_edited_plan_file_misses(zwgk: Zwgk, mini_data: Path) -> None:
    tasks = mini_data / "tasks.yaml"
    kept_then(zwgk, ("status", "--data", str(mini_data)),
              lambda: tasks.write_text(tasks.read_text(encoding="utf-8").replace("T01", "T91", 1),
                                       encoding="utf-8"))


def test_a_same_sized_edit_with_the_old_mtime_misses(zwgk: Zwgk, mini_data: Path) -> None:
    """The ctime cannot be set back: a stat that looks the same but for it is hashed again."""
    tasks = mini_data / "tasks.yaml"
    old = os.stat(tasks)
    os.utime(tasks, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))  # settled: the stat may stand in

    def edit() -> None:
        before = tasks.stat()
        tasks.write_bytes(tasks.read_bytes().replace(b"T01", b"T91", 1))
        os.utime(tasks, ns=(before.st_atime_ns, before.st_mtime_ns))

    kept_then(zwgk, ("overdue", "--data", str(mini_data)), edit)


def test_a_journal_line_appended_misses(zwgk: Zwgk, hours: Path, clock: Clock) -> None:
    clock.set("2026-11-26T06:02")
    line = {"id": "20261126-003000-000000e2", "type": "record", "item": "C05", "date": "2026-11-26",
            "time": "00:30", "event": EVENT["id"], "at": "2026-11-26T00:31:00+08:00"}

    def append() -> None:
        with open(hours / "journal" / "2026.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")

    kept_then(zwgk, ("overdue",), append)


def test_a_new_journal_year_file_misses(zwgk: Zwgk, hours: Path) -> None:
    line = {"id": "20251201-100000-000000r1", "type": "record", "item": "T01", "date": "2025-12-01",
            "at": "2025-12-01T10:00:00+08:00"}
    kept_then(zwgk, ("status", "--json"), lambda: (hours / "journal" / "2025.jsonl").write_text(
        json.dumps(line) + "\n", encoding="utf-8"))


def test_a_new_calendar_misses(zwgk: Zwgk, mini_data: Path) -> None:
    kept_then(zwgk, ("status", "--data", str(mini_data)),
              lambda: (mini_data / "calendar.yaml").write_text("holidays: []\n", encoding="utf-8"))


def test_a_new_data_folder_here_misses(zwgk: Zwgk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    kept_then(zwgk, ("status",), lambda: shutil.copytree(MINI, tmp_path / "data"))


def test_another_width_or_colour_misses(zwgk: Zwgk, mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept_then(zwgk, ("overdue", "--data", str(mini_data)), lambda: monkeypatch.setenv("COLUMNS", "60"))
    kept_then(zwgk, ("overdue", "--data", str(mini_data)), lambda: monkeypatch.setenv("NO_COLOR", "1"))
    kept_then(zwgk, ("overdue", "--data", str(mini_data)), lambda: monkeypatch.setenv("ZWGK_ENCODING", "gbk"))


def test_zwgk_s_own_files_are_in_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "zwgk"
    (package / "cli").mkdir(parents=True)
    source = package / "cli" / "dashboard.py"
    source.write_text("x = 1\n")
    monkeypatch.setattr(warm, "PACKAGE", str(package))
    first = warm.key(["status"])
    assert warm.key(["status"]) == first
    os.utime(source, ns=(10**18, 10**18))
    touched = warm.key(["status"])
    assert touched != first, "a new mtime is new code"
    source.write_text("x = 2\n")
    assert warm.key(["status"]) not in (first, touched)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert warm.key(["status"]) == warm.key(["status"]), "compiled files are not code changes"


# --- what is never kept --------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["record", "T01"], ["event", "C05"], ["void", "x"], ["amend", "x"], ["import", "x.csv"], ["init", "x"],
    ["cache", "clear"], ["scan"], ["notify"], ["inspect"], ["due", "C05"], ["status", "--help"], ["--help"],
    ["--version"], [], ["--encoding"], ["--install-completion"], ["unknown-command"],
])
def test_only_read_only_commands_are_kept(argv: list[str]) -> None:
    assert warm.command_of(argv) is None


@pytest.mark.parametrize("argv", [
    ["--encoding", "gbk", "status"], ["report", "-o", "-"], ["ics", "--dept", "办公室"],
    ["report", "-o", "weekly.md"], ["report", "--output=w.html"], ["ics", "-o", "z.ics"],
])
def test_read_only_commands_are_kept(argv: list[str]) -> None:
    assert warm.command_of(argv) == argv[2 if argv[0] == "--encoding" else 0]


# --- a report written to a file ----------------------------------------------------------------


def same_file_three_ways(zwgk: Zwgk, written: Path, *argv: str) -> bytes:
    """As same_three_ways, and the file the command writes: removed before each run, so each run
    is seen to write it, byte for byte the same."""
    made = []
    for warm_path in (True, False, True):
        written.unlink(missing_ok=True)
        out, err, code, hit = zwgk(*argv, warm_path=warm_path)
        made.append(((out, err, code), written.read_bytes()))
    assert made[0] == made[1], f"zwgk {' '.join(argv)}: recording changed the output"
    assert hit, f"zwgk {' '.join(argv)}: not answered warm"
    assert made[2] == made[1], f"zwgk {' '.join(argv)}: the kept answer differs"
    assert not list(written.parent.glob(".*.tmp")), "no temporary file is left behind"
    return made[1][1]


@pytest.mark.parametrize("argv", [("report", "--format", "html", "-o", "周报.html"),
                                  ("report", "--format", "md", "--output=weekly.md"),
                                  ("report", "--format", "csv", "-o", "weekly.csv"),
                                  ("ics", "-o", "zwgk.ics")], ids=" ".join)
def test_a_report_file_is_written_again_the_same_warm(zwgk: Zwgk, mini_data: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      argv: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    same_file_three_ways(zwgk, tmp_path / argv[-1].removeprefix("--output="), *argv, "--data", str(mini_data))


def test_the_report_s_default_file_is_written_again_the_same_warm(zwgk: Zwgk, mini_data: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    zwgk("report", "--data", str(mini_data), "--format", "html", warm_path=False)  # zwgk-周报-….html here
    [written] = tmp_path.glob("zwgk-*.html")
    same_file_three_ways(zwgk, written, "report", "--data", str(mini_data), "--format", "html")


def test_a_workspace_report_file_is_written_again_the_same_warm(zwgk: Zwgk, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PROVINCE, tmp_path / "province")
    monkeypatch.chdir(tmp_path / "province")
    same_file_three_ways(zwgk, tmp_path / "r.html", "report", "--format", "html", "-o", str(tmp_path / "r.html"))


def test_an_xlsx_is_not_kept(zwgk: Zwgk, mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        _, _, code, hit = zwgk("report", "--data", str(mini_data), "--format", "xlsx", "-o", "w.xlsx")
        assert code == 0 and not hit  # its zip entries carry the moment they were made


def test_a_report_over_one_of_its_inputs_is_not_kept(zwgk: Zwgk, mini_data: Path) -> None:
    target = mini_data / "notes.md"
    settings = mini_data / "settings.yaml"
    if settings.exists():
        target = settings  # a report written over a plan file: the next run reads another file
    zwgk("report", "--data", str(mini_data), "-o", str(target))
    assert not zwgk("report", "--data", str(mini_data), "-o", str(target))[3]


def test_a_report_file_that_cannot_be_written_again_runs_the_normal_path(
        zwgk: Zwgk, mini_data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    argv = ("report", "--data", str(mini_data), "--format", "html", "-o", str(folder / "w.html"))
    same_file_three_ways(zwgk, folder / "w.html", *argv)
    shutil.rmtree(folder)
    out, err, code, hit = zwgk(*argv)
    assert hit and code == 2, "kept, but the write fails: the normal path says why"
    assert (out, err, code) == zwgk(*argv, warm_path=False)[:3]
    assert "无法写入".encode() in err


def test_no_cache_keeps_nothing(zwgk: Zwgk, mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_NO_CACHE", "1")
    zwgk("status", "--data", str(mini_data))
    assert not zwgk("status", "--data", str(mini_data))[3]
    assert not (cache.root() / cache.WARM).exists()


def test_completion_is_never_answered(zwgk: Zwgk, mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_ZWGK_COMPLETE", "bash_complete")
    assert not warm.enabled()


def test_an_error_is_worked_out_again(zwgk: Zwgk, mini_data: Path) -> None:
    zwgk("overdue", "--data", str(mini_data), "--dept", "没有这个处")
    assert not zwgk("overdue", "--data", str(mini_data), "--dept", "没有这个处")[3]


def test_cache_clear_removes_the_kept_answers(zwgk: Zwgk, mini_data: Path) -> None:
    same_three_ways(zwgk, "status", "--data", str(mini_data))
    assert list((cache.root() / cache.WARM).iterdir())
    zwgk("cache", "clear", "--data", str(mini_data))
    assert not (cache.root() / cache.WARM).exists()
    assert not zwgk("status", "--data", str(mini_data))[3]


def test_a_damaged_answer_is_a_miss(zwgk: Zwgk, mini_data: Path) -> None:
    plain = same_three_ways(zwgk, "status", "--data", str(mini_data))
    for kept in (cache.root() / cache.WARM).iterdir():
        kept.write_bytes(kept.read_bytes()[:40])
    out, err, code, hit = zwgk("status", "--data", str(mini_data))
    assert not hit and (out, err, code) == plain


def test_the_warm_path_imports_nothing_of_the_stack(mini_data: Path, tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "COLUMNS": "100"}
    command = [sys.executable, "-m", "zwgk", "status", "--data", str(mini_data), "--as-of", "2026-11-26"]
    first = subprocess.run(command, env=env, capture_output=True, cwd=tmp_path, check=False)
    probe = ("import runpy, sys; sys.argv = " + repr(["zwgk", *command[3:]]) + "\n"
             "try:\n    runpy.run_module('zwgk', run_name='__main__')\n"
             "except SystemExit as done:\n"
             "    heavy = sorted(m for m in ('typer', 'rich', 'pydantic', 'yaml', 'click', 'zwgk.load')"
             " if m in sys.modules)\n"
             "    sys.stderr.write('HEAVY:' + ','.join(heavy))\n    raise\n")
    again = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, cwd=tmp_path, check=False)
    assert again.stdout == first.stdout and again.returncode == first.returncode
    assert again.stderr.endswith(b"HEAVY:"), again.stderr[-200:]


def test_a_terminal_answer_is_kept_by_its_width(mini_data: Path, tmp_path: Path) -> None:
    """On a terminal (a pty) the answer is the same bytes, and another window size is a miss."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    def on_terminal(columns: int) -> bytes:
        parent, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        import subprocess

        done = subprocess.run([sys.executable, "-m", "zwgk", "overdue", "--data", str(mini_data),
                               "--as-of", "2026-11-26"], stdout=child, stderr=child, env={**env, "TERM": "xterm"},
                              cwd=tmp_path, check=False)
        os.close(child)
        chunks = []
        while True:
            try:
                piece = os.read(parent, 65536)
            except OSError:
                break
            if not piece:
                break
            chunks.append(piece)
        os.close(parent)
        return bytes([done.returncode]) + b"".join(chunks)

    wide = on_terminal(150)
    assert on_terminal(150) == wide  # the second from the kept answer
    assert len(list((cache.root() / cache.WARM).iterdir())) == 1
    narrow = on_terminal(70)
    assert narrow != wide
    assert len(list((cache.root() / cache.WARM).iterdir())) == 2


def _watched_run(tmp_path: Path, deed: str) -> None:
    import socket
    import subprocess

    print("an answer")
    if deed == "subprocess":
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    elif deed == "socket":
        socket.socket().close()
    elif deed == "write":
        (tmp_path / "written.txt").write_text("x", encoding="utf-8")
    elif deed == "read":
        (tmp_path / "unnoted.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("deed", ["subprocess", "socket", "write", "read"])
def test_a_command_doing_more_than_reading_its_inputs_is_not_kept(
        zwgk: Zwgk, tmp_path: Path, deed: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tmp_path / "unnoted.txt").write_text("x", encoding="utf-8")
    assert warm.serve(["status"], lambda: _watched_run(tmp_path, deed)) == 0
    assert capsysbinary.readouterr().out == b"an answer\n"
    assert warm.answer(["status"]) is None


def test_a_command_only_printing_is_kept(zwgk: Zwgk, tmp_path: Path,
                                         capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert warm.serve(["status"], lambda: _watched_run(tmp_path, "nothing")) == 0
    assert warm.answer(["status"]) == ([(1, b"an answer\n")], 0, [])


@pytest.mark.skipif(sys.platform == "win32", reason="a folder symlink needs privileges on Windows")
def test_a_report_file_through_a_symlink_and_dot_dot_is_written_where_the_system_takes_it(
        zwgk: Zwgk, mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    here.mkdir()
    (here / "a").symlink_to(elsewhere / "sub")
    monkeypatch.chdir(here)
    argv = ("report", "--data", str(mini_data), "-o", "a/../r.md")  # a/.. is elsewhere, not here
    same_file_three_ways(zwgk, elsewhere / "r.md", *argv)
    assert not (here / "r.md").exists()
