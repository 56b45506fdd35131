"""One pass over the git log: per-file history, the date of the data, the registry's changelog.

**Why** one pass: the per-page git plugins cost about 13 ms a page each; a registry of 10,000
projects reads its history once. Dates come from git, never from the clock, so the same commit
builds the same bytes.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SEP = "\x1f"
START = "\x1e"


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime
    author: str
    subject: str
    files: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass
class History:
    """Commits touching `data/`, newest first, and each file's commits."""

    head: Commit | None = None
    commits: list[Commit] = field(default_factory=list)
    by_file: dict[str, list[Commit]] = field(default_factory=dict)

    @property
    def data_date(self) -> datetime | None:
        """The date of the data: the commit date of the revision being built."""
        return self.head.date if self.head else None

    def of(self, path: str) -> list[Commit]:
        return self.by_file.get(path, [])


def git_output(root: Path, *args: str) -> str | None:
    """The output of a git command in `root`, or None when git or the revision is missing."""
    return start_git(root, list(args)).outputs()[0]


@dataclass
class Started:
    """Git commands running (side by side) while the caller does something else."""

    children: list[subprocess.Popen[str] | None]

    def outputs(self) -> list[str | None]:
        """Wait for each command: its output, or None when it failed or could not start."""
        outputs: list[str | None] = []
        for child in self.children:
            if child is None:
                outputs.append(None)
                continue
            out, _ = child.communicate()
            outputs.append(out if child.returncode == 0 else None)
        return outputs


def start_git(root: Path, *commands: list[str]) -> Started:
    """Start git commands in `root`, side by side, without waiting for them.

    **Why** side by side: each walks the working tree; at 60,000 files that is a tenth of a
    second or more each, spent mostly waiting on the file system.
    """
    children: list[subprocess.Popen[str] | None] = []
    for args in commands:
        try:
            child = subprocess.Popen(
                ["git", "-C", str(root), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        except OSError:
            child = None
        children.append(child)
    return Started(children)


def start_changes(root: Path, rev: str) -> Started:
    """Start listing what differs under data/ between `rev` and the working tree: the changed
    files (`git diff --name-status`) and the untracked ones, read by
    `generator.changes.changed_paths`.

    **Why** started apart: `jcm validate --changed-since` starts them before it imports the
    checks, so that git walks the working tree on one core while Python imports on the other.
    `--end-of-options`: a revision typed as `--output=FILE` is a revision (none), not an option.
    """
    return start_git(
        root,
        ["diff", "--name-status", "--no-renames", "--end-of-options", rev, "--", "data"],
        ["ls-files", "--others", "--", "data"],
    )


def read_history(root: Path) -> History:
    """The history of `<root>/data` in the git repository that holds it (empty if none)."""
    top = git_output(root, "rev-parse", "--show-toplevel")
    if top is None:
        return History()
    top_path = Path(top.strip())
    try:
        prefix = root.resolve().relative_to(top_path.resolve()).as_posix()
    except ValueError:
        return History()
    prefix = "" if prefix == "." else prefix + "/"
    head_out = git_output(root, "log", "-1", f"--format=%H{SEP}%cI{SEP}%an{SEP}%s")
    history = History()
    if head_out and head_out.strip():
        sha, date, author, subject = head_out.strip().split(SEP, 3)
        history.head = Commit(sha, _date(date), author, subject)
    log = git_output(
        root,
        "log",
        "--no-renames",
        f"--format={START}%H{SEP}%cI{SEP}%an{SEP}%s",
        "--name-only",
        "--",
        f"{prefix}data",
    )
    if not log:
        return history
    for chunk in log.split(START)[1:]:
        header, _, names = chunk.partition("\n")
        sha, date, author, subject = header.split(SEP, 3)
        files = tuple(
            name[len(prefix) :]
            for name in names.splitlines()
            if name.strip() and name.startswith(prefix)
        )
        commit = Commit(sha, _date(date), author, subject, files)
        history.commits.append(commit)
        for path in files:
            history.by_file.setdefault(path, []).append(commit)
    return history


def _date(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
