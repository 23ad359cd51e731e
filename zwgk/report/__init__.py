"""Renderers: one module per output format, and ONE registry of formats (registry.py) mapping each
`--format` name and view to its renderer. They map finished results to text or bytes; no date
maths, no I/O. A new format is one renderer module (or function) plus one registry line.
"""
