"""Write the corpus of hostile and messy registries under tests/data/bad/.

Run ``python tests/data/make_bad_corpus.py`` to regenerate it (the files are committed;
the expected outcome of each is in tests/io/test_bad_corpus.py). Every case is one
registry: an ``.xlsx`` workbook or a folder of CSV files, small enough to commit. The
divisions are the embedded Wuhu codes (``within="3402"``).

The 500,000-row case is not here: the test writes it into a temporary folder itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent / "bad"

FANGTANG = "340202012001"  # 方塘社区居民委员会, 方村街道, 镜湖区
DAINAN = "340202012002"  # 埭南社区居民委员会
HEFEI = "340102001001"  # a community of 合肥 (another city)
GOOD_CODE = "91350100M000100Y43"  # GB 32100 example, check character 3
CIVIL_CODE = "52340202MJB123456E"  # civil affairs, registered by 镜湖区
BINJIANG = "340209001010"  # 滨江社区, 中南街道, 弋江区

ORG_HEAD = ["编号", "组织名称", "组织类型", "所在社区"]
ORGS = [
    ORG_HEAD,
    ["H1", "方塘社区联合会", "联合会", FANGTANG],
    ["M1", "爱心团队", "社区社会组织", DAINAN],
]

CASES: dict[str, Callable[[Path], None]] = {}


def case(name: str):
    def register(fn):
        CASES[name] = fn
        return fn

    return register


def csv_text(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["" if x is None else x for x in r] for r in rows]
    )
    return out.getvalue()


def folder(path: Path, files: dict[str, bytes | list[list]], encoding: str = "utf-8") -> None:
    path.mkdir(parents=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else csv_text(content).encode(encoding)
        (path / name).write_bytes(data)


def workbook(path: Path, sheets: dict[str, list[list]], merge: dict[str, list[str]] = ()) -> None:
    """Strings are stored as text, never as formulas (also those starting with =)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
        for rng in dict(merge).get(title, []):
            ws.merge_cells(rng)
    wb.save(path.with_suffix(".xlsx"))


# ------------------------------------------------------------------ encodings


@case("enc_gbk")
def _(p):  # Excel's plain "CSV" on a Chinese Windows
    folder(p, {"组织.csv": ORGS}, encoding="gbk")


@case("enc_utf8_bom")
def _(p):  # Excel's "CSV UTF-8"
    folder(p, {"组织.csv": ORGS}, encoding="utf-8-sig")


@case("enc_gbk_behind_utf8_bom")
def _(p):  # a UTF-8 BOM in front of GBK bytes: an editor "labelled" it UTF-8
    folder(p, {"组织.csv": b"\xef\xbb\xbf" + csv_text(ORGS).encode("gbk")})


@case("enc_mixed_rows")
def _(p):  # rows pasted from a GBK file into a UTF-8 file
    head = csv_text(ORGS).encode("utf-8")
    tail = csv_text([["M2", "阳光协会", "社区社会组织", DAINAN]]).encode("gbk")
    folder(p, {"组织.csv": head + tail})


@case("enc_utf16_tab")
def _(p):  # Excel's "Unicode text": UTF-16 with BOM, tab separated
    text = "\n".join("\t".join(r) for r in ORGS) + "\n"
    folder(p, {"组织.csv": text.encode("utf-16")})


@case("enc_binary")
def _(p):  # not text at all (a picture saved as .csv)
    folder(p, {"组织.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xff\x00" * 4})


@case("not_a_workbook")
def _(p):  # a CSV renamed to .xlsx
    p.with_suffix(".xlsx").write_bytes(csv_text(ORGS).encode("utf-8"))


# ------------------------------------------------------------------ headers and sheets


@case("header_below_title")
def _(p):  # a title line and a blank line above the header
    workbook(p, {"组织": [["芜湖市社区社会组织名录（2019年8月）"], [], *ORGS]})


