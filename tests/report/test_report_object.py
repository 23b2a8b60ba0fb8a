"""What cg.report gives back: a Report (the page as a str) that a notebook shows briefly,
or the path written."""

from __future__ import annotations

import pickle
from pathlib import Path

import civicgraph as cg
from civicgraph.report import Report


def test_without_a_path_a_report_that_is_the_page(toy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cg.report(toy, lang="en")
    assert isinstance(r, Report) and isinstance(r, str)
    assert type(str(r)) is str and type(r.html) is str and str(r) == r.html
    assert r.startswith("<!DOCTYPE html>") and "cg-cards" in r
    assert list(tmp_path.iterdir()) == []  # nothing written outside a notebook
    assert len(repr(r)) < 300 and repr(r).startswith("<civicgraph report ")
    assert pickle.loads(pickle.dumps(r)).cards == r.cards


def test_notebook_display_is_bounded(toy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cg.report(toy, lang="zh")
    shown = r._repr_html_()
    assert len(shown) < 5_000 < len(r)  # the notebook keeps the summary, not megabytes
    assert "75.0%" in shown and r.findings in shown
    written = list((tmp_path / "civicgraph-reports").iterdir())
    assert len(written) == 1 and written[0].read_text("utf-8") == r.html
    assert f"src='civicgraph-reports/{written[0].name}'" in shown and "height:640px" in shown
    assert r._repr_html_() == shown and len(list(written[0].parent.iterdir())) == 1
    lines = []

    class P:
        def text(self, s):
            lines.append(s)

    r._repr_pretty_(P(), False)
    assert lines == [repr(r)]


def test_frame_folder_from_the_environment(toy, tmp_path, monkeypatch):
    monkeypatch.setenv("CIVICGRAPH_REPORT_DIR", str(tmp_path / "frames"))
    shown = cg.report(toy, lang="en")._repr_html_()
    (page,) = (tmp_path / "frames").iterdir()
    assert page.as_uri() in shown


def test_with_a_path_the_path(toy, tmp_path):
    out = cg.report(toy, path=tmp_path / "r.html", lang="en")
    assert out == tmp_path / "r.html" and isinstance(out, Path)
    assert out.read_text("utf-8") == cg.report(toy, lang="en").html
