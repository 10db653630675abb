// The checklist on a tablet: HTMX saves each answer as it is given. Until the server answers,
// the item says "saving…". If the tablet is offline the answer stays in the form, the item is
// marked as not saved, and it is sent again as soon as the network is back (and every 20 s
// meanwhile), so nothing given is lost.
(function () {
  function state(form, text, bad) {
    var s = form.querySelector(".save-state");
    if (s) { s.textContent = text; s.style.color = bad ? "#cf222e" : ""; }
  }
  function retry() {
    if (!window.htmx) return;
    document.querySelectorAll("form.check-item[data-unsaved]").forEach(function (form) {
      form.removeAttribute("data-unsaved");
      htmx.trigger(form, "change");
    });
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.target.matches && e.target.matches("form.check-item")) state(e.target, "正在保存…");
  });
  document.addEventListener("htmx:sendError", function (e) {
    var form = e.target.closest && e.target.closest("form.check-item");
    if (!form) return;
    form.setAttribute("data-unsaved", "1");
    state(form, "网络中断：答案尚未保存，仍在本页，网络恢复后自动重新保存。", true);
  });
  window.addEventListener("online", retry);
  setInterval(function () { if (navigator.onLine !== false) retry(); }, 20000);
  // Leaving the page with an answer not yet saved asks first.
  window.addEventListener("beforeunload", function (e) {
    if (document.querySelector("form.check-item[data-unsaved]")) { e.preventDefault(); e.returnValue = ""; }
  });
  // Show the deadline field only for a failed item.
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form.check-item");
    if (!form || e.target.name !== "result") return;
    var d = form.querySelector(".deadline");
    if (d) d.hidden = e.target.value !== "fail";
  });
})();
