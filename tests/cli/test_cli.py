"""The command line: each command end to end on the embedded example and small files."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook

import civicgraph as cg
from civicgraph.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return exit code, stdout, stderr."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def test_coverage_prints_and_writes(capsys, tmp_path):
    out_file = tmp_path / "cov.xlsx"
    code, out, _ = run(
        capsys,
        "coverage",
        "example:wuhu",
        "--level",
        "district",
        "--urban-only",
        "--out",
        str(out_file),
    )
    assert code == 0
    assert "镜湖区" in out and "24.1%" in out  # total row: 77 / 320
    ws = load_workbook(out_file).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["id", "name", "level"]
    expected = cg.coverage(cg.datasets.wuhu(), level="district", urban_only=True)
    assert ws.max_row == len(expected) + 1


def test_lang_zh_headers(capsys, tmp_path):
    out_file = tmp_path / "cov.csv"
    code, out, _ = run(
        capsys,
        "--lang",
        "zh",
        "coverage",
        "example:wuhu",
        "--level",
        "district",
        "--out",
        str(out_file),
    )
    assert code == 0
    assert "覆盖率" in out and "区县" in out
    df = pd.read_csv(out_file, encoding="utf-8-sig")
    assert list(df.columns[:3]) == ["编号", "名称", "层级"]


def test_gaps_top(capsys, tmp_path):
    out_file = tmp_path / "gaps.csv"
    code, out, _ = run(
        capsys, "gaps", "example:wuhu", "--urban-only", "--top", "7", "--out", str(out_file)
    )
    assert code == 0
    df = pd.read_csv(out_file, encoding="utf-8-sig", dtype={"id": str})
    expected = cg.gaps(cg.datasets.wuhu(), urban_only=True).head(7)
    assert df["id"].tolist() == [str(i) for i in expected.index]


def test_place_needs_k_or_target(capsys):
    code, _, err = run(capsys, "place", "example:wuhu")
    assert code == 2 and "give --k N (number of new hubs) or --target SHARE" in err
    code, out, _ = run(capsys, "place", "example:wuhu", "--k", "3", "--urban-only")
    assert code == 0
    expected = cg.place_hubs(cg.datasets.wuhu(), k=3, urban_only=True)
    for unit in expected["unit"]:
        assert str(unit) in out


def test_template_then_validate(capsys, tmp_path):
    path = tmp_path / "registry.xlsx"
    code, _, _ = run(capsys, "template", str(path))
    assert code == 0 and path.exists()
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "no problems" in out


def test_template_within_the_users_city(capsys, tmp_path, divisions_path):
    """``template --within`` gives example rows of that city; without ``--divisions`` a
    city outside the embedded Wuhu codes is an error with the hint how to read its codes."""
    import openpyxl

    path = tmp_path / "洛阳登记表.xlsx"
    args = ("template", str(path), "--within", "洛阳市", "--lang", "zh")
    code, _, err = run(capsys, *args, "--divisions", str(divisions_path))
    assert code == 0 and "已写出" in err and "提示" not in err
    assert openpyxl.load_workbook(path)["组织"]["E2"].value == "410302001001"
    code, _, err = run(capsys, "template", str(tmp_path / "t.xlsx"), "--lang", "zh")
    assert code == 0 and "提示：加上 --within 本市名称" in err
    path.unlink()
    code, _, err = run(capsys, *args)
    assert code == 2 and "--divisions" in err and "洛阳市" in err and not path.exists()


def test_validate_lists_problems_and_exits_1(capsys, tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "id,name,role,division_code\nh1,<b>hub</b>,hub,340202012001\nh1,dup,hub,999\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(folder))
    assert code == 1
    assert "duplicate" in out.lower() and "organizations.csv" in out


def test_errors_have_no_traceback_unless_debug(capsys, tmp_path):
    missing = tmp_path / "nope.xlsx"
    code, _, err = run(capsys, "coverage", str(missing))
    assert code == 1
    assert "Traceback" not in err and "nope.xlsx" in err
    code, _, err = run(capsys, "--debug", "coverage", str(missing))
    assert code == 1 and "Traceback" in err


def test_module_entry_point():
    res = subprocess.run(
        [sys.executable, "-m", "civicgraph", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert res.stdout.strip() == f"civicgraph, version {cg.__version__}"


@pytest.mark.parametrize("name", ["[red]x[/red]", "\x1b[31mred", "=1+1"])
def test_terminal_output_is_inert(name):
    from civicgraph.cli import _fmt

    text = _fmt(name)
    assert "\x1b" not in text
    if name.startswith("["):
        assert text == "\\[red]x\\[/red]"  # rich markup escaped, shown as typed


def test_other_city_without_divisions_gets_a_hint(capsys, tmp_path, divisions_path):
    folder = tmp_path / "beijing"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "id,name,role,division_code\nh1,hub,hub,110101001001\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "validate", str(folder))
    assert code == 1 and "--divisions PATH --within CODE" in err
    code, out, _ = run(
        capsys, "validate", str(folder), "--divisions", str(divisions_path), "--within", "1101"
    )
    assert code == 0 and "no problems" in out
