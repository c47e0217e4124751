"""The Query page (SPARQL in the reader's browser) and the Saved queries page, in each language.

The Query page is only controls and data: a textarea holding the starting
query (what a reader without JavaScript still sees), and a JSON block with
where the dump, the Oxigraph WebAssembly, the worker and the terms file live
(query_data makes the data files), the prefixes `kg query` predeclares, the
saved queries and the interface text. The bundled app (queryapp/, published
by query_bundle) turns it into an editor and a results table. A few lines of
inline script (BOOT) start the worker and the downloads as soon as the page
is parsed, before the 350 KB editor bundle has even arrived; the bundle then
adopts them. Saved queries come from corpus/queries/*.rq through
kgtools.query.saved_queries, the same reader `kg query NAME` uses.
"""

from __future__ import annotations

from collections.abc import Callable

from kgtools.graph.dumps import DUMP_NAME
from kgtools.graph.vocab import BASE, DATASET_GRAPH
from kgtools.query.engine import PREFIX_IRIS
from kgtools.query.saved import SavedQuery
from kgtools.records.project import KINDS
from kgtools.site.assets.query_bundle import QUERY_DIR, ensure_bundle
from kgtools.site.pages import urls
from kgtools.site.pages.escape import h, md, script_json
from kgtools.site.pages.extras import DOWNLOADS
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, heading, table
from kgtools.site.pages.query_data import QueryData

QUERY_PAGE = "query"
SAVED_PAGE = "saved-queries"
GUIDE_PAGE = "researchers"
META_KEYS = ("title-", "description-")

