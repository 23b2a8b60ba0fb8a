"""Strings from the data never act: no markup or escapes in the terminal, no formulas in
xlsx, no HTML; paths on the command line never lead to writing elsewhere."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from rich.console import Console

import civicgraph as cg
from civicgraph.cli import _fmt, main
from civicgraph.io.tables import write_table

MARKUP = "[red]x[/red]"
ESC = "\x1b[31m红\x1b[0m"
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)"]


def rendered(text: str) -> str:
    console = Console(record=True, width=200, color_system=None, file=io.StringIO())
    console.print(text)
    return console.export_text()


def test_fmt_makes_markup_and_escapes_inert():
    assert rendered(_fmt(MARKUP)).strip() == MARKUP
    shown = rendered(_fmt(ESC)).strip()
    assert "\x1b" not in shown and shown == "\ufffd[31m红\ufffd[0m"
    assert _fmt("a\nb") == "a b"


@pytest.fixture
def hostile_registry(tmp_path):
    """An organization whose role cell holds markup and a terminal escape."""
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "组织.csv").write_text(
        f"编号,组织名称,组织类型\nH1,{MARKUP},{MARKUP}{ESC}\n", encoding="utf-8"
    )
    return folder


def test_cli_prints_data_as_text(hostile_registry, capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", str(hostile_registry)])
    out, err = capsys.readouterr()
    assert info.value.code == 1
    assert MARKUP in out  # shown literally, not as red
    assert "\x1b" not in out + err


def test_write_table_never_writes_formulas(tmp_path):
    df = pd.DataFrame({"name": [*FORMULAS, ESC]}, index=pd.Index(list("abcde"), name="id"))
    path = write_table(df, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["data"]
    cells = [ws.cell(row=r, column=2) for r in range(2, 7)]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert [c.value for c in cells[:4]] == FORMULAS
    assert cells[4].value == "\\x1b[31m红\\x1b[0m"
    csv = write_table(df, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n'+1+1" not in csv.replace("a,'+1+1", "")


def test_write_registry_never_writes_formulas(tmp_path, toy):
    n, e = toy.to_frames()
    n.loc[n["id"] == "H1", "name"] = FORMULAS[0]
    n.loc[n["id"] == "M1", "name"] = ESC
    g = cg.CivicGraph.from_frames(n, e)
    path = cg.write_registry(g, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["组织"]
    names = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)
    }
    assert names["H1"].data_type == "s" and names["H1"].value == FORMULAS[0]
    # stored with Excel's _xHHHH_ escape, which Excel and civicgraph read back exactly
    assert names["M1"].value == "_x001B_[31m红_x001B_[0m"
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_name("组织").to_python()
    assert ESC in [r[1] for r in rows]


def test_report_escapes_names(tmp_path, toy):
    n, e = toy.to_frames()
    n.loc[n["id"] == "H1", "name"] = "<script>alert(1)</script>"
    n.loc[n["id"] == "M1", "name"] = '"><img src=x onerror=alert(2)>'
    out = cg.report(cg.CivicGraph.from_frames(n, e), path=tmp_path / "r.html", lang="en")
    assert out == tmp_path / "r.html"  # with a path, the path written
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cli_writes_only_where_told(tmp_path, monkeypatch, hostile_registry):
    """--out with .. or an absolute path writes that one file; nothing else appears."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    target = tmp_path / "outside" / "problems.xlsx"
    with pytest.raises(SystemExit):
        main(["validate", str(hostile_registry), "--out", str(target)])
    assert target.exists()
    assert list(work.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "outside", "reg"]
    main(["template", "t.xlsx"])
    assert [p.name for p in work.iterdir()] == ["t.xlsx"]


def test_cli_prints_paths_as_text(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = "[red]x[bold]y.xlsx"  # a file name that is also rich markup
    main(["template", name])
    _, err = capsys.readouterr()
    assert name in err
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_demo_writes_only_into_out(tmp_path, monkeypatch):
    """--out with .. parts: the fixed names land in the folder it names, nowhere else."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    main(["--lang", "en", "demo", "--out", "../demo-out/x/.."])
    assert list(work.iterdir()) == []  # nothing in the working folder
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "cwd",
        "demo-out",
        "demo-out/coverage.xlsx",
        "demo-out/gaps.xlsx",
        "demo-out/report.html",
        "demo-out/x",
    ]
