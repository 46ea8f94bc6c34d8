// The AutoMerge dashboard: one search at a time, built from its server-sent events (the journal,
// live) and its status; no reloads. Charts: uPlot (webjar, served from the node's jar).
(function () {
  "use strict";
  const params = new URLSearchParams(location.search);
  const token = params.get("access_token") || "";
  const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d", "#7c3aed"];
  const $ = (id) => document.getElementById(id);

  let searchId = params.get("search");
  let techniques = [];
  let colours = {};
  const plans = new Map();   // trial -> plan
  const done = [];           // completed trials in order of completion: {trial, cost, plan, worker, millis}
  let costChart = null;
  let paramCharts = {};
  let dirty = false;
  let source = null;

  function api(path) {
    return fetch(path, {headers: token ? {Authorization: "Bearer " + token} : {}}).then((r) => {
      if (!r.ok) { const e = new Error(path + ": " + r.status); e.status = r.status; throw e; }
      return r.json();
    });
  }

  function withToken(path) {
    return token ? path + (path.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(token) : path;
  }

  function fmt(x, digits) { return x == null ? "–" : Number(x).toFixed(digits == null ? 4 : digits); }
  /** " density 0.70 lambda 1.20": the technique's chosen parameters, by their declared names. */
  function chosen(c, digits) {
    const p = c.parameters || {};
    return Object.keys(p).map((k) => ` ${esc(k)} ${fmt(p[k], digits)}`).join("");
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c])); }
  function swatch(t) { return `<span class="swatch" style="background:${colours[t] || "#999"}"></span>${esc(t)}`; }

  /** The technique most blocks of a plan use (ties: the earlier block). */
  function dominant(plan) {
    const counts = {};
    let best = null;
    for (const choice of Object.values(plan)) {
      counts[choice.technique] = (counts[choice.technique] || 0) + 1;
      if (best == null || counts[choice.technique] > counts[best]) best = choice.technique;
    }
    return best;
  }

  function listSearches() {
    api("/api/searches").then((list) => {
      if (!searchId && list.length) { searchId = list[0].id; connect(); }
      // The newest few (and the one shown); the rest are counted.
      const shown = list.filter((s, i) => i < 6 || s.id === searchId);
      $("searches").innerHTML = shown.map((s) =>
        `<a href="${withToken("/?search=" + encodeURIComponent(s.id))}" class="${s.id === searchId ? "current" : ""}">${esc(s.id)}</a>`).join("") +
        (list.length > shown.length ? `<span class="muted">+${list.length - shown.length} older</span>` : "");
      if (!list.length && !searchId) $("summary").innerHTML = `<p class="muted">No searches yet: POST a spec to /api/searches.</p>`;
    }).catch(() => {});
  }

  function connect() {
    if (!searchId) return;
    $("summary").innerHTML = `<p class="muted">Waiting for search ${esc(searchId)}…</p>`;
    api("/api/searches/" + encodeURIComponent(searchId)).then(() => {
      source = new EventSource(withToken("/api/searches/" + encodeURIComponent(searchId) + "/events"));
      for (const type of ["SearchStarted", "TrialProposed", "TrialCompleted", "TrialFailed", "SearchCompleted",
          "SearchFailed", "SearchCancelled", "ModelExported", "SegmentationDecided", "TrialRescored", "TrialAbandoned",
          "StrategyRecorded"]) {
        source.addEventListener(type, (msg) => onEvent(type, JSON.parse(msg.data)));
      }
      source.onerror = () => { if (source.readyState === EventSource.CLOSED) refreshStatus(); };
      refreshStatus();
    }).catch((e) => { if (e.status === 404) setTimeout(connect, 300); }); // soon: a fast search runs trials a second
  }

  function onEvent(type, e) {
    if (type === "SearchStarted") {
      techniques = e.spec.techniques;
      techniques.forEach((t, i) => { colours[t] = PALETTE[i % PALETTE.length]; });
      buildCostChart();
    } else if (type === "TrialProposed") {
      plans.set(e.trial, e.plan);
    } else if (type === "TrialCompleted") {
      done.push({trial: e.trial, cost: e.cost, plan: e.plan || plans.get(e.trial), worker: e.worker, millis: e.millis});
      document.body.dataset.points = String(done.length);
      scheduleStatus();
    } else if (type === "ModelExported" || type === "SearchFailed" || type === "SearchCancelled") {
      source.close();
      refreshStatus();
    }
    dirty = true;
  }

  function buildCostChart() {
    const el = $("cost-chart");
    el.innerHTML = "";
    const series = [{label: "trial"}];
    for (const t of techniques) {
      series.push({label: t, stroke: colours[t], fill: colours[t], paths: () => null,
        points: {show: true, size: 7, stroke: colours[t], fill: colours[t]}});
    }
    series.push({label: "best so far", stroke: "#111827", width: 2, paths: uPlot.paths.stepped({align: 1}), points: {show: false}});
    costChart = new uPlot({
      width: Math.max(600, el.clientWidth - 10), height: 320, series,
      scales: {x: {time: false}},
      axes: [{label: "trial", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]}, {label: "cost (lower is better)", size: 70}],
      legend: {live: false},
    }, emptyCostData(), el);
  }

  function emptyCostData() { return [[], ...techniques.map(() => []), []]; }

  function costData() {
    const byTrial = [...done].sort((a, b) => a.trial - b.trial);
    const xs = byTrial.map((d) => d.trial);
    const cols = techniques.map((t) => byTrial.map((d) => (dominant(d.plan) === t ? d.cost : null)));
    let best = Infinity;
    const bests = byTrial.map((d) => (best = Math.min(best, d.cost)));
    return [xs, ...cols, bests];
  }

  function drawParams() {
    if (!done.length) return;
    const blocks = Object.keys(done[0].plan);
    const el = $("params");
    for (const block of blocks) {
      if (!paramCharts[block]) {
        const div = document.createElement("div");
        el.appendChild(div);
        const series = [{label: "weight"}].concat(techniques.map((t) => ({label: t, stroke: colours[t], fill: colours[t],
          paths: () => null, points: {show: true, size: 6, stroke: colours[t], fill: colours[t]}})));
        paramCharts[block] = new uPlot({title: block, width: 380, height: 240, series, legend: {show: false},
          scales: {x: {time: false, range: [0, 1]}}, axes: [{label: "weight of model 1"}, {size: 60}]},
          [[], ...techniques.map(() => [])], div);
      }
      const pts = done.filter((d) => d.plan[block].weights) // slerp's choice is t, not weights
        .map((d) => ({w: d.plan[block].weights[0], t: d.plan[block].technique, c: d.cost})).sort((a, b) => a.w - b.w);
      paramCharts[block].setData([pts.map((p) => p.w), ...techniques.map((t) => pts.map((p) => (p.t === t ? p.c : null)))]);
    }
  }

  /** A choice's weights, or nothing for a technique without any (slerp's t, model_stock). */
  function weightsOf(c, digits, sep, prefix) {
    return c.weights ? prefix + c.weights.map((w) => fmt(w, digits)).join(sep) : "";
  }

  function drawTrials() {
    const rows = [...done].sort((a, b) => b.trial - a.trial).slice(0, 40);
    const blocks = done.length ? Object.keys(done[0].plan) : [];
    $("trials").innerHTML = `<tr><th>trial</th><th>cost</th>${blocks.map((b) => `<th>${esc(b)}</th>`).join("")}<th>worker</th><th>s</th></tr>` +
      rows.map((d) => `<tr><td>${d.trial}</td><td>${fmt(d.cost)}</td>${blocks.map((b) => {
        const c = d.plan[b];
        return `<td>${swatch(c.technique)}${weightsOf(c, 2, "/", " w ")}${chosen(c, 2)}</td>`;
      }).join("")}<td>${esc(d.worker)}</td><td>${fmt(d.millis / 1000, 1)}</td></tr>`).join("");
  }

  let statusTimer = null;
  function scheduleStatus() {
    if (!statusTimer) statusTimer = setTimeout(() => { statusTimer = null; refreshStatus(); }, 1500);
  }

  function refreshStatus() {
    if (!searchId) return;
    Promise.all([api("/api/searches/" + encodeURIComponent(searchId)), api("/api/workers")]).then(([s, pool]) => {
      const eta = s.eta_seconds == null ? "" : `, ETA ${fmt(s.eta_seconds / 60, 1)} min`;
      $("summary").innerHTML = `<b>${esc(s.id)}</b> <span class="state ${s.state}">${s.state}</span>
        ${s.trials.completed}/${s.trials.total} trials, ${s.trials.failed} failed, ${s.trials.pending} running;
        best cost ${s.best ? fmt(s.best.cost) + " (trial " + s.best.trial + ")" : "–"}${eta}${s.output ? "; output " + esc(s.output) : ""}`;
      $("incumbent").innerHTML = s.incumbent == null ? "" :
        `<tr><th>block</th><th>technique</th><th>weights</th><th>parameters</th></tr>` +
        s.incumbent.blocks.map((b) => `<tr><td>${esc(b.block)}</td><td>${swatch(b.technique)}</td>
          <td>${weightsOf(b, 3, ", ", "")}</td><td>${chosen(b, 3).trim()}</td></tr>`).join("");
      const ran = Object.fromEntries(s.workers.map((w) => [w.worker, w]));
      const ids = new Set([...pool.map((w) => w.id), ...Object.keys(ran)]);
      $("workers").innerHTML = `<tr><th>worker</th><th>node</th><th>device</th><th>trials</th><th>busy</th></tr>` +
        [...ids].sort().map((id) => {
          const p = pool.find((w) => w.id === id) || {};
          const r = ran[id] || {trials: 0, busy_seconds: 0, busy_share: 0};
          return `<tr><td>${esc(id)}</td><td>${esc(p.node || "–")}</td><td>${esc(p.device || "–")}</td><td>${r.trials}</td>
            <td><span class="bar" style="width:${Math.round(60 * r.busy_share)}px"></span> ${fmt(100 * r.busy_share, 0)} % (${fmt(r.busy_seconds, 1)} s)</td></tr>`;
        }).join("");
    }).catch(() => {});
  }

  function render() {
    if (dirty && costChart) {
      dirty = false;
      costChart.setData(costData());
      drawParams();
      drawTrials();
    }
    requestAnimationFrame(render);
  }

  // For scripts and the browser test: how many trials the cost chart holds, and how many it draws as points.
  window.automergeDashboard = {
    points: () => (costChart ? costChart.data[0].length : 0),
    drawnCosts: () => (costChart ? costChart.data.slice(1, -1).reduce((n, col) => n + col.filter((v) => v != null).length, 0) : 0),
    search: () => searchId,
  };
  // Every 5 s, and every second while no search is shown, so a new search is drawn from its first trials.
  (function poll() { listSearches(); setTimeout(poll, searchId ? 5000 : 1000); })();
  connect();
  requestAnimationFrame(render);
})();
