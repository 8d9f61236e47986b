// vidgist web page: plain JavaScript, no build step. Talks only to this server's /api.
"use strict";

const $ = (id) => document.getElementById(id);
const POLL_MS = 500;
let pollTimer = null;
let currentJob = null;
let currentResult = null;

// ---- helpers --------------------------------------------------------------------------------------
function fmt(t) {
  const s = Math.max(0, t);
  const m = Math.floor(s / 60);
  return `${m}:${(s - 60 * m).toFixed(1).padStart(4, "0")}`;
}

async function api(path, options) {
  const r = await fetch(path, options);
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.error) || `${r.status} ${r.statusText}`);
  return body;
}

function showError(el, message) {
  el.textContent = message || "";
  el.hidden = !message;
}

function seek(player, t) {
  const go = () => { player.currentTime = t; };
  if (player.readyState >= 1) go(); else player.addEventListener("loadedmetadata", go, { once: true });
}

// ---- tabs -----------------------------------------------------------------------------------------
document.querySelectorAll("nav button").forEach((tab) => {
  tab.addEventListener("click", () => {
    document.querySelectorAll("nav button").forEach((t) => {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      $(t.dataset.panel).hidden = !on;
    });
  });
});

// ---- upload ---------------------------------------------------------------------------------------
const drop = $("drop");
["dragenter", "dragover"].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); }));
["dragleave", "drop"].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
drop.addEventListener("drop", (e) => {
  if (e.dataTransfer.files.length) { $("file").files = e.dataTransfer.files; showFile(); }
});
$("file").addEventListener("change", showFile);
function showFile() {
  const f = $("file").files[0];
  $("drop-text").textContent = f ? `${f.name} (${(f.size / 1e6).toFixed(1)} MB)` : "Drop a video here or click to pick one";
}

$("add-query").addEventListener("click", () => {
  const row = document.createElement("div");
  row.className = "query-row";
  row.innerHTML = '<input class="query" type="text" placeholder="another query">';
  $("queries").appendChild(row);
  row.firstChild.focus();
});

$("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  showError($("error"), "");
  const file = $("file").files[0];
  if (!file) { showError($("error"), "Pick a video first."); return; }
  const form = new FormData();
  document.querySelectorAll("input.query").forEach((q) => { if (q.value.trim()) form.append("query", q.value.trim()); });
  if ($("max-seconds").value) form.append("max_seconds", $("max-seconds").value);
  else if ($("budget").value) form.append("budget", $("budget").value);
  if ($("fill").checked) form.append("fill", "true");
  if ($("chapter-count").value) form.append("chapter_count", $("chapter-count").value);
  if ($("spoken-transitions").checked) form.append("spoken_transitions", "true");
  form.append("file", file);
  $("submit").disabled = true;
  $("result").hidden = true;
  setJobView({ filename: file.name, status: "uploading", stage: "uploading", progress: 0 });
  try {
    const created = await api("/api/summaries", { method: "POST", body: form });
    watch(created.id);
  } catch (err) {
    $("job").hidden = true;
    showError($("error"), err.message);
  } finally {
    $("submit").disabled = false;
  }
});

// ---- job progress (survives a reload: the id is in the address) -----------------------------------
function setJobView(job) {
  $("job").hidden = false;
  $("job-name").textContent = job.filename || "";
  $("job-status").textContent = job.status;
  $("job-status").className = `badge ${job.status}`;
  $("job-stage").textContent = job.status === "running" || job.status === "uploading" ? job.stage : "";
  $("job-progress").value = job.progress || 0;
  $("cancel").hidden = !["queued", "running"].includes(job.status);
}

function watch(id) {
  currentJob = id;
  history.replaceState(null, "", `#job=${id}`);
  clearTimeout(pollTimer);
  poll();
}

async function poll() {
  const id = currentJob;
  if (!id) return;
  let job;
  try {
    job = await api(`/api/summaries/${id}`);
  } catch (err) {
    showError($("error"), err.message);
    $("job").hidden = true;
    history.replaceState(null, "", "#");
    return;
  }
  if (id !== currentJob) return;
  setJobView(job);
  if (job.status === "failed") showError($("error"), job.error);
  if (job.status === "done") showResult(id, job.result);
  if (job.status === "queued" || job.status === "running") pollTimer = setTimeout(poll, POLL_MS);
}

$("cancel").addEventListener("click", async () => {
  if (!currentJob) return;
  $("cancel").disabled = true;
  try {
    setJobView(await api(`/api/summaries/${currentJob}`, { method: "DELETE" }));
  } catch (err) {
    showError($("error"), err.message);
  } finally {
    $("cancel").disabled = false;
  }
});

