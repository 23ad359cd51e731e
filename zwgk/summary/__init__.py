"""Frozen results for people, built from (dataset, evaluation) — each takes the evaluation it is
given and judges nothing again: the dashboard's rows and lists (views.py), what each command
answers (answers.py), the CI gate (gate.py), units side by side (units.py), the weekly report
(weekly.py), the deadline feed (feed.py) and the rollup across units (rollup.py).
"""
