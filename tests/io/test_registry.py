"""Reading, validating and writing organization registries (xlsx and CSV folders)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.io._values import fold, parse_amount, parse_date
from civicgraph.io.registry import _HEADER_LOOKUP, COLUMNS
from civicgraph.schema import HEADER_ALIASES

# 滨江社区居民委员会 is in 镜湖区 (340202015005) and in 弋江区 中南街道 (340209001010)
BINJIANG = ("340202015005", "340209001010")
FANGTANG = "340202012001"  # 方塘社区居民委员会, 方村街道, 镜湖区
GOOD_CODE = "91350100M000100Y43"  # GB 32100 example; check character 3


@pytest.fixture(scope="module")
def wuhu() -> cg.CivicGraph:
    return cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")


def xlsx(path, sheets: dict[str, list[list]]):
    """A workbook with one sheet per key; strings are stored as text, never formulas."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


def csvs(folder, files: dict[str, list[list]], encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    for stem, rows in files.items():
        text = "\n".join(",".join("" if x is None else str(x) for x in r) for r in rows) + "\n"
        (folder / f"{stem}.csv").write_bytes(text.encode(encoding))
    return folder


def without_provenance(g):
    n, e = g.to_frames()
    return (
        n.drop(columns=[c for c in n if c.startswith("src_")]),
        e.drop(columns=[c for c in e if c.startswith("src_")]),
    )


def problems_of(path, wuhu):
    with pytest.raises(cg.ValidationError) as info:
        cg.read_registry(path, divisions=wuhu)
    return info.value


def where(err) -> set:
    return {(p.sheet, p.row, p.column, p.code) for p in err.problems}


ORGS_ZH = [
    ["编号", "组织名称", "组织类型", "统一社会信用代码", "所在社区", "成立日期", "电话"],
    ["K", "芜湖市社会组织培育中心", "培育中心", None, "3402", dt.datetime(2014, 5, 1), "0553"],
    ["H1", "滨江社区联合会", "联合会", None, "中南街道滨江社区", "2018年6月", None],
    ["M1", "志华爱心团队", "社区社会组织", None, 340209001010, 43708, None],
    [None, "慈航社会组织服务中心", "运营机构", GOOD_CODE, None, "2019/8/31", None],
]
TIES_ZH = [
    ["来源", "对象", "关系类型", "开始日期"],
    ["K", "H1", "孵化", "2018-06-01"],
    ["M1", "H1", "加入", None],
    [GOOD_CODE, "K", "运营", None],
    ["H1", "中南街道滨江社区", "服务", "2019年8月31日"],
]
FUNDING_ZH = [
    ["来源", "对象", "金额（万元）", "日期", "子项目"],
    ["P1", "H1", "1.2", "2019/8/31", "=SUM(A1:A9)"],
    ["P2", "340209001010000", None, None, None],  # filled in below per test
]
PROGRAMS_ZH = [
    ["编号", "项目名称", "项目类型", "资助层级", "年度"],
    ["P1", "市级公益创投", "公益创投", "市", 2019],
    ["P2", "三社联动示范社区", "三社联动示范社区奖补", "市级", 2019],
]


def full_workbook(path):
    funding = [FUNDING_ZH[0], FUNDING_ZH[1], ["P2", "中南街道滨江社区", 30, "2019年8月", None]]
    return xlsx(path, {"组织": ORGS_ZH, "关系": TIES_ZH, "资金": funding, "项目": PROGRAMS_ZH})


# ----------------------------------------------------------------------------- values


def test_fold_matches_header_forms():
    assert fold("金额(元)") == fold("金额（元）") == fold(" 金额 【元】 ")
    assert _HEADER_LOOKUP[fold("金额（万元）")] == "amount_wan"
    assert _HEADER_LOOKUP[fold("Start Date")] == "start"


def test_header_aliases_do_not_collide():
    seen: dict[str, str] = {}
    for canon, names in HEADER_ALIASES.items():
        for name in (canon, *names):
            assert seen.setdefault(fold(name), canon) == canon, name


def test_written_headers_are_read_back():
    from civicgraph.io._values import match_header

    for cols in COLUMNS.values():
        for col, zh, *_ in cols:
            want = "amount" if col == "amount" else col
            assert match_header(f"{zh} / {col}", _HEADER_LOOKUP) == want
            assert match_header(zh, _HEADER_LOOKUP) == want, zh


@pytest.mark.parametrize(
    ("text", "yuan"),
    [("1.2万", 12000.0), ("12,000", 12000.0), ("1,200.50", 1200.5), ("3万元", 30000.0)],
)
def test_parse_amount(text, yuan):
    assert parse_amount(text) == yuan


def test_parse_amount_wan_and_bad():
    assert parse_amount("0.35", wan=True) == 3500.0
    assert parse_amount("about 5") is None
    assert np.isnan(parse_amount(""))


@pytest.mark.parametrize(
    "value",
    ["2019-08-31", "2019/8/31", "2019年8月31日", "2019.8.31", 43708, dt.datetime(2019, 8, 31)],
)
def test_parse_date(value):
    assert parse_date(value) == pd.Timestamp(2019, 8, 31)


def test_parse_date_month_and_bad():
    assert parse_date("2019年8月") == pd.Timestamp(2019, 8, 1)
    assert parse_date("2019年13月") is None
    assert parse_date("soon") is None


@pytest.mark.parametrize(
    ("value", "day", "why"),
    [
        ("2019", "2019-01-01", None),  # a year alone: its first day, not a serial
        (2018, "2018-01-01", None),
        (2018.0, "2018-01-01", None),
        ("2019年", "2019-01-01", None),
        (1, "1900-01-01", None),  # Excel serials as Excel shows them
        (59, "1900-02-28", None),
        (60, None, "excel_1900"),  # Excel's 29 February 1900
        (61, "1900-03-01", None),
        (43708, "2019-08-31", None),
        ("31/08/2019", "2019-08-31", None),
        ("8/31/2019", "2019-08-31", None),
        ("05/05/2019", "2019-05-05", None),
        ("08/09/2019", None, "ambiguous"),
        ("19-8-31", None, "short_year"),
        ("now", None, "bad"),
        ("today", None, "bad"),
        ("yesterday", None, "bad"),
        ("2300-01-01", None, "range"),
        ("1600-01-01", None, "range"),
        (dt.datetime(2300, 1, 1), None, "range"),
        ("9999-12-31", None, "no_end"),
        (dt.date(9999, 12, 31), None, "no_end"),
        ("2019-08-31T10:30:00", "2019-08-31", None),
        (True, None, "bad"),
        (float("inf"), None, "bad"),
    ],
)
def test_read_date_exact_or_refused(value, day, why):
    from civicgraph.io._values import read_date

    got, reason = read_date(value)
    assert reason == why
    assert (None if got is None else str(got.date())) == day


@pytest.mark.parametrize(
    ("value", "yuan", "why"),
    [
        ("1,234,567.5", 1234567.5, None),
        ("1,2", None, "separator"),
        ("1.234,56", None, "separator"),
        ("12,0000", None, "separator"),
        ("1e400", None, "too_large"),
        ("-1e400", None, "too_large"),
        (1e300, None, "too_large"),
        ("NaN", None, "bad"),
        ("1.2e4", 12000.0, None),
        ("1.2万", 12000.0, None),
    ],
)
def test_read_amount_exact_or_refused(value, yuan, why):
    from civicgraph.io._values import read_amount

    assert read_amount(value) == (yuan, why)


def test_invisible_characters_leave_ids():
    from civicgraph.io._values import invisible, normalize_id

    for c in ("\u200b", "\ufeff", "\u2060", "\u00ad", "\u200e"):
        assert normalize_id(f"H{c}1{c}") == "H1"
        assert invisible(f"H1{c}") == [f"U+{ord(c):04X}"]
    assert normalize_id("滨江\u200d社区") == "滨江社区"


def test_big5_is_not_read_as_gb18030(tmp_path):
    from civicgraph.io._tables import read_csv_any

    text = "id,name\nH1,方塘社區聯合會\nM1,愛心團隊\n"
    (tmp_path / "big5.csv").write_bytes(text.encode("big5"))
    (tmp_path / "gbk.csv").write_bytes(
        text.replace("社區聯合會", "社区联合会").replace("愛心團隊", "爱心团队").encode("gbk")
    )
    assert read_csv_any(tmp_path / "big5.csv")["name"].tolist() == ["方塘社區聯合會", "愛心團隊"]
    assert read_csv_any(tmp_path / "gbk.csv")["name"].tolist() == ["方塘社区联合会", "爱心团队"]


def test_exports_keep_years_integer_and_parquet_exact(tmp_path, wuhu):
    import networkx as nx

    folder = csvs(
        tmp_path / "reg",
        {
            "organizations": [["id", "name", "role", "start"], ["h1", "Hub", "hub", "2019-08-31"]],
            "programs": [
                ["id", "name", "year", "funder"],
                ["p1", "P", "2019", "h1"],
                ["p2", "Q", "", "h1"],
            ],
        },
    )
    g = cg.read_registry(folder, divisions=wuhu)
    assert cg.read_parquet(cg.write_parquet(g, tmp_path / "pq")) == g
    G = nx.read_graphml(cg.write_graphml(g, tmp_path / "g.graphml"))
    assert (G.nodes["p1"]["year"], G.nodes["h1"]["start"]) == (2019, "2019-08-31")
    assert "year" not in G.nodes["p2"]
    assert nx.read_gexf(cg.write_gexf(g, tmp_path / "g.gexf")).nodes["p1"]["year"] == 2019
    link = {n["id"]: n for n in cg.write_node_link(g)["nodes"]}
    assert (link["p1"]["year"], link["h1"]["start"]) == (2019, "2019-08-31")
    assert g.to_networkx().nodes["h1"]["start"] == pd.Timestamp("2019-08-31")
    # a year column of floats (None beside 2019) is stored as whole numbers
    h = cg.CivicGraph.from_frames(
        pd.DataFrame(
            {
                "id": ["34", "p"],
                "kind": ["admin", "program"],
                "level": ["province", None],
                "year": [None, 2019],
            }
        )  # fmt: skip
    )
    assert str(h._nodes["year"].dtype) == "Int64"
    assert type(h.to_networkx().nodes["p"]["year"]) is int


# ----------------------------------------------------------------------------- reading


def test_read_chinese_workbook(tmp_path, wuhu):
    g = cg.read_registry(full_workbook(tmp_path / "r.xlsx"), divisions=wuhu)
    n = g.nodes
    assert g.n_nodes == wuhu.n_nodes + 6
    assert n.loc[["K", "H1", "M1", GOOD_CODE], "role"].tolist() == [
        "center",
        "hub",
        "member",
        "operator",
    ]
    assert n.loc[["K", "H1", "M1", GOOD_CODE], "start"].tolist() == [
        pd.Timestamp(2014, 5, 1),
        pd.Timestamp(2018, 6, 1),
        pd.Timestamp(2019, 8, 31),
        pd.Timestamp(2019, 8, 31),
    ]
    # the credit code stands in for a blank id and tells who registered the org
    assert n.loc[GOOD_CODE, ["registrar_code", "registrar_level"]].tolist() == ["3501", "city"]
    assert n.loc["K", "电话"] == "0553"  # unknown columns are kept, as text
    assert n.loc["P2", ["program_type", "funder_level", "year"]].tolist() == [
        "demonstration_award",
        "city",
        2019,
    ]
    e = g.edges[g.edges.kind != "contains"]
    got = list(zip(e.source, e.target, e.kind, e.amount.fillna(-1)))
    assert got == [
        ("K", "3402", "located_in", -1),
        ("H1", BINJIANG[1], "located_in", -1),
        ("M1", BINJIANG[1], "located_in", -1),
        ("K", "H1", "incubates", -1),
        ("M1", "H1", "member_of", -1),
        (GOOD_CODE, "K", "operates", -1),
        ("H1", BINJIANG[1], "serves", -1),
        ("P1", "H1", "funds", 12000.0),
        ("P2", BINJIANG[1], "awards", 300000.0),
    ]
    assert e.start.iloc[-1] == pd.Timestamp(2019, 8, 1)
    assert e.project.iloc[-2] == "=SUM(A1:A9)"
    # provenance: spreadsheet rows
    assert n.loc["M1", ["src_sheet", "src_row"]].tolist() == ["组织", 4]
    assert e[["src_sheet", "src_row"]].iloc[-1].tolist() == ["资金", 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_read_csv_folder_chinese_encodings(tmp_path, wuhu, encoding):
    folder = csvs(
        tmp_path / "reg",
        {
            "组织": [
                ["编号", "组织名称", "组织类型", "所在社区"],
                ["h1", "方塘社区联合会", "枢纽型社会组织", "方塘社区"],
                ["m1", "方塘舞蹈队", "社区社会组织", FANGTANG],
            ],
            "关系": [["来源", "对象", "关系类型"], ["m1", "h1", "会员"]],
            "资金": [
                ["来源", "对象", "金额(元)", "资金用途"],
                ["h1", "m1", '"1,200.50"', "购买服务"],
            ],
        },
        encoding=encoding,
    )
    g = cg.read_registry(folder, divisions=wuhu)
    assert g.nodes.loc["h1", "name"] == "方塘社区联合会"
    e = g.edges.iloc[wuhu.n_edges :]
    assert e[["source", "target", "kind"]].values.tolist() == [
        ["h1", FANGTANG, "located_in"],
        ["m1", FANGTANG, "located_in"],
        ["m1", "h1", "member_of"],
        ["h1", "m1", "funds"],
    ]
    assert e.amount.iloc[-1] == 1200.5
    assert e.purpose.iloc[-1] == "购买服务"
    assert g.nodes.loc["h1", "src_file"].endswith("组织.csv")


def test_read_csv_english_headers(tmp_path, wuhu):
    folder = csvs(
        tmp_path / "reg",
        {
            "organizations": [
                [" ID ", "Name", "ROLE", "Division_Code", "Start Date", "End"],
                ["h1", "Hub", "hub", FANGTANG, "2019-01-01", "2020-01-01"],
            ],
            "ties": [["source", "target", "kind"]],
            "funding": [["source", "target", "amount (万元)"]],
        },
    )
    g = cg.read_registry(folder, divisions=wuhu)
    assert g.nodes.loc["h1", ["role", "division_code", "end"]].tolist() == [
        "hub",
        FANGTANG,
        pd.Timestamp(2020, 1, 1),
    ]


def test_ambiguous_and_unknown_divisions(tmp_path, wuhu):
    path = xlsx(
        tmp_path / "r.xlsx",
        {
            "organizations": [
                ["id", "name", "role", "community"],
                ["a", "A", "hub", "滨江社区"],
                ["b", "B", "hub", "没有这个社区"],
                ["c", "C", "hub", "340299999999"],
                ["d", "D", "hub", "镜湖区 赭麓街道"],  # a street, its district before it
            ]
        },
    )
    err = problems_of(path, wuhu)
    assert where(err) == {
        ("organizations", 2, "community", "ambiguous_division"),
        ("organizations", 3, "community", "unknown_division"),
        ("organizations", 4, "community", "unknown_division"),
    }
    amb = err.problems[0]
    assert f"{BINJIANG[0]} (" in amb.message and f"{BINJIANG[1]} (中南街道" in amb.message
    assert re.search(r"r\.xlsx, sheet 'organizations', row 2, column 'community'", str(err))
    g = cg.read_registry(path, divisions=wuhu, validate=False)
    assert g.nodes.loc[["a", "d"], "division_code"].fillna("-").tolist() == ["-", "340202014"]


def test_every_problem_kind_at_once(tmp_path, wuhu):
    bad_code = GOOD_CODE[:-1] + "4"
    path = xlsx(
        tmp_path / "bad.xlsx",
        {
            "组织": [
                [
                    "编号",
                    "组织名称",
                    "组织类型",
                    "统一社会信用代码",
                    "所在区划代码",
                    "成立日期",
                    "注销日期",
                ],
                ["H1", "hub", "联合会", bad_code, FANGTANG, "2019-01-01", "2018-01-01"],  # 2
                ["Ｈ1 ", "same id, full width", "hub", None, None, None, None],  # 3
                [None, "no id", "member", None, None, None, None],  # 4
                ["M1", "member", "boss", None, "340299", "someday", None],  # 5
                ["M2", "member", "member", None, None, None, None],  # 6
            ],
            "关系": [
                ["来源", "对象", "关系类型"],
                ["M1", "M2", "孵化"],  # 2
                ["M2", "M1", "孵化"],  # 3  cycle
                ["M1", "NOBODY", "会员"],  # 4
                ["M1", "H1", "likes"],  # 5
            ],
            "资金": [
                ["来源", "对象", "金额（元）"],
                ["H1", "M1", "-500"],  # 6
                ["H1", "M2", "lots"],  # 3
            ],
            "备注": [["whatever"]],
        },
    )
    err = problems_of(path, wuhu)
    assert where(err) == {
        ("组织", 2, "统一社会信用代码", "bad_credit_code"),
        ("组织", 2, "注销日期", "end_before_start"),
        ("组织", 3, "编号", "duplicate_id"),
        ("组织", 4, "编号", "missing_id"),
        ("组织", 5, "组织类型", "unknown_role"),
        ("组织", 5, "所在区划代码", "unknown_division"),
        ("组织", 5, "成立日期", "bad_date"),
        ("关系", 2, "对象", "cycle"),
        ("关系", 3, "对象", "cycle"),
        ("关系", 4, "对象", "missing_node"),
        ("关系", 5, "关系类型", "unknown_edge_kind"),
        ("资金", 2, "金额（元）", "negative_amount"),
        ("资金", 3, "金额（元）", "not_a_number"),
        ("备注", None, None, "unknown_sheet"),
    }
    text = str(err)
    assert "14 problems" in text
    assert re.search(
        r"bad\.xlsx, sheet '组织', row 2, column '统一社会信用代码': invalid unified social "
        r"credit code: check character is 4, should be 3",
        text,
    )
    assert re.search(
        r"row 3, column '编号': duplicate node id: row 2 of 组织 has the same id "
        r"\(they differ only by spaces, full-width forms or invisible characters\)",
        text,
    )
    assert (
        "sheet '关系', row 4, column '对象': edge target is not a known node (value: 'NOBODY')"
        in text
    )
    assert "value: 'boss'" in text
    frame = err.to_frame()
    assert list(frame.columns) == [
        "file",
        "sheet",
        "row",
        "column",
        "value",
        "code",
        "message",
        "fix",
    ]
    assert frame.equals(cg.validate(path, divisions=wuhu))
    # validate=False returns the graph as read, the unreadable cells missing
    g = cg.read_registry(path, divisions=wuhu, validate=False)
    m1 = g._nodes[g._nodes["id"] == "M1"]
    assert m1["role"].isna().all() and m1["start"].isna().all()
    assert np.isnan(g.edges.amount.iloc[-1])


def test_validate_clean_and_without_divisions(tmp_path, wuhu):
    path = full_workbook(tmp_path / "r.xlsx")
    clean = cg.validate(path, divisions=wuhu)
    assert clean.empty
    assert list(clean.columns) == [
        "file",
        "sheet",
        "row",
        "column",
        "value",
        "code",
        "message",
        "fix",
    ]
    # without divisions codes stand on their own, names cannot be resolved
    bare = cg.validate(path)
    assert set(bare.code) == {"unknown_division", "missing_node"}
    assert sorted(bare.row[bare.code == "unknown_division"]) == [3]


def test_missing_organizations_sheet(tmp_path, wuhu):
    path = xlsx(tmp_path / "r.xlsx", {"ties": [["source", "target", "kind"]]})
    err = problems_of(path, wuhu)
    assert [p.code for p in err.problems] == ["missing_sheet"]
    (tmp_path / "r.txt").write_text("x")
    with pytest.raises(cg.SchemaError, match="neither an .xlsx workbook nor a folder"):
        cg.read_registry(tmp_path / "r.txt", divisions=wuhu)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(cg.ValidationError, match="broken.xlsx: cannot open the workbook"):
        cg.read_registry(tmp_path / "broken.xlsx", divisions=wuhu)
    with pytest.raises(cg.DataNotFoundError, match="no registry at"):
        cg.read_registry(tmp_path / "nothing.xlsx", divisions=wuhu)


# ----------------------------------------------------------------------------- writing


@pytest.mark.parametrize("target", ["out.xlsx", "out_csv"])
def test_write_read_round_trip(tmp_path, wuhu, target):
    g = cg.read_registry(full_workbook(tmp_path / "r.xlsx"), divisions=wuhu)
    out = cg.write_registry(g, tmp_path / target)
    back = cg.read_registry(out, divisions=wuhu)
    n1, e1 = without_provenance(g)
    n2, e2 = without_provenance(back)
    pd.testing.assert_frame_equal(n1, n2)
    pd.testing.assert_frame_equal(e1, e2)
    assert back.nodes.loc["H1", "src_row"] == 3


def test_written_workbook_keeps_formulas_as_text(tmp_path, wuhu):
    g = cg.read_registry(full_workbook(tmp_path / "r.xlsx"), divisions=wuhu)
    out = cg.write_registry(g, tmp_path / "out.xlsx", lang="en")
    ws = openpyxl.load_workbook(out)["funding"]
    header = [c.value for c in ws[1]]
    assert header[:4] == [
        "来源 / source",
        "对象 / target",
        "关系类型 / kind",
        "金额（元） / amount",
    ]
    cell = ws.cell(row=2, column=header.index("子项目 / project") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(A1:A9)", "s", True)


def test_template(tmp_path, wuhu):
    path = cg.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["README", "组织", "项目", "关系", "资金"]
    ws = wb["组织"]
    assert ws["B1"].value == "组织名称 / name"
    assert ws["A2"].value.startswith("#")
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"C2:C5000": '"培育中心,枢纽型组织,社工机构,社区社会组织,运营机构,政府部门"'}
    assert "编号 / id" in [c.value for c in wb["README"]["B"]]
    # the template as written: its example rows are comments, not reported, and it is
    # not yet an empty registry (that is a 组织 sheet without any row)
    assert cg.validate(path, divisions=wuhu).empty
    # a filled-in template reads
    ws.append(["h9", "方塘社区联合会", "枢纽型组织", None, FANGTANG, "2019-08-31", None])
    wb.save(path)
    g = cg.read_registry(path, divisions=wuhu)
    assert g.nodes.loc["h9", ["role", "src_row"]].tolist() == ["hub", 3]
    en = openpyxl.load_workbook(cg.write_template(tmp_path / "en.xlsx", lang="en"))
    assert en.sheetnames == ["README", "organizations", "programs", "ties", "funding"]
    with pytest.raises(cg.SchemaError, match="lang must be"):
        cg.write_template(tmp_path / "x.xlsx", lang="fr")


def _cells(wb) -> list[str]:
    return [str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c]


def test_template_in_chinese_names_the_users_city(tmp_path, divisions_path):
    """With divisions (here 洛阳市, from the real files), the example rows name the city's
    first community and its civil-affairs bureau, nothing of Wuhu; the README sheet is in
    Chinese throughout, and the template as written is still no problem."""
    luoyang = cg.read_divisions(divisions_path, within="洛阳市")
    path = cg.write_template(tmp_path / "t.xlsx", divisions=luoyang)
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["组织"][2]][:5] == [
        "#hub-001", "承福门社区社会组织联合会", "枢纽型组织", "", "410302001001",
    ]  # fmt: skip
    assert luoyang.nodes.loc["410302001001", "name"] == "承福门社区居民委员会"
    assert wb["项目"]["E2"].value == "mca-4103"
    cells = _cells(wb)
    assert not [c for c in cells if "3402" in c or "芜湖" in c or "滨江" in c]
    assert cg.validate(path, divisions=luoyang).empty  # (the example row: no comment_rows)
    readme = list(wb["README"].iter_rows(values_only=True))
    head = readme.index(("工作表", "表头", "填写内容", "必填", "示例", "说明"))
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for row in readme[:head] + readme[head + 1 :]:  # every sentence and word in Chinese
        if row[0] in ("组织", "项目", "关系", "资金"):  # a column: its type, required, meaning
            words = [row[2], row[3], row[5]]
        else:  # a line of the introduction, or a column's values
            words = [row[0], row[2]]
        assert all(w is None or cjk.search(w) for w in words), row
    assert readme[head + 3][:5] == ("组织", "组织类型 / role", "组织类型", None, "枢纽型组织")
    assert readme[-4][:2] == ("可选值", "组织类型 / role")
    assert "yes" not in cells and "values" not in cells
    # without divisions, the generic example; in English, the same table in English
    en = openpyxl.load_workbook(cg.write_template(tmp_path / "en.xlsx", lang="en"))
    readme = list(en["README"].iter_rows(values_only=True))
    assert ("sheet", "header", "type", "required", "example", "meaning") in readme
    assert ("organizations", "组织类型 / role", "role", None, "hub") in [r[:5] for r in readme]


def test_template_catalog_has_every_column():
    """The README sheet's words of every column and type are in the catalog, both languages."""
    from civicgraph.catalog import has
    from civicgraph.io.registry.headers import COLUMNS
    from civicgraph.io.registry.write import _type_key

    for lang in ("zh", "en"):
        for sheet, cols in COLUMNS.items():
            for col, _, typ, *_ in cols:
                assert has(f"template.meaning.{sheet}.{col}", lang), (sheet, col, lang)
                assert has(f"template.type.{_type_key(typ)}", lang)


def test_sheet_specific_headers_and_extras(tmp_path, wuhu):
    # 类型 is a program type on programs, a tie kind on ties; 项目名称 on funding is the
    # project; unknown headers on tie sheets are kept as edge attributes
    folder = csvs(
        tmp_path / "reg",
        {
            "organizations": [["id", "name", "role"], ["h1", "Hub", "hub"], ["m1", "M", "member"]],
            "programs": [["编号", "项目名称", "类型"], ["p1", "微创投", "微公益创投"]],
            "ties": [["来源", "对象", "类型", "联系人"], ["m1", "h1", "member_of", "王"]],
            "funding": [["来源", "对象", "项目名称", "金额"], ["p1", "m1", "舞蹈", "1.2万"]],
        },
    )
    g = cg.read_registry(folder, divisions=wuhu)
    assert g.nodes.loc["p1", "program_type"] == "micro_venture_philanthropy"
    e = g.edges.iloc[wuhu.n_edges :]
    assert e[["kind", "联系人", "project"]].astype(object).fillna("-").values.tolist() == [
        ["member_of", "王", "-"],
        ["funds", "-", "舞蹈"],
    ]
    assert e.amount.tolist()[1] == 12000.0


def test_format_doc_lists_every_alias_and_problem_code():
    from pathlib import Path

    from civicgraph import schema
    from civicgraph.io import registry

    doc = (Path(__file__).parents[2] / "docs" / "registry-format.md").read_text()
    for table in ("HEADER_ALIASES", "ROLE_ALIASES", "EDGE_KIND_ALIASES", "SHEET_ALIASES"):
        for canon, names in getattr(schema, table).items():
            missing = [n for n in (canon, *names) if n not in doc]
            assert not missing, (table, canon, missing)
    source = "".join(f.read_text() for f in Path(registry.__file__).parent.glob("*.py"))
    codes = set(re.findall(r'code="(\w+)"', source))
    assert len(codes) >= 21  # the reader's problem codes, from every step of the package
    assert sorted(c for c in codes if f"{c}" not in doc) == []


def test_template_funding_kinds_and_empty_sheets(tmp_path, wuhu):
    wb = openpyxl.load_workbook(cg.write_template(tmp_path / "t.xlsx", lang="en"))
    (dv,) = wb["funding"].data_validations.dataValidation
    assert (str(dv.sqref), dv.formula1) == ("C2:C5000", '"funds,awards"')
    # sheets with a header only, or nothing at all, are empty tables; a registry
    # without any organization is a problem
    path = xlsx(tmp_path / "e.xlsx", {"organizations": [["id", "name", "role"]], "ties": []})
    with pytest.raises(cg.ValidationError, match="the registry has no organization"):
        cg.read_registry(path, divisions=wuhu)
    g = cg.read_registry(path, divisions=wuhu, validate=False)
    assert (g.n_nodes, g.n_edges) == (wuhu.n_nodes, wuhu.n_edges)
    assert g._nodes[list(wuhu._nodes.columns)].equals(wuhu._nodes)
    assert cg.validate(tmp_path / "e.xlsx")["code"].tolist() == ["empty_registry"]
    path = xlsx(
        tmp_path / "t.xlsx",
        {"organizations": [["id", "name", "role"], ["a", "A", "hub"]], "ties": []},
    )
    assert cg.validate(path).empty


def test_extra_date_cells_never_wrap_around():
    """Date cells in a column civicgraph does not know: dates as dates, a 9999-12-31
    (长期) keeps the column as ISO text, time-of-day cells are text."""
    from civicgraph.io.registry.cells import _extra

    cells = pd.Series([dt.datetime(2019, 1, 1), dt.date(2020, 2, 2), None], dtype=object)
    assert _extra(cells).tolist()[:2] == [pd.Timestamp("2019-01-01"), pd.Timestamp("2020-02-02")]
    far = pd.Series([dt.datetime(9999, 12, 31), dt.datetime(2019, 1, 1, 10, 30)], dtype=object)
    assert _extra(far).tolist() == ["9999-12-31", "2019-01-01T10:30:00"]
    assert (
        _extra(pd.Series([dt.time(9, 30), None], dtype=object)).astype(object).tolist()[0]
        == "09:30:00"
    )
