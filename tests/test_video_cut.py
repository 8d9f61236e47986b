"""write_summary_video: exact cuts (re-encode) and key-frame cuts (copy) on real generated videos."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
import videogen as vg
from conftest import VIDEOS

from vidgist.errors import InputError, OutputError
from vidgist.media.cut import normalise_spans, write_summary_video
from vidgist.media.cut_audio import copied_audio
from vidgist.media.cut_tail import copy_tails
from vidgist.media.video import extract_audio, iter_frames, probe

SHARED = VIDEOS
PARTS = [
    {"duration": 2.0, "color": (255, 0, 0), "tone": 300.0},
    {"duration": 2.0, "color": (0, 255, 0), "tone": 600.0},
    {"duration": 2.0, "color": (0, 0, 255), "tone": 900.0},
    {"duration": 2.0, "color": (255, 255, 0), "tone": 1200.0},
]
SPANS = [(0.5, 1.3), (2.1, 3.0), (6.02, 7.5)]
FRAME = 1 / 25


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cut")
    out = {"av": d / "src.mp4", "mute": d / "mute.mp4", "rot": d / "rot.mp4", "dir": d}
    vg.make_video(out["av"], PARTS, fps=25, size=(160, 120), gop=25)  # a key frame every second
    vg.make_video(out["mute"], PARTS[:2], fps=25, size=(160, 120), audio=False)
    vg.make_video(out["rot"], PARTS[:2], fps=25, size=(160, 120), rotation=90)
    return out


def _stream_durations(path: Path) -> dict[str, float]:
    with av.open(str(path)) as c:
        return {s.type: float(s.duration * s.time_base) for s in c.streams if s.duration and s.time_base}


def _dts_increasing(path: Path) -> bool:
    with av.open(str(path)) as c:
        last: dict[int, int] = {}
        for pkt in c.demux():
            if pkt.dts is None:
                continue
            if pkt.stream.index in last and pkt.dts <= last[pkt.stream.index]:
                return False
            last[pkt.stream.index] = pkt.dts
    return True


def _hz(x: np.ndarray, sr: int) -> float:
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.argmax(spec) * sr / x.size)


def test_exact_cut_durations_content_and_sync(src: dict[str, Path]) -> None:
    out = write_summary_video(src["av"], SPANS, src["dir"] / "summary.mp4")
    assert out.exists()
    total = sum(b - a for a, b in SPANS)
    info = probe(out)
    assert info.has_audio
    assert info.duration == pytest.approx(total, abs=FRAME * len(SPANS))
    durs = _stream_durations(out)
    assert durs["video"] == pytest.approx(total, abs=FRAME * len(SPANS))
    assert durs["audio"] == pytest.approx(total, abs=0.03)
    assert _dts_increasing(out)
    with av.open(str(out)) as c:
        assert c.streams.video[0].codec_context.name == "h264"
        assert c.streams.audio[0].codec_context.name == "aac"
    # picture: red for 0.8 s, green for 0.9 s, then yellow
    bounds = np.cumsum([0.0] + [b - a for a, b in SPANS])
    colours = [PARTS[0]["color"], PARTS[1]["color"], PARTS[3]["color"]]
    for t, img in iter_frames(out, 10.0):
        k = int(np.searchsorted(bounds, t + 1e-9, side="right")) - 1
        if min(abs(t - bounds[k]), abs(t - bounds[min(k + 1, 3)])) < 0.05:
            continue
        mean = img.reshape(-1, 3).mean(axis=0)
        assert np.abs(mean - np.array(colours[k])).max() < 30, (t, mean)
    # sound: each span keeps its own tone at the same output times as its pictures
    sr = 16000
    audio = extract_audio(out, sr=sr)
    assert audio is not None
    for k, tone in enumerate((300.0, 600.0, 1200.0)):
        seg = audio[int((bounds[k] + 0.1) * sr) : int((bounds[k + 1] - 0.1) * sr)]
        assert _hz(seg, sr) == pytest.approx(tone, abs=15)


def test_exact_cut_with_seeks(src: dict[str, Path]) -> None:
    """Spans far apart (gaps > SEEK_GAP) are reached by seeking; picture and sound still match."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255)]
    tones = [300.0, 500.0, 700.0, 900.0, 1100.0]
    parts = [{"duration": 6.0, "color": c, "tone": f} for c, f in zip(colours, tones, strict=True)]
    long_src = src["dir"] / "long.mp4"
    vg.make_video(long_src, parts, fps=25, size=(96, 64), gop=50)
    spans = [(1.0, 2.0), (13.5, 14.5), (27.0, 29.5)]
    which = [0, 2, 4]
    out = write_summary_video(long_src, spans, src["dir"] / "long_sum.mp4")
    total = sum(b - a for a, b in spans)
    assert probe(out).duration == pytest.approx(total, abs=FRAME * len(spans))
    bounds = np.cumsum([0.0] + [b - a for a, b in spans])
    frames = list(iter_frames(out, 25.0))
    assert len(frames) == pytest.approx(total * 25, abs=len(spans))
    for t, img in frames:
        k = int(np.searchsorted(bounds, t + 1e-9, side="right")) - 1
        mean = img.reshape(-1, 3).mean(axis=0)
        assert np.abs(mean - np.array(colours[which[k]])).max() < 30, (t, mean)
    sound = extract_audio(out, sr=16000)
    assert sound is not None
    for k in range(3):
        seg = sound[int((bounds[k] + 0.1) * 16000) : int((bounds[k + 1] - 0.1) * 16000)]
        assert _hz(seg, 16000) == pytest.approx(tones[which[k]], abs=15)


