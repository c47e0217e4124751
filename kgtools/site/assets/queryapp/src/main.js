/*
 * Stack Atlas Query page: a SPARQL editor (CodeMirror 6, SPARQL mode) and a results table, run in the page.
 *
 * The page (kgtools/site/query_page.py) renders the controls and a
 * <script type="application/json"> with everything this script needs: where
 * the N-Triples dump, the Oxigraph WebAssembly, the worker and the terms file
 * live (all on this site), the predeclared prefixes, the saved queries and
 * the interface text. A small inline script of the page has already started
 * the worker (worker.js) and the terms download when this bundle runs
 * (window.stackAtlasQueryBoot); it is adopted here, so loading never waits
 * for the editor. The terms file (kgtools/site/pages/query_data.py) gives
 * result cells their labels in the page's language and the editor its
 * completions: prefixes, classes and predicates, entities by name or label.
 * Every value from the graph or from a query result reaches the page through
 * textContent or an attribute, never as markup.
 */
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, drawSelection, highlightActiveLine } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, HighlightStyle, bracketMatching } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { tags } from "@lezer/highlight";
import "./query.css";

const MAX_ROWS = 2000;
const SHORT_TEXT = 48;   // literals up to this length stay on one line; longer ones (descriptions) wrap
const MAX_OPTIONS = 60;  // completions offered at once (best first)
const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
  "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"]
  .map((name) => XSD + name));

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--md-code-hl-keyword-color)", fontWeight: "600" },
  { tag: tags.standard(tags.variableName), color: "var(--md-code-hl-function-color)" },
  { tag: tags.local(tags.variableName), color: "var(--md-code-hl-special-color)" },
  { tag: tags.atom, color: "var(--md-code-hl-constant-color)" },
  { tag: tags.string, color: "var(--md-code-hl-string-color)" },
  { tag: tags.comment, color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: tags.meta, color: "var(--md-code-hl-number-color)" },
  { tag: tags.operator, color: "var(--md-code-hl-operator-color)" },
  { tag: tags.bracket, color: "var(--md-code-hl-punctuation-color)" },
]);

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--md-code-bg-color)", color: "var(--md-code-fg-color)", fontSize: "0.75rem" },
  ".cm-content": { fontFamily: "var(--md-code-font-family)", caretColor: "var(--md-code-fg-color)" },
  ".cm-scroller": { fontFamily: "var(--md-code-font-family)", lineHeight: "1.5" },
  ".cm-gutters": { backgroundColor: "var(--md-code-bg-color)", color: "var(--md-default-fg-color--light)", border: "none" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--md-code-hl-color--light)" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)" },
});

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

