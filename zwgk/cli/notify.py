"""`zwgk notify`: each department's overdue and due-soon items, sent as one message by the DingTalk
or WeCom group robot or the email notify.yaml names for it — once a day, unless --force.

Exit codes: 0 every message sent (or already sent today, or nothing to send); 2 notify.yaml is
invalid, a secret's environment variable is missing (nothing is sent), the state folder cannot
be written, or a message could not be delivered (the others are still sent; a second run sends
only what failed). Not 1: overdue items are what the message is about, not a failure of the
run; not 3: a robot or mail server refusing is not zwgk's own failure.
"""

from __future__ import annotations

import json as json_module
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zwgk.cli.completion import complete_departments
from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import AsOfOption, DataOption, JsonOption, as_of_moment, now
from zwgk.cli.output import err, out, print_errors, print_json
from zwgk.cli.units import data_dir, resolve_dept, select_units
from zwgk.errors import EXIT_ERROR, UserError

if TYPE_CHECKING:
    from zwgk.load.notify import NotifyRead
    from zwgk.models.notify import NotifyFile, Via
    from zwgk.send.deliver import Outcome
    from zwgk.summary.reminders import Outgoing

ViaOption = Annotated[list[str] | None, typer.Option(
    "--via", help="只用某种方式发送:dingtalk 钉钉 | wecom 企业微信 | email 邮件,可写多次"
    " (default: notify.yaml 写的全部)",
    show_default=False)]
NotifyDeptOption = Annotated[str | None, typer.Option(
    "--dept", help="只给某处室发 (department name or alias)", autocompletion=complete_departments,
    show_default=False)]
StateOption = Annotated[Path | None, typer.Option(
    "--state", help="发送记录所在的文件夹 (default: $ZWGK_STATE_DIR, else ~/.local/state/zwgk)",
    show_default=False)]
VIA_NAMES: dict[str, Via] = {"dingtalk": "dingtalk", "钉钉": "dingtalk", "wecom": "wecom",
                             "企业微信": "wecom", "企微": "wecom", "email": "email", "mail": "email",
                             "邮件": "email"}


def register(app: typer.Typer) -> None:
    app.command(cls=ZwgkCommand)(notify)


def notify(
    dept: NotifyDeptOption = None, via: ViaOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将发送的消息,不发送、不记录")] = False,
    force: Annotated[bool, typer.Option("--force", help="今天已发送的也再发一次")] = False,
    json: JsonOption = False, data: DataOption = None, as_of: AsOfOption = None, state: StateOption = None,
) -> None:
    """发送提醒:各处室的逾期和即将到期事项,按 notify.yaml 发到钉钉群、企业微信群或邮箱;每天一次。"""
    from zwgk.load.notify import NOTIFY_FILE, load_notify
    from zwgk.models.notify import VIAS
    from zwgk.send.deliver import deliver
    from zwgk.send.deliver import dry_run as preview
    from zwgk.send.sentlog import SentLog, state_root
    from zwgk.summary.reminders import outgoing, route_of

    vias = _vias(via) if via else VIAS
    day, at = as_of_moment(as_of)
    folder = data_dir(data)[0]
    (run,) = select_units([folder], None, None, day, None, at=at)
    dataset, evaluation = run.dataset, run.evaluation
    assert dataset is not None
    assert evaluation is not None
    read = load_notify(folder, dataset.owners)
    if not read.present:
        from zwgk.load import display_path

        raise UserError(f"没有 {display_path(folder / NOTIFY_FILE)}:还没有配置提醒 (no notify.yaml)",
                        ("zwgk init 新建的数据文件夹里有带注释的 notify.yaml 模板;"
                         "格式见 README 的“Reminders”一节。",))
    if not read.ok or read.config is None:
        print_errors(read.diagnostics, "notify.yaml 有误,未发送任何消息 (nothing sent)")
        raise typer.Exit(EXIT_ERROR)
    config = read.config
    owner = resolve_dept(runs=[run], dept=dept)
    if owner is not None and route_of(config, dataset, owner) is None:
        raise UserError(f"notify.yaml 没有写 {owner} 发往哪里,也没有 default (no route for {owner})",
                        ("在 departments 中加上它,或写 default。",))
    items = outgoing(config, dataset, evaluation, owner, vias)
    log = SentLog(state_root(state), dataset.settings.unit)
    if dry_run:
        outcomes = preview(items, log)
        _note_missing_secrets(items, config, read)
    else:
        outcomes = deliver(items, config, read, os.environ, log, now(), force=force)
    if json:
        print_json(_json(outcomes, day.isoformat(), dataset.settings.unit, dry_run))
    else:
        _text(outcomes, dry_run)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(EXIT_ERROR)


