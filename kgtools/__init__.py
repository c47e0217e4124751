"""Stack Atlas tooling: records in YAML become an RDF knowledge graph, queries and a site."""

__version__ = "0.1.0"
