"""Which chromium the browser path starts, and how: the system's own build (no browser
download), flags that keep it off the network and small, and a death signal so that it ends
with the crawl.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",  # as root chromium refuses to start sandboxed
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these chromium phones home (updates, safe browsing, sync) on its own.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Memory: the renderer, GPU stand-in and network service inside the browser process (one
    # process: the shared libraries are mapped once), no zygotes (needs --no-sandbox), no
    # extensions. A crash takes the browser along; scrapy-playwright starts a new one.
    "--renderer-process-limit=1",
    "--single-process",
    "--no-zygote",
    "--in-process-gpu",
    "--enable-features=NetworkServiceInProcess2",
    "--disable-site-isolation-trials",
    "--disable-features=site-per-process,IsolateOrigins,Translate,MediaRouter,OptimizationHints",
    "--disable-extensions",
    # Belt and braces: a request that ever escaped interception finds no name and no proxy.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]
DEBIAN_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"


def find_chromium(configured: str = "") -> str | None:
    """The browser executable: XXGK_BROWSER_EXECUTABLE, else Debian's chromium-headless-shell
    (the same chromium without its UI: half the memory), else chromium, on PATH."""
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    # Debian's /usr/bin/chromium-headless-shell is a shell script that forks the binary rather
    # than exec'ing it: the binary itself, so that the death signal reaches chromium.
    if os.access(DEBIAN_HEADLESS_SHELL, os.X_OK):
        return DEBIAN_HEADLESS_SHELL
    for name in ("chromium-headless-shell", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def dying_with_parent(executable: str) -> str:
    """A launcher that makes chromium get SIGKILL when its parent (Playwright's driver) dies."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return executable
    script = f'#!/bin/sh\nexec {setpriv} --pdeathsig KILL -- {executable} "$@"\n'
    path = Path(tempfile.gettempdir()) / f"xxgk-chromium-{os.getuid()}.sh"
    if not path.exists() or path.read_text() != script:
        partial = path.with_suffix(f".{os.getpid()}")
        partial.write_text(script)
        partial.chmod(0o755)
        partial.replace(path)
    return str(path)