@case("header_merged_two_rows")
def _(p):  # a grouped two-row header with merged cells
    rows = [
        ["编号", "基本信息", None, "所在社区"],
        [None, "组织名称", "组织类型", None],
        *ORGS[1:],
    ]
    workbook(p, {"组织": rows}, merge={"组织": ["A1:A2", "B1:C1", "D1:D2"]})


@case("header_mixed_languages")
def _(p):
    rows = [
        ["ID", "组织名称", "Role", "division_code", "成立日期", "Phone 电话"],
        ["H1", "方塘社区联合会", "hub", FANGTANG, "2018-01-01", "0553-1234567"],
    ]
    folder(p, {"organizations.csv": rows})


@case("header_duplicate_meaning")
def _(p):  # 名称 and name both mean name
    rows = [["编号", "名称", "name", "组织类型"], ["H1", "甲", "A", "联合会"]]
    folder(p, {"组织.csv": rows})


@case("header_missing")
def _(p):  # a column of phone numbers without a header
    rows = [["编号", "组织名称", "组织类型", ""], ["H1", "甲", "联合会", "0553-1234567"]]
    folder(p, {"组织.csv": rows})


@case("sheet_unknown")
def _(p):
    workbook(p, {"组织": ORGS, "Sheet1": [["随便写的"]]})


@case("sheet_missing_orgs")
def _(p):
    folder(p, {"关系.csv": [["来源", "对象", "关系类型"], ["H1", "M1", "孵化"]]})


@case("sheet_empty")
def _(p):  # empty ties and funding sheets: the registry has none of them
    workbook(p, {"组织": ORGS, "关系": [], "资金": [["来源", "对象", "金额"]]})


@case("csv_empty_file")
def _(p):  # an empty (0 byte) funding file beside the organizations
    folder(p, {"组织.csv": ORGS, "资金.csv": b""})


@case("csv_short_rows")
def _(p):  # trailing empty cells left out, as hand-edited files do
    folder(
        p,
        {
            "组织.csv": b"\xe7\xbc\x96\xe5\x8f\xb7,name,role,division\nH1,A,hub\nM1,B,member,340202012002\n"
        },
    )


@case("csv_unclosed_quote")
def _(p):
    folder(p, {"组织.csv": b'\xe7\xbc\x96\xe5\x8f\xb7,name,role\nH1,"unclosed,hub\n'})


# ------------------------------------------------------------------ ids


@case("id_duplicate")
def _(p):
    folder(p, {"组织.csv": [*ORGS, ["H1", "又一个联合会", "联合会", DAINAN]]})


@case("id_whitespace_fullwidth")
def _(p):
    rows = [*ORGS, ["H1 ", "空格", "联合会", DAINAN], ["Ｈ1", "全角", "联合会", DAINAN]]
    folder(p, {"组织.csv": rows})


@case("id_missing_half_filled")
def _(p):  # a row with a name only, a row with an id only
    rows = [*ORGS, [None, "只有名字", None, None], ["M3", None, None, None]]
    folder(p, {"组织.csv": rows})


@case("id_from_credit_code")
def _(p):
    rows = [
        ["编号", "组织名称", "组织类型", "统一社会信用代码"],
        [None, "慈航", "运营机构", CIVIL_CODE],
    ]
    folder(p, {"组织.csv": rows})


# ------------------------------------------------------------------ divisions


@case("division_unknown_name")
def _(p):
    folder(p, {"组织.csv": [ORG_HEAD, ["H1", "甲", "联合会", "幸福里社区"]]})


@case("division_ambiguous_name")
def _(p):  # 滨江社区 is in 镜湖区 and in 弋江区
    folder(p, {"组织.csv": [ORG_HEAD, ["H1", "甲", "联合会", "滨江社区"]]})


@case("division_wrong_length")
def _(p):
    rows = [ORG_HEAD, ["H1", "甲", "联合会", FANGTANG[:-1]], ["H2", "乙", "联合会", FANGTANG + "0"]]
    folder(p, {"组织.csv": rows})


