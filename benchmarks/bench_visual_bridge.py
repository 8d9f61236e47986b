"""Which offline visual bridge says most about queries? Variants measured side by side on the dev set.

The offline backbone puts a frame in the text space through its ImageNet classes. On the development set
of ``relevance_devset.py`` (frames at 1/s, the frame model's input as the pipeline makes it) this compares:

- ``top5``: the probability-weighted mean of the top-5 label embeddings (the first bridge);
- ``full``: the whole 1000-class distribution;
- ``full+prompts``: each label embedded in several prompt forms, averaged;
- ``+attributes``: whole-frame attributes (black and white, dark, cartoon-like flat colour, text-heavy,
  outdoor sky) computed from the pixels, their phrases embedded like labels and mixed in.

For each: hit@1 of visual queries (best frame inside the named part), the mean in-part similarity of visual
queries, and the share of absent queries whose best frame scores above the visual queries' median best
(a false match at any threshold that keeps half the visual queries). Fit half only unless --all.

The class distribution is taken from the centre crop the frame features use ("crop", the backbone's view) or
from the whole frame resized to 224 x 224 ("whole-frame view"). A second table compares, on the kept bridge
(centre crop), ways of turning the cosine into the visual value the calibrated relevance takes
(``vidgist.summarize.relevance.relevance_channels``), for the fit half and the held-out half separately: query
units (a per-query null over the 1000 labels), cohort normalisation of each frame against the labels as
impostor queries (T-norm; its top-200 "adaptive" form; S-norm = mean of the two; ZT = T-norm of query units),
a per-video null (minus the video's median for the query), the labels' common directions removed (mean, top
principal directions), the query in prompt forms, and a median or mean over +-1 s. Columns: hit@1, AUC of
present visual queries' best in-part value against absent queries' best value (1 = a cut separates them), and
the share of visual queries a cut keeping 90% of absent queries at no-match would lose.

    python benchmarks/bench_visual_bridge.py [--all]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relevance_devset import DEFAULT_OUT, build  # noqa: E402


def frames_of(path: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """Frames at 1/s, as the pipeline feeds the frame model (short side 256)."""
    from vidgist.media import video as vio

    times, imgs = [], []
    for f in vio.iter_sampled(path, 1.0, max_side=448):
        times.append(f.time)
        imgs.append(f.rgb(short_side=256))
    return np.asarray(times), imgs


def resize_full(images: list[np.ndarray]) -> np.ndarray:
    """RGB uint8 (H, W, 3) images -> (n, 224, 224, 3) uint8: the whole frame resized to 224 x 224 (bilinear,
    antialiased; the aspect ratio is not kept)."""
    from PIL import Image

    from vidgist.backbones.offline_nets import CROP
    from vidgist.media.image import as_rgb8

    out = np.empty((len(images), CROP, CROP, 3), dtype=np.uint8)
    for i, img in enumerate(images):
        pil = Image.fromarray(as_rgb8(img, f"image {i}"))
        out[i] = np.asarray(pil.resize((CROP, CROP), Image.Resampling.BILINEAR, reducing_gap=None))
    return out


def probabilities(imgs: list[np.ndarray], view: str = "crop") -> np.ndarray:
    """(n, 1000) softmax of EfficientNet-Lite0 on the frames' centre crops ("crop") or on the whole frames
    resized to 224 x 224 ("full")."""
    from vidgist.backbones.offline_nets import frame_net, resize_crop
    from vidgist.backbones.onnx_engine import preferred_engine

    _, logits = frame_net(preferred_engine())((resize_crop if view == "crop" else resize_full)(imgs))
    z = logits.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def variants(probs: np.ndarray, imgs: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Frame vectors in the text space for every variant, (n, 384) each."""
    from vidgist.backbones.attributes import frame_attributes
    from vidgist.backbones.offline import attribute_embeddings, label_embeddings, prompt_label_embeddings
    from vidgist.backbones.offline_nets import l2 as _l2

    plain = label_embeddings().astype(np.float64)
    prompted = prompt_label_embeddings().astype(np.float64)
    top = np.argsort(-probs, axis=1)[:, :5]
    w5 = np.take_along_axis(probs, top, axis=1)
    w5 /= w5.sum(axis=1, keepdims=True)
    out = {
        "top5": _l2(np.einsum("nk,nkd->nd", w5, plain[top])),
        "full": _l2(probs @ plain),
        "full+prompts": _l2(probs @ prompted),
    }
    attrs = frame_attributes(imgs)
    a_emb = attribute_embeddings().astype(np.float64)
    for lam in (0.5, 1.0, 2.0):
        out[f"full+prompts+attributes(x{lam})"] = _l2(_l2(probs @ prompted) + lam * attrs @ a_emb / 3)
    return out


