"""The build: raw documents → sentences → mentions → resolutions → observations, checked and written.

Every raw file's SHA-256 is checked first; every quote is checked against the raw text before
anything is written.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from indicators import paths, tables
from indicators.analyse import audits, comparisons, coverage, statements
from indicators.errors import IndicatorsError
from indicators.read import catalog as catalog_mod
from indicators.read import extract, mentions, outcomes, provenance, resolve, sources, text, vocabulary
from indicators.tables.publish import package_text
from indicators.tableset import PACKAGE_NAME

log = logging.getLogger(__name__)


def _sentences_table(sentences: list[text.Sentence]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "doc_id": s.doc_id,
                "sentence_id": s.sentence_id,
                "kind": s.kind,
                "footnote": s.footnote,
                "line_start": s.line_start,
                "line_end": s.line_end,
                "section": s.section,
                "text": s.text,
            }
            for s in sentences
        ]
    )
    frame["footnote"] = frame["footnote"].astype("Int64")
    return frame.sort_values(["doc_id", "sentence_id"], ignore_index=True)


def documents_table(registry: list[sources.Source]) -> pd.DataFrame:
    """The ``documents`` table: one row per registered document."""
    rows = [
        {
            "doc_id": s.doc_id,
            "file": s.file,
            "sha256": s.sha256,
            "title_vi": s.title_vi,
            "title_en": s.title_en,
            "short_title_vi": s.short_title_vi,
            "short_title_en": s.short_title_en,
            "issuer": s.issuer,
            "doc_type": s.doc_type,
            "issued": s.issued,
            "results_years": " ".join(map(str, s.results_years)),
            "target_years": " ".join(map(str, s.target_years)),
            "period": s.period,
        }
        for s in registry
    ]
    return pd.DataFrame(rows).sort_values(["issued", "doc_id"], ignore_index=True)


def build_tables(raw: Path | None = None, catalog_path: Path | None = None) -> dict[str, pd.DataFrame]:
    """Build every processed table in memory (nothing is written)."""
    registry = sources.load_registry(raw)
    if not registry:
        raise IndicatorsError(f"{Path(raw or paths.raw_dir()) / sources.REGISTRY}: no document is registered yet; add "
                              "one with `indicators add-source FILE`")
    catalog = catalog_mod.load_catalog(catalog_path)
    vocab = vocabulary.load_vocabulary(_vocabulary_path(catalog_path))
    all_sentences: list[text.Sentence] = []
    all_mentions: list[mentions.Mention] = []
    resolutions: list[resolve.Resolution] = []
    tokens: dict[str, list[list[str]]] = {}
    by_doc: dict[str, list[text.Sentence]] = {}
    for source in registry:
        raw_text = sources.read_text(source)
        tokens[source.doc_id] = provenance.raw_tokens(raw_text.split("\n"))
        doc_sentences = text.split_sentences(raw_text, source.doc_id)
        doc_mentions = mentions.document_mentions(doc_sentences, source)
        log.info("%s: %d sentences, %d numbers", source.doc_id, len(doc_sentences), len(doc_mentions))
        all_sentences += doc_sentences
        by_doc[source.doc_id] = doc_sentences
        all_mentions += doc_mentions
        resolutions += resolve.resolve_document(doc_sentences, doc_mentions, vocab, source)

    mention_frame = mentions.mentions_table(all_mentions)
    mention_frame = mention_frame.sort_values(["doc_id", "mention_id"], ignore_index=True)
    observation_frame = extract.observations(resolutions, vocab)
    indicator_frame = extract.indicators_table(resolutions, vocab, catalog)
    built = {
        "documents": documents_table(registry),
        "indicators": indicator_frame,
        "observations": observation_frame,
        "unresolved": extract.unresolved(resolutions),
        "outcomes": pd.concat([outcomes.read_outcomes(by_doc[s.doc_id], s, observation_frame, vocab)
                               for s in registry], ignore_index=True),
        "coverage": coverage.coverage_table(observation_frame, indicator_frame),
        "mentions": mention_frame,
        "sentences": _sentences_table(all_sentences),
    }
    del all_mentions, resolutions, all_sentences, by_doc  # (what is checked and analysed next is in the tables)
    check_provenance(built, tokens, raw or paths.raw_dir(), registry)
    built.update(analyse(built, catalog))
    return built


def _vocabulary_path(catalog_path: Path | None) -> Path | None:
    """The vocabulary beside a catalog given with ``--catalog`` (if there is one there), else the package's."""
    if catalog_path is None:
        return None
    beside = Path(catalog_path).with_name(vocabulary.VOCABULARY_PATH.name)
    return beside if beside.is_file() else None


