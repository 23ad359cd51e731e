"""Date arithmetic only: calendar periods (periods.py), China's working days with 调休
(workdays.py), report weeks and month steps (weeks.py). No I/O, no clock: "today" is an argument.

A new refresh cycle (say, weekly) is added here: its period in periods.py, its label in
CYCLE_LABEL, and the `Cycle` literal in zwgk/models/plan.py names it.
"""
