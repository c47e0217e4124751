"""The published site: pages generated from the graph at build time, in Chinese and English.

The graph is the only input: `model` reads it with SPARQL, the page modules
turn what it read into Markdown/HTML, and `plugin` hands those pages to
MkDocs, so `mkdocs build`, `mkdocs serve` and `kg build` all make the same
site. Nothing here reads a YAML record; the only link back to one is the
"edit this page" URL.
"""
