// MarketSim studio page: knobs built from /api/knobs, a what-if sent after each change (the server cancels the
// session's earlier one), the answer drawn from the server's SVG and formatted numbers. No library, nothing remote.
"use strict";

const session = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).replace(/[^A-Za-z0-9-]/g, "");
const knobs = new Map();   // path -> {knob, get(), set(value)}
let timer = null;
let sequence = 0;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function changedSets() {
  const sets = {};
  for (const [path, k] of knobs) {
    const v = k.get();
    if (v !== k.knob.value) sets[path] = v;
  }
  return sets;
}

function markChanged() {
  for (const [, k] of knobs) k.box.classList.toggle("changed", k.get() !== k.knob.value);
}

function numberKnob(k, box) {
  const text = el("input", { type: "text", class: "value", "data-path": k.path, value: k.value, "aria-label": k.path });
  const row = el("div", { class: "row" });
  let slider = null;
  if (k.sliderMin !== null && k.sliderMax !== null) {
    const step = k.kind === "integer" ? 1 : (k.sliderMax - k.sliderMin) / 200;
    slider = el("input", { type: "range", min: k.sliderMin, max: k.sliderMax, step: step, value: k.value, "data-slider": k.path, "aria-label": k.path + " slider" });
    slider.addEventListener("input", () => {
      text.value = k.kind === "integer" ? String(Math.round(+slider.value)) : String(+(+slider.value).toPrecision(6));
      changed();
    });
    row.append(slider);
  }
  text.addEventListener("change", () => { if (slider && !isNaN(+text.value)) slider.value = text.value; changed(); });
  row.append(text);
  box.append(row, el("div", { class: "range-note", text: k.rangeNote }));
  return { get: () => text.value.trim(), set: v => { text.value = v; if (slider) slider.value = v; } };
}

function dateKnob(k, box) {
  const input = el("input", { type: "text", class: "value", "data-path": k.path, value: k.value, placeholder: "yyyy-mm-dd", "aria-label": k.path });
  input.addEventListener("change", changed);
  box.append(el("div", { class: "row" }, input), el("div", { class: "range-note", text: k.rangeNote }));
  return { get: () => input.value.trim(), set: v => { input.value = v; } };
}

function tiersKnob(k, box) {
  const row = el("div", { class: "row", "data-path": k.path });
  const boxes = k.choices.map(id => {
    const c = el("input", { type: "checkbox", value: id, "data-tier": id });
    c.checked = k.value.split(",").includes(id);
    c.addEventListener("change", changed);
    row.append(el("label", {}, c, id));
    return c;
  });
  box.append(row);
  const get = () => boxes.filter(c => c.checked).map(c => c.value).join(",");
  return { get, set: v => boxes.forEach(c => { c.checked = v.split(",").includes(c.value); }) };
}

function buildKnobs(data) {
  const root = document.getElementById("knobs");
  const groups = new Map();
  const advanced = el("details", {}, el("summary", { text: "Advanced: platform attributes per tier" }));
  for (const k of data.knobs) {
    let fs = groups.get(k.group);
    if (!fs) {
      fs = el("fieldset", {}, el("legend", { text: k.group }));
      groups.set(k.group, fs);
      (k.advanced ? advanced : root).append(fs);
    }
    const box = el("div", { class: "knob" }, el("label", { text: k.label }));
    const control = k.kind === "tiers" ? tiersKnob(k, box) : k.kind.endsWith("date") ? dateKnob(k, box) : numberKnob(k, box);
    box.append(el("div", { class: "problem", "data-problem": k.path }));
    fs.append(box);
    knobs.set(k.path, { knob: k, box, ...control });
  }
  root.append(advanced);
  const tier = document.getElementById("tier");
  for (const [i, t] of data.tiers.entries()) tier.append(el("option", { value: String(i), text: t.name }));
}

function clearProblems() {
  for (const p of document.querySelectorAll("[data-problem]")) p.textContent = "";
  document.getElementById("problems").textContent = "";
}

function showProblems(problems) {
  clearProblems();
  for (const p of problems) {
    const spot = p.path ? document.querySelector(`[data-problem="${CSS.escape(p.path)}"]`) : null;
    const target = spot || document.getElementById("problems");
    target.textContent += (target.textContent ? "\n" : "") + p.message;
  }
}

function changed() {
  markChanged();
  clearTimeout(timer);
  timer = setTimeout(ask, 250);
}

async function post(url, body) {
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch { data = null; }
  return { status: r.status, data };
}

async function ask() {
  const mine = ++sequence;
  const status = document.getElementById("status");
  status.textContent = "Computing the what-if…";
  status.classList.add("busy");
  const { status: code, data } = await post("/api/whatif", { session, sets: changedSets(), tier: +document.getElementById("tier").value });
  if (mine !== sequence) return;          // a later change has been sent: its answer is the one to show
  status.classList.remove("busy");
  if (code === 409) return;
  if (code !== 200) {
    status.textContent = "Not computed: see the messages beside the knobs.";
    showProblems((data && data.problems) || [{ path: "", message: `error: the studio answered ${code}` }]);
    return;
  }
  clearProblems();
  render(data);
}

