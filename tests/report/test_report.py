"""cg.report: sections, counts, language, escaping and offline structure of the page."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.catalog import translator
from civicgraph.report.html import SECTIONS
from tests._pages import HOSTILE, HOSTILE_UNIT

KEYS = [key for key, _ in SECTIONS]
#: Every placeholder the language tables use, filled with "{name}" to compare them.
FIELDS = {k: "{" + k + "}" for k in ("n", "shown", "total", "level", "name", "reason",
                                      "nodes", "edges", "version", "date", "error", "path",
                                      "size", "diff", "year", "covered", "of", "share",
                                      "units", "streets", "hubs", "end", "value", "unit",
                                      "communities")}  # fmt: skip


def sections(page: str) -> dict[str, str]:
    """Section id -> its HTML."""
    parts = re.findall(r'<section id="(\w+)" class="cg-section">(.*?)</section>', page, re.S)
    return dict(parts)


def fake_gaps(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"name": [HOSTILE] + [f"社区{i}" for i in range(1, n)], "level": "community",
         "hops": range(n), "priority": [1.0 / (i + 1) for i in range(n)]},
        index=pd.Index([f"c{i}" for i in range(n)], name="id"),
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_with_its_heading(toy, lang):
    t = translator(lang)
    page = cg.report(toy, lang=lang)
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    found = sections(page)
    assert list(found) == KEYS == [
        "headline", "summary", "coverage", "map", "gaps", "placement", "centrality", "funding",
        "trend", "rules", "network",
    ]  # fmt: skip
    for key, body in found.items():
        assert body.strip().startswith(f"<h2>{t(key)}</h2>")
    assert t("graph_size", nodes="18", edges="18") in page
    assert f"<title>{t('report_title')}</title>" in page


def test_offline_one_copy_of_each_library(toy):
    page = cg.report(toy)
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)\s*=", page)
    assert page.count("* plotly.js v") == 1
    assert page.count(" * vis-network\n") == 1
    assert page.count('class="cg-network"') == 1


def test_tables_escape_names_and_count_rows(toy, monkeypatch):
    monkeypatch.setattr("civicgraph.metrics.gaps.gaps", lambda g, **kw: fake_gaps(30))
    page = cg.report(toy, lang="en", top=20)
    gaps = sections(page)["gaps"]
    assert "30 uncovered units; the 20 with the highest priority are listed." in gaps
    assert "20 of 30 rows shown." in gaps
    assert gaps.count("<tr>") == 21  # header + 20 rows
    assert re.search(r"<td( class=\"long\")?>&lt;script&gt;alert\(1\)&lt;/script&gt;</td>", gaps)
    assert "<th>hops</th>" in gaps and "<th>priority</th>" in gaps
    assert "<th>level</th>" not in gaps  # every gap is a community: the column is left out


def test_code_columns_translated_names_kept(toy, monkeypatch):
    hubs = pd.DataFrame(
        {"name": ["hub_one"], "role": ["hub"], "pagerank": [0.5], "betweenness_samples": [9]},
        index=pd.Index(["H1"], name="id"),
    )
    monkeypatch.setattr("civicgraph.metrics.centrality.hub_centrality", lambda g, **kw: hubs)
    zh = sections(cg.report(toy, lang="zh"))["centrality"]
    assert "<td>枢纽型组织</td>" in zh and "<td>hub_one</td>" in zh
    assert "<th>PageRank</th>" in zh and "betweenness" not in zh
    en = sections(cg.report(toy, lang="en"))["centrality"]
    assert "<td>hub</td>" in en and "<td>hub_one</td>" in en


def test_hostile_names_never_reach_the_page_as_markup(toy):
    nodes, edges = toy.to_frames()
    nodes = nodes.reset_index() if "id" not in nodes.columns else nodes
    nodes.loc[nodes["id"] == "H1", "name"] = HOSTILE
    nodes.loc[nodes["id"] == "990101001", "name"] = HOSTILE_UNIT
    page = cg.report(cg.CivicGraph.from_frames(nodes, edges))
    assert "<script>alert" not in page and "alert(1)</script>" not in page
    assert "<img src=x" not in page


def test_missing_metric_or_failing_metric_leaves_a_note(toy, monkeypatch):
    monkeypatch.delattr("civicgraph.metrics.centrality.hub_centrality")

    def broken(g, **kw):
        raise cg.SchemaError("the graph has no <communities>; read divisions first")

    monkeypatch.setattr("civicgraph.metrics.rules.check_rules", broken)
    found = sections(cg.report(toy, lang="en"))
    assert (
        "Not available: this version of civicgraph has no hub_centrality()" in found["centrality"]
    )
    assert (
        "Not available: the graph has no &lt;communities&gt;; read divisions first"
        in found["rules"]
    )
    assert "cgDrawNetwork" in found["network"]  # the rest is still written


def test_a_bug_in_a_section_warns_and_the_rest_is_written(toy, monkeypatch):
    def buggy(g, **kw):
        raise TypeError("bad <index>")

    monkeypatch.setattr("civicgraph.metrics.placement.place_hubs", buggy)
    with pytest.warns(RuntimeWarning, match="the report's 'placement' section failed"):
        page = cg.report(toy, lang="en")
    found = sections(page)
    assert (
        "an internal error (TypeError: bad &lt;index&gt;); please report it" in found["placement"]
    )
    assert "cgDrawNetwork" in found["network"]


def test_writes_only_with_a_path(toy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = cg.report(toy, lang="en")
    assert list(tmp_path.iterdir()) == []
    cg.report(toy, path=tmp_path / "r.html", lang="en")
    written = (tmp_path / "r.html").read_text("utf-8")
    assert written == page  # the same page: figure and network ids are not random


def test_unknown_language(toy):
    with pytest.raises(cg.SchemaError, match="unknown language 'fr'"):
        cg.report(toy, lang="fr")


def test_language_tables_match():
    zh, en = translator("zh"), translator("en")
    assert zh.keys == en.keys
    for key in zh.keys:  # same placeholders in both languages (word order may differ)
        assert sorted(re.findall(r"\{(\w+)\}", zh(key, **FIELDS))) == sorted(
            re.findall(r"\{(\w+)\}", en(key, **FIELDS))
        )
    assert set(zh._data["columns"]) == set(en._data["columns"])
