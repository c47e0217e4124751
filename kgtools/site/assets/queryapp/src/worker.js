/*
 * Stack Atlas Query page, the worker: Oxigraph (WebAssembly) holding the site's N-Triples dump.
 *
 * Queries run here, off the page's thread, so a slow query never freezes the
 * page and "Stop" can end it by terminating the worker. The page sends
 * {type: "load", wasm, data, graph} once, then {type: "query", id, text, format}
 * with format "table" (rows for the results table) or "download" (the exact
 * text offered as a file: SPARQL CSV for SELECT/ASK, Turtle for
 * CONSTRUCT/DESCRIBE). Nothing here touches the DOM.
 *
 * The dump goes into the named graph `graph` (DATASET_GRAPH), as `kg publish`
 * puts it into Oxigraph or Virtuoso, and every query reads the union of the
 * graphs as its default graph: saved queries' `FROM <graph>` and queries
 * without a FROM both see the whole dump, as they do in `kg query`.
 */
import init, { Store, namedNode } from "oxigraph/web.js";

const RESULTS_JSON = "application/sparql-results+json";
const RESULTS_CSV = "text/csv";
const TURTLE = "text/turtle";
const IDENTIFIER = "http://purl.org/dc/terms/identifier";

let store = null;
const DATASET = { use_default_graph_as_union: true };

function isGraphQueryError(error) {
  // Oxigraph refuses a results format for CONSTRUCT/DESCRIBE with this message.
  return /Not supported RDF format/.test(String(error && error.message ? error.message : error));
}

function term(value) {
  // An Oxigraph term as a SPARQL JSON results term.
  if (value === undefined || value === null) return null;
  switch (value.termType) {
    case "NamedNode":
      return { type: "uri", value: value.value };
    case "BlankNode":
      return { type: "bnode", value: value.value };
    case "Literal": {
      const out = { type: "literal", value: value.value };
      if (value.language) out["xml:lang"] = value.language;
      else if (value.datatype) out.datatype = value.datatype.value;
      return out;
    }
    case "Quad":
      return { type: "triple", value: { subject: term(value.subject), predicate: term(value.predicate), object: term(value.object) } };
    default:
      return { type: "literal", value: String(value.value) };
  }
}

function runTable(text) {
  try {
    return { kind: "solutions", result: JSON.parse(store.query(text, { ...DATASET, results_format: RESULTS_JSON })) };
  } catch (error) {
    if (!isGraphQueryError(error)) throw error;
  }
  const triples = store.query(text, DATASET).map((quad) => ({
    subject: term(quad.subject), predicate: term(quad.predicate), object: term(quad.object),
  }));
  return { kind: "triples", result: triples };
}

function runDownload(text) {
  try {
    return { kind: "csv", result: store.query(text, { ...DATASET, results_format: RESULTS_CSV }) };
  } catch (error) {
    if (!isGraphQueryError(error)) throw error;
  }
  return { kind: "turtle", result: store.query(text, { ...DATASET, results_format: TURTLE }) };
}

async function load(message) {
  const started = performance.now();
  await init({ module_or_path: message.wasm });
  const response = await fetch(message.data);
  if (!response.ok) throw new Error(`${message.data}: HTTP ${response.status}`);
  const body = await response.text();
  store = new Store();
  store.load(body, { format: "application/n-triples", to_graph_name: namedNode(message.graph) });
  // Entities (anything with a dcterms:identifier) get links to their pages.
  const entities = store
    .query(`SELECT DISTINCT ?e WHERE { ?e <${IDENTIFIER}> ?id FILTER(isIRI(?e)) }`, DATASET)
    .map((row) => row.get("e").value);
  return { triples: store.size, entities, ms: Math.round(performance.now() - started) };
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "load") {
    try {
      self.postMessage({ type: "ready", ...(await load(message)) });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message ? error.message : error) });
    }
    return;
  }
  if (message.type === "query") {
    const started = performance.now();
    try {
      const answer = message.format === "download" ? runDownload(message.text) : runTable(message.text);
      self.postMessage({ type: "result", id: message.id, ms: Math.round(performance.now() - started), ...answer });
    } catch (error) {
      self.postMessage({ type: "error", id: message.id, message: String(error && error.message ? error.message : error) });
    }
  }
};
