import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.datasets import wuhu_divisions_path
from civicgraph.io._codes import parent_code, short_code, street_kind, urban_community


def test_national_counts(national):
    c = national.counts()["admin"]
    assert c == {
        "total": 665_276,
        "province": 31,
        "city": 342,
        "district": 2_978,
        "street": 41_352,
        "community": 620_573,
    }
    comm = national.mask(level="community")
    assert int((national.urban & comm).sum()) == 124_650
    assert national.n_edges == 665_276 - 31  # every unit but the provinces has a parent


def test_wuhu_within(divisions_path):
    g = cg.read_divisions(divisions_path, within="3402")
    assert g.counts()["admin"] == {
        "total": 1_039,
        "city": 1,
        "district": 9,
        "street": 79,
        "community": 950,
    }
    assert int(g.urban.sum()) == 320
    nodes = g.nodes
    assert nodes.loc["3402", "name"] == "芜湖市"
    assert nodes.loc["340202", "name"] == "镜湖区"


def test_within_matches_graph_within(national, divisions_path):
    assert national.within("3402") == cg.read_divisions(divisions_path, within="3402")


def test_embedded_wuhu_file_is_the_real_subset(divisions_path):
    embedded = cg.read_divisions(wuhu_divisions_path(), within="3402")
    assert embedded == cg.read_divisions(divisions_path, within="3402")


def test_parents_inferred_from_hand_picked_codes(national):
    nodes = national.nodes
    tree = national.tree
    ids = national.ids
    for child, parent in [
        ("340202012001", "340202012"),  # 方塘社区 -> 方村街道 (Wuhu)
        ("340202012", "340202"),
        ("340202", "3402"),
        ("3402", "34"),
        ("110101001001", "110101001"),
        ("350527000000", "350527000"),  # Kinmen's placeholder community
    ]:
        assert parent_code(child) == parent
        assert ids[tree.parent[national.positions([child])[0]]] == parent
    assert nodes.loc["34", "name"] == "安徽省"


def test_single_csv_infers_missing_parents(tmp_path):
    p = tmp_path / "codes.csv"
    p.write_text(
        "code,name\n340202001001,甲社区居委会\n340202001201,乙村委会\n340200000000,芜湖市\n",
        encoding="gbk",
    )
    g = cg.read_divisions(p)
    assert list(g.ids) == ["34", "3402", "340202", "340202001", "340202001001", "340202001201"]
    assert g.counts()["admin"]["community"] == 2
    assert g.nodes.loc["3402", "name"] == "芜湖市"
    assert pd.isna(g.nodes.loc["340202", "name"])
    assert g.nodes.loc["340202001001", "urban"]
    assert not g.nodes.loc["340202001201", "urban"]


def test_bad_codes_are_all_reported(tmp_path):
    p = tmp_path / "codes.csv"
    p.write_text("code,name\n3402,芜湖市\n34020,bad\nabc,bad\n3402,again\n", encoding="utf-8")
    with pytest.raises(cg.ValidationError, match="row 3, column 'code': not a division") as e:
        cg.read_divisions(p)
    codes = [pr.code for pr in e.value.problems]
    assert codes == ["bad_division_code", "bad_division_code", "duplicate_id"]
    assert [pr.row for pr in e.value.problems] == [3, 4, 5]


def test_missing_files(tmp_path):
    with pytest.raises(cg.DataNotFoundError, match="no division data"):
        cg.read_divisions(tmp_path / "nope")
    (tmp_path / "provinces.csv").write_text("code,name\n34,安徽省\n")
    with pytest.raises(cg.DataNotFoundError, match="villages.csv"):
        cg.read_divisions(tmp_path)


def test_within_unknown_code(divisions_path):
    with pytest.raises(cg.ValidationError, match="no division code starts with '9999'"):
        cg.read_divisions(divisions_path, within="9999")


