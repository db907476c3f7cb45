"""The same file posted twice is one report whose home is the first posting, whatever order the
crawl meets the two articles in: title, label, date and page all come from that posting."""

from __future__ import annotations

import pytest

from archive import Archive
from archive.reports import ReportCandidate, SourceFile, save_report

SHA = "ab" * 32
FILE = "http://xwgk.fzu.edu.cn/_upload/article/files/report.pdf"
CHINESE = (
    "福州大学2023—2024学年信息公开年度报告",
    "2023—2024学年",
    "2024-10-27",
    "/c1/page.htm",
    "年度报告.pdf",
)
ENGLISH = ("Annual Report on Information Disclosure (2023-2024 Academic Year)", None, "2024-10-28")


def _candidate(
    title, label, published, path="/c2/page.htm", name="annual-report.pdf"
) -> ReportCandidate:
    page = f"http://xwgk.fzu.edu.cn{path}"
    return ReportCandidate(
        school_code="4135010386",
        school_name="福州大学",
        title=title,
        page_url=page,
        source=SourceFile(FILE, SHA, "attachment", page, name, "application/pdf"),
        year=2024,
        label=label,
        published=published,
    )


@pytest.mark.parametrize("english_first", [True, False], ids=["english-first", "chinese-first"])
def test_the_first_posting_is_the_home_in_either_order(tmp_path, english_first):
    archive = Archive(tmp_path)
    archive.db["schools"].insert({"code": "4135010386", "name": "福州大学", "province": "福建"})
    postings = [_candidate(*ENGLISH), _candidate(*CHINESE)]
    for candidate in postings if english_first else postings[::-1]:
        save_report(archive.db, candidate, None, "BrokenDocument: test bytes", "pdf")
    rows = list(
        archive.db.query("select title, label, published, page_url, file_name from reports")
    )
    assert rows == [
        {
            "title": CHINESE[0],
            "label": CHINESE[1],
            "published": CHINESE[2],
            "page_url": f"http://xwgk.fzu.edu.cn{CHINESE[3]}",
            "file_name": CHINESE[4],
        }
    ]
    archive.close()
