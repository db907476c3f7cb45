"""Portals that need a page's script run: the browser path's fixture world, on 127.0.0.1.

    world = build_scripted_world()
    with serve_scripted(world) as server:
        server.resolve_args(), server.write_registry(path), server.requests, world.reports

Each school is a generic portal (home → 信息公开年度报告 column → list → article → PDF):
- `jsc`: every page sits behind a challenge whose cookie only the page's script computes (a
  hash of a signed nonce); the 412 also sets a decoy cookie, so a client that replays the
  response's cookies is refused. An earned clearance lasts `CLEARANCE_USES` requests, then
  the gateway challenges again.
- `xhr`: the list is an empty `<ul>` filled from `/api/list?page=N` (JSON); the script also
  tries to reach a private address, the canary, an unknown host and an image.
- `cph`: TRS-style `createPageHTML(count, current, "index", "html")` pager, written by script.
- `asp`: an ASP.NET-like list paged only by `__doPostBack` form posts (viewstate checked).
- `dom`: items written by `document.write` from inline data (no request to spot): only a
  registry row with `render=browser` gets them.
- `wall`: a challenge that never lifts, even for a browser.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
from dataclasses import dataclass, field

from fixtureworld.nasty import PDF, page, report_pdf, title_of

HTML = "text/html; charset=utf-8"
SECRET = b"fixture-gateway-secret"
CLEARANCE_COOKIE = "__xxgk_clearance"
CLEARANCE_USES = 5
PER_PAGE = 2  # list items per page: every list here has several pages
UNKNOWN_HOST = "tracker.example.com"  # no --resolve entry: never looked up
REBIND_HOST = "cdn.xhr.edu.cn"  # --resolve points it at 10.0.0.1


@dataclass(frozen=True)
class Report:
    code: str
    host: str
    year: int
    title: str
    page_path: str
    file_path: str
    sha256: str


@dataclass(frozen=True)
class School:
    code: str
    name: str
    host: str
    kind: str  # jsc | xhr | cph | asp | dom | wall
    render: str = ""  # registry column: "browser" forces the browser for this portal


@dataclass
class ScriptedWorld:
    schools: list[School] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    # (host, path) -> (status, content type, body); dynamic answers live in the server.
    static: dict[tuple[str, str], tuple[str, bytes]] = field(default_factory=dict)
    lists: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # host -> items
    extra_resolve: list[tuple[str, str]] = field(default_factory=list)

    @property
    def hosts(self) -> list[str]:
        return sorted({s.host for s in self.schools} | {h for h, _ in self.extra_resolve})

    def school(self, kind: str) -> School:
        return next(s for s in self.schools if s.kind == kind)

    def expected(self, kind: str | None = None) -> set[tuple[str, int, str]]:
        """(school code, year, sha256) of every report the crawl must archive."""
        codes = {s.code for s in self.schools if kind is None or s.kind == kind}
        return {(r.code, r.year, r.sha256) for r in self.reports if r.code in codes}


# -- scripts --------------------------------------------------------------------------------


def clearance_token(nonce: str) -> str:
    """What the challenge script computes (the same 31-hash, in Python, for the server)."""
    total = 0
    for char in nonce:
        total = (total * 31 + ord(char)) % 1000003
    return f"{nonce}.{total}"


def signed_nonce(counter: int) -> str:
    raw = f"{counter:08x}"
    return raw + hmac.new(SECRET, raw.encode(), hashlib.sha256).hexdigest()[:8]


def nonce_is_ours(nonce: str) -> bool:
    raw, sig = nonce[:8], nonce[8:]
    return hmac.compare_digest(sig, hmac.new(SECRET, raw.encode(), hashlib.sha256).hexdigest()[:8])


def challenge_page(nonce: str) -> bytes:
    """A 瑞数-like gateway page: the cookie exists only once this script has run."""
    script = (
        f"(function(){{var s={json.dumps(nonce)},t=0;for(var i=0;i<s.length;i++)"
        "{t=(t*31+s.charCodeAt(i))%1000003;}"
        f"document.cookie='{CLEARANCE_COOKIE}='+s+'.'+t+';path=/';location.reload();}})();"
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title></title>'
        f"<script>{script}</script></head><body><noscript>请开启JavaScript并刷新该页"
        "</noscript></body></html>"
    ).encode()


def xhr_list_page(canary: str, port: int) -> bytes:
    """An empty list filled from JSON; its script also reaches for places it must not."""
    script = f"""