def _note_missing_secrets(items: list[Outgoing], config: NotifyFile, read: NotifyRead) -> None:
    """A dry run needs no secrets, but says which ones a real run would miss."""
    from zwgk.send.deliver import read_secrets

    try:
        read_secrets(items, config, read, os.environ)
    except UserError as error:
        err(f"注意:{error.message}")
        for line in error.details:
            err(f"  {line}")


def _vias(typed: list[str]) -> tuple[Via, ...]:
    unknown = [v for v in typed if v.strip().lower() not in VIA_NAMES]
    if unknown:
        raise UserError(f"--via:未知的发送方式 {'、'.join(unknown)}",
                        ("可写 dingtalk | wecom | email 或 钉钉、企业微信、邮件",))
    return tuple(dict.fromkeys(VIA_NAMES[v.strip().lower()] for v in typed))


def _what(outcome: Outcome) -> str:
    from zwgk.models.notify import VIA_LABEL
    from zwgk.report.reminder import headline

    item = outcome.outgoing
    return f"{VIA_LABEL[item.via]} → {item.reminder.dept}({item.destination}):{headline(item.reminder)}"


def _text(outcomes: list[Outcome], dry_run: bool) -> None:
    if not outcomes:
        out("没有需要提醒的事项:各处室没有逾期或即将到期的事项 (nothing to send)")
        return
    for outcome in outcomes:
        message = outcome.message
        if dry_run:
            note = f" [今天 {outcome.already} 已发送过;不加 --force 不会重发]" if outcome.already else ""
            shown = f"(列出 {message.shown}/{message.total} 项)" if message.shown < message.total else ""
            out(f"—— 将发送 {_what(outcome)}{shown}{note}")
            out(f"标题:{message.title}")
            for line in message.text.rstrip("\n").split("\n"):
                out(line)  # one by one: out() keeps each line on one line
            out("")
        elif outcome.status == "sent":
            out(f"已发送 {_what(outcome)}")
        elif outcome.status == "skipped":
            out(f"跳过 {_what(outcome)}:今天 {outcome.already or ''} 已发送(--force 重发)")
        else:
            err(f"失败 {_what(outcome)}:{outcome.reason}")
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in ("sent", "skipped", "failed")}
    if dry_run:
        out(f"zwgk notify --dry-run: {len(outcomes)} 条消息,未发送 (nothing sent)")
    else:
        out(f"zwgk notify: {counts['sent']} 条已发送,{counts['skipped']} 条跳过,{counts['failed']} 条失败"
            f" ({counts['sent']} sent, {counts['skipped']} skipped, {counts['failed']} failed)")


def _json(outcomes: list[Outcome], as_of: str, unit: str, dry_run: bool) -> str:
    found = []
    for outcome in outcomes:
        item, message = outcome.outgoing, outcome.message
        found.append({
            "dept": item.reminder.dept, "via": item.via, "to": item.destination, "status": outcome.status,
            "reason": outcome.reason, "already_sent_at": outcome.already,
            "overdue": len(item.reminder.overdue), "due_soon": len(item.reminder.due_soon),
            "shown": message.shown, "total": message.total, "digest": message.digest,
            "title": message.title, "text": message.text,
        })
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in ("sent", "skipped", "failed", "dry-run")}
    return json_module.dumps({"schema": 1, "as_of": as_of, "unit": unit, "dry_run": dry_run,
                              "counts": counts, "messages": found}, ensure_ascii=False, indent=2)
