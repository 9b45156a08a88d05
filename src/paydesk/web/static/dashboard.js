// paydesk analytics dashboard (supervisors). Plain ES2020, no framework, no external resources, no chart library.
// Security: all data goes into the DOM through createElement/createElementNS + textContent, never as HTML.
"use strict";

(() => {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const $ = (sel) => document.querySelector(sel);

  const el = {
    login: $("#login"),
    username: $("#username"),
    password: $("#password"),
    loginButton: $("#login-button"),
    loginError: $("#login-error"),
    forbiddenCard: $("#forbidden-card"),
    forbidden: $("#forbidden"),
    forbiddenLogout: $("#forbidden-logout"),
    app: $("#app"),
    me: $("#me"),
    meRole: $("#me-role"),
    logout: $("#logout"),
    dash: $("#dash"),
    filters: $("#filters"),
    since: $("#filter-since"),
    until: $("#filter-until"),
    language: $("#filter-language"),
    market: $("#filter-market"),
    apply: $("#apply"),
    loading: $("#loading"),
    error: $("#dashboard-error"),
    period: $("#period"),
    charts: $("#charts"),
    csatLegendAssistant: $("#csat-legend-assistant"),
    csatLegendAgent: $("#csat-legend-agent"),
  };

  const EMPTY_TEXT = "No conversations in this period";
  const OUTCOMES = [
    { key: "resolved_by_assistant", label: "Resolved by assistant", cls: "assistant" },
    { key: "resolved_by_agent", label: "Resolved by agent", cls: "agent" },
    { key: "abandoned", label: "Abandoned", cls: "abandoned" },
    { key: "open", label: "Open", cls: "open" },
  ];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  const state = {
    me: null,
    data: null,
    request: 0,
    applied: {}, // the filters of the data on screen
    widths: new Map(),
  };

  // ---------------------------------------------------------------- small helpers

  function h(tag, { cls, text, attrs } = {}, children = []) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function s(tag, attrs = {}, children = []) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function sText(x, y, text, attrs = {}) {
    const t = s("text", { x: round(x), y: round(y), ...attrs });
    t.textContent = String(text);
    return t;
  }

  function sTitle(text) {
    const t = s("title");
    t.textContent = String(text);
    return t;
  }

  const round = (v) => Math.round(v * 10) / 10;
  const isNum = (v) => typeof v === "number" && Number.isFinite(v);
  const num = (v) => (isNum(v) ? v : Number(v) || 0);

  const ACRONYMS = new Set(["faq", "iban", "id", "otp", "pin", "sms", "vat"]);
  const humanize = (key) => {
    const words = String(key == null ? "" : key).replace(/_/g, " ").trim().split(/\s+/).filter(Boolean);
    const t = words.map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w)).join(" ");
    return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
  };

  function displayNames(type) {
    try {
      return new Intl.DisplayNames(["en"], { type });
    } catch (_) {
      return null;
    }
  }
  const languageNames = displayNames("language");
  const regionNames = displayNames("region");
  function nameOf(names, code) {
    if (!code || !names) return "";
    try {
      const n = names.of(code);
      return n && n !== code ? n : "";
    } catch (_) {
      return "";
    }
  }

  // ---------------------------------------------------------------- number formatting

  const fmtInt = (v) => Math.round(num(v)).toLocaleString("en-US");
  const fmtPct = (ratio, digits = 1) => (isNum(ratio) ? `${(ratio * 100).toFixed(digits)}%` : "—");
  const trim1 = (v) => {
    const r = Math.round(v * 10) / 10;
    return Number.isInteger(r) ? String(r) : r.toFixed(1);
  };

  // 95 -> "1 min 35 s", 660 -> "11 min", 1.2 -> "1.2 s", 5400 -> "1 h 30 min".
  function fmtDuration(seconds) {
    if (!isNum(seconds)) return "—";
    const sec = Math.max(0, seconds);
    if (Math.round(sec) < 60) return sec < 10 ? `${trim1(sec)} s` : `${Math.round(sec)} s`;
    const total = Math.round(sec);
    if (total < 3600) {
      const m = Math.floor(total / 60);
      const r = total % 60;
      return r ? `${m} min ${r} s` : `${m} min`;
    }
    let hrs = Math.floor(total / 3600);
    let m = Math.round((total % 3600) / 60);
    if (m === 60) {
      hrs += 1;
      m = 0;
    }
    return m ? `${hrs} h ${m} min` : `${hrs} h`;
  }

  function fmtDay(iso, long = false) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
    if (!m) return String(iso || "");
    const mon = MONTHS[Number(m[2]) - 1] || m[2];
    const day = Number(m[3]);
    return long ? `${day} ${mon} ${m[1]}` : `${mon} ${day}`;
  }

  // Bucket edges in seconds -> labels like "<30 s", "1–2 min", "≥ 60 min".
  function edgeUnit(lo) {
    if (lo < 60) return { u: "s", d: 1 };
    if (lo < 3600) return { u: "min", d: 60 };
    return { u: "h", d: 3600 };
  }
  function fmtEdge(x) {
    if (x < 60) return `${trim1(x)} s`;
    if (x <= 3600 && x % 60 === 0) return `${x / 60} min`;
    if (x < 3600) return `${trim1(x / 60)} min`;
    return `${trim1(x / 3600)} h`;
  }
  function bucketLabel(edges, i, n) {
    const lo = num(edges[i]);
    if (i >= n - 1 || edges[i + 1] === undefined) return `≥ ${fmtEdge(lo)}`;
    const hi = num(edges[i + 1]);
    if (lo <= 0) return `<${fmtEdge(hi)}`;
    const { u, d } = edgeUnit(lo);
    if (u === "h" || hi / d <= 60) return `${trim1(lo / d)}–${trim1(hi / d)} ${u}`;
    return `${fmtEdge(lo)}–${fmtEdge(hi)}`;
  }

  // Axis ticks: 0..top in "nice" steps.
  function niceStep(raw) {
    const exp = Math.floor(Math.log10(raw));
    const base = 10 ** exp;
    const f = raw / base;
    const nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nf * base;
  }
  function ticksFor(max, { count = 4, integer = false } = {}) {
    const m = max > 0 ? max : integer ? 1 : 0.01;
    let step = niceStep(m / count);
    if (integer) step = Math.max(1, Math.round(step));
    const top = Math.ceil(m / step - 1e-9) * step;
    const ticks = [];
    for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
    return { ticks, top };
  }
  const fmtAxisInt = (v) => (v >= 10000 ? `${trim1(v / 1000)}k` : v.toLocaleString("en-US"));
  const fmtAxisPct = (v) => {
    const p = v * 100;
    return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : p.toFixed(1)}%`;
  };

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || `HTTP ${status}`);
      this.status = status;
      this.detail = detail;
    }
  }

  function detailText(detail) {
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d) => {
          if (d && typeof d === "object") {
            const loc = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "query" && p !== "body").join(".") : "";
            return loc ? `${loc}: ${d.msg || ""}` : String(d.msg || JSON.stringify(d));
          }
          return String(d);
        })
        .join("; ");
    }
    if (detail === undefined || detail === null) return "";
    return JSON.stringify(detail);
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
        if (b && b.detail !== undefined) detail = detailText(b.detail);
      } catch (_) {
        /* not JSON */
      }
      throw new ApiError(response.status, detail || `${response.status} ${response.statusText}`.trim());
    }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    return type.includes("json") ? response.json() : null;
  }

  // ---------------------------------------------------------------- screens

  function showOnly(which) {
    el.login.hidden = which !== "login";
    el.forbiddenCard.hidden = which !== "forbidden";
    el.forbidden.hidden = which !== "forbidden";
    el.app.hidden = which !== "app";
  }

  function showLogin(message) {
    state.me = null;
    state.data = null;
    state.request += 1;
    showOnly("login");
    el.loginError.textContent = message || "";
    el.loginError.hidden = !message;
    el.password.value = "";
    (el.username.value ? el.password : el.username).focus();
  }

  function showForbidden() {
    state.data = null;
    state.request += 1;
    showOnly("forbidden");
  }

  function onSignedIn(me) {
    state.me = me;
    if (!me || me.role !== "supervisor") {
      showForbidden();
      return;
    }
    el.me.textContent = me.name || me.username || "";
    el.me.title = me.username || "";
    el.meRole.textContent = me.role;
    showOnly("app");
    clearError();
    load(initialFilters());
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
      onSignedIn(me);
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
    showLogin("");
  }

  // ---------------------------------------------------------------- filters & loading

  const FILTER_KEYS = ["since", "until", "language", "market"];

  function initialFilters() {
    const q = new URLSearchParams(window.location.search);
    const f = {};
    for (const k of FILTER_KEYS) {
      const v = (q.get(k) || "").trim();
      if (v) f[k] = v;
    }
    return f;
  }

  function formFilters() {
    const f = {
      since: el.since.value.trim(),
      until: el.until.value.trim(),
      language: el.language.value,
      market: el.market.value,
    };
    for (const k of FILTER_KEYS) if (!f[k]) delete f[k];
    return f;
  }

  function queryString(f) {
    const q = new URLSearchParams();
    for (const k of FILTER_KEYS) if (f[k]) q.set(k, f[k]);
    const t = q.toString();
    return t ? `?${t}` : "";
  }

  function setLoading(on) {
    el.dash.classList.toggle("is-loading", on);
    el.dash.setAttribute("aria-busy", on ? "true" : "false");
    el.loading.hidden = !on;
    el.apply.disabled = on;
  }

  function showError(message) {
    el.error.textContent = message;
    el.error.hidden = false;
  }

  function clearError() {
    el.error.hidden = true;
    el.error.textContent = "";
  }

  async function load(filters) {
    const id = ++state.request;
    setLoading(true);
    try {
      const data = await api("GET", `/v1/analytics/dashboard${queryString(filters)}`);
      if (id !== state.request) return;
      clearError();
      state.applied = { ...filters };
      state.data = data || {};
      render();
      try {
        const url = `${window.location.pathname}${queryString(filters)}`;
        window.history.replaceState(null, "", url);
      } catch (_) {
        /* not important */
      }
    } catch (err) {
      if (id !== state.request) return;
      if (err instanceof ApiError && err.status === 401) {
        showLogin("Your session has ended. Please sign in again.");
        return;
      }
      if (err instanceof ApiError && err.status === 403) {
        showForbidden();
        return;
      }
      showError(err.message || String(err));
    } finally {
      if (id === state.request) setLoading(false);
    }
  }

  function fillSelect(select, values, allLabel, labelOf, current) {
    const list = Array.isArray(values) ? values.map(String) : [];
    if (current && !list.includes(current)) list.unshift(current);
    const opts = [h("option", { text: allLabel, attrs: { value: "" } })];
    for (const v of list) opts.push(h("option", { text: labelOf(v), attrs: { value: v } }));
    select.replaceChildren(...opts);
    select.value = current || "";
  }

  const languageLabel = (code) => {
    const n = nameOf(languageNames, code);
    return n ? `${n} (${code})` : code;
  };
  const marketLabel = (code) => {
    const n = nameOf(regionNames, code);
    return n ? `${n} (${code})` : code;
  };

  // ---------------------------------------------------------------- render: headline tiles

  function setKpi(id, value, text, sub) {
    const node = document.getElementById(id);
    if (!node) return;
    node.setAttribute("data-value", value === null || value === undefined ? "null" : String(value));
    node.textContent = text;
    const subNode = document.getElementById(`${id}-sub`);
    if (subNode) subNode.textContent = sub || "";
  }

  function renderKpis(r) {
    const o = r.outcomes || {};
    const c = r.conversations;
    setKpi(
      "kpi-conversations",
      c,
      isNum(c) ? fmtInt(c) : "—",
      isNum(c)
        ? `${fmtInt(o.resolved_by_assistant)} assistant · ${fmtInt(o.resolved_by_agent)} agent · ${fmtInt(o.abandoned)} abandoned · ${fmtInt(o.open)} open`
        : "",
    );
    setKpi(
      "kpi-containment",
      r.containment_rate,
      fmtPct(r.containment_rate),
      isNum(o.resolved_by_assistant) ? `${fmtInt(o.resolved_by_assistant)} resolved by the assistant alone` : "",
    );
    const p90 = (v) => (isNum(v) ? `p90 ${fmtDuration(v)}` : "");
    setKpi(
      "kpi-median-assistant",
      r.median_resolution_seconds_assistant,
      fmtDuration(r.median_resolution_seconds_assistant),
      [p90(r.p90_resolution_seconds_assistant), isNum(r.median_first_reply_seconds) ? `first reply ${fmtDuration(r.median_first_reply_seconds)}` : ""]
        .filter(Boolean)
        .join(" · "),
    );
    setKpi(
      "kpi-median-agent",
      r.median_resolution_seconds_agent,
      fmtDuration(r.median_resolution_seconds_agent),
      p90(r.p90_resolution_seconds_agent),
    );
    const csat = (v) => (isNum(v) ? `${v.toFixed(2)} / 5` : "—");
    const responses = (n) => (isNum(n) ? `${fmtInt(n)} ${n === 1 ? "response" : "responses"}` : "");
    setKpi("kpi-csat-assistant", r.csat_assistant, csat(r.csat_assistant), responses(r.csat_responses_assistant));
    setKpi("kpi-csat-agent", r.csat_agent, csat(r.csat_agent), responses(r.csat_responses_agent));
    setKpi(
      "kpi-repeat-assistant",
      r.repeat_contact_rate_assistant,
      fmtPct(r.repeat_contact_rate_assistant),
      "contacted again after an assistant resolution",
    );
    setKpi(
      "kpi-repeat-agent",
      r.repeat_contact_rate_agent,
      fmtPct(r.repeat_contact_rate_agent),
      "contacted again after an agent resolution",
    );
    const handling = isNum(r.agent_handling_minutes)
      ? `handling time ${fmtDuration(r.agent_handling_minutes * 60)}${r.agent_handling_minutes_source ? ` (${r.agent_handling_minutes_source})` : ""}`
      : "";
    setKpi("kpi-hours-saved", r.agent_hours_saved, isNum(r.agent_hours_saved) ? `${r.agent_hours_saved.toFixed(1)} h` : "—", handling);
    setKpi(
      "kpi-fte",
      r.fte_equivalent,
      isNum(r.fte_equivalent) ? `${r.fte_equivalent.toFixed(1)} FTE` : "—",
      "agents' working time over the period",
    );
  }

  // ---------------------------------------------------------------- render: charts (inline SVG)

  const CHART_IDS = ["chart-days", "chart-resolution", "chart-csat", "chart-repeat", "chart-languages", "chart-intents"];

  function chartBody(id) {
    const card = document.getElementById(id);
    return card ? card.querySelector(".chart-body") : null;
  }

  function bodyWidth(body) {
    const w = Math.floor(body.clientWidth || 0);
    return Math.max(300, w || 560);
  }

  function emptyMessage(body, text = EMPTY_TEXT) {
    body.replaceChildren(h("p", { cls: "chart-empty", text }));
  }

  function makeSvg(w, hgt, label) {
    return s("svg", {
      viewBox: `0 0 ${w} ${hgt}`,
      class: "chart-svg",
      role: "img",
      "aria-label": label,
      preserveAspectRatio: "xMidYMid meet",
    });
  }

  // Horizontal gridlines + y-axis labels for a vertical bar chart.
  function yAxis(svg, plot, ticks, top, fmt) {
    const g = s("g", { class: "axis axis-y" });
    for (const t of ticks) {
      const y = plot.y + plot.h - (t / top) * plot.h;
      g.append(s("line", { x1: plot.x, x2: plot.x + plot.w, y1: round(y), y2: round(y), class: t === 0 ? "baseline" : "grid" }));
      g.append(sText(plot.x - 6, y + 4, fmt(t), { "text-anchor": "end" }));
    }
    svg.append(g);
  }

  // Category labels under a vertical bar chart; rotated when the bands are narrow.
  function xLabels(svg, plot, labels, band, { every = 1, rotate = false } = {}) {
    const g = s("g", { class: "axis axis-x" });
    labels.forEach((label, i) => {
      if (i % every !== 0) return;
      const x = plot.x + band * (i + 0.5);
      const y = plot.y + plot.h + 16;
      if (rotate) {
        g.append(sText(x, y - 4, label, { "text-anchor": "end", transform: `rotate(-35 ${round(x)} ${round(y - 4)})` }));
      } else {
        g.append(sText(x, y, label, { "text-anchor": "middle" }));
      }
    });
    svg.append(g);
  }

  // Every calendar day of the period, in order; days the server left out (nothing happened) count as zero.
  function fillDays(list, since, until) {
    const parse = (v) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v || ""));
      return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    };
    const byDay = new Map(list.map((d) => [String(d.day).slice(0, 10), d]));
    const keys = [...byDay.keys()].map(parse).filter(Number.isFinite);
    let first = parse(since);
    let last = parse(until);
    if (keys.length) {
      first = Number.isFinite(first) ? Math.min(first, ...keys) : Math.min(...keys);
      last = Number.isFinite(last) ? Math.max(last, ...keys) : Math.max(...keys);
    }
    if (!Number.isFinite(first) || !Number.isFinite(last) || last < first || (last - first) / 864e5 > 800) return list;
    const out = [];
    for (let t = first; t <= last; t += 864e5) {
      const key = new Date(t).toISOString().slice(0, 10);
      out.push(byDay.get(key) || { day: key });
    }
    return out;
  }

  function renderDays(body, series, report) {
    const days = fillDays(Array.isArray(series.days) ? series.days : [], report.since, report.until);
    const totals = days.map((d) => OUTCOMES.reduce((a, o) => a + num(d[o.key]), 0));
    if (!days.length || totals.every((t) => t === 0)) return emptyMessage(body);
    const w = bodyWidth(body);
    const hgt = 260;
    const plot = { x: 46, y: 10, w: w - 46 - 8, h: hgt - 10 - 28 };
    const { ticks, top } = ticksFor(Math.max(...totals), { integer: true });
    const svg = makeSvg(w, hgt, "Conversations per day by outcome");
    yAxis(svg, plot, ticks, top, fmtAxisInt);
    const band = plot.w / days.length;
    const barW = Math.max(1, Math.min(28, band * 0.72));
    const bars = s("g", { class: "bars" });
    days.forEach((d, i) => {
      const x = plot.x + band * i + (band - barW) / 2;
      let acc = 0;
      const g = s("g", { class: "day" });
      for (const o of OUTCOMES) {
        const v = num(d[o.key]);
        if (v <= 0) continue;
        const y0 = plot.y + plot.h - (acc / top) * plot.h;
        const y1 = plot.y + plot.h - ((acc + v) / top) * plot.h;
        acc += v;
        g.append(
          s("rect", { x: round(x), y: round(y1), width: round(barW), height: round(Math.max(0.5, y0 - y1)), class: `bar bar-${o.cls}` }, [
            sTitle(`${fmtDay(d.day, true)} · ${o.label}: ${fmtInt(v)} of ${fmtInt(totals[i])}`),
          ]),
        );
      }
      bars.append(g);
    });
    svg.append(bars);
    const maxLabels = Math.max(1, Math.floor(plot.w / 52));
    const every = Math.max(1, Math.ceil(days.length / maxLabels));
    xLabels(svg, plot, days.map((d) => fmtDay(d.day)), band, { every });
    body.replaceChildren(svg);
  }

  // Grouped vertical bars: categories × [assistant, agent], values are shares (0..1).
  function groupedBars(body, { labels, groups, label, height = 250, axisTitle }) {
    const w = bodyWidth(body);
    const n = labels.length;
    const left = 46;
    const band0 = (w - left - 8) / n;
    const rotate = band0 < 64 && labels.some((l) => l.length > 4);
    const bottom = rotate ? 58 : axisTitle ? 44 : 28;
    const plot = { x: left, y: 12, w: w - left - 8, h: height - 12 - bottom };
    const max = Math.max(0, ...groups.flatMap((g) => g.values.map((v) => num(v.share))));
    const { ticks, top } = ticksFor(max);
    const svg = makeSvg(w, height, label);
    yAxis(svg, plot, ticks, top, fmtAxisPct);
    const band = plot.w / n;
    const inner = band * 0.78;
    const barW = Math.min(30, inner / groups.length);
    const bars = s("g", { class: "bars" });
    for (let i = 0; i < n; i++) {
      const start = plot.x + band * i + (band - barW * groups.length) / 2;
      groups.forEach((grp, gi) => {
        const v = grp.values[i] || { share: 0, count: 0 };
        const share = num(v.share);
        const hh = (share / top) * plot.h;
        bars.append(
          s("rect", {
            x: round(start + gi * barW + 1),
            y: round(plot.y + plot.h - hh),
            width: round(Math.max(1, barW - 2)),
            height: round(Math.max(share > 0 ? 1 : 0, hh)),
            class: `bar bar-${grp.cls}`,
          }, [sTitle(`${grp.name} · ${labels[i]}: ${fmtInt(v.count)} (${fmtPct(share)})`)]),
        );
      });
    }
    svg.append(bars);
    xLabels(svg, plot, labels, band, { rotate });
    if (axisTitle && !rotate) {
      svg.append(sText(plot.x + plot.w / 2, height - 6, axisTitle, { "text-anchor": "middle", class: "axis-title" }));
    }
    body.replaceChildren(svg);
  }

  function shares(counts) {
    const list = counts.map(num);
    const total = list.reduce((a, b) => a + b, 0);
    return { total, values: list.map((c) => ({ count: c, share: total > 0 ? c / total : 0 })) };
  }

  function renderResolution(body, series) {
    const hist = series.resolution_histogram || {};
    const edges = Array.isArray(hist.edges_seconds) ? hist.edges_seconds : [];
    const a = Array.isArray(hist.assistant) ? hist.assistant : [];
    const g = Array.isArray(hist.agent) ? hist.agent : [];
    const n = Math.max(a.length, g.length);
    if (!n) return emptyMessage(body, "No resolved conversations in this period");
    const sa = shares(Array.from({ length: n }, (_, i) => a[i] || 0));
    const sg = shares(Array.from({ length: n }, (_, i) => g[i] || 0));
    if (sa.total + sg.total === 0) return emptyMessage(body, "No resolved conversations in this period");
    const labels = Array.from({ length: n }, (_, i) => (edges.length ? bucketLabel(edges, i, n) : `#${i + 1}`));
    groupedBars(body, {
      labels,
      label: "Time to resolution, assistant vs agent",
      groups: [
        { name: `Assistant (${fmtInt(sa.total)} resolved)`, cls: "assistant", values: sa.values },
        { name: `Agent (${fmtInt(sg.total)} resolved)`, cls: "agent", values: sg.values },
      ],
    });
  }

  function renderCsat(body, series, report) {
    const csat = series.csat || {};
    const scores = ["1", "2", "3", "4", "5"];
    const pick = (dist) => scores.map((k) => (dist && typeof dist === "object" ? dist[k] : 0) || 0);
    const sa = shares(pick(csat.assistant));
    const sg = shares(pick(csat.agent));
    const mean = (v) => (isNum(v) ? `mean ${v.toFixed(2)}` : "no ratings");
    el.csatLegendAssistant.textContent = `Assistant · ${mean(report.csat_assistant)}`;
    el.csatLegendAgent.textContent = `Agent · ${mean(report.csat_agent)}`;
    if (sa.total + sg.total === 0) return emptyMessage(body, "No ratings in this period");
    groupedBars(body, {
      labels: scores.map((k) => `${k} ★`),
      label: "Satisfaction score distribution, assistant vs agent",
      axisTitle: "Score (1 = very dissatisfied, 5 = very satisfied)",
      groups: [
        { name: `Assistant (${fmtInt(sa.total)} ratings, ${mean(report.csat_assistant)})`, cls: "assistant", values: sa.values },
        { name: `Agent (${fmtInt(sg.total)} ratings, ${mean(report.csat_agent)})`, cls: "agent", values: sg.values },
      ],
    });
  }

  function renderRepeat(body, series, report) {
    const rc = series.repeat_contact || {};
    const pickRate = (a, b) => (isNum(a) ? a : isNum(b) ? b : null);
    const items = [
      { name: "Assistant", cls: "assistant", v: pickRate(rc.assistant, report.repeat_contact_rate_assistant) },
      { name: "Agent", cls: "agent", v: pickRate(rc.agent, report.repeat_contact_rate_agent) },
    ];
    if (items.every((i) => i.v === null)) return emptyMessage(body, "No repeat-contact data in this period");
    const w = bodyWidth(body);
    const hgt = 250;
    const plot = { x: 46, y: 22, w: w - 46 - 8, h: hgt - 22 - 28 };
    const max = Math.max(0, ...items.map((i) => i.v || 0));
    const { ticks, top } = ticksFor(max * 1.15 || 0.01);
    const svg = makeSvg(w, hgt, "Repeat contact rate, assistant vs agent");
    yAxis(svg, plot, ticks, top, fmtAxisPct);
    const band = plot.w / items.length;
    const barW = Math.min(96, band * 0.5);
    const bars = s("g", { class: "bars" });
    items.forEach((it, i) => {
      const x = plot.x + band * i + (band - barW) / 2;
      const v = it.v === null ? 0 : it.v;
      const hh = (v / top) * plot.h;
      const y = plot.y + plot.h - hh;
      if (it.v !== null) {
        bars.append(
          s("rect", { x: round(x), y: round(y), width: round(barW), height: round(Math.max(v > 0 ? 1 : 0, hh)), class: `bar bar-${it.cls}` }, [
            sTitle(`${it.name}: ${fmtPct(it.v)} contacted again`),
          ]),
        );
      }
      bars.append(sText(x + barW / 2, y - 6, it.v === null ? "—" : fmtPct(it.v), { "text-anchor": "middle", class: "value-label" }));
    });
    svg.append(bars);
    xLabels(svg, plot, items.map((i) => i.name), band);
    body.replaceChildren(svg);
  }

  // Horizontal bars: one row per key, length = conversations, containment as a label.
  function horizontalBars(body, rows, { label, nameOf: labelOf }) {
    const w = bodyWidth(body);
    const rowH = 24;
    const names = rows.map((r) => labelOf(r.key));
    const longest = Math.max(...names.map((n) => n.length), 4);
    const left = Math.min(Math.round(w * 0.38), Math.max(60, longest * 6.6 + 14));
    const maxChars = Math.max(4, Math.floor((left - 12) / 6.6));
    const compact = w < 480;
    const right = compact ? 82 : 132;
    const plotW = Math.max(40, w - left - right);
    const top = 4;
    const hgt = top + rows.length * rowH + 4;
    const max = Math.max(1, ...rows.map((r) => num(r.conversations)));
    const svg = makeSvg(w, hgt, label);
    const g = s("g", { class: "hbars" });
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      const c = num(r.conversations);
      const bw = (c / max) * plotW;
      const containment = isNum(r.containment_rate) ? `${fmtPct(r.containment_rate, 0)} contained` : "— contained";
      const shown = names[i].length > maxChars ? `${names[i].slice(0, maxChars - 1).trimEnd()}…` : names[i];
      const row = s("g", { class: "hbar-row" });
      row.append(s("rect", { x: left, y: y + 3, width: round(plotW), height: rowH - 6, class: "track" }));
      row.append(
        s("rect", { x: left, y: y + 3, width: round(Math.max(c > 0 ? 2 : 0, bw)), height: rowH - 6, rx: 3, class: "bar bar-assistant" }, [
          sTitle(`${names[i]}: ${fmtInt(c)} conversations, ${containment}`),
        ]),
      );
      const nameText = sText(left - 8, y + rowH / 2 + 4, shown, { "text-anchor": "end", class: "row-label" });
      nameText.append(sTitle(`${names[i]} · ${r.key}`));
      row.append(nameText);
      const v = sText(left + Math.max(0, bw) + 6, y + rowH / 2 + 4, fmtInt(c), { class: "value-label" });
      const t2 = s("tspan", { class: "sub-label", dx: 6 });
      t2.textContent = compact ? (isNum(r.containment_rate) ? fmtPct(r.containment_rate, 0) : "—") : containment;
      v.append(t2);
      row.append(v);
      g.append(row);
    });
    svg.append(g);
    body.replaceChildren(svg);
  }

  function renderLanguages(body, series) {
    const rows = (Array.isArray(series.languages) ? series.languages : []).filter((r) => num(r.conversations) > 0).slice(0, 20);
    if (!rows.length) return emptyMessage(body);
    horizontalBars(body, rows, {
      label: "Conversations per language",
      nameOf: (code) => {
        const n = nameOf(languageNames, code);
        return n ? `${n} (${code})` : String(code);
      },
    });
  }

  function renderIntents(body, series) {
    const rows = (Array.isArray(series.intents) ? series.intents : []).filter((r) => num(r.conversations) > 0);
    if (!rows.length) return emptyMessage(body);
    horizontalBars(body, rows, { label: "Conversations per intent", nameOf: humanize });
  }

  function renderCharts() {
    const data = state.data;
    if (!data) return;
    const report = data.report || {};
    const series = data.series || {};
    const empty = !isNum(report.conversations) || report.conversations <= 0;
    const renderers = {
      "chart-days": (b) => renderDays(b, series, report),
      "chart-resolution": (b) => renderResolution(b, series),
      "chart-csat": (b) => renderCsat(b, series, report),
      "chart-repeat": (b) => renderRepeat(b, series, report),
      "chart-languages": (b) => renderLanguages(b, series),
      "chart-intents": (b) => renderIntents(b, series),
    };
    for (const id of CHART_IDS) {
      const body = chartBody(id);
      if (!body) continue;
      state.widths.set(id, body.clientWidth);
      if (empty) {
        if (id === "chart-csat") {
          el.csatLegendAssistant.textContent = "Assistant";
          el.csatLegendAgent.textContent = "Agent";
        }
        emptyMessage(body);
        continue;
      }
      try {
        renderers[id](body);
      } catch (err) {
        // A chart must never take the page down; show what went wrong inside the card.
        emptyMessage(body, `This chart could not be drawn (${err.message || err}).`);
      }
    }
  }

  function render() {
    const data = state.data || {};
    const report = data.report || {};
    const options = data.options || {};
    if (report.since) el.since.value = String(report.since).slice(0, 10);
    if (report.until) el.until.value = String(report.until).slice(0, 10);
    fillSelect(el.language, options.languages, "All languages", languageLabel, state.applied.language || "");
    fillSelect(el.market, options.markets, "All markets", marketLabel, state.applied.market || "");
    const scope = [
      state.applied.language ? languageLabel(state.applied.language) : "all languages",
      state.applied.market ? marketLabel(state.applied.market) : "all markets",
    ].join(" · ");
    el.period.textContent = report.since && report.until ? `${fmtDay(report.since, true)} – ${fmtDay(report.until, true)} · ${scope}` : scope;
    renderKpis(report);
    renderCharts();
  }

  // Redraw the charts at their new width (the SVGs are drawn at the card's pixel width so the text stays legible).
  let resizeFrame = 0;
  function onResize() {
    if (resizeFrame) return;
    resizeFrame = requestAnimationFrame(() => {
      resizeFrame = 0;
      if (!state.data || el.app.hidden) return;
      const changed = CHART_IDS.some((id) => {
        const b = chartBody(id);
        return b && Math.abs((state.widths.get(id) || 0) - b.clientWidth) > 4;
      });
      if (changed) renderCharts();
    });
  }

  // ---------------------------------------------------------------- wiring

  el.login.addEventListener("submit", onLogin);
  el.logout.addEventListener("click", onLogout);
  el.forbiddenLogout.addEventListener("click", onLogout);
  el.filters.addEventListener("submit", (e) => {
    e.preventDefault();
    load(formFilters());
  });
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(onResize).observe(el.charts);
  else window.addEventListener("resize", onResize);

  (async () => {
    try {
      const me = await api("GET", "/v1/agent/me");
      if (me && me.username) {
        onSignedIn(me);
        return;
      }
    } catch (_) {
      /* not signed in */
    }
    showLogin("");
  })();
})();
