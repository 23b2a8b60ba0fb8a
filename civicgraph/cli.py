"""The ``civicgraph`` command line: a thin layer over the public API for policy staff.

Every command reads a registry (an xlsx workbook or a folder of CSVs, see
docs/registry-format.md) against the division codes, calls one public function and
prints or writes its table. No metric logic lives here.

Every word it prints, its ``--help`` included, comes from the message catalog
(``civicgraph/catalog/cli.{zh,en}.json``) in the language chosen with ``--lang`` (before
or after the command), else ``CIVICGRAPH_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG`` starting with ``zh``). Exit codes: 0 ok, 1 problems in the
data, 2 wrong usage, 3 an internal error.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pandas as pd

from ._errors import CivicGraphError, ValidationError
from ._version import __version__
from .catalog import text

if TYPE_CHECKING:  # rich is imported when something is printed (the commands import the rest)
    from rich.console import Console

__all__ = ["main"]

#: The registry argument may name the embedded example instead of a file.
EXAMPLE = "example:wuhu"

#: Exit codes.
OK, DATA_PROBLEM, USAGE, INTERNAL = 0, 1, 2, 3

#: The language of this run (set by :func:`main` from the arguments and environment).
_LANG = {"lang": None}


def env_lang(environ: dict | None = None) -> str:
    """The language the environment asks for: ``CIVICGRAPH_LANG``, else the first set of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; ``zh`` when it starts with ``zh``, else ``en``.

    >>> env_lang({"LANG": "zh_CN.UTF-8"}), env_lang({"LANG": "en_US.UTF-8"}), env_lang({})
    ('zh', 'en', 'en')
    >>> env_lang({"CIVICGRAPH_LANG": "en", "LANG": "zh_CN.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    for name in ("CIVICGRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _current() -> str:
    return _LANG["lang"] or env_lang()


def _msg(key: str, lang: str | None = None, **kw) -> str:
    return text(f"cli.msg.{key}", lang or _current(), **kw)


# ----------------------------------------------------------------------------- help


def _help(value: str | None) -> str | None:
    """Help text: ``@key`` is the catalog's ``cli.<key>`` in the language of the run."""
    if isinstance(value, str) and value.startswith("@"):
        return text(f"cli.{value[1:]}", _current())
    return value


class _Option(click.Option):
    def make_metavar(self, ctx=None) -> str:
        if isinstance(self.metavar, str) and self.metavar.startswith("@"):
            return text(f"cli.{self.metavar[1:]}", _current())
        return super().make_metavar(ctx)

    def get_help_record(self, ctx):
        saved = self.help
        self.help = _help(saved)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = saved


class _Argument(click.Argument):
    def make_metavar(self, ctx=None) -> str:
        if isinstance(self.metavar, str) and self.metavar.startswith("@"):
            return text(f"cli.{self.metavar[1:]}", _current())
        return super().make_metavar(ctx)


class _Texts:
    """Headings and help of a command in the language of the run."""

    def collect_usage_pieces(self, ctx):
        pieces = super().collect_usage_pieces(ctx)
        names = {"[OPTIONS]": "options", "COMMAND [ARGS]...": "command_args"}
        lang = _current()
        return [text(f"cli.meta.{names[p]}", lang) if p in names else p for p in pieces]

    def get_help_option(self, ctx):
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = "@click.help"
            if not isinstance(opt, _Option):
                opt.__class__ = _Option
        return opt

    def format_usage(self, ctx, formatter):
        pieces = self.collect_usage_pieces(ctx)
        prefix = text("cli.click.usage", _current())
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    def format_help_text(self, ctx, formatter):
        saved = self.help
        self.help = _help(saved)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = saved

    def get_short_help_str(self, limit: int = 45) -> str:
        return (_help(self.help) or "").split("\n")[0]

    def format_options(self, ctx, formatter):
        # the command's own options first, then language, debugging and help
        params = sorted(self.get_params(ctx), key=lambda p: p.name in ("lang", "debug", "help"))
        opts = [r for p in params if (r := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section(text("cli.click.options", _current())):
                formatter.write_dl(opts)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class _Command(_Texts, click.Command):
    pass


class _Group(_Texts, click.Group):
    command_class = _Command

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section(text("cli.click.commands", _current())):
                formatter.write_dl(rows)


class _Usage(click.UsageError):
    """A usage error whose message is already in the language of the run."""

    def __init__(self, message: str):
        super().__init__(message, click.get_current_context(silent=True))


def option(*decls, help_key: str, meta: str | None = None, **kw):
    """A click option whose help is the catalog's ``cli.opt.<help_key>`` (and metavar
    ``cli.meta.<meta>``)."""
    if meta is not None:
        kw["metavar"] = f"@meta.{meta}"
    return click.option(*decls, cls=_Option, help=f"@opt.{help_key}", **kw)


# ----------------------------------------------------------------------------- state


class State:
    def __init__(self, lang: str, debug: bool):
        self.lang = lang
        self.debug = debug
        from rich.console import Console

        width = _columns()
        # piped output (files, CI logs) gets a wide page unless COLUMNS says otherwise
        self.out = Console(soft_wrap=False, width=width)
        if width is None and not self.out.is_terminal:
            self.out = Console(soft_wrap=False, width=200)
        self.err = Console(stderr=True, width=width)

    def msg(self, key: str, **kw) -> str:
        return _msg(key, self.lang, **kw)

    @contextmanager
    def step(self, key: str, detail: str = ""):
        """A progress line with a spinner and elapsed time while the step runs (none, and
        rich's progress module not even loaded, when stderr is no terminal)."""
        if not self.err.is_terminal:
            yield lambda text_: None
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            TimeElapsedColumn(),
            console=self.err,
            transient=True,
        ) as progress:
            head = f"{self.msg(key)} {_fmt(detail)}".strip()
            task = progress.add_task(head, total=None)
            yield lambda text_: progress.update(task, description=f"{head}: {_fmt(text_)}")

    def table(self, shaped, kind: str, *, top: int | None = 30) -> None:
        """Print a shaped result (see :mod:`civicgraph._results`) as a table that fits
        the terminal's width (``COLUMNS``)."""
        from rich.table import Table

        df = shaped.terminal()
        shown = df if top is None else df.head(top)
        t = Table(title=text(f"cli.title.{kind}", self.lang), header_style="bold")
        index_name = shown.index.name
        plain = shaped.plain
        if index_name:
            t.add_column(_fmt(str(index_name)), overflow="fold")
        for col in shown.columns:
            right = _numeric(shown[col])
            t.add_column(_fmt(str(col)), justify="right" if right else "left", overflow="fold")
        for idx, row in zip(shown.index, shown.itertuples(index=False), strict=True):
            cells = [
                _pct(v) if c in shaped.percent else _fmt(str(v) if c in plain else v)
                for c, v in zip(shown.columns, row, strict=True)
            ]
            t.add_row(
                *([_fmt(str(idx) if index_name in plain else idx)] if index_name else []), *cells
            )
        if not len(shown):
            self.out.print(self.msg("empty"))
            return
        self.out.print(t)
        if top is not None and len(df) > top:
            self.out.print(self.msg("more_rows", n=len(df) - top))


def _columns() -> int | None:
    try:
        n = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return n if n > 0 else None


def _pct(v) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool) and not pd.isna(v):
        return f"{100 * v:.1f}%"
    return _fmt(v)


def _numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _fmt(v) -> str:
    """A cell for the terminal: numbers readable, markup and control characters inert."""
    from rich.markup import escape

    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        text_ = str(v.date()) if v == v.normalize() else str(v)
    elif isinstance(v, float):
        text_ = (
            f"{v:,.4f}".rstrip("0").rstrip(".")
            if abs(v) < 1
            else f"{v:,.2f}".rstrip("0").rstrip(".")
        )
    elif isinstance(v, int) and not isinstance(v, bool):
        text_ = f"{v:,}"
    else:
        text_ = str(v)
    return escape(_inert(text_).replace("\n", " "))


# ----------------------------------------------------------------------------- loading


def _load(state: State, registry: str, divisions: str | None, within: str | None):
    import civicgraph as cg

    with state.step("reading", registry) as say:
        if registry == EXAMPLE:
            g = cg.datasets.wuhu()
            return g.within(_within_code(g, within)) if within else g
        _exists(registry)
        with _divisions_meanwhile(divisions, within) as admin:
            try:
                return cg.read_registry(registry, divisions=admin, progress=say)
            except ValidationError as exc:
                admin.result()  # the divisions' own error, if theirs it is
                _hint_divisions(state, divisions, [p.code for p in exc.problems])
                raise


def _within_code(g, within: str) -> str:
    """The unit of the embedded example that ``within`` names (code or name)."""
    from ._errors import Problem
    from .io.divisions import _example, resolve_within

    admin = g.nodes[g.nodes["kind"] == "admin"]
    units = pd.DataFrame({"code": admin.index.astype(str), "name": admin["name"].astype(str)})
    code = resolve_within(within, units[units["code"].str.len() <= 9])
    if code not in set(units["code"]):
        ctx = {"within": code, "example": _example(units, like=code)}
        problem = Problem(code="unknown_division", template="unknown_division.within", ctx=ctx)
        raise ValidationError([problem], what="within")
    return code


def _exists(path: str) -> None:
    if not Path(path).exists():
        raise CivicGraphError.from_catalog("cli.msg.no_registry", path=path)


def _divisions(divisions: str | None, within: str | None):
    import civicgraph as cg

    path = divisions or os.environ.get("CIVICGRAPH_DIVISIONS")
    if path is None:
        # the embedded Wuhu codes serve Wuhu registries without any further file
        return cg.read_divisions(cg.datasets.wuhu_divisions_path(), within=within or "3402")
    return cg.read_divisions(path, within=within)


@contextlib.contextmanager
def _divisions_meanwhile(divisions: str | None, within: str | None):
    """:func:`_divisions` as a future, read in a thread while the registry's file is
    parsed (calamine, unzipping and Arrow's CSV reader work outside the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="civicgraph-divisions") as pool:
        yield pool.submit(_divisions, divisions, within)


def _hint_divisions(state: State, divisions: str | None, codes: list[str]) -> None:
    """Say how to read another area's codes when unknown codes met the embedded default."""
    default = divisions is None and not os.environ.get("CIVICGRAPH_DIVISIONS")
    if default and "unknown_division" in codes:
        state.err.print(state.msg("hint_divisions"), markup=False, soft_wrap=True)


def _show(
    state: State,
    df: pd.DataFrame,
    g,
    kind: str,
    *,
    registry: str,
    out: str | None,
    top: int | None,
    as_of=None,
    urban_only: bool | None = None,
    definition: str | None = None,
    districts_only: bool = False,
    extra=(),
    default_top: int | None = 30,
) -> None:
    """Print a result (the first ``top`` rows) and write it (``--out``) with its About
    sheet."""
    from ._results import about_sheet, shape

    if top is not None:
        df = df.head(top)
    shaped = shape(df, g, state.lang, kind=kind)
    state.table(shaped, kind, top=default_top if top is None else None)
    if out is not None:
        about = about_sheet(
            kind, state.lang, g, registry=registry, as_of=as_of, urban_only=urban_only,
            definition=definition, districts_only=districts_only, extra=extra,
        )  # fmt: skip
        _write(state, shaped.frame, out, kind, about=about, formats=shaped.formats)


def _write(state: State, df, out: str, kind: str, *, about=None, formats=None, more=None) -> None:
    """``df`` written to ``out``; in a workbook, after it the sheets of ``more`` (sheet
    kind → table) and the ``about`` sheet."""
    from .io.tables import write_tables

    sheets = {text(f"cli.sheet.{kind}", state.lang): df}
    if Path(out).suffix.lower() == ".xlsx":
        for other, table in (more or {}).items():
            sheets[text(f"cli.sheet.{other}", state.lang)] = table
        if about is not None:
            sheets[text("cli.sheet.about", state.lang)] = about
    with state.step("writing", out):
        path = write_tables(sheets, out, formats=formats)
    state.err.print(f"{state.msg('wrote')} {_fmt(str(path))}")


# ----------------------------------------------------------------------------- options


def _set_lang(ctx: click.Context, _param, value: str | None) -> str | None:
    if value is not None:
        _LANG["lang"] = value
        if isinstance(ctx.obj, State):
            ctx.obj.lang = value
    return value


def _set_debug(ctx: click.Context, _param, value: bool) -> bool:
    if value and isinstance(ctx.obj, State):
        ctx.obj.debug = True
    return value


def _date(_ctx, _param, value: str | None):
    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise _Usage(_msg("bad_date", value=value)) from None


def _years(_ctx, _param, value: str | None):
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至到]\s*(\d{4})\s*)?", value)
    if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise _Usage(_msg("bad_years", value=value))
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    return range(lo, hi + 1)


