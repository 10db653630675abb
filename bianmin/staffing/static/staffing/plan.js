// The staffing page's chart (ECharts, vendored): per queue, people expected in each hour against
// what the planned windows can serve at the measured service time. Data from json_script.
(function () {
  function draw() {
    var data = JSON.parse(document.getElementById("staffing-chart").textContent);
    if (!window.echarts) return;
    var charts = [];
    data.queues.forEach(function (q, i) {
      var el = document.getElementById("chart-queue-" + i);
      if (!el) return;
      var chart = echarts.init(el);
      chart.setOption({
        title: { text: q.label, textStyle: { fontSize: 15 } },
        tooltip: { trigger: "axis" },
        legend: { top: 24, data: [data.labels.forecast, data.labels.capacity, data.labels.needed] },
        grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: q.hours },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: data.labels.forecast, type: "bar", data: q.forecast.map(function (v, j) {
              return { value: v, itemStyle: { color: q.short[j] ? "#c62828" : "#1f6feb" } };
            }), label: { show: true, position: "top" } },
          { name: data.labels.capacity, type: "line", step: "middle", data: q.capacity,
            lineStyle: { width: 3, color: "#2e7d32" }, itemStyle: { color: "#2e7d32" } },
          { name: data.labels.needed, type: "line", step: "middle", data: q.needed_capacity,
            lineStyle: { type: "dashed", color: "#9a6700" }, itemStyle: { color: "#9a6700" } }
        ]
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.bianminStaffingCharts = charts;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