# The pages' own words (zh, en); kept here because only these two pages use them.
TEXT: dict[str, tuple[str, str]] = {
    "intro": ("在浏览器里对整个图谱运行 SPARQL 1.1 查询。本页下载本站发布的 N-Triples 转储，"
              "用 Oxigraph（编译为 WebAssembly）在你的浏览器中执行查询，不连接任何服务器。",
              "Run SPARQL 1.1 over the whole graph in your browser. This page downloads the N-Triples dump this site "
              "publishes and runs your query with Oxigraph (compiled to WebAssembly) on your machine; no server is involved."),
    "intro.more": ("常用前缀已预先声明，与 `kg query` 相同。数据模型与查询示例见", "The common prefixes are predeclared, as in "
                   "`kg query`. For the data model and example queries see"),
    "examples": ("示例（保存的查询）", "Examples (saved queries)"),
    "choose": ("— 选择一个保存的查询 —", "— choose a saved query —"),
    "editor": ("SPARQL 查询", "SPARQL query"),
    "run": ("运行", "Run"),
    "stop": ("停止", "Stop"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_turtle": ("下载 Turtle", "Download Turtle"),
    "hint": ("Ctrl+Enter 运行；Ctrl+空格 补全", "Ctrl+Enter runs the query; Ctrl+Space completes"),
    "iris": ("显示 IRI", "Show IRIs"),
    "noscript": ("查询页需要 JavaScript。也可以下载转储，用 `kg query` 或任何 SPARQL 工具查询。",
                 "The query page needs JavaScript. You can also download the dump and query it with `kg query` "
                 "or any SPARQL tool."),
    "loading": ("正在加载图谱与查询引擎…", "Loading the graph and the query engine…"),
    "ready": ("图谱已加载：{triples} 个三元组，用时 {ms} ms。", "Graph loaded: {triples} triples in {ms} ms."),
    "failed": ("无法加载图谱：{message}", "The graph could not be loaded: {message}"),
    "file": ("此页需要通过 HTTP 访问（例如 `python3 -m http.server -d build/site`），直接打开文件时浏览器不允许加载数据。",
             "This page must be served over HTTP (for example `python3 -m http.server -d build/site`); "
             "browsers do not let a page opened from disk load its data."),
    "running": ("正在查询…", "Running…"),
    "rows": ("{n} 行，用时 {ms} ms。", "{n} rows in {ms} ms."),
    "truncated": ("只显示前 {shown} 行；下载可得全部结果。", "Showing the first {shown}; download for all of them."),
    "boolean": ("结果：{value}（{ms} ms）", "Answer: {value} ({ms} ms)"),
    "stopped": ("查询已停止；正在重新加载图谱…", "Query stopped; reloading the graph…"),
    "error": ("查询出错", "The query has an error"),
    "prefixes": ("预先声明的前缀", "Predeclared prefixes"),
    "prefix": ("前缀", "Prefix"),
    "namespace": ("命名空间", "Namespace"),
    "default.comment": ("# 每类实体的数量。可修改后按 Ctrl+Enter 运行，或从上方选择一个保存的查询。",
                        "# How many entities of each class. Edit and press Ctrl+Enter, or pick a saved query above."),
    # saved queries page
    "saved.intro": ("仓库 `corpus/queries/` 中的每个查询：标题、说明与 SPARQL 文本。"
                    "在查询页中打开即可运行和修改；命令行中 `kg query 名称` 运行同一查询。",
                    "Every query kept in the repository's `corpus/queries/`: title, description and SPARQL text. "
                    "Open one in the query page to run and change it; `kg query NAME` runs the same query on the "
                    "command line."),
    "saved.open": ("在查询页中打开", "Open in the query page"),
    "saved.source": ("源文件", "Source file"),
    "saved.none": ("暂无保存的查询。", "No saved queries yet."),
}

DEFAULT_QUERY = """SELECT ?class (COUNT(?entity) AS ?entities)
WHERE { ?entity dcterms:identifier ?id ; a ?class }
GROUP BY ?class
ORDER BY DESC(?entities) ?class
"""


def text(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def body(saved: SavedQuery) -> str:
    """The query without its metadata header (title and description are shown beside it)."""
    lines = saved.text.splitlines(keepends=True)
    while lines and lines[0].startswith("#") and lines[0].lstrip("# ").startswith(META_KEYS):
        lines.pop(0)
    return "".join(lines).strip() + "\n"


def title(saved: SavedQuery, lang: str) -> str:
    return saved.meta.get(f"title-{lang}") or saved.meta.get("title-en") or saved.name


def description(saved: SavedQuery, lang: str) -> str:
    return saved.meta.get(f"description-{lang}") or saved.meta.get("description-en") or ""


def _code(value: str) -> str:
    """Interface text with `code` spans, escaped."""
    parts = value.split("`")
    return "".join(f"<code>{h(p)}</code>" if i % 2 else h(p) for i, p in enumerate(parts))


# Run as soon as the page is parsed (it needs only the configuration block above it), so nothing waits for the
# 350 KB editor bundle: it downloads the WebAssembly and the dump side by side (gzip files, undone with
# DecompressionStream), compiles the WebAssembly while it arrives, starts the worker meanwhile, and hands it both
# (a compiled module and the bytes, kept for a restart after Stop); it also fetches the terms file. Worker messages
# that arrive before the bundle runs are kept for it (nothing queues them for a listener that does not exist yet).
BOOT = """(function () {
  var config = JSON.parse(document.getElementById("sa-query-config").textContent);
  var boot = window.stackAtlasQueryBoot = { messages: [], at: performance.now() };
  if (location.protocol === "file:" || typeof Worker !== "function") return;
  var url = function (path) { return new URL(path, document.baseURI).href; };
  var gz = typeof DecompressionStream === "function";
  var get = function (plain, packed, type) {
    return fetch(url(gz ? packed : plain)).then(function (response) {
      if (!response.ok) throw new Error(response.url + ": HTTP " + response.status);
      var body = gz ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
      return new Response(body, { headers: { "Content-Type": type } });
    });
  };
  var failed = function (error) { boot.messages.push({ type: "failed", message: String(error && error.message || error) }); };
  var worker = boot.worker = new Worker(url(config.worker));
  worker.onmessage = function (event) { boot.messages.push(event.data); };
  worker.onerror = function (event) { event.preventDefault(); failed(event.message || "worker"); };
  boot.module = get(config.wasm, config.wasm_gz, "application/wasm").then(function (response) {
    return WebAssembly.compileStreaming(response);
  });
  boot.data = get(config.data, config.data_gz, "application/n-triples").then(function (response) {
    return response.arrayBuffer();
  });
  Promise.all([boot.module, boot.data]).then(function (got) {
    boot.fetched = performance.now();
    worker.postMessage({ type: "load", module: got[0], data: got[1], graph: config.graph });
  }, failed);
  boot.terms = get(config.terms, config.terms_gz, "application/json").then(function (response) {
    return response.json();
  });
  boot.terms.catch(function () {});
})();"""


def query_page(page: Page, queries: list[SavedQuery], data: QueryData) -> Doc:
    lang = page.lang
    version = ensure_bundle().name    # the bundle's fingerprint; made now, so a failure stops the build early

    def asset(name: str) -> str:
        """A file of the bundle, with its version so browsers never mix an old worker with a new page."""
        return f"{page.root_href(f'{QUERY_DIR}/{name}')}?v={version}"

    config = {
        "lang": lang,
        "data": page.root_href(f"{DOWNLOADS}/{DUMP_NAME}.nt"),    # for browsers without DecompressionStream
        "data_gz": page.root_href(data.graph_gz),
        "terms": page.root_href(data.terms),
        "terms_gz": page.root_href(data.terms_gz),
        "wasm": asset("oxigraph.wasm"),
        "wasm_gz": asset("oxigraph.wasm.gz"),
        "graph": DATASET_GRAPH,          # the named graph the dump is loaded into, as `kg publish` does
        "worker": asset("query-worker.js"),
        "prefixes": [[prefix, iri] for prefix, iri in PREFIX_IRIS.items()],
        "base": str(BASE),
        "kinds": list(KINDS),
        "page": page.href(urls.url(urls.entity_path("KIND", "ID"))),
        "queries": [{"name": q.name, "title": title(q, lang), "description": description(q, lang), "text": body(q)}
                    for q in queries],
        "text": {key: text(key, lang) for key in ("editor", "loading", "ready", "failed", "file", "running", "rows",
                                                   "truncated", "boolean", "stopped", "error", "download_csv",
                                                   "download_turtle")},
    }
    options = "".join(f'<option value="{h(q.name)}">{h(title(q, lang))}</option>' for q in queries)
    start = f"{text('default.comment', lang)}\n{DEFAULT_QUERY}"
    guide = page.href(urls.url(GUIDE_PAGE))
    saved = page.href(urls.url(SAVED_PAGE))
    app = f"""<link rel="stylesheet" href="{h(asset('query.css'))}">
<div class="sa-query" id="sa-query" data-config="sa-query-config" data-state="loading">
<p class="sa-query__examples"><label for="sa-query-example">{h(text('examples', lang))}</label>
<select id="sa-query-example" data-part="example"><option value="">{h(text('choose', lang))}</option>{options}</select></p>
<p class="sa-query__description" data-part="description" hidden></p>
<div class="sa-query__editor" data-part="editor"><textarea data-part="text" spellcheck="false" rows="12"
 aria-label="{h(text('editor', lang))}">{h(start)}</textarea></div>
<div class="sa-query__bar">
<button type="button" class="md-button md-button--primary" data-part="run" disabled>{h(text('run', lang))}</button>
<button type="button" class="md-button" data-part="stop" hidden>{h(text('stop', lang))}</button>
<button type="button" class="md-button" data-part="download" disabled>{h(text('download_csv', lang))}</button>
<label class="sa-query__toggle"><input type="checkbox" data-part="iris"> {h(text('iris', lang))}</label>
<span class="sa-query__hint">{h(text('hint', lang))}</span>
</div>
<p class="sa-query__status" data-part="status" role="status" aria-live="polite">{h(text('loading', lang))}</p>
<noscript><p>{_code(text('noscript', lang))}</p></noscript>
<div class="sa-query__error" data-part="error" role="alert" hidden></div>
<div class="sa-query__results" data-part="results"></div>
</div>
<script type="application/json" id="sa-query-config">{script_json(config)}</script>
<script>{BOOT}</script>
<script src="{h(asset('query.js'))}" defer></script>"""
    rows = [[f"<code>{h(prefix)}:</code>", f"<code>{h(iri)}</code>"] for prefix, iri in PREFIX_IRIS.items()]
    prefixes = (f'<details class="sa-query__prefixes"><summary>{h(text("prefixes", lang))}</summary>'
                f'{table([h(text("prefix", lang)), h(text("namespace", lang))], rows)}</details>')
    intro = (f'<p class="sa-intro">{h(text("intro", lang))} {_code(text("intro.more", lang))} '
             f'<a href="{h(guide)}">{h(t("researchers", lang))}</a> · <a href="{h(saved)}">{h(t("query.saved", lang))}</a>.</p>')
    # Results tables are wide: the page gives them the whole width, as the graph views do.
    front = "\n".join(["---", "hide:", "  - navigation", "  - toc", "---"])
    return Doc([front]).md(f"# {md(t('query', lang))}").html(intro, app, prefixes)


def saved_queries_page(page: Page, queries: list[SavedQuery], blob: Callable[[str], str]) -> Doc:
    """Every saved query: title, description, a link that opens it in the Query page, and its SPARQL."""
    lang = page.lang
    doc = Doc().md(f"# {md(t('query.saved', lang))}").html(f'<p class="sa-intro">{_code(text("saved.intro", lang))}</p>')
    if not queries:
        return doc.html(f'<p class="sa-empty">{h(text("saved.none", lang))}</p>')
    query_url = page.href(urls.url(QUERY_PAGE))
    for saved in queries:
        source = f"corpus/queries/{saved.name}.rq"
        links = (f'<p class="sa-queries__links"><a class="sa-queries__open" href="{h(query_url)}?name={h(saved.name)}">'
                 f'{h(text("saved.open", lang))}</a> · <code>kg query {h(saved.name)}</code> · '
                 f'<a href="{h(blob(source))}" rel="noopener">{h(text("saved.source", lang))}</a></p>')
        doc.md(heading(2, title(saved, lang), saved.name, searchable=True))
        doc.html(f'<div class="sa-queries" id="query-{h(saved.name)}" data-query="{h(saved.name)}">'
                 f'<p class="sa-queries__description">{h(description(saved, lang))}</p>{links}'
                 f'<pre><code class="language-sparql">{h(body(saved))}</code></pre></div>')
    return doc