@case("division_other_city")
def _(p):
    folder(p, {"组织.csv": [ORG_HEAD, ["H1", "甲", "联合会", HEFEI]]})


@case("division_fullwidth_and_padded")
def _(p):  # full-width digits, a 12-digit street code padded with zeros, a number cell
    rows = [
        ORG_HEAD,
        ["H1", "甲", "联合会", "３４０２０２０１２００１"],
        ["H2", "乙", "联合会", "340202012000"],
        ["H3", "丙", "联合会", 340202012002],
    ]
    workbook(p, {"组织": rows})


@case("division_name_with_street")
def _(p):
    folder(p, {"组织.csv": [ORG_HEAD, ["H1", "甲", "联合会", "方村街道方塘社区居委会"]]})


# ------------------------------------------------------------------ codes and values


@case("credit_bad_check")
def _(p):
    rows = [
        ["编号", "组织名称", "组织类型", "统一社会信用代码"],
        ["X", "甲", "社工机构", GOOD_CODE[:-1] + "4"],
    ]
    folder(p, {"组织.csv": rows})


@case("credit_bad_length_alphabet")
def _(p):
    rows = [
        ["编号", "组织名称", "组织类型", "统一社会信用代码"],
        ["X", "甲", "社工机构", GOOD_CODE[:-1]],
        ["Y", "乙", "社工机构", GOOD_CODE[:-2] + "I3"],
    ]
    folder(p, {"组织.csv": rows})


@case("role_unknown")
def _(p):
    folder(p, {"组织.csv": [ORG_HEAD, ["H1", "甲", "理事会", FANGTANG]]})


PROGRAMS = [["编号", "项目名称", "项目类型"], ["P1", "公益创投", "公益创投"]]


def funding(rows: list[list], head=("来源", "对象", "金额（元）", "资助日期")) -> dict:
    return {"组织.csv": ORGS, "项目.csv": PROGRAMS, "资金.csv": [list(head), *rows]}


@case("amount_forms")
def _(p):
    rows = [
        ["P1", "H1", "1.2万", "2019-08-31"],
        ["P1", "H1", "12,000", "2019-08-31"],
        ["P1", "H1", "3万元", "2019-08-31"],
        ["P1", "M1", "￥1,200.50", "2019-08-31"],
        ["P1", "M1", "500元", "2019-08-31"],
    ]
    folder(p, funding(rows))


@case("amount_wan_column")
def _(p):
    folder(
        p,
        funding([["P1", "H1", "1.2", "2019-08-31"]], head=("来源", "对象", "金额（万元）", "日期")),
    )


@case("amount_negative")
def _(p):
    folder(p, funding([["P1", "H1", "-5000", "2019-08-31"]]))


@case("amount_not_a_number")
def _(p):
    folder(p, funding([["P1", "H1", "约五万", "2019-08-31"], ["P1", "H1", "1.2.3", None]]))


@case("date_formats")
def _(p):  # date cells, Excel serial numbers and text in several forms
    rows = [
        ["编号", "组织名称", "组织类型", "成立日期"],
        ["A", "甲", "联合会", "2019年8月"],
        ["B", "乙", "联合会", "2019/8/31"],
        ["C", "丙", "联合会", 43708],
        ["D", "丁", "联合会", dt.datetime(2019, 8, 31)],
        ["E", "戊", "联合会", "2019.8.31"],
        ["F", "己", "联合会", "20190831"],
        ["G", "庚", "联合会", "2019年8月31日"],
        ["H", "辛", "联合会", "43708"],
    ]
    workbook(p, {"组织": rows})


@case("date_bad")
def _(p):
    rows = [
        ["编号", "组织名称", "组织类型", "成立日期"],
        ["A", "甲", "联合会", "2019-13-01"],
        ["B", "乙", "联合会", "去年"],
    ]
    folder(p, {"组织.csv": rows})


