"""Reading the unit's own website: the only place zwgk uses the network, and only for the URLs
in site.yaml. `reader.py` turns a list page into articles (pure), `dates.py` reads their dates,
`client.py` fetches politely, `run.py` reads every mapped column. What the pages show is judged
by zwgk/summary/scanning.py and written to the journal by the `zwgk scan` command.
"""
