"""Deterministic benchmark fixtures: a ten-year journal, a 17-unit province, 10,000 deadlines.

Everything comes from one seeded `random.Random` and a fixed window of `at` timestamps ending
on `AS_OF`, never from the clock, so two runs with one seed write byte-identical files. Journal
lines are written with `zwgk.journal.encode` over `JournalEntry` models, so the format cannot
drift from what `zwgk record` writes. The catalogue (item ids, rules, departments) is read from
the bundled data through `zwgk.load`, the only module that reads data files.
"""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from zwgk.bench import AS_OF, DEFAULT_SEED
from zwgk.journal import encode
from zwgk.models import Dataset, DeadlineRule, EventRule, Item, JournalEntry, PeriodicRule

PLAN_FILES = ("settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml")
FIRST_YEAR = 2017
BIG_RECORDS = 20_000
PROVINCE_RECORDS = 200_000
ITEMS10K_TASKS = 10_000
ITEMS10K_DONE_SHARE = 0.3  # the share of the 10k deadlines the small journal completes

CITIES = ("合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆",
          "黄山", "滁州", "阜阳", "宿州", "六安", "亳州", "池州", "宣城")
PROVINCE_UNIT = "省局"
# Records per unit, relative: the provincial bureau keeps about three cities' worth.
PROVINCE_WEIGHT = 3.0
CITY_WEIGHTS = (2.0, 1.4, 1.0, 0.9, 1.0, 0.8, 0.7, 1.1, 0.8, 1.0, 1.3, 1.0, 1.0, 0.9, 0.6, 0.9)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红斌鹏飞宇浩然晨雪琳"
URL_SECTIONS = ("xxgk", "zwgk", "zcfg", "aqsc", "gsgg", "xwzx", "zfxxgk", "ztzl")
EVENT_TITLES = ("关于{x}的通知", "关于{x}的实施意见", "{x}工作方案", "关于开展{x}的通知", "{x}情况通报")
TOPICS = ("危险化学品安全专项整治", "非煤矿山安全生产", "安全生产大检查", "冬春季火灾防控",
          "安全生产月活动", "工贸行业粉尘防爆", "烟花爆竹安全监管", "职业卫生监管", "安全生产执法计划",
          "汛期安全防范", "重大事故隐患排查", "安全生产标准化建设", "有限空间作业安全")
TASK_TOPICS = ("执法信息公开", "政策解读发布", "行政许可公示", "统计数据发布", "隐患排查通报",
               "督办事项公开", "培训计划公开", "预算决算公开", "人事信息公开", "舆情回应")


@dataclass(frozen=True)
class Written:
    """One fixture: where it is and how much was written."""

    name: str
    path: Path
    units: int
    records: int
    tasks: int

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "path": self.path.name, "units": self.units,
                "records": self.records, "tasks": self.tasks}


# --- the catalogue ----------------------------------------------------------------------------


def bundled_data() -> Path:
    from zwgk.load import bundled_data_dir

    return bundled_data_dir()


def load_catalogue(folder: Path) -> Dataset:
    from zwgk.load import load_dataset

    result = load_dataset(folder)
    if not result.ok or result.dataset is None:
        raise RuntimeError(f"cannot load {folder}: {[str(d.message) for d in result.diagnostics][:3]}")
    return result.dataset


def departments(dataset: Dataset) -> list[str]:
    return [owner.name for owner in dataset.owners.owners if owner.kind == "department"]


# --- journal records --------------------------------------------------------------------------


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def evidence_url(rng: random.Random, day: date) -> str:
    return (f"https://www.ahsafety.gov.cn/{rng.choice(URL_SECTIONS)}/{day:%Y%m}/"
            f"t{day:%Y%m%d}_{rng.randrange(100000, 999999)}.html")


def random_moment(rng: random.Random, start: date, end: date) -> datetime:
    """A moment in office hours (08:00–18:59) on a day in [start, end]."""
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    return datetime.combine(day, time(rng.randrange(8, 19), rng.randrange(60), rng.randrange(60)))


def iso_at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