def test_exact_cut_no_audio_and_rotation(src: dict[str, Path]) -> None:
    out = write_summary_video(src["mute"], [(0.3, 1.1), (2.5, 3.3)], src["dir"] / "mute_sum.mp4")
    info = probe(out)
    assert not info.has_audio
    assert info.duration == pytest.approx(1.6, abs=2 * FRAME)
    rot_out = write_summary_video(src["rot"], [(0.2, 1.0)], src["dir"] / "rot_sum.mp4")
    rin, rout = probe(src["rot"]), probe(rot_out)
    assert rout.rotation == rin.rotation == 270
    assert (rout.width, rout.height) == (rin.width, rin.height)


def test_fast_mode_cuts_at_key_frames(src: dict[str, Path]) -> None:
    out = write_summary_video(src["av"], SPANS, src["dir"] / "fast.mp4", fast=True)
    info = probe(out)
    assert info.has_audio
    # key frames every 1 s: spans start at 0.0, 2.0, 6.0 and end after the last frame before b
    expected = (1.3 - 0.0) + (3.0 - 2.0) + (7.5 - 6.0) + 2 * FRAME
    assert info.duration == pytest.approx(expected, abs=2 * FRAME)
    assert _stream_durations(out)["audio"] == pytest.approx(expected, abs=0.1)
    assert _dts_increasing(out)
    frames = list(iter_frames(out, 25.0, max_side=None))
    # the first span starts with the key frame at 0.0 (red), the second at 2.0 (green)
    assert np.abs(frames[0][1].reshape(-1, 3).mean(0) - np.array(PARTS[0]["color"])).max() < 30
    t_second = 1.3 + FRAME + 0.1
    img = next(img for t, img in frames if t >= t_second)
    assert np.abs(img.reshape(-1, 3).mean(0) - np.array(PARTS[1]["color"])).max() < 30
    # spans whose key frame is inside the previous span are joined (nothing copied twice)
    joined = write_summary_video(src["av"], [(0.2, 0.5), (0.7, 0.9)], src["dir"] / "joined.mp4", fast=True)
    assert probe(joined).duration == pytest.approx(0.9, abs=2 * FRAME)


