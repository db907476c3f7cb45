"""A small archive with every state the site shows: on time, late, undated, missing, a parse
failure; sections, figures with evidence, a checklist table. Shared by tests/test_site_*.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from archive import Archive, ReportCandidate, SourceFile, save_report
from parsers.document import Figure, ParsedDocument, Section, Table

SCHOOLS = [
    {"code": "1001", "name": "甲大学", "province": "北京市", "city": "北京市"},
    {"code": "1002", "name": "乙学院", "province": "江苏省", "city": "南京市"},
    {"code": "1003", "name": "丙大学", "province": "江苏省", "city": "苏州市"},
]
AUTHORITY = {"1001": ("教育部", "本科"), "1002": ("江苏省", "专科"), "1003": ("江苏省", "本科")}

ON_REQUEST = "本年度共收到依申请公开申请{n}件，予以公开{g}件。"
SECTIONS = [
    ("overview", "一、概述", "学校认真贯彻《高等学校信息公开办法》，招生信息全部公开。"),
    ("proactive", "二、主动公开情况", "通过信息公开网主动公开招生、财务等信息。"),
    ("on_request", "三、依申请公开情况", ON_REQUEST),
    ("review", "四、社会评议情况", "师生对信息公开工作总体满意。"),
    ("complaints", "五、举报、复议、诉讼情况", "本年度未收到举报，未发生行政复议和行政诉讼。"),
    ("improvements", "六、存在问题与改进措施", "进一步加强信息公开平台建设。"),
    ("other", "七、其他需要报告的事项", "无。"),
]
CHECKLIST = [["类别", "事项", "公开情况"], ["招生考试信息", "招生章程", "已公开"]]

# (code, year, published, received, granted, complete?) ; complete=False: no period, no table
REPORTS = [
    ("1001", 2023, "2023-10-20", 12, 8, True),
    ("1001", 2024, "2024-11-05", 20, 15, True),
    ("1002", 2024, None, 3, 3, False),
    ("1003", 2024, "2024-10-31", 0, 0, True),
]
PARSE_ERROR = ("1002", 2023, "2023-10-15", "BrokenDocument: no %%EOF marker: truncated download")


def _text(sections: list[Section]) -> str:
    return "\n".join(f"{s.heading}\n{s.text}" for s in sections)


def _candidate(code: str, year: int, published: str | None, n: int) -> ReportCandidate:
    name = next(s["name"] for s in SCHOOLS if s["code"] == code)
    page = f"https://xxgk.example/{code}/{year}.htm"
    return ReportCandidate(
        school_code=code,
        school_name=name,
        title=f"{name}{year}年信息公开年度报告",
        page_url=page,
        year=year,
        published=published,
        source=SourceFile(
            url=f"https://xxgk.example/{code}/{year}.pdf",
            sha256=f"{n:064x}",
            role="attachment",
            page_url=page,
            file_name=f"{year}.pdf",
            content_type="application/pdf",
        ),
    )


def build_site_archive(data_dir: Path) -> Path:
    archive = Archive(data_dir)
    archive.upsert_schools(
        {**s, "authority": AUTHORITY[s["code"]][0], "level": AUTHORITY[s["code"]][1]}
        for s in SCHOOLS
    )
    for n, (code, year, published, received, granted, complete) in enumerate(REPORTS, 1):
        sections = [
            Section(key, heading, text.format(n=received, g=granted))
            for key, heading, text in SECTIONS
        ]
        if not complete:
            sections = [s for s in sections if s.key not in ("review", "other")]
        sentence = ON_REQUEST.format(n=received, g=granted)
        parsed = ParsedDocument(
            text=_text(sections),
            format="pdf",
            parser="test",
            parser_version="1",
            label=f"{year}年度",
            period_start=f"{year - 1}-09-01" if complete else None,
            period_end=f"{year}-08-31" if complete else None,
            pages=3,
            sections=sections,
            figures=[
                Figure("requests_received", received, sentence),
                Figure("requests_granted", granted, sentence),
            ],
            tables=[Table(CHECKLIST, page=3)] if complete else [],
        )
        save_report(archive.db, _candidate(code, year, published, n), parsed, None, "pdf")
    code, year, published, error = PARSE_ERROR
    save_report(archive.db, _candidate(code, year, published, 99), None, error, "pdf")
    archive.close()
    return data_dir / "xxgk.db"


class Site:
    """The served site in-process (Datasette's test client), one event loop for all requests."""

    def __init__(self, db_path: Path):
        from archive.serve import build_datasette, prepare

        prepare(db_path.parent)
        self.datasette = build_datasette(db_path)
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.datasette.invoke_startup())

    def get(self, path: str) -> Any:
        return self.loop.run_until_complete(self.datasette.client.get(path))

    def close(self) -> None:
        self.loop.close()