def test_code_rules():
    codes = pd.Series(["340202001001", "340202001199", "340202001200", "340202001399"])
    assert urban_community(codes).tolist() == [True, True, False, False]
    streets = pd.Series(["340202001", "340202099", "340202100", "340202250", "340202400"])
    assert street_kind(streets).tolist() == [
        "street_office",
        "street_office",
        "town",
        "township",
        "other",
    ]
    assert short_code("340202000000") == "340202"


def test_tree_ranges_are_contiguous(national):
    tree = national.tree
    comm = national.mask(level="community")
    # every community's chain of ancestors contains it in their ranges
    rank = tree.community_rank()
    for code in ["3402", "340202", "11", "350527"]:
        p = national.positions([code])[0]
        lo, hi = tree.comm_lo[p], tree.comm_hi[p]
        under = tree.communities[lo:hi]
        assert all(national.ids[q].startswith(code) for q in under)
        n_prefix = int((pd.Series(national.ids[comm]).str.startswith(code)).sum())
        assert hi - lo == n_prefix
        assert (rank[under] == np.arange(lo, hi)).all()


@pytest.fixture(scope="module")
def three_provinces(national, tmp_path_factory):
    """Anhui, Beijing and Jilin down to the streets, as one CSV (read in milliseconds)."""
    nodes = national.nodes.reset_index()
    ids = nodes["id"].astype(str)
    keep = ids.str[:2].isin(["11", "22", "34"]) & (ids.str.len() <= 9)
    path = tmp_path_factory.mktemp("div") / "codes.csv"
    nodes.loc[keep, ["id", "name"]].rename(columns={"id": "code"}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("within", "top"),
    [
        ("34", "34"),
        ("3401", "3401"),
        ("340100", "3401"),
        ("340100000000", "3401"),
        ("合肥市", "3401"),
        ("安徽省合肥市", "3401"),
        ("蜀山区", "340104"),
        ("合肥市蜀山区", "340104"),
        ("安徽省合肥市蜀山区", "340104"),
        ("北京市朝阳区", "110105"),  # the municipality's 市辖区 left out
        ("北京市市辖区朝阳区", "110105"),
        ("340104000", "340104"),
    ],
)
def test_within_by_code_or_name(three_provinces, within, top):
    g = cg.read_divisions(three_provinces, within=within)
    levels = g.nodes["level"]
    assert g.nodes.index[levels == levels.min()].tolist() == [top]


def test_within_on_the_national_folder(divisions_path):
    by_name = cg.read_divisions(divisions_path, within="合肥市蜀山区")
    assert by_name == cg.read_divisions(divisions_path, within="340104000000")
    assert by_name.counts()["admin"] == {
        "total": 98, "district": 1, "street": 12, "community": 85,
    }  # fmt: skip
    assert cg.read_divisions(divisions_path, within="三里庵街道").counts()["admin"]["street"] == 1


def test_within_ambiguous_or_unknown_name(three_provinces):
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(three_provinces, within="朝阳区")
    (p,) = info.value.problems
    assert (p.code, p.template) == ("ambiguous_division", "ambiguous_division.within")
    assert p.ctx["candidates"] == ["北京市朝阳区 110105", "吉林省长春市朝阳区 220104"]
    assert "北京市朝阳区 110105、吉林省长春市朝阳区 220104" in p.render("zh")
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(three_provinces, within="合肥")
    (p,) = info.value.problems
    assert p.template == "unknown_division.within_name"
    assert p.ctx["example"] == "长春市"  # the user's own divisions, never Wuhu
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(three_provinces, within="34010")
    (p,) = info.value.problems
    assert (p.template, p.ctx["example"]) == ("bad_division_code.within", "2201")
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(three_provinces, within="3499")
    assert info.value.problems[0].ctx["example"] == "3401"  # nearest code at that level
    assert "芜湖" not in info.value.render("zh") and "Wuhu" not in str(info.value)
