"""The ``civicgraph`` command line: a thin layer over the public API for policy staff.

Every command reads a registry (an xlsx workbook or a folder of CSVs, see
docs/registry-format.md) against the division codes, calls one public function and
prints or writes its table. No metric logic lives here.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ._errors import CivicGraphError, Problem, ValidationError
from ._version import __version__
from .catalog import translate_frame

__all__ = ["main"]

#: The registry argument may name the embedded example instead of a file.
EXAMPLE = "example:wuhu"

MESSAGES = {
    "reading": ("读取数据", "reading"),
    "computing": ("计算", "computing"),
    "writing": ("写出", "writing"),
    "wrote": ("已写出", "wrote"),
    "problems": ("发现 {n} 个问题", "{n} problem(s) found"),
    "no_problems": ("未发现问题", "no problems found"),
    "error": ("错误", "error"),
    "internal": (
        "内部错误（请用 --debug 查看详情并报告）",
        "internal error (run again with --debug for details, and report it)",
    ),
    "hint_divisions": (
        "提示：未指定 --divisions 时按内置的芜湖市区划代码核对；其他城市请用 "
        "--divisions 区划代码目录 --within 城市代码（或设置 CIVICGRAPH_DIVISIONS）",
        "hint: without --divisions the registry is checked against the embedded Wuhu "
        "codes; for another city give --divisions PATH --within CODE "
        "(or set CIVICGRAPH_DIVISIONS)",
    ),
    "summary": ("概况", "Summary"),
    "coverage": ("覆盖率", "Coverage"),
    "gaps": ("空白区域", "Gaps"),
    "placement": ("新枢纽组织选址", "Hub placement"),
    "demo_done": ("示例完成，输出在 {out}", "demo done; outputs in {out}"),
    "more_rows": (
        "……另有 {n} 行（用 --out 写出全部）",
        "... {n} more rows (use --out to write all)",
    ),
}


def _msg(key: str, lang: str, **kw) -> str:
    zh, en = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**kw)


class State:
    def __init__(self, lang: str, debug: bool):
        self.lang = lang
        self.debug = debug
        # piped output (files, CI logs) gets a wide page instead of rich's 80 columns
        self.out = Console(soft_wrap=False)
        if not self.out.is_terminal:
            self.out = Console(soft_wrap=False, width=200)
        self.err = Console(stderr=True)

    @contextmanager
    def step(self, key: str, detail: str = ""):
        """A progress line with a spinner and elapsed time while the step runs."""
        quiet = not self.err.is_terminal
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            TimeElapsedColumn(),
            console=self.err,
            transient=True,
            disable=quiet,
        ) as progress:
            head = f"{_msg(key, self.lang)} {_fmt(detail)}".strip()
            task = progress.add_task(head, total=None)
            yield lambda text: progress.update(task, description=f"{head}: {_fmt(text)}")

    def table(self, df: pd.DataFrame, title: str, *, top: int | None = 30) -> None:
        shown = df if top is None else df.head(top)
        percent = [c in PERCENT_COLUMNS for c in shown.columns]
        shown = translate_frame(shown, self.lang)
        t = Table(title=title, show_lines=False, header_style="bold")
        index_name = shown.index.name
        if index_name:
            t.add_column(str(index_name))
        for col in shown.columns:
            t.add_column(str(col), justify="right" if _numeric(shown[col]) else "left")
        for idx, row in shown.iterrows():
            cells = [_pct(v) if p else _fmt(v) for v, p in zip(row.tolist(), percent, strict=True)]
            t.add_row(*([_fmt(idx)] if index_name else []), *cells)
        self.out.print(t)
        if top is not None and len(df) > top:
            self.out.print(_msg("more_rows", self.lang, n=len(df) - top))


#: Columns holding shares in [0, 1], printed as percentages.
PERCENT_COLUMNS = frozenset({"share", "coverage"})


def _pct(v) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and not pd.isna(v):
        return f"{100 * v:.1f}%"
    return _fmt(v)


def _numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _fmt(v) -> str:
    """A cell for the terminal: numbers readable, markup and control characters inert."""
    from rich.markup import escape

    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        text = (
            f"{v:,.4f}".rstrip("0").rstrip(".")
            if abs(v) < 1
            else f"{v:,.2f}".rstrip("0").rstrip(".")
        )
    elif isinstance(v, int) and not isinstance(v, bool):
        text = f"{v:,}"
    else:
        text = str(v)
    return escape(_inert(text).replace("\n", " "))


# ----------------------------------------------------------------------------- loading


def _load(state: State, registry: str, divisions: str | None, within: str | None):
    import civicgraph as cg

    with state.step("reading", registry) as say:
        if registry == EXAMPLE:
            return cg.datasets.wuhu()
        admin = _divisions(divisions, within)
        try:
            return cg.read_registry(registry, divisions=admin, progress=say)
        except ValidationError as exc:
            _hint_divisions(state, divisions, [p.code for p in exc.problems])
            raise


def _divisions(divisions: str | None, within: str | None):
    import civicgraph as cg

    path = divisions or os.environ.get("CIVICGRAPH_DIVISIONS")
    if path is None:
        # the embedded Wuhu codes serve Wuhu registries without any further file
        return cg.read_divisions(cg.datasets.wuhu_divisions_path(), within=within or "3402")
    return cg.read_divisions(path, within=within)


def _hint_divisions(state: State, divisions: str | None, codes: list[str]) -> None:
    """Say how to read another city's codes when unknown codes met the Wuhu default."""
    default = divisions is None and not os.environ.get("CIVICGRAPH_DIVISIONS")
    if default and "unknown_division" in codes:
        state.err.print(_msg("hint_divisions", state.lang), markup=False)


