"""What zwgk keeps between runs, wrapped around load + rules (beancount's cached loader is the
model): snapshots of a data folder's loaded and judged state keyed by the content of its inputs
(snapshot.py: `evaluated`, `loaded`; rows.py: their rows as plain values; extend.py: a
snapshot's journal extended by the lines appended to it), the cache folder and
its file format (cache.py), a read-only command's answer kept by every fact it came from and
given back before the stack is imported (warm.py; record.py records it), and the pause of the
cyclic garbage collector while many long-lived objects are made (heap.py).
Nothing below the command line imports it.
"""
