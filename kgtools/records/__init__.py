"""Stage 1, records: YAML files in → checked records and problems out.

Takes the files under `corpus/` and the JSON Schemas under `ontology/schemas/`;
gives a `Corpus` of parsed records and a list of `Problem`s (file, line,
field, message, hint), every problem at once. Nothing here knows RDF.

- `project`: where a checkout keeps its inputs and outputs
- `loader`: bytes → UTF-8 → YAML → dict, with the line of every value
- `cache`: records parsed before, keyed by the digest of their bytes
- `schemas`: the JSON Schemas, compiled once
- `validate`: schema errors in plain words; `integrity`: rules no schema can say
- `check`: load + validate + integrity, the whole of `kg check`
- `scaffold`: `kg new`; `walk`, `suggest`, `problems`, `yamlcheck`: helpers
"""
