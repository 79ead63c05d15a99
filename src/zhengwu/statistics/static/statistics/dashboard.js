/* Statistics dashboard: ECharts (vendored, no CDN) drawn from the JSON the page embeds with
   json_script. Each chart has a data table beside it, so nothing depends on this script. */
(function () {
  "use strict";
  var node = document.getElementById("stats-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var L = data.labels;
  var large = document.documentElement.classList.contains("large-text");
  var font = large ? 16 : 12;
  var colors = { received: "#0b57a4", accepted: "#5b8fc7", completed: "#17622f", green: "#2e8b57", yellow: "#d9a400", red: "#b8221b" };
  var base = { textStyle: { fontSize: font }, animation: false, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: font } }, tooltip: { trigger: "axis" } };
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({}, base, option));
    charts.push(chart);
  }
  function pct(v) { return v === null ? null : Math.round(v * 1000) / 10; }
  function short(name) { return name.length > 10 ? name.slice(0, 10) + "…" : name; }

  draw("chart-trend", {
    xAxis: { type: "category", data: data.trend.map(function (m) { return m.month; }), axisLabel: { fontSize: font } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: font } },
    series: ["received", "accepted", "completed"].map(function (k) {
      return { name: L[k], type: k === "received" ? "bar" : "line", itemStyle: { color: colors[k] },
        data: data.trend.map(function (m) { return m[k]; }) };
    })
  });
  draw("chart-departments", {
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%", fontSize: font } },
    yAxis: { type: "category", inverse: true, data: data.departments.map(function (d) { return short(d.name); }), axisLabel: { fontSize: font } },
    series: [
      { name: L.on_time_rate, type: "bar", itemStyle: { color: colors.received }, data: data.departments.map(function (d) { return pct(d.on_time_rate); }) },
      { name: L.early_rate, type: "bar", itemStyle: { color: colors.completed }, data: data.departments.map(function (d) { return pct(d.early_rate); }) }
    ]
  });
  draw("chart-lights", {
    xAxis: { type: "category", data: data.lights.map(function (l) { return short(l.name); }), axisLabel: { fontSize: font, interval: 0, rotate: data.lights.length > 4 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: font } },
    series: ["green", "yellow", "red"].map(function (k) {
      return { name: L[k], type: "bar", stack: "lights", itemStyle: { color: colors[k] }, data: data.lights.map(function (l) { return l[k]; }) };
    })
  });
  draw("chart-channels", {
    tooltip: { trigger: "item" },
    series: [{ name: L.received, type: "pie", radius: ["35%", "65%"], center: ["50%", "58%"],
      label: { fontSize: font, formatter: "{b}\n{d}%" },
      data: data.channels.map(function (c) { return { name: c.name, value: c.received }; }) }]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
