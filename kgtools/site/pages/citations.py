"""A source's supporting quote and its latest citation check, on the source's page and on the Data quality page.

Both read the graph only: the quote is the source's `sa:SupportingQuote` node,
the check its `sa:CitationCheck` node (`<source>#citation-check`, written by
`kg cite-check` into `corpus/checks/citations.yaml` and compiled like the
records). Every value is record or network text, so all of it is escaped.
"""

from __future__ import annotations

from kgtools.records.wayback import search_link
from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page, table
from kgtools.site.pages.model import PUBLIC_KINDS, SA, Entity, Lit, Statement

SCHEMA_URL = "https://schema.org/url"
# Outcomes in report order (as `kg cite-check` prints them), each with its vocabulary term.
OUTCOMES = {
    "dead": SA + "DeadLink", "quote-missing": SA + "QuoteMissing", "redirected": SA + "Redirected",
    "unreachable": SA + "Unreachable", "robots-disallowed": SA + "RobotsDisallowed", "unreadable": SA + "UnreadablePage",
    "no-quote": SA + "NoQuote", "ok": SA + "CitationOk",
}
KEY_OF = {iri: key for key, iri in OUTCOMES.items()}
PROBLEMS = ("dead", "quote-missing", "redirected", "unreachable", "robots-disallowed", "unreadable")
WANTS_ARCHIVE = ("dead", "quote-missing", "redirected")


def _value(statement: Statement, predicate: str) -> str:
    value = statement.one(predicate)
    return value.value if isinstance(value, Lit) else (value or "")


def quote_of(page: Page, source: Entity) -> Statement | None:
    return next((s for s in page.model.statements.get(source.iri, []) if s.cls == SA + "SupportingQuote"), None)


def outcome_key(check: Statement, predicate: str = SA + "checkOutcome") -> str:
    return KEY_OF.get(check.iri_of(predicate) or "", "")


def _outcome(page: Page, key: str) -> str:
    return f'<span class="sa-check sa-check--{h(key)}">{h(page.model.label(OUTCOMES[key], page.lang))}</span>' if key else ""


def quote_block(page: Page, source: Entity) -> str:
    """The quote as a blockquote, with the day it was seen (and the archived copy it was seen in)."""
    quote = quote_of(page, source)
    if quote is None:
        return ""
    text, seen, seen_at = _value(quote, SA + "quoteText"), _value(quote, SA + "seenOn"), quote.iri_of(SA + "seenAt")
    where = t("quote.seen_at", page.lang, date=seen) if seen else ""
    if seen_at:
        where += " · " + page.external(seen_at, t("quote.archived_copy", page.lang))
    return (f'<blockquote class="sa-quote"><p>{h(text)}</p>'
            + (f'<footer class="sa-meta">{where}</footer>' if where else "") + "</blockquote>")


def check_block(page: Page, source: Entity) -> str:
    """The source's newest citation check as a small table, or a line saying it was never checked."""
    lang = page.lang
    check = page.model.citation_checks.get(source.iri)
    if check is None:
        return f'<p class="sa-intro">{h(t("check.never", lang))}</p>' if any(
            p == SCHEMA_URL for p, _ in source.external) else ""
    key = outcome_key(check)
    rows = [[h(t("check.checked_on", lang)), h(_value(check, SA + "checkedOn"))],
            [h(t("check.outcome", lang)), _outcome(page, key)]]
    status = _value(check, SA + "httpStatus")
    if status:
        rows.append([h(t("check.status", lang)), h(status)])
    final = check.iri_of(SA + "finalUrl")
    if final:
        rows.append([h(t("check.final_url", lang)), page.external(final)])
    found = _value(check, SA + "quoteFound")
    if found:
        rows.append([h(t("check.quote_found", lang)), h(t("check.yes" if found == "true" else "check.no", lang))])
    detail = _value(check, SA + "checkDetail")
    if detail:
        rows.append([h(t("check.detail", lang)), f'<span lang="en">{h(detail)}</span>'])
    archived = check.iri_of(SA + "archivedCopy")
    if archived:
        on = _value(check, SA + "archivedOn")
        rows.append([h(t("check.archived", lang)), page.external(archived) + (f" ({h(on)})" if on else "")])
    elif key in WANTS_ARCHIVE and check.iri_of(SCHEMA_URL):
        link = page.external(search_link(check.iri_of(SCHEMA_URL) or ""), t("check.search", lang))
        rows.append([h(t("check.archived", lang)), f'{h(t("check.no_copy", lang))} {link}'])
    before = outcome_key(check, SA + "previousOutcome")
    if before:
        rows.append([h(t("check.previous", lang)),
                     f'{_outcome(page, before)} ({h(_value(check, SA + "previousCheckedOn"))})'])
    body = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="sa-facts sa-citation-check" data-outcome="{h(key)}">\n{body}\n</table>'