class JournalMaker:
    """Makes journal entries for one unit's items with unique ids, from one random stream."""

    def __init__(self, rng: random.Random, items: Sequence[Item], start: date, end: date) -> None:
        self.rng = rng
        self.start = start
        self.end = end
        self.plain = [item for item in items if not isinstance(item.rule, EventRule)]
        self.events = [item for item in items if isinstance(item.rule, EventRule)]
        self.ids: set[str] = set()
        self.people = [person(rng) for _ in range(24)]

    def new_id(self, moment: datetime) -> str:
        while True:
            candidate = f"{moment:%Y%m%d-%H%M%S}-{self.rng.getrandbits(32):08x}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def entries(self, count: int, event_share: float = 0.08) -> list[JournalEntry]:
        """`count` entries: mostly records, some events each usually followed by its fulfilment."""
        made: list[JournalEntry] = []
        while len(made) < count:
            if self.events and self.rng.random() < event_share:
                made += self.event_pair(room=count - len(made))
            else:
                made.append(self.record(self.rng.choice(self.plain)))
        return made

    def record(self, item: Item, moment: datetime | None = None, day: date | None = None) -> JournalEntry:
        rng = self.rng
        moment = moment or random_moment(rng, self.start, self.end)
        day = day or max(self.start, moment.date() - timedelta(days=rng.choice((0, 0, 0, 1, 2, 3))))
        if item.kind == "column":
            note = f"更新「{item.path[-1]}」栏目,发布信息{rng.randrange(1, 12)}条"
        else:
            note = f"完成:{item.title}"
        return JournalEntry(id=self.new_id(moment), type="record", item=item.id, date=day,
                            by=rng.choice(self.people), url=evidence_url(rng, day), note=note,
                            at=iso_at(moment))

    def event_pair(self, room: int) -> list[JournalEntry]:
        """An event, and (four times in five, room permitting) the record that fulfils it."""
        rng = self.rng
        item = rng.choice(self.events)
        assert isinstance(item.rule, EventRule)
        rule = item.rule
        moment = random_moment(rng, self.start, self.end)
        happened = moment - timedelta(hours=rng.choice((0, 0, 1, 3, 20)))
        at_hour = rule.unit == "hours"
        event = JournalEntry(
            id=self.new_id(moment), type="event", item=item.id, date=happened.date(),
            time=happened.strftime("%H:%M") if at_hour else None, by=rng.choice(self.people),
            title=rng.choice(EVENT_TITLES).format(x=rng.choice(TOPICS)),
            complex=rule.complex_amount is not None and rng.random() < 0.2, at=iso_at(moment))
        if room < 2 or rng.random() >= 0.8:
            return [event]
        delay = timedelta(hours=rng.choice((1, 2, 4, 20, 30, 70, 200)))
        done_at = min(moment + delay, datetime.combine(self.end, time(18, 30)))
        record = self.record(item, done_at, done_at.date())
        fulfils = replace(record, event=event.id, time=done_at.strftime("%H:%M") if at_hour else None,
                          note=f"已按时限办结:{event.title}")
        return [event, fulfils]


def write_journal(folder: Path, entries: Sequence[JournalEntry]) -> None:
    """One file per year of `at`, lines in the order they were written (by `at`)."""
    by_year: dict[str, list[JournalEntry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.at, e.id)):
        by_year[entry.at[:4]].append(entry)
    journal = folder / "journal"
    journal.mkdir(parents=True, exist_ok=True)
    for year, found in sorted(by_year.items()):
        (journal / f"{year}.jsonl").write_bytes(b"".join(encode(entry) for entry in found))


# --- fixtures ---------------------------------------------------------------------------------


