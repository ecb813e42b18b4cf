// twinport's dashboard: reads the server's JSON under /_twinport/ and draws it. Jobs are polled
// every second; the resources are read again when a job ends, and the lists every few seconds.
"use strict";

const API = "/_twinport/";
const JOB_POLL_MS = 1000;
const LISTS_POLL_MS = 5000;
const TERMINAL = new Set(["COMPLETED", "ERROR", "CANCELLED"]);

const view = {
  account: null,
  region: null,
  workspace: null,
  bucket: null,
  jobStates: new Map(), // job id -> state last seen, to notice a job ending
  jobCards: new Map(), // job id -> its card's elements, updated in place
  modelNames: new Map(), // asset model id -> name
};

// --- helpers -----------------------------------------------------------------------------

const $ = (selector) => document.querySelector(selector);
const number = (n) => n.toLocaleString("en-US");
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node[name] = value;
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function table(headings, rows, props = {}) {
  const head = el("tr", {}, ...headings.map((h) => el("th", {}, h)));
  const body = el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells)));
  return el("table", props, el("thead", {}, head), body);
}

const muted = (text) => el("li", { class: "muted" }, text);

async function get(path, params = {}) {
  const given = Object.entries(params).filter(([, v]) => v !== null && v !== undefined);
  const response = await fetch(`${API}${path}?${new URLSearchParams(given)}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

const scope = () => ({ account: view.account, region: view.region });
const hasScope = () => Boolean(view.account && view.region);

function fillSelect(select, values, labels, selected) {
  const wanted = values.map((v, i) => `${v}\t${labels[i]}`).join("\n");
  if (select.dataset.options !== wanted) {
    select.replaceChildren(...values.map((v, i) => el("option", { value: v }, labels[i])));
    select.dataset.options = wanted;
  }
  select.value = selected ?? "";
}

function showError(container, error) {
  container.replaceChildren(el("p", { class: "error" }, error.message));
}

// --- account and region ------------------------------------------------------------------

async function loadAccounts() {
  const { accounts } = await get("accounts");
  const regionsOf = new Map(accounts.map((a) => [a.accountId, a.regions]));
  view.account ??= accounts[0]?.accountId ?? null;
  // The account and region chosen are offered even before they hold anything.
  const ids = [...new Set([...regionsOf.keys(), view.account].filter(Boolean))];
  fillSelect($("#account"), ids, ids, view.account);
  const regions = regionsOf.get(view.account) || [];
  view.region ??= regions[0] ?? null;
  const shown = [...new Set([...regions, view.region].filter(Boolean))];
  fillSelect($("#region"), shown, shown, view.region);
}

function changeScope() {
  view.account = $("#account").value || null;
  view.region = $("#region").value || null;
  view.workspace = null;
  view.bucket = null;
  view.jobStates.clear();
  view.jobCards.clear();
  $("#jobs").replaceChildren();
  const query = new URLSearchParams({ account: view.account ?? "", region: view.region ?? "" });
  history.replaceState(null, "", `?${query}`);
  pollJobs();
  loadResources();
}

// --- jobs --------------------------------------------------------------------------------

async function pollJobs() {
  const connection = $("#connection");
  try {
    const jobs = hasScope() ? (await get("jobs", { ...scope(), limit: 50 })).jobs : [];
    connection.textContent = `updated ${new Date().toLocaleTimeString()}`;
    connection.classList.remove("error");
    drawJobs(jobs);
  } catch (error) {
    connection.textContent = `server unreachable: ${error.message}`;
    connection.classList.add("error");
  }
}

function drawJobs(jobs) {
  let ended = false;
  for (const job of jobs) {
    const before = view.jobStates.get(job.jobId);
    const now = job.status.state;
    ended ||= before !== undefined && before !== now && TERMINAL.has(now);
    view.jobStates.set(job.jobId, now);
  }
  const container = $("#jobs");
  if (jobs.length) {
    // Cards are moved, not rebuilt, so that an opened report stays open.
    container.replaceChildren(...jobs.map((job) => jobCard(job).root));
  } else {
    container.replaceChildren(el("p", { class: "muted" }, "No jobs in this account and region."));
  }
  if (ended) loadResources();
}

function newJobCard(job) {
  const card = {
    state: el("span", { class: "state" }),
    bar: el("progress"),
    counts: el("span", { class: "counts" }),
    error: el("p", { class: "error", hidden: true }),
    report: el("div", { class: "report" }),
    reportAsked: false,
  };
  const head = el(
    "div",
    { class: "job-head" },
    el("code", {}, job.jobId),
    el("span", { class: "pair" }, `${job.source} → ${job.destination}`),
    card.state,
    el("time", { class: "muted" }, when(job.created)),
  );
  const progress = el("div", { class: "job-progress" }, card.bar, card.counts);
  card.root = el("article", { class: "job" }, head, progress, card.error, card.report);
  card.root.dataset.jobId = job.jobId;
  return card;
}

function jobCard(job) {
  let card = view.jobCards.get(job.jobId);
  if (!card) {
    card = newJobCard(job);
    view.jobCards.set(job.jobId, card);
  }
  const state = job.status.state;
  card.state.textContent = state;
  card.state.className = `state state-${state.toLowerCase()}`;
  drawProgress(card, job);
  const error = job.status.error;
  card.error.hidden = !error;
  card.error.textContent = error ? `${error.code}: ${error.message}` : "";
  if (TERMINAL.has(state) && job.report && !card.reportAsked) {
    card.reportAsked = true;
    loadReport(job, card.report);
  }
  return card;
}

function drawProgress(card, job) {
  const progress = job.progress;
  const ended = TERMINAL.has(job.status.state);
  if (!progress) {
    card.bar.removeAttribute("value"); // indeterminate until the job has counted its file
    card.bar.hidden = ended;
    card.counts.textContent = ended ? "" : "waiting to run";
    return;
  }
  const done = progress.succeededCount + progress.skippedCount + progress.failedCount;
  card.bar.hidden = false;
  card.bar.max = Math.max(progress.totalCount, 1);
  card.bar.value = done;
  const parts = [`${number(done)} of ${number(progress.totalCount)}`];
  if (progress.skippedCount) parts.push(`${number(progress.skippedCount)} skipped`);
  if (progress.failedCount) parts.push(`${number(progress.failedCount)} failed`);
  card.counts.textContent = parts.join(" · ");
}

async function loadReport(job, container) {
  try {
    const { report } = await get("jobs/report", { ...scope(), jobId: job.jobId });
    if (!report) return;
    if (!report.errorCount) {
      const text = `Report ${report.location}: no errors`;
      container.replaceChildren(el("p", { class: "muted" }, text));
      return;
    }
    const rows = report.errors.map((e) => [
      el("td", {}, e.resourceType),
      el("td", {}, el("code", {}, e.resourceId ?? "")),
      el("td", {}, e.errorCode),
      el("td", {}, e.errorMessage),
    ]);
    const count = report.errors.length;
    const shown = count < report.errorCount ? ` (the first ${number(count)} shown)` : "";
    const summary = `${number(report.errorCount)} errors in the report ${report.location}`;
    container.replaceChildren(
      el(
        "details",
        {},
        el("summary", {}, summary + shown),
        table(["Resource", "Id", "Code", "Message"], rows),
      ),
    );
  } catch (error) {
    showError(container, error);
  }
}

// --- trees, read one level (one page of children) at a time --------------------------------

function treeNode(id, label, detail, hasChildren, loadInto) {
  const children = el("ul", { hidden: true });
  const toggle = el(
    "button",
    { class: "toggle", type: "button", disabled: !hasChildren },
    hasChildren ? "▸" : "·",
  );
  let loaded = false;
  toggle.addEventListener("click", async () => {
    children.hidden = !children.hidden;
    toggle.textContent = children.hidden ? "▸" : "▾";
    if (!children.hidden && !loaded) {
      loaded = true;
      await loadInto(children);
    }
  });
  const name = el("span", { class: "label" }, label);
  const node = el("li", {}, toggle, name, el("span", { class: "muted" }, detail), children);
  node.dataset.id = id;
  return node;
}

function moreButton(list, loadMore) {
  const item = el("li", { class: "more" });
  const showMore = () => {
    item.remove();
    loadMore();
  };
  item.append(el("button", { type: "button", onclick: showMore }, "more…"));
  list.append(item);
}

async function loadEntities(list, parentId = null, after = null) {
  const params = { ...scope(), workspaceId: view.workspace, parentId, after };
  try {
    const page = await get("entities", params);
    for (const e of page.entities) {
      const load = (into) => loadEntities(into, e.entityId);
      const name = e.entityName || e.entityId;
      list.append(treeNode(e.entityId, name, e.entityId, e.hasChildren, load));
    }
    if (page.next) moreButton(list, () => loadEntities(list, parentId, page.next));
    if (!list.children.length) list.append(muted("No entities"));
  } catch (error) {
    showError(list, error);
  }
}

async function loadAssets(list, parentId = null, after = null) {
  try {
    const page = await get("assets", { ...scope(), parentId, after });
    for (const a of page.assets) {
      const model = view.modelNames.get(a.assetModelId) || a.assetModelId;
      const detail = a.hierarchyName ? `${model}, in ${a.hierarchyName}` : model;
      const load = (into) => loadAssets(into, a.assetId);
      list.append(treeNode(a.assetId, a.assetName, detail, a.hasChildren, load));
    }
    if (page.next) moreButton(list, () => loadAssets(list, parentId, page.next));
    if (!list.children.length) list.append(muted("No assets"));
  } catch (error) {
    showError(list, error);
  }
}

// --- resources ---------------------------------------------------------------------------

async function loadWorkspaces() {
  const select = $("#workspace");
  const { workspaces } = hasScope() ? await get("workspaces", scope()) : { workspaces: [] };
  const ids = workspaces.map((w) => w.workspaceId);
  if (!ids.includes(view.workspace)) view.workspace = ids[0] ?? null;
  const labels = workspaces.map((w) => `${w.workspaceId} (${number(w.entityCount)} entities)`);
  fillSelect(select, ids, labels, view.workspace);
  select.disabled = !ids.length;
}

async function loadEntityTree() {
  const tree = $("#entities");
  tree.replaceChildren();
  if (view.workspace) await loadEntities(tree);
  else tree.append(muted("No workspaces"));
}

async function loadAssetModels() {
  const list = $("#asset-models");
  const { assetModels } = hasScope() ? await get("asset-models", scope()) : { assetModels: [] };
  view.modelNames = new Map(assetModels.map((m) => [m.assetModelId, m.assetModelName]));
  const child = (h) => view.modelNames.get(h.childAssetModelId) || h.childAssetModelId;
  list.replaceChildren(
    ...assetModels.map((model) => {
      const links = model.hierarchies.map((h) => `${h.name} → ${child(h)}`);
      const text = links.length ? links.join(", ") : "no hierarchies";
      const name = el("strong", {}, model.assetModelName);
      return el("li", {}, name, el("span", { class: "muted" }, text));
    }),
  );
  if (!assetModels.length) list.append(muted("No asset models"));
}

async function loadAssetTree() {
  const tree = $("#assets");
  tree.replaceChildren();
  if (hasScope()) await loadAssets(tree);
}

async function loadBuckets() {
  const list = $("#buckets");
  const answer = view.account
    ? await get("buckets", { account: view.account })
    : { embedded: true, buckets: [] };
  if (!answer.embedded) {
    list.replaceChildren(muted("twinport uses another S3 endpoint"));
    return;
  }
  const names = answer.buckets.map((b) => b.name);
  if (!names.includes(view.bucket)) view.bucket = names[0] ?? null;
  list.replaceChildren(
    ...names.map((name) => {
      const props = { type: "button", onclick: () => selectBucket(name) };
      if (name === view.bucket) props.class = "selected";
      return el("li", {}, el("button", props, name));
    }),
  );
  if (!names.length) list.append(muted("No buckets"));
}

function selectBucket(name) {
  view.bucket = name;
  for (const button of document.querySelectorAll("#buckets button")) {
    button.classList.toggle("selected", button.textContent === name);
  }
  loadObjects();
}

async function loadObjects(after = null) {
  const container = $("#objects");
  if (!view.bucket) {
    container.replaceChildren();
    return;
  }
  try {
    const page = await get("objects", { account: view.account, bucket: view.bucket, after });
    if (!after) {
      const headings = ["Key", "Size", "Last modified"];
      container.replaceChildren(table(headings, [], { class: "objects" }));
    }
    container.querySelector(".more")?.remove();
    const body = container.querySelector("tbody");
    for (const o of page.objects) {
      const key = el("td", {}, el("code", {}, o.key));
      const size = el("td", { class: "number" }, number(o.size));
      body.append(el("tr", {}, key, size, el("td", {}, when(o.lastModified))));
    }
    if (!body.children.length) {
      body.append(el("tr", {}, el("td", { class: "muted", colSpan: 3 }, "No objects")));
    }
    if (page.next) {
      const more = () => loadObjects(page.next);
      container.append(el("button", { type: "button", class: "more", onclick: more }, "more…"));
    }
  } catch (error) {
    showError(container, error);
  }
}

async function loadResources() {
  const results = await Promise.allSettled([
    loadWorkspaces().then(loadEntityTree),
    loadAssetModels().then(loadAssetTree),
    loadBuckets().then(() => loadObjects()),
  ]);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) $("#connection").textContent = failed.reason.message;
}

async function refreshLists() {
  // Counts and new resources, without closing what the user opened.
  const { workspace, bucket } = view;
  await Promise.allSettled([loadAccounts(), loadWorkspaces(), loadBuckets()]);
  if (view.workspace !== workspace) loadEntityTree();
  if (view.bucket !== bucket) loadObjects();
}

// --- start -------------------------------------------------------------------------------

function every(milliseconds, task) {
  const run = async () => {
    await task();
    setTimeout(run, milliseconds);
  };
  setTimeout(run, milliseconds);
}

async function start() {
  const asked = new URLSearchParams(location.search); // ?account=...&region=... to link a scope
  view.account = asked.get("account");
  view.region = asked.get("region");
  $("#account").addEventListener("change", (event) => {
    view.account = event.target.value;
    view.region = null;
    loadAccounts().then(changeScope);
  });
  $("#region").addEventListener("change", changeScope);
  $("#workspace").addEventListener("change", (event) => {
    view.workspace = event.target.value;
    loadEntityTree();
  });
  try {
    await loadAccounts();
  } catch (error) {
    $("#connection").textContent = `server unreachable: ${error.message}`;
  }
  await Promise.all([pollJobs(), loadResources()]);
  every(JOB_POLL_MS, pollJobs);
  every(LISTS_POLL_MS, refreshLists);
}

start();
