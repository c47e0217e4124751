"""RDF terms as the compiler makes them: plain tuples for literals, with rdflib's lexical forms.

The compiler appends plain tuples to a list instead of adding to an rdflib
Graph: at 40,000 records the Graph's indexes and per-triple events were most
of the compile time, and the dumps need only text. Literals are `Lit` tuples
whose lexical form is the one rdflib writes, so `to_graph` gives the same
graph as compiling into rdflib directly, for the stages (SHACL, diff, the
round-trip test) that need one.

>>> typed(3.5)
Lit(lexical='3.5', lang=None, datatype='http://www.w3.org/2001/XMLSchema#double')
>>> rdflib_term(Lit("Kafka", "en"))
rdflib.term.Literal('Kafka', lang='en')
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator
from typing import Any, NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kgtools.graph.vocab import PREFIXES

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


class Lit(NamedTuple):
    """A literal as its N-Triples parts: lexical form, language tag or datatype IRI (never both)."""

    lexical: str
    lang: str | None = None
    datatype: str | None = None


Term = URIRef | Lit
Triple = tuple[URIRef, URIRef, Term]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building millions of acyclic tuples.

    Each full collection walks every live object, so at 40,000 records the
    collector's passes made compiling grow faster than the corpus.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@functools.lru_cache(maxsize=1 << 16)
def _typed(kind: type, value: Any, datatype: str | None) -> Lit:
    """A typed literal with rdflib's lexical form (cached: numbers and dates repeat)."""
    literal = Literal(value, datatype=URIRef(datatype) if datatype else None)
    return Lit(str(literal), None, str(literal.datatype) if literal.datatype else None)


def typed(value: Any, datatype: str | None = None) -> Lit:
    return _typed(type(value), value, datatype)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def rdflib_term(term: Term) -> URIRef | Literal:
    if isinstance(term, Lit):
        return Literal(term.lexical, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None)
    return term


def to_graph(triples: list[Triple]) -> Graph:
    """The triples as an rdflib Graph (with the project's prefixes bound)."""
    graph = new_graph()
    graph.addN((s, p, rdflib_term(o), graph) for s, p, o in triples)
    return graph
