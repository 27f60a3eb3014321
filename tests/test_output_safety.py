"""Hostile input on the output side: no input cell becomes a formula (Excel, CSV) or mathtext (charts),
and no output is left half-written, replaces a pipe, device or symlink, or loses its permissions."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest

matplotlib.use("Agg")

import fiscalmon  # noqa: E402
from fiscalmon import plot  # noqa: E402
from fiscalmon.errors import OutputError  # noqa: E402
from fiscalmon.report import monthly_report  # noqa: E402
from fiscalmon.textout import render_table  # noqa: E402
from fiscalmon.writers import STALE_AFTER, atomic_write, neutralise_csv_text  # noqa: E402

from conftest import ROOT  # noqa: E402

RUN_TIME = dt.datetime(2023, 7, 10, 9, 30)
DEMO = fiscalmon.datasets.data_path("demo")
HYPERLINK = '=HYPERLINK("http://example.com","点这里")'
PREFECTURE = "653100"
#: Kashgar's counties renamed: a formula, broken and balanced mathtext, and the prefecture (the report
#: title) itself a formula.
HOSTILE = {"653101": HYPERLINK, "653121": "$x^{$", "653122": "a$b$c", "653123": "@SUM(1+1)", PREFECTURE: "=1+1"}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _rename(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for code, name in HOSTILE.items():
        table.loc[table["region_code"] == code, "region"] = name
    return table


@pytest.fixture(scope="module")
def hostile():
    monthly = _rename(fiscalmon.datasets.demo_monthly())
    risk = _rename(fiscalmon.datasets.demo_risk())
    # The title names the prefecture by the regions table: a user's table that names it "=1+1".
    regions = fiscalmon.datasets.xinjiang_regions()
    regions.loc[regions["region_code"] == PREFECTURE, "region"] = HOSTILE[PREFECTURE]
    report = monthly_report(monthly, fiscalmon.datasets.demo_annual(), risk, "2023-06", prefecture=PREFECTURE,
                            region_table=regions, run_time=RUN_TIME)
    return monthly, risk, report


def _cells(path):
    book = openpyxl.load_workbook(path, data_only=False)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


# --- Excel ---------------------------------------------------------------------------------------------


def test_the_workbook_holds_hostile_names_as_text_and_numbers_as_numbers(hostile, tmp_path):
    _, _, report = hostile
    assert report.title.startswith("=1+1")
    path = report.to_excel(tmp_path / "report.xlsx")
    cells = _cells(path)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {HYPERLINK, "$x^{$", "a$b$c", "@SUM(1+1)", report.title} <= texts
    assert all(c.quotePrefix for c in cells if c.value in (HYPERLINK, "@SUM(1+1)", report.title))
    book = openpyxl.load_workbook(path)
    assert book["摘要"]["A2"].value == report.title and book["摘要"]["A2"].data_type == "s"
    sheet = book["收入预测"]
    column = [c.value for c in sheet[1]].index("全年预计(亿元)") + 1
    values = [sheet.cell(row=r, column=column).value for r in range(2, sheet.max_row + 1)]
    shown = [*report.area_rows["point"], *report.projections["point"]]   # 全州 (and 州本级) first
    assert values == pytest.approx(shown)


def test_write_table_xlsx_holds_text_as_text(tmp_path):
    table = pd.DataFrame({"地区": [HYPERLINK, "=1+1", "#N/A", "-3.5", "响铃\x07字符", "昌吉州"],
                          "ytd": [1.5, -2.25, 3.0, 4.0, 5.0, 6.0], "count": [1, -2, 3, 4, 5, 6]})
    path = fiscalmon.write_table(table, tmp_path / "out.xlsx")
    cells = _cells(path)
    assert [c.coordinate for c in cells if c.data_type in ("f", "e")] == []
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # a control character no workbook can hold is shown as �, instead of stopping the write
    assert [r[0] for r in rows] == [HYPERLINK, "=1+1", "#N/A", "-3.5", "响铃\ufffd字符", "昌吉州"]
    assert [r[1] for r in rows] == [1.5, -2.25, 3.0, 4.0, 5.0, 6.0]
    assert [r[2] for r in rows] == [1, -2, 3, 4, 5, 6]


# --- CSV -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "-", "＝1+1", HYPERLINK])
def test_csv_text_a_spreadsheet_would_evaluate_gets_a_quote(text):
    table = pd.DataFrame({"region": [text]})
    assert neutralise_csv_text(table)["region"].tolist() == ["'" + text]
    assert table["region"].tolist() == [text]  # the table given is left alone


def test_csv_numbers_and_plain_text_stay_as_they_are():
    table = pd.DataFrame({"region": ["昌吉州", "-3.5", "+2", "1e5", None, "a=b"],
                          "value": [-1.5, -2.0, 3.0, 4.0, 5.0, 6.0], "mixed": [-1, "x", 2.5, "-y", None, 0]})
    out = neutralise_csv_text(table)
    assert out["region"].tolist()[:4] == ["昌吉州", "-3.5", "+2", "1e5"] and out["region"].iloc[5] == "a=b"
    assert out["value"].tolist() == table["value"].tolist() and out["value"].dtype == float
    assert out["mixed"].tolist()[:4] == [-1, "x", 2.5, "'-y"]


def test_csv_column_names_are_neutralised_too():
    assert list(neutralise_csv_text(pd.DataFrame(columns=["地区", "=cmd"])).columns) == ["地区", "'=cmd"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_write_table_csv_and_render_table_neutralise_the_same_way(tmp_path):
    table = pd.DataFrame({"region": [HYPERLINK, "昌吉州"], "ytd": [-1.5, 2.0]})
    written = fiscalmon.write_table(table, tmp_path / "out.csv").read_text(encoding="utf-8")
    expected = [["region", "ytd"], ["'" + HYPERLINK, "-1.5"], ["昌吉州", "2.0"]]
    assert _csv_rows(written) == expected
    assert _csv_rows(render_table(table, "csv")) == [["region", "ytd"], ["'" + HYPERLINK, "-1.5"], ["昌吉州", "2"]]


def _hostile_csv(source: Path, target: Path, code: str, name: str) -> Path:
    """The table with one region renamed ``name``, under a code the regions table does not know (a known
    code is shown by its official name, which would hide the hostile one)."""
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    rows = table["region_code"] == code
    table.loc[rows, "region"] = name
    table.loc[rows, "region_code"] = "990101"
    table.to_csv(target, index=False)
    return target


@pytest.mark.parametrize("command", ["summary", "flags"])
def test_commands_write_csv_with_hostile_names_neutralised(cli, tmp_path, command):
    if command == "summary":
        data = _hostile_csv(DEMO / "xinjiang_monthly_synthetic.csv", tmp_path / "m.csv", "653101", HYPERLINK)
        args = ["summary", str(data)]
    else:
        data = _hostile_csv(DEMO / "xinjiang_risk_synthetic.csv", tmp_path / "r.csv", "653101", HYPERLINK)
        args = ["flags", str(data), "--month", "2023-06"]
    output = tmp_path / "out.csv"
    result = cli(*args, "--format", "csv", "-o", str(output))
    assert result.returncode == 0, result.stderr
    rows = _csv_rows(output.read_text(encoding="utf-8"))
    regions = [row[rows[0].index("region")] for row in rows[1:]]
    assert "'" + HYPERLINK in regions and HYPERLINK not in regions
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)


# --- special output paths ------------------------------------------------------------------------------


def _write_bytes(content: bytes):
    return lambda tmp: Path(tmp).write_bytes(content)


def test_a_named_pipe_is_written_through_not_replaced(tmp_path):
    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    received = []
    # a daemon: if the pipe were replaced, the reader would wait for a writer forever
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    fiscalmon.write_table(pd.DataFrame({"region": ["昌吉州"], "ytd": [1.5]}), pipe)
    reader.join(timeout=30)
    assert received == ["region,ytd\n昌吉州,1.5\n".encode()]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary file beside it


@pytest.fixture
def char_device(tmp_path):
    """A character device to write to: as root a private copy of /dev/null (so that a regression cannot
    replace the real one), otherwise /dev/null itself (which a user cannot replace anyway)."""
    if not IS_ROOT:
        return Path("/dev/null")
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return device


def test_a_character_device_is_written_through_not_replaced(char_device):
    before = os.stat(char_device)
    assert atomic_write(char_device, _write_bytes(b"discarded")) == char_device
    after = os.stat(char_device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_dev_stdout_reaches_a_pipe_and_a_file_the_shell_appends_to(tmp_path):
    piped = subprocess.run([sys.executable, "-m", "fiscalmon.cli", "items", "-o", "/dev/stdout"],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert "gpb_revenue" in piped.stdout
    redirected = tmp_path / "log.txt"
    redirected.write_text("earlier\n")
    with open(redirected, "a") as stdout:  # fiscalmon items -o /dev/stdout >> log.txt
        result = subprocess.run([sys.executable, "-m", "fiscalmon.cli", "items", "-o", "/dev/stdout"],
                                stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert redirected.read_text(encoding="utf-8") == "earlier\n" + piped.stdout


def test_a_symlink_is_followed_and_kept(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    atomic_write(link, _write_bytes(b"new"))
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out.csv"]


def test_a_dangling_symlink_gets_its_target_written(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    atomic_write(link, _write_bytes(b"new"))
    assert link.is_symlink() and (tmp_path / "new.csv").read_bytes() == b"new"


# --- permissions ---------------------------------------------------------------------------------------


def test_a_rewritten_file_keeps_its_mode(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write(path, _write_bytes(b"new"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b"new"
    path.chmod(0o640)
    atomic_write(path, _write_bytes(b"newer"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode(tmp_path):
    previous = os.umask(0o027)
    try:
        path = atomic_write(tmp_path / "new.csv", _write_bytes(b"x"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# --- temporary files -----------------------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _touch(path: Path) -> Path:
    path.write_text("half")
    return path


def test_stale_temporary_files_of_dead_writers_are_removed(tmp_path):
    old = STALE_AFTER + 60
    dead = _age(_touch(tmp_path / f".out.csv.{_dead_pid()}.abcd1234.csv"), old)
    legacy = _age(_touch(tmp_path / ".out.csv.k2j4_x9q.csv"), old)  # named before the pid was in the name
    alive = _age(_touch(tmp_path / f".out.csv.{os.getpid()}.abcd1234.csv"), old)  # its writer still runs
    fresh = _touch(tmp_path / f".out.csv.{_dead_pid()}.efgh5678.csv")  # too recent to judge
    other = _age(_touch(tmp_path / f".other.csv.{_dead_pid()}.abcd1234.csv"), old)  # another output's
    atomic_write(tmp_path / "out.csv", _write_bytes(b"whole"))
    left = {p.name for p in tmp_path.iterdir()}
    assert dead.name not in left and legacy.name not in left
    assert {alive.name, fresh.name, other.name, "out.csv"} == left


def test_a_killed_write_leaves_a_temporary_file_the_next_write_removes(tmp_path):
    path = tmp_path / "out.csv"
    script = ("import time; from pathlib import Path; from fiscalmon.writers import atomic_write\n"
              "def write(tmp):\n    Path(tmp).write_text('half'); print('writing', flush=True); time.sleep(60)\n"
              f"atomic_write({str(path)!r}, write)\n")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    (litter,) = tmp_path.iterdir()
    assert litter.name.startswith(f".out.csv.{child.pid}.") and litter.name.endswith(".csv")
    atomic_write(path, _write_bytes(b"whole"))
    assert litter.exists()  # too recent: it might still be being written
    _age(litter, STALE_AFTER + 60)
    atomic_write(path, _write_bytes(b"whole again"))
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"] and path.read_bytes() == b"whole again"


# --- output failures -----------------------------------------------------------------------------------


def _fails_with_output_error(path, write=_write_bytes(b"new")) -> OutputError:
    with pytest.raises(OutputError) as caught:
        atomic_write(path, write)
    assert not isinstance(caught.value, ValueError)
    assert str(path) in str(caught.value) and caught.value.path == str(path)
    return caught.value


def test_a_full_disk_is_an_output_error_and_the_previous_file_stays_whole(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("previous")

    def fill(tmp):
        Path(tmp).write_text("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    error = _fails_with_output_error(path, fill)
    assert "磁盘已满" in error.reason and isinstance(error.__cause__, OSError)
    assert path.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_directory_is_an_output_error(tmp_path):
    assert "目录" in _fails_with_output_error(tmp_path).reason


def test_a_file_as_parent_is_an_output_error(tmp_path):
    (tmp_path / "file").write_text("previous")
    _fails_with_output_error(tmp_path / "file" / "out.csv")
    assert (tmp_path / "file").read_text() == "previous"


def test_a_read_only_directory_is_an_output_error(tmp_path, monkeypatch):
    directory = tmp_path / "ro"
    directory.mkdir()
    (directory / "out.csv").write_text("previous")
    if IS_ROOT:  # root writes anywhere: refuse the temporary file as a read-only directory would
        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

        monkeypatch.setattr("fiscalmon.writers.tempfile.mkstemp", refuse)
    else:
        directory.chmod(0o500)
    try:
        assert "没有写入权限" in _fails_with_output_error(directory / "out.csv").reason
    finally:
        directory.chmod(0o700)
    assert (directory / "out.csv").read_text() == "previous"


def test_other_errors_of_the_writer_pass_through_and_leave_nothing(tmp_path):
    def broken(tmp):
        Path(tmp).write_text("half")
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        atomic_write(tmp_path / "out.csv", broken)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["directory", "under a file"])
def test_the_command_line_exits_2_when_it_cannot_write(cli, tmp_path, where):
    (tmp_path / "file").write_text("x")
    output = tmp_path if where == "directory" else tmp_path / "file" / "items.txt"
    result = cli("items", "-o", str(output))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and f"无法写入 {output}" in result.stderr


# --- charts --------------------------------------------------------------------------------------------


def _figures(monthly, report):
    flags = report.assessment.flags
    projections = report.projections.set_index("region_code", drop=False)
    yield plot.completion_vs_progress(report.projections)
    yield plot.flag_grid(flags)
    for code in ("653101", "653121", "653122"):
        yield plot.growth_path(monthly, code)
        yield plot.fan_chart(projections.loc[code], monthly)
        yield plot.indicator_trend(flags, code, flags["indicator"].iloc[0])


def test_chart_text_from_input_is_drawn_as_written(hostile):
    """Names with $…$ (balanced or not) draw as plain text, never mathtext or LaTeX, even when the user's
    own settings ask for LaTeX when the chart is drawn."""
    from matplotlib import pyplot as plt
    from matplotlib.text import Text

    monthly, _, report = hostile
    drawn = set()
    with matplotlib.rc_context({"text.usetex": True, "text.parse_math": True}):
        for figure in _figures(monthly, report):
            figure.savefig(io.BytesIO(), format="png")
            texts = figure.findobj(Text)
            assert not any(t.get_parse_math() or t.get_usetex() for t in texts)
            drawn |= {t.get_text() for t in texts}
            plt.close(figure)
    for name in ("$x^{$", "a$b$c", HYPERLINK):
        assert any(name in text for text in drawn), name


def test_control_characters_in_chart_text_do_not_stop_a_chart():
    from matplotlib import pyplot as plt

    with plot.chinese():
        figure, axes = plt.subplots()
        axes.set_title("响铃\x07空\x00制表\t回车\r换行\n$")
        axes.set_yticks([0], ["县\x1b名$"])
    for fmt in ("png", "svg", "pdf"):
        figure.savefig(io.BytesIO(), format=fmt)
    plt.close(figure)


def test_the_html_report_with_hostile_names_renders(hostile, tmp_path):
    _, _, report = hostile
    html = report.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "$x^{$" in html and "a$b$c" in html
    assert "=HYPERLINK(&#34;http://example.com&#34;,&#34;点这里&#34;)" in html
    assert html.count("data:image/png;base64,") >= 3
