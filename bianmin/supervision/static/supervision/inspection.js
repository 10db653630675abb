// The checklist on a tablet: HTMX saves each answer as it is given. Until the server answers,
// the item is marked "saving…"; if the tablet is offline the answer stays in the form and the
// next change (or the Save button) sends it again, so nothing given is lost.
(function () {
  document.addEventListener("htmx:beforeRequest", function (e) {
    var s = e.target.querySelector && e.target.querySelector(".save-state");
    if (s) s.textContent = "正在保存…";
  });
  document.addEventListener("htmx:sendError", function (e) {
    var s = e.target.querySelector && e.target.querySelector(".save-state");
    if (s) { s.textContent = "网络中断，答案仍在本页，恢复后请再点“保存”。"; s.style.color = "#cf222e"; }
  });
  // Show the deadline field only for a failed item.
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form.check-item");
    if (!form || e.target.name !== "result") return;
    var d = form.querySelector(".deadline");
    if (d) d.hidden = e.target.value !== "fail";
  });
})();
