"""The report as a print-ready PDF: the HTML report printed to A4 by a headless Chromium (or Chrome).

The PDF is the same document as the HTML, so it holds the same Chinese text (the embedded font subset
travels with it) and the same tables; Chromium is used because it lays out CJK text and tables as the
HTML report shows them, which no pure-Python PDF library does as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..writers import OutputError, atomic_write

if TYPE_CHECKING:
    from .model import MonthlyReport

#: Programs tried, in order, when ``FISCALMON_BROWSER`` does not name one.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium")
#: How long printing may take before it is given up (a 3,000-county report prints in well under this).
TIMEOUT_SECONDS = 300

HOW_TO_GET = ("生成PDF需要 Chromium 或 Chrome 浏览器（无界面运行），本机未找到。安装方法：Debian/Ubuntu 执行 "
              "sudo apt-get install chromium；Fedora 执行 sudo dnf install chromium；macOS 执行 brew install --cask chromium；"
              "Windows 安装 Chrome 或 Edge。已安装在其他位置时，设置环境变量 FISCALMON_BROWSER 为其程序路径。"
              "也可先输出 .html，用浏览器打开后“打印—另存为PDF”。")


def find_browser() -> str | None:
    """The Chromium-family program that prints the PDF: ``FISCALMON_BROWSER`` if set, else the first of
    :data:`BROWSERS` found on ``PATH`` (or at its macOS location); None when there is none."""
    chosen = os.environ.get("FISCALMON_BROWSER")
    for name in ([chosen] if chosen else BROWSERS):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_to_pdf(html: Path, pdf: Path, browser: str | None = None) -> None:
    """Print the HTML file ``html`` to ``pdf`` with headless Chromium: A4 as the page's CSS says, no
    header or footer lines, no profile, no network, no first-run tasks.

    Raises
    ------
    OutputError
        No browser is found (the message says how to get one), or it fails or times out.
    """
    browser = browser or find_browser()
    if browser is None:
        raise OutputError(pdf, HOW_TO_GET)
    with tempfile.TemporaryDirectory(prefix="fiscalmon-chromium-") as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
                   "--proxy-server=127.0.0.1:9",   # the page is self-contained: nothing may be fetched
                   "--no-pdf-header-footer", f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                   html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise OutputError(pdf, f"浏览器 {browser} 在 {TIMEOUT_SECONDS} 秒内未完成PDF打印；可先输出 .html 再打印。") from None
        except OSError as error:
            raise OutputError(pdf, f"无法运行浏览器 {browser}：{error}。{HOW_TO_GET}") from None
    if not pdf.exists() or pdf.read_bytes()[:5] != b"%PDF-":
        said = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise OutputError(pdf, f"浏览器 {browser} 未生成PDF（退出状态 {done.returncode}）：{' '.join(said)}")


def write_pdf(report: MonthlyReport, path) -> Path:
    """Write the report as a PDF at ``path``, whole or not at all (see :func:`print_to_pdf`)."""
    browser = find_browser()
    if browser is None:       # say so before any work is done
        raise OutputError(path, HOW_TO_GET)
    with tempfile.TemporaryDirectory(prefix="fiscalmon-pdf-") as scratch:
        html, pdf = Path(scratch) / "report.html", Path(scratch) / "report.pdf"
        report.to_html(html)
        try:
            print_to_pdf(html, pdf, browser)
        except OutputError as error:       # name the user's path, not the scratch file
            raise OutputError(path, error.reason) from None
        return atomic_write(path, lambda tmp: shutil.copyfile(pdf, tmp))
