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


# ------------------------------------------------------- the per-level files read by Arrow

import pyarrow as pa  # noqa: E402

from civicgraph.io import divisions as _divisions  # noqa: E402
from tests._pandas_divisions import pandas_read_folder  # noqa: E402

#: A folder of the five NBS files: two provinces, Hefei (two districts) and Wuhu in Anhui,
#: Fuzhou in Fujian; a community name with a comma, as the NBS files quote names.
SMALL = {
    "provinces": ["34,安徽省", "35,福建省"],
    "cities": ["3401,合肥市", "3402,芜湖市", "3501,福州市"],
    "areas": ["340102,瑶海区", "340104,蜀山区", "340202,镜湖区", "350102,鼓楼区"],
    "streets": [
        "340102001,明光路街道",
        "340104001,三里庵街道",
        "340202001,弋江路街道",
        "350102001,鼓东街道",
    ],
    "villages": [
        '340102001001,"胜利,社区居委会"',
        "340102001201,大郢村委会",
        "340104001001,安居苑社区居委会",
        "340202001001,鸠兹社区居委会",
        "350102001001,华大社区居委会",
    ],
}


def _write_folder(folder, rows=SMALL, *, suffix=".csv.gz", encoding="utf-8", header=None):
    """The five files of ``rows`` (header ``code,name`` unless given) in ``folder``."""
    import bz2
    import gzip
    import lzma
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    for stem, lines in rows.items():
        head = header or ("code,name,provinceCode" if stem != "provinces" else "code,name")
        if stem != "provinces" and not header:
            lines = [f"{line},{line[:2]}" for line in lines]
        data = ("\n".join([head, *lines]) + "\n").encode(encoding)
        path = folder / f"{stem}{suffix}"
        if suffix == ".csv.gz":
            path.write_bytes(gzip.compress(data))
        elif suffix == ".csv.bz2":
            path.write_bytes(bz2.compress(data))
        elif suffix == ".csv.xz":
            path.write_bytes(lzma.compress(data))
        elif suffix == ".csv.zip":
            with zipfile.ZipFile(path, "w") as z:
                z.writestr(f"{stem}.csv", data)
        else:
            path.write_bytes(data)
    return folder


def _both(monkeypatch, folder, within):
    """``division_tables`` (or its problems) by the Arrow path, then by the old reader."""
    out = []
    for reader in (None, pandas_read_folder):
        with monkeypatch.context() as m:
            if reader is not None:
                m.setattr(_divisions, "_read_folder", reader)
            try:
                out.append(_divisions.division_tables(folder, within=within))
            except cg.ValidationError as exc:
                out.append(
                    [(p.code, p.template, p.file, p.row, p.value, str(p.ctx)) for p in exc.problems]
                )
    return out


def _assert_same(new, old):
    if isinstance(old, list):
        assert new == old
        return
    for a, b in zip(new[:2], old[:2]):
        assert a.dtypes.to_dict() == b.dtypes.to_dict()  # categories included
        # categoricals compared by their codes (pandas compares them value by value: ~40 s
        # for the national tables)
        cats = [c for c in a.columns if isinstance(a[c].dtype, pd.CategoricalDtype)]
        pd.testing.assert_frame_equal(
            a.assign(**{c: a[c].cat.codes for c in cats}),
            b.assign(**{c: b[c].cat.codes for c in cats}),
        )
    assert [p.tolist() for p in new[2]] == [p.tolist() for p in old[2]]


@pytest.mark.parametrize(
    ("within", "ids"),
    [
        (None, None),
        ("34", ["34", "3401", "340102", "340102001", "340102001001", "340102001201",
                "340104", "340104001", "340104001001",
                "3402", "340202", "340202001", "340202001001"]),
        ("3401", ["3401", "340102", "340102001", "340102001001", "340102001201",
                  "340104", "340104001", "340104001001"]),
        ("340100", ["3401", "340102", "340102001", "340102001001", "340102001201",
                    "340104", "340104001", "340104001001"]),
        ("340100000000", ["3401", "340102", "340102001", "340102001001", "340102001201",
                          "340104", "340104001", "340104001001"]),
        ("340104", ["340104", "340104001", "340104001001"]),
        ("340102001", ["340102001", "340102001001", "340102001201"]),
        ("340102001000", ["340102001", "340102001001", "340102001201"]),
        ("340102001201", ["340102001201"]),
        ("35", ["35", "3501", "350102", "350102001", "350102001001"]),
        ("芜湖市", ["3402", "340202", "340202001", "340202001001"]),
        ("合肥市蜀山区", ["340104", "340104001", "340104001001"]),
    ],
)  # fmt: skip
def test_within_on_small_folder(tmp_path, monkeypatch, within, ids):
    folder = _write_folder(tmp_path / "div")
    g = cg.read_divisions(folder, within=within)
    if ids is None:
        assert g.n_nodes == 2 + 3 + 4 + 4 + 5
    else:
        assert list(g.ids) == ids
    _assert_same(*_both(monkeypatch, folder, within))


