// The county ranking: each center's score as stacked points per component (ECharts, vendored).
(function () {
  function draw() {
    var el = document.getElementById("chart-ranking");
    var data = JSON.parse(document.getElementById("ranking-chart").textContent);
    if (!el || !window.echarts || !data.names) return;
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: data.names },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "score", data: s.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.bianminRankingChart = chart;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
