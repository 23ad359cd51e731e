"""The sent-log: which reminder went out on which day, so a second run that day sends nothing new.

One line per message sent — the day it counts for, the department, the channel, the destination
(a variable's *name* or the mail addresses, never a webhook or a secret), the digest of the
message, and when — in `<state>/notify/<unit>.jsonl`. `<state>` is `--state`, else
`$ZWGK_STATE_DIR`, else the user's state folder (`$XDG_STATE_HOME/zwgk`, `~/.local/state/zwgk`;
on Windows `%LOCALAPPDATA%/zwgk/state`). Not the data folder: the plan and the journal are the
office's, committed and reviewed, and a reminder having been sent is not an openness record;
not the cache folder, which `zwgk cache clear` empties. In CI, point ZWGK_STATE_DIR at a folder
the job keeps between runs (a cache of its own) — without one, each run starts with an empty log
and idempotency holds only within the run.

The file is named by the unit, so a CI job whose clone lands in a new path each run still finds
its log. Reading, deciding and writing happen under one lock (filelock) per unit and message, so
two runs at once cannot both send; each write is a whole new file renamed into place. Lines
older than KEEP_DAYS are dropped on write.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from zwgk.errors import ZwgkError
from zwgk.load.files import digest

KEEP_DAYS = 60
LOCK_TIMEOUT_SECONDS = 120  # a run holds the lock while it sends one message: at most a few timeouts


class StateError(ZwgkError):
    """The state folder cannot be used: nothing is sent without a log to keep it once a day."""


def state_root(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    if os.environ.get("ZWGK_STATE_DIR"):
        return Path(os.environ["ZWGK_STATE_DIR"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zwgk" / "state"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "zwgk"


@dataclass(frozen=True)
class Key:
    day: date
    dept: str
    via: str
    destination: str


class SentLog:
    def __init__(self, root: Path, unit: str) -> None:
        self.folder = root / "notify"
        self.path = self.folder / f"{digest(unit.encode('utf-8'))[:16]}.jsonl"
        self.unit = unit

    def prepare(self) -> None:
        """The folder exists and can be written, before anything is sent."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            probe = self.folder / f".probe.{os.getpid()}.{secrets.token_hex(4)}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise StateError(f"状态文件夹不能写入:{self.folder} ({error.strerror or error})",
                             ("用 --state 或环境变量 ZWGK_STATE_DIR 指定一个可写的文件夹。",)) from None

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(self.path.with_suffix(".lock")), timeout=LOCK_TIMEOUT_SECONDS):
                yield
        except Timeout:
            raise StateError(f"另一个 zwgk notify 正在使用 {self.path},等待超时 (lock timeout)") from None

    def entries(self) -> list[dict[str, Any]]:
        """Every line that reads as an entry (a torn or foreign line is skipped, never fatal)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StateError(f"读不了发送记录 {self.path} ({error.strerror or error})") from None
        found = []
        for line in raw.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("day"), str):
                found.append(entry)
        return found

    def sent(self, key: Key) -> dict[str, Any] | None:
        """The entry of a message already sent for this day, department, channel and destination."""
        for entry in self.entries():
            if (entry.get("day"), entry.get("dept"), entry.get("via"), entry.get("to")) == \
                    (key.day.isoformat(), key.dept, key.via, key.destination):
                return entry
        return None

    def record(self, key: Key, message_digest: str, at: str) -> None:
        oldest = (key.day - timedelta(days=KEEP_DAYS)).isoformat()
        kept = [e for e in self.entries() if e["day"] >= oldest]
        kept.append({"day": key.day.isoformat(), "dept": key.dept, "via": key.via, "to": key.destination,
                     "digest": message_digest, "at": at, "unit": self.unit})
        content = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in kept)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.write(content.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise StateError(f"消息已发出,但发送记录写不进 {self.path} ({error.strerror or error})",
                             ("再次运行会重发这一条;检查磁盘空间和权限。",)) from None
