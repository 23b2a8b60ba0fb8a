import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.catalog import label, translate_frame


def test_translate_frame_headers_and_codes():
    df = pd.DataFrame(
        {"name": ["hub", "红梅社区"], "role": ["hub", "member"], "share": [0.25, 1.0]},
        index=pd.Index(["a", "b"], name="id"),
    )
    zh = translate_frame(df, "zh")
    assert list(zh.columns) == ["名称", "类型", "覆盖率"]
    assert zh.index.name == "编号"
    assert zh["类型"].tolist() == ["枢纽型组织", "社区社会组织"]
    assert zh["名称"].tolist() == ["hub", "红梅社区"]  # names are never translated
    en = translate_frame(df, "en")
    assert list(en.columns) == ["name", "role", "share"]


def test_unknown_language():
    with pytest.raises(cg.SchemaError, match="unknown language 'fr'"):
        label("share", "fr")


def _catalog(lang):
    from civicgraph.catalog import entries

    return entries(lang)


def test_every_key_has_both_languages():
    zh, en = _catalog("zh"), _catalog("en")
    assert sorted(set(zh) - set(en)) == [], "keys with Chinese text only"
    assert sorted(set(en) - set(zh)) == [], "keys with English text only"
    assert len(zh) > 150


def test_both_languages_take_the_same_fields():
    """A template may use only fields the other language's template (or, for a fix, its
    problem's message) is given: the two never need different values."""
    from civicgraph.catalog import fields

    zh, en = _catalog("zh"), _catalog("en")

    def given(table, key):
        out = set(fields(table[key]))
        if key.endswith(".fix"):
            out |= fields(table.get(key[: -len("fix")] + "message", ""))
        return out

    differ = {
        k: (sorted(fields(zh[k])), sorted(fields(en[k])))
        for k in zh
        if not (fields(zh[k]) <= given(en, k) and fields(en[k]) <= given(zh, k))
    }
    assert differ == {}


def test_no_text_is_empty_and_chinese_is_chinese():
    zh, en = _catalog("zh"), _catalog("en")
    assert [k for k in zh if not str(zh[k]).strip()] == []
    assert [k for k in en if not str(en[k]).strip()] == []
    # a Chinese sentence that is the English one copied over is a missing translation
    # (terms of headline tables keep the English phrase as the key and en value)
    copied = [
        k
        for k in zh
        if zh[k] == en[k]
        and any(c.isalpha() and c.isascii() for c in zh[k])
        and k.split(".")[1] not in {"terms"}
    ]
    allowed = {"report.text.pagerank", "labels.columns.pagerank"}
    assert sorted(set(copied) - allowed) == []


def test_text_fills_fields_and_refuses_unknown_keys():
    from civicgraph.catalog import text

    assert (
        text("report.text.network_note", "zh", shown=3, total=10)
        == "图中含 3 个节点（共 10 个），合并的区划双击可展开。"
    )
    with pytest.raises(KeyError):
        text("report.text.no_such_key", "en")


def test_every_problem_template_in_the_source_is_in_the_catalog():
    """Each ``template="..."`` a reader writes, and each problem code written without one,
    names words of the catalog (message and fix), in both languages."""
    import re
    from pathlib import Path

    from civicgraph.catalog import entries

    root = Path(cg.__file__).parent
    source = "\n".join(
        p.read_text("utf-8") for part in ("io", "model") for p in (root / part).rglob("*.py")
    )
    names = set(re.findall(r'template="([a-z_.]+)"', source))
    names |= set(re.findall(r'"template": "([a-z_.]+)"', source))
    names |= set(re.findall(r'else "([a-z_]+\.[a-z_]+)"', source))
    codes = set(re.findall(r'code="([a-z_]+)"', source)) - {"invalid"}
    # codes whose words are always a template of their own kind of problem
    templated = {
        "unknown_program_type": "unknown_value",
        "encoding": "encoding.unknown",
        "bad_credit_code": "bad_credit_code.check",
        "unknown_division": "unknown_division.name",
        "urban_contradicts_code": "urban_contradicts_code.village",
    }
    assert len(names) >= 18 and len(codes) >= 25
    for lang in ("zh", "en"):
        have = entries(lang)
        missing = [n for n in names if f"problems.{n}.message" not in have]
        missing += [c for c in codes - set(templated) if f"problems.{c}.message" not in have]
        missing += [c for c in templated.values() if f"problems.{c}.message" not in have]
        assert missing == [], lang


def test_every_summary_item_has_chinese_words():
    """The headline table's words (items like ``city districts: urban communities`` too)
    read in Chinese wherever the report or the command line shows them."""
    import re

    from civicgraph.catalog import translator

    t = translator("zh")
    s = cg.summary(cg.datasets.wuhu())
    shown = [t.term(v) for col in ("section", "item") for v in s[col].unique()]
    english = [w for w in shown if re.search(r"[A-Za-z]{3,}", w.replace("PageRank", ""))]
    assert english == []