@case("date_end_before_start")
def _(p):
    rows = [
        ["编号", "组织名称", "组织类型", "成立日期", "注销日期"],
        ["A", "甲", "联合会", "2019-08-31", "2018/1/1"],
    ]
    folder(p, {"组织.csv": rows})


# ------------------------------------------------------------------ ties


def ties(rows: list[list]) -> dict:
    return {"组织.csv": ORGS, "关系.csv": [["来源", "对象", "关系类型"], *rows]}


@case("tie_incubation_cycle")
def _(p):
    folder(p, ties([["H1", "M1", "孵化"], ["M1", "H1", "孵化"]]))


@case("tie_self_loop")
def _(p):
    folder(p, ties([["H1", "H1", "孵化"]]))


@case("tie_missing_node")
def _(p):
    folder(p, ties([["H1", "X9", "孵化"], [None, "M1", "孵化"]]))


@case("tie_unknown_kind")
def _(p):
    folder(p, ties([["M1", "H1", "认识"], ["M1", "H1", None]]))


@case("tie_wrong_endpoint")
def _(p):  # a member of a community: member_of must end at an organization
    folder(p, ties([["M1", FANGTANG, "加入"]]))


# ------------------------------------------------------------------ hostile text


@case("names_with_markup")
def _(p):  # markup, formulas and control characters stay data, kept exactly
    rows = [
        ORG_HEAD,
        ["H1", "[red]x[/red]<script>alert(1)</script>", "联合会", FANGTANG],
        ["M1", '=HYPERLINK("http://evil","点我")', "社区社会组织", DAINAN],
        ["M2", "\x1b[31m红色\x1b[0m", "社区社会组织", DAINAN],
        ["M3", "+1 @sum -2", "社区社会组织", DAINAN],
    ]
    folder(p, {"组织.csv": rows})  # a workbook cannot hold the escape character


# ------------------------------------------------------------------ round two (issue 17)
# crashes


@case("crash_urban_column")
def _(p):  # a user column named like the graph's own urban flag
    folder(p, {"organizations.csv": [["id", "name", "role", "urban"], ["a", "A", "hub", "yes"]]})


@case("crash_year_1e30")
def _(p):
    programs = [
        ["编号", "项目名称", "年度"],
        ["P1", "公益创投", "1e30"],
        ["P2", "微创投", "2019.5"],
    ]
    folder(p, {"组织.csv": ORGS, "项目.csv": programs})


@case("crash_date_9999_extra")
def _(p):  # 长期: 9999-12-31 as a date cell in an extra column and in the end column
    rows = [
        ["编号", "组织名称", "组织类型", "注销日期", "证书有效期至"],
        ["A", "甲", "联合会", dt.datetime(9999, 12, 31), dt.datetime(9999, 12, 31)],
        ["B", "乙", "联合会", None, dt.datetime(2024, 5, 1)],
    ]
    workbook(p, {"组织": rows})


@case("gaps_awards_only")
def _(p):  # the only money is an award to an admin unit
    folder(
        p,
        {
            "组织.csv": [
                ORG_HEAD,
                ["H1", "联合会", "联合会", BINJIANG],
                ["M1", "团队", "社区社会组织", BINJIANG],
            ],
            "关系.csv": [["来源", "对象", "关系类型"], ["M1", "H1", "加入"]],
            "项目.csv": [
                ["编号", "项目名称", "项目类型"],
                ["P2", "示范社区", "三社联动示范社区奖补"],
            ],
            "资金.csv": [["来源", "对象", "金额（万元）"], ["P2", "中南街道滨江社区", "30"]],
        },
    )


# dates read exactly or reported