var page = Number(new URLSearchParams(location.search).get('page') || '1');
fetch('/api/list?page=' + page).then(function (r) {{ return r.json(); }}).then(function (d) {{
  var ul = document.getElementById('newslist');
  d.items.forEach(function (it) {{
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = it.url; a.title = it.title; a.textContent = it.title;
    var span = document.createElement('span'); span.className = 'date'; span.textContent = it.date;
    li.appendChild(a); li.appendChild(span); ul.appendChild(li);
  }});
  if (page < d.pages) {{
    var next = document.createElement('a');
    next.className = 'next'; next.href = '/ndbg/list.htm?page=' + (page + 1);
    next.textContent = '下一页';
    document.getElementById('pager').appendChild(next);
  }}
}});
[{json.dumps(canary)}, 'http://10.0.0.1/latest/meta-data/', 'http://{UNKNOWN_HOST}/t.gif',
 '/api/private/stats',
 'http://{REBIND_HOST}:{port}/lib.js'].forEach(function (u) {{
  fetch(u, {{mode: 'no-cors'}}).catch(function () {{}});
}});
var img = new Image(); img.src = '/images/banner.png';
"""
    body = (
        f'<ul id="newslist" class="newslist"></ul><div id="pager"></div><script>{script}</script>'
    )
    return page("信息公开年度报告", body).encode()


def cph_list_page(items: list[tuple[str, str, str]], count: int, current: int) -> bytes:
    """TRS-style list: the pager is written by createPageHTML, nothing of it in the HTML."""
    script = """
