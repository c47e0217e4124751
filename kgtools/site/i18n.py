"""The site's own words in Chinese and English, and labels for vocabulary the ontology file does not label.

Record text comes from the graph in both languages; this module holds only the
interface: headings, kind names, and names for reused SKOS / schema.org /
DCTERMS / PROV terms (our own `sa:` terms are labelled in `ontology/stackatlas.ttl`).
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES = {"zh": "中文", "en": "English"}

UI: dict[str, tuple[str, str]] = {
    # kinds
    "kind.technology": ("技术", "Technology"),
    "kind.concept": ("概念", "Concept"),
    "kind.scheme": ("概念方案", "Concept scheme"),
    "kind.case": ("案例", "Case"),
    "kind.organization": ("组织", "Organization"),
    "kind.source": ("来源", "Source"),
    "kind.assessment": ("评估", "Assessment"),
    "kinds.technology": ("技术", "Technologies"),
    "kinds.concept": ("概念", "Concepts"),
    "kinds.case": ("案例", "Cases"),
    "kinds.organization": ("组织", "Organizations"),
    "kinds.source": ("来源", "Sources"),
    "kinds.assessment": ("评估", "Assessments"),
    # entity page
    "entity.aliases": ("别名", "Also known as"),
    "entity.other_label": ("英文名", "Chinese name"),
    "entity.facts": ("基本信息", "Facts"),
    "entity.identifiers": ("标识与数据", "Identifiers and data"),
    "entity.iri": ("IRI", "IRI"),
    "entity.id": ("标识符", "Identifier"),
    "entity.record": ("记录文件", "Record file"),
    "entity.data": ("本条数据", "This entity's data"),
    "entity.relations": ("关系", "Relations"),
    "entity.outgoing": ("本条目指向", "From this entity"),
    "entity.incoming": ("指向本条目", "To this entity"),
    "entity.claims": ("陈述与数字", "Claims and figures"),
    "entity.mentions": ("提及本条目的陈述", "Claims that mention it"),
    "entity.disagreements": ("来源之间的分歧", "Where sources disagree"),
    "entity.notes": ("核实备注", "Checks against other sources"),
    "entity.citations": ("引用", "Citations"),
    "entity.references": ("参考来源", "References"),
    "entity.graph": ("邻域图", "Neighbourhood graph"),
    "entity.tree": ("概念树", "Concept tree"),
    "entity.cited_sections": ("被引用的章节", "Cited sections"),
    "entity.cited_by": ("引用本来源的条目", "Entities citing this source"),
    "entity.stack": ("技术栈", "Stack"),
    "entity.applies": ("应用的模式与方法", "Patterns and methods applied"),
    "entity.figures": ("数字", "Figures"),
    "entity.challenges": ("挑战", "Challenges"),
    "entity.outcomes": ("成果", "Outcomes"),
    "entity.none": ("暂无", "None yet"),
    "entity.more": ("另有 {n} 条未列出", "{n} more not listed"),
    "entity.path": ("上位路径", "Path"),
    # claims
    "claim.subject": ("出处条目", "Stated in"),
    "claim.claim": ("陈述", "Claim"),
    "claim.technology": ("技术", "Technology"),
    "claim.role": ("角色", "Role"),
    "claim.concept": ("概念", "Concept"),
    "claim.metric": ("指标", "Metric"),
    "claim.value": ("数值", "Value"),
    "claim.condition": ("条件", "Condition"),
    "claim.with": ("配置", "Configuration"),
    "claim.evidence": ("依据", "Evidence"),
    "claim.score": ("评分", "Score"),
    "claim.weight": ("权重", "Weight"),
    "claim.dimension": ("维度", "Dimension"),
    "claim.criterion": ("评分维度", "Criterion"),
    "badge.documents": ("仅文档", "Documents only"),
    "badge.public": ("公开参考", "Public reference"),
    "badge.documents.title": ("只有项目种子文档支持此说法，未经公开资料核实",
                              "Only the project's seed documents state this; not checked against public records"),
    "badge.public.title": ("至少有一个公开来源（公开网页、厂商案例或论文）支持此说法",
                           "At least one public source (web page, vendor case study or paper) backs this"),
    "note.confirms": ("佐证", "Confirms"),
    "note.contradicts": ("反驳", "Contradicts"),
    "note.context": ("背景", "Context"),
    "legend": ("图例", "Legend"),
    "disagree.intro": ("同一指标，不同来源给出了不同的数字；两者都保留，各附其来源。",
                       "The sources give different figures for the same measure; both are kept, each with its source."),
    # browse
    "browse": ("浏览", "Browse"),
    "browse.by_category": ("按类别", "By category"),
    "browse.uncategorised": ("未分类", "Uncategorised"),
    "browse.by_scheme": ("按方案", "By scheme"),
    "browse.no_scheme": ("不属于任何方案", "In no scheme"),
    "browse.by_industry": ("按行业", "By industry"),
    "browse.no_industry": ("未注明行业", "Industry not given"),
    "browse.by_technology": ("按技术看案例", "Cases by technology"),
    "browse.by_kind": ("按来源类型", "By kind of source"),
    "browse.by_type": ("按类型", "By type"),
    "browse.count": ("共 {n} 条", "{n} in all"),
    "browse.cases_of": ("案例数", "Cases"),
    "browse.citing": ("被引用次数", "Times cited"),
    "tags": ("标签", "Tags"),
    "tags.intro": ("每个标签是一个用于归类的概念：类别、行业、场景与方案。",
                   "Each tag is a concept used to classify: a category, industry, scenario or scheme."),
    # comparisons
    "compare": ("比较", "Compare"),
    "compare.benchmarks": ("基准测试", "Benchmarks"),
    "compare.ratings": ("场景适配矩阵", "Fit matrices"),
    "compare.comparisons": ("对比表", "Comparison tables"),
    "compare.stacks": ("推荐组合", "Recommended stacks"),
    "compare.selection": ("选型模型", "Selection models"),
    "compare.costs": ("成本比较", "Cost comparisons"),
    "compare.overview": ("全部评估", "All assessments"),
    "compare.intro": ("表中每个数字都由 SPARQL 从图谱中查出，与图谱保存的值完全一致；上标指向其来源。",
                      "Every figure here is queried from the graph with SPARQL and is exactly the value the graph holds; "
                      "superscripts point to its source."),
    "compare.none": ("图谱中尚无此类评估。", "The graph holds no assessment of this kind yet."),
    "compare.consolidated": ("汇总矩阵", "Consolidated matrix"),
    "compare.consolidated.intro": ("所有评估中针对场景的评分，按技术与场景汇总；同一格有多个评分时全部列出。",
                                   "Ratings on scenarios from every assessment, by technology and scenario; "
                                   "where a cell has several ratings all are shown."),
    "compare.source_assessment": ("所在评估", "Assessment"),
    # graph views
    "graph": ("图谱", "Graph"),
    "graph.whole": ("全图", "Whole graph"),
    "graph.schemes": ("按概念方案", "By concept scheme"),
    "graph.categories": ("按技术类别", "By technology category"),
    "graph.filter": ("显示类型", "Show kinds"),
    "graph.search": ("查找节点", "Find a node"),
    "graph.search.placeholder": ("输入名称或别名", "Type a name or alias"),
    "graph.help": ("拖动平移，滚轮缩放；点击节点打开其页面。布局稳定后自动停止。",
                   "Drag to pan, scroll to zoom; click a node to open its page. The layout stops once it settles."),
    "graph.nodes": ("节点", "nodes"),
    "graph.edges": ("条边", "edges"),
    "graph.not_found": ("没有匹配的节点", "No matching node"),
    "graph.view_of": ("{label} 的视图", "View of {label}"),
    # other pages
    "home": ("首页", "Home"),
    "glossary": ("术语表", "Glossary"),
    "glossary.intro": ("图谱中全部概念的中英对照，按英文名排序。",
                       "Every concept in the graph in Chinese and English, sorted by English name."),
    "downloads": ("下载", "Downloads"),
    "downloads.intro": ("图谱与其描述的全部文件，均由同一次构建生成。",
                        "The graph and everything describing it, all made by the same build."),
    "downloads.dumps": ("图谱转储", "Graph dumps"),
    "downloads.void": ("数据集描述（VoID / DCAT）", "Dataset description (VoID / DCAT)"),
    "downloads.ontology": ("本体与约束", "Ontology and shapes"),
    "downloads.schemas": ("记录的 JSON Schema", "Record JSON Schemas"),
    "downloads.file": ("文件", "File"),
    "downloads.format": ("格式", "Format"),
    "downloads.size": ("大小", "Size"),
    "counts.triples": ("三元组", "triples"),
    "counts.relations": ("实体间关系", "relations between entities"),
    "counts.citations": ("引用", "citations"),
    "counts.measurements": ("测量值", "figures"),
    "counts.public_share": ("案例陈述有公开参考的比例", "case claims backed by a public reference"),
    "counts.disagreements": ("记录在案的来源分歧", "recorded disagreements between sources"),
    "counts.schemes": ("概念方案", "concept schemes"),
    "about": ("关于", "About"),
    "edit": ("编辑此页", "Edit this page"),
}

# Names for reused vocabulary: (zh, en, inverse zh, inverse en).
REUSED: dict[str, tuple[str, str, str, str]] = {
    "http://www.w3.org/2004/02/skos/core#broader": ("上位概念", "broader", "下位概念", "narrower"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("下位概念", "narrower", "上位概念", "broader"),
    "http://www.w3.org/2004/02/skos/core#related": ("相关概念", "related", "相关概念（反向）", "related from"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("所属方案", "in scheme", "方案中的概念", "concepts in this scheme"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": ("顶层概念于", "top concept of", "顶层概念",
                                                          "top concepts"),
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": ("顶层概念", "top concepts", "顶层概念于",
                                                           "top concept of"),
    "https://schema.org/creator": ("开发者", "developer", "开发的技术", "develops"),
    "http://purl.org/dc/terms/publisher": ("发布者", "publisher", "发布的来源", "publishes"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("来源", "derived from", "引用本来源的条目", "cited by"),
    "https://schema.org/sameAs": ("Wikidata", "Wikidata", "", ""),
    "https://schema.org/url": ("网址", "Web site", "", ""),
    "https://schema.org/codeRepository": ("代码仓库", "Code repository", "", ""),
    "https://schema.org/license": ("许可证", "Licence", "", ""),
    "https://schema.org/softwareVersion": ("版本", "Version", "", ""),
    "https://schema.org/version": ("版本", "Version", "", ""),
    "http://purl.org/dc/terms/identifier": ("标识符", "Identifier", "", ""),
    "http://purl.org/dc/terms/date": ("日期", "Date", "", ""),
    "http://purl.org/dc/terms/language": ("语言", "Language", "", ""),
    "http://purl.org/dc/terms/title": ("标题", "Title", "", ""),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("类型", "Type", "", ""),
}

# Inverse names for our own relations (the ontology labels only the forward direction).
INVERSE: dict[str, tuple[str, str]] = {
    "category": ("属于此类别的技术", "technologies in this category"),
    "implements": ("实现它的技术", "implemented by"),
    "integratesWith": ("与之集成的技术", "integrated with by"),
    "alternativeTo": ("视其为替代方案", "listed as an alternative by"),
    "successorOf": ("后继者", "succeeded by"),
    "writtenIn": ("用它编写的技术", "technologies written in it"),
    "uses": ("使用它的案例", "used in cases"),
    "applies": ("应用它的案例", "applied in cases"),
    "recommends": ("推荐它的评估", "recommended by"),
    "organization": ("该组织的案例", "cases of this organization"),
    "industry": ("该行业的案例与组织", "cases and organizations in this industry"),
    "scenario": ("针对该场景", "for this scenario"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The interface text `key` in `lang`, with `{name}` placeholders filled."""
    zh, en = UI[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"