#: prompt forms of a query in the "prompt forms" rows (the labels' forms, the query brings its article)
QUERY_PROMPTS = ("{}", "a photo of {}", "a video of {}")


def _window(times: np.ndarray, s: np.ndarray, reduce: Any) -> np.ndarray:
    from vidgist.summarize.relevance import _window as window

    return window(times, s.T, 1.0, reduce).T


def normalisations(f: np.ndarray, q: np.ndarray, qp: np.ndarray, times: np.ndarray) -> dict[str, np.ndarray]:
    """Visual values (n_frames, n_queries) of frames ``f`` (kept bridge) for queries ``q`` (plain) and
    ``qp`` (prompt forms): every variant of the second table."""
    from vidgist.backbones.offline import prompt_label_embeddings

    e = prompt_label_embeddings().astype(np.float64)

    def z(qq: np.ndarray) -> np.ndarray:
        ref = e @ qq.T
        return (f @ qq.T - ref.mean(axis=0)) / ref.std(axis=0)

    def t(scores: np.ndarray, cohort: np.ndarray, top: int | None = None) -> np.ndarray:
        c = np.sort(cohort, axis=1)[:, -top:] if top else cohort
        return (scores - c.mean(axis=1, keepdims=True)) / c.std(axis=1, keepdims=True)

    def without_common(k: int) -> np.ndarray:
        """Query units after removing the labels' mean and top-k principal directions from labels,
        frames and queries ("all-but-the-top"): what every label shares says nothing about a frame."""
        mu = e.mean(axis=0)
        u = np.linalg.svd(e - mu, full_matrices=False)[2][:k]

        def strip(x: np.ndarray) -> np.ndarray:
            x = x - mu
            x = x - (x @ u.T) @ u
            return x / np.linalg.norm(x, axis=-1, keepdims=True)

        ek, fk, qk = strip(e), strip(f), strip(q)
        ref = ek @ qk.T
        return (fk @ qk.T - ref.mean(axis=0)) / ref.std(axis=0)

    ee = e @ e.T
    labels_as_queries = (f @ e.T - ee.mean(axis=0)) / ee.std(axis=0)
    zq, zp = z(q), z(qp)
    return {
        "centre crop, query units (kept)": zq,
        "T-norm (labels as cohort)": t(f @ q.T, f @ e.T),
        "T-norm, top-200 cohort": t(f @ q.T, f @ e.T, 200),
        "S-norm (query units + T-norm)": 0.5 * (zq + t(f @ q.T, f @ e.T)),
        "ZT-norm": t(zq, labels_as_queries),
        "query units - video median": zq - np.median(zq, axis=0),
        "label mean removed": without_common(0),
        "label mean + top-3 directions removed": without_common(3),
        "query units + median over +-1 s": _window(times, zq, np.median),
        "query units, prompt forms": zp,
        "... + mean over +-1 s": _window(times, zp, np.mean),
        "... + median over +-1 s": _window(times, zp, np.median),
    }


def separation(present: list[float], absent: list[float]) -> tuple[float, float]:
    """(AUC of present over absent, share of present under the cut that leaves 10% of absent above)."""
    p, a = np.array(present), np.array(absent)
    auc = float(np.mean([(x > y) + 0.5 * (x == y) for x in p for y in a]))
    cut = float(np.quantile(a, 0.9))
    return auc, float(np.mean(p <= cut))


Stats = dict[str, list[Any]]


def views_of(
    video: dict[str, Any], workdir: Path
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
    """Frame times, frames, and the class distributions of the centre crops and of the whole frames
    (cached beside the dev set)."""
    cache = workdir / f"{Path(video['path']).stem}.views.npz"
    times, imgs = frames_of(video["path"])
    if cache.exists():
        probs, whole = np.load(cache)["crop"], np.load(cache)["full"]
    else:
        probs, whole = probabilities(imgs, "crop"), probabilities(imgs, "full")
        np.savez(cache, crop=probs, full=whole)
    return times, imgs, probs, whole


def add_hits(st: Stats, sim: np.ndarray, times: np.ndarray, vis: list[dict[str, Any]], mean_in: bool) -> None:
    """Per visual query: hit@1, best in-part value (and the mean in-part value when ``mean_in``); per
    absent query (the columns after the visual ones): its best value anywhere."""
    for j, p in enumerate(vis):
        inside = (times >= p["span"][0]) & (times < p["span"][1])
        st["hit"].append(bool(inside[int(np.argmax(sim[:, j]))]))
        if mean_in:
            st["in"].append(float(sim[inside, j].mean()))
        st["best"].append(float(sim[inside, j].max()))
    st["absent"].extend(sim[:, len(vis) :].max(axis=0).tolist())


#: one video's sampled times, frames, label probabilities and whole-frame label probabilities (``views_of``)
Views = tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]