def test_quoted_names_and_kinds(tmp_path, monkeypatch):
    rows = dict(SMALL, villages=[*SMALL["villages"], '340104001002,"两行\n名字"'])
    folder = _write_folder(tmp_path / "div", rows)
    g = cg.read_divisions(folder, within="3401")
    nodes = g.nodes
    assert nodes.loc["340102001001", "name"] == "胜利,社区居委会"
    assert nodes.loc["340104001002", "name"] == "两行\n名字"
    assert nodes.loc["340102001001", "urban"]
    assert not nodes.loc["340102001201", "urban"]
    assert nodes.loc["340102001", "street_kind"] == "street_office"
    assert nodes.loc["340104", "county_kind"] == "city_district"
    _assert_same(*_both(monkeypatch, folder, "3401"))


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zip"])
def test_every_compression(tmp_path, monkeypatch, suffix):
    folder = _write_folder(tmp_path / "div", suffix=suffix)
    for stem in _divisions.DIVISION_FILES.values():  # read by Arrow, not by the fallback
        table = _divisions._arrow_csv(folder / f"{stem}{suffix}")
        assert table.column_names == ["code", "name"]
        assert table.num_rows == len(SMALL[stem])
    g = cg.read_divisions(folder, within="3401")
    assert g.counts()["admin"] == {
        "total": 8, "city": 1, "district": 2, "street": 2, "community": 3,
    }  # fmt: skip
    assert g.nodes.loc["340102001001", "name"] == "胜利,社区居委会"
    _assert_same(*_both(monkeypatch, folder, "3401"))


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_gbk_files_fall_back(tmp_path, monkeypatch, suffix):
    folder = _write_folder(tmp_path / "div", suffix=suffix, encoding="gbk")
    with pytest.raises(pa.ArrowInvalid, match="invalid UTF8"):
        _divisions._arrow_csv(folder / f"streets{suffix}")
    g = cg.read_divisions(folder, within="3401")
    assert g.nodes.loc["340102001", "name"] == "明光路街道"
    assert g.nodes.loc["340102001001", "name"] == "胜利,社区居委会"
    _assert_same(*_both(monkeypatch, folder, "3401"))
    _assert_same(*_both(monkeypatch, folder, None))


def test_bom_and_names_first(tmp_path, monkeypatch):
    rows = {k: [",".join(reversed(x.rsplit(",", 1))) if k == "provinces" else x for x in v]
            for k, v in SMALL.items()}  # fmt: skip
    folder = _write_folder(tmp_path / "div", rows, encoding="utf-8-sig")
    (folder / "provinces.csv.gz").unlink()
    (folder / "provinces.csv").write_text("name,code\n安徽省,34\n福建省,35\n", encoding="utf-8-sig")
    g = cg.read_divisions(folder, within="34")
    assert g.nodes.loc["34", "name"] == "安徽省"
    assert g.nodes.loc["3401", "name"] == "合肥市"
    _assert_same(*_both(monkeypatch, folder, "34"))


