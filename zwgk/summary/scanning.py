"""What a scan found, column by column, and the journal lines it adds. Pure: the pages were
fetched by zwgk/scan; here they are judged against what the journal already holds.

- Each article not seen before on that column (by URL, against every line ever written, voided
  ones too — a voided observation is not written again) becomes one `observed` line dated with its
  publication date; articles without a date are counted, not written (未注明发布时间的视为不更新).
- A column's state: `unreachable` (a page could not be read, after the retry), `empty` (空白栏目),
  `undated` (articles, none with a date), else `ok`. A `probe` line is written only when the state
  differs from the column's last probe (a column never probed counts as `ok`), so daily scans of
  an unchanged site write nothing.
- Findings: each non-ok state; undated articles beside dated ones; suspected backdating (倒签 /
  旧稿新发): a new article dated before the newest one already observed on that column; a manual
  record whose URL is not on the column's pages though it is no older than the oldest dated
  article they show (older ones may have scrolled off the list); an article dated after today.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from zwgk.models import HOMEPAGE, Dataset, JournalEntry
from zwgk.models.site import Fetched

NewId = Callable[[datetime], str]


@dataclass(frozen=True)
class Problem:
    code: str  # unreachable | empty | undated | backdated | record-not-on-page | future-date
    message: str
    url: str | None = None
    day: date | None = None
    record: str | None = None


@dataclass(frozen=True)
class ColumnScan:
    id: str
    title: str
    url: str
    state: str  # ok | empty | undated | unreachable
    entries: int  # articles the pages list
    new: int  # observations added
    newest: date | None  # the newest publication date the pages show
    pages: int
    problems: tuple[Problem, ...] = ()
    changed_from: str | None = None  # the last probe's state, when this scan changed it


@dataclass(frozen=True)
class ScanAnswer:
    as_of: date
    columns: tuple[ColumnScan, ...]
    entries: tuple[JournalEntry, ...] = field(default=())  # to append: observations, then probes
    dry_run: bool = False
    journal: str | None = None  # where they were appended (set by the command)

    @property
    def findings(self) -> bool:
        return any(c.problems for c in self.columns)

    @property
    def observed(self) -> int:
        return sum(1 for e in self.entries if e.type == "observed")


def _norm(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")


def judge_scan(dataset: Dataset, fetched: Sequence[Fetched], as_of: date, now: datetime,
               new_id: NewId, dry_run: bool = False) -> ScanAnswer:
    titles = {item.id: item.title for item in dataset.items} | {HOMEPAGE: "首页"}
    seen: dict[str, set[str]] = {}
    for entry in (*dataset.journal_as_written, *dataset.journal):  # amended URLs count too
        if entry.type == "observed" and entry.url:
            seen.setdefault(entry.item, set()).add(_norm(entry.url))
    newest_seen: dict[str, date] = {}
    last_state: dict[str, tuple[str, str]] = {}
    for entry in dataset.journal:
        if entry.type == "observed" and entry.date <= as_of:
            newest_seen[entry.item] = max(entry.date, newest_seen.get(entry.item, entry.date))
        if entry.type == "probe" and entry.state and (entry.item not in last_state
                                                      or entry.at >= last_state[entry.item][0]):
            last_state[entry.item] = (entry.at, entry.state)
    stamp = now.isoformat()
    observations: list[JournalEntry] = []
    probes: list[JournalEntry] = []
    rows = []
    for one in fetched:
        column = one.column
        known = seen.setdefault(column.id, set())
        problems: list[Problem] = []
        new = []
        for article in one.items:
            key = _norm(article.url)
            if key in known or article.date is None:
                continue
            if article.date > as_of:
                problems.append(Problem("future-date", f"发布日期 {article.date} 晚于今天:"
                                        f"《{article.title}》", article.url, article.date))
                continue
            known.add(key)
            new.append(article)
        # A homepage shows every column's newest: an older date there is no backdating.
        before = newest_seen.get(column.id) if column.id != HOMEPAGE else None
        for article in new:
            assert article.date is not None
            if before is not None and article.date < before:
                problems.append(Problem(
                    "backdated", f"疑似倒签/旧稿新发:新出现的《{article.title}》发布日期 {article.date},"
                    f"早于此前已见的最新 {before}", article.url, article.date))
            observations.append(JournalEntry(
                id=new_id(now), type="observed", item=column.id, date=article.date, at=stamp,
                url=article.url, title=article.title[:500]))
        state = _state(one, problems)
        problems += _record_problems(dataset, one, column.id)
        previous = last_state.get(column.id, ("", "ok"))[1]
        if state != previous:
            detail = one.failure if state == "unreachable" else None
            probes.append(JournalEntry(id=new_id(now), type="probe", item=column.id, date=as_of, at=stamp,
                                       url=column.url, state=state, note=detail))  # type: ignore[arg-type]
        dated = [a.date for a in one.items if a.date is not None]
        rows.append(ColumnScan(column.id, titles.get(column.id, ""), column.url, state, len(one.items),
                               len(new), max(dated) if dated else None, len(one.pages),
                               tuple(problems),
                               # a first visit changes nothing anyone saw: only a known state is "原…"
                               previous if state != previous and column.id in last_state else None))
    return ScanAnswer(as_of, tuple(rows), tuple(observations + probes), dry_run)


def _state(one: Fetched, problems: list[Problem]) -> str:
    undated = [a for a in one.items if a.date is None]
    if one.failure is not None:
        problems.insert(0, Problem("unreachable", f"无法访问:{one.failure}", one.pages[-1] if one.pages
                                   else one.column.url))
        return "unreachable"
    if not one.items:
        problems.insert(0, Problem("empty", "空白栏目:列表页上没有文章", one.column.url))
        return "empty"
    if len(undated) == len(one.items):
        problems.insert(0, Problem("undated", f"{len(undated)} 篇文章都没有发布日期(视为不更新)",
                                   one.column.url))
        return "undated"
    if undated:
        problems.insert(0, Problem("undated", f"{len(undated)} 篇文章没有发布日期(视为不更新):"
                                   + "、".join(f"《{a.title}》" for a in undated[:3])
                                   + ("…" if len(undated) > 3 else ""), undated[0].url))
    return "ok"


def _record_problems(dataset: Dataset, one: Fetched, item: str) -> list[Problem]:
    """Manual records with a URL the column's pages do not show, within the span they cover."""
    if one.failure is not None or not one.items:
        return []
    dated = [a.date for a in one.items if a.date is not None]
    if not dated:
        return []
    shown = {_norm(a.url) for a in one.items}
    oldest = min(dated)
    return [Problem("record-not-on-page",
                    f"登记 {e.id}({e.date})的链接不在栏目页上:{e.url}", e.url, e.date, e.id)
            for e in dataset.journal
            if e.type == "record" and e.item == item and e.url and e.date >= oldest
            and _norm(e.url) not in shown]