def measure_normalisations(
    norm: dict[tuple[str, str], Stats], video: dict[str, Any], views: Views, q: np.ndarray, qp: np.ndarray
) -> None:
    """The second table's rows for one video, added to ``norm`` under (row, split)."""
    from vidgist.backbones.offline import prompt_label_embeddings

    times, imgs, probs, whole = views
    vis = [p for p in video["parts"] if p["kind"] == "visual"]
    kept = variants(probs, imgs)["full+prompts+attributes(x0.5)"].astype(np.float64)
    whole_view = variants(whole, imgs)["full+prompts+attributes(x0.5)"].astype(np.float64)
    ref = prompt_label_embeddings().astype(np.float64) @ q.T
    rows = {
        "whole-frame view, query units": (whole_view @ q.T - ref.mean(axis=0)) / ref.std(axis=0),
        **normalisations(kept, q, qp.astype(np.float64), times),
    }
    for name, sim in rows.items():
        st = norm.setdefault((name, video["split"]), {"hit": [], "best": [], "absent": []})
        add_hits(st, sim, times, vis, mean_in=False)


def measure_bridges(stats: dict[str, Stats], video: dict[str, Any], views: Views, q: np.ndarray) -> None:
    """The first table's rows (every bridge variant, raw cosine and query units) for one video."""
    from vidgist.backbones.offline import prompt_label_embeddings

    times, imgs, probs, whole = views
    vis = [p for p in video["parts"] if p["kind"] == "visual"]
    ref = prompt_label_embeddings().astype(np.float64) @ q.T  # each query against every label
    views = {
        **variants(probs, imgs),
        "full+prompts+attributes(x0.5), whole-frame view": variants(whole, imgs)[
            "full+prompts+attributes(x0.5)"
        ],
    }
    for name, f in views.items():
        for z in (False, True):
            sim = f @ q.T  # (n, queries)
            if z:
                sim = (sim - ref.mean(axis=0)) / ref.std(axis=0)
                name = name + " /query-z"
            st = stats.setdefault(name, {"hit": [], "in": [], "best": [], "absent": []})
            add_hits(st, sim, times, vis, mean_in=True)


def print_tables(n_videos: int, stats: dict[str, Stats], norm: dict[tuple[str, str], Stats]) -> None:
    print(
        f"{n_videos} videos; visual queries: hit@1, mean in-part sim, median best; absent: share above "
        "that median, max"
    )
    for name, st in stats.items():
        med = float(np.median(st["best"]))
        print(
            f"{name:34s} hit@1 {np.mean(st['hit']):.2f}  in-part {np.mean(st['in']):.3f}  "
            f"median best {med:.3f}  absent>median {np.mean(np.array(st['absent']) > med):.2f}  "
            f"absent max {np.max(st['absent']):.3f}"
        )
    print(
        "\nvisual value on the kept bridge: hit@1, AUC (present best in part vs absent best), visual "
        "queries lost at the cut that answers 90% of absent queries no-match; fit | held-out"
    )
    for name in dict.fromkeys(k[0] for k in norm):
        cells = []
        for split in ("fit", "held-out"):
            st = norm[(name, split)]
            auc, lost = separation(st["best"], st["absent"])
            cells.append(f"hit@1 {np.mean(st['hit']):.2f} AUC {auc:.3f} lost {lost:.2f}")
        print(f"{name:34s} {cells[0]} | {cells[1]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--all", action="store_true", help="all 24 videos, not only the fit half")
    args = ap.parse_args()
    from vidgist.backbones.offline_nets import encode_texts, l2

    everything = build(args.workdir)
    spec = [v for v in everything if args.all or v["split"] == "fit"]
    stats: dict[str, Stats] = {}
    norm: dict[tuple[str, str], Stats] = {}
    for video in everything:
        views = views_of(video, args.workdir)
        vis = [p for p in video["parts"] if p["kind"] == "visual"]
        qs = [p["query"] for p in vis] + list(video["absent"])
        q = encode_texts(qs).astype(np.float64)
        qp = l2(np.mean([encode_texts([f.format(x) for x in qs]) for f in QUERY_PROMPTS], axis=0))
        measure_normalisations(norm, video, views, q, qp)
        if video in spec:
            measure_bridges(stats, video, views, q)
    print_tables(len(spec), stats, norm)


if __name__ == "__main__":
    main()
