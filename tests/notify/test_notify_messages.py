"""What a reminder holds (zwgk/summary/reminders.py) and how each channel shows it
(zwgk/report/reminder.py): the department's items as `overdue --dept` and `upcoming --dept` list
them, lead_only, the platforms' size limits with the rest counted, and data text that cannot
turn into markup."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, write_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.load import load_dataset
from zwgk.report.reminder import DINGTALK_LIMIT, MAX_ITEMS, WECOM_LIMIT, dingtalk, email, wecom
from zwgk.rules.engine import evaluate
from zwgk.summary.reminders import Reminder, reminder_for

AS_OF = date(2026, 11, 26)


def reminder(folder: Path, dept: str, within: int = 14, lead_only: bool = False) -> Reminder:
    result = load_dataset(folder)
    assert result.ok, result.diagnostics
    assert result.dataset is not None
    return reminder_for(result.dataset, evaluate(result.dataset, AS_OF), dept, within, lead_only)


def test_a_reminder_holds_what_overdue_and_upcoming_list(mini_data: Path) -> None:
    found = reminder(mini_data, "政策法规处", within=60)
    listed = json.loads(run_cli("overdue", "--data", str(mini_data), "--dept", "政策法规处", "--as-of", "2026-11-26",
                                "--json").stdout)["items"]
    assert [h.status.item.id for h in found.overdue] == [i["id"] for i in listed]
    coming = json.loads(run_cli("upcoming", "--data", str(mini_data), "--dept", "政策法规处", "--as-of", "2026-11-26",
                                "--within", "60d", "--json").stdout)["items"]
    assert [r.status.item.id for r in found.due_soon] == [i["id"] for i in coming]


def test_lead_only_keeps_what_the_department_leads(mini_data: Path) -> None:
    every = reminder(mini_data, "办公室")
    led = reminder(mini_data, "办公室", lead_only=True)
    assert len(led.overdue) < len(every.overdue)
    assert all(h.holding is not None and h.holding.role == "lead" for h in led.overdue)


@pytest.fixture
def crowded(mini_data: Path) -> Path:
    """政策法规处 with 300 overdue tasks, each with a long title."""
    entries = "".join(f"""
  - id: T{100 + n}
    source: body
    title: 第{n}项关于政府信息公开工作的较长的任务名称用于测试消息长度上限
    text: 做一件事。
    lead: [政策法规处]
    deadline: 2026年3月底
    rule: {{kind: deadline, due: 2026-03-31}}""" for n in range(300))
    tasks = (mini_data / "tasks.yaml").read_text(encoding="utf-8")
    (mini_data / "tasks.yaml").write_text(tasks.rstrip("\n") + entries + "\n", encoding="utf-8")
    return mini_data


def test_each_platform_gets_a_message_within_its_limit_and_the_rest_counted(crowded: Path) -> None:
    found = reminder(crowded, "政策法规处")
    total = len(found.overdue) + len(found.due_soon)
    assert total > 300
    wecom_message = wecom(found)
    content = wecom_message.payload["markdown"]["content"]
    assert len(content.encode("utf-8")) <= WECOM_LIMIT
    assert 0 < wecom_message.shown < total
    assert f"另有 {total - wecom_message.shown} 项未列出" in content
    ding = dingtalk(found)
    assert len(ding.payload["markdown"]["text"].encode("utf-8")) <= DINGTALK_LIMIT
    assert ding.shown == MAX_ITEMS  # read on a phone: no more than this
    assert f"另有 {total - MAX_ITEMS} 项未列出" in ding.text
    assert f"逾期:{len(found.overdue)} 项" in ding.text  # the count is the whole count
    mail = email(found)
    assert mail.shown == total and "另有" not in mail.text


def test_a_short_list_is_shown_whole(mini_data: Path) -> None:
    found = reminder(mini_data, "政策法规处")
    for message in (dingtalk(found), wecom(found), email(found)):
        assert message.shown == message.total == 4
        assert "另有" not in message.text


def test_data_text_cannot_become_markup_or_html(mini_data: Path) -> None:
    write_yaml(mini_data, "tasks.yaml", """
        tasks:
          - id: T01
            source: annex1
            title: '<font color="info">已完成</font> [点此](http://evil.example) **粗** `x`'
            text: 完成一件事。
            lead: [政策法规处]
            deadline: 2026年8月底
            rule: {kind: deadline, due: 2026-08-31}
        """)
    found = reminder(mini_data, "政策法规处")
    for message in (dingtalk(found), wecom(found)):
        assert "<font color=\"info\">" not in message.text
        assert "](http" not in message.text and "**粗**" not in message.text
        assert "点此" in message.text
    mail = email(found)
    assert mail.html is not None
    assert "<font" not in mail.html and "&lt;font" in mail.html


def test_the_digest_changes_with_the_content(mini_data: Path) -> None:
    first = dingtalk(reminder(mini_data, "政策法规处"))
    assert first.digest == dingtalk(reminder(mini_data, "政策法规处")).digest
    assert first.digest != dingtalk(reminder(mini_data, "办公室")).digest


@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=40))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_titles_keep_wecom_within_its_limit(mini_data: Path, titles: list[str]) -> None:
    from dataclasses import replace

    found = reminder(mini_data, "政策法规处")
    base = found.overdue[0]
    crowd = tuple(replace(base, status=replace(base.status, item=replace(base.status.item, title=t, id=f"T{n:03d}")))
                  for n, t in enumerate(titles))
    message = wecom(replace(found, overdue=crowd))
    assert len(message.text.encode("utf-8")) <= WECOM_LIMIT
    assert message.shown <= len(titles)
    assert (message.shown < len(titles)) == ("另有" in message.text)