def _month_day(_ctx, _param, value: str):
    try:
        pd.Timestamp(f"2000-{value}")
    except (ValueError, TypeError):
        raise _Usage(_msg("bad_month_day", value=value)) from None
    if not re.fullmatch(r"\d{2}-\d{2}", value):
        raise _Usage(_msg("bad_month_day", value=value))
    return value


def _version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_msg("version", version=__version__))
        ctx.exit(0)


def common(f):
    """``--lang`` and ``--debug`` accepted after the command too."""
    f = option(
        "--lang", type=click.Choice(["zh", "en"]), callback=_set_lang, expose_value=False,
        is_eager=True, help_key="lang",
    )(f)  # fmt: skip
    return option(
        "--debug", is_flag=True, callback=_set_debug, expose_value=False, help_key="debug"
    )(f)


def registry_command(f):
    """REGISTRY, --divisions, --within, --out and the common options."""
    f = common(f)
    f = option("--out", type=click.Path(dir_okay=False), help_key="out", meta="file")(f)
    f = option("--within", help_key="within", meta="within")(f)
    f = option(
        "--divisions", type=click.Path(exists=True, dir_okay=True), help_key="divisions",
        meta="path",
    )(f)  # fmt: skip
    return click.argument("registry", cls=_Argument, metavar="@meta.registry")(f)


