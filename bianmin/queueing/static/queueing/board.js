/* The display board and the window screens: server push (SSE) with automatic reconnect, and
   the calls spoken in Mandarin by the browser, one after another (never one cutting another).
   No framework: the page's data arrives as JSON (a snapshot, then events). */
(function () {
  "use strict";
  var root = document.querySelector(".board-root");
  if (!root) { return; }
  var labels = JSON.parse(document.getElementById("board-labels").textContent);
  var board = JSON.parse(document.getElementById("board-snapshot").textContent);
  var onlyWindow = root.dataset.window ? parseInt(root.dataset.window, 10) : null;
  var speak = !root.dataset.noSpeech;
  var seen = {};

  /* --- Speech: an announcement queue ------------------------------------------------------ */
  var announcer = window.bianminAnnouncer = {
    log: [],        // every announcement, in order (tests read it)
    queue: [],
    busy: false,
    enabled: false,
    voice: null,
    say: function (text, times) {
      for (var i = 0; i < (times || 1); i++) { this.queue.push(text); }
      this.log.push(text);
      this.next();
    },
    next: function () {
      if (this.busy || !this.queue.length) { return; }
      var text = this.queue.shift();
      var self = this;
      this.busy = true;
      var done = false;
      var finish = function () { if (!done) { done = true; self.busy = false; setTimeout(function () { self.next(); }, 400); } };
      // Without voices (or before the tap that allows sound) onend may never come: move on anyway.
      setTimeout(finish, Math.max(2500, text.length * 380));
      if (!("speechSynthesis" in window)) { return; }
      try {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = "zh-CN";
        u.rate = 0.9;
        if (this.voice) { u.voice = this.voice; }
        u.onend = finish;
        u.onerror = finish;
        window.speechSynthesis.speak(u);
      } catch (e) { finish(); }
    }
  };
  function pickVoice() {
    if (!("speechSynthesis" in window)) { return; }
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) { announcer.voice = voices[i]; return; }
    }
  }
  if ("speechSynthesis" in window) {
    pickVoice();
    window.speechSynthesis.onvoiceschanged = pickVoice;
  }
  var speechButton = document.querySelector("[data-speech-on]");
  if (speechButton) {
    speechButton.addEventListener("click", function () {
      announcer.enabled = true;
      speechButton.hidden = true;
      announcer.say("语音播报已开启", 1);
    });
  }

  /* --- Rendering ------------------------------------------------------------------------ */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function windowOf(number) {
    for (var i = 0; i < board.windows.length; i++) { if (board.windows[i].number === number) { return board.windows[i]; } }
    return null;
  }
  function renderWindows() {
    var box = root.querySelector(".board-windows");
    if (!box) { return; }
    box.innerHTML = "";
    board.windows.forEach(function (w) {
      var card = el("div", "bwin state-" + w.state + (w.ticket ? " has-ticket" : ""));
      card.dataset.window = w.number;
      card.appendChild(el("div", "bwin-no", w.number + "号"));
      card.appendChild(el("div", "bwin-name", w.name));
      var main;
      if (w.ticket) {
        main = el("div", "bwin-ticket", w.ticket);
        main.setAttribute("data-testid", "window-" + w.number + "-ticket");
      } else if (w.state === "away") {
        main = el("div", "bwin-note", labels.away + " " + (w.away_until || "") + (w.stand_in ? " · " + labels.standIn + " " + w.stand_in : ""));
      } else if (w.state === "closed") {
        main = el("div", "bwin-note", labels.closed);
      } else {
        main = el("div", "bwin-note", labels.idle);
      }
      card.appendChild(main);
      if (w.ticket && w.status === "serving") { card.appendChild(el("div", "bwin-sub", labels.serving)); }
      box.appendChild(card);
    });
  }
  function renderRecent() {
    var list = root.querySelector(".board-recent ol");
    if (!list) { return; }
    list.innerHTML = "";
    board.recent.slice(0, 8).forEach(function (c) {
      var li = el("li");
      li.appendChild(el("span", "r-code", c.ticket));
      li.appendChild(el("span", "r-win", c.window + "号窗口"));
      li.appendChild(el("span", "r-at", c.at));
      list.appendChild(li);
    });
  }
  function renderWaiting() {
    var box = root.querySelector(".board-waiting");
    if (!box) { return; }
    box.innerHTML = "";
    board.queues.forEach(function (q) {
      var item = el("span", "bq");
      item.setAttribute("data-queue", q.letter);
      item.appendChild(el("b", "", q.letter));
      item.appendChild(el("span", "", " " + q.name + " "));
      item.appendChild(el("strong", "bq-n", String(q.waiting)));
      item.appendChild(el("span", "", " " + labels.waiting));
      box.appendChild(item);
    });
  }
  function renderScreen() {
    if (onlyWindow === null) { return; }
    var w = windowOf(onlyWindow);
    var state = root.querySelector(".screen-state");
    var code = root.querySelector(".screen-code");
    if (!w || !state) { return; }
    code.textContent = w.ticket || "";
    if (w.ticket) { state.textContent = w.status === "serving" ? labels.serving : labels.called; }
    else if (w.state === "away") { state.textContent = labels.away + " " + (w.away_until || ""); }
    else if (w.state === "closed") { state.textContent = labels.closed; }
    else { state.textContent = labels.idle; }
  }
  function render() {
    renderWindows(); renderRecent(); renderWaiting(); renderScreen();
    var latest = root.querySelector(".latest");
    if (latest) { latest.textContent = board.recent.length ? board.recent[0].text : ""; }
  }

  /* --- Events ---------------------------------------------------------------------------- */
  function setWaiting(letter, n) {
    board.queues.forEach(function (q) { if (q.letter === letter && typeof n === "number") { q.waiting = n; } });
  }
  function onCall(e) {
    var w = windowOf(e.window);
    if (w) { w.ticket = e.ticket; w.status = "called"; w.state = "open"; }
    setWaiting(e.queue, e.waiting);
    board.recent.unshift({ id: e.event, ticket: e.ticket, window: e.window, at: e.at, text: e.text });
    board.recent = board.recent.slice(0, 12);
    render();
    var latest = root.querySelector(".latest");
    if (latest) { latest.classList.remove("flash"); void latest.offsetWidth; latest.classList.add("flash"); }
    if (speak && (onlyWindow === null || onlyWindow === e.window)) {
      announcer.say(e.speech || e.text, board.speech_repeat || 1);
    }
  }
  function handle(e) {
    if (e.event && seen[e.event]) { return; }
    if (e.event) { seen[e.event] = true; }
    switch (e.type) {
      case "snapshot": board = e; render(); break;
      case "call": onCall(e); break;
      case "serving": var w = windowOf(e.window); if (w && w.ticket === e.ticket) { w.status = "serving"; render(); } break;
      case "clear": var c = windowOf(e.window); if (c && c.ticket === e.ticket) { c.ticket = null; c.status = null; render(); } break;
      case "issued": setWaiting(e.queue, e.waiting); renderWaiting(); break;
      case "counts": Object.keys(e.waiting || {}).forEach(function (k) { setWaiting(k, e.waiting[k]); }); renderWaiting(); break;
      case "hall": refresh(); break;
      default: break;
    }
  }
  function refresh() {
    fetch(root.dataset.board, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { board = data; render(); } })
      .catch(function () {});
  }
  var conn = root.querySelector(".conn");
  function status(state) {
    if (!conn) { return; }
    conn.dataset.state = state;
    conn.textContent = state === "online" ? labels.online : labels.offline;
  }
  var source = null;
  function connect() {
    source = new EventSource(root.dataset.events);
    source.onopen = function () { status("online"); };
    source.onmessage = function (m) { try { handle(JSON.parse(m.data)); } catch (err) { /* ignore a bad line */ } };
    source.onerror = function () {
      status("offline");
      // The browser retries by itself (retry: 2000); if it gave up (the server answered an
      // error while restarting), start again.
      if (source.readyState === EventSource.CLOSED) { setTimeout(connect, 3000); }
    };
  }
  window.bianminBoard = { state: function () { return board; } };

  /* --- Clock ----------------------------------------------------------------------------- */
  function tick() {
    var now = new Date();
    var clock = document.querySelector("[data-clock]");
    if (clock) { clock.textContent = now.toLocaleTimeString("zh-CN", { hour12: false }); }
  }
  setInterval(tick, 1000);
  tick();
  render();
  connect();
})();
