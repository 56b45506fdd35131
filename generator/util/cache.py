"""A persistent cache of what the generator derived from files, keyed by content digest.

Entries are looked up by a digest of the bytes they were derived from (and of the code that
derived them), so a hit is the value a fresh computation would give: the cache can only make a
run faster, never change a result, and deleting it is always safe.

**Where:** in the user's cache folder (`~/.cache/jcm-registry/<repository>-<digest>` on Linux),
one per repository, never in the checkout. **Why:** what a checkout holds arrives by pull
request; a cache committed into it (`git add -f .jcm-cache`) could put forged values under the
keys a build looks up. A `.jcm-cache` in the checkout (an older generator's place for it) is
never read, and a tracked or linked one is named in a warning.

**Why** SQLite: one file, atomic writes, safe when two runs share it (CI jobs, test workers).
**Why** a restricted unpickler: the cache directory may travel between machines (a CI cache), so
reading it must never construct anything but plain values and the generator's own findings.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

IN_CHECKOUT = ".jcm-cache"
"""Where an older generator kept its cache, in the checkout: never read."""
_CHUNK = 500
_LIBRARIES = (
    "pydantic",
    "pydantic-core",
    "PyYAML",
    "openpyxl",
    "pint",
    "lark",
    "mkdocs",
    "Markdown",
    "pymdown-extensions",
    "Jinja2",
    "MarkupSafe",
    "nh3",
)


@cache
def code_version() -> str:
    """A digest of the generator's own files and of the libraries that read records.

    **Why:** a cached value is only the value a fresh run would compute if the code computing
    it is the same; any change to the generator starts a new cache.
    """
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".lark", ".j2", ".json"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover
            digest.update(f"{name} missing\n".encode())
    return digest.hexdigest()


def key_of(*parts: str | bytes) -> str:
    """A cache key from the parts a value depends on (separated, so parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


_ALLOWED = {
    ("decimal", "Decimal"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("generator.findings", "Finding"),
    ("generator.findings", "Severity"),
    ("generator.load.yaml_source", "ParsedYaml"),
    ("generator.load.summary", "Summary"),
    ("generator.load.summary", "Block"),
    ("generator.load.summary", "Claim"),
}


def pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def _loads(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


# **Why** a rowid table (not WITHOUT ROWID) in 16 KiB pages: values are kilobytes (a page's
# conversion, a parsed record), and a WITHOUT ROWID table keeps each in its key's B-tree,
# rebalanced as it grows. Measured with 28,000 values of 8 KB: written in 2.2 s against 6.4 s;
# 63,000 values of 600 bytes read back in 0.43 s against 0.60 s.
_PAGE_SIZE = 16384


def _open(path: Path, patience: float = 30.0) -> sqlite3.Connection:
    """Open (creating if need be) the cache database in WAL mode.

    **Why the retries:** two processes opening it at once (two test workers, a build and a
    validation) can make SQLite refuse the journal-mode switch at once with "database is
    locked", without waiting out the busy timeout."""
    deadline = time.monotonic() + patience
    while True:
        db = sqlite3.connect(path, timeout=patience, isolation_level=None)
        try:
            db.execute(f"PRAGMA page_size={_PAGE_SIZE}")  # only a new, empty database takes it
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS entries "
                "(ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, "
                "PRIMARY KEY (ns, key))"
            )
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Cache:
    """Values by namespace and key, in `<directory>/<code version>.sqlite3`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{code_version()[:20]}.sqlite3"
            self._prune(keep=name)
            db = _open(self.directory / name)
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
            return None
        self._db = db
        return db

    def _prune(self, keep: str) -> None:
        """Remove the caches of other code versions: they can never be hit again."""
        for old in self.directory.glob("*.sqlite3*"):
            if not old.name.startswith(keep):
                old.unlink(missing_ok=True)

    def _give_up(self, exc: Exception) -> None:
        if not self._broken:
            print(
                f"jcm: the cache in {self.directory} cannot be used ({exc}); "
                "continuing without it (results are the same, only slower)",
                file=sys.stderr,
            )
        self._broken = True
        self._db = None

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, Any]:
        """The cached values of those keys that have one (a damaged entry counts as absent)."""
        db = self._connect()
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        if db is None:
            self.misses += len(wanted)
            return found
        try:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, value FROM entries WHERE ns = ? AND key IN ({marks})",
                    (namespace, *chunk),
                )
                for key, blob in rows:
                    try:
                        found[key] = _loads(blob)
                    except Exception:
                        continue
        except sqlite3.Error as exc:
            self._give_up(exc)
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def get(self, namespace: str, key: str) -> Any | None:
        return self.get_many(namespace, [key]).get(key)

    def keys(self, namespace: str) -> set[str]:
        """The keys a namespace holds (some values may yet prove damaged: `get_many`)."""
        db = self._connect()
        if db is None:
            return set()
        try:
            return {
                key for (key,) in db.execute("SELECT key FROM entries WHERE ns = ?", (namespace,))
            }
        except sqlite3.Error as exc:
            self._give_up(exc)
            return set()

    def put_many(self, namespace: str, values: Mapping[str, Any]) -> None:
        self.put_pickled(namespace, {key: pickled(value) for key, value in values.items()})

    def put_pickled(self, namespace: str, values: Mapping[str, bytes]) -> None:
        """Store values already pickled (`pickled`): a caller can then drop the objects."""
        if not values:
            return
        db = self._connect()
        if db is None:
            return
        rows = [(namespace, key, blob) for key, blob in values.items()]
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self._give_up(exc)

    @property
    def enabled(self) -> bool:
        return not self._broken

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class NoCache(Cache):
    """The cache turned off: every lookup misses and nothing is written."""

    def __init__(self) -> None:
        super().__init__(Path("."))
        self._broken = True

    def _give_up(self, exc: Exception) -> None:  # pragma: no cover - never connects
        pass


class CacheRefused(ValueError):
    """A cache folder inside the checkout was asked for."""


def user_cache_root() -> Path:
    """The user's cache folder for the generator (`JCM_CACHE_HOME`, else the platform's)."""
    if os.environ.get("JCM_CACHE_HOME"):
        return Path(os.environ["JCM_CACHE_HOME"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "jcm-registry"


def default_directory(root: Path) -> Path:
    """The cache folder of the repository at `root`: named after it and a digest of its path,
    so that two checkouts never share entries they did not both make."""
    resolved = Path(root).resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    return user_cache_root() / f"{resolved.name or 'root'}-{digest}"


def checkout_warning(root: Path) -> str | None:
    """What to tell the user about a `.jcm-cache` in the checkout, if there is one: it is never
    read; a tracked or linked one is named as a risk."""
    path = Path(root) / IN_CHECKOUT
    if not path.is_symlink() and not path.exists():
        return None
    if path.is_symlink():
        why = "it is a symbolic link"
    elif _tracked(root, IN_CHECKOUT):
        why = "it is committed to the repository"
    else:
        return (
            f"jcm: {path} is an older generator's cache and is no longer used "
            f"(the cache is in {default_directory(root)}); delete it"
        )
    return (
        f"jcm: {path} is not used: {why}, and a cache that arrives with the repository could "
        f"hold forged values. The cache is kept in {default_directory(root)}. Remove it: "
        f"git rm -r --cached {IN_CHECKOUT} (or rm {IN_CHECKOUT} for a link) and commit"
    )


def _tracked(root: Path, path: str) -> bool:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--", path],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0 and bool(done.stdout.strip())


def open_cache(root: Path, directory: Path | None = None, enabled: bool = True) -> Cache:
    """The cache for a registry root (in the user's cache folder unless told otherwise; a
    folder inside the checkout is refused)."""
    chosen = Path(directory) if directory else default_directory(root)
    inside = Path(root).resolve()
    target = chosen.resolve()
    if target == inside or inside in target.parents:
        raise CacheRefused(
            f"jcm: the cache folder {chosen} is inside the repository {inside}; the cache is "
            "never kept in the checkout (what is there arrives by pull request). Leave "
            "--cache-dir out, or name a folder outside the repository"
        )
    return Cache(chosen) if enabled else NoCache()
