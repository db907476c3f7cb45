"""A small archive built the way a crawl builds one, for tests, demos and the browser test.

It calls the crawler's entry points (`Archive`, `store_raw`, `record_fetch`, `save_report`)
with real PDFs made by reportlab (its built-in STSong-Light CID font needs no font file), parsed
by the real parsers (`archive.ingest.parse_stored`, as the crawl pipeline does).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from archive.ingest import parse_stored
from archive.reports import ReportCandidate, SourceFile, save_report
from archive.store import Archive

SCHOOLS = [
    {
        "code": "10001",
        "name": "北京大学",
        "province": "北京",
        "city": "北京",
        "authority": "教育部",
        "level": "本科",
        "portal_url": "https://xxgk.pku.example/",
    },
    {
        "code": "10003",
        "name": "清华大学",
        "province": "北京",
        "city": "北京",
        "authority": "教育部",
        "level": "本科",
        "portal_url": "https://xxgk.tsinghua.example/",
    },
    {
        "code": "10284",
        "name": "南京大学",
        "province": "江苏",
        "city": "南京",
        "authority": "教育部",
        "level": "本科",
        "portal_url": "https://xxgk.nju.example/",
    },
]
# (school code, year, published); 南京大学 has no 2022 report; two reports are late.
REPORTS = [
    ("10001", 2022, "2022-10-28"),
    ("10001", 2023, "2023-10-30"),
    ("10003", 2022, "2022-11-15"),
    ("10003", 2023, "2023-10-31"),
    ("10284", 2023, "2023-12-01"),
]
HEADINGS = [
    ("overview", "一、概述"),
    ("proactive", "二、主动公开情况"),
    ("on_request", "三、依申请公开和不予公开情况"),
    ("complaints", "四、因学校信息公开工作受到举报、复议、诉讼的情况"),
]


@dataclass
class SampleReport:
    school_code: str
    year: int
    report_id: int
    sha256: str
    file_name: str
    body: bytes


@dataclass
class SampleArchive:
    data_dir: Path
    reports: list[SampleReport] = field(default_factory=list)
    html_sha256: str = ""


def report_text(name: str, year: int, requests: int) -> str:
    """The report's text: the phrases tests search for (招生, 财务, 北京 ...) appear in it."""
    paragraphs = [
        f"{name}{year}年信息公开年度报告",
        HEADINGS[0][1],
        f"本报告统计时间为{year - 1}年9月1日至{year}年8月31日。学校坚持以公开为常态。",
        HEADINGS[1][1],
        "学校通过信息公开网主动公开招生考试、财务资产、收费项目等信息。",
        f"全年在北京等地开展招生宣传，公开财务预决算信息{requests + 12}条。",
        HEADINGS[2][1],
        f"本年度共收到依申请公开{requests}件，均按时答复。"
        if requests
        else "本年度未收到依申请公开申请。",
        HEADINGS[3][1],
        "本年度未发生因信息公开工作受到举报、复议、诉讼的情况。",
    ]
    return "\n".join(paragraphs)


def make_pdf(text: str) -> bytes:
    """A small PDF of the text, wrapped like a Word document (about 30 characters a line)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)  # invariant: same bytes every run
    y = 800
    for paragraph in text.split("\n"):
        for start in range(0, len(paragraph), 30):
            pdf.setFont("STSong-Light", 12)
            pdf.drawString(60, y, paragraph[start : start + 30])
            y -= 20
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def build_sample_archive(data_dir: str | os.PathLike[str]) -> SampleArchive:
    """Create (or add to) an archive in data_dir with the sample schools, reports and fetches."""
    archive = Archive(data_dir)
    sample = SampleArchive(Path(data_dir))
    try:
        archive.upsert_schools(SCHOOLS)
        crawl_id = archive.begin_crawl("sample", {"note": "built by archive.sample"})
        names = {s["code"]: s["name"] for s in SCHOOLS}
        for i, (code, year, published) in enumerate(REPORTS):
            name = names[code]
            text = report_text(name, year, requests=i % 3 * 2)
            body = make_pdf(text)
            file_name = f"{name}{year}年信息公开年度报告.pdf"
            portal = next(s["portal_url"] for s in SCHOOLS if s["code"] == code)
            page_url = f"{portal}info/{year}/report.htm"
            file_url = f"{portal}files/{year}/report-{i}.pdf"
            html = (
                f"<html><body><h1>{name}{year}年信息公开年度报告</h1>"
                f'<a href="{file_url}">{file_name}</a>'
                "<script>document.title='scraped script ran'</script></body></html>"
            ).encode()
            html_sha = archive.store_raw(html)
            sha = archive.store_raw(body)
            for url, digest, ctype, kind, size, disposition in (
                (page_url, html_sha, "text/html; charset=utf-8", "article", len(html), None),
                (
                    file_url,
                    sha,
                    "application/pdf",
                    "file",
                    len(body),
                    "attachment; filename*=UTF-8''" + _percent(file_name),
                ),
            ):
                archive.record_fetch(
                    {
                        "crawl_id": crawl_id,
                        "school_code": code,
                        "kind": kind,
                        "url": url,
                        "final_url": url,
                        "status": 200,
                        "content_type": ctype,
                        "content_length": size,
                        "size": size,
                        "sha256": digest,
                        "content_disposition": disposition,
                    }
                )
            parsed, error = parse_stored(
                str(archive.raw_path(sha)), "application/pdf", file_url, file_name
            )
            candidate = ReportCandidate(
                school_code=code,
                school_name=name,
                title=f"{name}{year}年信息公开年度报告",
                page_url=page_url,
                year=year,
                published=published,
                crawl_id=crawl_id,
                source=SourceFile(
                    url=file_url,
                    sha256=sha,
                    role="attachment",
                    page_url=page_url,
                    file_name=file_name,
                    content_type="application/pdf",
                ),
                files=[
                    SourceFile(
                        url=page_url,
                        sha256=html_sha,
                        role="article",
                        page_url=page_url,
                        content_type="text/html",
                    )
                ],
            )
            report_id, _ = save_report(archive.db, candidate, parsed, error, "pdf")
            sample.reports.append(SampleReport(code, year, report_id, sha, file_name, body))
            sample.html_sha256 = html_sha
        archive.end_crawl(crawl_id, "finished", {"reports": len(REPORTS)})
    finally:
        archive.close()
    return sample


def _percent(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
