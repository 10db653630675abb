// The rating figures' charts (ECharts, vendored). Data comes from the page's json_script.
(function () {
  function draw() {
    var data = JSON.parse(document.getElementById("feedback-chart").textContent);
    if (!window.echarts) return;
    var levels = echarts.init(document.getElementById("chart-levels"));
    levels.setOption({
      tooltip: {},
      xAxis: { type: "category", data: data.levels.map(function (l) { return l[0]; }) },
      yAxis: { type: "log", min: 1 },
      series: [{ type: "bar", data: data.levels.map(function (l) { return Math.max(l[1], 0.9); }),
                 itemStyle: { color: function (p) { return p.dataIndex >= 3 ? "#c62828" : "#2e7d32"; } } }]
    });
    var days = echarts.init(document.getElementById("chart-days"));
    days.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["评价", "差评"] },
      xAxis: { type: "category", data: data.days },
      yAxis: [{ type: "value" }, { type: "value", minInterval: 1 }],
      series: [
        { name: "评价", type: "line", data: data.totals, showSymbol: false },
        { name: "差评", type: "bar", yAxisIndex: 1, data: data.bads, itemStyle: { color: "#c62828" } }
      ]
    });
    window.addEventListener("resize", function () { levels.resize(); days.resize(); });
    window.bianminFeedbackCharts = { levels: levels, days: days };
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
