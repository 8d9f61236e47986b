"""Build the zero-shot query development set: narrated, captioned micro-videos (English and Chinese).

    python benchmarks/make_qms_dev_set.py [OUT_DIR]     # default /tmp/vidgist-qms-dev; prints the files

Each item of ``benchmarks/qms_zero_shot_dev.json`` becomes ``OUT_DIR/<id>.mp4`` (640x360, 25 fps): its
``background`` clip from ../shared/videos looped to the item's length, its ``captions`` drawn with
ffmpeg's drawtext (each over [start, end), so two never overlap; white on a dark box, lower third;
DejaVu Sans Bold for Latin, WenQuanYi Zen Hei for Chinese), and for English items espeak-ng reading
``say`` as the only audio. Chinese items have no audio track (espeak-ng's Mandarin is not understood
by Whisper). Needs the Debian packages espeak-ng, ffmpeg and fonts-wqy-zenhei. Existing files are
kept (delete OUT_DIR to rebuild).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEV_SET = HERE / "qms_zero_shot_dev.json"
SHARED_VIDEOS = HERE.parents[1] / "shared" / "videos"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "vidgist-qms-dev"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        sys.exit(f"make_qms_dev_set: {name} not found; apt-get install -y espeak-ng ffmpeg fonts-wqy-zenhei")
    return path


def _duration(path: Path) -> float:
    out = subprocess.run(
        [_tool("ffprobe"), "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def make_captioned_clip(
    out: Path,
    background: Path,
    captions: list[tuple[float, float, str]],
    say: str | None = None,
    cjk: bool = False,
    min_seconds: float = 0.0,
) -> Path:
    """Write ``out``: ``background`` looped, ``captions`` (start, end, text) drawn, espeak-ng saying ``say``.

    The clip lasts the longer of the narration plus 0.8 s, the last caption's end and ``min_seconds``.
    Without ``say`` the clip has no audio track.
    """
    font = CJK_FONT if cjk else LATIN_FONT
    if not Path(font).is_file():
        sys.exit(
            f"make_qms_dev_set: font {font} missing; apt-get install -y fonts-wqy-zenhei fonts-dejavu-core"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qms-dev-") as tmp:
        t = Path(tmp)
        length = max([min_seconds] + [float(e) for _, e, _ in captions])
        audio: list[str] = []
        if say:
            wav = t / "say.wav"
            subprocess.run([_tool("espeak-ng"), "-v", "en-us", "-s", "150", "-w", str(wav), say], check=True)
            length = max(length, _duration(wav) + 0.8)
            audio = ["-i", str(wav)]
        filters = [
            "scale=640:360:force_original_aspect_ratio=decrease",
            "pad=640:360:(ow-iw)/2:(oh-ih)/2",
            "fps=25",
        ]
        for k, (s, e, text) in enumerate(captions):
            tf = t / f"cap{k}.txt"
            tf.write_text(text, encoding="utf-8")
            filters.append(
                f"drawtext=fontfile={font}:textfile={tf}:fontsize=34:fontcolor=white:box=1:"
                f"boxcolor=black@0.6:boxborderw=10:x=(w-text_w)/2:y=h*0.72:enable='gte(t,{s})*lt(t,{e})'"
            )
        cmd = [
            _tool("ffmpeg"),
            "-v",
            "error",
            "-y",
            "-stream_loop",
            "-1",
            "-i",
            str(background),
            *audio,
            "-t",
            f"{length:.2f}",
            "-vf",
            ",".join(filters),
            "-map",
            "0:v:0",
        ]
        cmd += ["-map", "1:a:0", "-c:a", "aac", "-b:a", "64k"] if say else ["-an"]
        tmp_out = t / out.name
        cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p", str(tmp_out)]
        subprocess.run(cmd, check=True)
        shutil.move(str(tmp_out), out)
    return out


def load_items() -> list[dict[str, Any]]:
    """The dev set's items (see ``qms_zero_shot_dev.json``)."""
    return list(json.loads(DEV_SET.read_text(encoding="utf-8"))["items"])


def build(out_dir: Path = DEFAULT_OUT) -> list[tuple[dict[str, Any], Path]]:
    """Every dev-set item as (item, video path), building the videos that do not exist yet."""
    made = []
    for item in load_items():
        path = out_dir / f"{item['id']}.mp4"
        if not path.is_file():
            make_captioned_clip(
                path,
                SHARED_VIDEOS / item["background"],
                [tuple(c) for c in item["captions"]],
                item.get("say"),
                cjk=item["lang"] == "zh",
            )
        made.append((item, path))
    return made


if __name__ == "__main__":
    for _item, p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT):
        print(p)
