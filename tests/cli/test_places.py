"""Any place from the national files, fully in zh or en.

For Hefei (3401), Beijing (1101, a municipality: its city level is 市辖区), a county-level
run (南陵县 340223) and a western prefecture with many townships (Kunming 5301), each
test writes the place's divisions (one CSV, read in milliseconds), writes an empty
registry with ``civicgraph template``, fills it with openpyxl (a center, two hubs, three
member organizations, a program and two grants, placed on the place's own units), runs
every command in zh or en, and checks names, values worked out from the division codes,
and that nothing of Wuhu shows. The HTML report, the slowest command, runs for the runs
in :data:`REPORTS` only (both languages on the county).
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pandas as pd
import pytest
from openpyxl import load_workbook

import civicgraph as cg
from civicgraph.cli import FUNDING_BY, cli, main
from tests.cli.test_cli import run as run_cli

PLACES = {"3401": "合肥市", "1101": "市辖区", "340223": "南陵县", "5301": "昆明市"}

#: The HTML report (the slowest command) is written for these runs only.
REPORTS = {("3401", "zh"), ("340223", "zh"), ("340223", "en"), ("5301", "en")}


def run(capsys, *args: str) -> tuple[int, str]:
    """Run the CLI in-process; return exit code and everything it printed."""
    code, out, err = run_cli(capsys, *args)
    return code, out + err


# ----------------------------------------------------------------------------- English?

#: Words that may appear in Chinese output: the program's name, formats, a measure's
#: name, and the codes a user types (choices of options).
_ALLOWED = {"civicgraph", "PageRank", "xlsx", "csv", "CSV", "html", "example", "wuhu", "MM",
            "PDF", "Chromium", "Word", "docx"}  # fmt: skip


def _codes() -> set[str]:
    out = set(FUNDING_BY) | {"zh", "en"} | set(cli.commands)
    out |= {"CIVICGRAPH_LANG", "CIVICGRAPH_DIVISIONS", "LANG", "LC_ALL"}
    for cmd in [cli, *cli.commands.values()]:
        for p in cmd.params:
            if isinstance(p.type, click.Choice):
                out |= {str(c) for c in p.type.choices}
    return out


def english_words(text: str, *, paths: tuple[str, ...] = ()) -> list[str]:
    """Words of English in ``text``: paths, option names, codes and ids aside."""
    for p in sorted(paths, key=len, reverse=True):
        text = text.replace(p, " ")
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # file paths
    text = re.sub(r"--[a-z-]+|\[[a-z_]+\]", " ", text)  # options, problem codes
    text = re.sub(r"\b[A-Z][A-Z_]*_[A-Z_]+\b", " ", text)  # environment variables
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z_]*[A-Za-z]", text) if len(w) >= 3]
    allowed = _ALLOWED | _codes()
    return [w for w in words if w not in allowed and w.lower() not in allowed]


def test_english_words_finds_sentences():
    assert english_words("覆盖率 24.1% civicgraph --within 3401 [bad_date]") == []
    assert english_words("no problems found") == ["problems", "found"]
    assert english_words("文件 /tmp/abc/x.xlsx", paths=("/tmp/abc",)) == []


# ----------------------------------------------------------------------------- places


def _communities(codes: pd.Series, prefix: str) -> list[str]:
    return sorted(c for c in codes if len(c) == 12 and c.startswith(prefix))


@pytest.fixture(scope="module", params=sorted(PLACES))
def place(request, national, tmp_path_factory):
    """The place's divisions CSV, a filled registry and the figures expected of it."""
    code = request.param
    root = tmp_path_factory.mktemp(f"place{code}")
    admin = national.within(code)
    nodes = admin.nodes.reset_index()[["id", "name"]]
    divisions = root / "divisions.csv"
    nodes.rename(columns={"id": "code"}).to_csv(divisions, index=False)
    ids = nodes["id"].astype(str)
    names = dict(zip(ids, nodes["name"].astype(str), strict=True))
    streets = sorted(c for c in ids if len(c) == 9)
    # S: the first street with at least two communities; c2, c3 in two other streets
    s = next(x for x in streets if len(_communities(ids, x)) >= 2)
    others = [x for x in streets if x != s and _communities(ids, x)]
    c2, c3 = _communities(ids, others[0])[0], _communities(ids, others[-1])[0]
    in_s = _communities(ids, s)
    top_level = "district" if len(code) == 6 else "city"
    orgs = [
        ("ZX01", "本地社会组织培育中心", "center", code, "2020-03-01"),
        ("SN01", f"{names[s]}社区社会组织联合会", "hub", s, "2021-05-01"),
        ("SN02", f"{names[c2]}社区社会组织联合会", "hub", c2, "2022-06-01"),
        ("ZZ01", "邻里互助队", "member", in_s[0], "2021-01-01"),
        ("ZZ02", "夕阳红志愿服务队", "member", c2, "2021-02-01"),
        ("ZZ03", "书香读书会", "member", c3, "2021-03-01"),
    ]
    programs = [("XM01", "2022年公益创投", "venture_philanthropy", top_level, "2022")]
    ties = [("ZX01", "SN01", "incubates", "2021-05-01"), ("ZZ01", "SN01", "member_of", "2021-05-01"),
            ("ZZ02", "SN02", "member_of", "2022-06-01")]  # fmt: skip
    funding = [("XM01", "SN01", "funds", 50000, "2022-06-01"),
               ("XM01", "ZZ03", "funds", 20000, "2022-07-01")]  # fmt: skip

    registry = root / "registry.xlsx"
    assert main_quiet("template", str(registry)) == 0
    wb = load_workbook(registry)
    sheets = {ws.cell(1, 1).value: ws for ws in wb.worksheets[1:]}

    def fill(ws, rows, columns):
        header = [str(c.value).split(" / ")[-1] for c in ws[1] if c.value]
        for r in range(ws.max_row, 1, -1):  # the example rows
            ws.delete_rows(r)
        for row in rows:
            ws.append([dict(zip(columns, row, strict=True)).get(h) for h in header])

    by_first = {str(k).split(" / ")[-1]: v for k, v in sheets.items()}
    org_sheet, prog_sheet = wb.worksheets[1], wb.worksheets[2]
    fill(org_sheet, orgs, ["id", "name", "role", "division_code", "start"])
    fill(prog_sheet, programs, ["id", "name", "program_type", "funder_level", "year"])
    fill(wb.worksheets[3], ties, ["source", "target", "kind", "start"])
    fill(wb.worksheets[4], funding, ["source", "target", "kind", "amount", "start"])
    assert set(by_first) == {"id", "source"}
    wb.save(registry)

    all_comm = [c for c in ids if len(c) == 12]
    districts = [c for c in ids if len(c) == 6]
    return {
        "code": code,
        "root": root,
        "divisions": divisions,
        "registry": registry,
        "names": names,
        "streets": streets,
        "s": s,
        "c2": c2,
        "c3": c3,
        "communities": len(all_comm),
        "covered": len(in_s) + 1,
        "districts": len(districts) if len(code) == 4 else 0,
    }


