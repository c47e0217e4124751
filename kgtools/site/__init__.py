"""Stage 4, site: the published site, pages generated from the graph at build time, in Chinese and English.

The graph is the only input: `pages.model` reads it with SPARQL, the page
builders in `pages` turn what it read into Markdown/HTML, and the MkDocs
plugin in `plugin` hands those pages to MkDocs, so `mkdocs build`,
`mkdocs serve` and `kg build` all make the same site. `assets` holds what the
browser loads. Nothing here reads a YAML record; the only link back to one is
the "edit this page" URL.
"""