def test_shared_clip_both_modes(src: dict[str, Path]) -> None:
    clip = SHARED / "bigbuckbunny_30s_360p.mp4"
    spans = [(3.3, 7.1), (15.0, 16.0), (25.0, 29.0)]
    exact = write_summary_video(clip, spans, src["dir"] / "bbb.mp4")
    total = sum(b - a for a, b in spans)
    assert probe(exact).duration == pytest.approx(total, abs=3 / 24)
    assert _stream_durations(exact)["audio"] == pytest.approx(total, abs=0.05)
    fast = write_summary_video(clip, spans, src["dir"] / "bbb_fast.mp4", fast=True)
    assert probe(fast).has_audio
    assert probe(fast).duration >= total - 3 / 24


def test_mpegts_source_clock_and_cuts(src: dict[str, Path]) -> None:
    """MPEG-TS starts its clock at 1.4 s: vidgist times start at 0 and cuts land on the same content."""
    ts = src["dir"] / "src.ts"
    vg.remux(src["av"], ts)
    times = [t for t, _ in iter_frames(ts, 25.0)]
    assert times[0] < 0.1
    assert np.diff(times) == pytest.approx(np.full(len(times) - 1, FRAME), abs=1e-3)
    audio = extract_audio(ts, sr=16000)
    assert audio is not None and audio.size == pytest.approx(8.0 * 16000, abs=0.1 * 16000)
    out = write_summary_video(ts, SPANS, src["dir"] / "from_ts.mp4")
    total = sum(b - a for a, b in SPANS)
    assert probe(out).duration == pytest.approx(total, abs=FRAME * len(SPANS))
    sound = extract_audio(out, sr=16000)
    assert sound is not None
    bounds = np.cumsum([0.0] + [b - a for a, b in SPANS])
    for k, tone in enumerate((300.0, 600.0, 1200.0)):
        seg = sound[int((bounds[k] + 0.1) * 16000) : int((bounds[k + 1] - 0.1) * 16000)]
        assert _hz(seg, 16000) == pytest.approx(tone, abs=15)
    fast = write_summary_video(ts, SPANS, src["dir"] / "from_ts_fast.mp4", fast=True)
    assert probe(fast).has_audio and probe(fast).duration >= total - FRAME


def test_fast_mode_codec_mp4_cannot_hold(src: dict[str, Path]) -> None:
    webm = src["dir"] / "src.webm"
    vp8 = ("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libvorbis")
    vg.remux(src["av"], webm, *vp8)
    with pytest.raises(InputError, match="drop --fast"):
        write_summary_video(webm, SPANS, src["dir"] / "webm_fast.mp4", fast=True)
    mkv = write_summary_video(webm, SPANS, src["dir"] / "webm_fast.mkv", fast=True)
    assert probe(mkv).has_audio
    exact = write_summary_video(webm, SPANS, src["dir"] / "webm_exact.mp4")
    assert probe(exact).duration == pytest.approx(sum(b - a for a, b in SPANS), abs=FRAME * len(SPANS))


def test_spans_and_errors(src: dict[str, Path]) -> None:
    assert normalise_spans([(3, 4), (0, 1), (0.5, 2), (2, 2.5), (9, 12), (5, 5)], 10.0) == [
        (0.0, 2.5),
        (3.0, 4.0),
        (9.0, 10.0),
    ]
    with pytest.raises(InputError, match="no span"):
        write_summary_video(src["av"], [(20.0, 30.0)], src["dir"] / "none.mp4")
    with pytest.raises(InputError, match="not found"):
        write_summary_video(src["dir"] / "missing.mp4", [(0.0, 1.0)], src["dir"] / "x.mp4")
    blocker = src["dir"] / "a_file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        write_summary_video(src["av"], [(0.0, 1.0)], blocker / "out.mp4")
    # atomic: no temp files left behind, failed outputs absent
    assert not (src["dir"] / "none.mp4").exists()
    assert not [p for p in src["dir"].iterdir() if p.name.startswith(".")]


# ---------------------------------------------------------------- smart cut

FPS = 25
BEEP_EVERY = 1.0  # a 20 ms 1 kHz beep at every whole second of the source