def copy_plan(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in PLAN_FILES:
        shutil.copyfile(source / name, target / name)


def scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def make_big(out: Path, rng: random.Random, catalogue: Dataset, source: Path, scale: float) -> Written:
    folder = out / "big"
    copy_plan(source, folder)
    count = scaled(BIG_RECORDS, scale)
    maker = JournalMaker(rng, catalogue.items, date(FIRST_YEAR, 1, 1), AS_OF)
    write_journal(folder, maker.entries(count))
    return Written("big", folder, 1, count, len(catalogue.items))


def city_columns(index: int, city: str, catalogue: Dataset) -> tuple[str | None, list[Item]]:
    """A small, realistic columns.yaml for a city (additions, overrides, drops, or nothing), and
    the city's resolved items, worked out here rather than by loading the fixture (which would
    leave a snapshot behind)."""
    columns = [item.id for item in catalogue.items if item.kind == "column"]
    periodic = [item.id for item in catalogue.items
                if item.kind == "column" and item.rule.kind == "periodic"]
    variant = index % 4
    items = list(catalogue.items)
    if variant == 3:
        return None, items  # this city keeps the provincial catalogue as it is
    parts = [f"# {city}市局对省局栏目目录的调整。\n"]
    if variant in (0, 2):
        template = next(item for item in items if item.kind == "column")
        items.append(replace(template, id=f"C9{index % 10}", path=(f"{city}专栏", "城市动态"),
                             rule=PeriodicRule(kind="periodic", cycle="quarter")))
        parts.append(
            "columns:\n"
            f"  - id: C9{index % 10}\n"
            f"    path: [{city}专栏, 城市动态]\n"
            "    lead: [办公室]\n"
            "    requirement: 每季度不少于1次更新\n"
            "    rule: {kind: periodic, cycle: quarter}\n")
    if variant in (0, 1):
        parts.append(
            "override:\n"
            f"  - id: {periodic[(index * 7) % len(periodic)]}\n"
            "    lead: [办公室]\n"
            "    requirement: 每半年不少于1次更新\n"
            "    rule: {kind: periodic, cycle: half_year}\n")
    if variant in (0, 2):
        dropped = columns[(index * 5 + 2) % len(columns)]
        items = [item for item in items if item.id != dropped]
        parts.append(f"drop: [{dropped}]\n")
    return "".join(parts), items


def make_province(out: Path, rng: random.Random, catalogue: Dataset, source: Path,
                  scale: float) -> Written:
    folder = out / "province"
    folder.mkdir(parents=True, exist_ok=True)
    copy_plan(source, folder / PROVINCE_UNIT)
    units = [(PROVINCE_UNIT, PROVINCE_WEIGHT), *zip(CITIES, CITY_WEIGHTS, strict=True)]
    total = scaled(PROVINCE_RECORDS, scale)
    weight_sum = sum(weight for _, weight in units)
    counts = [int(total * weight / weight_sum) for _, weight in units]
    counts[0] += total - sum(counts)  # the remainder goes to the provincial bureau
    lines = ["# 全省安全监管系统:省局写一次目录,16 个市局沿用并各自调整。\n", "units:\n"]
    for index, ((unit, _), count) in enumerate(zip(units, counts, strict=True)):
        lines.append(f"  - {{name: {unit}, data: {unit}}}\n")
        unit_dir = folder / unit
        items = list(catalogue.items)
        if unit != PROVINCE_UNIT:
            items = write_city(unit_dir, index - 1, unit, catalogue)
        start = date(FIRST_YEAR, 1, 1)
        write_journal(unit_dir, JournalMaker(rng, items, start, AS_OF).entries(count))
    (folder / "zwgk.yaml").write_text("".join(lines), encoding="utf-8")
    return Written("province", folder, len(units), total, len(catalogue.items))


def write_city(folder: Path, index: int, city: str, catalogue: Dataset) -> list[Item]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.yaml").write_text(
        f"unit: {city}市安全监管局\n"
        f"tracking_since: {2026 - index % 3}-01-01\n"
        f"follows: ../{PROVINCE_UNIT}\n", encoding="utf-8")
    columns, items = city_columns(index, city, catalogue)
    if columns is not None:
        (folder / "columns.yaml").write_text(columns, encoding="utf-8")
    return items


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def make_items10k(out: Path, rng: random.Random, catalogue: Dataset, source: Path,
                  scale: float) -> Written:
    """10,000 one-off deadlines (2020–2030), led by the real departments, some completed."""
    folder = out / "items10k"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "owners.yaml", folder / "owners.yaml")
    (folder / "settings.yaml").write_text(
        "unit: 安徽省安全生产监督管理局\ntracking_since: 2020-01-01\nwarn_days: 14\n", encoding="utf-8")
    (folder / "columns.yaml").write_text("# 本基准只含一次性任务。\ncolumns: []\n", encoding="utf-8")
    depts = departments(catalogue)
    # A few departments carry most of the load, as in the real catalogue.
    weights = [4, 5, 3, 1, 1, 2, 3, 3, 3, 2][: len(depts)] + [1] * max(0, len(depts) - 10)
    count = scaled(ITEMS10K_TASKS, scale)
    width = max(5, len(str(count)))
    tasks = []
    items = []
    template = next(item for item in catalogue.items if item.kind == "task")
    parts = ["# 基准数据:一次性任务,期限分布在 2020–2030 年。\ntasks:\n"]
    for number in range(1, count + 1):
        due = month_end(rng.randrange(2020, 2031), rng.randrange(1, 13))
        lead = rng.choices(depts, weights)[0]
        task_id = f"T{number:0{width}d}"
        topic = rng.choice(TASK_TOPICS)
        tasks.append((task_id, due, lead))
        items.append(replace(template, id=task_id, title=f"{topic}{number:0{width}d}", lead=(lead,),
                             responsible=(), rule=DeadlineRule(kind="deadline", due=due)))
        parts.append(
            f"  - id: {task_id}\n    source: annex1\n    title: {topic}{number:0{width}d}\n"
            f"    text: 按要求做好{topic}工作,于{due.year}年{due.month}月底前完成。\n"
            f"    lead: [{lead}]\n    responsible: []\n"
            f"    deadline: {due.year}年{due.month}月底\n"
            f"    rule: {{kind: deadline, due: {due.isoformat()}}}\n")
    (folder / "tasks.yaml").write_text("".join(parts), encoding="utf-8")
    by_id = {item.id: item for item in items}
    maker = JournalMaker(rng, items, date(2019, 6, 1), AS_OF)
    entries = []
    for task_id, due, _ in tasks:
        if rng.random() >= ITEMS10K_DONE_SHARE:
            continue
        finished = min(AS_OF, due + timedelta(days=rng.randrange(-120, 30)))
        moment = datetime.combine(finished, time(rng.randrange(8, 19), rng.randrange(60)))
        entries.append(maker.record(by_id[task_id], moment, finished))
    write_journal(folder, entries)
    (folder / "taskwarrior.json").write_text(taskwarrior_export(tasks, entries, rng), encoding="utf-8")
    return Written("items10k", folder, 1, len(entries), count)


