"""Writing to the journal and reading it back: `record`, `event`, `log`, and the clerk's `due`.

Registered on the app by cli/app.py; loading comes from cli/units.py, dates and typed values from
cli/options.py, printing goes through cli/output.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zwgk.cli.completion import complete_departments, complete_events, complete_items
from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import (
    DataOption,
    JsonOption,
    chosen_format,
    clean_text,
    format_help,
    in_range,
    now,
    parse_day,
    parse_moment,
    today,
)
from zwgk.cli.output import emit, err, out, print_json
from zwgk.cli.units import for_writing, load_or_exit, refuse_bundled
from zwgk.dates.workdays import calendar_for
from zwgk.errors import UserError
from zwgk.load import display_path
from zwgk.models import Dataset, EventRule, Item, JournalEntry

if TYPE_CHECKING:
    from zwgk.rules.obligations import Fulfilment
from zwgk.report.registry import renderer
from zwgk.rules.owners import newest_first, resolve_item

LogFormat = Annotated[str, typer.Option("--format", help=format_help("log"))]


def register(app: typer.Typer) -> None:
    app.command(name="record", cls=ZwgkCommand)(record)
    app.command(name="event", cls=ZwgkCommand)(event)
    app.command(name="due", cls=ZwgkCommand)(due)
    app.command(name="log", cls=ZwgkCommand)(log_)


def record(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级",
                                        autocompletion=complete_items)],
    on: Annotated[str | None, typer.Option("--date", help="完成/更新日期 YYYY-MM-DD[THH:MM] (default: today)",
                                           show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="登记人", show_default=False)] = None,
    url: Annotated[str | None, typer.Option("--url", help="证据链接 (evidence URL)",
                                            show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注", show_default=False)] = None,
    event: Annotated[str | None, typer.Option("--event", help="完成哪一个事件义务(事件号或其前缀)",
                                              show_default=False)] = None,
    again: Annotated[bool, typer.Option("--again", help="同一事项、同一日期、同一链接再登记一次")] = False,
    backfill: Annotated[bool, typer.Option("--backfill", help="登记早于跟踪起点的日期(有意补录)")] = False,
    data: DataOption = None, json: JsonOption = False,
) -> None:
    """登记一次完成或更新(附证据),追加到日志;事件触发的事项默认完成最早的待办义务。"""
    from zwgk import journal
    from zwgk.load import JOURNAL_DIR
    folder, chosen, dataset = for_writing(data)
    found = resolve_item(dataset, item)
    by_the_hour = isinstance(found.rule, EventRule) and found.rule.unit == "hours"
    # An hour window is judged by the clock: its record says when, or it would pass as on time
    # whatever the hour (a record without --date is made now, to the minute).
    day, at_time = (parse_moment(on, "--date", bounded=False) if on is not None
                    else (today(), f"{now():%H:%M}" if by_the_hour else None))
    if by_the_hour and at_time is None:
        raise UserError(f"{found.title} 按小时计时,请写明完成时间,如 --date {day}T14:30 "
                        "(an hour window's record needs a time)")
    if day > today() or _later_today(day, at_time):
        when = f"今天 {today()}" if day > today() else f"现在 {now():%H:%M}"
        raise UserError(f"--date {day}{' ' + at_time if at_time else ''} 晚于{when}:"
                        "不能登记尚未发生的事 (cannot record work dated in the future)")
    in_range(day, "--date")
    refuse_bundled(chosen)
    before_tracking(dataset, day, backfill)
    evidence = clean_text(url)
    # The same evidence for the same item on the same day is the same record; without a URL, the
    # same note too (one happening written down twice, not two updates on one day).
    remark = clean_text(note)
    earlier = next((e for e in dataset.journal if e.type == "record" and e.item == found.id and e.date == day
                    and e.url == evidence and (evidence is not None or e.note == remark)), None)
    if earlier is not None and not again:
        raise UserError(f"{found.id} {day} 已登记过同一条记录 {earlier.id}"
                        f"(登记于 {earlier.at[:16].replace('T', ' ')},链接 {earlier.url or '无'})"
                        "(duplicate record)",
                        ("确实要再登记一次,加 --again;登记错了,用 zwgk amend 或 zwgk void 更正。",))
    from zwgk.rules.obligations import fulfilment_for

    event_id, verdict = _verdict(found, fulfilment_for(dataset, found, day, at_time, event, today()))
    stamp = now()
    entry = JournalEntry(
        id=journal.new_id(stamp), type="record", item=found.id, date=day, time=at_time,
        at=stamp.isoformat(), by=clean_text(by), url=evidence, note=clean_text(note), event=event_id,
    )
    path = journal.append(folder / JOURNAL_DIR, entry, stamp)
    if json:
        print_appended([entry], path)
        return
    out(f"已登记 {entry.id}:{found.id} {found.title} {day}{verdict}  → {display_path(path)}")


def before_tracking(dataset: Dataset, day: date, backfill: bool) -> None:
    """A date before the dataset's tracking start is entered on purpose or not at all."""
    since = dataset.settings.tracking_since
    if day < since and not backfill:
        raise UserError(f"--date {day} 早于跟踪起点 {since}:若是有意补录旧记录,请加 --backfill "
                        "(before tracking_since: say --backfill)")