def _write_numbered(path: Path, seconds: float, gop: int, audio: str = "aac") -> None:
    """H.264 (x264 with B-frames, a key frame every ``gop`` frames) whose frame ``i`` shows ``i`` as two
    flat grey blocks (i % 20, i // 20, 12 levels a step), with beeps at every whole second (``audio``:
    "aac" or "mp2")."""
    n = int(seconds * FPS)
    sr = 48000
    with av.open(str(path), "w") as out:
        vs = vg.x264_with_b_frames(out, (128, 64), gop, crf=18, rate=FPS)
        aus = out.add_stream(audio, rate=sr, layout="mono")
        vg.encode_images(out, vs, (_numbered(i) for i in range(n)))
        t = np.arange(int(seconds * sr)) / sr
        sound = np.where((t % BEEP_EVERY) < 0.02, 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0).astype(np.float32)
        fmt = "flt" if audio == "aac" else "s16"
        if fmt == "s16":
            sound = (sound * 32767).astype(np.int16)
        for k in range(0, sound.size, 1024):
            af = av.AudioFrame.from_ndarray(sound[None, k : k + 1024], format=fmt, layout="mono")
            af.sample_rate, af.pts = sr, k
            for pkt in aus.encode(af):
                out.mux(pkt)
        for pkt in aus.encode():
            out.mux(pkt)