def taskwarrior_export(tasks: Sequence[tuple[str, date, str]], done: Sequence[JournalEntry],
                       rng: random.Random) -> str:
    """The same deadlines as a `task import` file: one JSON object per line."""
    finished = {entry.item: entry for entry in done}
    lines = []
    entered = "20190601T000000Z"
    for task_id, due, lead in tasks:
        task: dict[str, object] = {
            "uuid": "%08x-%04x-4%03x-8%03x-%012x" % (  # noqa: UP031 — fixed-width hex fields
                rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12),
                rng.getrandbits(48)),
            "description": f"{task_id} 一次性任务", "project": lead, "entry": entered,
            # Due at the end of the day in Beijing (16:00 UTC), as zwgk reads a due date.
            "due": f"{due:%Y%m%d}T155959Z", "status": "pending",
        }
        if task_id in finished:
            task["status"] = "completed"
            task["end"] = f"{finished[task_id].date:%Y%m%d}T020000Z"
        lines.append(json.dumps(task, ensure_ascii=False))
    return "\n".join(lines) + "\n"


BUILDERS = (make_big, make_province, make_items10k)
NAMES = ("big", "province", "items10k")


def generate(out: Path, seed: int = DEFAULT_SEED, scale: float = 1.0,
             only: Sequence[str] = NAMES) -> list[Written]:
    """Write the fixtures under `out` (each from its own seeded stream) and a manifest."""
    source = bundled_data()
    catalogue = load_catalogue(source)
    written = []
    for index, (name, build) in enumerate(zip(NAMES, BUILDERS, strict=True)):
        if name not in only:
            continue
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        # Each fixture has its own stream, so generating one alone gives the same files.
        written.append(build(out, random.Random(seed * 10 + index), catalogue, source, scale))
    manifest = {"seed": seed, "scale": scale, "as_of": AS_OF.isoformat(),
                "fixtures": [w.as_json() for w in written]}
    (out / "fixtures.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return written
