"use strict";
// The dashboard: everything it shows comes from the control API (same origin, JSON bodies), for one
// session at a time. Text from requests (paths, reasons, records) is only ever set as textContent.
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const TOKEN_KEY = "ticketmock.controlToken";
  const NAME = /^[A-Za-z0-9._-]{1,64}$/;
  const POLL_MS = 1000;
  const JOURNAL_ROWS = 300;
  const LISTED_RECORDS = 200;
  const apis = Object.fromEntries(config.apis.map((api) => [api.slug, api]));
  const state = {session: config.session, after: 0, timer: 0, waitingForToken: false, sessionsAt: 0, browsed: null};

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function say(message, kind) {
    const status = $("#status");
    status.textContent = message;
    status.className = kind || "";
  }

  class ControlError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // --- the control API -------------------------------------------------------------------------

  function headers() {
    const sent = {"Accept": "application/json", "X-Ticketmock-Session": state.session,
                  "X-Ticketmock-Client": "dashboard"};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) sent.Authorization = `Bearer ${token}`;
    return sent;
  }

  async function request(method, path, body) {
    const init = {method, headers: headers(), credentials: "same-origin", cache: "no-store"};
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(config.control + path, init);
    } catch (error) {
      throw new ControlError(0, `the mock does not answer (${error.message}): is it still running?`);
    }
    if (response.status === 401) {
      if (sessionStorage.getItem(TOKEN_KEY)) sessionStorage.removeItem(TOKEN_KEY);
      state.waitingForToken = true;
      $("#token-form").hidden = false;
      $("#token").focus();
      throw new ControlError(401, "the control API asks for a token: enter it above");
    }
    if (!response.ok) {
      const text = await response.text();
      let detail = text;
      try {
        const data = JSON.parse(text);
        detail = data.detail || data.message || data.title || text;
      } catch (_) { /* not JSON: show the text */ }
      throw new ControlError(response.status, `${method} ${config.control}${path}: ${response.status} ${detail}`);
    }
    return response;
  }

  async function control(method, path, body) {
    const response = await request(method, path, body);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  async function act(work, message, ...then) {
    try {
      await work();
      say(message, "ok");
    } catch (error) {
      say(error.message, "error");
      return;
    }
    await Promise.allSettled(then.map((refresh) => refresh()));
  }

  // --- APIs ----------------------------------------------------------------------------------------

  function sessionPrefix() {
    return state.session === "default" ? "" : `/_session/${state.session}`;
  }

  function updateLinks() {
    const prefix = sessionPrefix();
    for (const row of $$("#apis tbody tr")) {
      const api = apis[row.dataset.slug];
      const base = location.origin + prefix + api.basePath;
      $(".base", row).textContent = base;
      $(".ui", row).href = `${prefix}${api.basePath}/ui/`;
      $(".index", row).href = prefix + api.basePath;
      $(".curl", row).textContent = api.curl.replace("{BASE}", base);
    }
  }

  async function refreshApis() {
    const data = await control("GET", "/apis");
    for (const api of data.apis) {
      const cell = $(`#apis tr[data-slug="${CSS.escape(api.slug)}"] .records`);
      if (!cell) continue;
      const counts = Object.entries(api.records);
      cell.textContent = String(counts.reduce((sum, [, count]) => sum + count, 0));
      cell.title = counts.map(([name, count]) => `${name}: ${count}`).join("\n");
    }
  }

  // --- journal -------------------------------------------------------------------------------------

  function journalRow(entry) {
    const status = entry.status === null || entry.status === undefined ? "" : String(entry.status);
    let reason = Number(status) >= 400 ? entry.reason || "" : "";
    if (entry.fault) reason = `injected fault #${entry.fault}${reason ? `: ${reason}` : ""}`;
    return el("tr", {class: `fresh${entry.fault ? " fault" : ""}`, "data-id": entry.id, "data-status": status},
      el("td", {text: (entry.time || "").slice(11, 23)}),
      el("td", {text: entry.method}),
      el("td", {text: entry.path + (entry.query ? `?${entry.query}` : "")}),
      el("td", {class: `num s${status.charAt(0)}`, text: status}),
      el("td", {text: entry.operationId || ""}),
      el("td", {text: entry.session || ""}),
      el("td", {text: reason}));
  }

  function filterJournal() {
    const errorsOnly = $("#journal-errors").checked;
    const rows = $$("#journal tbody tr");
    for (const row of rows) row.hidden = errorsOnly && Number(row.dataset.status) < 400;
    $("#journal-empty").hidden = rows.length > 0;
  }

  async function pollJournal() {
    const session = state.session;
    const data = await control("GET", state.after ? `/journal?after=${state.after}` : "/journal?limit=100");
    if (session !== state.session || !data.entries.length) return false;
    const body = $("#journal tbody");
    for (const entry of data.entries) {
      if (entry.id <= state.after) continue;
      state.after = entry.id;
      body.prepend(journalRow(entry));
    }
    while (body.rows.length > JOURNAL_ROWS) body.deleteRow(-1);
    filterJournal();
    return true;
  }

  // --- faults --------------------------------------------------------------------------------------

  function fillOperations() {
    const api = apis[$("#fault-api").value];
    $("#fault-operation").replaceChildren(...api.operationIds.map((id) => el("option", {value: id, text: id})));
  }

  async function refreshFaults() {
    const data = await control("GET", "/faults");
    $("#faults tbody").replaceChildren(...data.faults.map((fault) => el("tr", {"data-id": fault.id},
      el("td", {text: fault.id}),
      el("td", {text: fault.api}),
      el("td", {text: fault.operationId}),
      el("td", {class: "num", text: fault.status ?? ""}),
      el("td", {class: "num", text: fault.latencyMs ?? ""}),
      el("td", {text: fault.mode}),
      el("td", {class: "num", text: fault.hits}),
      el("td", {}, el("button", {type: "button", class: "disarm", text: "Disarm",
        onclick: () => act(() => control("DELETE", `/faults/${fault.id}`), `fault #${fault.id} disarmed`,
          refreshFaults)})))));
  }

  // --- sessions ------------------------------------------------------------------------------------

  function ago(milliseconds) {
    const seconds = Math.max(0, Math.round(milliseconds / 1000));
    if (seconds < 90) return `${seconds} s`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86400)} d`;
  }

  async function refreshSessions() {
    state.sessionsAt = Date.now();
    const data = await control("GET", "/sessions");
    const names = data.sessions.map((session) => session.name);
    if (!names.includes(state.session)) names.push(state.session);
    const picker = $("#session");
    picker.replaceChildren(...names.map((name) => el("option", {value: name, text: name})));
    picker.value = state.session;
    const now = Date.now();
    $("#sessions tbody").replaceChildren(...data.sessions.slice(0, 200).map((session) => el("tr",
      {class: session.name === state.session ? "current" : "", "data-name": session.name},
      el("td", {}, el("a", {href: `?session=${encodeURIComponent(session.name)}`, text: session.name,
        onclick: (event) => { event.preventDefault(); choose(session.name); }})),
      el("td", {class: "num", text: ago(now - Date.parse(session.created))}),
      el("td", {class: "num", text: ago(now - Date.parse(session.lastUsed))}),
      el("td", {class: "num", text: session.requests}),
      el("td", {class: "num", text: Object.values(session.records || {}).reduce((sum, count) => sum + count, 0)}),
      el("td", {}, el("button", {type: "button", class: "delete", text: "Delete",
        onclick: () => removeSession(session.name)})))));
  }

  function choose(name) {
    if (name === state.session || !NAME.test(name)) return;
    state.session = name;
    state.after = 0;
    $("#journal tbody").replaceChildren();
    filterJournal();
    const url = new URL(location.href);
    url.searchParams.set("session", name);
    history.replaceState(null, "", url);
    updateLinks();
    say(`acting on session ${name}`, "ok");
    refreshAll();
  }

  async function createSession(name) {
    if (!NAME.test(name)) {
      say(`${JSON.stringify(name)} is not a session name: 1 to 64 of A-Z a-z 0-9 . _ -`, "error");
      return;
    }
    try {
      await control("POST", "/sessions", {name});
    } catch (error) {
      if (error.status !== 409) {
        say(error.message, "error");
        return;
      }
    }
    $("#new-session").value = "";
    choose(name);
  }

  async function removeSession(name) {
    if (name === state.session && name !== "default") choose("default");
    await act(() => control("DELETE", `/sessions/${encodeURIComponent(name)}`), `session ${name} deleted`,
      refreshSessions);
  }

  // --- state browser -------------------------------------------------------------------------------

  async function browse() {
    const slug = $("#state-api").value;
    const data = await control("GET", `/apis/${encodeURIComponent(slug)}/state`);
    state.browsed = data;
    const picker = $("#state-collection");
    const current = picker.value;
    const names = Object.keys(data.collections);
    picker.replaceChildren(...names.map((name) =>
      el("option", {value: name, text: `${name} (${data.collections[name].length})`})));
    if (names.includes(current)) picker.value = current;
    showRecords();
  }

  function showRecords() {
    const list = $("#records");
    list.replaceChildren();
    if (!state.browsed) return;
    const records = state.browsed.collections[$("#state-collection").value] || [];
    const query = $("#state-search").value.trim().toLowerCase();
    let matches = records;
    if (query) {
      // An exact id (any top-level value equal to the query) comes before records that merely mention it.
      const exact = (record) => Object.values(record).some((value) => String(value).toLowerCase() === query);
      matches = records.filter((record) => JSON.stringify(record).toLowerCase().includes(query));
      matches.sort((a, b) => exact(b) - exact(a));
    }
    for (const record of matches.slice(0, LISTED_RECORDS)) {
      const text = JSON.stringify(record);
      const item = el("li", {}, el("span", {class: "mono", text: text.length > 160 ? `${text.slice(0, 157)}...` : text}));
      item.addEventListener("click", (event) => {
        if (event.target.closest("pre")) return;
        const open = $("pre", item);
        if (open) open.remove();
        else item.append(el("pre", {text: JSON.stringify(record, null, 2)}));
      });
      list.append(item);
    }
    const shown = matches.length > LISTED_RECORDS ? ` (the first ${LISTED_RECORDS} shown)` : "";
    $("#state-summary").textContent = `${matches.length} of ${records.length} records${shown}`;
  }

  // --- snapshots -----------------------------------------------------------------------------------

  async function downloadSnapshot() {
    const response = await request("GET", "/snapshot");
    const link = el("a", {href: URL.createObjectURL(await response.blob()), download: `${state.session}.json`});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  async function uploadSnapshot(file) {
    let snapshot;
    try {
      snapshot = JSON.parse(await file.text());
    } catch (error) {
      say(`${file.name} is not JSON: ${error.message}`, "error");
      return;
    }
    await act(() => control("PUT", "/snapshot", snapshot), `loaded ${file.name} into session ${state.session}`,
      refreshApis, browse);
  }

  // --- the loop ------------------------------------------------------------------------------------

  async function refreshAll() {
    const results = await Promise.allSettled([refreshApis(), refreshSessions(), refreshFaults(), browse()]);
    const failed = results.find((result) => result.status === "rejected");
    if (failed) say(failed.reason.message, "error");
    schedule(0);
  }

  function schedule(delay = POLL_MS) {
    clearTimeout(state.timer);
    if (!state.waitingForToken) state.timer = setTimeout(tick, delay);
  }

  async function tick() {
    if (!document.hidden) {
      try {
        if (await pollJournal()) await Promise.all([refreshApis(), refreshFaults()]);
        if (Date.now() - state.sessionsAt > 5000) await refreshSessions();
        if ($("#status").className === "error" && state.lostContact) say("the mock answers again", "ok");
        state.lostContact = false;
      } catch (error) {
        state.lostContact = true;
        say(error.message, "error");
      }
    }
    schedule();
  }

  function copy(text) {
    navigator.clipboard.writeText(text).then(() => say("copied to the clipboard", "ok"),
      () => say("the browser refused the clipboard: select the command and copy it", "error"));
  }

  function wire() {
    const asked = new URL(location.href).searchParams.get("session");
    if (asked && NAME.test(asked)) state.session = asked;
    for (const select of [$("#fault-api"), $("#state-api")]) {
      select.replaceChildren(...config.apis.map((api) => el("option", {value: api.slug, text: api.title})));
    }
    fillOperations();
    $("#fault-api").addEventListener("change", fillOperations);
    $("#fault-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const body = {api: $("#fault-api").value, operationId: $("#fault-operation").value, mode: $("#fault-mode").value};
      if ($("#fault-status").value) body.status = Number($("#fault-status").value);
      if ($("#fault-latency").value) body.latencyMs = Number($("#fault-latency").value);
      const effect = body.status ? `answers ${body.status}` : `waits ${body.latencyMs} ms`;
      act(() => control("POST", "/faults", body), `armed: ${body.operationId} ${effect} (${body.mode})`, refreshFaults);
    });
    $("#faults-clear").addEventListener("click", () =>
      act(() => control("DELETE", "/faults"), "every fault disarmed", refreshFaults));
    $("#reset-all").addEventListener("click", () =>
      act(() => control("POST", "/reset"), `session ${state.session}: every API is back to its fixtures`,
        refreshApis, browse));
    for (const row of $$("#apis tbody tr")) {
      const slug = row.dataset.slug;
      $(".reset", row).addEventListener("click", () =>
        act(() => control("POST", `/apis/${slug}/reset`), `session ${state.session}: ${slug} is back to its fixtures`,
          refreshApis, browse));
      $(".copy", row).addEventListener("click", () => copy($(".curl", row).textContent));
    }
    $("#session").addEventListener("change", (event) => choose(event.target.value));
    $("#session-form").addEventListener("submit", (event) => {
      event.preventDefault();
      createSession($("#new-session").value.trim());
    });
    $("#journal-clear").addEventListener("click", () =>
      act(async () => { await control("DELETE", "/journal"); $("#journal tbody").replaceChildren(); filterJournal(); },
        "journal cleared"));
    $("#journal-errors").addEventListener("change", filterJournal);
    $("#state-api").addEventListener("change", () => browse().catch((error) => say(error.message, "error")));
    $("#state-refresh").addEventListener("click", () => browse().catch((error) => say(error.message, "error")));
    $("#state-collection").addEventListener("change", showRecords);
    $("#state-search").addEventListener("input", showRecords);
    $("#state-form").addEventListener("submit", (event) => event.preventDefault());
    $("#snapshot-download").addEventListener("click", () =>
      act(downloadSnapshot, `snapshot of session ${state.session} downloaded`));
    $("#snapshot-upload").addEventListener("click", () => $("#snapshot-file").click());
    $("#snapshot-file").addEventListener("change", async (event) => {
      const file = event.target.files[0];
      if (file) await uploadSnapshot(file);
      event.target.value = "";
    });
    $("#token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $("#token").value.trim());
      $("#token").value = "";
      $("#token-form").hidden = true;
      state.waitingForToken = false;
      refreshAll();
    });
    document.addEventListener("visibilitychange", () => { if (!document.hidden) schedule(0); });
    updateLinks();
    filterJournal();
    refreshAll();
  }

  wire();
})();
