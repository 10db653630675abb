/* 适老化 toggles (every page): large text and high contrast, remembered in localStorage and a
   cookie (so that a kiosk's reset keeps them), applied as classes on <html>. */
(function () {
  "use strict";
  var root = document.documentElement;
  function modes() {
    return ["large", "contrast"].filter(function (m) { return root.classList.contains("a11y-" + m); });
  }
  function save() {
    var value = modes().join(" ");
    try { localStorage.setItem("bm-a11y", value); } catch (e) { /* private mode */ }
    document.cookie = "bm_a11y=" + encodeURIComponent(value) + ";path=/;max-age=31536000;samesite=lax";
  }
  function sync() {
    document.querySelectorAll("[data-a11y]").forEach(function (b) {
      b.setAttribute("aria-pressed", root.classList.contains("a11y-" + b.dataset.a11y) ? "true" : "false");
    });
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-a11y]");
    if (!b) return;
    root.classList.toggle("a11y-" + b.dataset.a11y);
    save();
    sync();
  });
  sync();
})();
