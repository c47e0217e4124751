"""Vocabulary terms as Python names, so a misspelt predicate fails at import.

`SA` lists every term of `ontology/stackatlas.ttl`; a test checks the two agree
in both directions. Other vocabularies come from rdflib's own namespaces.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

BASE = "https://w3id.org/stackatlas/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
DATASET_GRAPH = BASE + "graph"  # the named graph `kg publish` replaces in an external store
SCHEMA = SDO


class SA(DefinedNamespace):
    """Stack Atlas's own terms (`sa:`); everything else is reused."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Technology: URIRef
    Case: URIRef
    Source: URIRef
    SourceDocument: URIRef
    PublicReference: URIRef
    VendorCaseStudy: URIRef
    Paper: URIRef
    Assessment: URIRef
    Benchmark: URIRef
    FitMatrix: URIRef
    Comparison: URIRef
    RecommendedStack: URIRef
    SelectionModel: URIRef
    CostComparison: URIRef
    Statement: URIRef
    Usage: URIRef
    Application: URIRef
    Measurement: URIRef
    Rating: URIRef
    Component: URIRef
    Weight: URIRef
    Note: URIRef
    Remark: URIRef
    TechnologyStatus: URIRef
    SupportingQuote: URIRef
    CitationCheck: URIRef
    CheckOutcome: URIRef
    CitationOk: URIRef
    QuoteMissing: URIRef
    Redirected: URIRef
    DeadLink: URIRef
    Unreachable: URIRef
    RobotsDisallowed: URIRef
    UnreadablePage: URIRef
    NoQuote: URIRef
    PackageCoordinate: URIRef
    Alternative: URIRef
    Guide: URIRef
    LearningPath: URIRef
    FaqEntry: URIRef
    PathStep: URIRef
    ExecutableModel: URIRef
    QueueingModel: URIRef
    AvailabilityModel: URIRef
    Simulation: URIRef
    ModelCheck: URIRef
    CostModel: URIRef
    WorkflowNetModel: URIRef
    ModelClaim: URIRef
    DecisionRule: URIRef
    Adoption: URIRef
    Suitability: URIRef
    Combination: URIRef
    Target: URIRef
    Citation: URIRef
    Rank: URIRef
    Section: URIRef
    RoadmapTask: URIRef
    QuantityKind: URIRef
    Duration: URIRef
    Ratio: URIRef
    Factor: URIRef
    DataVolume: URIRef
    DataRate: URIRef
    CostRate: URIRef
    UnitCost: URIRef
    EventRate: URIRef
    Count: URIRef
    PreferredRank: URIRef
    NormalRank: URIRef
    DeprecatedRank: URIRef
    EvidenceLevel: URIRef
    DocumentsOnly: URIRef
    PublicReferenceEvidence: URIRef
    VendorCaseStudyEvidence: URIRef
    PaperEvidence: URIRef
    # properties
    rank: URIRef
    documentsView: URIRef
    doi: URIRef
    dependsOn: URIRef
    partOf: URIRef
    forkOf: URIRef
    compatibleWith: URIRef
    status: URIRef
    asOf: URIRef
    package: URIRef
    registry: URIRef
    packageName: URIRef
    alternativeConsidered: URIRef
    lesson: URIRef
    step: URIRef
    level: URIRef
    aboutConcept: URIRef
    aboutTechnology: URIRef
    aboutCase: URIRef
    illustrates: URIRef
    illustratesTechnology: URIRef
    illustratesCase: URIRef
    usesFigure: URIRef
    sourceFile: URIRef
    claim: URIRef
    claimName: URIRef
    defect: URIRef
    holds: URIRef
    hasSection: URIRef
    quantityKind: URIRef
    baseUnit: URIRef
    counts: URIRef
    normalisedValue: URIRef
    normalisedMin: URIRef
    normalisedMax: URIRef
    parentSection: URIRef
    sectionNumber: URIRef
    section: URIRef
    roadmapTask: URIRef
    taskNumber: URIRef
    horizon: URIRef
    itemCount: URIRef
    checkedItemCount: URIRef
    checked: URIRef
    reportsOn: URIRef
    rankReason: URIRef
    evidenceLevel: URIRef
    publiclyBacked: URIRef
    statedByDocuments: URIRef
    category: URIRef
    implements: URIRef
    integratesWith: URIRef
    alternativeTo: URIRef
    successorOf: URIRef
    writtenIn: URIRef
    uses: URIRef
    applies: URIRef
    recommends: URIRef
    organization: URIRef
    industry: URIRef
    scenario: URIRef
    usage: URIRef
    application: URIRef
    measurement: URIRef
    rating: URIRef
    component: URIRef
    weight: URIRef
    note: URIRef
    citation: URIRef
    technology: URIRef
    concept: URIRef
    metric: URIRef
    configuration: URIRef
    criterion: URIRef
    dimension: URIRef
    locator: URIRef
    qualifier: URIRef
    textValue: URIRef
    condition: URIRef
    role: URIRef
    score: URIRef
    scaleMax: URIRef
    noteKind: URIRef
    year: URIRef
    challenge: URIRef
    outcome: URIRef
    originalTitle: URIRef
    file: URIRef
    accessed: URIRef
    supportingQuote: URIRef
    fromCase: URIRef
    quoteText: URIRef
    seenOn: URIRef
    seenAt: URIRef
    checkOf: URIRef
    checkedOn: URIRef
    checkOutcome: URIRef
    httpStatus: URIRef
    finalUrl: URIRef
    quoteFound: URIRef
    checkDetail: URIRef
    archivedCopy: URIRef
    archivedOn: URIRef
    previousOutcome: URIRef
    previousCheckedOn: URIRef
    rule: URIRef
    adoption: URIRef
    suitability: URIRef
    statedType: URIRef
    combination: URIRef
    target: URIRef
    when: URIRef
    after: URIRef
    choose: URIRef
    pageRank: URIRef
    community: URIRef