// ---- result ---------------------------------------------------------------------------------------
function showResult(id, result) {
  currentResult = result;
  const base = `/api/summaries/${id}`;
  $("result").hidden = false;
  const src = $("source-player"), sum = $("summary-player");
  const hasVideo = result.segments.length > 0;
  if (src.dataset.job !== id) {
    src.src = `${base}/source`; src.dataset.job = id;
    if (hasVideo) sum.src = `${base}/video`; else sum.removeAttribute("src");
  }
  sum.hidden = !hasVideo;
  $("dl-video").hidden = !hasVideo;
  $("no-summary-video").hidden = hasVideo;
  showError($("match-note"), matchNote(result));
  $("dl-video").href = `${base}/video`;
  $("dl-json").href = `${base}/summary.json`;
  $("dl-plot").href = `${base}/scores.png`;
  $("summary-seconds").textContent = `${result.summary_seconds.toFixed(1)} s of ${result.duration.toFixed(1)} s`;
  const list = $("segments");
  list.innerHTML = "";
  result.segments.forEach((seg, i) => {
    const li = document.createElement("li");
    li.className = "segment";
    li.dataset.start = seg.start;
    li.dataset.end = seg.end;
    li.innerHTML = `<img alt="" src="${base}/thumbnails/${i}"><span class="when">${fmt(seg.start)} - ${fmt(seg.end)}</span>` +
      `<span class="score"></span>`;
    li.querySelector(".score").textContent = seg.relevance !== undefined
      ? `relevance ${seg.relevance.toFixed(2)}` + (seg.queries && seg.queries.length ? ` for ${seg.queries.map((q) => `"${q}"`).join(", ")}` : "")
      : `score ${seg.score.toFixed(2)}`;
    li.addEventListener("click", () => { seek(src, seg.start); src.play().catch(() => {}); });
    list.appendChild(li);
  });
  if (src.dataset.chapters !== id) {  // chapters on the source video's timeline (chapters.js)
    src.dataset.chapters = id;
    window.vidgistChapters.show(src, result.chapters || [], result.duration, $("chapter-bar"));
  }
  drawTimeline();
}

// What the summary's relevance check found: nothing matched, or some queries did not (else "").
function matchNote(r) {
  const m = r.match;
  if (!m) return "";
  if (!m.matched && m.mode === "relevant") {
    return `No moment matches ${(r.queries || []).map((q) => `"${q}"`).join(" / ")} (best relevance ` +
      `${m.best_relevance.toFixed(2)} at ${fmt(m.best_time)}). Tick "fill the length" to get the best moments anyway.`;
  }
  const missed = (r.per_query || []).filter((q) => !q.matched).map((q) => `"${q.query}"`);
  return missed.length ? `No moment matches ${missed.join(", ")}; the summary covers the other queries.` : "";
}

function drawTimeline() {
  const canvas = $("timeline"), r = currentResult;
  if (!r) return;
  const w = canvas.clientWidth || 600, h = canvas.height;
  canvas.width = w;
  const ctx = canvas.getContext("2d");
  const dur = r.duration || 1;
  const x = (t) => (t / dur) * w;
  // the calibrated relevance in [0, 1] when the summary has queries, else the raw score
  const scores = r.timeline.relevance || r.timeline.score;
  const lo = r.timeline.relevance ? 0 : Math.min(...scores, 0);
  const hi = r.timeline.relevance ? 1 : Math.max(...scores, 1e-6);
  const axis = 14;  // pixels at the bottom for the time ticks
  const y = (s) => h - axis - 2 - ((s - lo) / (hi - lo || 1)) * (h - axis - 6);
  ctx.clearRect(0, 0, w, h);
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].find((s) => dur / s <= 10) || 7200;
  ctx.fillStyle = "#6c757d"; ctx.font = "10px system-ui, sans-serif"; ctx.textAlign = "center";
  for (let t = step; t < dur; t += step) {
    ctx.fillRect(x(t), h - axis, 1, 3);
    ctx.fillText(fmt(t).replace(/\.0$/, ""), x(t), h - 2);
  }
  ctx.fillStyle = "rgba(217, 72, 15, 0.25)";
  r.segments.forEach((s) => ctx.fillRect(x(s.start), 0, Math.max(1, x(s.end) - x(s.start)), h - axis));
  ctx.strokeStyle = "#1c7ed6"; ctx.lineWidth = 2; ctx.beginPath();
  r.timeline.t.forEach((t, i) => (i ? ctx.lineTo(x(t), y(scores[i])) : ctx.moveTo(x(t), y(scores[i]))));
  ctx.stroke();
  if (r.timeline.relevance && r.match) {  // the threshold a moment must clear to be in the summary
    ctx.strokeStyle = "#adb5bd"; ctx.setLineDash([4, 4]); ctx.beginPath();
    ctx.moveTo(0, y(r.match.threshold)); ctx.lineTo(w, y(r.match.threshold)); ctx.stroke();
    ctx.setLineDash([]);
  }
  const now = $("source-player").currentTime || 0;
  ctx.strokeStyle = "#212529"; ctx.lineWidth = 1; ctx.beginPath();
  ctx.moveTo(x(now), 0); ctx.lineTo(x(now), h - axis); ctx.stroke();
}

