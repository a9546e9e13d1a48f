/* Charts (ECharts) from <script type="application/json" id=…> blocks, and the live activity feed (SSE). */
(function () {
  "use strict";

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function renderChart(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) return;
    var spec = JSON.parse(JSON.parse(source.textContent));
    var text = css("--muted") || "#5f6880";
    var grid = css("--border") || "#e2e6ef";
    var palette = [css("--primary") || "#4f46e5", "#9aa3b8", "#0f7b4f", "#c0263a", "#9a5b00", "#0ea5e9", "#a855f7", "#64748b"];
    var allZero = spec.series.every(function (s) { return s.data.every(function (v) { return Number(v) === 0; }); });
    if (!spec.series.length || !spec.x.length || allZero) {
      el.innerHTML = '<div class="chart-empty">Nothing to chart in this range yet.</div>';
      return;
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var option;
    if (spec.kind === "pie") {
      // A plain legend wraps onto as many lines as it needs (a "scroll" one paged it as "1/3" and cut names).
      option = {
        color: palette,
        tooltip: { trigger: "item" },
        legend: { type: "plain", bottom: 0, left: "center", itemGap: 8, textStyle: { color: text } },
        series: [{
          type: "pie", radius: ["30%", "52%"], center: ["50%", "34%"], label: { show: false },
          data: spec.x.map(function (name, i) { return { name: name, value: spec.series[0].data[i] }; })
            .filter(function (d) { return d.value > 0; })
        }]
      };
    } else {
      var horizontal = spec.kind === "hbar";
      var category = { type: "category", data: spec.x, axisLabel: { color: text }, axisLine: { lineStyle: { color: grid } } };
      var value = { type: "value", axisLabel: { color: text }, splitLine: { lineStyle: { color: grid } } };
      var hasSecond = spec.series.some(function (s) { return s.axis === 1; });
      option = {
        color: palette,
        tooltip: { trigger: "axis" },
        legend: spec.series.length > 1 ? { top: 0, textStyle: { color: text } } : undefined,
        grid: { left: horizontal ? 160 : 56, right: hasSecond ? 48 : 16, top: spec.series.length > 1 ? 36 : 12, bottom: 28 },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? category : (hasSecond ? [value, { type: "value", axisLabel: { color: text }, splitLine: { show: false } }] : value),
        series: spec.series.map(function (s, i) {
          return {
            name: s.name, type: horizontal ? "bar" : (s.type || (spec.kind === "bar" ? "bar" : "line")),
            data: s.data, yAxisIndex: s.axis || 0, smooth: false, showSymbol: s.data.length < 40,
            barMaxWidth: 28, lineStyle: i === 1 ? { type: "dashed" } : undefined,
            itemStyle: { borderRadius: horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0] }
          };
        })
      };
    }
    chart.setOption(option);
    if (option.grid) fitLegend(chart, option.grid.top);
    if (hasSecond && !horizontal) shareZero(chart, spec);
    window.addEventListener("resize", function () {
      chart.resize();
      if (option.grid) fitLegend(chart, option.grid.top);
      if (hasSecond && !horizontal) shareZero(chart, spec);
    });
  }

  // A legend that wraps onto a second line on a phone (four series on the product page) would sit on the plot's top
  // labels: the plot starts below the legend as drawn, never above `top`.
  function fitLegend(chart, top) {
    var legend = chart.getModel().getComponent("legend");
    var view = legend && chart.getViewOfComponentModel(legend);
    if (!view || !view.group) return;
    var height = Math.ceil(view.group.getBoundingRect().height);
    chart.setOption({ grid: { top: Math.max(top, height + 14) } });
  }

  function niceStep(raw) {
    if (raw <= 1) return 1;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * power >= raw) return Math.ceil(steps[i] * power); }
    return Math.ceil(10 * power);
  }

  // Two y-axes (money left, counts right) share their zero and their grid lines: the right axis gets as many steps
  // above and below zero as the left one, each step a round number of orders.
  function shareZero(chart, spec) {
    var left = chart.getModel().getComponent("yAxis", 0).axis.scale;
    var extent = left.getExtent(), interval = left.getInterval();
    if (!interval) return;
    var up = Math.round(extent[1] / interval), down = Math.round(-extent[0] / interval);
    var most = 0;
    spec.series.forEach(function (s) { if (s.axis === 1) s.data.forEach(function (v) { most = Math.max(most, Number(v)); }); });
    var step = niceStep(most / Math.max(up, 1));
    chart.setOption({ yAxis: [{}, { min: -step * down, max: step * Math.max(up, 1), interval: step,
      axisLabel: { formatter: function (v) { return v < 0 ? "" : v.toLocaleString(); } } }] });
  }

  function startLive(list) {
    var state = document.querySelector("[data-live-state]");
    if (!window.EventSource) { if (state) state.textContent = "Live updates need a newer browser."; return; }
    var url = list.dataset.liveUrl;
    var source = new EventSource(url);
    source.onopen = function () { if (state) { state.textContent = "Live"; state.classList.add("on"); } };
    source.onerror = function () { if (state) { state.textContent = "Reconnecting…"; state.classList.remove("on"); } };
    source.addEventListener("activity", function (event) {
      var payload = JSON.parse(event.data);
      var holder = document.createElement("ul");
      holder.innerHTML = payload.html;
      var items = Array.prototype.slice.call(holder.children).reverse();
      items.forEach(function (item) { item.classList.add("fresh"); list.insertBefore(item, list.firstChild); });
      while (list.children.length > 30) list.removeChild(list.lastChild);
      var empty = document.querySelector(".activity + .empty-line");
      if (empty) empty.remove();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia && window.matchMedia("(max-width: 680px)").matches) {
      document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) { d.open = false; });
      document.querySelectorAll(".presets").forEach(function (row) {
        var active = row.querySelector(".chip.active");
        if (active) row.scrollLeft = active.offsetLeft - row.offsetLeft - 16;
      });
    }
    document.querySelectorAll("[data-chart]").forEach(renderChart);
    var list = document.querySelector("[data-live-url]");
    if (list) startLive(list);
  });
})();
