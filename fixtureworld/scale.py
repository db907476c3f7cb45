"""A load-test world: N portals cloned from the 10 schools of `build_world()`.

    world = build_scaled_world(1000)
    with serve_world(world) as srv:
        srv.write_registry(path, families=True)

Clone i (1-based) copies seed school (i - 1) % 10 onto its own registrable domain
(`xxgk.gdou.edu.cn` -> `xxgk.gdou0001.edu.cn`), so the crawler's domain check accepts its
reports. Every text body that names the seed domain is rewritten to the clone's (absolute
links, e-mail addresses); links to the spam mirror (`xxgk.gdou.edu.cn.jxmirror.cn`) are left
pointing at the one mirror, which is served once for all clones. Codes (`9000000001`, ...)
and names (`广东海洋大学（镜像0001）`) are synthetic.

Cheap to build: bodies that do not name the seed domain are shared, not copied. PDFs get a
`%` comment line after `%%EOF` naming the clone, so each clone's files have their own bytes
(and their own raw-store entries and sha256) while parsing to the same text; Word files are
shared byte for byte (the raw store keeps them once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from fixtureworld.model import ExpectedReport, Resource, SchoolSite, World, query_key, sha256


@dataclass
class ScaledWorld(World):
    """A World whose slow path (query parameters in another order, misses) looks only at the
    requested host's resources, not at all of them: `World.find` scans every resource, which
    is fine for 360 but not for 360,000."""

    _index: dict[str, list[tuple[str, tuple]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def find(self, host: str, target: str) -> tuple[tuple[str, str], Resource] | None:
        found = self.resources.get((host, target))
        if found is not None:
            return (host, target), found
        if self._indexed != len(self.resources):
            index: dict[str, list[tuple[str, tuple]]] = {}
            for h, path in self.resources:
                index.setdefault(h, []).append((path, query_key(path)))
            self._index, self._indexed = index, len(self.resources)
        wanted = query_key(target)
        for path, key in self._index.get(host, ()):
            resource = self.resources.get((host, path))
            if resource is None:
                continue
            if key == wanted or (resource.any_query and key[0] == wanted[0]):
                return (host, path), resource
        return None


def registrable(host: str) -> str:
    """`xxgk.gdou.edu.cn` -> `gdou.edu.cn` (every seed school is under edu.cn)."""
    if not host.endswith(".edu.cn"):
        raise ValueError(f"seed host {host!r} is not under edu.cn")
    return ".".join(host.split(".")[-3:])


def clone_host(host: str, number: str) -> str:
    """`xxgk.gdou.edu.cn`, `0001` -> `xxgk.gdou0001.edu.cn`: a registrable domain of its own."""
    domain = registrable(host)
    prefix = host[: -len(domain)]
    label = domain.split(".")[0]
    return f"{prefix}{label}{number}.edu.cn"


def _domain_pattern(domain: str) -> re.Pattern[bytes]:
    # The domain as a whole host suffix: after `.`, `/`, `@` or a quote, and not followed by
    # more host (the spam mirror `xxgk.gdou.edu.cn.jxmirror.cn` is left alone).
    return re.compile(
        rb"(?<=[./@\"'])" + re.escape(domain.encode()) + rb"(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
    )


def _pdf_trailer(data: bytes, number: str) -> bytes:
    """A comment line after `%%EOF`: distinct bytes per clone, same parsed text."""
    if not data.startswith(b"%PDF-"):
        return data
    return data + f"\n% fixtureworld load-test clone {number}\n".encode()


def build_scaled_world(n_portals: int = 1000, seed_world: World | None = None) -> ScaledWorld:
    """N portals cloned round-robin from the seed world's schools (default `build_world()`).

    The seed's mirror hosts are served once, unchanged; ground truth (`expected_reports`,
    `disallowed_paths`) is rewritten for every clone, with the clones' file sha256.
    """
    if seed_world is None:
        from fixtureworld.world import build_world

        seed_world = build_world()
    if n_portals < 1:
        raise ValueError("n_portals must be at least 1")
    seeds = list(seed_world.schools)
    width = max(4, len(str(n_portals)))
    school_hosts = {s.host for s in seeds}
    by_host: dict[str, list[tuple[str, Resource]]] = {}
    for (host, path), resource in seed_world.resources.items():
        by_host.setdefault(host, []).append((path, resource))

    world = ScaledWorld()
    # Mirrors (and any other non-school host) once, as they are.
    for (host, path), resource in seed_world.resources.items():
        if host not in school_hosts:
            world.resources[(host, path)] = resource
    world.files.update({k: v for k, v in seed_world.files.items() if k[0] not in school_hosts})
    world.mirrors = list(seed_world.mirrors)
    world.disallowed = [d for d in seed_world.disallowed if d[0] not in school_hosts]
    world.lookalikes = list(dict.fromkeys(seed_world.lookalikes))  # same titles in every clone
    reports_of: dict[str, list[ExpectedReport]] = {}
    for report in seed_world.reports:
        reports_of.setdefault(report.school_code, []).append(report)

    for i in range(n_portals):
        seed = seeds[i % len(seeds)]
        number = f"{i + 1:0{width}d}"
        host = clone_host(seed.host, number)
        domain = registrable(seed.host)
        pattern = _domain_pattern(domain)
        new_domain = registrable(host).encode()
        code = f"9{i + 1:09d}"
        _clone_resources(
            world, seed_world, by_host[seed.host], seed.host, host, number, pattern, new_domain
        )
        world.disallowed += [(host, path) for h, path in seed_world.disallowed if h == seed.host]
        world.schools.append(
            SchoolSite(code, f"{seed.name}（镜像{number}）", host, seed.portal_path, seed.family)
        )
        for report in reports_of.get(seed.code, ()):
            data = world.files.get((host, report.file_path)) if report.file_path else None
            world.reports.append(
                replace(
                    report,
                    school_code=code,
                    school_name=f"{seed.name}（镜像{number}）",
                    host=host,
                    sha256=sha256(data) if data is not None and report.sha256 else report.sha256,
                )
            )
    return world


def _clone_resources(
    world: World,
    seed_world: World,
    resources: list[tuple[str, Resource]],
    seed_host: str,
    host: str,
    number: str,
    pattern: re.Pattern[bytes],
    new_domain: bytes,
) -> None:
    old_domain = registrable(seed_host).encode()
    pdfs: dict[int, bytes] = {}  # the same seed bytes get the same clone bytes
    for path, resource in resources:
        if resource.content_type.startswith("text/") and old_domain in resource.body:
            body = pattern.sub(new_domain, resource.body)
            flaky = resource.flaky
            if flaky is not None and old_domain in flaky.body:
                flaky = replace(flaky, body=pattern.sub(new_domain, flaky.body))
            resource = replace(resource, body=body, flaky=flaky)
        elif resource.body.startswith(b"%PDF-"):
            key = id(resource.body)
            if key not in pdfs:
                pdfs[key] = _pdf_trailer(resource.body, number)
            resource = replace(resource, body=pdfs[key])
        world.resources[(host, path)] = resource
        if (seed_host, path) in seed_world.files:
            world.files[(host, path)] = resource.body
