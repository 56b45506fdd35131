"""The site engine's process: mkdocs, strict, converting on two cores, with the page cache
when one is given.

`python -m generator.site_engine MKDOCS_YML DOCS SITE [--generated BUNDLE] [PAGE_CACHE_DIR]`,
run by `generator.publish` in a child process (so that a crash or an interrupt of the engine
leaves the generator's own process and the published site as they were). BUNDLE holds the
generated pages and files (`generator.publish.write_bundle`), added to DOCS in memory.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import sys
from pathlib import Path


def _stop(signum: int, frame: object) -> None:
    """Asked to stop (the generator was interrupted): kill and reap the forked copies before
    ending, so that none writes into the staging folder the generator then removes."""
    from generator.forked import stop_copies

    stop_copies()
    os._exit(128 + signum)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file, docs, site, *rest = argv
    generated, elsewhere = None, []
    if rest[:1] == ["--generated"]:
        with open(rest[1], "rb") as bundle:  # written by the generator in its staging folder
            pages, files, elsewhere = pickle.load(bundle)
        generated = {**pages, **files}
        rest = rest[2:]
    config = load_config(config_file, docs_dir=docs, site_dir=site, strict=True)
    from generator.page_cache import install

    # the docs folder is publish's staging folder, removed after the build
    plugin = install(
        config,
        Path(rest[0]) if rest else None,
        link_static=True,
        generated=generated,
        elsewhere=elsewhere,
    )
    build(config)
    counts = {"pages converted": plugin.misses, "pages reused": plugin.hits}
    print(json.dumps({**counts, "not published": plugin.not_published}))
    return 0


def end(code: int) -> None:
    """Leave without the interpreter's teardown, once the output is flushed. **Why:** freeing
    the objects of a 10,000-project build one by one took 2.8 s, after the site was written."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    end(main(sys.argv[1:]))
