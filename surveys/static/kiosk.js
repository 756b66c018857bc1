/* The kiosk page: one question a screen, large targets, an offline queue.
 *
 * Every finished rating is first written to localStorage (with its own idempotency key and
 * the time it was made), then sent; it leaves the queue only when the server has answered
 * for it (2xx committed or duplicate, or a final refusal such as 409 already rated). A resend
 * after a lost answer carries the same key, so the server never counts it twice.
 */
(function () {
  "use strict";

  var TOKEN_KEY = "motcua.kiosk.token";
  var DEVICE_KEY = "motcua.kiosk.device";
  var QUEUE_KEY = "motcua.kiosk.queue";
  var RESET_MS = 8000;
  var IDLE_MS = 90000;
  var RETRY_MS = 30000;

  var data = JSON.parse(document.getElementById("kiosk-data").textContent);
  var questions = data.criteria.concat([data.overall]);
  var state = null;
  var idleTimer = null;
  var resetTimer = null;
  var flushing = false;

  function $(id) { return document.getElementById(id); }

  function say(key, values) {
    return data.messages[key].replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function show(name) {
    var screens = document.querySelectorAll(".screen");
    for (var i = 0; i < screens.length; i++) {
      screens[i].hidden = screens[i].id !== "screen-" + name;
    }
    document.body.setAttribute("data-screen", name);
  }

  function token() { return localStorage.getItem(TOKEN_KEY); }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }

  function writeQueue(queue) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    var label = $("queue-label");
    label.hidden = queue.length === 0;
    label.textContent = say("queued", { n: queue.length });
  }

  function request(method, path, body) {
    return fetch(path, {
      method: method,
      cache: "no-store",
      headers: { "Authorization": "Bearer " + token(), "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined
    });
  }

  function flush() {
    if (flushing || !token()) { return Promise.resolve(); }
    var queue = readQueue();
    if (!queue.length) { return Promise.resolve(); }
    flushing = true;
    var item = queue[0];
    return request("POST", "/kiosk/api/ratings", item).then(function (res) {
      // Kept for later: the network, rate limits, server trouble, a token being replaced.
      if (res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403) {
        return false;
      }
      writeQueue(readQueue().filter(function (x) {
        return x.idempotency_key !== item.idempotency_key;
      }));
      return true;
    }, function () { return false; }).then(function (sent) {
      flushing = false;
      if (sent) { return flush(); }
    });
  }

  function deviceLabel(device) {
    if (!device) { return ""; }
    // Counter and officer first: when the bar is too narrow, the unit's name is what gets cut.
    var parts = [];
    if (device.counter) { parts.push(device.counter); }
    if (device.officer) { parts.push(say("officer", { name: device.officer })); }
    parts.push(device.unit);
    return parts.join(" · ");
  }

  function showDevice(device) {
    var label = $("device-label");
    label.textContent = deviceLabel(device);
    label.title = label.textContent;  // the whole text when the bar cuts it short
  }

  function loadDevice() {
    showDevice(JSON.parse(localStorage.getItem(DEVICE_KEY) || "null"));
    return request("GET", "/kiosk/api/device").then(function (res) {
      if (res.status === 401 || res.status === 403) { return "refused"; }
      return res.json().then(function (device) {
        localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
        showDevice(device);
        return "ok";
      });
    }, function () { return "offline"; });
  }

  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(reset, IDLE_MS);
  }

  function reset() {
    clearTimeout(resetTimer);
    clearTimeout(idleTimer);
    state = null;
    $("dossier-code").value = "";
    $("comment").value = "";
    $("start-message").textContent = "";
    show(token() ? "start" : "setup");
    if (token()) { $("dossier-code").focus(); }
  }

  function begin(code) {
    state = { code: code, answers: {}, step: 0, overall: null };
    askCurrent();
  }

  function askCurrent() {
    var q = questions[state.step];
    $("question-step").textContent = say("step", { n: state.step + 1, total: questions.length });
    $("question-text").textContent = q.question;
    $("question-skip").hidden = !q.skippable;
    show("question");
    armIdle();
  }

  function answer(level) {
    var q = questions[state.step];
    if (q.code === "overall") { state.overall = level; } else { state.answers[q.code] = level; }
    state.step += 1;
    if (state.step < questions.length) { askCurrent(); } else { show("comment"); armIdle(); }
  }

  function back() {
    if (state.step === 0) { reset(); return; }
    state.step -= 1;
    askCurrent();
  }

  function submit() {
    var rating = {
      criteria: state.answers,
      overall: state.overall,
      comment: $("comment").value || null,
      idempotency_key: newKey(),
      rated_at: new Date().toISOString()
    };
    if (state.code) { rating.dossier_code = state.code; }
    var queue = readQueue();
    queue.push(rating);
    writeQueue(queue);
    flush();
    show("thanks");
    clearTimeout(idleTimer);
    var left = Math.round(RESET_MS / 1000);
    var tick = function () {
      $("thanks-countdown").textContent = say("countdown", { seconds: left });
      left -= 1;
      if (left >= 0) { resetTimer = setTimeout(tick, 1000); } else { reset(); }
    };
    tick();
  }

  function checkCode(event) {
    event.preventDefault();
    var code = $("dossier-code").value.trim().toUpperCase();
    if (!code) { $("start-message").textContent = say("code_missing", {}); return; }
    request("GET", "/kiosk/api/dossiers/" + encodeURIComponent(code)).then(function (res) {
      if (!res.ok) { begin(code); return; }
      return res.json().then(function (found) {
        if (!found.found) {
          $("start-message").textContent = say("code_unknown", { code: code });
        } else if (found.rated) {
          $("start-message").textContent = say("code_rated", { code: code });
        } else {
          begin(code);
        }
      });
    }, function () { begin(code); });  // offline: rate now, checked when sent
  }

  function saveToken() {
    var value = $("setup-token").value.trim();
    if (!value) { return; }
    localStorage.setItem(TOKEN_KEY, value);
    loadDevice().then(function (outcome) {
      if (outcome === "refused") {
        localStorage.removeItem(TOKEN_KEY);
        $("setup-message").textContent = say("token_refused", {});
        return;
      }
      $("setup-token").value = "";
      reset();
      flush();
    });
  }

  function wire() {
    $("code-form").addEventListener("submit", checkCode);
    $("counter-only").addEventListener("click", function () { begin(null); });
    $("question-levels").addEventListener("click", function (e) {
      var button = e.target.closest("button[data-level]");
      if (button) { answer(parseInt(button.getAttribute("data-level"), 10)); }
    });
    $("question-back").addEventListener("click", back);
    $("question-skip").addEventListener("click", function () {
      delete state.answers[questions[state.step].code];
      state.step += 1;
      askCurrent();
    });
    $("comment-back").addEventListener("click", function () { state.step -= 1; askCurrent(); });
    $("submit").addEventListener("click", submit);
    $("screen-thanks").addEventListener("click", reset);
    $("setup-save").addEventListener("click", saveToken);
    document.addEventListener("input", armIdle);
    window.addEventListener("online", flush);
    setInterval(flush, RETRY_MS);
  }

  wire();
  writeQueue(readQueue());
  if (location.hash === "#setup" || !token()) {
    show("setup");
  } else {
    reset();
    loadDevice().then(function (outcome) { if (outcome === "refused") { show("setup"); } });
    flush();
  }
})();
