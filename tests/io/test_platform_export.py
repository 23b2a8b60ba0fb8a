"""The national platform's export (and a bureau system's) read as it is: legal forms,
statuses, 万元 capital, registrars of every level, addresses, rows without a role, and the
suggestions (roles from names, locations known only to a district)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.io._codes import credit_code_check_char, credit_code_registrar
from civicgraph.io.registry.export import suggest_role
from tests._paths import divisions_or_fail
from tests.io.test_registry import csvs, xlsx


def cc(kind: int, registrar: str, serial: int) -> str:
    """A valid civil-affairs credit code (character 1 ``5``)."""
    first = f"5{kind}{registrar}MJ{serial:07d}"
    return first + credit_code_check_char(first)


HEAD = [
    "序号",
    "名称",
    "统一社会信用代码",
    "登记管理机关",
    "业务主管单位",
    "法定代表人",
    "成立登记日期",
    "注册资金",
    "登记状态",
    "类型",
    "住所",
]
ROWS = [  # spreadsheet rows 2..8
    [1, "中国社会福利基金会", cc(3, "100000", 1), "民政部", "民政部", "张三", "1984-10-01",
     "8000万元", "正常", "基金会", "北京市西城区"],
    [2, "安徽省慈善基金会", cc(3, "340000", 2), "安徽省民政厅", "安徽省民政厅", "李四", "2000/1/1",
     "1000万元", "正常", "基金会", None],
    [3, "芜湖市益群社会工作服务中心", cc(2, "340200", 3), "芜湖市民政局", "芜湖市民政局", "王五",
     "2015年3月2日", "3万元", "正常", "民办非企业单位", "芜湖市鸠江区四褐山街道管山社区"],
    [4, "鸠江区四褐山街道社区社会组织联合会", cc(1, "340207", 4), "鸠江区民政局", None, "赵六",
     "20180601", "30000", "正常", "社会团体", None],
    [5, "鸠江区社会组织孵化基地", cc(2, "340207", 5), "鸠江区民政局", "鸠江区民政局", "钱七",
     "2017-01-01", "5", "注销", "社会服务机构", "芜湖市鸠江区"],
    [6, "芜湖市阳光爱心协会", cc(1, "340200", 6), "芜湖市民政局", None, "孙八", "2012-05-05",
     None, "撤销", "社会团体", "安徽省芜湖市鸠江区四褐山街道四湾社区居民委员会旁"],
    [7, "无为市慈善协会", cc(1, "340281", 7), "无为市民政局", None, "周九", "2019-09-09",
     "10万", "正常", "社会团体", None],
]  # fmt: skip
IDS = [r[2] for r in ROWS]


@pytest.fixture(scope="module")
def anhui() -> cg.CivicGraph:
    return cg.read_divisions(divisions_or_fail(), within="34")


@pytest.fixture(scope="module")
def wuhu() -> cg.CivicGraph:
    return cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")


@pytest.fixture(scope="module", params=["xlsx", "csv"])
def export(request, tmp_path_factory):
    """The export as the platform gives it: one sheet Sheet1, or one CSV file."""
    d = tmp_path_factory.mktemp("export")
    if request.param == "xlsx":
        return xlsx(d / "导出数据.xlsx", {"Sheet1": [HEAD, *ROWS]})
    return csvs(d, {"导出数据": [HEAD, *ROWS]}) / "导出数据.csv"


def test_credit_code_registrar_national():
    assert credit_code_registrar(cc(3, "100000", 1)) == ("100000", "national")
    assert credit_code_registrar(cc(3, "340000", 1)) == ("34", "province")
    assert credit_code_registrar(cc(3, "340200", 1)) == ("3402", "city")
    assert credit_code_registrar(cc(3, "340207", 1)) == ("340207", "district")


def test_export_mapping_value_by_value(export, anhui):
    g = cg.read_registry(export, divisions=anhui)  # loads without a single edit
    orgs = g.nodes.loc[IDS]
    assert orgs["name"].tolist() == [r[1] for r in ROWS]
    assert orgs["role"].astype(str).tolist() == ["unknown"] * 7
    assert orgs["credit_code"].tolist() == IDS
    assert orgs["legal_form"].tolist() == [
        "foundation",
        "foundation",
        "social_service_institution",
        "social_group",
        "social_service_institution",
        "social_group",
        "social_group",
    ]
    assert orgs["status"].tolist() == [
        "active", "active", "active", "active", "deregistered", "revoked", "active"
    ]  # fmt: skip
    capital = orgs["registered_capital"].tolist()
    assert capital[:5] == [80_000_000.0, 10_000_000.0, 30_000.0, 30_000.0, 5.0]
    assert np.isnan(capital[5]) and capital[6] == 100_000.0
    assert orgs["start"].dt.strftime("%Y-%m-%d").tolist() == [
        "1984-10-01", "2000-01-01", "2015-03-02", "2018-06-01", "2017-01-01", "2012-05-05",
        "2019-09-09",
    ]  # fmt: skip
    assert orgs["registrar_code"].tolist() == [
        "100000", "34", "3402", "340207", "340207", "3402", "340281"
    ]  # fmt: skip
    assert orgs["registrar_level"].tolist() == [
        "national", "province", "city", "district", "district", "city", "district"
    ]  # fmt: skip
    assert orgs["registrar"].tolist()[:3] == ["民政部", "安徽省民政厅", "芜湖市民政局"]
    assert orgs["supervisor"].fillna("-").tolist() == [
        "民政部", "安徽省民政厅", "芜湖市民政局", "-", "鸠江区民政局", "-", "-"
    ]  # fmt: skip
    assert orgs["legal_representative"].tolist()[0] == "张三"
    assert orgs["序号"].tolist() == ([1.0 * i for i in range(1, 8)] if str(export).endswith(
        "xlsx") else [str(i) for i in range(1, 8)])  # fmt: skip
    # only a street or a community places an organization; the address names the unit
    assert orgs["address_code"].fillna("-").tolist() == [
        "-", "-", "340207001001", "-", "340207", "340207001002", "-"
    ]  # fmt: skip
    located = g.edges[g.edges.kind == "located_in"]
    located = located[located.source.isin(IDS)]
    assert dict(zip(located.source, located.target)) == {
        IDS[2]: "340207001001",
        IDS[5]: "340207001002",
    }


def test_export_suggestions(export, anhui):
    table = cg.validate(export, divisions=anhui, suggestions=True)
    assert set(table.severity) == {"suggestion"}  # no problem at all
    got = table[["row", "column", "code", "suggested"]].values.tolist()
    assert got == [
        [4, "role", "suggest_role", "agency"],
        [5, "登记管理机关", "suggest_location", "340207"],
        [5, "role", "suggest_role", "hub"],
        [6, "住所", "suggest_location", "340207"],
        [6, "role", "suggest_role", "center"],
        [8, "登记管理机关", "suggest_location", "340281"],
    ]
    assert cg.validate(export, divisions=anhui).empty  # suggestions are no problems
    zh = cg.validate(export, divisions=anhui, suggestions=True, lang="zh")
    assert zh.message.tolist()[:2] == [
        "未填写组织类型；名称以“社会工作服务中心”结尾，可能是社工机构",
        "只知道登记管理机关所在的区县（340207 鸠江区）：未定位到街道或社区，不计入覆盖率",
    ]


def test_export_in_the_metrics(export, anhui):
    g = cg.read_registry(export, divisions=anhui)
    s = cg.summary(g).set_index("item")["value"]
    # 7 read, 2 ended (注销, 撤销): 5 counted, all of unknown role, 4 not located
    assert s["organizations of unknown role"] == 5
    assert s["organizations not located"] == 4
    assert (s["hubs"], s["agencies"]) == (0, 0)
    assert "hubs not located" not in s
    before = g.active_nodes(None)[g.positions(IDS)].tolist()
    assert before == [True, True, True, True, False, False, True]
    # dated: ended organizations without an end date exist at no date
    assert g.active_nodes("2019-01-01")[g.positions(IDS)].tolist() == [
        True, True, True, True, False, False, False
    ]  # fmt: skip


def test_bureau_system_export_with_filings_and_roles(tmp_path, wuhu):
    """A bureau's own system: ids, a role for some rows, filings at a street office, the
    legal form under its own header, capital in 万元, an end date for one 撤销."""
    path = xlsx(
        tmp_path / "r.xlsx",
        {
            "导出数据": [
                ["编号", "组织名称", "组织类型", "社会组织类型", "登记管理机关", "注册资金（万元）",
                 "登记状态", "注销日期", "住所"],
                ["H1", "管山社区社会组织联合会", "联合会", "社会团体", "四褐山街道办事处", 0.5, "正常",
                 None, "四褐山街道管山社区"],
                ["H2", "四湾社区社会组织联合会", "hub", None, "四褐山街道办事处", None, "注销", None,
                 "管山路1号"],
                ["H3", "四山社区联合会", "枢纽型组织", None, "鸠江区民政局", 2, "撤销", "2020-01-01",
                 "鸠江区四褐山街道四山社区"],
                ["M1", "四褐山街道社会组织联合会", None, None, "四褐山街道办事处", None, "正常", None,
                 None],
            ],
        },
    )  # fmt: skip
    g = cg.read_registry(path, divisions=wuhu)
    n = g.nodes.loc[["H1", "H2", "H3", "M1"]]
    assert n["role"].astype(str).tolist() == ["hub", "hub", "hub", "unknown"]
    assert n["legal_form"].fillna("-").tolist() == ["social_group", "-", "-", "-"]
    assert n["registered_capital"].fillna(-1).tolist() == [5000.0, -1, 20000.0, -1]
    assert n["registrar_code"].tolist() == ["340207001", "340207001", "340207", "340207001"]
    assert n["registrar_level"].tolist() == ["street", "street", "district", "street"]
    loc = g.edges[(g.edges.kind == "located_in") & g.edges.source.isin(n.index)]
    # the address where it names a community, else the street the filing was made at
    assert dict(zip(loc.source, loc.target)) == {
        "H1": "340207001001",
        "H2": "340207001",
        "H3": "340207001003",
        "M1": "340207001",
    }
    table = cg.validate(path, divisions=wuhu, suggestions=True)
    assert table[["row", "code", "suggested"]].values.tolist() == [
        [5, "suggest_role", "hub"]  # M1 has no role; the others keep theirs
    ]
    # coverage counts H1 only; H3 (撤销 on 2020-01-01) until its end; H2 (注销) never
    cov = cg.coverage(g, level="street")
    assert int(cov.loc["340207001", "covered"]) == 1
    dated = cg.coverage(g, level="street", as_of="2019-06-01")
    assert int(dated.loc["340207001", "covered"]) == 2
    assert int(cg.coverage(g, level="street", as_of="2021-01-01").loc["340207001", "covered"]) == 1


def test_a_single_csv_is_the_sheet_it_names(tmp_path, wuhu):
    csvs(tmp_path, {"组织": [["编号", "名称"], ["a", "A"]], "关系": [["来源", "对象", "关系类型"]]})
    ties = tmp_path / "关系.csv"
    ties.write_text("来源,对象,关系类型\na,340207001001,服务\n", encoding="utf-8")
    err = cg.validate(ties, divisions=wuhu)
    assert err.code.tolist() == ["missing_sheet", "missing_node"]  # ties alone, no orgs
    orgs = tmp_path / "组织.csv"
    g = cg.read_registry(orgs, divisions=wuhu)
    assert g.nodes.loc["a", "role"] == "unknown" and g.n_edges == wuhu.n_edges
    other = tmp_path / "名单.csv"  # any other name: organizations when its headers say so
    other.write_text("名称,统一社会信用代码\n阳光爱心协会,51340209MJ0000002J\n", encoding="utf-8")
    g = cg.read_registry(other, divisions=wuhu)
    assert g.nodes.loc["51340209MJ0000002J", "legal_form"] == "social_group"
    money = tmp_path / "stuff.csv"  # headers of funding: not taken for organizations
    money.write_text("来源,对象,金额\np,a,5\n", encoding="utf-8")
    assert cg.validate(money).code.tolist() == ["unknown_sheet", "missing_sheet"]


def test_one_unnamed_sheet_beside_named_ones(tmp_path, wuhu):
    path = xlsx(
        tmp_path / "r.xlsx",
        {
            "Sheet1": [["名称", "统一社会信用代码"], ["阳光爱心协会", "51340209MJ0000002J"]],
            "README": [["说明"]],
        },
    )
    assert cg.validate(path, divisions=wuhu).empty
    two = xlsx(
        tmp_path / "two.xlsx",
        {"Sheet1": [["名称", "编号"], ["A", "a"]], "Sheet2": [["名称", "编号"], ["B", "b"]]},
    )
    assert sorted(cg.validate(two, divisions=wuhu).code) == [
        "missing_sheet",
        "unknown_sheet",
        "unknown_sheet",
    ]


def test_unknown_status_and_legal_form(tmp_path, wuhu):
    path = csvs(
        tmp_path / "r",
        {
            "组织": [
                ["编号", "名称", "登记状态", "登记类型"],
                ["a", "A", "休眠", "基金会"],
                ["b", "B", "正常", "公司"],
            ]
        },
    )
    got = cg.validate(path, divisions=wuhu)[["row", "column", "code"]].values.tolist()
    assert got == [[2, "登记状态", "unknown_status"], [3, "登记类型", "unknown_legal_form"]]


def test_legal_form_type_beside_the_role(tmp_path, wuhu):
    """A platform export's 类型 (legal forms) with a 组织类型 column added by the clerk, in
    either order: 类型 is the legal form, 组织类型 the role, no duplicate column. Two
    columns of roles are still a duplicate."""
    rows = [["h1", "滨江联合会", "社会团体", "枢纽型组织"], ["m1", "书画社", None, "社区社会组织"]]
    for order in ((0, 1, 2, 3), (0, 1, 3, 2)):
        head = ["编号", "组织名称", "类型", "组织类型"]
        sheet = [[r[i] for i in order] for r in [head, *rows]]
        path = xlsx(tmp_path / f"r{order[2]}.xlsx", {"组织": sheet})
        assert cg.validate(path, divisions=wuhu).empty, order
        g = cg.read_registry(path, divisions=wuhu)
        got = g.nodes.loc[["h1", "m1"], ["role", "legal_form"]].astype(object)
        assert got.fillna("-").values.tolist() == [["hub", "social_group"], ["member", "-"]]
    rows = [["h1", "滨江联合会", "枢纽型组织", "枢纽型组织"]]
    path = xlsx(tmp_path / "d.xlsx", {"组织": [["编号", "组织名称", "类型", "组织类型"], *rows]})
    assert cg.validate(path, divisions=wuhu)["code"].tolist() == ["duplicate_column"]


def test_suggest_role_from_names():
    assert suggest_role("清水街道清苑社区社区社会组织联合会") == ("hub", "社会组织联合会")
    assert suggest_role("滨江社区联合会") == ("hub", "社区联合会")
    assert suggest_role("芜湖市爱邻社会工作服务中心") == ("agency", "社会工作服务中心")
    assert suggest_role("芜湖市社会组织培育中心") == ("center", "培育中心")
    assert suggest_role("鸠江区社会组织孵化基地") == ("center", "孵化基地")
    assert suggest_role("芜湖市工商业联合会") == (None, "")  # not a social-organization hub
    assert suggest_role("慈航社会组织服务中心") == (None, "")


def test_unknown_role_is_never_a_hub(wuhu):
    """Organizations of unknown role added to the Wuhu example, located in communities
    without a hub, one incubating another and one incubating a hub, change no figure of
    hubs, centers or agencies (an incubator of unknown role is no center)."""
    g = cg.datasets.wuhu()
    nodes, edges = g.to_frames()
    free = cg.gaps(g).index[:5]
    hub = nodes.loc[nodes.role == "hub", "id"].iloc[0]
    extra = pd.DataFrame(
        {"id": [f"u{i}" for i in range(5)], "kind": "org", "name": "社区社会组织联合会",
         "role": "unknown"}
    )  # fmt: skip
    ties = pd.DataFrame(
        {
            "source": [*extra.id, "u1", "u0"],
            "target": [*free, "u2", hub],
            "kind": ["located_in"] * 5 + ["incubates", "incubates"],
        }
    )
    h = cg.CivicGraph(pd.concat([nodes, extra]), pd.concat([edges, ties]))
    pd.testing.assert_frame_equal(cg.coverage(h, level="all"), cg.coverage(g, level="all"))
    assert cg.street_target(h).attrs == cg.street_target(g).attrs
    assert cg.hub_centrality(h).index.equals(cg.hub_centrality(g).index)
    pd.testing.assert_frame_equal(cg.platform(h), cg.platform(g))
    assert cg.gaps(h).index.equals(cg.gaps(g).index)
    s_g = cg.summary(g).set_index("item")["value"]
    s_h = cg.summary(h).set_index("item")["value"]
    assert s_h["organizations of unknown role"] == 5
    for item in ("hubs", "agencies", "member organizations", "urban coverage"):
        assert s_h[item] == s_g[item]


def test_roles_command_writes_and_reads_back(capsys, tmp_path, wuhu):
    from civicgraph.cli import main

    export = csvs(tmp_path, {"导出数据": [HEAD, *ROWS]}) / "导出数据.csv"
    out = tmp_path / "登记表.xlsx"
    try:
        main(["--lang", "zh", "roles", str(export), "--out", str(out)])
    except SystemExit as exc:
        assert not exc.code
    err = capsys.readouterr().err
    assert "已按名称为 3 个组织填入建议的组织类型" in err and "其余 4 个" in err
    g = cg.read_registry(out, divisions=wuhu)
    roles = g.nodes.loc[IDS, "role"].astype(str).tolist()
    assert roles == ["unknown", "unknown", "agency", "hub", "center", "unknown", "unknown"]
    assert g.nodes.loc[IDS, "suggested_role"].fillna("-").tolist() == [
        "-", "-", "agency", "hub", "center", "-", "-"
    ]  # fmt: skip
    assert g.nodes.loc[IDS[4], "status"] == "deregistered"  # the rest comes back as read
    assert g.nodes.loc[IDS[2], "registered_capital"] == 30_000.0
    first = cg.read_registry(export, divisions=wuhu)
    assert (
        g.nodes.loc[IDS, "registrar_level"].tolist()
        == first.nodes.loc[IDS, "registrar_level"].tolist()
    )