top_opt = option("--top", type=click.IntRange(min=1), help_key="top", metavar="N")
as_of_opt = option("--as-of", callback=_date, help_key="as_of", meta="date")
urban_opt = option("--urban-only", is_flag=True, help_key="urban_only")
definition_opt = option(
    "--definition", default="served", type=click.Choice(["served", "own"]),
    help_key="definition",
)  # fmt: skip
districts_opt = option("--districts-only", is_flag=True, help_key="districts_only")


@click.group(
    cls=_Group,
    help="@help.cli",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("--version", cls=_Option, is_flag=True, expose_value=False, is_eager=True,
              callback=_version, help="@click.version")  # fmt: skip
@option("--lang", type=click.Choice(["zh", "en"]), callback=_set_lang, is_eager=True,
        help_key="lang")  # fmt: skip
@option("--debug", is_flag=True, help_key="debug")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, debug: bool) -> None:
    ctx.obj = State(lang or _current(), debug)


# ----------------------------------------------------------------------------- commands


@cli.command(help="@help.demo")
@option(
    "--out", "out_dir", type=click.Path(file_okay=False), default="civicgraph-demo",
    help_key="demo_out", meta="folder",
)  # fmt: skip
@common
@click.pass_obj
def demo(state: State, out_dir: str) -> None:
    import civicgraph as cg

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = _load(state, EXAMPLE, None, None)
    with state.step("computing"):
        summary = cg.summary(g)
        coverage = cg.coverage(g, level="all", urban_only=True)
        gaps = cg.gaps(g, urban_only=True)
    _show(state, summary, g, "summary", registry=EXAMPLE, out=None, top=None, default_top=None)
    for df, kind in ((gaps, "gaps"), (coverage, "coverage")):
        from ._results import about_sheet, shape

        shaped = shape(df, g, state.lang, kind=kind)
        about = about_sheet(kind, state.lang, g, registry=EXAMPLE, urban_only=True)
        _write(state, shaped.frame, str(out / f"{kind}.xlsx"), kind, about=about,
               formats=shaped.formats)  # fmt: skip
    with state.step("writing", "report.html"):
        cg.report(g, path=out / "report.html", lang=state.lang)
    state.err.print(f"{state.msg('wrote')} {_fmt(str(out / 'report.html'))}")
    state.err.print(state.msg("demo_done", out=_fmt(str(out))))


