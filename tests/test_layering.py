"""The layering rule, read from every module's imports (function-level imports included):
`parsers/` is pure (no Scrapy, no SQLite), `archive/` never needs Scrapy, spiders only yield
(no `archive`), and no shipped module imports the tests. The parsers/ and archive/ rules follow
first-party imports: reaching Scrapy or SQLite through another module breaks them too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "parsers", "archive", "xxgk", "fixtureworld", "bench")
CRAWLERS = ("scrapy", "twisted")
DATABASES = ("sqlite3", "sqlite_utils", "datasette")


def _modules(under: str) -> list[Path]:
    return sorted((ROOT / under).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    """Dotted names of every module `path` imports (`from a import b` counts a and a.b, b may
    be a submodule); relative imports resolved."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name}


def _source(name: str) -> Path | None:
    """The repository file of a first-party module name, or None (third party, attribute)."""
    path = ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    """Top-level names `path` reaches: its own imports and, transitively, those of every
    first-party module it imports (so parsers -> a spec module -> scrapy is caught)."""
    seen, todo, reached = {path}, [path], set()
    while todo:
        for name in _imported(todo.pop()):
            reached.add(name.split(".")[0])
            source = _source(name)
            if source is not None and source not in seen:
                seen.add(source)
                todo.append(source)
    return reached


def _offenders(under: str, forbidden: tuple[str, ...], transitive: bool = True) -> list[str]:
    reach = _imports if transitive else _direct
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(under)
        for name in sorted(reach(path))
        if name in forbidden
    ]


def _direct(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imported(path)}


def test_the_walk_sees_the_modules_and_their_imports():
    # Guards the guard: a walk that finds nothing would pass every rule below.
    assert len(_modules("parsers")) >= 10 and len(_modules("crawler/spiders")) >= 2
    assert {"scrapy", "crawler"} <= _imports(ROOT / "crawler" / "middlewares.py")
    assert "sqlite_utils" in _imports(ROOT / "archive" / "store.py")
    assert "parsers" in _imports(ROOT / "parsers" / "__init__.py")  # `from parsers.x import`
    assert "scrapy" in _imports(ROOT / "crawler" / "run.py")  # through crawler.settings &c.
    assert _source("crawler.middlewares") == ROOT / "crawler" / "middlewares.py"
    assert _source("parsers") == ROOT / "parsers" / "__init__.py"
    assert _source("scrapy.http") is None


def test_parsers_import_neither_scrapy_nor_sqlite():
    assert _offenders("parsers", CRAWLERS + DATABASES) == []


def test_archive_never_imports_scrapy():
    assert _offenders("archive", CRAWLERS) == []


def test_spiders_never_import_archive():
    # Direct imports: spiders may use crawler modules that write through the archive.
    assert _offenders("crawler/spiders", ("archive",), transitive=False) == []


def test_no_shipped_module_imports_the_tests():
    offenders = [
        line for package in PACKAGES for line in _offenders(package, ("tests",), transitive=False)
    ]
    assert offenders == []
