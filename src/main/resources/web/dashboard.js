// The live dashboard: renders each "view" event of /dashboard/events (server-sent events).
// No polling: the server pushes a view after every change and a heartbeat every 15 s; the only
// timer here re-renders the time-in-state counters each second from the last view, locally.
"use strict";

// The token came in the URL once; the session cookie carries on. Take it out of the address bar
// and the history entry.
if (location.search.includes("token=")) {
  history.replaceState(null, "", "/dashboard");
}

const COLOURS = {
  answered: "#2e7d32", abandoned: "#b71c1c", machine: "#6d4c41", busy: "#f9a825",
  no_answer: "#90a4ae", unallocated: "#455a64", invalid_number: "#8d6e63", congestion: "#ff7043",
  rejected: "#ad1457", unavailable: "#78909c", callee_hungup: "#5e35b1", failed: "#000000",
  unknown: "#bdbdbd",
};
const CHART_MINUTES = 30;

let skew = 0;           // server clock minus ours, ms

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

function percent(x) {
  return x === null || x === undefined ? "–" : (100 * x).toFixed(2) + " %";
}

function steps(call) {
  if (!call.steps.length) return "";
  const t0 = call.steps[0].at;
  return call.steps.map((s) => `${s.name} +${((s.at - t0) / 1000).toFixed(1)} s`).join(" → ");
}

function renderAgents(view) {
  const grid = document.getElementById("agents");
  grid.replaceChildren();
  if (!view.agents.length) grid.append(el("p", { class: "empty" }, "no agent has logged in"));
  for (const a of view.agents) {
    grid.append(el("div", { class: `agent state-${a.state}`, "data-agent": a.id, "data-state": a.state },
      el("div", { class: "id" }, a.id),
      el("div", { class: "state" }, a.state.replace("_", " ") + (a.pause ? ` (${a.pause})` : "")),
      el("div", { class: "time", "data-since": a.since === null ? "" : a.since },
        a.since === null ? "since before the dashboard" : "")));
  }
  tick();
}

function tick() {
  const now = Date.now() + skew;
  for (const node of document.querySelectorAll(".agent .time[data-since]")) {
    const since = node.getAttribute("data-since");
    if (since) node.textContent = duration(now - Number(since));
  }
}

function renderCalls(view) {
  const body = document.querySelector("#calls tbody");
  body.replaceChildren();
  document.getElementById("calls-count").textContent = view.calls.length;
  if (!view.calls.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "empty" }, "none")));
  for (const c of view.calls) {
    body.append(el("tr", { "data-call": c.id, "data-state": c.state },
      el("td", {}, c.id + (c.kind === "line_check" ? " (line check)" : "")),
      el("td", {}, c.number), el("td", {}, c.state), el("td", {}, c.agent || ""),
      el("td", { class: "steps" }, steps(c))));
  }
  const recent = document.querySelector("#recent tbody");
  recent.replaceChildren();
  for (const c of view.recentCalls) {
    recent.append(el("tr", { "data-ended-call": c.id },
      el("td", {}, c.id), el("td", {}, c.number), el("td", {}, c.outcome),
      el("td", { class: "steps" }, steps(c))));
  }
}

function bar(label, rate, target, cap) {
  const scale = Math.max(cap * 1.5, rate || 0, 0.0001);
  const fill = el("div", { class: "fill" + (rate >= cap ? " over" : "") });
  fill.style.width = `${Math.min(100, (100 * (rate || 0)) / scale)}%`;
  const capMark = el("div", { class: "mark", title: `cap ${percent(cap)}` });
  capMark.style.left = `${(100 * cap) / scale}%`;
  const targetMark = el("div", { class: "mark target", title: `target ${percent(target)}` });
  targetMark.style.left = `${(100 * target) / scale}%`;
  return el("div", { class: "bar", "data-window": label }, fill, targetMark, capMark,
    el("span", { class: "label" }, `${label}: ${percent(rate)} (cap ${percent(cap)}, target ${percent(target)})`));
}

