"""Word files: .docx made here with python-docx, a real .doc made with LibreOffice, sniffing
of Office containers, and the converter-missing error."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from parsers import BrokenDocument, ConverterMissing, UnsupportedFormat, parse, word
from parsers.dispatch import sniff

WORD = Path(__file__).parent / "files" / "word"


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    document = docx.Document()
    document.add_heading("华南理工大学2023—2024学年信息公开年度报告", level=1)
    document.add_paragraph("　　本报告统计时间范围为2023年9月1日至2024年8月31日。")
    document.add_heading("一、概述", level=2)
    document.add_paragraph("学校持续推进信息公开工作。")
    document.add_heading("二、依申请公开和不予公开情况", level=2)
    paragraph = document.add_paragraph("本学年共收到信息公开申请4件，其中予以公开3件，")
    paragraph.add_run().add_break()
    paragraph.add_run("不予公开1件。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["类别", "件数", "备注"], ["予以公开", "3", ""], ["不予公开", "1", ""]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 2))  # a merged header cell appears once
    document.add_heading("三、因学校信息公开工作受到举报、复议、诉讼的情况", level=2)
    document.add_paragraph("本学年未发生举报、复议、诉讼。")
    document.add_paragraph("华南理工大学")
    document.add_paragraph("2024年10月30日")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _whole(doc) -> dict:
    data = doc.to_dict()
    return {
        "meta": {
            k: data[k]
            for k in (
                "format",
                "title",
                "school",
                "label",
                "year",
                "period_start",
                "period_end",
                "published",
            )
        },
        "sections": [(s["key"], s["heading"], s["text"]) for s in data["sections"]],
        "figures": [(f["name"], f["value"]) for f in data["figures"]],
        "tables": [t["rows"] for t in data["tables"]],
        "warnings": data["warnings"],
    }


def test_docx(report_docx):
    doc = parse(report_docx, None, url="http://x/system/_content/download.jsp?wbfileid=1")
    assert doc.text == "\n".join(
        [
            "华南理工大学2023—2024学年信息公开年度报告",
            "本报告统计时间范围为2023年9月1日至2024年8月31日。",
            "一、概述",
            "学校持续推进信息公开工作。",
            "二、依申请公开和不予公开情况",
            "本学年共收到信息公开申请4件，其中予以公开3件，",
            "不予公开1件。",
            "三、因学校信息公开工作受到举报、复议、诉讼的情况",
            "本学年未发生举报、复议、诉讼。",
            "华南理工大学",
            "2024年10月30日",
        ]
    )
    assert _whole(doc) == {
        "meta": {
            "format": "docx",
            "title": "华南理工大学2023—2024学年信息公开年度报告",
            "school": "华南理工大学",
            "label": "2023—2024学年",
            "year": 2024,
            "period_start": "2023-09-01",
            "period_end": "2024-08-31",
            "published": "2024-10-30",
        },
        "sections": [
            ("overview", "一、概述", "学校持续推进信息公开工作。"),
            (
                "on_request",
                "二、依申请公开和不予公开情况",
                "本学年共收到信息公开申请4件，其中予以公开3件，\n不予公开1件。",
            ),
            (
                "complaints",
                "三、因学校信息公开工作受到举报、复议、诉讼的情况",
                "本学年未发生举报、复议、诉讼。",
            ),
        ],
        # The soft line break splits the sentence, so 不予公开1件 is found on its own line.
        "figures": [
            ("requests_received", 4),
            ("requests_granted", 3),
            ("requests_denied", 1),
            ("complaints", 0),
            ("reconsiderations", 0),
            ("lawsuits", 0),
        ],
        # Merging joins the two cells' text as lines of one cell (CJK lines join tight, as
        # in PDF cells); the merged cell sits in its first position and the position it
        # covers is empty, as in the PDF tables.
        "tables": [[["类别", "件数备注", ""], ["予以公开", "3", ""], ["不予公开", "1", ""]]],
        "warnings": [],
    }


@pytest.mark.skipif(
    word.find_converter() is None,
    reason="LibreOffice (soffice) not installed: apt-get install "
    "libreoffice-writer-nogui to run the .doc test",
)
@pytest.mark.parametrize("filename", ["scau_2023.doc", "scau_2023.wps"])
def test_doc_through_libreoffice(filename):
    body = (WORD / "scau_2023.doc").read_bytes()  # OLE2, saved by LibreOffice as Word 97
    doc = parse(body, "application/octet-stream", filename=filename)
    assert _whole(doc) == {
        "meta": {
            "format": filename.rsplit(".", 1)[1],
            "title": "华南农业大学2022-2023学年信息公开年度报告",
            "school": "华南农业大学",
            "label": "2022-2023学年",
            "year": 2023,
            "period_start": "2022-09-01",
            "period_end": "2023-08-31",
            "published": "2023-10-31",
        },
        "sections": [
            ("overview", "一、概述", "学校持续推进信息公开工作。"),
            (
                "on_request",
                "二、依申请公开和不予公开情况",
                "本学年学校共收到信息公开申请2件，均予以公开2件。",
            ),
            (
                "complaints",
                "三、因学校信息公开工作受到举报、复议、诉讼的情况",
                "本学年未发生举报、复议、诉讼。",
            ),
        ],
        "figures": [
            ("requests_received", 2),
            ("requests_granted", 2),
            ("complaints", 0),
            ("reconsiderations", 0),
            ("lawsuits", 0),
        ],
        "tables": [[["收到申请", "予以公开"], ["2", "2"]]],
        "warnings": [],
    }


def test_doc_without_converter(monkeypatch):
    monkeypatch.setattr(word, "find_converter", lambda: None)
    with pytest.raises(ConverterMissing) as caught:
        parse((WORD / "scau_2023.doc").read_bytes(), "application/msword")
    assert caught.value.reason == (
        ".doc needs LibreOffice to convert it: install the Debian package "
        "libreoffice-writer-nogui (soffice not found on PATH)"
    )


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


def _ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + stream.encode("utf-16-le")


@pytest.mark.parametrize(
    ("body", "kwargs", "expected"),
    [
        (_zip(["[Content_Types].xml", "word/document.xml"]), {}, "docx"),
        (_ole2("WordDocument"), {}, "doc"),
        (_ole2("WordDocument"), {"filename": "报告.wps"}, "wps"),
        (_ole2("Root Entry"), {"filename": "报告.WPS"}, "wps"),  # old WPS without the stream
    ],
)
def test_sniff_office(body, kwargs, expected):
    assert sniff(body, None, **kwargs) == expected


@pytest.mark.parametrize(
    ("body", "error", "reason"),
    [
        (
            _zip(["xl/workbook.xml"]),
            UnsupportedFormat,
            "an Excel .xlsx workbook, not a report document",
        ),
        (
            _zip(["mimetype"]),
            UnsupportedFormat,
            "a zip archive without word/document.xml (not a .docx)",
        ),
        (
            _zip(["OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml"]),
            UnsupportedFormat,
            "an OFD document (GB/T 33190): OFD is not read yet",
        ),
        (_ole2("Workbook"), UnsupportedFormat, "an Excel .xls workbook, not a report document"),
        (
            _ole2("Root Entry"),
            UnsupportedFormat,
            "an OLE2 compound file that is not a Word document",
        ),
    ],
)
def test_sniff_office_errors(body, error, reason):
    with pytest.raises(error) as caught:
        sniff(body)
    assert caught.value.reason == reason


def test_truncated_docx(report_docx):
    with pytest.raises(BrokenDocument) as caught:
        parse(report_docx[: len(report_docx) // 2], filename="report.docx")
    assert caught.value.reason.startswith("damaged or truncated .docx (zip): ")
