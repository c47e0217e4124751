"""What the endpoint says about itself: a SPARQL 1.1 Service Description, and a small form for browsers.

Why: federating clients read the service description first (a GET on the
endpoint without a query, SPARQL 1.1 Service Description §3), and a person who
opens the endpoint's address in a browser should get something usable rather
than an error. The form is static HTML with no script and no echo of the
request; it submits a GET with a `query` parameter, which the endpoint answers
like any other client's.
"""

from __future__ import annotations

from html import escape

RESULT_FORMATS = (
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
)
EXAMPLE = ("SELECT ?technology ?label WHERE {\n  ?technology a sa:Technology ; skos:prefLabel ?label .\n"
           "  FILTER(lang(?label) = \"en\")\n} ORDER BY ?label LIMIT 20")
ABOUT = ("Read-only: updates and SERVICE clauses are refused, and every query has time, row and size limits. "
         "Common prefixes (sa:, skos:, dcterms:, schema:, technology:, concept:, case: ...) are predeclared.")


def service_description(endpoint: str) -> str:
    """The endpoint as an sd:Service in Turtle: its address, SPARQL 1.1 Query only, result formats, read-only.

    >>> text = service_description("http://127.0.0.1:8001/sparql")
    >>> "sd:endpoint <http://127.0.0.1:8001/sparql>" in text and "sd:SPARQL11Query" in text
    True
    """
    formats = " ,\n        ".join(f"<{f}>" for f in RESULT_FORMATS)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix void: <http://rdfs.org/ns/void#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {formats} ;
    dcterms:title "Stack Atlas SPARQL endpoint (read-only)"@en , "Stack Atlas SPARQL 端点（只读）"@zh ;
    dcterms:description "{ABOUT}"@en ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph , void:Dataset ] ] .
"""


def query_form(endpoint_path: str = "/sparql") -> str:
    """A minimal HTML page with a query box that submits to the endpoint (no scripts, nothing echoed)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stack Atlas SPARQL endpoint</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
textarea{{width:100%;min-height:12rem;font:14px/1.4 ui-monospace,monospace;box-sizing:border-box}}</style></head>
<body><h1>Stack Atlas SPARQL endpoint</h1>
<p>A read-only SPARQL 1.1 endpoint over the Stack Atlas graph. Prefixes such as <code>sa:</code>, <code>skos:</code>,
<code>technology:</code> and <code>concept:</code> are predeclared. Programs should send <code>Accept:
application/sparql-results+json</code>; a GET without a query and with <code>Accept: text/turtle</code> returns the
SPARQL Service Description.</p>
<form method="get" action="{escape(endpoint_path)}">
<p><label for="query">Query</label></p>
<textarea id="query" name="query" spellcheck="false">{escape(EXAMPLE)}</textarea>
<p><button type="submit">Run</button> (the answer comes in the endpoint's default format;
programs choose theirs with <code>Accept</code>)</p>
</form></body></html>
"""
