"""Record history on the site: the "last changed" row of an entity page, and the recently changed page.

Both read one `kgtools.records.history.History`, made once per build from git.
Commit subjects are contributor text: escaped like any record string.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtools.records.history import Change, History
from kgtools.site.pages import urls
from kgtools.site.pages.escape import h, md
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page

RECENT_PAGE = "recent"
RECENT_COMMITS = 40   # the page lists this many commits that touched records
SHOWN_RECORDS = 12  # records named per commit before the rest fold away
SUBJECT_CHARS = 140   # longer subjects are cut at a word, with the full text in the link's title


@dataclass(frozen=True)
class Links:
    """Where a repository host shows one commit and one file's log (GitHub's URL forms)."""

    repository: str
    branch: str

    def commit(self, change: Change) -> str:
        return f"{self.repository.rstrip('/')}/commit/{change.commit}"

    def log(self, path: str) -> str:
        return f"{self.repository.rstrip('/')}/commits/{self.branch}/{path}"


def short(subject: str) -> str:
    if len(subject) <= SUBJECT_CHARS:
        return subject
    cut = subject[:SUBJECT_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def commit_link(links: Links, change: Change) -> str:
    """The commit's subject, shortened, linked to the commit; the whole subject in the link's title."""
    return (f'<a class="sa-ext" href="{h(links.commit(change))}" title="{h(change.subject)}" rel="noopener">'
            f"{h(short(change.subject))}</a>")


def last_changed_cell(page: Page, history: History, links: Links, path: str) -> str:
    """`2026-12-02 · <subject> · all 5 changes`, or "" when the history has nothing on this record."""
    change = history.last(path)
    if change is None:
        return ""
    lang = page.lang
    commit = commit_link(links, change)
    log = page.external(links.log(path), t("history.all_changes", lang, n=history.count(path)))
    return f'<time datetime="{h(change.date)}">{h(change.date)}</time> · {commit} · {log}'


def recent_page(page: Page, history: History, links: Links) -> Doc:
    """The commits that changed records, newest first, each with the records it touched."""
    lang, model = page.lang, page.model
    # Not in the search index: it lists entity names that have entries of their own there.
    doc = Doc(["---", "search:", "  exclude: true", "---"]).md(f"# {md(t('history.recent', lang))}")
    if not history.commits:
        return doc.html(f'<p class="sa-intro">{h(t("history.none", lang))}</p>')
    doc.html(f'<p class="sa-intro">{h(t("history.intro", lang, n=RECENT_COMMITS))}</p>')
    by_file = {urls.record_file(e.kind, e.id): e.iri for e in model.entities.values()}
    items = []
    for change, files in history.recent(RECENT_COMMITS):
        records = []
        for path in files:
            iri = by_file.get(path)
            if iri:
                records.append(page.link(iri))
            elif path.endswith(".yaml"):  # a record since removed or renamed: its path, without a page
                records.append(f'<code>{h(path)}</code>')
        if not records:
            continue  # only saved-query results or other non-record files
        shown = " · ".join(records[:SHOWN_RECORDS])
        if len(records) > SHOWN_RECORDS:  # the rest expand in place: no dead end
            rest = " · ".join(records[SHOWN_RECORDS:])
            more = h(t("history.more", lang, n=len(records) - SHOWN_RECORDS))
            shown += f' <details class="sa-more"><summary>{more}</summary>{rest}</details>'
        commit = commit_link(links, change)
        items.append(f'<li><p class="sa-recent__head"><time datetime="{h(change.date)}">{h(change.date)}</time> '
                     f'{commit}</p><p class="sa-recent__records">{shown}</p></li>')
    return doc.html('<ol class="sa-recent">\n' + "\n".join(items) + "\n</ol>")
