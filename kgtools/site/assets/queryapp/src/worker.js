/*
 * Stack Atlas Query page, the worker: Oxigraph (WebAssembly) holding the site's N-Triples dump.
 *
 * Queries run here, off the page's thread, so a slow query never freezes the
 * page and "Stop" can end it by terminating the worker. The page sends
 * {type: "load", module, data, graph} once (the page's inline start-up script
 * fetched and compiled both while the page was still loading; after "Stop" the
 * page sends the same again, or wasm/data addresses to fetch here), then
 * {type: "query", id, text, format} with format "table"
 * (rows for the results table) or "download" (the exact text offered as a
 * file: SPARQL CSV for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE). Nothing
 * here touches the DOM.
 *
 * Loading is the page's cost (docs/decisions/site-query-page.md): the
 * WebAssembly and the dump arrive as gzip files decompressed with
 * DecompressionStream (a static host need not set Content-Encoding for them),
 * and the dump is bulk-loaded as bytes with {lenient, no_transaction}: it is
 * the build's own canonical N-Triples, already validated, so Oxigraph's
 * checks and its rollback log buy nothing here.
 *
 * The dump goes into the named graph the site publishes (`graph`), as an
 * external store holds it after `kg publish`, and saved queries name it with
 * `FROM <graph>`. A query without any FROM / FROM NAMED clause reads the union
 * of the graphs as its default graph, so it sees the same triples.
 */
import init, { Store, namedNode } from "oxigraph/web.js";

const RESULTS_JSON = "application/sparql-results+json";
const RESULTS_CSV = "text/csv";
const TURTLE = "text/turtle";

let store = null;

// -- the dataset a query reads ------------------------------------------------------------

const SKIP = [
  /<[^<>"{}|^`\\\u0000-\u0020]*>/y,                                     // an IRI
  /"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/y,  // a string
  /#[^\n]*/y,                                                             // a comment
];
const WORD = /[?$]?[\p{L}_][\p{L}\p{N}_.-]*(?::[\p{L}\p{N}_.%:-]*)?|[\p{L}_]*:[\p{L}\p{N}_.%:-]*/uy;

function hasDatasetClause(text) {
  // Whether the query says FROM (or FROM NAMED) outside IRIs, strings and comments. FROM is a keyword nowhere
  // else (a variable is ?from, a prefixed name has its colon), so a bare word FROM is a dataset clause.
  let pos = 0;
  while (pos < text.length) {
    let match = null;
    for (const pattern of [...SKIP, WORD]) {
      pattern.lastIndex = pos;
      match = pattern.exec(text);
      if (match) break;
    }
    if (!match) {
      pos += 1;
      continue;
    }
    if (match[0].toUpperCase() === "FROM") return true;
    pos += match[0].length;
  }
  return false;
}

function options(text, extra) {
  return hasDatasetClause(text) ? extra : { ...extra, use_default_graph_as_union: true };
}

// -- queries ------------------------------------------------------------------------------

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
    return { kind: "solutions", result: JSON.parse(store.query(text, options(text, { results_format: RESULTS_JSON }))) };
  } catch (error) {
    if (!isGraphQueryError(error)) throw error;
  }
  const triples = store.query(text, options(text, {})).map((quad) => ({
    subject: term(quad.subject), predicate: term(quad.predicate), object: term(quad.object),
  }));
  return { kind: "triples", result: triples };
}

function runDownload(text) {
  try {
    return { kind: "csv", result: store.query(text, options(text, { results_format: RESULTS_CSV })) };
  } catch (error) {
    if (!isGraphQueryError(error)) throw error;
  }
  return { kind: "turtle", result: store.query(text, options(text, { results_format: TURTLE })) };
}

// -- loading ------------------------------------------------------------------------------

async function download(url, gzipped) {
  // The body of `url`, gunzipped when `gzipped` (the file is served as it is, without Content-Encoding).
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return gzipped ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
}

async function fetchBoth(message) {
  // Without the page's start-up script: the WebAssembly and the dump fetched here, side by side.
  const gzipped = typeof DecompressionStream === "function";   // else the uncompressed files, same content
  const wasm = download(gzipped ? message.wasm_gz : message.wasm, gzipped)
    .then((stream) => new Response(stream, { headers: { "Content-Type": "application/wasm" } }));
  const data = download(gzipped ? message.data_gz : message.data, gzipped)
    .then((stream) => new Response(stream).arrayBuffer());
  return Promise.all([wasm, data]);
}

async function load(message) {
  // `module` (compiled WebAssembly) and `data` (the dump's bytes) come from the page's start-up script;
  // otherwise `wasm(_gz)` and `data(_gz)` are fetched here.
  const started = performance.now();
  const [wasm, data] = message.module ? [message.module, message.data] : await fetchBoth(message);
  await init({ module_or_path: wasm });
  const loading = performance.now();
  store = new Store();
  store.load(new Uint8Array(data), { format: "application/n-triples", to_graph_name: namedNode(message.graph),
                                     lenient: true, no_transaction: true });
  const now = performance.now();
  // For benchmarks/browser.py: when (page clock) the worker started loading, and how long each part took.
  return { triples: store.size, started_at: Math.round(performance.timeOrigin + started), ms: Math.round(now - started),
           load_ms: Math.round(now - loading) };
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