def _write(state: State, df: pd.DataFrame, out: str | None, sheet: str) -> None:
    if out is None:
        return
    from .io.tables import write_table

    with state.step("writing", out):
        path = write_table(translate_frame(df, state.lang), out, sheet=sheet)
    state.err.print(f"{_msg('wrote', state.lang)} {_fmt(str(path))}")


# ----------------------------------------------------------------------------- commands

registry_arg = click.argument("registry", metavar="REGISTRY")
divisions_opt = click.option(
    "--divisions",
    type=click.Path(exists=True, dir_okay=True),
    help="NBS division codes: the folder of per-level files or one CSV "
    "(default: $CIVICGRAPH_DIVISIONS, else the embedded Wuhu codes).",
)
within_opt = click.option("--within", help="Only this admin unit and below, e.g. 3402.")
out_opt = click.option(
    "--out", type=click.Path(dir_okay=False), help="Write the table to .xlsx or .csv."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="civicgraph")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="en",
    show_default=True,
    help="Language of headers and messages.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, lang: str, debug: bool) -> None:
    """civicgraph: coverage, gaps and hub placement for community social organizations.

    REGISTRY is an xlsx workbook or a folder of CSVs (see `civicgraph template`), or
    `example:wuhu` for the embedded example.
    """
    ctx.obj = State(lang, debug)


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="civicgraph-demo",
    show_default=True,
    help="Folder for gaps.xlsx, coverage.xlsx and report.html.",
)
@click.pass_obj
def demo(state: State, out_dir: str) -> None:
    """Run the embedded Wuhu example end to end."""
    import civicgraph as cg

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = _load(state, EXAMPLE, None, None)
    with state.step("computing"):
        summary = cg.summary(g)
        coverage = cg.coverage(g, level="all", urban_only=True)
        gaps = cg.gaps(g, urban_only=True)
    state.table(summary, _msg("summary", state.lang), top=None)
    _write(state, gaps, str(out / "gaps.xlsx"), "gaps")
    _write(state, coverage, str(out / "coverage.xlsx"), "coverage")
    with state.step("writing", "report.html"):
        cg.report(g, path=out / "report.html", lang=state.lang)
    state.err.print(f"{_msg('wrote', state.lang)} {_fmt(str(out / 'report.html'))}")
    state.err.print(_msg("demo_done", state.lang, out=_fmt(str(out))))


