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
