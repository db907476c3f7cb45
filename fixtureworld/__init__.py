"""Fixture portals: a deterministic world of university disclosure sites served on 127.0.0.1.

    world = build_world()
    with serve_world(world) as srv:
        srv.resolve_args(), srv.registry_rows(), srv.requests
    world.expected_reports()  # ground truth

Used by the crawler's tests and by the README's offline demo (`python -m fixtureworld`).
"""

from fixtureworld.model import ExpectedReport, SchoolSite, World
from fixtureworld.server import RequestLog, WorldServer, serve_world
from fixtureworld.world import MIRROR_HOST, build_world

__all__ = [
    "MIRROR_HOST",
    "ExpectedReport",
    "RequestLog",
    "SchoolSite",
    "World",
    "WorldServer",
    "build_world",
    "serve_world",
]