@case("date_year_and_serials")
def _(p):  # a year alone, as text and as a number; Excel serials around 29 Feb 1900
    rows = [
        ["编号", "组织名称", "组织类型", "成立日期"],
        ["A", "甲", "联合会", "2019"],
        ["B", "乙", "联合会", 2018],
        ["C", "丙", "联合会", 1],
        ["D", "丁", "联合会", 59],
        ["E", "戊", "联合会", 61],
        ["F", "己", "联合会", "31/08/2019"],
        ["G", "庚", "联合会", "2019年"],
    ]
    workbook(p, {"组织": rows})


@case("date_guessed")
def _(p):  # day/month order, two-digit years and words are not guessed
    rows = [
        ["编号", "组织名称", "组织类型", "成立日期"],
        ["A", "甲", "联合会", "08/09/2019"],
        ["B", "乙", "联合会", "19-8-31"],
        ["C", "丙", "联合会", "now"],
        ["D", "丁", "联合会", "today"],
        ["E", "戊", "联合会", 60],
    ]
    workbook(p, {"组织": rows})


@case("date_out_of_range")
def _(p):  # beyond the graph's dates: reported, never wrapped around
    rows = [
        ["编号", "组织名称", "组织类型", "成立日期", "注销日期"],
        ["A", "甲", "联合会", "2300-01-01", None],
        ["B", "乙", "联合会", "1600-01-01", None],
        ["C", "丙", "联合会", "9999-12-31", None],
        ["D", "丁", "联合会", "2019-01-01", "9999-12-31"],
    ]
    folder(p, {"组织.csv": rows})


# amounts


@case("amount_separators")
def _(p):  # a decimal comma, a lone comma, an overflow and a blank amount
    rows = [
        ["P1", "H1", "1.234,56", "2019-08-31"],
        ["P1", "H1", "1,2", "2019-08-31"],
        ["P1", "H1", "1e400", "2019-08-31"],
        ["P1", "M1", None, "2019-08-31"],
        ["P1", "M1", "1,234,567.5", "2019-08-31"],
    ]
    folder(p, funding(rows))


# ids and # rows


@case("id_invisible")
def _(p):  # H1 followed by characters that show as nothing
    rows = [*ORGS] + [
        [f"H1{c}", f"联合会{i}", "联合会", DAINAN]
        for i, c in enumerate(["\u200b", "\ufeff", "\u2060", "\u00ad"], start=2)
    ]
    folder(p, {"组织.csv": rows})


@case("id_excel_error")
def _(p):  # #N/A is a broken lookup formula, not a comment
    folder(p, {"组织.csv": [*ORGS, ["#N/A", "第三个组织", "联合会", DAINAN]]})


@case("comment_name_first")
def _(p):  # a # in a first column of names is a name
    rows = [
        ["组织名称", "编号", "组织类型", "所在社区"],
        ["#邻里守望#志愿队", "M1", "社区社会组织", DAINAN],
    ]
    folder(p, {"组织.csv": rows})


@case("comment_rows_listed")
def _(p):  # comments in the id column: skipped, and validate says which
    rows = [
        *ORGS,
        ["#M2", "暂不登记", "社区社会组织", DAINAN],
        ["# 以下为2020年新增", None, None, None],
    ]
    folder(p, {"组织.csv": rows})


# encodings


@case("enc_big5")
def _(p):  # Traditional Chinese, as a Taiwan or Hong Kong office saves it
    rows = [  # (traditional headers and sheet names are not aliases: English ones here)
        ["id", "name", "role", "division_code"],
        ["H1", "方塘社區聯合會", "hub", FANGTANG],
        ["M1", "愛心團隊（鄰里守望）", "member", DAINAN],
    ]
    folder(p, {"组织.csv": rows}, encoding="big5")


# unchecked requirements and clashing columns


@case("column_missing_name")
def _(p):
    folder(p, {"组织.csv": [["编号", "组织类型"], ["H1", "联合会"], ["M1", "社区社会组织"]]})


