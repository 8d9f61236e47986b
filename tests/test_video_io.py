"""media.video on real files: generated ones with known content, the shared clips, and broken inputs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import videogen as vg
from conftest import VIDEOS

from vidgist.errors import InputError
from vidgist.media.damage import DamageReport
from vidgist.media.video import default_fps, extract_audio, iter_frames, iter_sampled, keyframe_gap, probe

SHARED = VIDEOS

PARTS = [
    {"duration": 2.0, "color": (255, 0, 0)},
    {"duration": 2.0, "color": (0, 255, 0), "tone": 440.0},
    {"duration": 2.0, "color": (0, 0, 255), "tone": 1000.0, "text": "HELLO"},
]
VFR_PARTS = [
    {"duration": 1.0, "fps": 10, "color": (255, 0, 0)},
    {"duration": 1.0, "fps": 30, "color": (0, 255, 0)},
    {"duration": 1.0, "fps": 5, "color": (0, 0, 255)},
]


@pytest.fixture(scope="module")
def vids(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("video_io")
    v = {name: d / f"{name}.mp4" for name in ("plain", "vfr", "rot90", "rot180", "noaudio", "faststart")}
    vg.make_video(v["plain"], PARTS, fps=25, size=(320, 240))
    vg.make_video(v["vfr"], VFR_PARTS, fps=25, audio=False)
    bars = [{"duration": 0.4, "pattern": "bars", "text": "F"}]
    vg.make_video(v["rot90"], bars, size=(160, 96), rotation=90)
    vg.make_video(v["rot180"], bars, size=(160, 96), rotation=180)
    vg.make_video(v["noaudio"], PARTS[:1], audio=False)
    vg.make_faststart(v["plain"], v["faststart"])
    v["truncated"] = d / "truncated.mp4"
    vg.make_truncated(v["plain"], v["truncated"], keep=0.6)
    v["truncated_faststart"] = d / "truncated_faststart.mp4"
    vg.make_truncated(v["faststart"], v["truncated_faststart"], keep=0.6)
    v["audio_only"] = d / "audio_only.m4a"
    vg.make_audio_only(v["audio_only"])
    v["zero"] = d / "zero.mp4"
    vg.make_zero_length(v["zero"])
    v["text"] = d / "notes.mp4"
    vg.make_not_video(v["text"])
    v["empty"] = d / "empty.mp4"
    v["empty"].write_bytes(b"")
    v["missing"] = d / "missing.mp4"
    v["folder"] = d
    return v


def test_probe_generated(vids: dict[str, Path]) -> None:
    info = probe(vids["plain"])
    assert info.duration == pytest.approx(6.0, abs=0.05)
    assert info.fps == pytest.approx(25.0)
    assert info.n_frames == 150
    assert (info.width, info.height, info.rotation) == (320, 240, 0)
    assert info.has_audio
    assert not probe(vids["noaudio"]).has_audio
    assert probe(vids["faststart"]).duration == pytest.approx(6.0, abs=0.05)


@pytest.mark.parametrize("name", sorted(p.name for p in SHARED.glob("*.mp4")))
def test_probe_and_sample_shared(name: str) -> None:
    info = probe(SHARED / name)
    assert info.duration > 1.0 and info.width > 0 and info.height > 0
    frames = list(iter_frames(SHARED / name, 1.0, max_side=160))
    times = np.array([t for t, _ in frames])
    assert np.all(np.diff(times) > 0)
    assert len(frames) == pytest.approx(info.duration, abs=1.5)
    h, w = frames[0][1].shape[:2]
    assert max(h, w) <= 160
    # display orientation kept (landscape stays landscape, rotated portrait becomes portrait)
    assert (w >= h) == (info.width >= info.height)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("missing", "not found"),
        ("folder", "not a file"),
        ("empty", "empty"),
        ("text", "not a video"),
        ("truncated", "truncated"),
        ("truncated_faststart", "truncated"),
        ("audio_only", "audio-only"),
        ("zero", "no video stream"),
    ],
)
def test_bad_inputs_raise_one_line(vids: dict[str, Path], name: str, words: str) -> None:
    for call in (lambda p: probe(p), lambda p: list(iter_frames(p, 1.0))):
        with pytest.raises(InputError) as err:
            call(vids[name])
        msg = str(err.value)
        assert "\n" not in msg
        assert str(vids[name]) in msg
        assert words in msg


def test_extract_audio_bad_input(vids: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="not found"):
        extract_audio(vids["missing"])


def _expected_samples(frame_times: list[float], fps: float) -> list[float]:
    """Reference rule: first frame at or after t0 + k/fps, each frame once."""
    out: list[float] = []
    t0 = frame_times[0]
    k = 0
    for t in frame_times:
        if t + 1e-9 >= t0 + k / fps:
            out.append(t)
            k = math.floor((t - t0) * fps + 1e-9) + 1
    return out


def test_sampled_times_exact_cfr(vids: dict[str, Path]) -> None:
    frames = list(iter_frames(vids["plain"], 2.0))
    times = [t for t, _ in frames]
    all_times = [k / 25 for k in range(150)]
    assert times == pytest.approx(_expected_samples(all_times, 2.0), abs=1e-9)
    assert times[:4] == pytest.approx([0.0, 0.52, 1.0, 1.52], abs=1e-9)
    # every frame at the native rate
    every = [t for t, _ in iter_frames(vids["plain"], 25.0)]
    assert every == pytest.approx(all_times, abs=1e-9)
    # content: the part colours at the right times
    for t, img in frames:
        part = min(int(t // 2.0), 2)
        colour = np.array(PARTS[part]["color"])
        corner = img[:20, :20].reshape(-1, 3).mean(axis=0)
        assert np.abs(corner - colour).max() < 30, (t, corner)


def test_sampled_times_vfr(vids: dict[str, Path]) -> None:
    native = [k / 10 for k in range(10)] + [1 + k / 30 for k in range(30)] + [2 + k / 5 for k in range(5)]
    everything = [t for t, _ in iter_frames(vids["vfr"], 1000.0)]
    assert everything == pytest.approx(native, abs=1e-4)
    for fps in (4.0, 7.0):
        times = [t for t, _ in iter_frames(vids["vfr"], fps)]
        assert times == pytest.approx(_expected_samples(everything, fps), abs=1e-9)
        assert np.all(np.diff(times) > 0)


def test_max_side(vids: dict[str, Path]) -> None:
    _, img = next(iter(iter_frames(vids["plain"], 1.0, max_side=100)))
    assert img.shape == (76, 100, 3) and img.dtype == np.uint8
    _, full = next(iter(iter_frames(vids["plain"], 1.0, max_side=None)))
    assert full.shape == (240, 320, 3)


@pytest.mark.parametrize(("name", "cw"), [("rot90", 270), ("rot180", 180)])
def test_rotation_matches_ffmpeg(vids: dict[str, Path], name: str, cw: int) -> None:
    info = probe(vids[name])
    assert info.rotation == cw
    _, img = next(iter(iter_frames(vids[name], 1.0, max_side=None)))
    assert img.shape[:2] == (info.height, info.width)
    ref = vg.ffmpeg_first_frame(vids[name], info.width, info.height)
    assert np.abs(ref.astype(int) - img.astype(int)).mean() < 2.0
    # and it really is turned: the unrotated picture differs
    _, raw = next(iter(iter_frames(vids["rot180"], 1.0, max_side=None)))
    if cw == 180:
        assert np.abs(np.rot90(raw, 2).astype(int) - img.astype(int)).mean() > 20


@pytest.mark.parametrize("name", ["plain", "rot90"])
def test_sampled_frames_convert_at_any_size(vids: dict[str, Path], name: str) -> None:
    """iter_sampled hands over frames unconverted; rgb() and rgb(short_side) give the same picture at
    two sizes, turned as a player shows it, with the same times as iter_frames."""
    info = probe(vids[name])
    ref = list(iter_frames(vids[name], 1.0, max_side=320))
    got = list(iter_sampled(vids[name], 1.0, max_side=320))
    assert [f.time for f in got] == [t for t, _ in ref]
    for (_, img), f in zip(ref, got, strict=True):
        np.testing.assert_array_equal(f.rgb(), img)
        small = f.rgb(short_side=64)
        assert min(small.shape[:2]) == 64
        assert (small.shape[1] > small.shape[0]) == (info.width > info.height)  # orientation kept
        from PIL import Image

        down = np.asarray(Image.fromarray(img).resize((small.shape[1], small.shape[0]), Image.Resampling.BOX))
        assert np.abs(down.astype(int) - small.astype(int)).mean() < 6.0


def _dominant_hz(x: np.ndarray, sr: int) -> float:
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.argmax(spec) * sr / x.size)


@pytest.mark.parametrize("sr", [16000, 8000])
def test_extract_audio(vids: dict[str, Path], sr: int) -> None:
    a = extract_audio(vids["plain"], sr=sr)
    assert a is not None and a.dtype == np.float32 and a.ndim == 1
    assert a.size == pytest.approx(6.0 * sr, abs=0.03 * sr)
    assert float(np.abs(a).max()) <= 1.0
    assert float(np.abs(a[: int(1.8 * sr)]).max()) < 0.02  # part 1 is silent
    assert _dominant_hz(a[int(2.2 * sr) : int(3.8 * sr)], sr) == pytest.approx(440, abs=5)
    if sr == 16000:
        assert _dominant_hz(a[int(4.2 * sr) : int(5.8 * sr)], sr) == pytest.approx(1000, abs=5)
    assert extract_audio(vids["noaudio"]) is None


def _tone_segment(path: Path, rate: int, hz: float, seconds: float, layout: str) -> bytes:
    """An MPEG-TS file of an MP2 sine tone at ``rate`` Hz in ``layout``; returns its bytes."""
    import av

    n = int(rate * seconds)
    x = (0.5 * np.sin(2 * np.pi * hz * np.arange(n) / rate) * 32767).astype(np.int16)
    channels = 2 if layout == "stereo" else 1
    with av.open(str(path), "w", format="mpegts") as c:
        s = c.add_stream("mp2", rate=rate, layout=layout)
        for i in range(0, n, 1152):
            block = np.repeat(x[i : i + 1152], channels)[None, :]  # s16 is interleaved
            f = av.AudioFrame.from_ndarray(block, format="s16", layout=layout)
            f.sample_rate, f.pts = rate, i
            for pkt in s.encode(f):
                c.mux(pkt)
        for pkt in s.encode(None):
            c.mux(pkt)
    return path.read_bytes()


def test_extract_audio_keeps_sound_in_place_across_a_format_change(tmp_path: Path) -> None:
    """Two recordings joined byte for byte (as HLS/broadcast captures are): the second half has another
    sample rate and channel layout. Nothing is lost or reported as damage, and the second tone starts
    where the first ends."""
    joined = tmp_path / "joined.ts"
    joined.write_bytes(
        _tone_segment(tmp_path / "a.ts", 44100, 440, 2.0, "mono")
        + _tone_segment(tmp_path / "b.ts", 32000, 880, 2.0, "stereo")
    )
    damage = DamageReport(joined, 4.0)
    a = extract_audio(joined, sr=16000, damage=damage)
    assert a is not None
    assert damage.audio.lost_s == 0.0 and not damage.damaged
    assert a.size == pytest.approx(4.0 * 16000, abs=0.05 * 16000)
    assert _dominant_hz(a[int(0.3 * 16000) : int(1.7 * 16000)], 16000) == pytest.approx(440, abs=5)
    assert _dominant_hz(a[int(2.3 * 16000) : int(3.7 * 16000)], 16000) == pytest.approx(880, abs=5)


@pytest.mark.parametrize("bad", [{0}, {5}, {5, 6}])
def test_extract_audio_leaves_a_rejected_frame_as_silence(
    monkeypatch: pytest.MonkeyPatch, bad: set[int]
) -> None:
    """Frames the resampler rejects (here: the real decoder's frames given sample rate 0, as a damaged
    header gives) are recorded as lost and left as silence of their length: the first frame, one in the
    middle, two in a row; the track keeps its length, so later sound stays in place."""
    from vidgist.media import damage as damage_mod

    real = damage_mod.StreamDamage.decode

    def decode_with_damage(self: Any, *args: Any, **kwargs: Any) -> Any:
        for i, frame in enumerate(real(self, *args, **kwargs)):
            if i in bad:
                frame.sample_rate = 0
            yield frame

    video = SHARED / "narrated_demo_24s.mp4"
    clean = extract_audio(video)
    monkeypatch.setattr(damage_mod.StreamDamage, "decode", decode_with_damage)
    report = DamageReport(video, 24.0)
    damaged = extract_audio(video, damage=report)
    assert clean is not None and damaged is not None
    assert abs(damaged.size - clean.size) <= len(bad)  # each gap rounded to whole samples at 16 kHz
    assert report.audio.lost_s == pytest.approx(len(bad) * 1024 / 44100, rel=0.05)  # AAC frames at 44.1 kHz
    np.testing.assert_allclose(damaged[-16000:], clean[-16000:], atol=1e-4)  # the last second in place


def test_extract_audio_shared() -> None:
    a = extract_audio(SHARED / "narrated_demo_24s.mp4")
    assert a is not None
    assert a.size == pytest.approx(probe(SHARED / "narrated_demo_24s.mp4").duration * 16000, abs=0.25 * 16000)
    assert float(np.sqrt(np.mean(a**2))) > 0.01  # speech, not silence
    assert extract_audio(SHARED / "bikes_10s.mp4") is None


def test_default_fps() -> None:
    assert default_fps(30.0) == 1.0
    assert default_fps(59.9) == 1.0
    assert default_fps(60.0) == 2.0
    assert default_fps(7200.0) == 2.0


def test_bad_fps(vids: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="fps"):
        list(iter_frames(vids["plain"], 0.0))


def test_keyframes_only_gives_the_same_frames_when_key_frames_are_dense(
    vids: dict[str, Path], tmp_path: Path
) -> None:
    """A key frame every second sampled at 1 fps: decoding the key frames alone gives the same instants
    and the same pictures as decoding everything (and no damage); the gap is read without decoding."""
    dense = tmp_path / "gop25.mp4"
    vg.make_video(dense, PARTS, fps=25, size=(320, 240), gop=25)
    assert keyframe_gap(dense) == pytest.approx(1.0, abs=0.05)
    assert keyframe_gap(vids["plain"]) == pytest.approx(6.0, abs=0.1)  # x264's default: one key frame
    full = {round(f.time, 3): f.rgb() for f in iter_sampled(dense, 1.0)}
    damage = DamageReport(dense, probe(dense).duration)
    frames = iter_sampled(dense, 1.0, damage=damage, keyframes_only=True)
    sparse = [(round(f.time, 3), f.rgb()) for f in frames]
    assert [t for t, _ in sparse] == list(full) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert all(np.array_equal(full[t], img) for t, img in sparse)
    assert not damage.damaged and damage.video.decoded_frames == 6  # only the key frames were decoded


def _moving_h264(path: Path, gop: int, seconds: float = 6.0) -> None:
    """A bar sliding over a gradient, x264 veryfast with up to 3 B-frames, 25 fps."""
    import av

    with av.open(str(path), "w") as out:
        vs = vg.x264_with_b_frames(out, (160, 96), gop, crf=20)
        base = np.tile(np.linspace(0, 255, 160, dtype=np.uint8)[None, :, None], (96, 1, 3))
        vg.encode_images(out, vs, (_bar_frame(base, i) for i in range(int(seconds * 25))))


def _bar_frame(base: np.ndarray, i: int) -> np.ndarray:
    """Frame ``i`` of ``_moving_h264``: the red bar at ``3 i`` px (mod 150)."""
    img = base.copy()
    img[:, (3 * i) % 150 : (3 * i) % 150 + 10] = (255, 40, 40)
    return img


def test_decode_skip_by_key_frame_density_codec_and_rate(tmp_path: Path) -> None:
    """Sparse sampling decodes only what it needs: key frames when they are dense enough, else every
    I/P frame of H.264 (bit-exact: nothing predicts from a B-frame), else the reference frames."""
    import av

    from vidgist.media.video import decode_skip

    sparse_keys, dense_keys = tmp_path / "gop250.mp4", tmp_path / "gop10.mp4"
    _moving_h264(sparse_keys, gop=250)
    _moving_h264(dense_keys, gop=10)  # a key frame every 0.4 s

    def mode(path: Path, fps: float, skip: bool = True) -> str | None:
        with av.open(str(path)) as c:
            return decode_skip(path, c.streams.video[0], fps, skip_nonref=skip)

    assert mode(dense_keys, 2.0) == "NONKEY"
    assert mode(sparse_keys, 2.0) == "BIDIR"
    assert mode(sparse_keys, 10.0) == "NONREF"  # 2.5 frames a step: B-frames may be the nearest
    assert mode(sparse_keys, 2.0, skip=False) is None

    def decoded(skip: str | None) -> dict[int, np.ndarray]:
        with av.open(str(sparse_keys)) as c:
            if skip:
                c.streams.video[0].codec_context.skip_frame = skip
            return {f.pts: f.to_ndarray(format="rgb24") for f in c.decode(video=0)}

    everything, no_b = decoded(None), decoded("BIDIR")
    assert len(no_b) < 0.8 * len(everything)  # the stream has B-frames to skip
    assert all(np.array_equal(img, everything[pts]) for pts, img in no_b.items())  # bit-exact
    # sampled: every instant has a frame, the same picture up to the skipped deblocking filter (its
    # error grows along a GOP without key frames: here 250 frames of a 160x96 sliding bar)
    full = {round(t, 3): img for t, img in iter_frames(sparse_keys, 25.0, max_side=None)}
    sampled = list(iter_frames(sparse_keys, 2.0, max_side=None, skip_nonref=True))
    assert len(sampled) == pytest.approx(6.0 * 2, abs=1)
    for t, img in sampled:
        assert np.abs(img.astype(int) - full[round(t, 3)]).mean() < 6.0
    gaps = np.diff([0.0] + [t for t, _ in sampled])
    assert gaps.max() < 0.5 + 4 / 25  # within a few frames of each instant
