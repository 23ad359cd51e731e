"""`zwgk inspect` rendered: text for the office head (the verdict first, then the day each veto
trips and the columns to update first), JSON, and one self-contained HTML page; across units,
one table of units × indicators first (the province's own 通报 view).

Renderers do no date maths: every date and count comes finished from zwgk/rules/inspection.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from zwgk.report.labels import printable
from zwgk.report.plain import Lines
from zwgk.report.safe import html_text
from zwgk.rules.inspection import Indicator, Inspection
from zwgk.summary.inspection import InspectAnswer, UnitInspection

SHORT = {"stale": "栏目不更新", "not_updated": "应更未更", "empty": "空白栏目", "homepage": "首页不更新",
         "interaction": "留言未回应"}
SHOWN = 8  # columns listed per indicator in text and html
SOURCE = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"


def forecast(indicator: Indicator) -> str:
    """"2026-12-09 起第 5 个栏目超期 → 单项否决", or why it never trips."""
    if indicator.trips_on is None:
        return "不发布新内容也不会触发"
    if indicator.tripped:
        counted = {"homepage": "首页 2 周无更新",
                   "interaction": f"{indicator.count} 条留言超过 3 个月未回应"}.get(
            indicator.code, f"{indicator.count} 个,达到 {indicator.threshold} 个")
        return f"已触发:{counted} → 单项否决"
    what = {"homepage": "首页 2 周无更新", "interaction": "有留言超过 3 个月未回应",
            "empty": f"空白栏目达到 {indicator.threshold} 个"}.get(
        indicator.code, f"第 {indicator.threshold} 个栏目超期")
    return f"{indicator.trips_on} 起{what} → 单项否决"


def verdict(inspection: Inspection) -> str:
    tripped = [i for i in inspection.indicators if i.tripped]
    if tripped:
        return (f"结论:不合格 —— 单项否决 {len(tripped)} 项:"
                + "、".join(f"{SHORT[i.code]}({i.count} 个,达到 {i.threshold} 个)" for i in tripped))
    soonest = min((i for i in inspection.indicators if i.trips_on is not None),
                  key=lambda i: i.trips_on or date.max, default=None)
    if soonest is None:
        return f"结论:目前合格;不发布新内容也不会触发单项否决。得分 {inspection.score}"
    days = (soonest.trips_on - inspection.as_of).days if soonest.trips_on else 0
    return f"结论:目前合格(得分 {inspection.score});{forecast(soonest)}(还有 {days} 天,{SHORT[soonest.code]})"


def _titles(unit: UnitInspection) -> dict[str, str]:
    if unit.inspection is None:
        return {}
    return {c.item.id: c.item.title for c in unit.inspection.columns}


def _first(indicator: Indicator, titles: dict[str, str]) -> Iterator[str]:
    pairs = list(zip(indicator.update_first, indicator.when, strict=False))
    for key, day in pairs[:SHOWN]:
        title = titles.get(key, "留言")
        yield f"{key} {title}({day} 起)"
    if len(pairs) > SHOWN:
        yield f"…等 {len(pairs)} 个"


def _relief(indicator: Indicator) -> str:
    if not indicator.relief:
        return ""
    verb = "答复" if indicator.code == "interaction" else "更新"
    then = f"推迟到 {indicator.pushed_to}" if indicator.pushed_to else "不再触发"
    more = f"…共 {len(indicator.relief)} 个" if len(indicator.relief) > SHOWN else ""
    return f"今天{verb} {'、'.join(indicator.relief[:SHOWN])}{more} 后{then}"


def _unit_lines(unit: UnitInspection, heading: bool) -> list[Any]:
    found = unit.inspection
    lines: list[Any] = []
    if heading:
        lines.append(f"== {unit.name} ==")
    if found is None:
        return [*lines, "数据有误,未检查 (broken data: see the errors above)", ""]
    lines += [verdict(found), ""]
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
    for header in ("单项否决指标", "现状", "阈值", "结论", "何时触发"):
        table.add_column(header, overflow="fold")
    for indicator in found.indicators:
        tripped = indicator.tripped
        table.add_row(Text(SHORT[indicator.code]), Text(str(indicator.count)), Text(str(indicator.threshold)),
                      Text("否决" if tripped else "未触发", style="bold red" if tripped else "green"),
                      Text(printable(forecast(indicator))))
    lines.append(table)
    titles = _titles(unit)
    for indicator in found.indicators:
        if not indicator.update_first:
            continue
        lines.append(f"{SHORT[indicator.code]}:先更新 " + "、".join(_first(indicator, titles)))
        if indicator.relief:
            lines.append(f"  {_relief(indicator)}")
    lines.append("")
    if found.deductions:
        lines.append("扣分:" + ";".join(f"{d.name} −{d.points}({'、'.join(d.items[:SHOWN])})"
                                         for d in found.deductions) + f";得分 {found.score}(低于 60 不合格)")
    else:
        lines.append(f"扣分:无可计算的扣分项;得分 {found.score}")
    if found.unverified:
        lines.append(f"最新证据没有链接(未核实)的栏目:{'、'.join(found.unverified)}")
    if found.uncategorised:
        lines.append(f"目录中未写检查类别的栏目(按“其他”判断):{'、'.join(found.uncategorised)}")
    lines += [f"依据 {SOURCE};窗口从检查日往前滚动计算。", ""]
    return lines


def text(answer: InspectAnswer) -> Lines:
    head = f"抽查模拟 · 检查日 {answer.as_of}"
    if not answer.multi:
        (unit,) = answer.units
        return Lines([f"{head} · {unit.name}", *_unit_lines(unit, heading=False)[:-1]])
    lines = [line for unit in answer.units for line in _unit_lines(unit, heading=True)]
    return Lines([head, _units_table(answer), "", *lines[:-1]])


def _units_table(answer: InspectAnswer) -> Table:
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, title="各单位 × 单项否决指标")
    table.add_column("单位", overflow="fold")
    for code in SHORT:
        table.add_column(SHORT[code], overflow="fold")
    table.add_column("最早触发", overflow="fold")
    table.add_column("结论", overflow="fold")
    for unit in answer.units:
        found = unit.inspection
        if found is None:
            table.add_row(Text(printable(unit.name)), *(Text("—") for _ in SHORT), Text("—"),
                          Text("数据有误", style="bold"))
            continue
        cells = [Text(f"{i.count}/{i.threshold}", style="bold red" if i.tripped else "")
                 for i in found.indicators]
        soonest = min((i.trips_on for i in found.indicators if i.trips_on), default=None)
        table.add_row(Text(printable(unit.name)), *cells, Text(str(soonest or "—")),
                      Text("不合格" if found.veto else "合格", style="bold red" if found.veto else "green"))
    return table


# --- json ------------------------------------------------------------------------------------


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code, "name": indicator.name, "count": indicator.count,
        "threshold": indicator.threshold, "tripped": indicator.tripped, "items": list(indicator.items),
        "trips_on": indicator.trips_on.isoformat() if indicator.trips_on else None,
        "update_first": [{"id": key, "on": day.isoformat()}
                         for key, day in zip(indicator.update_first, indicator.when, strict=False)],
        "relief": list(indicator.relief),
        "pushed_to": indicator.pushed_to.isoformat() if indicator.pushed_to else None,
        "basis": indicator.basis,
    }


def unit_json(unit: UnitInspection) -> dict[str, Any]:
    found = unit.inspection
    if found is None:
        return {"unit": unit.name, "broken": True, "veto": None, "indicators": []}
    return {
        "unit": unit.name, "as_of": found.as_of.isoformat(), "veto": found.veto,
        "indicators": [_indicator(i) for i in found.indicators],
        "score": found.score,
        "deductions": [{"code": d.code, "name": d.name, "points": d.points, "items": list(d.items)}
                       for d in found.deductions],
        "columns": [{"id": c.item.id, "title": c.item.title, "category": c.category,
                     "newest": c.newest.isoformat() if c.newest else None, "verified": c.verified,
                     "page": c.shown} for c in found.columns],
        "unverified": list(found.unverified),
        "uncategorised": list(found.uncategorised),
    }


def as_json(answer: InspectAnswer) -> str:
    if not answer.multi:
        (unit,) = answer.units
        body = unit_json(unit)
        body["as_of"] = answer.as_of.isoformat()
        return json.dumps({"as_of": body.pop("as_of"), "veto": body.pop("veto"), **body},
                          ensure_ascii=False, indent=2)
    return json.dumps({"as_of": answer.as_of.isoformat(), "veto": answer.veto,
                       "units": [unit_json(unit) for unit in answer.units]}, ensure_ascii=False, indent=2)


# --- html ------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif; font-size: 10.5pt;
       color: #212121; max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 13pt; border-bottom: 2px solid #1565c0; }
.verdict { font-size: 12pt; font-weight: bold; padding: 2mm 3mm; border-left: 5px solid var(--tone); }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; }
th, td { border: 1px solid #ccc; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef3f8; } td.veto { color: #c62828; font-weight: bold; } td.ok { color: #2e7d32; }
section { break-before: page; } section:first-of-type { break-before: auto; }
.note { color: #555; font-size: 9pt; }
"""


