"""Stage 2, graph: checked records in → RDF triples, dumps and their description out.

Takes a checked corpus from `kgtools.records`; gives the compiled triples, the
canonical N-Triples, Turtle and JSON-LD dumps, the VoID description and a
digest of the inputs. Imports only `kgtools.records`.

- `vocab`: the `sa:` vocabulary, checked against `ontology/stackatlas.ttl`
- `plan`: the schemas' `x-` annotations read once into a field plan per kind
- `compile` (records → triples) and `decompile` (triples → records), both from the plan
- `compiled`: check + compile + SHACL (`shapes`) as one step
- `dumps`, `void`, `folder`: the published files; `atomic`: publishing a folder at once
- `freshness`: does a built graph match the inputs (by content)
- `diff`: what a change does to the graph, entity by entity
"""