def test_problem_rows_with_within(tmp_path, monkeypatch):
    """Bad and repeated codes name their file row (header row 1) whether or not they are
    under ``within``: the checks run on every row of the files read, as before."""
    villages = [
        *SMALL["villages"],  # rows 2-6
        "34010200100,短一位",  # row 7: bad, under 3401
        "340102001001,重复",  # row 8: repeats row 2
        "3501020010x1,坏码",  # row 9: bad, in Fujian
        "350102001001,重复",  # row 10: repeats row 6, in Fujian
        " 340104001003 ,带空格",  # row 11: a code with spaces is read stripped
    ]
    folder = _write_folder(tmp_path / "div", dict(SMALL, villages=villages))
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(folder, within="3401")
    got = [(p.code, p.file, p.row, p.value) for p in info.value.problems]
    assert got == [
        ("bad_division_code", "villages.csv.gz", 7, "34010200100"),
        ("bad_division_code", "villages.csv.gz", 9, "3501020010x1"),
        ("duplicate_id", "villages.csv.gz", 8, "340102001001"),
        ("duplicate_id", "villages.csv.gz", 10, "350102001001"),
    ]
    _assert_same(*_both(monkeypatch, folder, "3401"))
    # only the ones outside: still reported
    outside = [*SMALL["villages"], "3501020010x1,坏码", "350102001001,重复"]
    folder = _write_folder(tmp_path / "out", dict(SMALL, villages=outside))
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(folder, within="3401")
    assert [(p.code, p.row) for p in info.value.problems] == [
        ("bad_division_code", 7),
        ("duplicate_id", 8),
    ]
    _assert_same(*_both(monkeypatch, folder, "3401"))
    # a code written twice in two files, and a code with spaces, under within
    streets = [*SMALL["streets"], "340102001,又一次"]
    spaced = [*SMALL["villages"], " 340104001003 ,带空格"]
    folder = _write_folder(tmp_path / "two", dict(SMALL, streets=streets, villages=spaced))
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(folder, within="340102")
    assert [(p.code, p.file, p.row) for p in info.value.problems] == [
        ("duplicate_id", "streets.csv.gz", 6),
    ]
    _assert_same(*_both(monkeypatch, folder, "340102"))
    # a code in the wrong file repeats one of the right file (reported there, the later)
    cities = [*SMALL["cities"], "340102,瑶海区"]
    folder = _write_folder(tmp_path / "cross", dict(SMALL, cities=cities))
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(folder, within="3401")
    assert [(p.code, p.file, p.row) for p in info.value.problems] == [
        ("duplicate_id", "areas.csv.gz", 2),
    ]
    _assert_same(*_both(monkeypatch, folder, "3401"))
    folder = _write_folder(tmp_path / "spaced", dict(SMALL, villages=spaced))
    g = cg.read_divisions(folder, within="340104")
    assert list(g.ids) == ["340104", "340104001", "340104001001", "340104001003"]
    _assert_same(*_both(monkeypatch, folder, "340104"))


def test_unknown_code_and_broken_files(tmp_path, monkeypatch):
    folder = _write_folder(tmp_path / "div")
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(folder, within="3403")
    (p,) = info.value.problems
    assert (p.template, p.ctx) == (
        "unknown_division.within",
        {"within": "3403", "example": "3401"},
    )
    _assert_same(*_both(monkeypatch, folder, "3403"))
    _assert_same(*_both(monkeypatch, folder, "340102002"))
    # a quote never closed: reported as before, not read as the rest of the file
    broken = [*SMALL["villages"], '340104001002,"未完']
    folder = _write_folder(tmp_path / "open", dict(SMALL, villages=broken), suffix=".csv")
    with pytest.raises(cg.ValidationError) as info:
        cg.read_divisions(folder, within="3401")
    assert [p.code for p in info.value.problems] == ["not_csv"]
    _assert_same(*_both(monkeypatch, folder, "3401"))
    # a row of another width: Arrow refuses it, pandas reads it (no name), as before
    short = [*SMALL["villages"], "340104001002"]
    folder = _write_folder(tmp_path / "short", dict(SMALL, villages=short), suffix=".csv")
    (folder / "villages.csv").write_text(
        "code,name,provinceCode\n" + "\n".join([*SMALL["villages"], "340104001002"]) + "\n"
    )
    with pytest.raises(pa.ArrowInvalid):
        _divisions._arrow_csv(folder / "villages.csv")
    g = cg.read_divisions(folder, within="340104")
    assert list(g.ids) == ["340104", "340104001", "340104001001", "340104001002"]
    assert pd.isna(g.nodes.loc["340104001002", "name"])
    _assert_same(*_both(monkeypatch, folder, "340104"))


@pytest.mark.national
@pytest.mark.parametrize("within", ["34", "3401", "340223", None])
def test_national_same_as_the_pandas_reader(divisions_path, monkeypatch, within):
    new, old = _both(monkeypatch, divisions_path, within)
    _assert_same(new, old)
    assert len(new[0]) == {"34": 20_155, "3401": 1_946, "340223": 183, None: 665_276}[within]
