"""The corpus of hostile and messy registries (tests/data/bad/): each file's outcome.

Every case either reads correctly (checked values) or fails with civicgraph problems
naming file, sheet, row, column and a fix. No raw KeyError / IndexError /
UnicodeDecodeError reaches the user, from Python or from the command line.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.cli import main

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
_spec = importlib.util.spec_from_file_location("make_bad_corpus", BAD.parent / "make_bad_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
FANGTANG, DAINAN = corpus.FANGTANG, corpus.DAINAN


@pytest.fixture(scope="module")
def wuhu() -> cg.CivicGraph:
    return cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")


def path_of(name: str) -> Path:
    p = BAD / name
    return p if p.is_dir() else p.with_suffix(".xlsx")


def orgs(g) -> pd.DataFrame:
    return g.nodes[g.nodes["kind"] == "org"]


def ties(g, kind=None) -> list:
    e = g.edges[g.edges["kind"] != "contains"]
    if kind is not None:
        e = e[e["kind"] == kind]
    return e[["source", "target", "kind"]].values.tolist()


def two_orgs(g):
    """The standard two organizations (H1, M1), their names, roles and divisions."""
    n = orgs(g)
    assert n[["name", "role", "division_code"]].to_dict("index") == {
        "H1": {"name": "方塘社区联合会", "role": "hub", "division_code": FANGTANG},
        "M1": {"name": "爱心团队", "role": "member", "division_code": DAINAN},
    }
    assert ties(g) == [["H1", FANGTANG, "located_in"], ["M1", DAINAN, "located_in"]]


def amounts(g) -> list:
    f = g.edges[g.edges["kind"] == "funds"]
    return f[["source", "target", "amount"]].values.tolist()


def dated(g) -> dict:
    return {k: str(v.date()) for k, v in orgs(g)["start"].items()}


# ---- cases that read: what they must give ------------------------------------------

OK = {
    "enc_gbk": two_orgs,
    "enc_utf8_bom": two_orgs,
    "enc_gbk_behind_utf8_bom": two_orgs,
    "enc_utf16_tab": two_orgs,
    "header_below_title": lambda g: (
        two_orgs(g),
        orgs(g)["src_row"].tolist() == [4, 5] or pytest.fail("row numbers"),
    ),
    "header_merged_two_rows": lambda g: (
        two_orgs(g),
        orgs(g)["src_row"].tolist() == [3, 4] or pytest.fail("row numbers"),
    ),
    "header_mixed_languages": lambda g: (
        orgs(g)[["role", "division_code", "Phone 电话"]].to_dict("index")
        == {"H1": {"role": "hub", "division_code": FANGTANG, "Phone 电话": "0553-1234567"}}
        or pytest.fail("mixed headers"),
        dated(g) == {"H1": "2018-01-01"} or pytest.fail("date"),
    ),
    "sheet_empty": two_orgs,
    "csv_empty_file": two_orgs,
    "csv_short_rows": lambda g: (
        ties(g) == [["M1", DAINAN, "located_in"]] or pytest.fail("short row"),
        orgs(g)["role"].tolist() == ["hub", "member"] or pytest.fail("roles"),
    ),
    "id_from_credit_code": lambda g: (
        orgs(g)[["name", "role", "registrar_code", "registrar_level"]].to_dict("index")
        == {
            corpus.CIVIL_CODE: {
                "name": "慈航",
                "role": "operator",
                "registrar_code": "340202",
                "registrar_level": "district",
            }
        }
        or pytest.fail("credit code as id")
    ),
    "division_fullwidth_and_padded": lambda g: (
        orgs(g)["division_code"].to_dict() == {"H1": FANGTANG, "H2": "340202012", "H3": DAINAN}
        or pytest.fail("codes")
    ),
    "division_name_with_street": lambda g: (
        ties(g) == [["H1", FANGTANG, "located_in"]] or pytest.fail("name")
    ),
    "amount_forms": lambda g: (
        amounts(g)
        == [
            ["P1", "H1", 12000.0],
            ["P1", "H1", 12000.0],
            ["P1", "H1", 30000.0],
            ["P1", "M1", 1200.5],
            ["P1", "M1", 500.0],
        ]
        or pytest.fail("amounts")
    ),
    "amount_wan_column": lambda g: (
        amounts(g) == [["P1", "H1", 12000.0]] or pytest.fail("wan"),
        str(g.edges.set_index("kind").loc["funds", "start"].date()) == "2019-08-31"
        or pytest.fail("date"),
    ),
    "date_formats": lambda g: (
        dated(g) == {"A": "2019-08-01", **{k: "2019-08-31" for k in "BCDEFGH"}}
        or pytest.fail("dates")
    ),
    "names_with_markup": lambda g: (
        orgs(g)["name"].tolist()
        == [
            "[red]x[/red]<script>alert(1)</script>",
            '=HYPERLINK("http://evil","点我")',
            "\x1b[31m红色\x1b[0m",
            "+1 @sum -2",
        ]
        or pytest.fail("names must be kept exactly")
    ),
    # round two (issue 17): read exactly
    "crash_date_9999_extra": lambda g: (
        orgs(g)["证书有效期至"].tolist() == ["9999-12-31", "2024-05-01"]
        or pytest.fail("an out-of-range date cell keeps its column as ISO text"),
        orgs(g)["end"].isna().all() or pytest.fail("9999-12-31 as an end date is no end"),
    ),
    "gaps_awards_only": lambda g: (
        g.edges.loc[g.edges["kind"] == "awards", ["source", "target", "amount"]].values.tolist()
        == [["P2", corpus.BINJIANG, 300000.0]]
        or pytest.fail("award"),
        awards_only_gaps(g),
    ),
    "date_year_and_serials": lambda g: (
        dated(g)
        == {
            "A": "2019-01-01",
            "B": "2018-01-01",
            "C": "1900-01-01",
            "D": "1900-02-28",
            "E": "1900-03-01",
            "F": "2019-08-31",
            "G": "2019-01-01",
        }
        or pytest.fail(f"years and serials: {dated(g)}")
    ),
    "comment_name_first": lambda g: (
        orgs(g)["name"].to_dict() == {"M1": "#邻里守望#志愿队"} or pytest.fail("a # name")
    ),
    "comment_rows_listed": two_orgs,
    "enc_big5": lambda g: (
        orgs(g)["name"].to_dict() == {"H1": "方塘社區聯合會", "M1": "愛心團隊（鄰里守望）"}
        or pytest.fail(f"Big5 read as {orgs(g)['name'].to_dict()}")
    ),
    # workbooks (calamine): formulas by their cached value, merged cells filled from the
    # top-left cell, a declared <dimension> of the whole grid not trusted
    "xlsx_formula_cached": two_orgs,
    "xlsx_merged_division": lambda g: (
        orgs(g)["division_code"].to_dict() == {"H1": FANGTANG, "M1": FANGTANG}
        or pytest.fail("merged division")
    ),
    "xlsx_huge_dimension": two_orgs,
}


def awards_only_gaps(g):
    """gaps once raised IndexError when the only money was an award to an admin unit."""
    gaps = cg.gaps(g)
    assert corpus.BINJIANG not in gaps.index  # H1 covers its own community
    assert len(gaps) == 949 and gaps["funding"].sum() == 0.0
    assert cg.funding_reach(g) == 0.0  # the award went to a covered community


#: Rows skipped as # comments: validate lists them (one line per sheet), read_registry
#: reads on. ``(code, row, column, rows listed)``.
NOTICES = {"comment_rows_listed": [("comment_rows", 4, "编号", "4-5")]}

# ---- cases that fail: (code, row, column) of every problem; file/sheet below --------

ORG = "组织"
FAIL = {
    "enc_mixed_rows": {("encoding", 4, None)},
    "enc_binary": {("encoding", None, None)},
    "not_a_workbook": {("not_xlsx", None, None)},
    "csv_unclosed_quote": {("not_csv", None, None)},
    "header_duplicate_meaning": {("duplicate_column", 1, "name")},
    "header_missing": {("missing_header", 1, None)},
    "sheet_unknown": {("unknown_sheet", None, None)},
    "sheet_missing_orgs": {
        ("missing_sheet", None, None),
        ("missing_node", 2, "来源"),
        ("missing_node", 2, "对象"),
    },
    "id_duplicate": {("duplicate_id", 4, "编号")},
    "id_whitespace_fullwidth": {("duplicate_id", 4, "编号"), ("duplicate_id", 5, "编号")},
    "id_missing_half_filled": {  # a blank role is role unknown, no problem
        ("missing_id", 4, "编号"),
        ("missing_name", 5, "组织名称"),
    },
    "division_unknown_name": {("unknown_division", 2, "所在社区")},
    "division_ambiguous_name": {("ambiguous_division", 2, "所在社区")},
    "division_wrong_length": {
        ("unknown_division", 2, "所在社区"),
        ("unknown_division", 3, "所在社区"),
    },
    "division_other_city": {("unknown_division", 2, "所在社区")},
    "credit_bad_check": {("bad_credit_code", 2, "统一社会信用代码")},
    "credit_bad_length_alphabet": {
        ("bad_credit_code", 2, "统一社会信用代码"),
        ("bad_credit_code", 3, "统一社会信用代码"),
    },
    "role_unknown": {("unknown_role", 2, "组织类型")},
    "amount_negative": {("negative_amount", 2, "金额（元）")},
    "amount_not_a_number": {("not_a_number", 2, "金额（元）"), ("not_a_number", 3, "金额（元）")},
    "date_bad": {("bad_date", 2, "成立日期"), ("bad_date", 3, "成立日期")},
    "date_end_before_start": {("end_before_start", 2, "注销日期")},
    "tie_incubation_cycle": {("cycle", 2, "对象"), ("cycle", 3, "对象")},
    "tie_self_loop": {("cycle", 2, "对象")},
    "tie_missing_node": {("missing_node", 2, "对象"), ("missing_node", 3, "来源")},
    "tie_unknown_kind": {
        ("unknown_edge_kind", 2, "关系类型"),
        ("unknown_edge_kind", 3, "关系类型"),
    },
    "tie_wrong_endpoint": {("wrong_endpoint", 2, "对象")},
    # round two (issue 17)
    "crash_urban_column": {("reserved_column", 1, "urban")},
    "crash_year_1e30": {("not_a_year", 2, "年度"), ("not_a_year", 3, "年度")},
    "date_guessed": {
        ("ambiguous_date", 2, "成立日期"),
        ("bad_date", 3, "成立日期"),
        ("bad_date", 4, "成立日期"),
        ("bad_date", 5, "成立日期"),
        ("bad_date", 6, "成立日期"),
    },
    "date_out_of_range": {
        ("date_out_of_range", 2, "成立日期"),
        ("date_out_of_range", 3, "成立日期"),
        ("date_out_of_range", 4, "成立日期"),
    },
    "amount_separators": {
        ("not_a_number", 2, "金额（元）"),
        ("not_a_number", 3, "金额（元）"),
        ("not_a_number", 4, "金额（元）"),
        ("missing_amount", 5, "金额（元）"),
    },
    "id_invisible": {
        *(("invisible_character", r, "编号") for r in (4, 5, 6, 7)),
        *(("duplicate_id", r, "编号") for r in (4, 5, 6, 7)),
    },
    "id_excel_error": {("excel_error", 4, "编号")},  # the one problem of that cell
    "column_missing_name": {("missing_column", 1, None)},
    "reference_unknown": {("unknown_funder", 2, "出资方"), ("unknown_program", 2, "所属项目")},
    "column_reserved": {
        ("reserved_column", 1, "level"),
        ("reserved_column", 1, "src_row"),
        ("reserved_column", 1, "src_file"),
    },
    "csv_semicolon": {("wrong_separator", None, None)},
    "header_row_25": {("no_header", None, None)},
    "columns_10000_headerless": {("missing_header", 1, None)},
    "empty_orgs_sheet": {("empty_registry", None, None)},
    "xlsx_formula_no_value": {
        ("formula_without_value", 2, "组织名称"),
        ("formula_without_value", 3, "所在社区"),
    },
    "xlsx_error_cells": {("error_cell", 3, "组织名称"), ("error_cell", 3, "金额（元）")},
    "xlsx_merged_bad_division": {
        ("unknown_division", 2, "所在社区"),
        ("unknown_division", 3, "所在社区"),
    },
    "xlsx_hidden_sheets": {("unknown_role", 2, "组织类型"), ("unknown_sheet", None, None)},
    "xlsx_far_cell_columns": {("too_large", None, None)},
    "xlsx_far_cell_cells": {("too_large", None, None)},
    "xlsx_encrypted": {("encrypted_xlsx", None, None)},
}
#: Message parts that must be in the case's first problem (what and how to fix).
SAYS = {
    "enc_mixed_rows": r"row 4 is GBK.*阳光协会.*CSV UTF-8",
    "division_wrong_length": r"2, 4, 6, 9 or 12 digits, this one 11",
    "division_other_city": r"under 3402 芜湖市",
    "division_ambiguous_name": r"340202015005.*340209001010.*write the division code",
    "credit_bad_check": r"check character is 4, should be 3",
    "amount_negative": r"value: -5000\.0\)",
    "tie_self_loop": r"self-loop",
    "id_whitespace_fullwidth": r"differ only by spaces, full-width forms or invisible",
    "crash_year_1e30": r"not a year \(value: '1e30'\)",
    "date_guessed": r"(?s)day and month order is not known.*two-digit year is not guessed",
    "date_out_of_range": r"(?s)outside 1678-01-01 \.\. 2261-12-31.*9999-12-31 \(no expiry\) is only an end",
    "amount_separators": r"(?s)value: '1\.234,56'.*not a thousands separator.*too large.*no amount",
    "id_invisible": r"row 4, column '编号': the id holds invisible characters \(U\+200B\)",
    "id_excel_error": r"Excel's error value",
    "column_missing_name": r"no '组织名称' \(name\) column",
    "column_reserved": r"'level' is used by civicgraph itself",
    "csv_semicolon": r"separated by ';'",
    "header_row_25": r"no header row in the first 20 rows",
    "columns_10000_headerless": r"10000 columns have values but no header: columns 4-10003\.",
    "empty_orgs_sheet": r"sheet '组织': the registry has no organization",
    "xlsx_formula_no_value": r"cell B2 holds a formula whose value was never calculated",
    "xlsx_error_cells": r"(?s)cell B3 holds an Excel error.*value: '#N/A'.*cell C3.*'#DIV/0!'",
    "xlsx_merged_bad_division": r"row 2, column '所在社区': no admin unit.*merged cell D2:D3",
    "xlsx_hidden_sheets": r"(?s)'Sheet1' \(the sheet is hidden\).*role \(the sheet is hidden\)",
    "xlsx_far_cell_columns": r"reaches column 16384, more than the 1000 columns",
    "xlsx_far_cell_cells": r"spans 140400000 cells \(rows × columns\), more than the 10000000",
    "xlsx_encrypted": r"the workbook is encrypted",
}


def test_every_case_has_an_expectation_and_a_file():
    assert set(OK) | set(FAIL) == set(corpus.CASES)
    assert not set(OK) & set(FAIL)
    assert len(corpus.CASES) >= 30
    on_disk = {p.name.removesuffix(".xlsx") for p in BAD.iterdir()}
    assert on_disk == set(corpus.CASES), "regenerate: python tests/data/make_bad_corpus.py"


@pytest.mark.parametrize("name", sorted(OK))
def test_reads(name, wuhu):
    g = cg.read_registry(path_of(name), divisions=wuhu)
    OK[name](g)
    table = cg.validate(path_of(name), divisions=wuhu)
    listed = [
        (c, int(r), col, re.search(r"rows (\S+)$", m).group(1))
        for c, r, col, m in zip(table.code, table.row, table.column, table.message)
    ]
    assert listed == NOTICES.get(name, [])


def test_cli_validate_lists_comment_rows_and_exits_0(capsys):
    try:
        main(["validate", str(path_of("comment_rows_listed"))])
    except SystemExit as exc:
        assert exc.code in (0, None)
    out, _ = capsys.readouterr()
    assert "2 row(s) starting with # skipped as comments: rows 4-5" in out


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")
def test_folder_reads_only_its_regular_files(tmp_path, wuhu):
    """A link out of the folder, a device and a FIFO are never opened (they would read
    forever, hang, or parse /etc/passwd); a link inside the folder is read."""
    import os

    reg = tmp_path / "reg"
    corpus.folder(reg, {"orgs.csv": corpus.ORGS})
    (reg / "组织.csv").symlink_to("orgs.csv")  # inside the folder: read
    (reg / "orgs.csv").rename(reg / "orgs.txt")
    (reg / "组织.csv").unlink()
    (reg / "组织.csv").symlink_to(reg / "orgs.txt")
    (reg / "资金.csv").symlink_to("/dev/zero")
    os.mkfifo(reg / "关系.csv")
    (reg / "项目.csv").symlink_to("/etc/passwd")
    with pytest.raises(cg.ValidationError) as info:
        cg.read_registry(reg, divisions=wuhu)
    got = {(Path(p.file).name, p.code, p.template) for p in info.value.problems}
    assert got == {
        ("资金.csv", "unsafe_file", "unsafe_file.symlink"),
        ("关系.csv", "unsafe_file", "unsafe_file.special"),
        ("项目.csv", "unsafe_file", "unsafe_file.symlink"),
    }
    assert "outside the registry folder (/etc/passwd)" in str(info.value)
    g = cg.read_registry(reg, divisions=wuhu, validate=False)
    two_orgs(g)  # the linked file inside the folder was read


@pytest.mark.parametrize("name", sorted(FAIL))
def test_fails_with_where_and_fix(name, wuhu):
    path = path_of(name)
    with pytest.raises(cg.ValidationError) as info:
        cg.read_registry(path, divisions=wuhu)
    problems = info.value.problems
    assert {(p.code, p.row, p.column) for p in problems} == FAIL[name]
    for p in problems:
        assert p.file is not None and Path(p.file).is_relative_to(path), p
        if path.suffix == ".xlsx" and p.code not in ("not_xlsx", "encrypted_xlsx"):
            assert p.sheet in (ORG, "Sheet1", "资金"), p
        assert p.fix, p
        # the words come from the message catalog, so they show in Chinese too
        zh = p.render("zh")
        assert p.text("zh") != p.text("en") and p.fix_text("zh") != p.fix_text("en"), zh
        said = (p.text("zh") + p.fix_text("zh")).replace(str(p.ctx.get("error", "")), "")
        assert not re.search(r"[A-Za-z]{4,} [A-Za-z]{3,}", said), zh  # a library's own error aside
    text = str(info.value)
    if name in SAYS:
        assert re.search(SAYS[name], text), text
    # the same problems as a table, without raising
    table = cg.validate(path, divisions=wuhu)
    assert len(table) == len(problems)
    assert {
        (c, None if pd.isna(r) else int(r), None if pd.isna(col) else col)
        for c, r, col in zip(table.code, table.row, table.column)
    } == FAIL[name]


@pytest.mark.parametrize("name", sorted(FAIL))
def test_cli_validate_exits_1_without_traceback(name, capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", str(path_of(name))])
    out, err = capsys.readouterr()
    assert info.value.code == 1, out + err
    assert "Traceback" not in out + err
    code = next(iter(FAIL[name]))[0]
    assert code in out + err


def test_cli_subprocess_message_and_debug(tmp_path):
    """A file that cannot be read at all: message and exit 1, traceback only with --debug."""
    path = str(path_of("not_a_workbook"))
    cmd = [sys.executable, "-m", "civicgraph", "report", path, "--out", str(tmp_path / "r.html")]
    plain = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert plain.returncode == 1
    assert "cannot open the workbook" in plain.stderr and "Fix:" in plain.stderr
    assert "Traceback" not in plain.stdout + plain.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "civicgraph", "--debug", *cmd[3:]],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "cannot open the workbook" in debug.stderr
    assert not (tmp_path / "r.html").exists()


def test_500k_rows_with_a_few_bad_ones(tmp_path, wuhu):
    """A 500,000-row CSV (written here, never committed): each bad row named exactly."""
    n = 500_000
    i = np.arange(n)
    comm = wuhu.ids[wuhu.mask(level="community")]
    df = pd.DataFrame(
        {
            "编号": pd.Series(i).astype(str).radd("o"),
            "组织名称": pd.Series(i).astype(str).radd("组织"),
            "组织类型": np.where(i % 10 == 0, "联合会", "社区社会组织"),
            "所在区划代码": comm[i % len(comm)],
            "成立日期": "2019/8/31",
        }
    )
    df.loc[1000, "成立日期"] = "去年"  # spreadsheet row 1002
    df.loc[250_000, "组织类型"] = "理事会"  # row 250002
    df.loc[n - 1, "编号"] = "o7"  # row 500001, a duplicate of row 9
    df.to_csv(tmp_path / "组织.csv", index=False)
    with pytest.raises(cg.ValidationError) as info:
        cg.read_registry(tmp_path, divisions=wuhu)
    assert {(p.code, p.row, p.column) for p in info.value.problems} == {
        ("bad_date", 1002, "成立日期"),
        ("unknown_role", 250_002, "组织类型"),
        ("duplicate_id", 500_001, "编号"),
    }


def test_progress_reports_each_step(wuhu):
    seen = []
    cg.read_registry(path_of("amount_forms"), divisions=wuhu, progress=seen.append)
    assert seen == [
        "reading 组织.csv",
        "reading 资金.csv",
        "reading 项目.csv",
        "organizations",
        "funding",
        "checking the graph",
    ]
