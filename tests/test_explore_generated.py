"""Every knob of the world generator, decided by the pure discovery functions on the generated
pages themselves (no server): pagination shapes, column placements, list markups, split
articles, trap pages — each variant pinned by `choose(seed, **knobs)`."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.article import continuation_pages, page_problem, parse_pages
from crawler.explore import Exploration, candidates
from crawler.listing import read_listing
from crawler.paging import next_pages
from crawler.spiders.explorer import report_items
from fixtureworld.generator import KNOBS, choose, generate_world
from fixtureworld.genpages import UNDATED_MARKUP, YEARLESS_MARKUP
from parsers.metadata import label_and_year


def build(seed: int = 7, **pins):
    portal = choose(seed, **pins)
    return generate_world([], portals=[portal]), portal


def page(world, portal, path: str) -> tuple[str, str] | None:
    resource = world.resources.get((portal.host, path))
    if resource is None or resource.status != 200 or "html" not in resource.content_type:
        return None
    charset = resource.content_type.partition("charset=")[2] or "utf-8"
    return f"http://{portal.host}{path}", resource.body.decode(charset)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("paging", KNOBS["paging"])
@pytest.mark.parametrize("pager", KNOBS["pager"])
def test_every_list_page_is_reached_and_nothing_else(paging, pager):
    for word in KNOBS["next_word"][:: 3 if pager == "numbers" else 1]:
        world, portal = build(
            11, paging=paging, pager=pager, next_word=word, per_page=2, hazards={"lookalikes"}
        )
        pages = world.columns[portal.code]
        assert len(pages) >= 3
        queue, walked = [pages[0]], []
        while queue:
            path = queue.pop(0)
            walked.append(path)
            url, html = page(world, portal, path)
            for found in next_pages(url, html):
                assert path_of(found) in pages, (paging, pager, word, found)  # no junk
                if path_of(found) not in walked and path_of(found) not in queue:
                    queue.append(path_of(found))
        assert sorted(walked) == sorted(pages), (paging, pager, word)


@pytest.mark.parametrize("placement", KNOBS["placement"])
@pytest.mark.parametrize("family", KNOBS["family"])
def test_the_column_is_found_from_the_home_page_within_budget(placement, family):
    world, portal = build(5, placement=placement, family=family, hazards=set())
    column = world.columns[portal.code][0]
    explore = Exploration()
    queue, fetched = [("/", 0)], []
    explore.start(f"http://{portal.host}/")
    while queue:
        path, depth = queue.pop(0)
        got = page(world, portal, path)
        assert got is not None, path  # every link followed exists
        fetched.append(path)
        url, html = got
        chosen = explore.next_fetches(depth, candidates(url, html), lambda u: portal.host in u)
        queue += [(path_of(c.url), d) for c, d in chosen]
    assert column in fetched, (placement, family, fetched)
    assert len(fetched) <= 8, fetched  # exploration stays cheap


@pytest.mark.parametrize("markup", KNOBS["list_markup"])
@pytest.mark.parametrize("encoding", KNOBS["encoding"])
def test_list_items_in_every_markup_with_full_titles_and_dates(markup, encoding):
    world, portal = build(3, list_markup=markup, encoding=encoding, hazards={"lookalikes"})
    for path in world.columns[portal.code]:
        url, html = page(world, portal, path)
        listing = read_listing(url, html)
        expected = [
            (f"http://{portal.host}{h}", t, None if markup in YEARLESS_MARKUP else d.isoformat())
            for h, t, d in world.listed[(portal.host, path)]
        ]
        got = [(i.url, i.title, i.date) for i in listing.dated]
        if markup in UNDATED_MARKUP:  # no item is dated; the listed ones are all there
            urls = {u for u, _t, _d in expected}
            got = [(i.url, i.title, i.date) for i in listing.items if i.url in urls]
            expected = [(u, t, None) for u, t, _d in expected]
            assert not listing.dated
        assert got == expected
        assert listing.is_list or len(expected) < 3 or markup in UNDATED_MARKUP
    first_url, first_html = page(world, portal, world.columns[portal.code][0])
    titles = {item.title for item in report_items(read_listing(first_url, first_html))}
    truth = {e.title for (code, _y), e in world.truth.items() if code == portal.code}
    assert titles and titles <= truth  # look-alikes are listed but are no reports


@pytest.mark.parametrize("family", KNOBS["family"])
def test_a_split_article_is_read_whole_in_order(family, tmp_path):
    world, portal = build(9, family=family, deliveries=("html_pages",), hazards=set())
    for (code, year), expected in world.truth.items():
        url, html = page(world, portal, expected.page_url_path)
        urls = [url]
        queue = continuation_pages(url, html)
        while queue:
            nxt = queue.pop(0)
            if nxt in urls:
                continue
            urls.append(nxt)
            queue += continuation_pages(*page(world, portal, path_of(nxt)))
        assert len(urls) == (3 if portal.seed % 2 else 2), urls
        files = []
        for n, u in enumerate(urls):
            files.append(tmp_path / f"{year}-{n}.htm")
            files[-1].write_bytes(world.resources[(portal.host, path_of(u))].body)
        parsed, error = parse_pages([str(f) for f in files], "text/html", url, None)
        assert error is None
        assert world.marks[(code, year)] in parsed.text  # the last page's last line
        assert parsed.year == year


@pytest.mark.parametrize("family", KNOBS["family"])
def test_trap_pages_are_named_and_real_articles_are_not(family):
    traps = {"intranet": "IntranetOnly", "login": "LoginRequired", "notfound200": "NotFoundPage"}
    world, portal = build(13, family=family, hazards={*traps, "english", "repost"})
    named = set()
    for path, title, _day in [row for rows in world.listed.values() for row in rows]:
        resource = world.resources[(portal.host, path)]
        asked = path
        if resource.status == 302:  # the login trap: follow it as the crawler would
            path = dict(resource.headers)["Location"]
            asked = path.split("?")[0]  # the login page answers any query
        got = page(world, portal, asked)
        if got is None:
            continue  # a report file linked straight from the list
        problem = page_problem(f"http://{portal.host}{path}", got[1])
        year = label_and_year(title)[1] if portal.name in title else None
        if (portal.code, year) in world.traps:
            assert problem is not None, (path, title)
            named.add(problem.split(":")[0])
        else:
            assert problem is None, (path, problem)  # no real article is refused
    assert named == set(traps.values())
