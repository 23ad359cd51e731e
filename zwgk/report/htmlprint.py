"""The html report's style sheet: on screen a readable column, on paper A4 with running heads.

Printed (Chromium's print-to-PDF, the print dialog of Chrome, Edge or a 360/QQ browser), every
page carries the report's title and date at its head and `第 N 页 / 共 M 页` at its foot: CSS
page-margin boxes (`@top-left`, `@bottom-center`), which Chromium draws since version 131, with
`counter(page)` and `counter(pages)`. Wide sections ask for a landscape page by name
(`section.wide { page: wide }` → `@page wide { size: A4 landscape }`); a change of named page is
a page break, so no section needs a forced one. Headings keep with what follows, small blocks
are never split, table heads repeat on every page, and long unbroken text (URLs, ids) may wrap
anywhere.

The strings in the margin boxes come from data (the unit's name), so they are written as CSS
escapes: nothing in them can end the string, the rule or the `<style>` element.
"""

from __future__ import annotations

from zwgk.report.safe import clean

FONTS = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif'
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
# The content box of each page (A4 less the margins below): sections are given these widths in
# print, so the layout on paper is the layout a test can measure on screen (tests/report/).
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = "186mm", "273mm"

TONE_COLOUR = {
    "overdue": "#c62828", "due_soon": "#e69500", "open": "#607d8b", "ok": "#2e7d32",
    "done": "#2e7d32", "ongoing": "#00838f", "waiting": "#9e9e9e", "unspecified": "#8e24aa",
    "untracked": "#bdbdbd", "met": "#2e7d32", "not_yet": "#f2c14e", "missed": "#c62828",
}
STATE_FILL = {"met": "#66bb6a", "not_yet": "#ffe082", "missed": "#e57373", "untracked": "#eeeeee"}
GRID_FILL = {"behind": "#e57373", "on_time": "#66bb6a", "none": "#f5f5f5", "broken": "#e1bee7"}


def css_string(text: str) -> str:
    """A CSS string literal showing `text`: every character but letters, digits and spaces escaped."""
    return '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} "
                         for ch in clean(text).replace("\n", " ")) + '"'


def style(title: str, dated: str) -> str:
    """The whole style sheet for a report titled `title` as of `dated` (both shown on every page)."""
    margin = f"""
  @top-left {{ content: {css_string(title + " · " + dated)}; font: 8pt {FONTS}; color: #666;
               vertical-align: bottom; }}
  @bottom-center {{ content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: 8pt {FONTS};
                   color: #666; vertical-align: top; }}"""
    return f"""
@page {{ size: A4; margin: 14mm 12mm 14mm 12mm;{margin}
}}
@page wide {{ size: A4 landscape; margin: 14mm 12mm 14mm 12mm;{margin}
}}
* {{ box-sizing: border-box; }}
html {{ font-family: {FONTS}; font-size: 10pt; color: #212121; background: #fff; }}
body {{ margin: 0 auto; max-width: 277mm; padding: 8mm 4mm; }}
section {{ max-width: {PORTRAIT_WIDTH}; }}
section.wide {{ page: wide; max-width: {LANDSCAPE_WIDTH}; }}
section.unit, section.appendix {{ break-before: page; page-break-before: always; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm; }}
section.unit h1, section.appendix h1 {{ font-size: 15pt; }}
h2 {{ font-size: 12.5pt; margin: 5mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #1565c0;
     break-after: avoid; page-break-after: avoid; }}
h1, h2 {{ break-inside: avoid; }}
.meta {{ color: #555; margin: 0 0 3mm; padding: 0; list-style: none; }}
.meta li {{ margin: 0.5mm 0; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 2mm; margin: 2mm 0 3mm; }}
.card {{ flex: 1 1 18mm; border: 1px solid #ddd; border-left: 4px solid var(--tone); padding: 1.5mm 2mm;
        border-radius: 2px; }}
.card .n {{ display: block; font-size: 16pt; font-weight: bold; color: var(--tone); }}
.card .l {{ font-size: 8.5pt; color: #555; }}
table {{ width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; table-layout: auto; }}
th, td {{ border: 1px solid #ccc; padding: 0.8mm 1.2mm; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; white-space: pre-line; font-size: 9pt; }}
th {{ background: #eef3f8; white-space: normal; word-break: keep-all; overflow-wrap: normal; }}
td.long {{ min-width: 14em; }}
td.url {{ min-width: 12em; width: 24%; word-break: break-all; font-size: 8pt; }}
td.id {{ min-width: 16ch; font: 7.5pt ui-monospace, "DejaVu Sans Mono", monospace; color: #555; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.nw {{ white-space: nowrap; }}
td[data-tone] {{ font-weight: bold; }}
tr, .card, .chart, .legend, .more, .trend {{ break-inside: avoid; page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
.empty, .more {{ color: #666; font-size: 9pt; margin: 1mm 0 3mm; }}
.chart {{ margin: 2mm 0 3mm; }}
.chart svg {{ max-width: 100%; height: auto; display: block; }}
.legend span {{ display: inline-block; margin-right: 4mm; font-size: 8.5pt; }}
.legend i {{ display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle; }}
h2.grid {{ break-before: page; page-break-before: always; }}
table.grid {{ break-inside: avoid; page-break-inside: avoid; }}
p.caption {{ break-after: avoid; page-break-after: avoid; margin-bottom: 0; }}
table.grid th, table.grid td {{ font-size: 8pt; padding: 0.6mm 0.8mm; word-break: normal; }}
table.grid thead th {{ overflow-wrap: anywhere; }}
table.grid td.total {{ white-space: nowrap; font-weight: bold; }}
footer {{ margin-top: 5mm; color: #888; font-size: 8pt; }}
@media print {{
  body {{ padding: 0; max-width: none; margin: 0; }}
  section {{ width: {PORTRAIT_WIDTH}; max-width: none; }}
  section.wide {{ width: {LANDSCAPE_WIDTH}; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
""" + "".join(f'[data-tone="{tone}"] {{ color: {colour}; }}\n'
                for tone, colour in TONE_COLOUR.items()) + "".join(
        f'table.grid td[data-state="{state}"] {{ background: {fill}; text-align: center; }}\n'
        for state, fill in GRID_FILL.items())