@case("reference_unknown")
def _(p):  # a program's funder and a grant's program that are nowhere
    programs = [["编号", "项目名称", "出资方"], ["P1", "公益创投", "X9"], ["P2", "市级", "3402"]]
    grants = [["来源", "对象", "金额（元）", "所属项目"], ["H1", "M1", "5000", "P9"]]
    folder(p, {"组织.csv": ORGS, "项目.csv": programs, "资金.csv": grants})


@case("column_reserved")
def _(p):  # user columns named like the graph's level and provenance
    rows = [
        ["编号", "组织名称", "组织类型", "level", "src_row", "src_file"],
        ["H1", "甲", "联合会", "AAAA", "7", "old.xls"],
    ]
    folder(p, {"组织.csv": rows})


# messages that say what is wrong


@case("csv_semicolon")
def _(p):  # saved with a European list separator
    text = "\n".join(";".join(r) for r in ORGS) + "\n"
    folder(p, {"组织.csv": text.encode("utf-8")})


@case("header_row_25")
def _(p):  # 24 lines of notes above the header
    rows = [[f"说明第{i}行"] for i in range(1, 25)] + ORGS
    workbook(p, {"组织": rows})


@case("columns_10000_headerless")
def _(p):
    head = ["编号", "组织名称", "组织类型"] + [""] * 10_000
    row = ["H1", "甲", "联合会"] + ["x"] * 10_000
    folder(p, {"组织.csv": [head, row]})


@case("empty_orgs_sheet")
def _(p):  # the 组织 sheet has its header and nothing else
    workbook(p, {"组织": [ORG_HEAD], "关系": [["来源", "对象", "关系类型"]]})


# ------------------------------------------------------------------ workbooks (calamine)
# Cells a workbook holds that a CSV cannot: formulas, error cells, merged ranges, hidden
# sheets, encryption, and sheets whose extent is a memory bomb. openpyxl writes the
# workbook; :func:`patch` then puts the exact XML of a cell (or of the dimension) in.


def patch(path: Path, replace: dict[str, str], sheet: int = 1) -> None:
    """Rewrite cells of one sheet's XML: ``{"B2": '<c r="B2">...</c>'}`` replaces the
    cell ``B2``; ``{"dimension": "A1:XFD1048576"}`` the declared extent; a key ``"+"``
    appends XML at the end of the sheet data."""
    import re
    import zipfile

    path = path.with_suffix(".xlsx")
    src = zipfile.ZipFile(path)
    items = [(i, src.read(i.filename)) for i in src.infolist()]
    src.close()
    part = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == part:
                xml = data.decode("utf-8")
                for key, new in replace.items():
                    if key == "dimension":
                        xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{new}"/>', xml)
                    elif key == "+":
                        xml = xml.replace("</sheetData>", new + "</sheetData>")
                    else:
                        cell = re.compile(rf'<c r="{key}"(?:[^>]*/>|[^>]*>.*?</c>)')
                        assert cell.search(xml), key
                        xml = cell.sub(new.replace("\\", "\\\\"), xml, count=1)
                data = xml.encode("utf-8")
            out.writestr(info.filename, data)


@case("xlsx_formula_cached")
def _(p):  # formulas with the value Excel calculated: read by that value
    workbook(p, {"组织": ORGS})
    patch(
        p,
        {
            "B2": '<c r="B2" t="str"><f>"方塘"&amp;"社区联合会"</f><v>方塘社区联合会</v></c>',
            "D3": f'<c r="D3"><f>D2+1</f><v>{DAINAN}</v></c>',
        },
    )


@case("xlsx_formula_no_value")
def _(p):  # written by a script: formulas Excel never calculated (no cached value)
    workbook(p, {"组织": ORGS})
    patch(
        p,
        {
            "B2": '<c r="B2" t="str"><f>"方塘"&amp;"社区联合会"</f><v></v></c>',
            "D3": '<c r="D3"><f>D2+1</f></c>',
        },
    )