PREFIXES: dict[str, Namespace] = {
    "sa": Namespace(BASE + "ontology#"),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "schema": Namespace(str(SDO)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)),
    "sh": Namespace(str(SH)),
    "technology": Namespace(BASE + "technology/"),
    "concept": Namespace(BASE + "concept/"),
    "case": Namespace(BASE + "case/"),
    "organization": Namespace(BASE + "organization/"),
    "source": Namespace(BASE + "source/"),
    "assessment": Namespace(BASE + "assessment/"),
    "guide": Namespace(BASE + "guide/"),
    "model": Namespace(BASE + "model/"),
}


def expand(curie: str) -> URIRef:
    """`sa:uses` → full IRI; `sa:` terms go through `SA` so typos raise.

    >>> str(expand("sa:uses"))
    'https://w3id.org/stackatlas/ontology#uses'
    >>> expand("sa:usez")
    Traceback (most recent call last):
    ...
    AttributeError: term 'usez' not in namespace 'https://w3id.org/stackatlas/ontology#'
    """
    prefix, _, local = curie.partition(":")
    if prefix == "sa":
        return getattr(SA, local)
    return PREFIXES[prefix][local]


def entity_iri(kind: str, record_id: str) -> URIRef:
    """The published, never-changing IRI of a record."""
    return URIRef(f"{BASE}{kind}/{record_id}")


def split_entity_iri(iri: str) -> tuple[str, str] | None:
    """(kind, id) of an entity IRI, or None for anything else (statement nodes included).

    >>> split_entity_iri(entity_iri("technology", "apache-kafka"))
    ('technology', 'apache-kafka')
    >>> split_entity_iri("https://w3id.org/stackatlas/case/coinbase#uses-1") is None
    True
    """
    if not iri.startswith(BASE) or "#" in iri:
        return None
    kind, _, record_id = iri[len(BASE):].partition("/")
    if not record_id or "/" in record_id:
        return None
    return kind, record_id