def _e(value: object) -> str:
    return html_text(str(value))


def _unit_html(unit: UnitInspection) -> str:
    found = unit.inspection
    if found is None:
        return f"<section><h2>{_e(unit.name)}</h2><p>数据有误,未检查。</p></section>"
    tone = "#c62828" if found.veto else "#2e7d32"
    rows = "".join(
        f"<tr><td>{_e(SHORT[i.code])}</td><td>{i.count}</td><td>{i.threshold}</td>"
        f"<td class=\"{'veto' if i.tripped else 'ok'}\">{'否决' if i.tripped else '未触发'}</td>"
        f"<td>{_e(forecast(i))}</td></tr>" for i in found.indicators)
    titles = _titles(unit)
    first = "".join(
        f"<li><b>{_e(SHORT[i.code])}</b>:{_e('、'.join(_first(i, titles)))}"
        f"{'<br>' + _e(_relief(i)) if i.relief else ''}</li>"
        for i in found.indicators if i.update_first)
    deductions = "".join(f"<li>{_e(d.name)} −{d.points}:{_e('、'.join(d.items))}</li>"
                         for d in found.deductions)
    return (f"<section><h2>{_e(unit.name)}</h2>"
            f"<p class=\"verdict\" style=\"--tone:{tone}\">{_e(verdict(found))}</p>"
            "<table><thead><tr><th>单项否决指标</th><th>现状</th><th>阈值</th><th>结论</th><th>何时触发</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            f"<h3>先更新这些</h3><ul>{first or '<li>无</li>'}</ul>"
            f"<h3>扣分(得分 {found.score},低于 60 不合格)</h3>"
            f"<ul>{deductions or '<li>无可计算的扣分项</li>'}</ul>"
            + (f"<p class=\"note\">最新证据没有链接(未核实):{_e('、'.join(found.unverified))}</p>"
               if found.unverified else "")
            + "</section>")


