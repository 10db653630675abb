/* Portal helpers: read key texts aloud (zh-CN), live search, and the kiosk's return to start. */
(function () {
  "use strict";
  // Read aloud: a button with data-speak="<id of the element to read>".
  var synth = window.speechSynthesis;
  document.querySelectorAll("[data-speak]").forEach(function (b) {
    if (!synth) { b.hidden = true; return; }
    b.addEventListener("click", function () {
      var el = document.getElementById(b.dataset.speak);
      if (!el) return;
      synth.cancel();
      var u = new SpeechSynthesisUtterance(el.innerText);
      u.lang = "zh-CN";
      u.rate = 0.9;
      var voice = synth.getVoices().filter(function (v) { return /^zh(-|_)CN/i.test(v.lang); })[0];
      if (voice) u.voice = voice;
      window.bianminSpoken = (window.bianminSpoken || []).concat([el.innerText.slice(0, 80)]);
      synth.speak(u);
    });
  });
  // Live search: submit the form 300 ms after the last keystroke (without JS it submits normally).
  var box = document.querySelector("[data-live-search]");
  if (box && window.fetch) {
    var timer;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var form = box.form, url = form.action + "?" + new URLSearchParams(new FormData(form));
        fetch(url, { headers: { "HX-Request": "true" } }).then(function (r) { return r.text(); }).then(function (html) {
          var target = document.getElementById(box.dataset.liveSearch);
          if (target) target.innerHTML = html;
        });
      }, 300);
    });
  }
  // Kiosk: after idle seconds, ask "still there?" for 20 s, then return to the start page.
  var k = document.querySelector("[data-kiosk-home]");
  if (k) {
    var idle = parseInt(k.dataset.idleSeconds || "90", 10) * 1000, warn = document.getElementById("k-idle");
    var t1, t2, count, left;
    var reset = function () {
      clearTimeout(t1); clearInterval(t2);
      if (warn) warn.hidden = true;
      t1 = setTimeout(function () {
        if (!warn) { location.href = k.dataset.kioskHome; return; }
        left = 20; count = document.getElementById("k-idle-count");
        warn.hidden = false; if (count) count.textContent = left;
        t2 = setInterval(function () {
          left -= 1; if (count) count.textContent = left;
          if (left <= 0) { clearInterval(t2); location.href = k.dataset.kioskHome; }
        }, 1000);
      }, idle);
    };
    ["pointerdown", "keydown", "touchstart", "input"].forEach(function (e) { document.addEventListener(e, reset, { passive: true }); });
    reset();
  }
  var p = document.querySelector("[data-print-now]");
  if (p) p.addEventListener("click", function () { window.print(); });
})();
