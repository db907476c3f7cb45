"""The family spec is the one place: everything that names families is derived from it, and the
README's hypothetical family, added as one entry, reaches every one of those places."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

from crawler import extract, registry
from crawler.run import SPIDER_NAMES, CrawlOptions, spiders_for
from crawler.spiders.portals import SPIDERS
from parsers import families, html
from tests.conftest import ROOT
from xxgk.cli_crawl import crawl


def test_every_place_is_derived_from_the_spec():
    assert list(families.FAMILIES) == ["vsb", "webplus"]
    assert registry.FAMILIES == ("vsb", "webplus", "")
    assert SPIDER_NAMES == ("vsb", "webplus", "generic")
    assert [s.name for s in SPIDERS] == ["vsb", "webplus", "generic"]
    spider_option = next(p for p in crawl.params if p.name == "spiders")
    assert list(spider_option.type.choices) == ["vsb", "webplus", "generic"]
    assert html.BODY_XPATHS == (
        *families.VSB.body_xpaths,
        *families.WEBPLUS.body_xpaths,
        *families.GENERIC.body_xpaths,
    )
    assert extract.DOC_URL_HINTS == (
        "download.jsp",
        "downloadattachurl",
        "/_upload/",
        "downloadfile",
        "/docs/",
    )


def test_spiders_for_runs_the_families_with_registry_rows(tmp_path):
    csv = tmp_path / "registry.csv"
    csv.write_text(
        "code,name,portal_url,family\n1,A,http://a.edu.cn/,webplus\n2,B,http://b.edu.cn/,\n",
        encoding="utf-8",
    )
    assert spiders_for(CrawlOptions(registry=str(csv))) == ["webplus", "generic"]


def _readme_family() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Adding a CMS family") :]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readmes_hypothetical_family_is_one_entry_away(tmp_path):
    entry = _readme_family()
    source = (ROOT / "parsers" / "families.py").read_text(encoding="utf-8")
    declared = "FAMILIES: dict[str, Family] = {family.name: family for family in (VSB, WEBPLUS)}\n"
    assert declared in source
    patched = tmp_path / "families.py"
    patched.write_text(source.replace(declared, entry), encoding="utf-8")
    csv = tmp_path / "registry.csv"
    csv.write_text("code,name,portal_url,family\n1,A,http://a.edu.cn/,trs\n", encoding="utf-8")
    check = textwrap.dedent(
        f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("parsers.families", {str(patched)!r})
        module = importlib.util.module_from_spec(spec)
        sys.modules["parsers.families"] = module
        spec.loader.exec_module(module)
        import parsers
        parsers.families = module
        from scrapy.spiderloader import SpiderLoader
        from scrapy.utils.project import get_project_settings
        from crawler.registry import load_registry
        from crawler.run import CrawlOptions, spiders_for
        from crawler.spiders.portals import TrsSpider
        from parsers.html import BODY_XPATHS
        from xxgk.cli_crawl import crawl
        choices = next(p for p in crawl.params if p.name == "spiders").type.choices
        print(sorted(SpiderLoader(get_project_settings()).list()))
        print(list(choices))
        print([s.family for s in load_registry({str(csv)!r})])
        print(spiders_for(CrawlOptions(registry={str(csv)!r})))
        trs_body = "//div[contains(@class, 'TRS_Editor')]"
        print(TrsSpider.name, TrsSpider.family, trs_body in BODY_XPATHS)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "crawler.settings"},
    ).stdout.splitlines()
    assert out == [
        "['discover', 'generic', 'trs', 'vsb', 'webplus']",
        "['vsb', 'webplus', 'trs', 'generic']",
        "['trs']",
        "['trs']",
        "trs trs True",
    ]
