// The reports pages: the charts (ECharts, served by the app from the npm lockfile) and the print button.
// No inline script: the data comes from data attributes and json_script blocks.
(() => {
  const PRIMARY = "#1f4e8c";
  const DANGER = "#b42318";
  const PALETTE = ["#1f4e8c", "#2e7d5b", "#b26a00", "#7a3e9d"];
  const charts = [];

  function gauge(element) {
    const raw = element.dataset.value;
    if (raw === "" || raw === "None") {
      element.remove();
      return;
    }
    const value = Number(raw);
    const target = Number(element.dataset.target || 100);
    const colour = value < target ? DANGER : PRIMARY;
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      series: [{
        type: "gauge",
        min: 0,
        max: 100,
        startAngle: 200,
        endAngle: -20,
        radius: "100%",
        center: ["50%", "62%"],
        progress: { show: true, width: 10, itemStyle: { color: colour } },
        axisLine: { lineStyle: { width: 10, color: [[1, "#e6eaf0"]] } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: { show: false },
        data: [{ value }],
      }],
    });
    charts.push(chart);
  }

  function trend(element) {
    const source = document.getElementById(element.dataset.source);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: PALETTE,
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${v.toFixed(2)}%`) },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map((s) => ({
        name: s.name, type: "line", data: s.values, connectNulls: false, symbolSize: 6,
      })),
    });
    charts.push(chart);
  }

  function start() {
    if (typeof echarts === "undefined") return; // the tables and figures stand without the charts
    document.querySelectorAll("[data-chart=gauge]").forEach(gauge);
    document.querySelectorAll("[data-chart=trend]").forEach(trend);
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
    window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