function createPageHTML(count, current, prefix, suffix) {
  if (count <= 1) return;
  for (var i = 0; i < count; i++) {
    var name = i == 0 ? prefix + '.' + suffix : prefix + '_' + i + '.' + suffix;
    if (i == current) document.write('<span>' + (i + 1) + '</span> ');
    else document.write('<a href="' + name + '">' + (i + 1) + '</a> ');
  }
}
"""
    body = (
        f"<script>{script}</script>{_links(items)}"
        f'<div class="page"><script>createPageHTML({count}, {current}, "index", "html");'
        "</script></div>"
    )
    return page("信息公开年度报告", body).encode()


def viewstate(page_number: int) -> str:
    raw = f"page={page_number}".encode()
    return raw.hex() + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()[:8]


def viewstate_page(value: str) -> int | None:
    raw_hex, sig = value[:-8], value[-8:]
    try:
        raw = bytes.fromhex(raw_hex)
    except ValueError:
        return None
    if not hmac.compare_digest(sig, hmac.new(SECRET, raw, hashlib.sha256).hexdigest()[:8]):
        return None
    text = raw.decode()
    return int(text.split("=", 1)[1]) if text.startswith("page=") else None


def asp_list_page(items: list[tuple[str, str, str]], number: int, count: int) -> bytes:
    """An ASP.NET WebForms GridView: numbered pager links are `__doPostBack` calls."""
    pager = " ".join(
        f"<span>{n}</span>"
        if n == number
        else f"<a href=\"javascript:__doPostBack('ctl00$Main$GridView1','Page${n}')\">{n}</a>"
        for n in range(1, count + 1)
    )
    body = f"""<form method="post" action="./List.aspx" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{viewstate(number)}" />
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="ev{number}" />
<script>function __doPostBack(t, a) {{ var f = document.getElementById('aspnetForm');
f.__EVENTTARGET.value = t; f.__EVENTARGUMENT.value = a; f.submit(); }}</script>
{_links(items)}
<div class="pager">{pager}</div>
</form>"""
    return page("信息公开年度报告", body).encode()


def plain_list_page(items: list[tuple[str, str, str]], number: int, count: int) -> bytes:
    """An ordinary list (`list.htm`, `list2.htm`, ...) with a 下一页 link."""
    nav = f'<a class="next" href="/ndbg/list{number + 1}.htm">下一页</a>' if number < count else ""
    return page("信息公开年度报告", _links(items) + nav).encode()


def dom_list_page(items: list[tuple[str, str, str]]) -> bytes:
    """Items written from inline data: nothing in the HTML says a script builds the list."""
    data = json.dumps([{"t": t, "u": u, "d": d} for t, u, d in items], ensure_ascii=False)
    script = (
        f"var rows = {data};\nrows.forEach(function (r) {{ document.write('<li><a href=\"' + "
        "r.u + '\" title=\"' + r.t + '\">' + r.t + '</a><span class=\"date\">' + r.d + "
        "'</span></li>'); });"
    )
    return page("信息公开年度报告", f'<ul class="newslist"><script>{script}</script></ul>').encode()


def _links(items: list[tuple[str, str, str]]) -> str:
    return (
        '<ul class="newslist">'
        + "".join(
            f'<li><a href="{u}" title="{html.escape(t)}">{html.escape(t)}</a>'
            f'<span class="date">{d}</span></li>'
            for t, u, d in items
        )
        + "</ul>"
    )


# -- the world ------------------------------------------------------------------------------

SCHOOLS = (
    School("93001", "脚本挑战大学", "xxgk.jsc.edu.cn", "jsc"),
    School("93002", "异步列表大学", "xxgk.xhr.edu.cn", "xhr"),
    School("93003", "翻页脚本大学", "xxgk.cph.edu.cn", "cph"),
    School("93004", "表单回发大学", "xxgk.asp.edu.cn", "asp"),
    School("93005", "文档写入大学", "xxgk.dom.edu.cn", "dom", render="browser"),
    School("93006", "铜墙铁壁大学", "xxgk.wall.edu.cn", "wall"),
)
YEARS = {
    "jsc": (2021, 2022, 2023),
    "xhr": (2020, 2021, 2022, 2023),
    "cph": (2019, 2020, 2021, 2022, 2023),
    "asp": (2020, 2021, 2022, 2023, 2024),
    "dom": (2022, 2023),
    "wall": (2023,),
}


def build_scripted_world() -> ScriptedWorld:
    world = ScriptedWorld(schools=list(SCHOOLS))
    world.extra_resolve.append((REBIND_HOST, "10.0.0.1"))
    for school in SCHOOLS:
        home = page(f"{school.name}信息公开网", _column_link(school))
        world.static[(school.host, "/")] = (HTML, home.encode())
        robots = b"User-agent: *\nDisallow: /api/private/\n"  # the xhr list's script asks
        world.static[(school.host, "/robots.txt")] = ("text/plain", robots)
        items = []
        for year in sorted(YEARS[school.kind], reverse=True):
            title = title_of(school.name, year)
            article_path = _article_path(school, year)
            file_path = f"/docs/{year}.pdf"
            pdf = report_pdf(school.name, year)
            attachment = f'<p>附件：<a href="{file_path}">{html.escape(title)}.pdf</a></p>'
            body = page(
                title, f"<h1>{html.escape(title)}</h1>{attachment}<p>发布日期：{year}-10-30</p>"
            )
            world.static[(school.host, article_path)] = (HTML, body.encode())
            world.static[(school.host, file_path)] = (PDF, pdf)
            items.append((title, article_path, f"{year}-10-30"))
            if school.kind != "wall":
                world.reports.append(
                    Report(
                        school.code,
                        school.host,
                        year,
                        title,
                        article_path,
                        file_path,
                        hashlib.sha256(pdf).hexdigest(),
                    )
                )
        world.lists[school.host] = items
    return world


def _column_link(school: School) -> str:
    target = {"cph": "/ndbg/index.html", "asp": "/ndbg/List.aspx"}.get(
        school.kind, "/ndbg/list.htm"
    )
    return f'<a href="{target}">信息公开年度报告</a>'


def _article_path(school: School, year: int) -> str:
    return f"/ndbg/Show.aspx?id={year}" if school.kind == "asp" else f"/info/{year}.htm"


def pages_of(items: list, per_page: int = PER_PAGE) -> list[list]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