function render(a) {
  document.getElementById("status").textContent =
    `Answered in ${a.seconds.toFixed(1)} s, ${a.simulateSeconds.toFixed(1)} s of it simulating (${a.agents.toLocaleString("en")} agents × ${a.replications} replications; ` +
    `${a.baselineCached ? "baseline from the cache" : "baseline simulated"}` +
    `${a.startsReused > 0 ? `, ${a.startsReused} start state(s) reused` : ""}). ` +
    (a.firstDifference ? `Runs differ from ${a.firstDifference}.` : "No difference from the baseline.");
  const headline = document.getElementById("headline");
  headline.replaceChildren(el("li", { text: `Annual-active users on ${a.finalDate}, all tiers, ${a.scenario} − ${a.baseline}:` }),
    ...a.headline.map(h => el("li", { text: h })));
  const charts = document.getElementById("charts");
  charts.replaceChildren(...a.charts.map(c => {
    const d = el("div", { class: "chart", title: c.title });
    d.innerHTML = c.svg;
    return d;
  }));
  document.getElementById("tier-note").textContent =
    `Annual-active users on ${a.finalDate}; GMV and supplied GMV summed ${a.totalsPeriod === "no difference" ? "(no difference)" : "from " + a.totalsPeriod.replace(" to ", " to ")}; scenario − baseline.`;
  const head = el("tr", {}, el("th", { text: "Tier" }), ...a.platforms.map(p => el("th", { text: p })));
  const rows = [];
  for (const t of a.tiers) {
    rows.push(el("tr", {}, el("td", { text: `${t.tier}: users` }), ...t.users.map(v => el("td", { text: v }))));
    rows.push(el("tr", {}, el("td", { text: `${t.tier}: GMV` }), ...t.gmv.map(v => el("td", { text: v }))));
    rows.push(el("tr", {}, el("td", { text: `${t.tier}: supplied GMV` }), ...t.supplied.map(v => el("td", { text: v }))));
  }
  document.getElementById("tiers").replaceChildren(el("table", { id: "tier-table" }, head, ...rows));
  document.getElementById("legend").textContent = a.legend;
}

function follow(job, bar, onDone, onFailed) {
  bar.hidden = false;
  bar.value = 0;
  const events = new EventSource(`/api/jobs/${job}/events`);
  events.addEventListener("progress", e => {
    const p = JSON.parse(e.data);
    bar.max = Math.max(1, p.total);
    bar.value = p.done;
  });
  events.addEventListener("done", e => { events.close(); bar.value = bar.max; onDone(JSON.parse(e.data)); });
  events.addEventListener("failed", e => { events.close(); onFailed(JSON.parse(e.data).error); });
}

async function attribute() {
  const out = document.getElementById("attribution");
  out.textContent = "Running every combination of clauses…";
  const { status, data } = await post("/api/attribution", { session, sets: changedSets() });
  if (status !== 202) { out.textContent = ""; showProblems(data.problems); return; }
  follow(data.job, document.getElementById("attribution-progress"), r => {
    const head = el("tr", {}, el("th", { text: "Clause (annual-active users at the end)" }), ...r.platforms.map(p => el("th", { text: p })));
    const rows = r.rows.map(x => el("tr", {}, el("td", { text: x.clause }), ...x.values.map(v => el("td", { text: v }))));
    out.replaceChildren(el("ul", {}, ...r.summary.map(s => el("li", { text: s }))), el("table", { id: "attribution-table" }, head, ...rows));
  }, error => { out.textContent = error; });
}

async function save(thenCompare) {
  const result = document.getElementById("save-result");
  result.textContent = "";
  const body = { name: document.getElementById("save-name").value, sets: changedSets() };
  const { status, data } = await post(thenCompare ? "/api/compare" : "/api/save", body);
  if (status !== 200 && status !== 202) { showProblems(data.problems); return; }
  clearProblems();
  if (!thenCompare) {
    result.replaceChildren(el("p", { id: "saved-file", text: `Saved ${data.file}` }), el("pre", { text: data.yaml }));
    return;
  }
  result.replaceChildren(el("p", { text: `Saved ${data.file}; comparing it with the baseline in the background…` }));
  follow(data.job, document.getElementById("compare-progress"), r => {
    result.append(el("p", {}, el("a", { id: "report-link", href: r.report, target: "_blank", text: "The comparison's report" }), ` (in ${r.folder})`));
  }, error => { result.append(el("p", { class: "problem", text: error })); });
}

async function main() {
  const r = await fetch("/api/knobs");
  const data = await r.json();
  document.getElementById("about").textContent =
    `${data.scenario} against its baseline ${data.baseline}; ${data.agents.toLocaleString("en")} agents × ${data.replications} replications per what-if.`;
  buildKnobs(data);
  document.getElementById("tier").addEventListener("change", ask);
  document.getElementById("reset").addEventListener("click", () => { for (const [, k] of knobs) k.set(k.knob.value); changed(); });
  document.getElementById("attribute").addEventListener("click", attribute);
  document.getElementById("save").addEventListener("click", () => save(false));
  document.getElementById("compare").addEventListener("click", () => save(true));
  ask();
}

main();