@case("xlsx_error_cells")
def _(p):  # Excel errors where values should be (a failed VLOOKUP, a division by zero)
    rows = [["来源", "对象", "金额（元）"], ["P1", "H1", 5000], ["P1", "M1", 1]]
    workbook(p, {"组织": ORGS, "项目": PROGRAMS, "资金": rows})
    patch(p, {"B3": '<c r="B3" t="e"><f>VLOOKUP(A3,X:Y,2,0)</f><v>#N/A</v></c>'})
    patch(p, {"C3": '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'}, sheet=3)


@case("xlsx_merged_division")
def _(p):  # one division cell merged down over the rows of its two organizations
    rows = [
        ORG_HEAD,
        ["H1", "方塘社区联合会", "联合会", FANGTANG],
        ["M1", "爱心团队", "社区社会组织"],
    ]
    workbook(p, {"组织": rows}, merge={"组织": ["D2:D3"]})


@case("xlsx_merged_bad_division")
def _(p):  # a merged division cell no unit has: each row's problem names the merge
    rows = [ORG_HEAD, ["H1", "甲", "联合会", "幸福里社区"], ["M1", "乙", "社区社会组织"]]
    workbook(p, {"组织": rows}, merge={"组织": ["D2:D3"]})


@case("xlsx_hidden_sheets")
def _(p):  # the organizations on a hidden sheet, and a hidden leftover sheet
    orgs = [ORG_HEAD, ["H1", "甲", "理事会", FANGTANG]]
    workbook(p, {"说明": [["组织名录见隐藏的工作表"]], "组织": orgs, "Sheet1": [["旧数据"]]})
    wb = openpyxl.load_workbook(p.with_suffix(".xlsx"))
    wb["组织"].sheet_state = "hidden"
    wb["Sheet1"].sheet_state = "veryHidden"
    wb.active = 0
    wb.save(p.with_suffix(".xlsx"))


@case("xlsx_huge_dimension")
def _(p):  # a few KB declaring the whole grid as its extent: the cells are what counts
    workbook(p, {"组织": ORGS})
    patch(p, {"dimension": "A1:XFD1048576"})


@case("xlsx_far_cell_columns")
def _(p):  # one cell in the last column: a 16,384-column sheet
    workbook(p, {"组织": ORGS})
    patch(p, {"+": '<row r="4"><c r="XFD4" t="inlineStr"><is><t>x</t></is></c></row>'})


@case("xlsx_far_cell_cells")
def _(p):  # one cell at ZZ200000: 140 million cells of extent in a few KB
    workbook(p, {"组织": ORGS})
    patch(p, {"+": '<row r="200000"><c r="ZZ200000"><v>1</v></c></row>'})


@case("xlsx_encrypted")
def _(p):  # a workbook with a password to open: a compound file, not a zip
    streams = {"EncryptionInfo": b"\x04\x00\x04\x00" * 1024, "EncryptedPackage": bytes(4096)}
    p.with_suffix(".xlsx").write_bytes(compound_file(streams))


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (MS-CFB version 3, 512-byte sectors) holding
    ``streams`` (each of at least 4,096 bytes, so none goes to the mini stream): the
    container Office puts an encrypted workbook in."""
    import struct

    free, end, fat_sect, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    starts, data = [], b""
    for body in streams.values():
        assert len(body) >= 4096 and len(body) % 512 == 0
        first, n = len(fat), len(body) // 512
        starts.append(first)
        fat += list(range(first + 1, first + n)) + [end]
        data += body
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name, kind, child=none, right=none, start=end, size=0):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB3I", len(raw), kind, 1, none, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, child=1)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else none
        directory += entry(name, 2, right=right, start=starts[i], size=len(streams[name]))
    directory = directory.ljust(512, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))  # the FAT is sector 0
    )
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + data


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    for name, make in CASES.items():
        make(OUT / name)
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