@cli.command()
@registry_arg
@divisions_opt
@within_opt
@out_opt
@click.pass_obj
def validate(state: State, registry: str, divisions, within, out) -> None:
    """List every problem in a registry; exit code 1 when there is any."""
    import civicgraph as cg

    with state.step("reading", registry) as say:
        admin = _divisions(divisions, within)
        problems = cg.validate(registry, divisions=admin, progress=say, suggestions=True)
    problems = _print_suggestions(state, problems)
    if problems.empty:
        state.out.print(_msg("no_problems", state.lang))
        return
    _hint_divisions(state, divisions, problems["code"].tolist())
    # one line per problem, never cut to the terminal's width: where, what, how to fix
    state.out.print(_msg("problems", state.lang, n=len(problems)), style="bold")
    for record in problems.to_dict("records"):
        record = {k: (None if pd.isna(v) else v) for k, v in record.items()}
        record["row"] = None if record["row"] is None else int(record["row"])
        line = f"- {Problem(**record)} [{record['code']}]"
        state.out.print(_inert(line), markup=False, highlight=False, soft_wrap=True)
    _write(state, problems, out, "problems")
    from .io.registry.read import NOTICES

    if not problems["code"].isin(NOTICES).all():  # rows skipped as comments: told only
        sys.exit(1)


@cli.command()
@registry_arg
@click.option(
    "--level",
    default="street",
    show_default=True,
    type=click.Choice(["province", "city", "district", "street", "community", "all"]),
)
@click.option("--urban-only", is_flag=True, help="Count resident committees only.")
@click.option("--as-of", help="Date, e.g. 2019-08-31.")
@divisions_opt
@within_opt
@out_opt
@click.pass_obj
def coverage(state: State, registry, level, urban_only, as_of, divisions, within, out) -> None:
    """Coverage of communities by hubs, per admin unit."""
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.coverage(g, level=level, urban_only=urban_only, as_of=as_of)
    state.table(df, _msg("coverage", state.lang))
    _write(state, df, out, "coverage")


@cli.command()
@registry_arg
@click.option(
    "--level", default="community", show_default=True, type=click.Choice(["community", "street"])
)
@click.option("--urban-only", is_flag=True, help="Urban communities only.")
@click.option("--top", type=click.IntRange(min=1), help="Only the N highest priorities.")
@divisions_opt
@within_opt
@out_opt
@click.pass_obj
def gaps(state: State, registry, level, urban_only, top, divisions, within, out) -> None:
    """Uncovered units with the nearest hub and a priority score."""
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.gaps(g, level=level, urban_only=urban_only)
    if top is not None:
        df = df.head(top)
    state.table(df, _msg("gaps", state.lang))
    _write(state, df, out, "gaps")


@cli.command()
@registry_arg
@click.option("--k", type=click.IntRange(min=1), help="Number of new hubs.")
@click.option("--target", type=click.FloatRange(0, 1), help="Coverage share to reach.")
@click.option(
    "--candidates",
    default="street",
    show_default=True,
    type=click.Choice(["district", "street", "community"]),
)
@click.option("--max-communities", type=click.IntRange(min=1))
@click.option("--urban-only", is_flag=True)
@divisions_opt
@within_opt
@out_opt
@click.pass_obj
def place(
    state: State,
    registry,
    k,
    target,
    candidates,
    max_communities,
    urban_only,
    divisions,
    within,
    out,
) -> None:
    """Where new hubs would add most coverage (greedy)."""
    import civicgraph as cg

    if k is None and target is None:
        raise click.UsageError("give --k N or --target SHARE")
    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.place_hubs(
            g,
            k=k,
            target=target,
            candidates=candidates,
            max_communities=max_communities,
            urban_only=urban_only,
        )
    state.table(df.set_index("step"), _msg("placement", state.lang), top=None)
    _write(state, df, out, "placement")


@cli.command()
@registry_arg
@click.option("--out", type=click.Path(dir_okay=False), default="report.html", show_default=True)
@click.option("--pdf", type=click.Path(dir_okay=False), default=None,
              help="Also print the report to this A4 PDF (needs Chromium).")  # fmt: skip