def main_quiet(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return exc.code or 0
    return 0


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")


#: Hefei has a street of its own named after Wuhu: the place's own names are no Wuhu text.
_OWN_NAMES: list[str] = []


def _no_wuhu(text: str) -> None:
    for name in _OWN_NAMES:
        text = text.replace(name, "")
    # Hefei's own roads named after Wuhu (芜湖路街道, 芜湖东路社区...), also in labels cut short
    text = re.sub(r"芜湖[东西南北]?路", "", text)
    found = re.search(r".{0,60}(芜湖|wuhu).{0,60}", text, re.IGNORECASE | re.DOTALL)
    assert found is None, found.group(0)  # the place, not the whole page (pytest would diff it)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_on_the_place(place, lang, capsys):
    p = place
    root, names = p["root"] / lang, p["names"]
    _OWN_NAMES[:] = [n for n in names.values() if "芜湖" in str(n)]
    root.mkdir(exist_ok=True)
    base = [str(p["registry"]), "--divisions", str(p["divisions"]), "--lang", lang]
    zh = lang == "zh"
    outputs = []

    def cmd(*args: str, expect: int = 0) -> str:
        code, text = run(capsys, *args)
        assert code == expect, text
        outputs.append(text)
        if zh:
            assert english_words(text, paths=(str(p["root"]),)) == [], text
        return text

    def col(name_zh, name_en):
        return name_zh if zh else name_en

    text = cmd("validate", *base)
    assert ("未发现问题" if zh else "no problems found") in text

    # coverage: the place's own row, no total row repeating it
    out = root / "coverage.xlsx"
    cmd("coverage", *base, "--level", "all", "--out", str(out))
    sheets = _sheets(out)
    assert list(sheets) == (["覆盖率", "说明"] if zh else ["coverage", "About"])
    cov = sheets["覆盖率" if zh else "coverage"]
    id_col = col("编号", "id")
    cov[id_col] = cov[id_col].astype(str)
    top = cov[cov[id_col] == p["code"]].iloc[0]
    assert top[col("社区数", "communities")] == p["communities"]
    assert top[col("已覆盖", "covered")] == p["covered"]
    assert float(top[col("覆盖率", "share")]) == pytest.approx(p["covered"] / p["communities"])
    assert col("合计", "total") not in cov[id_col].tolist()
    street = cov[cov[id_col] == p["s"]].iloc[0]
    assert street[col("名称", "name")] == names[p["s"]]
    assert street[col("上级名称", "parent name")] == names[p["s"][:6]]
    about = sheets["说明" if zh else "About"]
    assert f"{names[p['code']]}" in " ".join(about.iloc[:, 1].astype(str))
    assert p["code"] in " ".join(about.iloc[:, 1].astype(str))

    # gaps: uncovered communities, names beside codes, the nearest hub by name
    big = p["communities"] > 5000  # Beijing: its 7,494 gaps go to csv (the xlsx is slow)
    out = root / ("gaps.xlsx" if zh and not big else "gaps.csv")
    cmd("gaps", *base, "--out", str(out))
    if out.suffix == ".xlsx":
        gaps = _sheets(out)["空白区域"]
    else:
        gaps = pd.read_csv(out, encoding="utf-8-sig", dtype=object)
    gaps[id_col] = gaps[id_col].astype(str)
    assert len(gaps) == p["communities"] - p["covered"]
    c3 = gaps[gaps[id_col] == p["c3"]].iloc[0]
    assert c3[col("区县名称", "district name")] == names[p["c3"][:6]]
    assert c3[col("街道乡镇名称", "street name")] == names[p["c3"][:9]]
    assert c3[col("最近枢纽组织名称", "nearest hub name")].endswith("社区社会组织联合会")
    assert c3[col("城市社区", "urban")] in (("是", "否") if zh else ("yes", "no"))

    text = cmd("summary", *base, "--out", str(root / "summary.csv"))
    summary = pd.read_csv(root / "summary.csv", encoding="utf-8-sig")
    values = dict(zip(summary[col("项目", "item")], summary[col("数值", "value")], strict=False))
    assert int(values[col("枢纽型组织", "hubs")]) == 2
    assert int(values[col("社区社会组织", "member organizations")]) == 3
    assert summary[col("说明", "note")].isna().all()  # no Wuhu note

    text = cmd("centrality", *base, "--top", "2")
    assert names[p["s"]] in text  # SN01 incubated and with a member: first by PageRank

    text = cmd("funding", *base, "--by", "program,year")
    assert "2022年公益创投" in text and "70,000" in text

    out = root / "trend.xlsx"
    cmd("trend", *base, "--out", str(out))
    trend = _sheets(out)["逐年变化" if zh else "trend"]
    assert trend[col("年份", "year")].astype(int).tolist() == [2020, 2021, 2022]
    assert trend[col("枢纽组织数", "hubs")].astype(int).tolist() == [0, 1, 2]

    out = root / "rules.xlsx"
    cmd("rules", *base, "--out", str(out))
    rules = _sheets(out)["政策对照" if zh else "rules"]
    center_rule = rules[rules[col("规则", "rule")].astype(str).str.contains(
        "孵化培育中心" if zh else "incubation center")]  # fmt: skip
    assert len(center_rule) == p["districts"]  # the center is located in the city itself

    text = cmd("place", *base, "--k", "1")
    assert any(n in text for n in names.values() if n)
    text = cmd("template", str(root / "template.xlsx"), "--lang", lang)
    if (p["code"], lang) not in REPORTS:
        _written_has_no_wuhu(root, outputs)

    if (p["code"], lang) not in REPORTS:
        return
    html = root / "report.html"
    cmd("report", *base, "--out", str(html), "--title", "本地报告", "--as-of", "2022-12-31")
    page = html.read_text(encoding="utf-8")
    assert "本地报告" in page and names[p["s"]] in page
    _no_wuhu(page)

    _written_has_no_wuhu(root, outputs)


def _written_has_no_wuhu(root: Path, outputs: list[str]) -> None:
    for f in root.glob("*.xlsx"):
        _no_wuhu(" ".join(str(v) for df in _sheets(f).values() for v in df.to_numpy().ravel()))
    for f in root.glob("*.csv"):
        _no_wuhu(f.read_text(encoding="utf-8-sig"))
    _no_wuhu("\n".join(outputs))


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_help_is_chinese(capsys, command):
    code, text = run(capsys, *([command] if command else []), "--help", "--lang", "zh")
    assert code == 0
    assert "用法：" in text and "选项" in text
    assert english_words(text) == [], text


def test_lang_after_the_command_and_from_the_environment(capsys, monkeypatch):
    monkeypatch.delenv("CIVICGRAPH_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    _, text = run(capsys, "coverage", "example:wuhu", "--level", "city")
    assert "覆盖率" in text
    _, text = run(capsys, "coverage", "example:wuhu", "--level", "city", "--lang", "en")
    assert "share" in text and "覆盖率" not in text
    monkeypatch.setenv("CIVICGRAPH_LANG", "en")
    _, text = run(capsys, "coverage", "example:wuhu", "--level", "city")
    assert "share" in text


def test_within_takes_codes_and_names(capsys, divisions_path, tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "id,name,role,division_code\nSN1,蜀山区枢纽,hub,340104001001\n", encoding="utf-8"
    )
    for within in ("340100", "合肥市蜀山区"):
        code, text = run(capsys, "coverage", str(folder), "--divisions", str(divisions_path),
                         "--within", within, "--level", "district", "--lang", "zh")  # fmt: skip
        assert code == 0, text
        assert "蜀山区" in text
    code, text = run(capsys, "coverage", str(folder), "--divisions", str(divisions_path),
                     "--within", "朝阳区", "--lang", "zh")  # fmt: skip
    assert code == 2  # wrong usage: the name is ambiguous
    assert "110105" in text and "220104" in text and "北京市朝阳区" in text


def test_usage_errors_in_chinese(capsys):
    for args in (["coverag"], ["coverage", "--levl", "x"], ["coverage"], ["place", "example:wuhu"],
                 ["coverage", "example:wuhu", "--level", "town"],
                 ["trend", "example:wuhu", "--years", "20x"]):  # fmt: skip
        code, text = run(capsys, *args, "--lang", "zh")
        assert code == 2, args
        assert "错误：" in text and "用法：" in text
        assert english_words(text, paths=tuple(args)) == [], text  # what was typed aside


def test_validate_prints_problems_as_rendered(capsys, tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "id,name,role,division_code\nh1,甲,hub,340202012001\nh1,乙,boss,340202012001\n",
        encoding="utf-8",
    )
    with pytest.raises(cg.ValidationError) as info:
        cg.read_registry(folder, divisions=cg.read_divisions(cg.datasets.wuhu_divisions_path()))
    out = tmp_path / "problems.xlsx"
    code, text = run(capsys, "validate", str(folder), "--lang", "zh", "--out", str(out))
    assert code == 1
    lines = text.splitlines()
    assert lines[0] == f"发现 {len(info.value.problems)} 个问题"
    for p in info.value.problems:
        assert f"- {p.render('zh')} [{p.code}]" in lines
    # every line the command itself writes is Chinese (the problems are rendered by the
    # registry reader's catalog entries)
    own = [ln for ln in lines if not ln.startswith("- ")]
    assert english_words("\n".join(own), paths=(str(tmp_path),)) == []
    sheets = _sheets(out)
    assert list(sheets) == ["问题清单", "说明"]
    assert list(sheets["问题清单"].columns) == ["文件", "工作表", "行", "列", "数值", "问题代码",
                                              "说明", "修改建议"]  # fmt: skip


def test_validate_out_always_written_with_the_suggestions(capsys, tmp_path):
    """``validate --out`` writes the workbook also when there is no problem (the problems
    sheet with its headers alone), and the suggestions in a sheet of their own."""
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "组织.csv").write_text(
        "编号,组织名称,组织类型,所在区划代码\n"
        "h1,方塘社区社会组织联合会,,340202012001\nm1,书画社,社区社会组织,340202012001\n",
        encoding="utf-8",
    )
    out = tmp_path / "问题.xlsx"
    code, text = run(capsys, "validate", str(folder), "--lang", "zh", "--out", str(out))
    assert code == 0 and "未发现问题" in text and "另有 1 条建议" in text
    sheets = _sheets(out)
    assert list(sheets) == ["问题清单", "核实建议", "说明"]
    assert sheets["问题清单"].empty and "修改建议" in sheets["问题清单"].columns
    hint = sheets["核实建议"]
    assert hint[["行", "问题代码", "数值"]].values.tolist() == [
        [2, "suggest_role", "方塘社区社会组织联合会"]
    ]
    assert "核实建议" in " ".join(sheets["说明"].astype(str).to_numpy().ravel())
    csv = tmp_path / "问题.csv"  # one table in a CSV: the problems
    code, _ = run(capsys, "validate", str(folder), "--lang", "zh", "--out", str(csv))
    assert code == 0 and list(pd.read_csv(csv).columns)[:2] == ["文件", "工作表"]


def test_definition_and_districts_only_options(capsys, tmp_path):
    """``--definition own`` and ``--districts-only`` reach the metric (the same rows as
    the API), and the 说明 sheet says which reading was taken, with its definition."""
    g = cg.datasets.wuhu()
    out = tmp_path / "own.xlsx"
    args = ("gaps", "example:wuhu", "--definition", "own", "--districts-only", "--lang", "zh")
    code, _ = run(capsys, *args, "--out", str(out))
    assert code == 0
    sheets = _sheets(out)
    want = cg.gaps(g, definition="own", districts_only=True)
    assert sheets["空白区域"]["编号"].astype(str).tolist() == [str(i) for i in want.index]
    assert len(want) != len(cg.gaps(g))  # (the options change the answer)
    about = dict(sheets["说明"].astype(str).to_numpy().tolist())
    assert about["覆盖口径"].startswith("本社区") and about["区县范围"].startswith("只计市辖区")
    assert about["定义"].startswith("空白区域是本身没有有效枢纽组织的社区")
    code, _ = run(
        capsys, "coverage", "example:wuhu", "--lang", "zh", "--out", str(tmp_path / "s.xlsx")
    )
    about = dict(_sheets(tmp_path / "s.xlsx")["说明"].astype(str).to_numpy().tolist())
    assert about["覆盖口径"].startswith("服务范围") and "区县范围" not in about
    for command in ("coverage", "summary", "place"):
        extra = ("--k", "2") if command == "place" else ()
        code, text = run(capsys, command, "example:wuhu", "--definition", "own", *extra)
        assert code == 0, (command, text)
    total = cg.coverage(g, definition="own", districts_only=True).loc["total", "covered"]
    code, text = run(capsys, "coverage", "example:wuhu", "--definition", "own",
                     "--districts-only", "--level", "district", "--lang", "zh")  # fmt: skip
    assert code == 0 and re.search(rf"合计\s*│\s*合计.*│\s*{total}\s*│", text)
    code, text = run(capsys, "gaps", "example:wuhu", "--definition", "mine", "--lang", "zh")
    assert code == 2 and "--definition 的值应为：served、own" in text


def test_a_within_naming_no_unit_is_wrong_usage(capsys):
    code, text = run(capsys, "coverage", "example:wuhu", "--within", "9999", "--lang", "zh")
    assert code == 2
    assert "没有以“9999”开头的代码" in text and english_words(text, paths=("9999",)) == []
    code, text = run(capsys, "gaps", "example:wuhu", "--within", "南陵县", "--top", "3")
    assert code == 0 and "南陵县" in text and "340223" in text and "340202" not in text
