"""The engine: pure rules from (dataset, as_of) to statuses.

engine.py judges every item (`evaluate`), obligations.py derives the obligations an event
starts and their due dates, owners.py finds items and owners by the names people use and says
which items a department holds, directly or through a group.
"""
