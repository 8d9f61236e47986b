"""QFVS, query-focused video summarization (Sharghi et al., CVPR 2017), on the 4 UT Egocentric videos.

Layout read (``root`` is the dataset folder, e.g. ``data/qfvs``; the ``origin_data`` folder may sit at
``root/data/origin_data``, ``root/origin_data`` or be ``root`` itself)::

    Tags.mat                                   Tags(1, 4).Bin_Vecs: per video, n_shots cells of (1, 48) 0/1
    origin_data/Dense_per_shot_tags/Dictionary.txt       48 concept names, sorted, one per line ('Baby')
    origin_data/Dense_per_shot_tags/Pxx/Pxx.txt          line i: comma-separated concepts of shot i
    origin_data/Query-Focused_Summaries/Oracle_Summaries/Pxx/C1_C2_oracle.txt
    origin_data/Query-Focused_Summaries/User_Summaries/Pxx/C1_C2_user{1,2,3}.txt
    origin_data/Global_Summaries/Pxx/{oracle,user1,user2,user3}.txt

Shots are 5-second uniform segments. Summary files list **1-based** shot numbers, one per line;
this reader converts them to **0-based** indices into the rows of ``QFVSVideo.tags``.
Tags come from Tags.mat when present (the file the original evaluation uses), else from the dense
per-shot text files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidgist.errors import DataError

SHOT_SECONDS = 5.0
_QUERY_FILE = re.compile(r"^([A-Za-z]+)_([A-Za-z]+)_(oracle|user(\d+))\.txt$")
_GLOBAL_FILE = re.compile(r"^(oracle|user(\d+))\.txt$")


@dataclass(frozen=True)
class QFVSQuery:
    """A two-concept query and its reference summaries (0-based shot indices)."""

    concepts: tuple[str, str]
    oracle: frozenset[int]
    users: tuple[frozenset[int], ...]  # user1, user2, user3 ...


@dataclass(frozen=True, eq=False)
class QFVSVideo:
    name: str  # "P01" ... "P04"
    tags: np.ndarray  # (n_shots, n_concepts) uint8 0/1
    queries: dict[tuple[str, str], QFVSQuery]
    global_oracle: frozenset[int] | None = None
    global_users: tuple[frozenset[int], ...] = ()

    @property
    def n_shots(self) -> int:
        return int(self.tags.shape[0])


@dataclass(frozen=True, eq=False)
class QFVSData:
    concepts: tuple[str, ...]  # the 48 concept names, in tag-column order
    videos: dict[str, QFVSVideo]


def find_origin_data(root: str | os.PathLike[str]) -> Path:
    """The folder holding Dense_per_shot_tags / Query-Focused_Summaries under ``root``."""
    r = Path(root)
    for cand in (r / "data" / "origin_data", r / "origin_data", r):
        if (cand / "Dense_per_shot_tags").is_dir() and (cand / "Query-Focused_Summaries").is_dir():
            return cand
    raise DataError(
        f"{r}: no QFVS layout found (expected Dense_per_shot_tags/ and Query-Focused_Summaries/ under "
        "data/origin_data, origin_data or the folder itself)"
    )


def read_dictionary(path: Path) -> tuple[str, ...]:
    """Concept names, quotes stripped, in file order."""
    if not path.is_file():
        raise DataError(f"{path}: QFVS concept dictionary not found")
    names = [ln.strip().strip("'\"") for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not names or len(set(names)) != len(names):
        raise DataError(f"{path}: the concept dictionary is empty or lists a concept twice")
    return tuple(names)


def read_dense_tags(path: Path, concepts: tuple[str, ...]) -> np.ndarray:
    """(n_shots, n_concepts) 0/1 from a ``Pxx.txt`` of comma-separated concepts per shot line."""
    col = {c.lower(): i for i, c in enumerate(concepts)}
    if not path.is_file():
        raise DataError(f"{path}: QFVS per-shot tag file not found")
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    out = np.zeros((len(lines), len(concepts)), dtype=np.uint8)
    for i, ln in enumerate(lines):
        for tag in (t.strip() for t in ln.split(",")):
            if not tag:
                continue
            j = col.get(tag.lower())
            if j is None:
                raise DataError(f"{path}: line {i + 1}: concept '{tag}' is not in Dictionary.txt")
            out[i, j] = 1
    return out


def read_tags_mat(path: Path) -> list[np.ndarray]:
    """Per-video (n_shots, n_concepts) uint8 tag matrices from Tags.mat (struct array with Bin_Vecs)."""
    import scipy.io

    try:
        mat = scipy.io.loadmat(str(path))
    except (OSError, ValueError, NotImplementedError) as exc:
        raise DataError(f"{path}: cannot read Tags.mat ({exc})") from None
    if "Tags" not in mat:
        raise DataError(f"{path}: no 'Tags' variable in the .mat file")
    tags = mat["Tags"].reshape(-1)
    out: list[np.ndarray] = []
    for i, entry in enumerate(tags):
        try:
            cells = entry["Bin_Vecs"].reshape(-1)
            arr = np.vstack([np.asarray(c).reshape(1, -1) for c in cells]).astype(np.uint8)
        except (ValueError, KeyError, IndexError, TypeError):
            raise DataError(f"{path}: Tags({i + 1}).Bin_Vecs is not a list of 0/1 concept vectors") from None
        if not np.isin(arr, (0, 1)).all():
            raise DataError(f"{path}: Tags({i + 1}).Bin_Vecs holds values other than 0/1")
        out.append(arr)
    return out


def read_shot_list(path: Path, n_shots: int) -> frozenset[int]:
    """1-based shot numbers, one per line -> 0-based index set; DataError on a bad or out-of-range line."""
    shots: set[int] = set()
    for lineno, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        s = ln.strip()
        if not s:
            continue
        try:
            k = int(s)
        except ValueError:
            raise DataError(f"{path}: line {lineno}: '{s}' is not a shot number") from None
        if not 1 <= k <= n_shots:
            raise DataError(f"{path}: line {lineno}: shot {k} outside 1..{n_shots}")
        shots.add(k - 1)
    return frozenset(shots)


def _numbered(files: dict[int, Path]) -> list[Path]:
    return [files[k] for k in sorted(files)]


def load_qfvs(root: str | os.PathLike[str]) -> QFVSData:
    """Load the whole QFVS layout under ``root`` (see module docstring) into typed structures."""
    origin = find_origin_data(root)
    dense = origin / "Dense_per_shot_tags"
    concepts = read_dictionary(dense / "Dictionary.txt")
    names = sorted(p.name for p in dense.iterdir() if p.is_dir() and re.fullmatch(r"P\d+", p.name))
    if not names:
        raise DataError(f"{dense}: no per-video folders (P01, P02, ...)")
    mat_path = next(
        (
            p
            for p in (Path(root) / "Tags.mat", origin / "Tags.mat", origin.parent / "Tags.mat")
            if p.is_file()
        ),
        None,
    )
    mat_tags = read_tags_mat(mat_path) if mat_path is not None else None
    if mat_tags is not None and len(mat_tags) != len(names):
        raise DataError(f"{mat_path}: has {len(mat_tags)} videos but {dense} has {len(names)} (P01...)")
    videos: dict[str, QFVSVideo] = {}
    for vi, name in enumerate(names):
        if mat_tags is not None:
            tags = mat_tags[vi]
            if tags.shape[1] != len(concepts):
                raise DataError(
                    f"{mat_path}: Tags({vi + 1}) has {tags.shape[1]} concepts, Dictionary.txt {len(concepts)}"
                )
        else:
            tags = read_dense_tags(dense / name / f"{name}.txt", concepts)
        n = tags.shape[0]
        queries = _read_queries(origin / "Query-Focused_Summaries", name, concepts, n)
        g_oracle, g_users = _read_global(origin / "Global_Summaries" / name, n)
        videos[name] = QFVSVideo(name, tags, queries, g_oracle, g_users)
    return QFVSData(concepts, videos)


def _query_files(
    qfs: Path, name: str
) -> tuple[dict[tuple[str, str], Path], dict[tuple[str, str], dict[int, Path]]]:
    """The oracle file and the numbered user files of each query of video ``name``."""
    oracle_files: dict[tuple[str, str], Path] = {}
    user_files: dict[tuple[str, str], dict[int, Path]] = {}
    for sub in ("Oracle_Summaries", "User_Summaries"):
        d = qfs / sub / name
        if not d.is_dir():
            continue
        for f in sorted(d.iterdir()):
            m = _QUERY_FILE.match(f.name)
            if m is None:
                continue
            key = (m.group(1), m.group(2))
            if m.group(3) == "oracle":
                oracle_files[key] = f
            else:
                user_files.setdefault(key, {})[int(m.group(4))] = f
    return oracle_files, user_files


def _read_queries(
    qfs: Path, name: str, concepts: tuple[str, ...], n: int
) -> dict[tuple[str, str], QFVSQuery]:
    """Each query of video ``name`` (``n`` shots) with its oracle and user summaries."""
    oracle_files, user_files = _query_files(qfs, name)
    queries: dict[tuple[str, str], QFVSQuery] = {}
    for key in sorted(set(oracle_files) | set(user_files)):
        for c in key:
            if c not in concepts:
                raise DataError(
                    f"{qfs}/{name}: query '{key[0]}_{key[1]}' uses concept '{c}' not in Dictionary.txt"
                )
        if key not in oracle_files:
            raise DataError(f"{qfs}/Oracle_Summaries/{name}: no oracle summary for query '{key[0]}_{key[1]}'")
        users = tuple(read_shot_list(f, n) for f in _numbered(user_files.get(key, {})))
        queries[key] = QFVSQuery(key, read_shot_list(oracle_files[key], n), users)
    return queries


def _read_global(gd: Path, n: int) -> tuple[frozenset[int] | None, tuple[frozenset[int], ...]]:
    """The generic (query-less) oracle and user summaries in folder ``gd``, if any."""
    g_oracle: frozenset[int] | None = None
    g_users: dict[int, Path] = {}
    if gd.is_dir():
        for f in sorted(gd.iterdir()):
            m = _GLOBAL_FILE.match(f.name)
            if m is None:
                continue
            if m.group(1) == "oracle":
                g_oracle = read_shot_list(f, n)
            else:
                g_users[int(m.group(2))] = f
    return g_oracle, tuple(read_shot_list(f, n) for f in _numbered(g_users))
