"""Observations from resolved mentions: the ``observations``, ``unresolved`` and ``indicators`` tables.

Each observation is one figure a document states about the province, for an indicator (composed from
concept, breakdown and measure) and year, with its kind (actual, estimate, plan, attainment), its period
(the whole year, or a part of it) and its provenance (document, line, quote). A stated attainment
("vượt 30% dự toán") belongs to the indicator of the level it refers to. Every mention that yields no
observation is in ``unresolved`` with the reason.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from indicators.read.catalog import Catalog
from indicators.read.numbers import decimals_of, parse_number
from indicators.read.resolve import REASONS, Resolution
from indicators.read.vocabulary import Vocabulary

COLUMNS = [
    "indicator_id",
    "year",
    "kind",
    "period",
    "as_of",
    "territory",
    "place",
    "value",
    "value_high",
    "denominator",
    "unit",
    "qualifier",
    "number_as_written",
    "unit_as_written",
    "concept",
    "measure",
    "breakdown",
    "doc_id",
    "line",
    "quote",
    "mention_id",
]
SORT = ["indicator_id", "year", "kind", "doc_id", "line", "mention_id"]
UNRESOLVED_COLUMNS = ["doc_id", "line", "mention_id", "text", "value", "unit", "cue", "kind", "year", "reason",
                      "subject", "quote"]


def compose(res: Resolution, vocab: Vocabulary) -> str:
    return vocab.compose(res.concept, res.members, res.measure, whole=res.whole, unit_tag=res.unit_tag,
                         reference=res.reference)


def _unit(res: Resolution, vocab: Vocabulary) -> str:
    """The canonical unit of the indicator a resolution composes."""
    m = res.mention
    measure_unit = vocab.measures[res.measure].get("unit")
    if res.measure == "contribution":
        return "pp" if m.unit in ("pp", "points", "") else m.unit
    if measure_unit:
        return measure_unit
    concept = vocab.concepts[res.concept]
    level_like = res.measure in ("level", "change", "average", "plan_gap", "plan_shortfall")
    if level_like and not res.unit_tag and m.unit not in ("", "%"):
        return concept.unit
    return m.unit or concept.unit


def identified(resolutions: list[Resolution], vocab: Vocabulary):
    """Each resolved figure with its indicator id and unit: (indicator_id, unit, resolution).

    A stated attainment takes the id of the level it refers to; a gap to plan ("thấp hơn 0,5% so với kế
    hoạch") the id of the figure just stated, with ``_below_plan`` (or ``_above_plan``)."""
    ids: dict[tuple[str, int], str] = {}
    levels: dict[tuple[str, int], tuple[str, Resolution]] = {}  # the last level-like figure of each sentence
    for res in resolutions:
        m = res.mention
        if not res.resolved:
            continue
        indicator_id = compose(res, vocab)
        unit = _unit(res, vocab)
        anchor = levels.get((m.doc_id, m.sentence_id))
        if res.measure in ("plan_gap", "plan_shortfall") and anchor and anchor[1].mention.unit == m.unit:
            suffix = vocab.measures[res.measure]["suffix"]
            indicator_id, res = f"{anchor[0]}_{suffix}", dataclasses.replace(
                res, concept=anchor[1].concept, members=anchor[1].members)
        elif res.measure in ("level", "rate", "share") and m.cue != "attainment":
            levels[(m.doc_id, m.sentence_id)] = (indicator_id, res)
        if m.cue == "attainment":
            indicator_id = ids.get((m.doc_id, m.anchor_id), indicator_id) if m.anchor_id != m.mention_id else (
                vocab.compose(res.concept, res.members, "level"))
            unit = "%"
        ids[(m.doc_id, m.mention_id)] = indicator_id
        yield indicator_id, unit, res


def observations(resolutions: list[Resolution], vocab: Vocabulary) -> pd.DataFrame:
    """One row per resolved figure about the province."""
    rows = []  # (as tuples: a list of dicts would take several times the memory)
    for indicator_id, unit, res in identified(resolutions, vocab):
        m = res.mention
        denominator = None
        if "/" in m.text and not m.text.startswith("/"):
            try:
                denominator = parse_number(m.text.split("/", 1)[1])
            except ValueError:
                denominator = None
        low, high = m.value, m.value_high
        if high is not None and high < low:  # "giảm 0,5-0,3 điểm", "15-10%": the range's bounds in order
            low, high = high, low
        rows.append((indicator_id, m.year, res.kind or m.kind, res.period, res.as_of, res.territory, res.place, low,
                     high, denominator, unit,
                     m.qualifier, m.text, m.unit_as_written, res.concept,
                     "attainment" if m.cue == "attainment" else res.measure, res.breakdown, m.doc_id, m.line, m.quote,
                     m.mention_id))  # (in the order of COLUMNS)
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"value": float, "value_high": float, "denominator": float, "year": "Int64", "line": int, "mention_id": int}
    )
    return frame.sort_values(SORT, ignore_index=True)


