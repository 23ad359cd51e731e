"""zwgk — 政务公开合规跟踪: keep a bureau's openness duties on time, and prove it."""

__version__ = "0.1.0"
