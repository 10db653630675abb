/* The kiosk: an on-screen keypad for the identity number, the clock, and the way back to the
   start screen after a pause. */
(function () {
  "use strict";
  document.querySelectorAll(".keypad").forEach(function (pad) {
    var input = document.getElementById(pad.dataset.target);
    pad.addEventListener("click", function (e) {
      var key = e.target.dataset.key;
      if (!key || !input) { return; }
      if (key === "back") { input.value = input.value.slice(0, -1); }
      else if (input.value.length < 18) { input.value += key; }
      input.focus();
    });
  });
  function tick() {
    var clock = document.querySelector("[data-clock]");
    if (clock) { clock.textContent = new Date().toLocaleTimeString("zh-CN", { hour12: false }); }
  }
  setInterval(tick, 1000);
  tick();
  // Back to the start screen after a pause, so that the next person starts afresh.
  var main = document.querySelector("[data-home]");
  if (main) {
    var wait = parseInt(main.dataset.returnAfter || "90", 10) * 1000;
    var timer = setTimeout(function () { window.location.href = main.dataset.home; }, wait);
    ["click", "keydown", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () {
        clearTimeout(timer);
        timer = setTimeout(function () { window.location.href = main.dataset.home; }, wait);
      });
    });
  }
})();
