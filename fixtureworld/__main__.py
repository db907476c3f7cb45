"""`python -m fixtureworld`: serve the fixture portals for an offline crawl demo."""

from __future__ import annotations

import argparse
import time

from fixtureworld import build_world, serve_world


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m fixtureworld",
        description="Serve the fixture disclosure portals on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port to bind (0: any free port)")
    parser.add_argument(
        "--registry",
        default="fixture-registry.csv",
        help="where to write the registry CSV for the crawler",
    )
    args = parser.parse_args(argv)
    world = build_world()
    with serve_world(world, port=args.port) as srv:
        path = srv.write_registry(args.registry)
        resolves = " ".join(f"--resolve {r}" for r in srv.resolve_args())
        print(
            f"Serving {len(world.hosts)} hosts on 127.0.0.1:{srv.port} "
            f"({len(world.expected_reports())} reports to find)."
        )
        print(f"Registry written to {path}")
        print("Mirror hosts (must never be archived): " + ", ".join(world.mirror_hosts()))
        print("\nCrawl it with:\n")
        print(f"  xxgk crawl --registry {path} {resolves} --allow-private-addresses\n")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nStopped.")


if __name__ == "__main__":
    main()
