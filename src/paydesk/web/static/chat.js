// paydesk customer chat widget. Plain ES2020, no framework, no external resources.
// Security: every piece of data is put into the DOM with createElement + textContent, never as HTML.
"use strict";

(() => {
  const $ = (sel) => document.querySelector(sel);

  const el = {
    signin: $("#signin"),
    customer: $("#customer"),
    start: $("#start"),
    signinError: $("#signin-error"),
    chat: $("#chat"),
    status: $("#chat-status"),
    newChat: $("#new-chat"),
    scroller: $("#scroller"),
    messages: $("#messages"),
    typing: $("#typing"),
    typingLabel: $("#typing-label"),
    options: $("#options"),
    csat: $("#csat"),
    csatQuestion: $("#csat-question"),
    csatForm: $("#csat-form"),
    csatCommentLabel: $("#csat-comment-label"),
    csatComment: $("#csat-comment"),
    csatSend: $("#csat-send"),
    csatThanks: $("#csat-thanks"),
    stars: Array.from(document.querySelectorAll("#csat .star")),
    composer: $("#composer"),
    text: $("#text"),
    send: $("#send"),
  };

  // Used only until the server's UI strings have arrived (or if they cannot be fetched).
  const FALLBACK_STRINGS = {
    welcome: "Hi! How can I help you today?",
    placeholder: "Type a message…",
    send: "Send",
    yes: "Yes",
    no: "No",
    typing: "Typing…",
    you: "You",
    assistant: "Assistant",
    agent: "Agent",
    csat_question: "How did we do?",
    csat_comment: "Anything you want to add?",
    csat_send: "Send",
    csat_thanks: "Thank you for your feedback!",
    new_chat: "New chat",
    error: "Something went wrong. Please try again.",
  };

  const RECONNECT_MS = 2000;

  const state = {
    session: 0, // bumped on every new chat: stale async work checks it and stops
    token: null,
    conversationId: null,
    language: "en",
    ui: { language: "en", direction: "ltr", strings: { ...FALLBACK_STRINGS } },
    sendChain: Promise.resolve(),
    eventsAbort: null,
    reconnectTimer: null,
    lastSeq: 0,
    seenSeqs: new Set(),
    csatShown: false,
    csatScore: 0,
    handedOff: false,
  };

  const t = (key) => {
    const s = state.ui.strings || {};
    return typeof s[key] === "string" && s[key] !== "" ? s[key] : FALLBACK_STRINGS[key] || key;
  };

  // ---------------------------------------------------------------- HTTP helpers

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || `HTTP ${status}`);
      this.status = status;
      this.detail = detail;
    }
  }

  function authHeaders(extra = {}) {
    const h = { ...extra };
    if (state.token) h.Authorization = `Bearer ${state.token}`;
    return h;
  }

  async function errorFrom(response) {
    let detail = "";
    try {
      const body = await response.json();
      if (body && typeof body.detail === "string") detail = body.detail;
      else if (body && body.detail !== undefined) detail = JSON.stringify(body.detail);
    } catch (_) {
      /* not JSON */
    }
    return new ApiError(response.status, detail || `HTTP ${response.status}`);
  }

  async function api(method, path, body, { auth = true, signal } = {}) {
    const init = {
      method,
      headers: auth ? authHeaders({ Accept: "application/json" }) : { Accept: "application/json" },
      credentials: "same-origin",
      signal,
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return null;
    return response.json();
  }

  // Read a text/event-stream response body and call onEvent(type, data) per event.
  // Events are separated by a blank line; each has "event: X" and one or more "data: Y" lines.
  async function readSSE(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const dispatch = (block) => {
      let type = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue; // comment / keep-alive
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") type = value;
        else if (field === "data") data.push(value);
      }
      if (data.length === 0) return;
      const raw = data.join("\n");
      let parsed;
      try {
        parsed = JSON.parse(raw);
      } catch (_) {
        parsed = raw;
      }
      onEvent(type, parsed);
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      buffer = buffer.replace(/\r\n?/g, "\n");
      let idx;
      while ((idx = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        dispatch(block);
      }
    }
    buffer += decoder.decode();
    if (buffer.trim() !== "") dispatch(buffer.replace(/\r\n?/g, "\n"));
  }

  // ---------------------------------------------------------------- rendering

  function scrollToEnd() {
    el.scroller.scrollTop = el.scroller.scrollHeight;
  }

  function labelFor(role, author) {
    switch (role) {
      case "customer":
        return t("you");
      case "assistant":
        return t("assistant");
      case "agent":
        return author ? `${t("agent")} · ${author}` : t("agent");
      default:
        return "";
    }
  }

  function addMessage(role, text, { author = "", seq = null } = {}) {
    const kind = ["customer", "assistant", "agent", "system"].includes(role) ? role : "system";
    const msg = document.createElement("div");
    msg.className = `msg msg-${kind}`;
    msg.dataset.role = kind;
    if (author) msg.dataset.author = author;
    if (seq !== null && seq !== undefined) msg.dataset.seq = String(seq);
    const who = document.createElement("div");
    who.className = "who";
    who.textContent = labelFor(kind, author);
    if (kind === "system") who.hidden = true;
    const body = document.createElement("div");
    body.className = "body";
    body.textContent = text == null ? "" : String(text);
    msg.append(who, body);
    el.messages.append(msg);
    scrollToEnd();
    return msg;
  }

  function relabelMessages() {
    for (const msg of el.messages.querySelectorAll(".msg")) {
      const who = msg.querySelector(".who");
      if (who && msg.dataset.role !== "system") who.textContent = labelFor(msg.dataset.role, msg.dataset.author);
    }
  }

  function showTyping(on) {
    el.typing.hidden = !on;
    if (on) scrollToEnd();
  }

  function clearChoices() {
    el.options.replaceChildren();
  }

  function renderChoices(turn) {
    clearChoices();
    const frag = document.createDocumentFragment();
    if (turn.awaiting === "confirm") {
      const yes = document.createElement("button");
      yes.type = "button";
      yes.className = "btn btn-primary confirm-yes";
      yes.textContent = t("yes");
      yes.addEventListener("click", () => sendMessage("yes", t("yes")));
      const no = document.createElement("button");
      no.type = "button";
      no.className = "btn btn-secondary confirm-no";
      no.textContent = t("no");
      no.addEventListener("click", () => sendMessage("no", t("no")));
      const row = document.createElement("div");
      row.className = "confirm-row";
      row.append(yes, no);
      frag.append(row);
    }
    const options = Array.isArray(turn.options) ? turn.options : [];
    for (const opt of options) {
      if (!opt || opt.value === undefined || opt.value === null) continue;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "option";
      b.dataset.value = String(opt.value);
      const label = opt.label != null && String(opt.label) !== "" ? String(opt.label) : String(opt.value);
      b.textContent = label;
      b.addEventListener("click", () => sendMessage(String(opt.value), label));
      frag.append(b);
    }
    el.options.append(frag);
    scrollToEnd();
  }

  function setStatus(text) {
    el.status.textContent = text || "";
    el.status.hidden = !text;
  }

  // ---------------------------------------------------------------- UI strings / direction

  function applyStrings() {
    const dir = state.ui.direction === "rtl" ? "rtl" : "ltr";
    el.chat.setAttribute("dir", dir);
    el.chat.classList.toggle("rtl", dir === "rtl");
    el.chat.setAttribute("lang", state.language || state.ui.language || "en");
    el.text.placeholder = t("placeholder");
    el.text.setAttribute("aria-label", t("placeholder"));
    el.send.textContent = t("send");
    el.newChat.textContent = t("new_chat");
    el.typingLabel.textContent = t("typing");
    el.csatQuestion.textContent = t("csat_question");
    el.csatCommentLabel.textContent = t("csat_comment");
    el.csatComment.placeholder = t("csat_comment");
    el.csatSend.textContent = t("csat_send");
    el.csatThanks.textContent = t("csat_thanks");
    el.stars.forEach((star) => {
      star.setAttribute("aria-label", `${star.dataset.score} / 5`);
    });
    el.options.querySelectorAll(".confirm-yes").forEach((b) => (b.textContent = t("yes")));
    el.options.querySelectorAll(".confirm-no").forEach((b) => (b.textContent = t("no")));
    relabelMessages();
  }

  async function loadStrings(language) {
    try {
      const ui = await api("GET", `/v1/ui/${encodeURIComponent(language)}`, undefined, { auth: false });
      state.ui = {
        language: ui.language || language,
        direction: ui.direction === "rtl" ? "rtl" : "ltr",
        strings: { ...FALLBACK_STRINGS, ...(ui.strings || {}) },
      };
    } catch (err) {
      console.warn("paydesk: could not load UI strings", err);
    }
    applyStrings();
  }

  // ---------------------------------------------------------------- sign-in

  async function loadCustomers() {
    el.signinError.hidden = true;
    try {
      const customers = await api("GET", "/v1/demo/customers", undefined, { auth: false });
      el.customer.replaceChildren();
      for (const c of customers || []) {
        const o = document.createElement("option");
        o.value = c.id;
        o.textContent = `${c.name} (${c.market}, ${c.locale})`;
        el.customer.append(o);
      }
      if (!customers || customers.length === 0) {
        const o = document.createElement("option");
        o.value = "";
        o.textContent = "No demo customers";
        el.customer.append(o);
      }
      el.customer.disabled = !customers || customers.length === 0;
      el.start.disabled = el.customer.disabled;
    } catch (err) {
      el.customer.replaceChildren();
      const o = document.createElement("option");
      o.value = "";
      o.textContent = "Unavailable";
      el.customer.append(o);
      el.signinError.textContent = `Could not load demo customers: ${err.message}`;
      el.signinError.hidden = false;
    }
  }

  function resetChat() {
    state.session += 1;
    stopEvents();
    state.token = null;
    state.conversationId = null;
    state.sendChain = Promise.resolve();
    state.lastSeq = 0;
    state.seenSeqs = new Set();
    state.csatShown = false;
    state.csatScore = 0;
    state.handedOff = false;
    el.messages.replaceChildren();
    clearChoices();
    showTyping(false);
    setStatus("");
    el.csat.hidden = true;
    el.csatForm.hidden = false;
    el.csatThanks.hidden = true;
    el.csatComment.value = "";
    el.csatSend.disabled = true;
    el.stars.forEach((s) => {
      s.classList.remove("selected");
      s.setAttribute("aria-pressed", "false");
    });
    el.text.value = "";
    el.text.disabled = false;
    el.send.disabled = false;
  }

  async function startChat() {
    const customer = el.customer.value;
    if (!customer) return;
    el.start.disabled = true;
    el.signinError.hidden = true;
    resetChat();
    const session = state.session;
    try {
      const tok = await api("POST", "/v1/demo/token", { customer }, { auth: false });
      state.token = tok.token;
      const conv = await api("POST", "/v1/conversations", {});
      if (session !== state.session) return;
      state.conversationId = conv.conversation_id;
      state.language = conv.language || "en";
      await loadStrings(state.language);
      if (session !== state.session) return;
      el.signin.hidden = true;
      el.chat.hidden = false;
      addMessage("assistant", t("welcome"));
      openEvents(session);
      el.text.focus();
    } catch (err) {
      el.signinError.textContent = `Could not start the chat: ${err.message}`;
      el.signinError.hidden = false;
    } finally {
      el.start.disabled = false;
    }
  }

  function backToSignin() {
    resetChat();
    el.chat.hidden = true;
    el.signin.hidden = false;
    el.start.focus();
  }

  // ---------------------------------------------------------------- sending messages

  function sendMessage(value, shown) {
    const text = String(value).trim();
    if (!text || !state.conversationId) return;
    clearChoices();
    addMessage("customer", shown !== undefined ? shown : text);
    const session = state.session;
    state.sendChain = state.sendChain
      .then(() => (session === state.session ? streamTurn(text, session) : null))
      .catch((err) => console.error(err));
  }

  function messageKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }

  const RETRY_STATUSES = [502, 503, 504];

  async function sendWithRetry(path, init, attempts = 4) {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(path, init);
        if (!RETRY_STATUSES.includes(response.status) || attempt + 1 >= attempts) return response;
      } catch (err) {
        if (attempt + 1 >= attempts) throw err; // offline for good: the caller shows the error
      }
      await new Promise((resolve) => setTimeout(resolve, 400 * 2 ** attempt));
    }
  }

  async function streamTurn(text, session) {
    const id = encodeURIComponent(state.conversationId);
    showTyping(true);
    let bubble = null;
    let gotTurn = false;
    const ensureBubble = () => {
      if (!bubble) {
        showTyping(false);
        bubble = addMessage("assistant", "");
        bubble.classList.add("streaming");
      }
      return bubble;
    };
    try {
      // One key per message: if the connection drops or the service is briefly unavailable, the same message is
      // sent again with the same key and answered once.
      const key = messageKey();
      const response = await sendWithRetry(`/v1/conversations/${id}/messages/stream`, {
        method: "POST",
        headers: authHeaders({
          "Content-Type": "application/json",
          Accept: "text/event-stream",
          "Idempotency-Key": key,
        }),
        credentials: "same-origin",
        body: JSON.stringify({ text }),
      });
      if (!response.ok) throw await errorFrom(response);
      const type = response.headers.get("content-type") || "";
      if (!type.includes("text/event-stream") || !response.body) {
        // Server answered with plain JSON: treat it as the Turn.
        const turn = await response.json();
        if (session !== state.session) return;
        gotTurn = true;
        if (turn.text) ensureBubble().querySelector(".body").textContent = turn.text;
        await handleTurn(turn, session);
        return;
      }
      let turnDone = null;
      await readSSE(response, (event, data) => {
        if (session !== state.session) return;
        if (event === "delta") {
          const chunk = data && typeof data === "object" ? data.text : data;
          if (chunk) {
            ensureBubble().querySelector(".body").textContent += String(chunk);
            scrollToEnd();
          }
        } else if (event === "turn" && data && typeof data === "object") {
          gotTurn = true;
          if (data.text) {
            ensureBubble().querySelector(".body").textContent = data.text;
          } else if (bubble) {
            // nothing to say (e.g. a person has the conversation): no empty bubble
            bubble.remove();
            bubble = null;
          }
          showTyping(false);
          turnDone = handleTurn(data, session);
        } else if (event === "error") {
          const detail = data && typeof data === "object" ? data.detail : data;
          throw new ApiError(500, detail || "stream error");
        }
      });
      if (session !== state.session) return;
      if (turnDone) await turnDone;
      if (!gotTurn) throw new ApiError(0, "the reply stream ended without a turn");
    } catch (err) {
      if (session !== state.session) return;
      console.warn("paydesk: sending failed", err);
      addMessage("system", t("error"));
    } finally {
      if (bubble) bubble.classList.remove("streaming");
      if (session === state.session) showTyping(false);
    }
  }

  async function handleTurn(turn, session) {
    if (turn.language && turn.language !== state.language) {
      state.language = turn.language;
      await loadStrings(turn.language);
      if (session !== state.session) return;
    }
    renderChoices(turn);
    if (turn.handoff) {
      state.handedOff = true;
      setStatus(t("agent"));
    }
    if (turn.ended) showCsat();
  }

  // ---------------------------------------------------------------- conversation events (agent / system)

  function stopEvents() {
    if (state.reconnectTimer) clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    if (state.eventsAbort) state.eventsAbort.abort();
    state.eventsAbort = null;
  }

  function onConversationEvent(type, data) {
    if (type === "message" && data && typeof data === "object") {
      const seq = Number(data.seq);
      if (Number.isFinite(seq)) {
        if (state.seenSeqs.has(seq)) return;
        state.seenSeqs.add(seq);
        if (seq > state.lastSeq) state.lastSeq = seq;
      }
      if (data.role === "agent" || data.role === "system") {
        addMessage(data.role, data.text, { author: data.author || "", seq: Number.isFinite(seq) ? seq : null });
        if (data.role === "agent") {
          state.handedOff = true;
          setStatus(t("agent"));
        }
      }
    } else if (type === "status" && data && typeof data === "object") {
      if (data.status === "handed_off") {
        state.handedOff = true;
        setStatus(t("agent"));
      } else if (data.status === "active") {
        state.handedOff = false;
        setStatus("");
      } else if (data.status === "ended") {
        showCsat();
      }
    }
  }

  // After a reconnect: a status change while we were away is not replayed, so ask for it.
  async function checkStatus(session) {
    try {
      const conv = await api("GET", `/v1/conversations/${encodeURIComponent(state.conversationId)}`);
      if (session !== state.session || !conv) return;
      if (conv.status === "ended") showCsat();
      else if (conv.status === "handed_off") onConversationEvent("status", { status: "handed_off" });
    } catch (_) {
      /* optional */
    }
  }

  function openEvents(session, reconnect = false) {
    if (session !== state.session || !state.conversationId) return;
    if (reconnect) checkStatus(session);
    stopEvents();
    const abort = new AbortController();
    state.eventsAbort = abort;
    const id = encodeURIComponent(state.conversationId);
    let retry = true;
    (async () => {
      try {
        const response = await fetch(`/v1/conversations/${id}/events?after=${state.lastSeq}`, {
          headers: authHeaders({ Accept: "text/event-stream" }),
          credentials: "same-origin",
          signal: abort.signal,
        });
        if (!response.ok) {
          // 401/403/404 will not get better by retrying.
          if ([401, 403, 404].includes(response.status)) retry = false;
          throw await errorFrom(response);
        }
        await readSSE(response, (type, data) => {
          if (session === state.session) onConversationEvent(type, data);
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        console.warn("paydesk: events stream dropped", err);
      }
      if (abort.signal.aborted || session !== state.session || !retry) return;
      state.reconnectTimer = setTimeout(() => openEvents(session, true), RECONNECT_MS);
    })();
  }

  // ---------------------------------------------------------------- CSAT

  function showCsat() {
    if (state.csatShown) return;
    state.csatShown = true;
    clearChoices();
    el.csat.hidden = false;
    scrollToEnd();
  }

  function selectScore(score) {
    state.csatScore = score;
    el.stars.forEach((s) => {
      const n = Number(s.dataset.score);
      s.classList.toggle("selected", n <= score);
      s.setAttribute("aria-pressed", n === score ? "true" : "false");
    });
    el.csatSend.disabled = false;
  }

  async function sendCsat() {
    if (!state.csatScore || !state.conversationId) return;
    el.csatSend.disabled = true;
    try {
      await api("POST", `/v1/conversations/${encodeURIComponent(state.conversationId)}/csat`, {
        score: state.csatScore,
        comment: el.csatComment.value.trim(),
      });
      el.csatForm.hidden = true;
      el.csatThanks.textContent = t("csat_thanks");
      el.csatThanks.hidden = false;
      scrollToEnd();
    } catch (err) {
      console.warn("paydesk: csat failed", err);
      if (err instanceof ApiError && err.status === 409) {
        // already rated (or nothing to rate): nothing more the customer can do here
        el.csatForm.hidden = true;
        el.csatThanks.textContent = t("csat_thanks");
        el.csatThanks.hidden = false;
        return;
      }
      el.csatSend.disabled = false;
      addMessage("system", t("error"));
    }
  }

  // ---------------------------------------------------------------- wiring

  el.start.addEventListener("click", startChat);
  el.customer.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      startChat();
    }
  });
  el.newChat.addEventListener("click", backToSignin);
  el.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = el.text.value;
    if (!text.trim()) return;
    el.text.value = "";
    sendMessage(text);
    el.text.focus();
  });
  el.stars.forEach((s) => s.addEventListener("click", () => selectScore(Number(s.dataset.score))));
  el.csatSend.addEventListener("click", sendCsat);

  applyStrings();
  loadCustomers();
})();
