"""Envol: the data layer of the dashboard (no Streamlit here, except `envol.data`).

One process setting is made here, on the first import of `envol`, before anything imports
DuckDB: DuckDB's memory allocator (the jemalloc built into its wheel, which reads
`DUCKDB_JE_MALLOC_CONF` once, when DuckDB is imported) hands the memory a query has freed back
to the system at once, instead of after one second (DuckDB's own default). A page runs several
queries back to back, and their freed memory would otherwise pile up into the server's peak:
at EU scale, 420 MB → 392 MB over every page (`make bench`, "peak RSS"). A value set in the
environment is kept.
"""

import os

os.environ.setdefault("DUCKDB_JE_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