def html(answer: InspectAnswer) -> str:
    summary = ""
    if answer.multi:
        head = "".join(f"<th>{_e(label)}</th>" for label in SHORT.values())
        rows = "".join(
            f"<tr><td>{_e(u.name)}</td>"
            + ("".join(f"<td class=\"{'veto' if i.tripped else ''}\">{i.count}/{i.threshold}</td>"
                       for i in u.inspection.indicators)
               + f"<td class=\"{'veto' if u.veto else 'ok'}\">{'不合格' if u.veto else '合格'}</td>"
               if u.inspection else f"<td colspan=\"{len(SHORT) + 1}\">数据有误</td>")
            + "</tr>" for u in answer.units)
        summary = (f"<section><h2>各单位 × 单项否决指标</h2><table><thead><tr><th>单位</th>{head}"
                   f"<th>结论</th></tr></thead><tbody>{rows}</tbody></table></section>")
    body = summary + "".join(_unit_html(unit) for unit in answer.units)
    csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
            f"<title>抽查模拟 {answer.as_of}</title><style>{CSS}</style></head><body>"
            f"<h1>抽查模拟 · 检查日 {answer.as_of}</h1><p class=\"note\">依据 {_e(SOURCE)};"
            f"窗口从检查日往前滚动计算。</p>{body}</body></html>\n")
