import pandas as pd
import pytest
from openpyxl import load_workbook

import civicgraph as cg
from civicgraph.io.tables import write_table, write_tables


@pytest.fixture
def hostile():
    return pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "plain"],
            "amount": [-5.0, 1.0, 2.0, 3.0, 4.0],
        },
        index=pd.Index(["a", "b", "c", "d", "e"], name="id"),
    )


def test_xlsx_never_holds_formulas(tmp_path, hostile):
    path = write_table(hostile, tmp_path / "out.xlsx", sheet="gaps")
    ws = load_workbook(path)["gaps"]
    assert [c.value for c in ws[1]] == ["id", "name", "amount"]
    names = [ws.cell(row=r, column=2) for r in range(2, 7)]
    assert [c.value for c in names] == list(hostile["name"])
    assert all(c.data_type == "s" for c in names)
    assert ws.cell(row=2, column=3).value == -5.0  # numbers stay numbers


def test_csv_prefixes_formula_strings(tmp_path, hostile):
    path = write_table(hostile, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["name"].tolist() == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert back["amount"].tolist() == [-5.0, 1.0, 2.0, 3.0, 4.0]


def test_bad_suffix_and_many_tables_to_csv(tmp_path, hostile):
    with pytest.raises(cg.SchemaError, match="ending in .xlsx or .csv"):
        write_table(hostile, tmp_path / "out.txt")
    with pytest.raises(cg.SchemaError, match="a csv file holds one table"):
        write_tables({"a": hostile, "b": hostile}, tmp_path / "out.csv")


def test_every_text_like_column_is_neutralised(tmp_path):
    df = pd.DataFrame(
        {
            "cat": pd.Categorical(["=1+1", "ok"]),
            "obj": pd.Series(["@SUM(A1)", 3], dtype=object, index=["+x", "b"]),
            "text": pd.array(["-2", "line 1\r\nline 2"], dtype="string"),
        },
        index=pd.Index(["+x", "b"], name="id"),
    )
    csv = write_table(df, tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    back = pd.read_csv(tmp_path / "x.csv", encoding="utf-8-sig", dtype=str)
    assert back["id"].tolist() == ["'+x", "b"]
    assert back["cat"].tolist() == ["'=1+1", "ok"]
    assert back["obj"].tolist() == ["'@SUM(A1)", "3"]
    assert back["text"].tolist() == ["'-2", "line 1\r\nline 2"]  # line breaks kept
    assert "\n=1+1" not in csv and ",=1+1" not in csv
    ws = load_workbook(write_table(df, tmp_path / "x.xlsx"))["data"]
    cells = [ws.cell(row=2, column=c) for c in range(1, 5)]
    assert [c.value for c in cells] == ["+x", "=1+1", "@SUM(A1)", "-2"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    # the carriage return is stored as OOXML's escape _x000D_, which Excel reads back as \r
    # (openpyxl leaves the escape as it is)
    assert ws.cell(row=3, column=4).value.replace("_x000D_", "\r") == "line 1\r\nline 2"


def test_characters_no_workbook_holds_are_written_out(tmp_path):
    df = pd.DataFrame({"name": ["a\ufffeb", "c\uffffd", "e\x07f"]})
    ws = load_workbook(write_table(df, tmp_path / "x.xlsx"))["data"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == [
        "a\\ufffeb",
        "c\\uffffd",
        "e\\x07f",
    ]
    back = pd.read_csv(write_table(df, tmp_path / "x.csv"), encoding="utf-8-sig")
    assert back["name"].tolist() == ["a\\ufffeb", "c\\uffffd", "e\\x07f"]


def test_workbook_ready_to_read(tmp_path):
    df = pd.DataFrame(
        {"名称": ["镜湖区", "很长的名称" * 20], "share": [0.2406, None], "n": [1, 2]},
        index=pd.Index(["340202", "340207"], name="id"),
    )
    about = pd.DataFrame({"item": ["as of"], "text": ["2023-12-31"]})
    path = write_tables(
        {"gaps": df, "About": about}, tmp_path / "x.xlsx", formats={"share": "0.0%"}
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["gaps", "About"]
    ws = wb["gaps"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D3"
    assert ws["C2"].value == 0.2406 and ws["C2"].number_format == "0.0%"
    assert ws["C3"].value is None  # blank, not 0 or nan
    assert 60 <= ws.column_dimensions["B"].width < 61  # capped at 60 characters
    assert 8 <= ws.column_dimensions["A"].width <= 10  # 6 digits + margin
    assert ws.column_dimensions["B"].width > ws.column_dimensions["D"].width