def print_appended(entries: list[JournalEntry], path: Path) -> None:
    """`--json` of a writer: exactly what was appended, as the journal holds it."""
    import json as json_module

    from zwgk import journal

    print_json(json_module.dumps({"appended": [journal.as_record(e) for e in entries],
                                  "journal": display_path(path)}, ensure_ascii=False, indent=2))


def _verdict(item: Item, fulfilment: Fulfilment | None) -> tuple[str | None, str]:
    """The event a record closes, and what to say about it."""
    if fulfilment is None:
        return None, ""
    chosen = fulfilment.obligation
    if chosen is None:
        return None, "(该事项没有待办的事件义务,记为一次更新)"
    due = f"{chosen.due.day}{' ' + chosen.due.time if chosen.due.time else ''}"
    return chosen.event.id, (f",完成事件 {chosen.event.id}(应于 {due},"
                             f"{'逾期完成' if fulfilment.late else '按时完成'})")


def event(
    item: Annotated[str, typer.Argument(help="事件类型(如 重大舆情、上级政策发布),或事件触发的事项:"
                                        "编号、标题或栏目名,如 上级文件、事故快讯",
                                        autocompletion=complete_events)],
    on: Annotated[str, typer.Option("--date", help="事件日期 YYYY-MM-DD[THH:MM](北京时间)")],
    title: Annotated[str | None, typer.Option("--title", help="事件名称", show_default=False)] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="承办处室",
                                             autocompletion=complete_departments, show_default=False)] = None,
    complex_case: Annotated[bool, typer.Option("--complex", help="情况复杂,适用延长时限")] = False,
    by: Annotated[str | None, typer.Option("--by", help="登记人", show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注", show_default=False)] = None,
    backfill: Annotated[bool, typer.Option("--backfill", help="登记早于跟踪起点的日期(有意补录)")] = False,
    data: DataOption = None, json: JsonOption = False,
) -> None:
    """登记触发时限的事件(上级文件发布、事故、计划执法日期…);事件类型一次生成它的每项义务。"""
    from zwgk import journal
    from zwgk.load import JOURNAL_DIR
    from zwgk.rules.obligations import due_for

    folder, chosen, dataset = for_writing(data)
    kind, duties = _duties_of(dataset, item)
    day, at_time = parse_moment(on, "--date", bounded=False)
    for found in duties:
        _check_event_date(found, day, at_time)
    in_range(day, "--date")
    rules = [_event_rule(found) for found in duties]
    if complex_case and all(rule.complex_amount is None for rule in rules):
        raise UserError(f"{kind or duties[0].title} 没有“情况复杂”的延长时限 "
                        "(no extended window for this item)")
    departments = [_department_of(dataset, found, dept) for found in duties]
    before_tracking(dataset, day, backfill)
    refuse_bundled(chosen)
    stamp = now()
    # One happening, one id: its lines are <id>.<item>, each naming the happening in `event`, so
    # `record B07 --event <id>` and `void <id>` find them by the id the clerk was told.
    shared = journal.new_id(stamp) if kind else None
    entries = [JournalEntry(
        id=f"{shared}.{found.id}" if shared else journal.new_id(stamp), type="event", item=found.id,
        date=day, time=at_time, at=stamp.isoformat(), by=clean_text(by), note=clean_text(note),
        title=clean_text(title), dept=owner, complex=complex_case and rule.complex_amount is not None,
        event=shared,
    ) for found, rule, owner in zip(duties, rules, departments, strict=True)]
    calendar = calendar_for(dataset.calendar)
    dues = [due_for(rule, day, at_time, entry.complex, calendar)
            for rule, entry in zip(rules, entries, strict=True)]
    path = journal.append_many(folder / JOURNAL_DIR, entries, stamp)
    if json:
        print_appended(entries, path)
        return
    when = f"{day}{' ' + at_time if at_time else ''}"
    lines = [f"{found.id} {found.title} → 应于 {due.day}{' ' + due.time if due.time else ''} 前完成"
             for found, due in zip(duties, dues, strict=True)]
    if shared:
        out(f"已登记事件 {shared}({kind},{when}),生成 {len(entries)} 项义务:  ({display_path(path)})")
        for line in lines:
            out(f"  {line}")
    else:
        out(f"已登记事件 {entries[0].id}:{duties[0].id} {duties[0].title} {when}"
            f"{lines[0].removeprefix(f'{duties[0].id} {duties[0].title}')}  ({display_path(path)})")
    if any(due.provisional for due in dues):
        from zwgk.report.labels import provisional_note

        years = sorted({year for due in dues for year in due.provisional_years})
        err(provisional_note(tuple(years)))


def _duties_of(dataset: Dataset, wanted: str) -> tuple[str | None, tuple[Item, ...]]:
    """An event kind named in the data (every duty it starts), else one event-triggered item."""
    from zwgk.rules.obligations import happening_named, happenings

    if (named := happening_named(dataset.items, wanted)) is not None:
        return named
    kinds = happenings(dataset.items)
    found = resolve_item(dataset, wanted)
    if not isinstance(found.rule, EventRule):
        names = [f"{i.id} {i.title}" for i in dataset.items if isinstance(i.rule, EventRule)]
        raise UserError(f"{found.id} {found.title} 不是事件触发的事项 (not an event-triggered item)",
                        (*(f"事件类型:{k}({'、'.join(d.id for d in ds)})" for k, ds in kinds.items()),
                         *(f"事件触发的事项:{n}" for n in names)))
    return None, (found,)


def _event_rule(found: Item) -> EventRule:
    assert isinstance(found.rule, EventRule)  # _duties_of gives event-triggered items only
    return found.rule


def _check_event_date(found: Item, day: date, at_time: str | None) -> None:
    rule = _event_rule(found)
    if rule.unit == "hours" and at_time is None:
        raise UserError(f"{found.title} 按小时计时,请写明事件时间,如 --date {day}T14:30 "
                        "(hour windows need a time)")
    if (day > today() or _later_today(day, at_time)) and rule.direction != "before":
        when = "今天" if day > today() else f"现在 {now():%H:%M}"
        raise UserError(f"--date {day}{' ' + at_time if at_time else ''} 晚于{when}:只有“提前公开”类事项"
                        f"可以登记将来的日期 ({found.id}: only 'before' duties take a future date)")


def _later_today(day: date, at_time: str | None) -> bool:
    """A time of day still to come (Beijing): 5 hours from an event that has not happened yet
    would start a clock that is not running."""
    return day == today() and at_time is not None and at_time > f"{now():%H:%M}"


def _department_of(dataset: Dataset, found: Item, dept: str | None) -> str | None:
    """Who an event's duty lands on: --dept, else the data's default for a group-led duty; a duty
    led by whole groups with neither asks, or it would land on every department of the group."""
    from zwgk.rules.owners import default_department, group_led, resolve_owner

    if dept:
        return resolve_owner(dataset, dept)
    if (default := default_department(dataset, found)) is not None:
        return default
    if group_led(dataset, found):
        raise UserError(f"{found.title} 由“{'、'.join(found.lead)}”承担:请用 --dept 指明哪个处室承办 "
                        "(a group's duty: name the department)",
                        ("否则这项义务会同时落在组里的每个处室名下;也可在数据里为它写 rule 的 dept。",))
    return None


def due(
    item: Annotated[str, typer.Argument(help="事件触发的事项", autocompletion=complete_items)],
    start: Annotated[str, typer.Option("--from", help="事件日期 YYYY-MM-DD[THH:MM]")],
    complex_case: Annotated[bool, typer.Option("--complex", help="情况复杂,适用延长时限")] = False,
    data: DataOption = None, json: JsonOption = False,
) -> None:
    """时限计算器:某日发生/发布,何时到期?列出跳过的节假日和周末。"""
    from zwgk.report.labels import describe_rule, provisional_note
    from zwgk.rules.obligations import due_for

    dataset = load_or_exit(data)
    found = resolve_item(dataset, item)
    if not isinstance(found.rule, EventRule):
        raise UserError(f"{found.id} {found.title} 不是事件触发的事项:{describe_rule(found.rule)}")
    if complex_case and found.rule.complex_amount is None:
        raise UserError(f"{found.title} 没有“情况复杂”的延长时限 (no extended window for this item)")
    day, at_time = parse_moment(start, "--from")
    calendar = calendar_for(dataset.calendar)
    result = due_for(found.rule, day, at_time, complex_case, calendar)
    skipped = calendar.skipped_between(day, result.day) if found.rule.unit == "working_days" else []
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps({
            "schema": jsonout.SCHEMA_VERSION, "item": found.id, "rule": describe_rule(found.rule),
            "event_date": day.isoformat(), "event_time": at_time, "due": result.day.isoformat(),
            "due_time": result.time, "provisional": result.provisional,
            "provisional_years": list(result.provisional_years),
            "skipped": [{"date": s.day.isoformat(), "reason": s.reason} for s in skipped],
        }))
        return
    weekday = "一二三四五六日"[result.day.weekday()]
    out(f"{found.id} {found.title}:{describe_rule(found.rule)}")
    out(f"事件:{day}{' ' + at_time if at_time else ''}  →  应完成:{result.day}(周{weekday})"
        f"{' ' + result.time if result.time else ''}")
    if skipped:
        out("跳过的非工作日:" + "、".join(f"{s.day:%m-%d} {s.reason}" for s in skipped))
    if result.provisional:
        err(provisional_note(result.provisional_years))


