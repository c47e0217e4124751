"""What a model's page adds: the file to download and, for a model check, each property with SPIN's verdict.

The verdicts are the records' `holds` (tests/test_model_checking.py runs SPIN
on every one, so a wrong verdict fails CI), and the counterexample shown for a
broken variant is the trail kept beside the model (`python -m kgtools.models.spin`
refreshes it; the same test checks it is current). Everything is escaped.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from kgtools.models import CODE_ROOT, spin
from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page, table
from kgtools.site.pages.model import SA, Entity, SiteModel, Statement

SOURCE_FILE = SA + "sourceFile"
MODELS_DIR = "models"


def code_path(entity: Entity) -> str | None:
    return next((v.value for p, v in entity.facts if p == SOURCE_FILE), None)


def published_path(entity: Entity) -> str | None:
    """Where the site serves the model's file: `models/<id>/<file name>` at the site root."""
    code = code_path(entity)
    return f"{MODELS_DIR}/{entity.id}/{PurePosixPath(code).name}" if code else None


def copy_model_files(model: SiteModel, site: Path) -> None:
    """Publish each model's file under `models/<id>/` (the schema keeps the path inside kgtools/models/)."""
    for entity in model.of_kind("model"):
        code, served = code_path(entity), published_path(entity)
        if code and served:
            source = (CODE_ROOT / code).resolve()
            if source.is_file() and source.is_relative_to((CODE_ROOT / "kgtools" / "models").resolve()):
                target = site / served
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def code_block(page: Page, entity: Entity) -> str:
    code, served = code_path(entity), published_path(entity)
    if not code or not served:
        return ""
    return (f'<p class="sa-model__code">{h(t("model.code", page.lang))}: <code>{h(code)}</code> · '
            f'<a href="{h(page.root_href(served))}" download>{h(t("model.download", page.lang))}</a></p>')


def claims_block(page: Page, entity: Entity, claims: list[Statement]) -> str:
    """Each property: what it says, which variant, SPIN's verdict, and the counterexample when there is one."""
    if not claims:
        return ""
    lang = page.lang
    code = code_path(entity) or ""
    rows, trails = [], []
    for claim in claims:
        name, defect = claim.text(SA + "claimName", lang), claim.text(SA + "defect", lang)
        holds = claim.text(SA + "holds", lang) == "true"
        verdict = t("model.holds" if holds else "model.fails", lang)
        rows.append([f"<code>{h(name)}</code>", h(claim.text("http://www.w3.org/1999/02/22-rdf-syntax-ns#value", lang)),
                     f"<code>-D{h(defect)}</code>" if defect else h(t("model.correct", lang)),
                     f'<span class="sa-verdict sa-verdict--{"holds" if holds else "fails"}">{h(verdict)}</span>'])
        trail = spin.trail_file(PurePosixPath(code).stem, name, defect) if defect and not holds else None
        if trail is not None and trail.is_file():
            trails.append(f'<details class="sa-trail"><summary>{h(t("model.trail", lang))}: <code>{h(name)}</code>, '
                          f'<code>-D{h(defect)}</code></summary><pre><code>{h(trail.read_text(encoding="utf-8"))}'
                          f"</code></pre></details>")
    heads = [h(t(k, lang)) for k in ("model.claim", "model.says", "model.variant", "model.verdict")]
    return table(heads, rows) + "\n".join(trails)
