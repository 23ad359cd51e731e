"""The journal as a ledger inspectors trust: corrections that never erase, and a visible difference
between the day something happened and the day it was written down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

AS_OF = "2026-11-26"


def status_of(data: Path, item: str, *args: str) -> dict[str, object]:
    result = run_cli("status", "--data", str(data), "--as-of", AS_OF, "--json", *args)
    assert result.exit_code == 0, result.output
    return next(i for i in json.loads(result.stdout)["items"] if i["id"] == item)


def log(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("log", "--data", str(data), "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["entries"]  # type: ignore[no-any-return]


def record(data: Path, *args: str) -> dict[str, object]:
    result = run_cli("record", *args, "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["appended"][0]  # type: ignore[no-any-return]


def journal_bytes(data: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((data / "journal").glob("*.jsonl")))


def test_a_voided_record_stops_counting_and_its_line_stays(mini_data: Path) -> None:
    line = record(mini_data, "C02", "--date", "2026-11-20", "--url", "https://x.gov.cn/a")
    assert status_of(mini_data, "C02")["status"] == "ok"
    before = journal_bytes(mini_data)
    voided = run_cli("void", str(line["id"]), "--reason", "登记错了栏目", "--by", "王五", "--data", str(mini_data))
    assert voided.exit_code == 0, voided.output
    assert journal_bytes(mini_data).startswith(before), "the earlier bytes are unchanged"
    assert status_of(mini_data, "C02")["status"] == "overdue"
    entries = {e["id"]: e for e in log(mini_data)}
    assert entries[line["id"]]["voided_by"]
    correction = entries[entries[line["id"]]["voided_by"]]
    assert (correction["type"], correction["corrects"], correction["reason"], correction["by"]) == (
        "void", line["id"], "登记错了栏目", "王五")


def test_an_amended_record_counts_with_its_new_date(mini_data: Path) -> None:
    line = record(mini_data, "C02", "--date", "2026-10-20", "--url", "https://x.gov.cn/a")
    assert status_of(mini_data, "C02")["status"] == "due_soon"  # November has nothing yet
    amended = run_cli("amend", str(line["id"]), "--date", "2026-11-20", "--url", "https://x.gov.cn/b",
                      "--reason", "日期填错", "--data", str(mini_data), "--json")
    assert amended.exit_code == 0, amended.output
    assert json.loads(amended.stdout)["appended"][0]["corrects"] == line["id"]
    found = status_of(mini_data, "C02")
    assert (found["status"], found["last"]) == ("ok", "2026-11-20")
    original = next(e for e in log(mini_data) if e["id"] == line["id"])
    assert original["url"] == "https://x.gov.cn/a" and original["amended_by"], "the original as written"


def test_voiding_a_correction_restores_the_line(mini_data: Path) -> None:
    line = record(mini_data, "C02", "--date", "2026-11-20")
    void = json.loads(run_cli("void", str(line["id"]), "--reason", "误删", "--data", str(mini_data),
                              "--json").stdout)["appended"][0]
    assert status_of(mini_data, "C02")["status"] == "overdue"
    assert run_cli("void", str(void["id"]), "--reason", "作废错了", "--data", str(mini_data)).exit_code == 0
    assert status_of(mini_data, "C02")["status"] == "ok"


def test_voiding_an_event_voids_its_obligations(mini_data: Path) -> None:
    result = run_cli("event", "C03", "--date", "2026-11-24", "--title", "某矿透水", "--data", str(mini_data), "--json")
    assert result.exit_code == 0, result.output
    event = json.loads(result.stdout)["appended"][0]
    assert any(i["kind"] == "obligation" for i in json.loads(
        run_cli("status", "--data", str(mini_data), "--as-of", AS_OF, "--json").stdout)["items"])
    assert run_cli("void", str(event["id"]), "--reason", "重复登记", "--data", str(mini_data)).exit_code == 0
    assert not any(i["kind"] == "obligation" for i in json.loads(
        run_cli("status", "--data", str(mini_data), "--as-of", AS_OF, "--json").stdout)["items"])


def test_an_unknown_record_id_is_an_error_listing_near_ones(mini_data: Path) -> None:
    line = record(mini_data, "C02", "--date", "2026-11-20")
    typo = str(line["id"])[:-1] + ("0" if str(line["id"])[-1] != "0" else "1")
    result = run_cli("void", typo, "--reason", "x", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "找不到日志记录" in result.output and str(line["id"]) in result.output


def test_a_duplicate_record_is_refused_unless_again(mini_data: Path) -> None:
    first = record(mini_data, "C02", "--date", "2026-11-20", "--url", "https://x.gov.cn/a")
    again = run_cli("record", "C02", "--date", "2026-11-20", "--url", "https://x.gov.cn/a", "--data", str(mini_data))
    assert again.exit_code == 2 and str(first["id"]) in again.output and "--again" in again.output
    assert run_cli("record", "C02", "--date", "2026-11-20", "--url", "https://x.gov.cn/a", "--again",
                   "--data", str(mini_data)).exit_code == 0


def test_a_date_before_tracking_needs_backfill(mini_data: Path) -> None:
    result = run_cli("record", "C02", "--date", "2025-06-01", "--data", str(mini_data))
    assert result.exit_code == 2 and "--backfill" in result.output
    assert run_cli("record", "C02", "--date", "2025-06-01", "--backfill", "--data", str(mini_data)).exit_code == 0


def test_an_entry_written_long_after_its_date_is_backfilled_and_known_at_replays_it(mini_data: Path) -> None:
    (mini_data / "journal").mkdir()
    (mini_data / "journal" / "2026.jsonl").write_text(json.dumps({
        "id": "20261120-090000-0000000a", "type": "record", "item": "C02", "date": "2026-01-15",
        "at": "2026-11-20T09:00:00+08:00"}) + "\n", encoding="utf-8")
    [entry] = log(mini_data)
    assert entry["backfilled"] is True and entry["entered_at"] == "2026-11-20T09:00:00+08:00"
    doc = json.loads(run_cli("status", "--data", str(mini_data), "--as-of", AS_OF, "--json").stdout)
    assert doc["backfilled"] == 1
    january = run_cli("status", "--data", str(mini_data), "--as-of", "2026-01-31", "--json").stdout
    assert next(i for i in json.loads(january)["items"] if i["id"] == "C02")["status"] == "ok"  # was it done?
    known = run_cli("status", "--data", str(mini_data), "--as-of", "2026-01-31", "--known-at", "2026-01-31",
                    "--json").stdout
    assert next(i for i in json.loads(known)["items"] if i["id"] == "C02")["status"] != "ok"  # recorded in time?


@pytest.mark.parametrize("command", [["void", "X", "--reason", ""], ["amend", "X", "--reason", "y"]])
def test_corrections_say_why_and_what(mini_data: Path, command: list[str]) -> None:
    line = record(mini_data, "C02", "--date", "2026-11-20")
    args = [str(line["id"]) if a == "X" else a for a in command]
    result = run_cli(*args, "--data", str(mini_data))
    assert result.exit_code == 2, result.output


def _late_journal(data: Path) -> None:
    (data / "journal").mkdir(exist_ok=True)
    (data / "journal" / "2026.jsonl").write_text(json.dumps({
        "id": "20261120-090000-0000000b", "type": "record", "item": "C01", "date": "2026-11-01",
        "at": "2026-11-20T09:00:00+08:00"}) + "\n", encoding="utf-8")


def test_check_warns_of_backfilled_records_and_fails_on_them_when_asked(mini_data: Path) -> None:
    _late_journal(mini_data)
    warned = run_cli("check", "--data", str(mini_data), "--as-of", AS_OF, "--dept", "政策法规处")
    assert "提醒 补录" in warned.output or ": 提醒 补录" in warned.output
    assert "2026.jsonl:1:" in warned.output and "晚 19 天" in warned.output
    github = run_cli("check", "--data", str(mini_data), "--as-of", AS_OF, "--format", "github")
    assert "::warning file=" in github.stdout and "补录" in github.stdout
    failing = run_cli("check", "--data", str(mini_data), "--as-of", AS_OF, "--fail-on", "backfilled",
                      "--format", "json")
    assert failing.exit_code == 1
    [late] = json.loads(failing.stdout)["backfilled"]
    assert (late["id"], late["verdict"], late["days_late"]) == ("20261120-090000-0000000b", "fail", 19)


def test_voids_of_voids_count_to_any_depth() -> None:
    from datetime import date

    from zwgk.models import JournalEntry, corrected

    def line(i: str, kind: str = "record", corrects: str | None = None, **fields: object) -> JournalEntry:
        return JournalEntry(id=i, type=kind, item="C01", date=fields.pop("day", date(2026, 1, 5)),  # type: ignore[arg-type]
                            at="2026-01-05T10:00:00+08:00", corrects=corrects, reason="x" if corrects else None,
                            **fields)  # type: ignore[arg-type]

    record = line("R", url="old")
    amend = line("A", "amend", "R", url="new")
    v1, v2, v3 = line("V1", "void", "A"), line("V2", "void", "V1"), line("V3", "void", "V2")
    assert corrected((record, amend))[0].url == "new"
    assert corrected((record, amend, v1))[0].url == "old"  # the amend voided
    assert corrected((record, amend, v1, v2))[0].url == "new"  # the void voided: the amend is back
    assert corrected((record, amend, v1, v2, v3))[0].url == "old"  # and voided again
    w1, w2, w3 = line("W1", "void", "R"), line("W2", "void", "W1"), line("W3", "void", "W2")
    assert [e.id for e in corrected((record, w1, w2, w3))] == []


def test_an_amend_without_a_date_changes_no_date() -> None:
    from datetime import date

    from zwgk.models import JournalEntry, corrected

    def line(i: str, kind: str, corrects: str | None, day: date, **fields: object) -> JournalEntry:
        return JournalEntry(id=i, type=kind, item="C01", date=day, at="2026-01-06T10:00:00+08:00",  # type: ignore[arg-type]
                            corrects=corrects, reason="x" if corrects else None, **fields)  # type: ignore[arg-type]

    record = line("R", "record", None, date(2026, 1, 5))
    new_date = line("A2", "amend", "R", date(2026, 1, 3))
    url_only = line("A1", "amend", "R", date(2026, 1, 5), url="https://x.gov.cn/b")  # carries the written date
    void = line("V", "void", "A2", date(2026, 1, 6))
    [view] = corrected((record, new_date, url_only, void))
    assert (view.date, view.url) == (date(2026, 1, 5), "https://x.gov.cn/b")


def test_a_line_whose_at_is_not_an_instant_is_a_load_error_not_a_crash(mini_data: Path) -> None:
    (mini_data / "journal").mkdir()
    (mini_data / "journal" / "2026.jsonl").write_text(json.dumps({
        "id": "x1", "type": "record", "item": "C02", "date": "2026-01-15", "at": "2024/01/05 10:00"}) + "\n",
        encoding="utf-8")
    for command in ("validate", "status", "check"):
        result = run_cli(command, "--data", str(mini_data))
        assert result.exit_code == 2, (command, result.output)
        assert "2026.jsonl:1:" in result.output and "ISO" in result.output


def test_the_summary_line_counts_a_backfilled_failure(mini_data: Path) -> None:
    _late_journal(mini_data)
    result = run_cli("check", "--data", str(mini_data), "--as-of", AS_OF, "--dept", "办公室", "--fail-on", "backfilled")
    assert result.exit_code == 1
    summary = result.output.strip().splitlines()[-1]
    failed = int(summary.split(" failed")[0].rsplit(" ", 1)[-1])
    assert failed >= 1


def test_reimporting_a_row_that_matches_an_amended_line_adds_nothing(mini_data: Path, tmp_path: Path) -> None:
    line = record(mini_data, "C02", "--date", "2026-11-20", "--url", "https://x.gov.cn/a")
    assert run_cli("amend", str(line["id"]), "--url", "https://x.gov.cn/b", "--reason", "链接贴错",
                   "--data", str(mini_data)).exit_code == 0
    sheet = tmp_path / "台账.csv"
    sheet.write_text("事项,日期,链接\nC02,2026-11-20,https://x.gov.cn/b\n", encoding="utf-8")
    before = journal_bytes(mini_data)
    result = run_cli("import", str(sheet), "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    assert journal_bytes(mini_data) == before