@cli.command(help="@help.validate")
@registry_command
@click.pass_obj
def validate(state: State, registry: str, divisions, within, out) -> None:

    with state.step("reading", registry) as say:
        if registry != EXAMPLE:
            _exists(registry)
        problems, hints = [], []
        if registry == EXAMPLE:
            admin = _divisions(divisions, within)
        else:
            from .io.registry.read import _registry_read

            with _divisions_meanwhile(divisions, within) as reading:
                try:
                    _, problems, hints = _registry_read(registry, divisions=reading, progress=say)
                except ValidationError as exc:  # a file that cannot be read at all
                    reading.result()  # (or divisions that cannot: their error, as ever)
                    problems = list(exc.problems)
            admin = reading.result()
    if hints:  # suggestions (roles from names, locations known to a district): never applied
        state.out.print(text("roles.cli.suggestions", state.lang, n=len(hints)), style="bold")
        for p in hints:
            line = f"- {p.render(state.lang)} [{p.code}]"
            state.out.print(_inert(line), markup=False, highlight=False, soft_wrap=True)
    if not problems:
        state.out.print(state.msg("no_problems"))
    else:
        _hint_divisions(state, divisions, [p.code for p in problems])
        # one line per problem, never cut to the terminal's width: where, what, how to fix
        state.out.print(state.msg("problems", n=len(problems)), style="bold", markup=False)
        for p in problems:
            line = f"- {p.render(state.lang)} [{p.code}]"
            state.out.print(_inert(line), markup=False, highlight=False, soft_wrap=True)
    if out is not None:  # the problems (none: the headers alone), then the suggestions
        from ._results import about_sheet
        from .catalog import translate_frame

        def table(found):
            return translate_frame(ValidationError(found).to_frame(state.lang), state.lang)

        about = about_sheet("problems", state.lang, admin, registry=registry)
        more = {"suggestions": table(hints)} if hints else None
        _write(state, table(problems), out, "problems", about=about, more=more)
    if not problems:
        return
    from .io.registry.read import NOTICES

    if not all(p.code in NOTICES for p in problems):  # rows skipped as comments: told only
        sys.exit(DATA_PROBLEM)


