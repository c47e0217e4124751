"""Page builders: the graph (read once into a `model`) in → Markdown and HTML pages out, zh and en.

Every value that came from a record or a query is escaped here (`escape`)
before it reaches HTML or JavaScript. Imports nothing from `kgtools.site.plugin`.
"""