class QueryApp {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.text = config.text;
    this.prefixes = config.prefixes;                      // [[prefix, iri], …] in kg query's order
    this.prologue = this.prefixes.map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join(" ") + "\n";
    this.prefixIris = new Map(this.prefixes);
    this.queries = new Map(config.queries.map((q) => [q.name, q]));
    this.entities = new Set();                            // entity IRIs (they have pages)
    this.labels = new Map();                              // IRI → label in the page's language
    this.terms = [];                                      // completion items (see index())
    this.showIris = false;                                // result cells show labels unless the reader asks for IRIs
    this.shown = null;                                    // the last result shown, to redraw it
    this.worker = null;
    this.ready = false;
    this.pending = new Map();                             // query id → callback
    this.nextId = 1;
    this.running = null;                                  // id of the query being shown
    this.last = null;                                     // {text, name} of the last query run
    this.find = (name) => root.querySelector(`[data-part="${name}"]`);
  }

  // -- set-up ------------------------------------------------------------------------

  start() {
    const textarea = this.find("text");
    this.editor = new EditorView({
      parent: this.find("editor"),
      state: EditorState.create({
        doc: textarea.value,
        extensions: [
          lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(),
          StreamLanguage.define(sparql), syntaxHighlighting(highlight), theme,
          Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { this.run(); return true; } }])),
          autocompletion({ override: [(context) => this.complete(context)], icons: false }),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.contentAttributes.of({ "aria-label": this.text.editor }),
        ],
      }),
    });
    textarea.hidden = true;
    this.root.classList.add("sa-query--ready");

    this.find("run").addEventListener("click", () => this.run());
    this.find("stop").addEventListener("click", () => this.stop());
    this.find("download").addEventListener("click", () => this.download());
    this.find("iris").addEventListener("change", (event) => {
      this.showIris = event.target.checked;
      if (this.shown) this.redraw();
    });
    this.find("example").addEventListener("change", (event) => {
      const saved = this.queries.get(event.target.value);
      if (saved) this.open(saved, true);
    });

    const wanted = this.fromAddress();
    if (wanted) this.setText(wanted.text, wanted.name);
    else this.describe(null);
    if (location.protocol === "file:") {
      this.status(this.text.file, "error");
      return;
    }
    const boot = window.stackAtlasQueryBoot;
    if (boot && boot.terms) boot.terms.then((terms) => this.index(terms), () => {});
    if (boot && boot.worker) this.adopt(boot, () => this.run(wanted !== null));
    else this.spawn(() => this.run(wanted !== null));
  }

  loadMessage() {
    const absolute = (path) => new URL(path, document.baseURI).href;
    const c = this.config;
    return { type: "load", wasm: absolute(c.wasm), wasm_gz: absolute(c.wasm_gz), data: absolute(c.data),
             data_gz: absolute(c.data_gz), graph: c.graph };
  }

  adopt(boot, then) {
    // The worker the page's inline script started: take over its messages, and those that came before us.
    this.ready = false;
    this.setBusy(false);
    this.worker = boot.worker;
    this.listen(this.worker, then);
    boot.messages.splice(0).forEach((message) => this.receive(message, then));
  }

  index(terms) {
    // The terms file: [name, kind, zh, en] for vocabulary, [name, zh, en, aliases] for entities (names are prefixed).
    const zh = this.config.lang === "zh";
    const expand = (name) => {
      const colon = name.indexOf(":");
      const base = colon > 0 ? this.prefixIris.get(name.slice(0, colon)) : undefined;
      return base === undefined ? name : base + name.slice(colon + 1);
    };
    const items = this.prefixes.map(([prefix, iri]) => ({ name: `${prefix}:`, kind: "prefix", label: iri, words: [] }));
    for (const [name, kind, labelZh, labelEn] of terms.vocab) {
      const label = (zh ? labelZh || labelEn : labelEn || labelZh) || "";
      if (label) this.labels.set(expand(name), label);
      items.push({ name, kind, label, words: [labelZh, labelEn].filter(Boolean) });
    }
    for (const [name, labelZh, labelEn, aliases] of terms.entities) {
      const iri = expand(name);
      const label = (zh ? labelZh || labelEn : labelEn || labelZh) || "";
      this.entities.add(iri);
      if (label) this.labels.set(iri, label);
      items.push({ name, kind: "entity", label, words: [labelZh, labelEn, ...aliases].filter(Boolean) });
    }
    for (const item of items) {
      item.lower = item.name.toLowerCase();
      item.local = item.lower.slice(item.lower.indexOf(":") + 1);
      item.words = item.words.map((w) => w.toLowerCase());
    }
    this.terms = items;
    this.root.dataset.terms = "ready";
    if (this.shown) this.redraw();
  }

  fromAddress() {
    // ?name=<saved query> or #<saved query> opens a saved query; ?query=<SPARQL> opens any text.
    const params = new URLSearchParams(location.search);
    const name = params.get("name") || decodeURIComponent(location.hash.slice(1));
    if (name && this.queries.has(name)) return { name, text: this.queries.get(name).text };
    if (params.get("query")) return { name: null, text: params.get("query") };
    return null;
  }

  spawn(then) {
    this.ready = false;
    this.setBusy(false);
    this.status(this.text.loading);
    const worker = new Worker(this.config.worker);
    this.worker = worker;
    this.listen(worker, then);
    // After Stop: the start-up script's compiled WebAssembly and bytes again; without them, addresses to fetch.
    const boot = window.stackAtlasQueryBoot;
    const kept = boot && boot.module && boot.data ? Promise.all([boot.module, boot.data]) : Promise.reject(new Error());
    kept.then(([module, data]) => worker.postMessage({ type: "load", module, data, graph: this.config.graph }),
              () => worker.postMessage(this.loadMessage()));
  }

  listen(worker, then) {
    worker.onmessage = (event) => this.receive(event.data, then);
    worker.onerror = (event) => {
      event.preventDefault();
      this.receive({ type: "failed", message: event.message || "worker" }, then);
    };
  }

  receive(message, then) {
    if (message.type === "ready") {
      this.ready = true;
      this.triples = message.triples;
      if (window.saQueryReady === undefined) window.saQueryReady = performance.now();   // for benchmarks/browser.py
      // When things happened (ms since navigation) and the worker's own timings, for benchmarks/browser.py.
      const boot = window.stackAtlasQueryBoot || {};
      this.loaded = { boot_at: boot.at, fetched_at: boot.fetched, worker_at: message.started_at - performance.timeOrigin,
                      worker_ms: message.ms, load_ms: message.load_ms, ready_at: window.saQueryReady };
      this.find("run").disabled = false;
      this.status(fill(this.text.ready, { triples: message.triples.toLocaleString(), ms: message.ms }));
      this.root.dataset.state = "ready";
      if (then) then();
    } else if (message.type === "failed") {
      this.status(fill(this.text.failed, { message: message.message }), "error");
      this.root.dataset.state = "failed";
    } else {
      const callback = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (callback) callback(message);
    }
  }

  ask(text, format, callback) {
    const id = this.nextId++;
    this.pending.set(id, callback);
    this.worker.postMessage({ type: "query", id, text: this.prologue + text, format });
    return id;
  }

  // -- editing -----------------------------------------------------------------------

  setText(text, name) {
    this.editor.dispatch({ changes: { from: 0, to: this.editor.state.doc.length, insert: text } });
    this.find("example").value = name && this.queries.has(name) ? name : "";
    this.describe(name ? this.queries.get(name) : null);
  }

  open(saved, run) {
    this.setText(saved.text, saved.name);
    if (run && this.ready) this.run();
  }

  describe(saved) {
    const box = this.find("description");
    box.textContent = saved ? saved.description : "";
    box.hidden = !saved;
  }

  currentName() {
    const name = this.find("example").value;
    const saved = this.queries.get(name);
    return saved && saved.text === this.editor.state.doc.toString() ? name : null;
  }

  remember(text, name) {
    const url = new URL(location.href);
    url.search = name ? `?name=${encodeURIComponent(name)}` : `?query=${encodeURIComponent(text)}`;
    url.hash = "";
    window.history.replaceState(null, "", url.href);  // `history` alone is CodeMirror's
  }

  // -- running -----------------------------------------------------------------------

  run(remember = true) {
    // `remember`: put the query in the address so it can be bookmarked or shared (not for the page's own example).
    if (!this.ready) return;
    const text = this.editor.state.doc.toString();
    const name = this.currentName();
    this.last = { text, name };
    if (remember) this.remember(text, name);
    this.clear();
    this.setBusy(true);
    this.status(this.text.running);
    this.root.dataset.state = "running";
    this.running = this.ask(text, "table", (message) => {
      if (message.id !== this.running) return;
      this.running = null;
      this.setBusy(false);
      if (message.type === "error") this.showError(message.message);
      else this.show(message);
      this.root.dataset.state = message.type === "error" ? "error" : "done";
    });
  }

  stop() {
    // A query cannot be interrupted inside the worker; end the worker and start a fresh one.
    if (this.worker) this.worker.terminate();
    this.pending.clear();
    this.running = null;
    this.spawn(null);
    this.status(this.text.stopped);
    this.root.dataset.state = "stopped";
  }

  setBusy(busy) {
    this.find("run").disabled = busy || !this.ready;
    this.find("stop").hidden = !busy;
    this.find("download").disabled = true;
  }

  status(text, kind) {
    const line = this.find("status");
    line.textContent = text;
    line.classList.toggle("sa-query__status--error", kind === "error");
  }

  clear() {
    this.find("results").replaceChildren();
    const error = this.find("error");
    error.hidden = true;
    error.replaceChildren();
  }

  showError(raw) {
    // Positions count the one prologue line of predeclared prefixes; give them as the reader's text has them.
    let position = null;
    const message = raw.replace(/^(?:Error: )?/, "").replace(/error at (\d+):(\d+)/, (match, line, column) => {
      position = { line: Math.max(1, Number(line) - 1), column: Number(column) };
      return `error at ${position.line}:${position.column}`;
    });
    const box = this.find("error");
    box.append(el("p", "sa-query__error-title", this.text.error), el("pre", "sa-query__error-message", message));
    box.hidden = false;
    this.status(this.text.error, "error");
    if (position) {
      const doc = this.editor.state.doc;
      const line = doc.line(Math.min(position.line, doc.lines));
      const at = Math.min(line.from + Math.max(0, position.column - 1), line.to);
      this.editor.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    }
  }

  show(message) {
    this.shown = message;
    const download = this.find("download");
    if (message.kind === "solutions" && "boolean" in message.result) {
      this.find("results").append(el("p", "sa-query__boolean", String(message.result.boolean)));
      this.status(fill(this.text.boolean, { value: String(message.result.boolean), ms: message.ms }));
      download.textContent = this.text.download_csv;
    } else if (message.kind === "solutions") {
      const vars = message.result.head.vars || [];
      const rows = message.result.results.bindings.map((b) => vars.map((v) => b[v] || null));
      this.table(vars, rows, message.ms);
      download.textContent = this.text.download_csv;
    } else {
      const rows = message.result.map((t) => [t.subject, t.predicate, t.object]);
      this.table(["subject", "predicate", "object"], rows, message.ms);
      download.textContent = this.text.download_turtle;
    }
    download.disabled = false;
  }

  redraw() {
    // The same result again (labels or IRIs changed): only the table is made anew, the status line kept.
    const status = this.find("status").textContent;
    const scroll = this.find("results").querySelector(".sa-query__scroll");
    if (!scroll) return;
    scroll.remove();
    this.show(this.shown);
    this.status(status);
  }

  table(vars, rows, ms) {
    const shown = rows.slice(0, MAX_ROWS);
    const table = el("table", "sa-table sa-query__table");
    const head = el("tr");
    vars.forEach((name) => head.append(el("th", "", name)));
    table.append(el("thead"));
    table.tHead.append(head);
    const body = el("tbody");
    shown.forEach((row) => {
      const tr = el("tr");
      row.forEach((value) => tr.append(this.cell(value)));
      body.append(tr);
    });
    table.append(body);
    vars.forEach((name, i) => {   // a column of numbers gets its heading aligned with them
      const cells = shown.map((row) => row[i]).filter(Boolean);
      if (cells.length && cells.every((v) => v.type === "literal" && NUMERIC.has(v.datatype))) {
        head.cells[i].classList.add("sa-query__number");
      }
    });
    const scroll = el("div", "sa-scroll sa-query__scroll");
    scroll.append(table);
    this.find("results").append(scroll);
    let line = fill(this.text.rows, { n: rows.length.toLocaleString(), ms });
    if (rows.length > shown.length) line += " " + fill(this.text.truncated, { shown: shown.length.toLocaleString() });
    this.status(line);
  }

  // -- cells -------------------------------------------------------------------------

  short(iri) {
    // As `kg query` prints it (kgtools.query.short): the first predeclared prefix that fits.
    for (const [prefix, base] of this.prefixes) {
      if (iri.startsWith(base) && iri !== base) return `${prefix}:${iri.slice(base.length)}`;
    }
    return iri;
  }

  label(value) {
    if (!value) return "";
    if (value.type === "uri") return this.short(value.value);
    if (value.type === "bnode") return `_:${value.value}`;
    if (value.type === "triple") {
      const t = value.value;
      return `<< ${this.label(t.subject)} ${this.label(t.predicate)} ${this.label(t.object)} >>`;
    }
    return value.value;
  }

  pageOf(iri) {
    // The site's page for an entity IRI, or for the entity owning a statement node (…/case/x#uses-1).
    const owner = iri.split("#")[0];
    if (!this.entities.has(owner) || !owner.startsWith(this.config.base)) return null;
    const [kind, id] = owner.slice(this.config.base.length).split("/");
    if (!this.config.kinds.includes(kind) || !/^[a-z0-9][a-z0-9-]*$/.test(id || "")) return null;
    return this.config.page.replace("KIND", kind).replace("ID", id);
  }

  cell(value) {
    const td = el("td");
    if (!value) return td;
    const text = this.label(value);
    if (value.type === "uri") {
      const page = this.pageOf(value.value);
      const external = /^https?:\/\//.test(value.value);
      const label = this.showIris ? undefined : this.labels.get(value.value);
      const node = el(page || external ? "a" : "span", "sa-query__iri", label || text);
      if (page) node.href = page;
      else if (external) {
        node.href = value.value;
        node.rel = "noopener nofollow";
      }
      node.title = label ? `${text}\n${value.value}` : value.value;
      if (label) node.classList.add("sa-query__label");
      node.dataset.iri = value.value;
      td.append(node);
    } else {
      td.textContent = text;
      if (text.length <= SHORT_TEXT) td.classList.add("sa-query__short");
      if (value["xml:lang"]) {
        td.lang = value["xml:lang"];
        td.title = `@${value["xml:lang"]}`;
      } else if (value.datatype) {
        td.title = this.short(value.datatype);
        if (NUMERIC.has(value.datatype)) td.classList.add("sa-query__number");
      }
    }
    return td;
  }

  // -- completion --------------------------------------------------------------------

  complete(context) {
    // Prefixes, classes, predicates and entities: by prefixed name ("sa:us", "technology:apa") or, for entities,
    // by label or alias in either language ("kafka", "卡夫卡"). Not in variables, IRIs, strings or comments.
    const word = context.matchBefore(/[\p{L}\p{N}_:.%-]+/u);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, word.from - line.from);
    const outside = before.replace(/<[^<>\s]*>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "");
    if (/[?$<]$/.test(before) || /[#"']/.test(outside)) return null;
    const query = word.text.toLowerCase();
    if (query.length < 2 && !query.endsWith(":") && !context.explicit) return null;
    const ranked = [];
    for (const item of this.terms) {
      const score = this.score(item, query);
      if (score !== null) ranked.push([score, item]);
    }
    const order = { prefix: 0, class: 1, property: 2, entity: 3 };
    ranked.sort((a, b) => a[0] - b[0] || order[a[1].kind] - order[b[1].kind] || a[1].name.length - b[1].name.length
      || (a[1].name < b[1].name ? -1 : 1));
    const type = { prefix: "namespace", class: "class", property: "property", entity: "variable" };
    return {
      from: word.from,
      filter: false,
      options: ranked.slice(0, MAX_OPTIONS).map(([, item]) => ({
        label: item.name, detail: item.label, type: type[item.kind], apply: item.name,
      })),
    };
  }

  score(item, query) {
    // How well `item` fits what was typed; lower is better, null: not offered.
    if (item.lower.startsWith(query)) return item.lower === query ? 0 : 1;
    const colon = query.indexOf(":");
    const local = query.slice(colon + 1);
    if (colon >= 0 && !item.lower.startsWith(query.slice(0, colon + 1))) return null;
    if (item.kind === "prefix" || !local) return null;
    if (item.words.includes(local)) return 0.5;            // its label or an alias, exactly ("kafka": Apache Kafka)
    if (item.local.startsWith(local)) return 2;
    if (item.words.some((w) => w.startsWith(local))) return 3;
    if (item.words.some((w) => w.includes(local))) return 4;
    if (local.length >= 3 && item.local.includes(local)) return 5;
    return null;
  }

  // -- download ----------------------------------------------------------------------

  download() {
    if (!this.last || !this.ready) return;
    const { text, name } = this.last;
    const button = this.find("download");
    button.disabled = true;
    this.ask(text, "download", (message) => {
      button.disabled = false;
      if (message.type === "error") {
        this.showError(message.message);
        return;
      }
      const csv = message.kind === "csv";
      const blob = new Blob([message.result], { type: csv ? "text/csv;charset=utf-8" : "text/turtle;charset=utf-8" });
      const link = el("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${name || "query"}.${csv ? "csv" : "ttl"}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    });
  }
}

function main() {
  const root = document.getElementById("sa-query");
  if (!root) return;
  const config = JSON.parse(document.getElementById(root.dataset.config).textContent);
  const app = new QueryApp(root, config);
  window.stackAtlasQuery = app;
  app.start();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
