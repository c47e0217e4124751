"""Stage 3a, query: a graph in → SPARQL answers out, in-process, over HTTP or in another store.

Takes N-Triples (or a store made from them); gives query results as text,
an HTTP endpoint and the Graph Store Protocol client. Imports
`kgtools.records` and `kgtools.graph` only.

- `store`: a pyoxigraph store from N-Triples or a dump
- `engine`: predeclared prefixes, execution, result formats
- `saved`: `corpus/queries/*.rq` and their expected answers
- `endpoint`: the read-only SPARQL 1.1 Protocol server of `kg serve`
- `remote`: talking to an external store; `loadtest`: load on the endpoint
"""
