"""The report as an A4 PDF, printed by headless Chromium (no download, no network).

The page's print stylesheet does the layout (A4, one section per page group, table rows
never cut, charts as static images made by plotly.js in the page); Chromium only prints.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .._errors import CivicGraphError
from ..catalog import translator

__all__ = ["find_chromium", "to_pdf"]

#: Programs tried, in order, after ``CIVICGRAPH_CHROMIUM``.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> Path | None:
    """The Chromium to print with: ``CIVICGRAPH_CHROMIUM``, else the first of
    :data:`CANDIDATES` on ``PATH``, else ``/usr/bin/chromium``; ``None`` when none exists."""
    given = os.environ.get("CIVICGRAPH_CHROMIUM")
    if given:
        return Path(given) if Path(given).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    fallback = Path("/usr/bin/chromium")
    return fallback if fallback.is_file() else None


def _lang_of(page: Path) -> str:
    head = page.read_text("utf-8", errors="replace")[:2000]
    found = re.search(r'<html lang="(zh|en)"', head)
    return found.group(1) if found else "en"


def to_pdf(
    html_path: str | Path,
    pdf_path: str | Path,
    *,
    lang: str | None = None,
    timeout: float = 300,
) -> Path:
    """Print a report page to an A4 PDF with headless Chromium.

    Parameters
    ----------
    html_path : str or Path
        The page written by :func:`civicgraph.report` (or any HTML file).
    pdf_path : str or Path
        Where the PDF goes.
    lang : {"zh", "en"}, optional
        Language of error messages (default: the page's own ``<html lang>``).
    timeout : float
        Seconds Chromium may take.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    CivicGraphError
        Chromium is not installed (the message says how to install it or point
        ``CIVICGRAPH_CHROMIUM`` at it), or it did not write a PDF.

    Notes
    -----
    Chromium runs headless with the network cut off (every host name fails to
    resolve), a throw-away profile, and a virtual-time budget that lets the page's
    scripts draw the charts and make their print images before printing.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    t = translator(lang or _lang_of(html_path))
    exe = find_chromium()
    if exe is None:
        raise CivicGraphError(t("pdf_no_chromium"))
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.unlink(missing_ok=True)
    print_args = (
        "--no-pdf-header-footer", "--print-to-pdf-no-header",
        f"--print-to-pdf={pdf_path.resolve()}",
    )  # fmt: skip
    done = _headless(exe, html_path, print_args, timeout, lambda e: t("pdf_failed", error=e))
    if not pdf_path.is_file() or pdf_path.read_bytes()[:5] != b"%PDF-":
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise CivicGraphError(t("pdf_failed", error=" / ".join(tail) or f"exit {done.returncode}"))
    return pdf_path


def _headless(
    exe: Path, html_path: Path, args, timeout: float, failed
) -> subprocess.CompletedProcess:
    """Chromium run headless on the page ``html_path`` with ``args`` (what to make of it),
    the network cut off, a throw-away profile and a virtual-time budget for the page's
    scripts (the charts and their images); ``failed(error)`` is the message when it
    cannot run."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            str(exe), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw",
            *args, html_path.as_uri(),
        ]  # fmt: skip
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CivicGraphError(failed(str(exc))) from None
