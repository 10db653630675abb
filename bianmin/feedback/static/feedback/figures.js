// The rating figures' charts (ECharts, vendored). Data comes from the page's json_script.
(function () {
  function draw() {
    var data = JSON.parse(document.getElementById("feedback-chart").textContent);
    if (!window.echarts) return;
    var levels = echarts.init(document.getElementById("chart-levels"));
    // Horizontal bars on a linear scale, each with its count: a level rated once stays visible
    // beside one rated thousands of times (a log scale hid it), and long labels are never cut.
    levels.setOption({
      tooltip: {},
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 },
               data: data.levels.map(function (l) { return l[0]; }) },
      xAxis: { type: "value", minInterval: 1, axisLabel: { show: false }, splitLine: { show: false } },
      series: [{ type: "bar", barMinHeight: 2, data: data.levels.map(function (l) { return l[1]; }),
                 label: { show: true, position: "right" },
                 itemStyle: { color: function (p) { return p.dataIndex >= 3 ? "#c62828" : "#2e7d32"; } } }]
    });
    var days = echarts.init(document.getElementById("chart-days"));
    days.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["评价", "差评"] },
      grid: { left: 8, right: 8, containLabel: true },
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