def log_(
    item: Annotated[str | None, typer.Argument(help="只看某事项 (optional)", show_default=False,
                                                      autocompletion=complete_items)] = None,
    since: Annotated[str | None, typer.Option("--since", help="自某日起 YYYY-MM-DD",
                                              show_default=False)] = None,
    data: DataOption = None, json: JsonOption = False, output_format: LogFormat = "text",
    until: Annotated[str | None, typer.Option("--until", help="到某日为止(含)", show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="只看某登记人的", show_default=False)] = None,
    only_item: Annotated[str | None, typer.Option("--item", help="只看某事项(同 ITEM)",
                                                  show_default=False)] = None,
) -> None:
    """日志:登记过的完成、更新和事件,最新的在前。"""
    from zwgk.summary.answers import LogAnswer

    chosen = chosen_format("log", output_format, json)
    dataset = load_or_exit(data)
    entries = list(dataset.journal_as_written)
    if item and only_item and item != only_item:
        raise UserError(f"ITEM '{item}' 与 --item '{only_item}' 不同,只写一个 (give one item)")
    wanted = item or only_item
    if wanted is not None:
        found = resolve_item(dataset, wanted)
        entries = [e for e in entries if e.item == found.id]
    if since is not None:
        start = parse_day(since, "--since")
        entries = [e for e in entries if e.date >= start]
    if until is not None:
        end = parse_day(until, "--until")
        entries = [e for e in entries if e.date <= end]
    if by is not None:
        entries = [e for e in entries if (e.by or "").strip() == by.strip()]
    from zwgk.summary.ledger import line_facts

    emit(renderer("log", chosen)(LogAnswer(dataset, tuple(newest_first(entries)), line_facts(dataset))))


