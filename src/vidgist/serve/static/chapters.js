// Chapters on the source video: a <track kind="chapters"> built from summary.json's chapters (the same
// WebVTT as `vidgist summarize --chapters-out chapters.vtt`) and a clickable bar of titles under the
// timeline. Loaded before app.js; app.js calls vidgistChapters.show(player, chapters, duration, bar).
"use strict";

window.vidgistChapters = (() => {
  const pad = (n, w) => String(n).padStart(w, "0");
  function vttTime(s) {
    const ms = Math.round(Math.max(s, 0) * 1000);
    return `${pad(Math.floor(ms / 3600000), 2)}:${pad(Math.floor(ms / 60000) % 60, 2)}:` +
      `${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}`;
  }
  const clean = (t) => (t || "").replace(/-->/g, "->").split(/\s+/).filter(Boolean).join(" ") || "Chapter";

  function webvtt(chapters, duration) {
    const cues = chapters.map((c, i) => {
      const start = i === 0 ? 0 : c.start, end = i === chapters.length - 1 ? duration : c.end;
      return `${i + 1}\n${vttTime(start)} --> ${vttTime(end)}\n${clean(c.title)}\n`;
    });
    return ["WEBVTT\n", ...cues].join("\n");
  }

  function show(player, chapters, duration, bar) {
    player.querySelectorAll("track[data-chapters]").forEach((t) => { URL.revokeObjectURL(t.src); t.remove(); });
    if (bar) bar.innerHTML = "";
    if (!chapters || !chapters.length) return;
    const track = document.createElement("track");
    track.kind = "chapters"; track.label = "Chapters"; track.srclang = "en"; track.default = true;
    track.dataset.chapters = "1";
    track.src = URL.createObjectURL(new Blob([webvtt(chapters, duration)], { type: "text/vtt" }));
    player.appendChild(track);
    track.track.mode = "hidden";  // cues load and are readable; the browser draws no captions for chapters
    if (!bar) return;
    bar.style.cssText = "display:flex;width:100%;font:12px system-ui,sans-serif;margin-top:2px";
    chapters.forEach((c, i) => {
      const b = document.createElement("button");
      b.type = "button"; b.className = "chapter"; b.dataset.start = c.start; b.textContent = c.title;
      b.title = `${c.title} (${vttTime(c.start).slice(0, 8)})`;
      const share = Math.max((c.end - c.start) / (duration || 1), 0.001);
      b.style.cssText = `flex:${share} 1 0;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;` +
        `border:1px solid #adb5bd;background:${i % 2 ? "#f1f3f5" : "#e7f5ff"};padding:2px 4px;cursor:pointer`;
      b.addEventListener("click", () => { player.currentTime = i === 0 ? 0 : c.start; });
      bar.appendChild(b);
    });
  }

  return { show, webvtt };
})();