@cli.command(help="@help.coverage")
@registry_command
@option(
    "--level", default="street",
    type=click.Choice(["province", "city", "district", "street", "community", "all"]),
    help_key="level_coverage",
)  # fmt: skip
@urban_opt
@districts_opt
@definition_opt
@as_of_opt
@top_opt
@click.pass_obj
def coverage(
    state: State, registry, divisions, within, out, level, urban_only, districts_only,
    definition, as_of, top,
):  # fmt: skip
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.coverage(g, level=level, urban_only=urban_only, as_of=as_of,
                         definition=definition, districts_only=districts_only)  # fmt: skip
    _show(state, df, g, "coverage", registry=registry, out=out, top=top, as_of=as_of,
          urban_only=urban_only, definition=definition, districts_only=districts_only)  # fmt: skip


@cli.command(help="@help.gaps")
@registry_command
@option(
    "--level", default="community", type=click.Choice(["community", "street"]),
    help_key="level_gaps",
)  # fmt: skip
@urban_opt
@districts_opt
@definition_opt
@as_of_opt
@top_opt
@click.pass_obj
def gaps(
    state: State, registry, divisions, within, out, level, urban_only, districts_only,
    definition, as_of, top,
) -> None:  # fmt: skip
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.gaps(g, level=level, urban_only=urban_only, as_of=as_of,
                     definition=definition, districts_only=districts_only)  # fmt: skip
    _show(state, df, g, "gaps", registry=registry, out=out, top=top, as_of=as_of,
          urban_only=urban_only, definition=definition, districts_only=districts_only)  # fmt: skip


