"""Benchmark tooling: deterministic fixtures (`generate`) and a timing harness (`run`).

Development tooling, not part of the tracker: nothing in zwgk imports it. Run it as
`python -m zwgk.bench generate OUT` and `python -m zwgk.bench run [OUT]`.
"""

from __future__ import annotations

from datetime import date

# The benchmark's "today": every generated `at` lies on or before it and every timed command
# gets `--as-of` this day, so two runs judge exactly the same thing whatever the clock says.
AS_OF = date(2026, 11, 26)
DEFAULT_SEED = 20261126