def _numbered(i: int) -> np.ndarray:
    """Frame ``i`` of ``_write_numbered``."""
    img = np.zeros((64, 128, 3), np.uint8)
    img[:, :64] = (i % 20) * 12 + 8
    img[:, 64:] = (i // 20) * 12 + 8
    return img


def _frame_number(img: np.ndarray) -> int:
    lo, hi = float(img[:, 8:56].mean()), float(img[:, 72:120].mean())
    return int(round((lo - 8) / 12)) + 20 * int(round((hi - 8) / 12))


def _all_frames(path: Path) -> list[tuple[float, np.ndarray]]:
    """Every frame of the file, decoded by PyAV to the end: (time, RGB)."""
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        return [(float(f.pts * f.time_base), f.to_ndarray(format="rgb24")) for f in c.decode(vs)]


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("smart") / "numbered.mp4"
    _write_numbered(path, 12.0, gop=25)  # a key frame every second
    return path


SMART_SPANS = [(0.5, 3.3), (4.02, 4.5), (6.3, 10.77)]


def _assert_exact_frames(out: Path, spans: list[tuple[float, float]]) -> None:
    """Every output frame is the numbered source frame the cut asks for: spans start and end within one
    frame, no frame lost, each at its place on the output clock."""
    frames = [(t, _frame_number(img)) for t, img in _all_frames(out)]
    total = sum(b - a for a, b in spans)
    assert len(frames) == pytest.approx(total * FPS, abs=2 * len(spans))  # + the held frame at a
    bounds = np.cumsum([0.0] + [b - a for a, b in spans])
    for k, (a, b) in enumerate(spans):
        inside = [(t, i) for t, i in frames if bounds[k] - 1e-6 <= t < bounds[k + 1] - 1e-6]
        src_t = np.array([i / FPS for _, i in inside])
        assert src_t[0] == pytest.approx(a, abs=FRAME + 1e-6)  # the picture shown at a
        assert src_t[-1] == pytest.approx(b - FRAME, abs=FRAME + 1e-6)  # the last frame before b
        assert np.all(np.diff(src_t) > 0) and np.diff(src_t).max() <= FRAME + 1e-6  # no frame lost
        for t, i in inside:
            assert t - bounds[k] == pytest.approx(max(0.0, i / FPS - a), abs=FRAME + 1e-6)


def test_smart_cut_exact_frames_copied_gops_and_sync(numbered: Path, tmp_path: Path) -> None:
    out = write_summary_video(numbered, SMART_SPANS, tmp_path / "smart.mp4")
    # whole GOPs were copied: the source's own key-frame packets are in the output byte for byte
    with av.open(str(numbered)) as c:
        src_keys = {bytes(p) for p in c.demux(c.streams.video[0]) if p.is_keyframe and p.size}
    with av.open(str(out)) as c:
        out_pkts = [bytes(p) for p in c.demux(c.streams.video[0]) if p.size]
    assert sum(any(p.endswith(k) for k in src_keys) for p in out_pkts[:400]) >= 4
    assert _dts_increasing(out)
    _assert_exact_frames(out, SMART_SPANS)
    _assert_beeps_in_sync(out, SMART_SPANS)
    # the AAC sound was copied, not re-encoded: nearly every output audio packet is a source packet
    with av.open(str(numbered)) as c:
        src_audio = {bytes(p) for p in c.demux(c.streams.audio[0]) if p.size}
    with av.open(str(out)) as c:
        out_audio = [bytes(p) for p in c.demux(c.streams.audio[0]) if p.size]
    assert sum(p in src_audio for p in out_audio) >= 0.95 * len(out_audio)


def _assert_beeps_in_sync(out: Path, spans: list[tuple[float, float]]) -> None:
    """Sound: every beep at the output time of its source second (within 40 ms), none lost, the
    spans' total length (within 50 ms)."""
    total = sum(b - a for a, b in spans)
    bounds = np.cumsum([0.0] + [b - a for a, b in spans])
    sr = 16000
    audio = extract_audio(out, sr=sr)
    assert audio is not None and audio.size / sr == pytest.approx(total, abs=0.05)
    loud = np.flatnonzero(np.abs(audio) > 0.2) / sr
    onsets = loud[np.insert(np.diff(loud) > 0.2, 0, True)]
    expected = [bounds[k] + s - a for k, (a, b) in enumerate(spans) for s in range(13) if a <= s < b - 0.03]
    assert len(onsets) == len(expected)
    assert np.abs(onsets - np.array(expected)).max() <= 0.040


def test_smart_cut_re_encodes_sound_it_cannot_copy(tmp_path: Path) -> None:
    """MPEG audio layer II cannot be copied packet by packet: the smart cut re-encodes it to AAC, in
    sync, while the picture is still smart cut."""
    src = tmp_path / "mp2.mp4"
    _write_numbered(src, 12.0, gop=25, audio="mp2")
    assert copied_audio(src, SMART_SPANS) is None
    used: dict[str, str] = {}
    out = write_summary_video(src, SMART_SPANS, tmp_path / "smart.mp4", used=used)
    assert used == {"mode": "smart"}
    with av.open(str(out)) as c:
        assert c.streams.audio[0].codec_context.name == "aac"
    _assert_exact_frames(out, SMART_SPANS)
    _assert_beeps_in_sync(out, SMART_SPANS)


def test_smart_cut_plays_to_the_end_and_modes_agree(numbered: Path, tmp_path: Path) -> None:
    smart = write_summary_video(numbered, SMART_SPANS, tmp_path / "smart.mp4")
    full = write_summary_video(numbered, SMART_SPANS, tmp_path / "full.mp4", mode="reencode")
    fast = write_summary_video(numbered, SMART_SPANS, tmp_path / "fast.mp4", mode="copy")
    numbers = {}
    for name, path in (("smart", smart), ("full", full)):
        decoded = _all_frames(path)  # a real decoder, every packet, to the end
        with av.open(str(path)) as c:
            end = float(c.streams.video[0].duration * c.streams.video[0].time_base)
        assert decoded[-1][0] == pytest.approx(end - FRAME, abs=2 * FRAME)
        numbers[name] = [_frame_number(img) for _, img in decoded]
    assert numbers["smart"] == numbers["full"]
    # the copy mode cuts at key frames: it starts earlier, never later
    assert probe(fast).duration >= sum(b - a for a, b in SMART_SPANS) - FRAME
    with pytest.raises(InputError, match="cut mode"):
        write_summary_video(numbered, SMART_SPANS, tmp_path / "x.mp4", mode="sometimes")


def test_smart_cut_long_gops_skips_before_cuts_and_names_its_mode(tmp_path: Path) -> None:
    """Key frames seconds apart: the pieces at the cuts decode from a key frame seconds earlier (skipping
    non-reference frames until a second before the cut), yet every frame is the one asked for; a summary
    whose spans hold no key frame is re-encoded, and ``used`` says which mode wrote the file."""
    src = tmp_path / "gop100.mp4"
    _write_numbered(src, 12.0, gop=100)  # x264 puts key frames 2.4 s apart (2.4, 4.8, 7.2, 9.6)
    spans = [(2.5, 9.9), (10.6, 11.5)]
    used: dict[str, str] = {}
    out = write_summary_video(src, spans, tmp_path / "smart.mp4", used=used)
    assert used == {"mode": "smart"}
    assert _dts_increasing(out)
    _assert_exact_frames(out, spans)
    short = [(2.5, 3.7), (5.0, 6.0)]  # no key frame inside either span
    out = write_summary_video(src, short, tmp_path / "short.mp4", used=used)
    assert used == {"mode": "reencode"}
    _assert_exact_frames(out, short)


def test_smart_cut_copies_span_ends_but_their_last_frames(numbered: Path, tmp_path: Path) -> None:
    """A span's end after its last key frame is copied packet by packet up to the B-frames that follow
    the last anchor picture before the end (at most the stream's reordering depth, here 2); only those are
    re-encoded, and the file is still frame-exact (``_assert_exact_frames`` in the tests above)."""
    from vidgist.media import cut

    keys = cut._key_pts(numbered, cut._Source(numbered).keys, SMART_SPANS)
    pieces = cut.smart_pieces(SMART_SPANS, keys)
    tails = copy_tails(numbered, pieces, keys)
    ends = [(a, b) for kind, a, b in pieces if kind == "encode" and a in keys]
    assert len(ends) == 2  # (3.0, 3.3) and (10.0, 10.77)
    for a, b in ends:
        assert ("copy", a, pytest.approx(b, abs=3 * FRAME)) in [(k, x, y) for k, x, y in tails]
    re_encoded = sum(b - a for kind, a, b in tails if kind == "encode")
    assert re_encoded <= sum(b - a for kind, a, b in pieces if kind == "encode") - 1.0
    out = write_summary_video(numbered, SMART_SPANS, tmp_path / "smart.mp4")
    _assert_exact_frames(out, SMART_SPANS)
    assert _dts_increasing(out)


def test_spans_holding_one_key_frame_are_smart_cut(numbered: Path, tmp_path: Path) -> None:
    """Spans shorter than a GOP that hold one key frame: re-encoded up to it, copied after it (but the last
    frames), so the smart cut is used; still frame-exact, sound in sync."""
    spans = [(0.5, 1.6), (2.3, 3.5), (6.1, 6.9)]  # key frames at 1 s and 3 s inside; none in the third
    used: dict[str, str] = {}
    out = write_summary_video(numbered, spans, tmp_path / "one_key.mp4", used=used)
    assert used == {"mode": "smart"}
    with av.open(str(numbered)) as c:
        src_pkts = {bytes(p) for p in c.demux(c.streams.video[0]) if p.size and not p.is_keyframe}
    with av.open(str(out)) as c:
        copied = sum(bytes(p) in src_pkts for p in c.demux(c.streams.video[0]) if p.size)
    assert copied >= 10  # the frames after the key frames came from the source, byte for byte
    assert _dts_increasing(out)
    _assert_exact_frames(out, spans)
    _assert_beeps_in_sync(out, spans)


def test_copied_span_end_keeps_a_frame_shown_just_before_the_end(numbered: Path, tmp_path: Path) -> None:
    """A span ending half a millisecond after a frame's time still shows that frame when the end is
    copied (the copied run stops where a re-encoded piece would)."""
    out = write_summary_video(numbered, [(0.5, 1.5205)], tmp_path / "end.mp4")  # a key frame at 0.96 s
    numbers = [_frame_number(img) for _, img in _all_frames(out)]
    assert numbers[-1] == 38  # the frame at 1.52 s, not a key frame
    assert numbers == list(range(12, 39))  # 0.48 s (the picture shown at 0.5) to 1.52 s, none lost
