// paydesk agent console. Plain ES2020, no framework, no external resources.
// Security: all data goes into the DOM through createElement + textContent, never as HTML.
"use strict";

(() => {
  const $ = (sel) => document.querySelector(sel);

  const el = {
    login: $("#login"),
    username: $("#username"),
    password: $("#password"),
    loginButton: $("#login-button"),
    loginError: $("#login-error"),
    app: $("#app"),
    me: $("#me"),
    logout: $("#logout"),
    live: $("#live"),
    liveLabel: $("#live-label"),
    error: $("#console-error"),
    errorText: $("#console-error-text"),
    errorClose: $("#console-error-close"),
    queue: $("#queue"),
    queueBody: $("#queue-body"),
    queueEmpty: $("#queue-empty"),
    queueCount: $("#queue-count"),
    refresh: $("#refresh"),
    filterLanguage: $("#filter-language"),
    filterReason: $("#filter-reason"),
    filterStatus: $("#filter-status"),
    casePlaceholder: $("#case-placeholder"),
    case: $("#case"),
    caseTitle: $("#case-title"),
    caseMeta: $("#case-meta"),
    claimCase: $("#claim-case"),
    handBack: $("#hand-back"),
    resolve: $("#resolve"),
    closeCase: $("#close-case"),
    transcript: $("#transcript"),
    reply: $("#reply"),
    replyText: $("#reply-text"),
    replySend: $("#reply-send"),
    replyNote: $("#reply-note"),
    pending: $("#pending"),
    pendingDetail: $("#pending-detail"),
    approvalNote: $("#approval-note"),
    approve: $("#approve"),
    reject: $("#reject"),
    pendingNote: $("#pending-note"),
    summary: $("#case-summary"),
    ledger: $("#ledger"),
  };

  const LANGUAGES = [
    "en", "de", "sv", "nb", "da", "fi", "nl", "fr", "it", "es", "pt", "pl", "cs", "sk", "hu", "ro", "bg", "el",
    "hr", "sl", "et", "lv", "lt", "tr", "ru", "uk", "ar", "he", "hi", "ja", "ko", "zh", "th", "vi", "id", "ms",
  ];
  const REASONS = ["customer_request", "fraud", "hardship", "approval", "not_understood", "complaint", "other"];
  const QUEUE_TICK_MS = 30000;

  const state = {
    me: null,
    queue: [],
    queueLoadedAt: 0,
    queueRequest: 0,
    queueTimer: null,
    tickTimer: null,
    events: null,
    eventsRetry: null,
    openCaseId: null,
    detail: null,
    caseRequest: 0,
    seenSeqs: new Set(),
    busy: false,
  };

  // ---------------------------------------------------------------- helpers

  let languageNames = null;
  try {
    languageNames = new Intl.DisplayNames(["en"], { type: "language" });
  } catch (_) {
    languageNames = null;
  }
  const languageName = (code) => {
    if (!code) return "";
    try {
      return (languageNames && languageNames.of(code)) || code;
    } catch (_) {
      return code;
    }
  };

  const humanize = (key) => {
    const s = String(key).replace(/_/g, " ").trim();
    return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
  };

  function h(tag, { cls, text, attrs } = {}, children = []) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
    for (const c of children) if (c) node.append(c);
    return node;
  }

  const DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

  function formatDate(value) {
    if (!value) return "—";
    const s = String(value);
    if (!DATE_RE.test(s)) return s;
    if (s.length === 10) return s; // plain date
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) return s;
    return d.toLocaleString(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    });
  }

  function formatTime(value) {
    if (!value) return "";
    const d = new Date(String(value));
    if (Number.isNaN(d.getTime())) return String(value);
    return d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  function formatWaiting(seconds) {
    const s = Math.max(0, Math.floor(Number(seconds) || 0));
    if (s < 60) return "<1 min";
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min`;
    const hrs = Math.floor(m / 60);
    if (hrs < 24) return m % 60 && hrs < 10 ? `${hrs} h ${m % 60} min` : `${hrs} h`;
    const days = Math.floor(hrs / 24);
    return hrs % 24 ? `${days} d ${hrs % 24} h` : `${days} d`;
  }

  const money = (amount, currency) => {
    if (amount === null || amount === undefined || amount === "") return "—";
    return currency ? `${amount} ${currency}` : String(amount);
  };

  function badge(value, extra = "") {
    const v = value == null || value === "" ? "—" : String(value);
    const safe = v.toLowerCase().replace(/[^a-z0-9_-]/g, "");
    return h("span", { cls: `badge badge-${safe} ${extra}`.trim(), text: humanize(v) });
  }

  // ---------------------------------------------------------------- errors

  function showError(message) {
    el.errorText.textContent = message;
    el.error.hidden = false;
  }

  function clearError() {
    el.error.hidden = true;
    el.errorText.textContent = "";
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || `HTTP ${status}`);
      this.status = status;
      this.detail = detail;
    }
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new ApiError(0, `Network error: ${err.message}`);
    }
    if (!response.ok) {
      let detail = "";
      try {
        const b = await response.json();
        if (b && typeof b.detail === "string") detail = b.detail;
        else if (b && b.detail !== undefined) detail = JSON.stringify(b.detail);
      } catch (_) {
        /* not JSON */
      }
      throw new ApiError(response.status, detail || `${response.status} ${response.statusText}`.trim());
    }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    return type.includes("json") ? response.json() : null;
  }

  // Run an agent-side call; show `detail` in #console-error; drop back to login on 401.
  async function guarded(fn) {
    try {
      const result = await fn();
      return result;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && state.me) {
        sessionExpired();
      } else {
        showError(err.message || String(err));
      }
      return undefined;
    }
  }

  // ---------------------------------------------------------------- login / logout

  function showLogin(message) {
    el.app.hidden = true;
    el.login.hidden = false;
    el.loginError.textContent = message || "";
    el.loginError.hidden = !message;
    el.password.value = "";
    (el.username.value ? el.password : el.username).focus();
  }

  function showApp(me) {
    state.me = me;
    el.me.replaceChildren(
      h("span", { cls: "me-name", text: me.name || me.username }),
      h("span", { cls: `badge badge-role badge-${me.role === "supervisor" ? "supervisor" : "agent"}`, text: me.role }),
    );
    el.me.title = me.username || "";
    el.login.hidden = true;
    el.app.hidden = false;
    clearError();
    loadQueue();
    connectEvents();
    if (state.tickTimer) clearInterval(state.tickTimer);
    state.tickTimer = setInterval(renderWaiting, QUEUE_TICK_MS);
  }

  function teardown() {
    state.me = null;
    disconnectEvents();
    if (state.tickTimer) clearInterval(state.tickTimer);
    state.tickTimer = null;
    closeCase();
    state.queue = [];
    el.queueBody.replaceChildren();
  }

  function sessionExpired() {
    teardown();
    showLogin("Your session has ended. Please sign in again.");
  }

  async function onLogin(e) {
    e.preventDefault();
    const username = el.username.value.trim();
    const password = el.password.value;
    if (!username || !password) {
      el.loginError.textContent = "Enter your username and password.";
      el.loginError.hidden = false;
      return;
    }
    el.loginButton.disabled = true;
    el.loginError.hidden = true;
    try {
      const me = await api("POST", "/v1/agent/login", { username, password });
      el.password.value = "";
      showApp(me);
    } catch (err) {
      el.loginError.textContent = err.message || "Sign-in failed";
      el.loginError.hidden = false;
      el.password.select();
    } finally {
      el.loginButton.disabled = false;
    }
  }

  async function onLogout() {
    try {
      await api("POST", "/v1/agent/logout");
    } catch (_) {
      /* logging out anyway */
    }
    teardown();
    showLogin("");
  }

  // ---------------------------------------------------------------- live events

  function setLive(on, label) {
    el.live.classList.toggle("on", on);
    el.liveLabel.textContent = label;
  }

  function connectEvents() {
    disconnectEvents();
    if (typeof EventSource === "undefined") {
      setLive(false, "no live updates");
      return;
    }
    const es = new EventSource("/v1/agent/events", { withCredentials: true });
    state.events = es;
    es.addEventListener("open", () => {
      setLive(true, "live");
      scheduleQueueReload(0);
    });
    es.addEventListener("queue", () => {
      scheduleQueueReload(150);
      scheduleCaseRefresh();
    });
    es.addEventListener("message", (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      onLiveMessage(data);
    });
    es.addEventListener("error", () => {
      if (state.events !== es) return;
      setLive(false, "reconnecting");
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. an HTTP error): check the session, then retry ourselves.
        state.events = null;
        state.eventsRetry = setTimeout(async () => {
          if (!state.me) return;
          try {
            await api("GET", "/v1/agent/me");
            connectEvents();
          } catch (err) {
            if (err instanceof ApiError && err.status === 401) sessionExpired();
            else connectEvents();
          }
        }, 3000);
      }
    });
  }

  function disconnectEvents() {
    if (state.eventsRetry) clearTimeout(state.eventsRetry);
    state.eventsRetry = null;
    if (state.events) state.events.close();
    state.events = null;
    setLive(false, "offline");
  }

  function onLiveMessage(data) {
    if (!data || !state.detail) return;
    const c = state.detail.case || {};
    const sameCase = data.case_id ? data.case_id === c.case_id : data.conversation_id === c.conversation_id;
    if (!sameCase) return;
    appendTranscript(data);
  }

  let caseRefreshTimer = null;
  function scheduleCaseRefresh() {
    if (!state.openCaseId) return;
    if (caseRefreshTimer) clearTimeout(caseRefreshTimer);
    caseRefreshTimer = setTimeout(() => {
      caseRefreshTimer = null;
      if (state.openCaseId && !state.busy) openCase(state.openCaseId, { quiet: true });
    }, 300);
  }

  // ---------------------------------------------------------------- queue

  function fillFilters() {
    const all = (label) => h("option", { text: label, attrs: { value: "" } });
    el.filterLanguage.replaceChildren(all("All languages"));
    for (const code of LANGUAGES) {
      const name = languageName(code);
      el.filterLanguage.append(h("option", { text: name && name !== code ? `${code} — ${name}` : code, attrs: { value: code } }));
    }
    el.filterReason.replaceChildren(all("All reasons"));
    for (const r of REASONS) el.filterReason.append(h("option", { text: humanize(r), attrs: { value: r } }));
  }

  function scheduleQueueReload(delay) {
    if (state.queueTimer) clearTimeout(state.queueTimer);
    state.queueTimer = setTimeout(() => {
      state.queueTimer = null;
      loadQueue();
    }, delay);
  }

  async function loadQueue() {
    if (!state.me) return;
    const params = new URLSearchParams();
    params.set("status", el.filterStatus.value || "queued");
    if (el.filterLanguage.value) params.set("language", el.filterLanguage.value);
    if (el.filterReason.value) params.set("reason", el.filterReason.value);
    const request = ++state.queueRequest;
    el.queue.setAttribute("aria-busy", "true");
    const items = await guarded(() => api("GET", `/v1/agent/queue?${params.toString()}`));
    if (request !== state.queueRequest) return;
    el.queue.removeAttribute("aria-busy");
    if (items === undefined) return;
    state.queue = Array.isArray(items) ? items : [];
    state.queueLoadedAt = Date.now();
    renderQueue();
  }

  function waitingNow(item) {
    const base = Number(item.waiting_seconds) || 0;
    if (item.status !== "queued") return base;
    return base + (Date.now() - state.queueLoadedAt) / 1000;
  }

  function renderQueue() {
    const rows = state.queue.map((item) => {
      const tr = h("tr", {
        cls: "queue-item",
        attrs: { "data-case": item.case_id, tabindex: "0", "aria-label": `Open case ${item.case_id}` },
      });
      if (item.case_id === state.openCaseId) {
        tr.classList.add("selected");
        tr.setAttribute("aria-current", "true");
      }
      const customer = item.customer || {};
      const who = h("td", { cls: "cell-customer" }, [
        h("span", { cls: "customer-name", text: customer.name || customer.id || "—" }),
        h("span", { cls: "case-id", text: item.case_id }),
      ]);
      const lang = h("td", { cls: "cell-lang", text: item.language || "—", attrs: { title: languageName(item.language) } });
      const reason = h("td", { cls: "cell-reason" }, [h("span", { text: humanize(item.reason || "—") })]);
      if (item.pending && item.reason !== "approval" && (item.status === "queued" || item.status === "assigned")) {
        reason.append(h("span", { cls: "badge badge-pending", text: "approval", attrs: { title: String(item.pending) } }));
      }
      const status = h("td", { cls: "cell-status" }, [badge(item.status)]);
      const assignee = h("td", { cls: "cell-assignee", text: item.assignee || "—" });
      const waiting = h("td", { cls: "cell-waiting waiting", text: formatWaiting(waitingNow(item)) });
      const action = h("td", { cls: "cell-action" });
      if (item.status === "queued") {
        const claim = h("button", { cls: "btn btn-primary btn-small claim", text: "Claim", attrs: { type: "button" } });
        claim.addEventListener("click", (e) => {
          e.stopPropagation();
          claimCase(item.case_id);
        });
        claim.addEventListener("keydown", (e) => e.stopPropagation());
        action.append(claim);
      }
      tr.append(who, lang, reason, status, assignee, waiting, action);
      tr.addEventListener("click", () => openCase(item.case_id));
      tr.addEventListener("keydown", (e) => {
        if (e.target !== tr) return;
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          openCase(item.case_id);
        }
      });
      return tr;
    });
    el.queueBody.replaceChildren(...rows);
    el.queueEmpty.hidden = rows.length > 0;
    el.queueCount.textContent = `(${rows.length})`;
  }

  function renderWaiting() {
    const byId = new Map(state.queue.map((i) => [i.case_id, i]));
    for (const tr of el.queueBody.querySelectorAll(".queue-item")) {
      const item = byId.get(tr.dataset.case);
      const cell = tr.querySelector(".waiting");
      if (item && cell) cell.textContent = formatWaiting(waitingNow(item));
    }
  }

  function markSelected() {
    for (const tr of el.queueBody.querySelectorAll(".queue-item")) {
      const on = tr.dataset.case === state.openCaseId;
      tr.classList.toggle("selected", on);
      if (on) tr.setAttribute("aria-current", "true");
      else tr.removeAttribute("aria-current");
    }
  }

  // ---------------------------------------------------------------- case actions

  async function caseAction(caseId, path, body) {
    if (state.busy) return;
    state.busy = true;
    setCaseButtonsDisabled(true);
    try {
      const detail = await guarded(() => api("POST", `/v1/agent/cases/${encodeURIComponent(caseId)}/${path}`, body));
      if (detail && detail.case) {
        clearError();
        state.openCaseId = detail.case.case_id || caseId;
        renderCase(detail);
        markSelected();
      }
      loadQueue();
      return detail;
    } finally {
      state.busy = false;
      setCaseButtonsDisabled(false);
    }
  }

  const claimCase = (caseId) => caseAction(caseId, "claim");

  function setCaseButtonsDisabled(disabled) {
    for (const b of [el.claimCase, el.handBack, el.resolve]) b.disabled = disabled;
    if (disabled) {
      el.approve.disabled = true;
      el.reject.disabled = true;
    } else if (state.detail) {
      updateControls();
    }
  }

  async function openCase(caseId, { quiet = false } = {}) {
    const request = ++state.caseRequest;
    if (!quiet) {
      state.openCaseId = caseId;
      markSelected();
    }
    const detail = await guarded(() => api("GET", `/v1/agent/cases/${encodeURIComponent(caseId)}`));
    if (request !== state.caseRequest || state.openCaseId !== caseId) return;
    if (!detail) return;
    if (!quiet) clearError();
    renderCase(detail);
  }

  function closeCase() {
    state.openCaseId = null;
    state.detail = null;
    state.caseRequest++;
    state.seenSeqs = new Set();
    el.case.hidden = true;
    el.casePlaceholder.hidden = false;
    el.transcript.replaceChildren();
    markSelected();
  }

  // ---------------------------------------------------------------- case rendering

  function renderCase(detail) {
    const previous = state.detail;
    const sameCase = previous && previous.case && detail.case && previous.case.case_id === detail.case.case_id;
    state.detail = detail;
    const c = detail.case || {};
    const customer = detail.customer || {};

    el.casePlaceholder.hidden = true;
    el.case.hidden = false;
    el.case.dataset.case = c.case_id || "";

    el.caseTitle.replaceChildren(
      h("span", { text: customer.name || customer.id || "Customer" }),
      h("span", { cls: "case-id", text: c.case_id || "" }),
    );
    const meta = [];
    meta.push(badge(c.status));
    const facts = [
      c.reason ? humanize(c.reason) : null,
      c.language ? `${c.language} (${languageName(c.language)})` : null,
      customer.email || null,
      customer.market ? `${customer.market} · ${customer.locale || ""}`.trim() : null,
      c.assignee ? `assigned to ${c.assignee}` : "unassigned",
      c.created ? `opened ${formatDate(c.created)}` : null,
    ].filter(Boolean);
    el.caseMeta.replaceChildren(...meta, h("span", { text: ` ${facts.join(" · ")}` }));

    renderTranscript(detail.transcript || [], sameCase);
    renderSummary(detail.summary || {});
    renderPending(detail.pending);
    renderLedger(detail.orders || []);
    updateControls();
  }

  function assignedToMe() {
    const c = (state.detail && state.detail.case) || {};
    return !!(state.me && c.assignee && c.assignee === state.me.username && c.status === "assigned");
  }

  function updateControls() {
    const c = (state.detail && state.detail.case) || {};
    const mine = assignedToMe();
    el.claimCase.hidden = c.status !== "queued";
    el.resolve.hidden = !mine;
    el.handBack.hidden = !mine;
    el.claimCase.disabled = false;
    el.resolve.disabled = false;
    el.handBack.disabled = false;

    el.replyText.disabled = !mine;
    el.replySend.disabled = !mine;
    if (mine) el.replyNote.textContent = "Ctrl+Enter to send";
    else if (c.status === "queued") el.replyNote.textContent = "Claim the case to reply.";
    else if (c.status === "assigned" && c.assignee) el.replyNote.textContent = `Assigned to ${c.assignee}: only they can reply.`;
    else el.replyNote.textContent = `This case is ${humanize(c.status || "closed").toLowerCase()}.`;

    const pending = state.detail ? state.detail.pending : null;
    // The server keeps `pending` after the decision (status processing / failed / rejected): only an item still
    // awaiting approval gets the buttons.
    const hasPending = pending !== null && pending !== undefined && awaitingDecision(pending);
    const supervisor = !!(state.me && state.me.role === "supervisor");
    el.approve.hidden = !hasPending;
    el.reject.hidden = !hasPending;
    el.approvalNote.hidden = !hasPending || !supervisor;
    el.approve.disabled = !supervisor;
    el.reject.disabled = !supervisor;
    el.pendingNote.hidden = !hasPending || supervisor;
    el.pendingNote.textContent = hasPending && !supervisor ? "Only a supervisor can approve or reject this." : "";
  }

  function messageNode(m) {
    const role = ["customer", "assistant", "agent", "system"].includes(m.role) ? m.role : "system";
    const node = h("div", { cls: `msg msg-${role}` });
    if (m.seq !== undefined && m.seq !== null) node.dataset.seq = String(m.seq);
    let label;
    if (role === "customer") {
      const name = state.detail && state.detail.customer && state.detail.customer.name;
      label = name ? `Customer · ${name}` : "Customer";
    } else if (role === "assistant") label = "Assistant";
    else if (role === "agent") label = m.author ? `Agent · ${m.author}` : "Agent";
    else label = "System";
    node.append(h("div", { cls: "who", text: label }), h("div", { cls: "body", text: m.text == null ? "" : m.text }));
    if (m.at) node.append(h("div", { cls: "at", text: formatTime(m.at), attrs: { title: String(m.at) } }));
    return node;
  }

  function nearBottom(box) {
    return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  }

  function renderTranscript(messages, keepScroll) {
    const stick = !keepScroll || nearBottom(el.transcript);
    const oldTop = el.transcript.scrollTop;
    state.seenSeqs = new Set();
    const nodes = [];
    for (const m of messages) {
      const seq = Number(m.seq);
      if (Number.isFinite(seq)) {
        if (state.seenSeqs.has(seq)) continue;
        state.seenSeqs.add(seq);
      }
      nodes.push(messageNode(m));
    }
    if (nodes.length === 0) nodes.push(h("p", { cls: "empty", text: "No messages yet." }));
    el.transcript.replaceChildren(...nodes);
    el.transcript.scrollTop = stick ? el.transcript.scrollHeight : oldTop;
  }

  function appendTranscript(m) {
    const seq = Number(m.seq);
    if (Number.isFinite(seq)) {
      if (state.seenSeqs.has(seq)) return;
      state.seenSeqs.add(seq);
    }
    const empty = el.transcript.querySelector(".empty");
    if (empty) empty.remove();
    const stick = nearBottom(el.transcript);
    const node = messageNode(m);
    // keep seq order if a message arrives late
    let before = null;
    if (Number.isFinite(seq)) {
      for (const other of el.transcript.querySelectorAll(".msg[data-seq]")) {
        if (Number(other.dataset.seq) > seq) {
          before = other;
          break;
        }
      }
    }
    el.transcript.insertBefore(node, before);
    if (stick || m.role === "agent") el.transcript.scrollTop = el.transcript.scrollHeight;
  }

  // Generic, text-only renderer for summary values of any shape.
  function renderValue(value, depth = 0) {
    if (value === null || value === undefined || value === "") return h("span", { cls: "muted", text: "—" });
    if (typeof value === "boolean") return h("span", { text: value ? "yes" : "no" });
    if (typeof value !== "object") return h("span", { cls: "value", text: DATE_RE.test(String(value)) ? formatDate(value) : value });
    if (Array.isArray(value)) {
      if (value.length === 0) return h("span", { cls: "muted", text: "none" });
      if (value.every((v) => v === null || typeof v !== "object")) {
        const ul = h("ul", { cls: "chips" });
        for (const v of value) ul.append(h("li", { cls: "chip", text: v === null ? "—" : v }));
        return ul;
      }
      if (value.every((v) => v && typeof v === "object" && !Array.isArray(v)) && depth < 3) {
        const keys = [];
        for (const v of value) for (const k of Object.keys(v)) if (!keys.includes(k)) keys.push(k);
        return smallTable(keys.map((k) => [humanize(k), k]), value, (row, k) => renderValue(row[k], depth + 1));
      }
      const ul = h("ul", { cls: "plain-list" });
      for (const v of value) ul.append(h("li", {}, [renderValue(v, depth + 1)]));
      return ul;
    }
    if (depth > 4) return h("span", { text: JSON.stringify(value) });
    const entries = Object.entries(value);
    if (depth >= 1 && entries.length <= 6 && entries.every(([, v]) => v === null || typeof v !== "object")) {
      // small flat object (e.g. an action's result inside a table cell): one line of "key: value"
      if (entries.length === 0) return h("span", { cls: "muted", text: "—" });
      return h("span", { cls: "inline-kv", text: entries.map(([k, v]) => `${humanize(k)}: ${v === null ? "—" : v}`).join(" · ") });
    }
    const dl = h("dl", { cls: "kv" });
    for (const [k, v] of Object.entries(value)) {
      dl.append(h("dt", { text: humanize(k) }), h("dd", {}, [renderValue(v, depth + 1)]));
    }
    return dl;
  }

  function smallTable(columns, rows, cell) {
    const table = h("table", { cls: "table table-small" });
    const trh = h("tr");
    for (const [label] of columns) trh.append(h("th", { text: label, attrs: { scope: "col" } }));
    table.append(h("thead", {}, [trh]));
    const tbody = h("tbody");
    for (const row of rows) {
      const tr = h("tr");
      for (const [, key] of columns) {
        const td = h("td");
        const v = cell(row, key);
        if (v instanceof Node) td.append(v);
        else td.textContent = v == null ? "—" : String(v);
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.append(tbody);
    return h("div", { cls: "table-wrap" }, [table]);
  }

  const SUMMARY_ORDER = ["customer", "reason", "language", "intents", "orders", "done_by_assistant", "pending", "last_messages"];

  function renderSummary(summary) {
    if (!summary || typeof summary !== "object" || Object.keys(summary).length === 0) {
      el.summary.replaceChildren(h("p", { cls: "muted", text: "No summary." }));
      return;
    }
    const keys = [
      ...SUMMARY_ORDER.filter((k) => k in summary),
      ...Object.keys(summary).filter((k) => !SUMMARY_ORDER.includes(k)),
    ];
    const dl = h("dl", { cls: "kv kv-summary" });
    for (const k of keys) {
      let v = summary[k];
      let node;
      if (k === "reason" && typeof v === "string") node = badge(v);
      else if (k === "language" && typeof v === "string") node = h("span", { text: `${v} (${languageName(v)})` });
      else if (k === "last_messages" && Array.isArray(v) && v.length > 0) {
        // the transcript below has them all: keep this folded
        const inner = v.every((m) => m && typeof m === "object" && "text" in m)
          ? h("div", { cls: "mini-transcript" }, v.map((m) => {
            const who = m.role ? humanize(m.role) : "";
            return h("div", { cls: "mini-line" }, [h("span", { cls: "mini-who", text: who ? `${who}: ` : "" }), h("span", { text: m.text })]);
          }))
          : h("div", { cls: "mini-transcript" }, v.map((m) => h("div", { cls: "mini-line" }, [renderValue(m, 1)])));
        node = h("details", { cls: "fold" }, [h("summary", { text: `${v.length} message${v.length === 1 ? "" : "s"}` }), inner]);
      } else node = renderValue(v, 0);
      dl.append(h("dt", { text: humanize(k) }), h("dd", {}, [node]));
    }
    el.summary.replaceChildren(dl);
  }

  function awaitingDecision(pending) {
    return !pending.status || pending.status === "pending_approval" || pending.status === "pending";
  }

  function renderPending(pending) {
    if (pending === null || pending === undefined) {
      el.pendingDetail.replaceChildren(h("p", { cls: "muted", text: "Nothing waiting for approval." }));
      el.pending.classList.remove("has-pending");
      return;
    }
    el.pending.classList.add("has-pending");
    el.pending.classList.toggle("decided", !awaitingDecision(pending));
    const dl = h("dl", { cls: "kv" });
    const add = (label, node) => dl.append(h("dt", { text: label }), h("dd", {}, [node]));
    add("Kind", h("span", { text: humanize(pending.kind || "—") }));
    add("Id", h("code", { text: pending.id || "—" }));
    add("Amount", h("strong", { text: money(pending.amount, pending.currency) }));
    add("Status", badge(pending.status));
    if (pending.description) add("Description", h("span", { text: pending.description }));
    for (const [k, v] of Object.entries(pending)) {
      if (["kind", "id", "amount", "currency", "status", "description"].includes(k)) continue;
      add(humanize(k), renderValue(v, 1));
    }
    el.pendingDetail.replaceChildren(dl);
  }

  function renderLedger(orders) {
    // open the orders the case is about; the rest start folded
    const focus = new Set();
    const d = state.detail || {};
    if (d.case && d.case.order) focus.add(d.case.order);
    const so = d.summary && d.summary.orders;
    if (Array.isArray(so)) for (const x of so) focus.add(x && typeof x === "object" ? x.id || x.order : x);
    if (!orders.length) {
      el.ledger.replaceChildren(h("p", { cls: "muted", text: "No orders." }));
      return;
    }
    const nodes = orders.map((o) => {
      const cur = o.currency || "";
      const head = h("div", { cls: "order-head" }, [
        h("code", { cls: "order-id", text: o.id }),
        h("span", { cls: "order-merchant", text: o.merchant || "" }),
        badge(o.status),
        h("strong", { cls: "order-total", text: money(o.total, cur) }),
      ]);
      const body = h("div", { cls: "order-body" });
      body.append(h("p", { cls: "muted small", text: `Created ${formatDate(o.created)}` }));

      if (o.plan) {
        const p = o.plan;
        const planLine = h("p", { cls: "plan-line" }, [
          h("span", { cls: "sub-title", text: "Plan " }),
          h("span", { text: humanize(p.kind || "—") }),
          h("span", { text: " " }),
          badge(p.status),
        ]);
        if (p.paused_until) planLine.append(h("span", { cls: "muted small", text: ` paused until ${formatDate(p.paused_until)}` }));
        body.append(planLine);
        const inst = Array.isArray(p.installments) ? p.installments : [];
        if (inst.length) {
          body.append(smallTable(
            [["#", "seq"], ["Due", "due"], ["Amount", "amount"], ["Status", "status"]],
            inst,
            (r, k) => (k === "status" ? badge(r.status) : k === "amount" ? money(r.amount, cur) : k === "due" ? formatDate(r.due) : r[k]),
          ));
        }
      } else {
        body.append(h("p", { cls: "muted small", text: "No payment plan." }));
      }

      const charges = Array.isArray(o.charges) ? o.charges : [];
      body.append(h("h4", { cls: "sub-title", text: `Charges (${charges.length})` }));
      if (charges.length) {
        body.append(smallTable(
          [["Id", "id"], ["At", "at"], ["Amount", "amount"], ["Kind", "kind"], ["Status", "status"]],
          charges,
          (r, k) => (k === "status" ? badge(r.status) : k === "amount" ? money(r.amount, cur) : k === "at" ? formatDate(r.at) : k === "kind" ? humanize(r.kind || "—") : r[k]),
        ));
      }
      const refunds = Array.isArray(o.refunds) ? o.refunds : [];
      body.append(h("h4", { cls: "sub-title", text: `Refunds (${refunds.length})` }));
      if (refunds.length) {
        body.append(smallTable(
          [["Id", "id"], ["Amount", "amount"], ["Status", "status"], ["Created", "created"]],
          refunds,
          (r, k) => (k === "status" ? badge(r.status) : k === "amount" ? money(r.amount, cur) : k === "created" ? formatDate(r.created) : r[k]),
        ));
      }
      const details = h("details", { cls: "order", attrs: { "data-order": o.id } }, [h("summary", {}, [head]), body]);
      details.open = orders.length <= 2 || focus.has(o.id);
      return details;
    });
    el.ledger.replaceChildren(...nodes);
  }

  // ---------------------------------------------------------------- reply / approvals

  async function onReply(e) {
    e.preventDefault();
    const text = el.replyText.value.trim();
    if (!text || !state.detail || !assignedToMe()) return;
    const c = state.detail.case;
    el.replySend.disabled = true;
    const sent = await guarded(() => api("POST", `/v1/agent/cases/${encodeURIComponent(c.case_id)}/messages`, { text }));
    if (sent !== undefined && state.detail && state.detail.case.case_id === c.case_id) {
      el.replyText.value = "";
      clearError();
      appendTranscript({
        role: "agent",
        text,
        author: state.me ? state.me.name : "",
        at: new Date().toISOString(),
        ...(sent && typeof sent === "object" ? sent : {}),
      });
    }
    updateControls();
    el.replyText.focus();
  }

  function onDecision(kind) {
    if (!state.detail) return;
    const note = el.approvalNote.value.trim();
    caseAction(state.detail.case.case_id, kind, { note }).then((d) => {
      if (d) el.approvalNote.value = "";
    });
  }

  // ---------------------------------------------------------------- wiring

  el.login.addEventListener("submit", onLogin);
  el.logout.addEventListener("click", onLogout);
  el.errorClose.addEventListener("click", clearError);
  el.refresh.addEventListener("click", loadQueue);
  for (const f of [el.filterLanguage, el.filterReason, el.filterStatus]) f.addEventListener("change", loadQueue);
  el.claimCase.addEventListener("click", () => state.detail && claimCase(state.detail.case.case_id));
  el.resolve.addEventListener("click", () => state.detail && caseAction(state.detail.case.case_id, "resolve"));
  el.handBack.addEventListener("click", () => state.detail && caseAction(state.detail.case.case_id, "hand-back"));
  el.closeCase.addEventListener("click", closeCase);
  el.approve.addEventListener("click", () => onDecision("approve"));
  el.reject.addEventListener("click", () => onDecision("reject"));
  el.reply.addEventListener("submit", onReply);
  el.replyText.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      el.reply.requestSubmit();
    }
  });

  fillFilters();

  (async () => {
    try {
      const me = await api("GET", "/v1/agent/me");
      if (me && me.username) {
        showApp(me);
        return;
      }
    } catch (_) {
      /* not signed in */
    }
    showLogin("");
  })();
})();