function renderPacing(view) {
  const p = view.level;
  const dl = document.getElementById("pacing");
  dl.replaceChildren();
  const row = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
  row("mode", p.mode);
  row("allowed calls per agent", p.allowedRatio === null ? "–" : p.allowedRatio.toFixed(2));
  row("governor", p.decision);
  row("pacer's last decision", `${p.pacerWanted} new call${p.pacerWanted === 1 ? "" : "s"} to place`);
  row("agents seated / ready", `${p.seatedAgents} / ${p.readyAgents}`);
  row("calls dialing", p.dialing);
  row("calls placed", p.placed);
  const abandon = document.getElementById("abandon");
  abandon.replaceChildren();
  if (p.cap === null) {
    abandon.append(el("p", {}, "No abandon cap: this campaign is not governed (lab profile). "
      + `This run's abandon rate: ${percent(p.sessionAbandonRate)} of live answers.`));
  } else if (p.rate24h === null) {
    abandon.append(el("p", { class: "empty" }, "no decision yet (no agent ready)"));
  } else {
    abandon.append(bar("24 h", p.rate24h, p.target, p.cap), bar("30 d", p.rate30d, p.target, p.cap));
  }
}

function renderChart(view) {
  const svg = document.getElementById("outcomes");
  const ns = "http://www.w3.org/2000/svg";
  const make = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  svg.replaceChildren();
  const W = 600, H = 220, left = 30, bottom = 20, top = 10;
  const nowMinute = Math.floor(view.now / 60000) * 60000;
  const byMinute = new Map(view.outcomes.map((m) => [m.at, m.counts]));
  const minutes = [];
  for (let i = CHART_MINUTES - 1; i >= 0; i--) minutes.push(nowMinute - i * 60000);
  const totals = minutes.map((m) => Object.values(byMinute.get(m) || {}).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const bw = (W - left) / CHART_MINUTES;
  const y = (n) => top + (H - top - bottom) * (1 - n / max);
  svg.append(make("line", { x1: left, y1: y(0), x2: W, y2: y(0), stroke: "#999" }));
  svg.append(make("text", { x: 2, y: y(max) + 4 }, String(max)));
  svg.append(make("text", { x: 2, y: y(0) }, "0"));
  const seen = new Set();
  minutes.forEach((m, i) => {
    let base = 0;
    for (const [outcome, n] of Object.entries(byMinute.get(m) || {})) {
      seen.add(outcome);
      const rect = make("rect", { x: left + i * bw + 1, y: y(base + n), width: bw - 2,
        height: y(base) - y(base + n), fill: COLOURS[outcome] || "#999", "data-outcome": outcome });
      rect.append(make("title", {}, `${new Date(m).toLocaleTimeString()}: ${n} ${outcome}`));
      svg.append(rect);
      base += n;
    }
    if (i % 5 === 4 || i === CHART_MINUTES - 1) {
      const t = new Date(m);
      svg.append(make("text", { x: left + i * bw, y: H - 5 },
        `${String(t.getHours()).padStart(2, "0")}:${String(t.getMinutes()).padStart(2, "0")}`));
    }
  });
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  if (!seen.size) legend.append(el("span", { class: "empty" }, "no call has ended in the last 30 minutes"));
  for (const o of [...seen].sort()) {
    const swatch = el("i");
    swatch.style.background = COLOURS[o] || "#999";
    legend.append(el("span", {}, swatch, o.replace("_", " ")));
  }
}

function renderGoat(view) {
  const g = view.goat;
  const box = document.getElementById("goat");
  box.replaceChildren();
  if (!g.measured) {
    box.append(el("p", { class: "empty" }, g.note));
    return;
  }
  if (g.holdSeconds.length === 0) {
    box.append(el("p", { class: "empty" }, "no goat call has reached an agent yet (" + g.note + ")"));
    return;
  }
  box.append(el("p", {}, `${g.holdSeconds.length} goat calls; held an agent `
    + g.holdSeconds.map((s) => duration(s * 1000)).join(", ")));
}

// The buttons a campaign in each state offers: what the API's start, pause, resume and stop do.
// A stored campaign the floor does not run is started onto it (it dials beside the others).
const ACTIONS = {
  dialing: ["pause", "stop"], paused: ["resume", "stop"], stopped: ["start"], stored: ["start"],
};

// The stored campaigns the floor does not run, asked again whenever the floor's campaigns change.
let storedCampaigns = [];
let floorNames = null;
let lastFloorView = null;

async function fetchStored() {
  const response = await fetch("/dashboard/stored", { credentials: "same-origin" });
  if (!response.ok) return;
  storedCampaigns = (await response.json()).campaigns || [];
  if (lastFloorView) renderFloor(lastFloorView);
}

let actionToken = null; // the session's request token, sent with every button (not the cookie)

async function fetchActionToken() {
  const response = await fetch("/dashboard/session", { credentials: "same-origin" });
  if (response.ok) actionToken = (await response.json()).actionToken;
}

async function act(campaign, action) {
  const message = document.getElementById("floor-message");
  message.textContent = `${action} ${campaign}…`;
  try {
    if (actionToken === null) await fetchActionToken();
    const response = await fetch(
      `/dashboard/campaigns/${encodeURIComponent(campaign)}/${action}`,
      { method: "POST", credentials: "same-origin", headers: { "X-Dashboard-Token": actionToken || "" } });
    const body = await response.json().catch(() => ({}));
    message.textContent = response.ok
      ? `${campaign}: ${body.state || action}`
      : `${campaign}: ${action} refused (${response.status}): ${body.detail || response.statusText}`;
    message.setAttribute("data-result", response.ok ? "ok" : "refused");
  } catch (e) {
    message.textContent = `${campaign}: ${action} failed: ${e}`;
    message.setAttribute("data-result", "failed");
  }
}

function actionButtons(name, state) {
  return el("td", {}, ...(ACTIONS[state] || []).map((action) => {
    const button = el("button", { type: "button", "data-action": action }, action);
    button.addEventListener("click", () => act(name, action));
    return button;
  }));
}

function renderFloor(view) {
  lastFloorView = view;
  const onFloor = (view.floorCampaigns || []).map((c) => c.name);
  const names = onFloor.join("\n");
  if (names !== floorNames) {
    floorNames = names;
    fetchStored(); // renders again when it answers
  }
  const campaigns = document.querySelector("#floor-campaigns tbody");
  const rows = (view.floorCampaigns || []).map((c) => el("tr", { "data-campaign": c.name }, ...[
    el("td", {}, c.name), el("td", { class: "state" }, c.state), el("td", {}, String(c.priority)),
    el("td", {}, String(c.weight)), el("td", {}, String(c.placed)), el("td", {}, String(c.dialing)),
    el("td", {}, (100 * c.abandonRate24h).toFixed(1) + " %"),
    actionButtons(c.name, c.state),
  ]));
  for (const name of storedCampaigns.filter((n) => !onFloor.includes(n))) {
    rows.push(el("tr", { "data-campaign": name }, ...[
      el("td", {}, name), el("td", { class: "state" }, "stored"), el("td", {}, ""), el("td", {}, ""),
      el("td", {}, ""), el("td", {}, ""), el("td", {}, ""), actionButtons(name, "stored"),
    ]));
  }
  campaigns.replaceChildren(...rows);
  const queues = document.querySelector("#floor-queues tbody");
  queues.replaceChildren(...(view.queues || []).map((q) => el("tr", {}, ...[
    el("td", {}, q.name), el("td", {}, String(q.waiting)),
    el("td", {}, Object.entries(q.outcomes).map(([o, n]) => `${o} ${n}`).join(", ") || "none"),
    el("td", {}, String(q.answeredWithin)),
  ])));
  document.getElementById("floor-queues").hidden = (view.queues || []).length === 0;
}

function render(view) {
  skew = view.now - Date.now();
  document.getElementById("campaign").textContent = view.campaign;
  const state = document.getElementById("campaign-state");
  state.textContent = view.state;
  state.setAttribute("data-state", view.state);
  renderFloor(view);
  renderAgents(view);
  renderCalls(view);
  renderPacing(view);
  renderChart(view);
  renderGoat(view);
  document.body.setAttribute("data-updated", String(view.now));
}

function connect() {
  fetchActionToken().catch(() => {}); // asked again by the first button if this failed
  const status = document.getElementById("connection");
  const events = new EventSource("/dashboard/events");
  events.addEventListener("view", (e) => render(JSON.parse(e.data)));
  events.onopen = () => { status.textContent = "live"; status.className = "online"; };
  events.onerror = () => {
    // EventSource reconnects by itself; it gives up (CLOSED) when the session is gone (401).
    status.className = "offline";
    status.textContent = events.readyState === EventSource.CLOSED
      ? "disconnected: reload the page (or sign in again)" : "reconnecting…";
  };
}

setInterval(tick, 1000);
connect();