@cli.command(help="@help.place")
@registry_command
@option("--k", type=click.IntRange(min=1), help_key="k", metavar="N")
@option("--target", type=click.FloatRange(0, 1), help_key="target", meta="share")
@option(
    "--candidates", default="street", type=click.Choice(["district", "street", "community"]),
    help_key="candidates",
)  # fmt: skip
@option("--max-communities", type=click.IntRange(min=1), help_key="max_communities", metavar="N")
@urban_opt
@districts_opt
@definition_opt
@as_of_opt
@click.pass_obj
def place(
    state: State, registry, divisions, within, out, k, target, candidates, max_communities,
    urban_only, districts_only, definition, as_of,
) -> None:  # fmt: skip
    import civicgraph as cg

    if k is None and target is None:
        raise _Usage(state.msg("need_k_or_target"))
    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.place_hubs(
            g,
            k=k,
            target=target,
            candidates=candidates,
            max_communities=max_communities,
            urban_only=urban_only,
            as_of=as_of,
            definition=definition,
            districts_only=districts_only,
        )
    _show(state, df.set_index("step"), g, "placement", registry=registry, out=out, top=None,
          as_of=as_of, urban_only=urban_only, definition=definition,
          districts_only=districts_only, default_top=None)  # fmt: skip


@cli.command(help="@help.summary")
@registry_command
@districts_opt
@definition_opt
@as_of_opt
@click.pass_obj
def summary(state: State, registry, divisions, within, out, districts_only, definition, as_of):
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.summary(g, as_of=as_of, definition=definition, districts_only=districts_only)
    _show(state, df, g, "summary", registry=registry, out=out, top=None, as_of=as_of,
          definition=definition, districts_only=districts_only, default_top=None)  # fmt: skip


@cli.command(help="@help.centrality")
@registry_command
@as_of_opt
@top_opt
@click.pass_obj
def centrality(state: State, registry, divisions, within, out, as_of, top) -> None:
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.hub_centrality(g, as_of=as_of)
        df = df.sort_values("pagerank", ascending=False, kind="stable")
    _show(state, df, g, "centrality", registry=registry, out=out, top=top, as_of=as_of)


FUNDING_BY = (
    "program", "program_type", "year", "funder_level", "district", "street", "community",
    "role", "recipient", "flow", "new_money",
)  # fmt: skip


def _by(_ctx, _param, value: str):
    parts = [p.strip() for p in re.split(r"[,，、\s]+", value) if p.strip()]
    bad = [p for p in parts if p not in FUNDING_BY]
    if bad or not parts:
        raise _Usage(_msg("bad_by", value=",".join(bad) or value, choices=", ".join(FUNDING_BY)))
    return parts


@cli.command(help="@help.funding")
@registry_command
@option("--by", default="program,year", callback=_by, help_key="by", meta="by")
@option(
    "--funder-level", type=click.Choice(["city", "district", "street", "community"]),
    help_key="funder_level",
)  # fmt: skip
@top_opt
@click.pass_obj
def funding(state: State, registry, divisions, within, out, by, funder_level, top) -> None:
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.funding_flows(g, by=by, level=funder_level)
    _show(state, df, g, "funding", registry=registry, out=out, top=top)


@cli.command(help="@help.trend")
@registry_command
@option(
    "--metric", "metrics", multiple=True,
    type=click.Choice(["hubs", "centers", "members", "funding", "coverage"]), help_key="metric",
)  # fmt: skip
@option("--years", callback=_years, help_key="years", meta="years")
@option("--month-day", default="12-31", callback=_month_day, help_key="month_day", meta="month_day")
@click.pass_obj
def trend(state: State, registry, divisions, within, out, metrics, years, month_day) -> None:
    import civicgraph as cg

    g = _load(state, registry, divisions, within)
    metrics = list(metrics) or ["hubs", "centers", "members", "funding", "coverage"]
    with state.step("computing"):
        df = cg.trend(g, metrics, years=years, month_day=month_day)
    _show(state, df, g, "trend", registry=registry, out=out, top=None, default_top=None)