def analyse(built: dict[str, pd.DataFrame], catalog: catalog_mod.Catalog) -> dict[str, pd.DataFrame]:
    """Statements (vintages, verdicts), then plan against actual, implied plans, revisions, audits and pace."""
    obs, docs, inds = built["observations"], built["documents"], built["indicators"]
    vintages = statements.vintages(obs, docs, statements.derived_values(obs, built["mentions"]))
    latest = statements.latest_results(vintages)
    implied = comparisons.implied_plans(obs, docs, inds)
    revision_table = audits.revisions(vintages, inds.set_index("indicator_id")["unit"])
    return {
        "latest_results": latest,
        "verdicts": statements.verdicts(obs, built["outcomes"]),
        "plan_vs_actual": comparisons.plan_vs_actual(obs, docs, inds, latest, built["outcomes"]),
        "implied_plans": implied,
        "revisions": revision_table,
        "audits": audits.audits(obs, inds, catalog, implied, vintages),
        "pace": comparisons.pace(obs, docs, inds, latest),
    }


def check_provenance(
    built: dict[str, pd.DataFrame], tokens: dict[str, list[list[str]]], raw: Path, registry: list[sources.Source]
) -> None:
    """Stop with the document, line and quote named if any quote is not in its raw document."""
    files = {s.doc_id: s.file for s in registry}
    checked: set[tuple] = set()  # (an observation's quote is its mention's: checked once)
    for name, numeral_column in (("observations", "number_as_written"), ("mentions", "text")):
        frame = built[name]
        rows = zip(*(frame[c].tolist() for c in ("doc_id", "line", "quote", numeral_column)), strict=True)
        for doc_id, line, quote, numeral in rows:
            if (doc_id, line, quote, numeral) in checked:
                continue
            checked.add((doc_id, line, quote, numeral))
            problem = provenance.check_quote(tokens[doc_id], int(line), quote, numeral)
            if problem:
                raise IndicatorsError(f"{Path(raw) / files[doc_id]}:{line}: {name}: {problem}: {quote!r}")


def build(
    raw: Path | None = None, out: Path | None = None, catalog_path: Path | None = None
) -> dict[str, pd.DataFrame]:
    """Build the processed tables and write them, with the data package, as one set in place of
    ``data/processed/`` (or ``out``)."""
    out = tables.output_folder(out)  # a wrong --out fails before the work
    tables.check_not_foreign(out)
    built = build_tables(raw, catalog_path)
    tables.write_set(built, out, {PACKAGE_NAME: package_text(built)})
    log.info("wrote %d tables and %s to %s", len(built), PACKAGE_NAME, out or paths.processed_dir())
    return built


def verify_committed(processed: Path | None = None, raw: Path | None = None) -> None:
    """Check the committed tables' quotes against the raw documents: each must still be on its line."""
    registry = sources.load_registry(raw)
    tokens = {s.doc_id: provenance.raw_tokens(sources.read_text(s).split("\n")) for s in registry}
    committed = {name: tables.load_table(name, processed) for name in ("observations", "mentions")}
    known = {s.doc_id for s in registry}
    for name, frame in committed.items():
        unknown = sorted(set(frame["doc_id"]) - known)
        if unknown:
            raise IndicatorsError(f"{Path(processed or paths.processed_dir()) / name}.parquet: document(s) "
                                  f"{', '.join(unknown)} not in the registry; run `indicators build`")
    check_provenance(committed, tokens, raw or paths.raw_dir(), registry)


def stale_tables(committed: Path | None = None, catalog_path: Path | None = None) -> list[str]:
    """What differs between the committed table set and what the build produces now: every table in both
    formats (CSV byte for byte, Parquet by content), the data package, files missing, and tables of the set
    there that the build no longer writes. (Files that no build wrote are :func:`tables.foreign_files`.)"""
    committed = Path(committed) if committed else paths.processed_dir()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "processed"
        build(out=fresh, catalog_path=catalog_path)
        ours = {p.name for p in committed.iterdir()} - set(tables.foreign_files(committed)) \
            if committed.is_dir() else set()
        return [name for name in sorted({p.name for p in fresh.iterdir()} | ours)
                if not _same(committed / name, fresh / name)]


def _same(committed: Path, fresh: Path) -> bool:
    if not committed.is_file() or not fresh.is_file():
        return False
    if committed.suffix != ".parquet":
        return committed.read_bytes() == fresh.read_bytes()
    try:
        return pq.read_table(committed).equals(pq.read_table(fresh))
    except (OSError, ValueError):  # a damaged or truncated file
        return False
