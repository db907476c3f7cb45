"""Whole articles: continuation pages in order, and pages that are not articles at all.

Pure functions over (url, html, status). An article split over pages (`1673.htm`,
`1673_1.htm`, `1673_2.htm`; `?page=2`; `第2页` links) is joined into one text by
`parse_pages`; an error, intranet-only or login page, or a 404 page served with status 200, is
recognised with a named reason and never becomes a report.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from crawler.fetch_errors import ErrorPage, IntranetOnly, LoginRequired, NotFoundPage
from crawler.paging import is_next_text
from parsers.errors import EmptyText

_INTRANET_TEXT = re.compile(
    r"无权访问|没有权限|您无权|仅限校内|校内访问|内网访问|请使用校园网|校园网内访问|访问受限|权限不足"
)
_LOGIN_TEXT = re.compile(
    r"统一身份认证|统一认证|身份认证平台|请先登录|用户登录|登录后查看|CAS\s*登录"
)
_LOGIN_URL = re.compile(r"/(cas|authserver|sso|idp)/|/login(\.\w+)?([?#]|$)", re.IGNORECASE)
_NOT_FOUND_TEXT = re.compile(
    r"^\s*404\b|\b404\s*(not\s*found|错误|页面)|页面不存在|页面未找到|找不到(该|您要访问的)?页面"
    r"|您(所)?访问的页面不存在|文章不存在|信息不存在|内容不存在|已被删除|page\s+not\s+found",
    re.IGNORECASE,
)
_ERROR_CLASSES = ("wp_error_msg", "error-page", "errorpage", "err_msg", "error_msg")
_SHORT_PAGE = 600  # characters of body text: error pages say little


def _text(selector: Selector, css: str) -> str:
    return re.sub(r"\s+", " ", " ".join(selector.css(css).getall())).strip()


def page_problem(url: str, html: str, status: int = 200) -> str | None:
    """Why this article page is no article (`IntranetOnly: ...`), or None for a real one."""
    selector = Selector(text=html)
    body = _text(selector, "body ::text") or _text(selector, "::text")
    title = _text(selector, "title::text")
    for name in _ERROR_CLASSES:
        message = _text(selector, f".{name} ::text")
        if selector.css(f".{name}"):
            named = IntranetOnly if _INTRANET_TEXT.search(message or body) else ErrorPage
            return str(named(f"the page shows only an error message ({message[:60] or name})"))
    where = f"{urlsplit(url).netloc}{urlsplit(url).path}"
    if _LOGIN_URL.search(urlsplit(url).path + "?") and (
        selector.css("input[type=password]") or _LOGIN_TEXT.search(body + title)
    ):
        return str(LoginRequired(f"redirected to a login page ({where})"))
    if selector.css("input[type=password]") and _LOGIN_TEXT.search(body + title):
        return str(LoginRequired(f"the page asks for a login (统一身份认证) at {where}"))
    if len(body) < _SHORT_PAGE:
        intranet = _INTRANET_TEXT.search(body + title)
        if intranet:
            return str(IntranetOnly(f"{intranet.group(0)} ({where})"))
        if _NOT_FOUND_TEXT.search(title) or _NOT_FOUND_TEXT.search(body):
            return str(NotFoundPage(f"a 404 page served with status {status} ({where})"))
    return None


def continuation_pages(url: str, html: str) -> list[str]:
    """Further pages of this article, in order: `<id>_N.htm` siblings, `?page=N` links, and
    next-page links inside the article (`下一页`)."""
    path = urlsplit(url).path
    stem = re.sub(r"(_\d+)?\.s?html?$", "", path)
    sibling = re.compile(re.escape(stem) + r"_(\d+)\.s?html?$") if stem != path else None
    numbered: dict[int, str] = {}
    following: list[str] = []
    selector = Selector(text=html)
    for anchor in selector.css("a[href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = urljoin(url, href).split("#")[0]
        parts = urlsplit(target)
        if target == url or parts.netloc != urlsplit(url).netloc:
            continue
        match = sibling.search(parts.path) if sibling else None
        if match:
            numbered[int(match.group(1))] = target
            continue
        if parts.path == path:
            page = dict((k.lower(), v) for k, v in parse_qsl(parts.query)).get("page")
            if page and page.isdigit():
                numbered[int(page)] = target
                continue
        text = re.sub(r"\s+", "", " ".join(anchor.css("::text").getall()))
        if is_next_text(text) and _same_article(target, url):
            following.append(target)
    pages = [numbered[n] for n in sorted(numbered)]
    return pages + [u for u in following if u not in pages]


def _same_article(target: str, url: str) -> bool:
    """A next link of an article stays in its folder and keeps its stem (`_2` variants)."""
    a, b = urlsplit(target).path, urlsplit(url).path
    return a.rsplit("/", 1)[0] == b.rsplit("/", 1)[0]


def parse_pages(
    raw_paths: list[str], content_type: str | None, url: str | None, file_name: str | None
):
    """One report from an article's pages (raw files, in order): texts and tables joined.
    Runs in the parse pool like `archive.ingest.parse_stored`; a failure is its reason."""
    from parsers import analyse, extract
    from parsers.document import Extracted
    from parsers.errors import ParseError

    parts: list[Extracted] = []
    try:
        for path in raw_paths:
            parts.append(
                extract(Path(path).read_bytes(), content_type, url=url, filename=file_name)
            )
    except OSError as exc:
        return None, f"RawFileMissing: {exc}"
    except ParseError as exc:
        return None, str(exc)
    except Exception as exc:  # a parser bug must not lose the report: record it with its type
        return None, f"ParserCrash: {type(exc).__name__}: {exc}"
    first = parts[0]
    joined = Extracted(
        text="\n".join(p.text for p in parts if p.text),
        format=first.format,
        title=first.title,
        published=first.published,
        tables=[t for p in parts for t in p.tables],
        warnings=list(dict.fromkeys(w for p in parts for w in p.warnings)),
        extractor=first.extractor,
    )
    return empty_text_checked(analyse(joined), None)


def empty_text_checked(parsed, error: str | None):
    """A report whose text is empty is an error (`EmptyText:`), never `ok`."""
    if error is None and parsed is not None and not (parsed.text or "").strip():
        return None, str(EmptyText("the report's source has no text (body taken for a table?)"))
    return parsed, error