def source_block(page: Page, source: Entity) -> str:
    """Quote, then check: what the record says the page says, and what the page said when last asked."""
    return "\n".join(part for part in (quote_block(page, source), check_block(page, source)) if part)


def quality_block(page: Page) -> tuple[int, str]:
    """The Data quality page's "Citation checks" section: counts per outcome, the sources with problems,
    and how many public sources have no quote; with the number of problems for the page's summary table."""
    lang, model = page.lang, page.model
    checks = sorted(model.citation_checks.items(), key=lambda item: model.label(item[0], lang).casefold())
    counts = {key: 0 for key in OUTCOMES}
    for _, check in checks:
        key = outcome_key(check)
        if key:
            counts[key] += 1
    parts = [f'<p class="sa-intro">{h(t("check.intro", lang))}</p>']
    if checks:
        dates = sorted({_value(c, SA + "checkedOn") for _, c in checks})
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}"
        rows = [[_outcome(page, key), f'<span class="sa-figure">{n}</span>'] for key, n in counts.items() if n]
        parts.append(f'<p class="sa-meta">{h(t("check.when", lang, n=len(checks), dates=span))}</p>')
        parts.append(table([h(t("check.outcome", lang)), h(t("quality.count", lang))], rows, "sa-check-counts"))
    else:
        parts.append(f'<p class="sa-empty" data-check="citation-checks" data-count="0">{h(t("check.none_yet", lang))}</p>')
    problems = [(iri, check) for iri, check in checks if outcome_key(check) in PROBLEMS]
    problems.sort(key=lambda item: (PROBLEMS.index(outcome_key(item[1])), model.label(item[0], lang).casefold()))
    if problems:
        items = []
        for iri, check in problems:
            detail = _value(check, SA + "checkDetail")
            archived = check.iri_of(SA + "archivedCopy")
            extra = f' · {page.external(archived, t("check.archived", lang))}' if archived else ""
            items.append(f"<li>{page.link(iri)} {_outcome(page, outcome_key(check))} "
                         f'<span class="sa-meta">{h(_value(check, SA + "checkedOn"))}'
                         + (f' · <span lang="en">{h(detail)}</span>' if detail else "") + f"{extra}</span></li>")
        parts.append(f'<h3 class="sa-subhead">{h(t("check.problems", lang))}</h3>')
        parts.append(f'<ul class="sa-quality" data-check="citation-problems" data-count="{len(problems)}">\n'
                     + "\n".join(items) + "\n</ul>")
    public = [e for e in model.of_kind("source") if model.source_kind.get(e.iri) in PUBLIC_KINDS]
    lacking = model.sorted([e for e in public if quote_of(page, e) is None], lang)
    parts.append(f'<h3 class="sa-subhead">{h(t("check.without_quote", lang))}</h3>')
    parts.append(f'<p class="sa-meta" data-check="sources-without-quote" data-count="{len(lacking)}">'
                 f'{h(t("check.without_quote.count", lang, n=len(lacking), total=len(public)))}</p>')
    if lacking:
        links = "".join(f"<li>{page.link(e.iri)}</li>" for e in lacking)
        parts.append(f'<details class="sa-details"><summary>{h(t("check.without_quote.list", lang))}</summary>'
                     f'<ul class="sa-quality">{links}</ul></details>')
    return len(problems), "\n".join(parts)