@divisions_opt
@within_opt
@click.pass_obj
def report(state: State, registry, out, divisions, within, pdf) -> None:
    """Write the self-contained HTML report (and, with --pdf, an A4 PDF of it)."""
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("writing", out):
        cg.report(g, path=out, lang=state.lang, pdf=pdf)
    state.err.print(f"{_msg('wrote', state.lang)} {_fmt(str(out))}")


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.pass_obj
def template(state: State, out: str) -> None:
    """Write an empty registry workbook with Chinese and English headers."""
    import civicgraph as cg

    path = cg.write_template(out, lang=state.lang)
    state.err.print(f"{_msg('wrote', state.lang)} {_fmt(str(path))}")


def _print_suggestions(state: State, table: pd.DataFrame) -> pd.DataFrame:
    """Print the suggestions of ``validate(..., suggestions=True)``; the problems remain."""
    from .catalog import text

    hints = table[table["severity"] == "suggestion"]
    if len(hints):
        state.out.print(text("roles.cli.suggestions", state.lang, n=len(hints)), style="bold")
        for record in hints.drop(columns=["severity", "suggested"]).to_dict("records"):
            record = {k: (None if pd.isna(v) else v) for k, v in record.items()}
            record["row"] = None if record["row"] is None else int(record["row"])
            line = f"- {Problem(**record)} [{record['code']}]"
            state.out.print(_inert(line), markup=False, highlight=False, soft_wrap=True)
    problems = table[table["severity"] == "problem"]
    return problems.drop(columns=["severity", "suggested"]).reset_index(drop=True)


@cli.command()
@registry_arg
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    required=True,
    help="Registry to write (.xlsx, or a folder of CSVs) with the suggested roles filled in.",
)
@divisions_opt
@within_opt
@click.pass_obj
def roles(state: State, registry: str, out: str, divisions, within) -> None:
    """Suggest roles from names (hub, agency, center) and write the registry with them,
    to check and read back; rows without a suggestion stay `unknown`."""
    from .catalog import text
    from .io.registry.roles import write_roles

    with state.step("reading", registry):
        admin = _divisions(divisions, within)
        path, orgs = write_roles(registry, out, divisions=admin, lang=state.lang)
    filled = orgs[orgs["suggested_role"].notna()]
    if filled.empty:
        state.err.print(text("roles.cli.none", state.lang))
    else:
        title = text("roles.cli.title", state.lang)
        state.table(filled.drop(columns="suggested_role").set_index("id"), title, top=30)
    n, rest = len(filled), len(orgs) - len(filled)
    state.err.print(
        text("roles.cli.written", state.lang, n=n, rest=rest), markup=False, soft_wrap=True
    )
    state.err.print(f"{_msg('wrote', state.lang)} {_fmt(str(path))}")


# ----------------------------------------------------------------------------- entry


def main(argv: list[str] | None = None) -> None:
    """Run the command line; civicgraph errors become a message and exit code 1."""
    _run(cli, argv)


def _run(command: Callable, argv: list[str] | None) -> None:
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    lang = "zh" if _lang(args) == "zh" else "en"
    err = Console(stderr=True)
    try:
        command.main(args=args, prog_name="civicgraph", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except CivicGraphError as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("error", lang), str(exc))
        sys.exit(1)
    except (OSError, UnicodeError) as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("error", lang), str(exc))
        sys.exit(1)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("internal", lang), f"{type(exc).__name__}: {exc}")
        sys.exit(3)


def _error(err: Console, head: str, text: str) -> None:
    err.print(f"[bold red]{head}:[/] ", end="")
    err.print(_inert(text), markup=False, highlight=False, soft_wrap=True)


def _inert(text: str) -> str:
    """``text`` with control characters (terminal escapes) shown as U+FFFD; lines kept."""
    return "\n".join(
        "".join(ch if ch.isprintable() else "\ufffd" for ch in line) for line in text.split("\n")
    )


def _lang(args: list[str]) -> str:
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return "en"
