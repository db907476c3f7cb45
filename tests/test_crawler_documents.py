"""File names, real types and the choice of a report's source file."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from scrapy.http import Response

from archive import SourceFile
from crawler.documents import choose_source, file_name_for, format_of, sniff_format
from crawler.registry import RegistryError, parse_registry, registrable_domain

FILES = Path(__file__).parent / "files"


def test_file_name_prefers_link_text_then_header_then_url():
    response = Response(
        "http://x.edu.cn/download.jsp?wbfileid=1",
        headers={"Content-Disposition": "attachment; filename=header.pdf"},
    )
    assert file_name_for(response, response.url, "链接.pdf") == "链接.pdf"
    assert file_name_for(response, response.url, None) == "header.pdf"
    bare = Response("http://x.edu.cn/docs/a%20b.pdf")
    assert file_name_for(bare, bare.url, None) == "a b.pdf"


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<x/>")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("2023年度信息公开年度报告")
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "mime"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        ((FILES / "word" / "scau_2023.doc").read_bytes(), "application/msword"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (_zip("xl/workbook.xml"), None),
        (b"  <!DOCTYPE html><html>", "text/html"),
        (b"\x00\x01", None),
        (b"", None),
    ],
)
def test_real_types_are_sniffed(body, mime):
    assert sniff_format(body) == mime


@pytest.mark.parametrize(
    ("content_type", "fmt"),
    [
        ("application/pdf", "pdf"),
        ("text/html; charset=gbk", "html"),
        ("application/msword", "doc"),
        ("application/zip", "other"),
        (None, "other"),
    ],
)
def test_formats_of_recorded_types(content_type, fmt):
    assert format_of(content_type) == fmt


def _file(name, mime, url=None):
    return SourceFile(
        url=url or f"http://x.edu.cn/{name}",
        sha256=name,
        role="attachment",
        page_url="http://x.edu.cn/a.htm",
        file_name=name,
        content_type=mime,
    )


def test_the_report_file_is_the_source_and_the_rest_are_kept():
    article = SourceFile(
        "http://x.edu.cn/a.htm",
        "html",
        "article",
        "http://x.edu.cn/a.htm",
        content_type="text/html",
    )
    sheet = _file("清单事项公开情况表.xls", "application/vnd.ms-excel")
    other = _file("附件1.pdf", "application/pdf")
    report = _file("2023年度信息公开年度报告.pdf", "application/pdf")
    assert choose_source(article, [sheet, other, report]) == (report, [article, sheet, other])
    assert choose_source(article, [sheet, other]) == (other, [article, sheet])
    assert choose_source(article, [sheet]) == (article, [sheet])


def test_registry_rows_and_domains():
    schools = parse_registry(
        "code,name,portal_url,family,domains,extra\n"
        "4144010566,广东海洋大学,http://xxgk.gdou.edu.cn/,vsb,gdou.com,x\n"
    )
    school = schools[0]
    assert school.domains == {"gdou.edu.cn", "gdou.com"}
    assert school.owns("https://www.gdou.edu.cn/a.pdf")
    assert school.owns("http://gdou.com/x")
    assert not school.owns("http://gdou.edu.cn.mirror-site.com/")
    assert registrable_domain("xxgk.sysu.edu.cn") == "sysu.edu.cn"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name\n1,a\n", "missing column(s) portal_url"),
        ("code,name,portal_url\n1,,http://x.cn/\n", "registry:2: code, name and portal_url"),
        ("code,name,portal_url\n1,a,ftp://x.cn/\n", "is not an http(s) URL"),
        ("code,name,portal_url,family\n1,a,http://x.cn/,joomla\n", "unknown family 'joomla'"),
    ],
)
def test_registry_errors_say_where(text, message):
    with pytest.raises(RegistryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_registry(text)
