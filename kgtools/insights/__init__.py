"""Stage 3b, insights: a graph in → what it means out: analytics, advice, counts, quality, benchmarks.

Takes a store of the graph; gives PageRank and communities (written back into
the published graph by `enrich`), the advisor's ranking, `kg stats`, the
curator's quality list, and the benchmark's shared helpers. Imports
`kgtools.records`, `kgtools.graph` and `kgtools.query`.
"""