$("timeline").addEventListener("click", (e) => {
  if (!currentResult) return;
  const rect = e.target.getBoundingClientRect();
  seek($("source-player"), ((e.clientX - rect.left) / rect.width) * currentResult.duration);
});
$("source-player").addEventListener("timeupdate", drawTimeline);
$("source-player").addEventListener("seeked", drawTimeline);
window.addEventListener("resize", drawTimeline);

// ---- library search -------------------------------------------------------------------------------
// Hits arrive best first; the page groups them by video (videos in the order of their best hit) and
// lists each video's hits best first.
$("search-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  showError($("search-error"), "");
  const q = $("search-q").value.trim();
  if (!q) return;
  const list = $("hits");
  list.innerHTML = "";
  const weak = $("search-weak").checked;
  try {
    const res = await api(`/api/search?q=${encodeURIComponent(q)}&k=20${weak ? "&weak=true" : ""}`);
    const hits = res.hits || [];
    const videos = groupByVideo(hits);
    $("search-info").textContent = hits.length
      ? `${hits.length} hit${hits.length === 1 ? "" : "s"} in ${videos.length} video${videos.length === 1 ? "" : "s"} for "${q}"`
      : `No moment matches "${q}".` + (weak ? "" : " Tick \u201cshow weak matches\u201d to see the closest moments anyway.");
    videos.forEach((group) => list.appendChild(videoItem(group)));
  } catch (err) {
    $("search-info").textContent = "";
    showError($("search-error"), err.message);
  }
});

function groupByVideo(hits) {
  const groups = new Map();
  hits.forEach((hit) => {
    if (!groups.has(hit.video_id)) groups.set(hit.video_id, { video: hit.video, about: hit.video_evidence || [], hits: [] });
    groups.get(hit.video_id).hits.push(hit);
  });
  const out = [...groups.values()];
  out.forEach((g) => g.hits.sort((a, b) => (a.weak - b.weak) || (b.relevance - a.relevance)));
  return out;
}

function videoItem(group) {
  const li = document.createElement("li");
  li.className = "video-group";
  const head = document.createElement("div");
  head.className = "video-head";
  head.innerHTML = `<span class="name"></span> <span class="about"></span>`;
  head.querySelector(".name").textContent = (group.video || "").split(/[\\/]/).pop();
  head.querySelector(".about").textContent = group.about.length
    ? `the video is about \u201c${group.about[0].text}\u201d` : "";
  const inner = document.createElement("ol");
  inner.className = "group-hits";
  group.hits.forEach((hit) => inner.appendChild(hitItem(hit)));
  li.append(head, inner);
  return li;
}

function hitItem(hit) {
  const li = document.createElement("li");
  li.className = hit.weak ? "hit weak" : "hit";
  li.dataset.start = hit.start;
  li.dataset.end = hit.end;
  li.dataset.relevance = hit.relevance;
  li.dataset.videoId = hit.video_id;
  const thumb = document.createElement("img");
  thumb.alt = "";
  thumb.src = `/api/videos/${hit.video_id}/thumbnail?t=${hit.best_time !== undefined ? hit.best_time : (hit.start + hit.end) / 2}`;
  const text = document.createElement("div");
  const name = (hit.video || "").split(/[\\/]/).pop();
  text.innerHTML = `<div><span class="when"></span> <span class="score"></span> <span class="badge weak-badge" hidden>weak</span></div>` +
    `<div class="snippet"></div><div class="why"></div>`;
  text.querySelector(".when").textContent = `${fmt(hit.start)} - ${fmt(hit.end)}`;
  text.querySelector(".score").textContent = `relevance ${Number(hit.relevance).toFixed(2)}`;
  text.querySelector(".weak-badge").hidden = !hit.weak;
  const evidence = hit.evidence || [];
  const quoted = evidence[0];
  text.querySelector(".snippet").textContent = quoted
    ? (quoted.channel === "looks like" ? `looks like: ${quoted.text}` : `${quoted.channel}: \u201c${quoted.text}\u201d`) : "";
  const others = evidence.slice(1);
  text.querySelector(".why").textContent = others.length
    ? "also: " + others.map((e) => `${e.channel} \u201c${e.text}\u201d`).join("; ") : "";
  li.append(thumb, text);
  li.addEventListener("click", () => {
    document.querySelectorAll("#hits li.hit").forEach((x) => x.classList.toggle("playing", x === li));
    const player = $("search-player");
    $("search-figure").hidden = false;
    $("search-caption").textContent = `${name} from ${fmt(hit.start)} to ${fmt(hit.end)}`;
    const src = `/api/videos/${hit.video_id}/source`;
    if (player.dataset.src !== src) { player.src = src; player.dataset.src = src; }
    seek(player, hit.start);
    player.play().catch(() => {});
  });
  return li;
}

// ---- start: resume the job named in the address ---------------------------------------------------
const resumed = /^#job=([0-9a-f]{32})$/.exec(location.hash);
if (resumed) watch(resumed[1]);