@cli.command(help="@help.rules")
@registry_command
@top_opt
@click.pass_obj
def rules(state: State, registry, divisions, within, out, top) -> None:
    import civicgraph as cg

    from .metrics.rules import DEFAULT_RULES

    g = _load(state, registry, divisions, within)
    with state.step("computing"):
        df = cg.check_rules(g, lang=state.lang)
    zh = state.lang == "zh"
    described = {r.id: r.description_zh if zh else r.description for r in DEFAULT_RULES}
    df = df.assign(rule=df["rule"].map(lambda r: described.get(r, r)))
    extra = [(text("cli.about.rule", state.lang), d) for d in described.values()]
    if not len(df):
        state.out.print(state.msg("rules_none"))
    _show(state, df, g, "rules", registry=registry, out=out, top=top, extra=extra)


@cli.command(help="@help.report")
@registry_command
@as_of_opt
@option("--title", help_key="title", meta="title")
@option("--pdf", type=click.Path(dir_okay=False), help_key="pdf", meta="file")
@option("--docx", type=click.Path(dir_okay=False), help_key="docx", meta="file")
@click.pass_obj
def report(state: State, registry, divisions, within, out, as_of, title, pdf, docx) -> None:
    import civicgraph as cg

    out = out or "report.html"
    g = _load(state, registry, divisions, within)
    with state.step("writing", out):
        cg.report(g, path=out, lang=state.lang, as_of=as_of, title=title, pdf=pdf, docx=docx)
    for written in (out, pdf, docx):
        if written:
            state.err.print(f"{state.msg('wrote')} {_fmt(str(written))}")


# the report's file is an html page, not a table
for _p in report.params:
    if _p.name == "out":
        _p.help = "@opt.report_out"


@cli.command(help="@help.template")
@click.argument("out", cls=_Argument, metavar="@meta.file", type=click.Path(dir_okay=False))
@option("--within", help_key="template_within", meta="within")
@option("--divisions", type=click.Path(exists=True, dir_okay=True), help_key="divisions",
        meta="path")  # fmt: skip
@common
@click.pass_obj
def template(state: State, out: str, within: str | None, divisions: str | None) -> None:
    import civicgraph as cg

    admin = None
    if within or divisions:
        try:
            admin = _divisions(divisions, within)
        except ValidationError as exc:
            _hint_divisions(state, divisions, [p.code for p in exc.problems])
            raise
    path = cg.write_template(out, lang=state.lang, divisions=admin)
    state.err.print(f"{state.msg('wrote')} {_fmt(str(path))}")
    if admin is None:  # the generic example (Wuhu's): say how to get the city's own
        state.err.print(state.msg("template_within"), markup=False, soft_wrap=True)


@cli.command(help="@help.roles")
@registry_command
@click.pass_obj
def roles(state: State, registry: str, divisions, within, out) -> None:
    from .io.registry.roles import write_roles

    if out is None:
        raise click.UsageError(text("cli.msg.roles_out", state.lang))
    with state.step("reading", registry):
        _exists(registry)
        admin = _divisions(divisions, within)
        path, orgs = write_roles(registry, out, divisions=admin, lang=state.lang)
    filled = orgs[orgs["suggested_role"].notna()]
    if filled.empty:
        state.err.print(text("roles.cli.none", state.lang))
    else:
        table = filled.drop(columns="suggested_role").set_index("id")
        state.out.print(text("roles.cli.title", state.lang), style="bold")
        state.out.print(_inert(table.head(30).to_string()), markup=False, highlight=False)
    # the rest: organizations still of role unknown (those given a role keep theirs)
    n, rest = len(filled), int(((orgs["role"] == "unknown") & orgs["suggested_role"].isna()).sum())
    state.err.print(
        text("roles.cli.written", state.lang, n=n, rest=rest), markup=False, soft_wrap=True
    )
    state.err.print(f"{state.msg('wrote')} {_fmt(str(path))}")


# ----------------------------------------------------------------------------- entry


def main(argv: list[str] | None = None) -> None:
    """Run the command line. Exit codes: 0 ok, 1 problems in the data, 2 wrong usage,
    3 an internal error."""
    _run(cli, argv)