def unresolved(resolutions: list[Resolution]) -> pd.DataFrame:
    """The mentions that yield no observation, each with its reason."""
    rows = [(r.mention.doc_id, r.mention.line, r.mention.mention_id, r.mention.text, r.mention.value, r.mention.unit,
             r.mention.cue, r.mention.kind, r.mention.year, r.reason, r.mention.subject, r.mention.quote)
            for r in resolutions if not r.resolved]  # (in the order of UNRESOLVED_COLUMNS)
    frame = pd.DataFrame(rows, columns=UNRESOLVED_COLUMNS).astype({"value": float, "year": "Int64", "line": int,
                                                                   "mention_id": int})
    return frame.sort_values(["doc_id", "mention_id"], ignore_index=True)


def reason_counts(unresolved_table: pd.DataFrame) -> pd.DataFrame:
    """How many mentions yield no observation, by reason, with what each reason means."""
    counts = unresolved_table["reason"].value_counts().rename_axis("reason").reset_index(name="mentions")
    counts["meaning"] = counts["reason"].map(REASONS).fillna("")
    return counts


def worst_sentences(unresolved_table: pd.DataFrame, mentions_table: pd.DataFrame, sentences_table: pd.DataFrame, *,
                    n: int = 10) -> pd.DataFrame:
    """The sentences with the most mentions that yield no observation: where the reading fails most."""
    keyed = unresolved_table.merge(mentions_table[["doc_id", "mention_id", "sentence_id"]], on=["doc_id", "mention_id"])
    worst = keyed.groupby(["doc_id", "sentence_id"], as_index=False).agg(
        unresolved=("mention_id", "size"), line=("line", "min"),
        reasons=("reason", lambda r: ", ".join(sorted(set(r)))))
    worst = worst.sort_values(["unresolved", "doc_id", "line"], ascending=[False, True, True]).head(n)
    text = sentences_table[["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    worst = worst.merge(text, on=["doc_id", "sentence_id"], how="left")
    return worst[["doc_id", "line", "unresolved", "reasons", "sentence"]].reset_index(drop=True)


INDICATOR_COLUMNS = ["indicator_id", "name_vi", "name_en", "family", "unit", "direction", "decimals",
                     "description", "phrases", "plan_from", "concept", "measure", "breakdown", "curated"]


def _direction(concept_direction: str, measure: str) -> str:
    """Which way is better for a measure of a concept: a rank is better low; a decline of what is better low
    is better high."""
    if measure == "rank":
        return "lower"
    if measure in ("decline", "plan_shortfall") and concept_direction != "neutral":
        return "lower" if concept_direction == "higher" else "higher"
    return concept_direction


def indicators_table(resolutions: list[Resolution], vocab: Vocabulary, catalog: Catalog) -> pd.DataFrame:
    """One row per indicator: every id the documents give figures for and every id of the curated catalog.

    Names, family and direction are composed from the vocabulary; the curated catalog (``catalog.yml``)
    gives better names, units, decimals and descriptions where it has them."""
    composed: dict[str, dict] = {}
    for iid, unit, res in identified(resolutions, vocab):
        if res.mention.cue == "attainment":
            continue
        decimals = decimals_of(res.mention.text.split("-")[0].split("/")[0])
        if iid in composed:
            composed[iid]["decimals"] = max(composed[iid]["decimals"], min(decimals, 3))
            continue
        concept = vocab.concepts[res.concept]
        names = vocab.names(res.concept, res.members, res.measure, whole=res.whole, unit_tag=res.unit_tag,
                            reference=res.reference)
        composed[iid] = {
            "indicator_id": iid,
            **names,
            "family": concept.family,
            "unit": unit,
            "direction": _direction(concept.direction, res.measure),
            "decimals": min(decimals, 3),
            "description": f"Composed from the vocabulary: concept '{res.concept}'"
                           + (f", {res.breakdown}" if res.breakdown else "") + f", measure '{res.measure}'.",
            "phrases": "",
            "plan_from": "",
            "concept": res.concept,
            "measure": res.measure,
            "breakdown": res.breakdown,
            "curated": False,
        }
    for indicator in catalog.indicators:
        row = composed.setdefault(indicator.indicator_id, {"indicator_id": indicator.indicator_id, "concept": "",
                                                           "measure": "", "breakdown": ""})
        row.update({
            "name_vi": indicator.name_vi,
            "name_en": indicator.name_en,
            "family": indicator.family,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "decimals": indicator.decimals,
            "description": indicator.description,
            "phrases": " | ".join(indicator.phrases),
            "plan_from": (catalog.plan_from or {}).get(indicator.indicator_id, ""),
            "curated": True,
        })
    frame = pd.DataFrame(list(composed.values()), columns=INDICATOR_COLUMNS)
    return frame.sort_values("indicator_id", ignore_index=True)
