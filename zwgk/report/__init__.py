"""Renderers: one module per output format. They map finished results to text; no date maths."""
