"""Pages about the graph as a whole: live counts for the home page, and downloads (the glossary is `glossary`)."""

from __future__ import annotations

from pathlib import Path

from kgtools.graph.exports import API_DIR, CSV_DIR, DataExports
from kgtools.graph.feed import FEED_NAME
from kgtools.graph.release import RELEASES, SUMS, ReleaseInfo
from kgtools.site.pages import counts
from kgtools.site.pages.escape import h, md
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, table
from kgtools.site.pages.urls import INDEX_PAGES

COUNTS_MARKER = "<!-- stackatlas:counts -->"
DOWNLOADS = "downloads"
# (group, file name, format) of everything the downloads page offers, in order.
DOWNLOAD_FILES = (
    ("downloads.dumps", "stackatlas.ttl", "Turtle"),
    ("downloads.dumps", "stackatlas.nt", "N-Triples"),
    ("downloads.dumps", "stackatlas.jsonld", "JSON-LD"),
    ("downloads.void", "void.ttl", "Turtle"),
    ("downloads.ontology", "stackatlas-ontology.ttl", "Turtle (OWL)"),
    ("downloads.ontology", "shapes.ttl", "Turtle (SHACL)"),
)


def counts_block(page: Page) -> str:
    """Cards with the number of each kind of entity, and a line of what the graph holds; all from `counts`."""
    model, lang = page.model, page.lang
    cards = []
    for kind, path in INDEX_PAGES.items():
        number = counts.count_span(counts.kind_count(model, kind), lang, kind, "sa-card__n")
        cards.append(f'<a class="sa-card" href="{h(page.href(path + ".html"))}">{number}'
                     f'<span class="sa-card__k">{h(t(f"kinds.{kind}", lang))}</span></a>')
    facts = []
    for name, key in counts.GRAPH_FIGURES:
        value = counts.graph_figure(model, name)
        if name == "public_reference_share":
            shown = f'<b data-count="{name}">{100 * float(value):.0f}%</b>'
        else:
            shown = f"<b>{counts.count_span(int(value), lang, name)}</b>"
        facts.append(f'<span class="sa-stat">{shown} {h(t(key, lang))}</span>')
    return f'<div class="sa-cards">{"".join(cards)}</div>\n<p class="sa-stats">{" · ".join(facts)}</p>'


def _size(path: Path) -> str:
    size = path.stat().st_size if path.is_file() else 0
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def downloads_page(page: Page, files: dict[str, Path], schemas: list[str], exports: DataExports | None = None,
                   releases: list[ReleaseInfo] | None = None) -> Doc:
    """Links to the files published under `downloads/` at the site root, the CSV and JSON API, and the releases."""
    lang = page.lang
    doc = Doc().md(f"# {md(t('downloads', lang))}").html(f'<p class="sa-intro">{h(t("downloads.intro", lang))}</p>')
    head = [h(t("downloads.file", lang)), h(t("downloads.format", lang)), h(t("downloads.size", lang))]
    groups: dict[str, list[list[str]]] = {}
    for group, name, fmt in DOWNLOAD_FILES:
        href = page.root_href(f"{DOWNLOADS}/{name}")
        groups.setdefault(group, []).append([f'<a href="{h(href)}">{h(name)}</a>', h(fmt), _size(files[name])])
    for name in schemas:
        href = page.root_href(f"{DOWNLOADS}/schemas/{name}")
        groups.setdefault("downloads.schemas", []).append(
            [f'<a href="{h(href)}">{h(name)}</a>', "JSON Schema 2020-12", _size(files[f"schemas/{name}"])])
    for group, rows in groups.items():
        doc.md(f"## {md(t(group, lang))} {{ #{group.split('.')[-1]} }}").html(table(head, rows))
    _releases_section(page, doc, releases or [])
    if exports is not None:
        _exports_sections(page, doc, exports)
    return doc


def _link(page: Page, path: str, text: str | None = None) -> str:
    return f'<a href="{h(page.root_href(path))}">{h(text or path.rsplit("/", 1)[-1])}</a>'


def _releases_section(page: Page, doc: Doc, releases: list[ReleaseInfo]) -> None:
    """The releases `kg release` made, newest first, each with its files; the Atom feed they are announced in."""
    lang = page.lang
    doc.md(f"## {md(t('downloads.releases', lang))} {{ #releases }}")
    if not releases:
        doc.html(f'<p class="sa-intro">{h(t("downloads.releases.none", lang))}</p>')
        return
    base = f"{DOWNLOADS}/{RELEASES}"
    doc.html(f'<p class="sa-intro">{h(t("downloads.releases.intro", lang))} {_link(page, f"{base}/{FEED_NAME}")}</p>')
    rows = []
    for release in sorted(releases, key=lambda r: (r.date, r.sort_key()), reverse=True):
        names = [*sorted(release.files), SUMS]
        links = " · ".join(_link(page, f"{base}/{release.version}/{name}") for name in names)
        rows.append([h(release.version), h(release.date), h(release.summary_line()), links])
    head = [h(t(key, lang)) for key in ("downloads.version", "downloads.date", "downloads.contents", "downloads.file")]
    doc.html(table(head, rows))


def _exports_sections(page: Page, doc: Doc, exports: DataExports) -> None:
    """The CSV per kind (with its row count) and the JSON API's paths."""
    lang = page.lang
    doc.md(f"## {md(t('downloads.csv', lang))} {{ #csv }}").html(f'<p class="sa-intro">{h(t("downloads.csv.intro", lang))}</p>')
    rows = []
    for kind, count in exports.counts.items():
        path = f"{CSV_DIR}/{kind}.csv"
        size = len(exports.files[path])
        shown = f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
        contents = h(t(f"kind.{kind}", lang))
        if kind == "concept":  # the file holds the schemes too: say so, in the counts the other pages print
            contents = (f'{contents} {counts.count_span(counts.kind_count(page.model, "concept"), lang, "concept")}'
                        f' + {h(t("kind.scheme", lang))} {counts.count_span(counts.kind_count(page.model, "scheme"), lang, "scheme")}')
        rows.append([_link(page, path), contents, str(count), shown])
    head = [h(t(key, lang)) for key in ("downloads.file", "downloads.contents", "downloads.rows", "downloads.size")]
    doc.html(table(head, rows))
    doc.md(f"## {md(t('downloads.api', lang))} {{ #api }}")
    doc.html(f'<p class="sa-intro">{h(t("downloads.api.intro", lang))} {_link(page, f"{API_DIR}/index.json", f"{API_DIR}/index.json")}</p>')
    paths = [(f"{API_DIR}/index.json", "downloads.api.index"), (f"{API_DIR}/<kind>/index.json", "downloads.api.kind"),
             (f"{API_DIR}/<kind>/<id>.json", "downloads.api.entity"), (f"{API_DIR}/category/index.json", "downloads.api.categories"),
             (f"{API_DIR}/category/<id>.json", "downloads.api.category"), (f"{CSV_DIR}/<kind>.csv", "downloads.csv")]
    doc.html(table([h(t("downloads.path", lang)), h(t("downloads.contents", lang))],
                   [[f"<code>{h(path)}</code>", h(t(key, lang))] for path, key in paths]))
