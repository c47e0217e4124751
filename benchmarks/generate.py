"""Synthetic corpora of Stack Atlas's real shape, at any size, for the benchmark.

Records use the same schemas, references, bilingual text, numbers and
citations as the real corpus; they are reproducible from a seed. The mix of
kinds follows the real corpus (roughly a third technologies, two fifths
concepts, and the rest cases, organizations, sources and assessments).
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

MIX = {"technology": 0.30, "concept": 0.42, "case": 0.12, "organization": 0.06, "source": 0.05, "assessment": 0.05}
FOLDERS = {"technology": "technologies", "concept": "concepts", "case": "cases", "organization": "organizations",
           "source": "sources", "assessment": "assessments"}
SCHEMES = ["technology-categories", "industries", "scenarios", "metrics", "architecture-patterns", "operations"]
WORDS_EN = "stream batch state event queue store cluster worker shard replica window checkpoint saga retry".split()
WORDS_ZH = "流 批 状态 事件 队列 存储 集群 节点 分片 副本 窗口 检查点 补偿 重试".split()


def text(rng: random.Random, n: int = 12) -> dict[str, str]:
    return {"zh": "".join(rng.choice(WORDS_ZH) for _ in range(n)) + "。",
            "en": " ".join(rng.choice(WORDS_EN) for _ in range(n)).capitalize() + "."}


def cite(rng: random.Random, sources: list[str]) -> list[dict[str, str]]:
    return [{"source": rng.choice(sources), "locator": f"{rng.randint(1, 9)}.{rng.randint(1, 9)} section"}]


def generate(size: int, out: Path, ontology: Path, seed: int = 7) -> Path:
    """Write a corpus of about `size` records under `out/corpus`, with the ontology beside it."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    if out.exists():
        shutil.rmtree(out)
    counts = {kind: max(len(SCHEMES) if kind == "concept" else 2, round(size * share)) for kind, share in MIX.items()}
    ids = {kind: [f"{kind[:4]}-{i:05d}" for i in range(n)] for kind, n in counts.items()}
    concepts = ids["concept"]
    schemes, members = SCHEMES, concepts[len(SCHEMES):]
    in_scheme = {c: schemes[i % len(schemes)] for i, c in enumerate(members)}
    by_scheme: dict[str, list[str]] = {s: [c for c in members if in_scheme[c] == s] for s in schemes}
    records: dict[str, list[dict]] = {kind: [] for kind in MIX}
    for sid in ids["source"]:
        records["source"].append({"id": sid, "kind": "public-reference", "title": text(rng, 5),
                                  "url": f"https://example.org/{sid}", "accessed": "2026-11-22", "language": "en"})
    for sid in schemes:
        records["concept"].append({"id": sid, "type": "scheme", "label": text(rng, 2), "description": text(rng)})
    for cid in members:
        scheme = in_scheme[cid]
        peers = by_scheme[scheme]
        position = peers.index(cid)
        record = {"id": cid, "type": "concept", "scheme": scheme, "label": text(rng, 2), "description": text(rng),
                  "citations": cite(rng, ids["source"])}
        if position > 0:
            record["broader"] = [peers[rng.randrange(position)]]
        if position > 1:
            record["related"] = [peers[rng.randrange(position - 1)]]
        records["concept"].append(record)
    for oid in ids["organization"]:
        records["organization"].append({"id": oid, "label": text(rng, 2), "description": text(rng),
                                        "industries": [rng.choice(by_scheme["industries"])],
                                        "citations": cite(rng, ids["source"])})
    techs = ids["technology"]
    for i, tid in enumerate(techs):
        record = {"id": tid, "label": text(rng, 2), "aliases": [tid.upper()], "description": text(rng),
                  "categories": [rng.choice(by_scheme["technology-categories"])],
                  "implements": [rng.choice(by_scheme["architecture-patterns"])],
                  "developer": rng.choice(ids["organization"]), "homepage": f"https://example.org/{tid}",
                  "license": "Apache-2.0", "citations": cite(rng, ids["source"])}
        if i > 0:
            record["integrates_with"] = sorted({techs[rng.randrange(i)] for _ in range(2)})
            record["alternative_to"] = [techs[rng.randrange(i)]]
        records["technology"].append(record)
    for cid in ids["case"]:
        stack = sorted(set(rng.sample(techs, min(3, len(techs)))))
        records["case"].append({
            "id": cid, "label": text(rng, 3), "description": text(rng, 20),
            "organization": rng.choice(ids["organization"]), "industry": rng.choice(by_scheme["industries"]),
            "scenarios": [rng.choice(by_scheme["scenarios"])],
            "stack": [{"technology": t, "role": text(rng, 2), "citations": cite(rng, ids["source"])} for t in stack],
            "applies": [{"concept": rng.choice(by_scheme["architecture-patterns"]), "citations": cite(rng, ids["source"])}],
            "figures": [{"metric": rng.choice(by_scheme["metrics"]), "value": rng.randint(1, 10_000), "unit": "ms",
                         "qualifier": rng.choice(["=", "<", "+"]), "citations": cite(rng, ids["source"])}],
            "challenges": [{"text": text(rng), "citations": cite(rng, ids["source"])}],
            "outcomes": [{"text": text(rng), "citations": cite(rng, ids["source"])}], "citations": cite(rng, ids["source"])})
    for aid in ids["assessment"]:
        subjects = rng.sample(techs, min(4, len(techs)))
        records["assessment"].append({
            "id": aid, "type": "benchmark", "label": text(rng, 3), "description": text(rng),
            "measurements": [{"technology": t, "metric": rng.choice(by_scheme["metrics"]), "value": rng.randint(1, 1000),
                              "unit": "ms", "citations": cite(rng, ids["source"])} for t in subjects],
            "ratings": [{"technology": t, "criterion": rng.choice(by_scheme["scenarios"]), "score": rng.randint(1, 5),
                         "scale_max": 5, "citations": cite(rng, ids["source"])} for t in subjects],
            "citations": cite(rng, ids["source"])})
    for kind, items in records.items():
        folder = out / "corpus" / FOLDERS[kind]
        folder.mkdir(parents=True, exist_ok=True)
        header = f"# yaml-language-server: $schema=../../ontology/schemas/{kind}.schema.json\n"
        for record in items:
            (folder / f"{record['id']}.yaml").write_text(
                header + yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(ontology, out / "ontology")
    (out / "corpus" / "queries").mkdir(exist_ok=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    generate(args.size, args.out, root / "ontology")
    print(f"wrote a synthetic corpus of ~{args.size} records to {args.out}")


if __name__ == "__main__":
    main()