def _run(command: Callable, argv: list[str] | None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args
    lang = _lang(args) or env_lang()
    _LANG["lang"] = lang
    from rich.console import Console

    err = Console(stderr=True, width=_columns())
    try:
        command.main(args=args, prog_name="civicgraph", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        _usage(err, exc, lang)
        sys.exit(USAGE)
    except click.ClickException as exc:
        _error(err, _msg("error", lang), exc.format_message())
        sys.exit(USAGE)
    except click.exceptions.Abort:
        sys.exit(130)
    except ValidationError as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("error", lang), exc.render(lang))
        # a --within naming no unit is wrong usage, not a problem in the data
        usage = all((p.template or "").endswith((".within", ".within_name")) for p in exc.problems)
        sys.exit(USAGE if usage else DATA_PROBLEM)
    except CivicGraphError as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("error", lang), exc.render(lang))
        sys.exit(DATA_PROBLEM)
    except (OSError, UnicodeError) as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("error", lang), str(exc))
        sys.exit(DATA_PROBLEM)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _error(err, _msg("internal", lang), f"{type(exc).__name__}: {exc}")
        sys.exit(INTERNAL)


def _usage(err: Console, exc: click.UsageError, lang: str) -> None:
    """A usage error in the language of the run: the usage line, what is wrong, where the
    help is."""
    ctx = exc.ctx
    if ctx is not None:
        err.print(_inert(ctx.get_usage()), markup=False, highlight=False)
        command = ctx.command_path
    else:
        command = "civicgraph"
    err.print(_msg("try_help", lang, command=command), markup=False, highlight=False)
    _error(err, _msg("error", lang), _usage_text(exc, lang))


def _usage_text(exc: click.UsageError, lang: str) -> str:
    """What click found wrong, in ``lang``."""
    if isinstance(exc, _Usage):
        return exc.message
    sep = text("labels.words.list_sep", lang)
    param = getattr(exc, "param", None)
    name = None
    if param is not None:
        name = param.opts[0] if getattr(param, "opts", None) else param.human_readable_name
        if isinstance(param, click.Argument):
            name = param.make_metavar(exc.ctx) if exc.ctx else param.human_readable_name
    if isinstance(exc, click.NoSuchOption):
        out = _msg("no_option", lang, name=exc.option_name)
        if exc.possibilities:
            out += _msg("did_you_mean", lang, names=sep.join(sorted(exc.possibilities)))
        return out
    if isinstance(exc, click.MissingParameter) and name:
        return _msg("missing", lang, name=name)
    if isinstance(exc, click.BadParameter) and name:
        kind = getattr(param, "type", None)
        if isinstance(kind, click.Choice):
            return _msg("bad_choice", lang, name=name, choices=sep.join(map(str, kind.choices)))
        if isinstance(kind, click.IntRange | click.FloatRange):
            return _msg("bad_range", lang, name=name, range=kind._describe_range())
        return _msg("bad_value", lang, name=name)
    message = exc.format_message()
    if m := re.match(r"No such command '([^']+)'\.(?: Did you mean '([^']+)'\?)?", message):
        out = _msg("no_command", lang, name=m.group(1))
        return out + (_msg("did_you_mean", lang, names=m.group(2)) if m.group(2) else "")
    if m := re.match(r"Option '(.+)' requires an argument", message):
        return _msg("needs_value", lang, name=m.group(1))
    if m := re.match(r"Got unexpected extra arguments? \((.+)\)", message):
        return _msg("extra_args", lang, args=m.group(1))
    return _msg("usage_error", lang, message=message)


def _error(err: Console, head: str, text_: str) -> None:
    colon = "：" if _current() == "zh" else ": "
    err.print(f"[bold red]{head}{colon}[/]", end="")
    err.print(_inert(text_), markup=False, highlight=False, soft_wrap=True)


def _inert(text_: str) -> str:
    """``text_`` with control characters (terminal escapes) shown as U+FFFD; lines kept."""
    return "\n".join(
        "".join(ch if ch.isprintable() else "\ufffd" for ch in line) for line in text_.split("\n")
    )


def _lang(args: list[str]) -> str | None:
    """The ``--lang`` given anywhere in ``args`` (the last one wins), else ``None``."""
    found = None
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif a.startswith("--lang="):
            found = a.split("=", 1)[1]
    return found if found in ("zh", "en") else None
