"""`xxgk parse FILE [--json]` through click's test runner, on HTML, Word, PDF and bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parsers import PARSER_VERSION, parse
from xxgk.cli_parse import COMMANDS, parse_command

FILES = Path(__file__).parent / "files"
JSON_KEYS = {
    "text",
    "title",
    "school",
    "label",
    "year",
    "period_start",
    "period_end",
    "published",
    "sections",
    "figures",
    "tables",
    "warnings",
    "parser",
    "parser_version",
}

PDF_LINES = [
    "东华理工大学2023年度信息公开工作报告",
    "本报告统计期限为2022年9月1日到2023年8月31日，现将学校信息公开工作情况报告如下。",
    "一、概述",
    "学校持续推进信息公开工作。",
    "二、依申请公开和不予公开情况",
    "本年度学校未收到信息公开申请。",
    "三、因学校信息公开工作受到举报、复议、诉讼的情况",
    "本年度未发生举报、复议、诉讼。",
    "东华理工大学",
    "2023年10月30日",
]


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    """A one-page report set in reportlab's built-in CID font (no font file needed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 12)
    for n, line in enumerate(PDF_LINES):
        # Word-like layout: paragraphs spaced apart, body lines indented by two characters.
        indent = 0 if n == 0 or line[1] == "、" else 24
        page.drawString(72 + indent, 760 - 36 * n, line)
    page.save()
    return out.getvalue()


def _run(*args: str):
    return CliRunner().invoke(parse_command, list(args))


def test_registered():
    assert COMMANDS == [parse_command]
    assert parse_command.name == "parse"


def test_help_has_example():
    result = _run("--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "xxgk parse" in result.output


def test_json_html():
    result = _run(str(FILES / "html" / "vsb_article.htm"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data) and set(data) - JSON_KEYS <= {"format", "pages"}
    assert {
        k: data[k]
        for k in (
            "title",
            "school",
            "label",
            "year",
            "period_start",
            "period_end",
            "published",
            "parser",
            "parser_version",
        )
    } == {
        "title": "广东海洋大学2020—2021学年信息公开年度报告",
        "school": "广东海洋大学",
        "label": "2020—2021学年",
        "year": 2021,
        "period_start": "2020-09-01",
        "period_end": "2021-08-31",
        "published": "2021-11-01",
        "parser": "xxgk-parsers",
        "parser_version": PARSER_VERSION,
    }
    assert data["sections"][0] == {
        "key": "overview",
        "heading": "一、概述",
        "text": "学校坚持“公开为常态、不公开为例外”，完善信息公开制度，信息公开网运行平稳。",
    }
    assert set(data["figures"][0]) == {"name", "value", "evidence"}
    assert "2020年9月1日" in data["text"]
    assert "\\u" not in result.stdout  # ensure_ascii=False: Chinese stays readable


def test_plain_text(tmp_path):
    result = _run(str(FILES / "html" / "webplus_article.htm"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# 合肥工业大学2022—2023学年信息公开年度报告"
    assert (
        lines[2] == "# format: html | sections: overview, proactive, on_request, review, "
        "improvements"
    )
    assert (
        "根据《高等学校信息公开办法》，现将我校2022年9月1日—2023年8月31日信息公开工作情况"
        "报告如下。" in lines
    )


def test_pdf(tmp_path, report_pdf):
    path = tmp_path / "download"  # no extension: the bytes decide
    path.write_bytes(report_pdf)
    result = _run(str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["text"].splitlines() == PDF_LINES
    assert (data["format"], data["pages"], data["school"], data["year"], data["published"]) == (
        "pdf",
        1,
        "东华理工大学",
        2023,
        "2023-10-30",
    )
    assert (data["period_start"], data["period_end"]) == ("2022-09-01", "2023-08-31")
    assert [s["key"] for s in data["sections"]] == ["overview", "on_request", "complaints"]
    assert [(f["name"], f["value"]) for f in data["figures"]] == [
        ("requests_received", 0),
        ("complaints", 0),
        ("reconsiderations", 0),
        ("lawsuits", 0),
    ]


def test_parse_pdf_bytes(report_pdf):
    doc = parse(report_pdf, "application/octet-stream")
    assert (doc.format, doc.title) == ("pdf", "东华理工大学2023年度信息公开工作报告")


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("empty.pdf", b"", "error: BrokenDocument: zero bytes or only whitespace: empty download"),
        (
            "picture.gif",
            b"GIF89a\x01\x00",
            "error: UnsupportedFormat: unrecognised bytes: starts with b'GIF89a\\x01\\x00'",
        ),
    ],
)
def test_unreadable_file(tmp_path, name, body, message):
    path = tmp_path / name
    path.write_bytes(body)
    result = _run(str(path), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.output


def test_truncated_pdf(tmp_path, report_pdf):
    path = tmp_path / "cut.pdf"
    path.write_bytes(report_pdf[: len(report_pdf) // 2])
    result = _run(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: BrokenDocument: ")
    assert len(result.stderr.splitlines()) == 1
