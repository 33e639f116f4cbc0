// bda-report: draws the charts of report.html from the JSON in #report-data with the embedded ECharts.
// SVG renderer and no animation: every chart is complete as soon as setOption returns, so headless
// Chromium prints finished charts.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var categoryColors = { Child: '#f59e0b', Movie: '#8b5cf6', Sport: '#10b981', TV: '#3b82f6', Relax: '#ec4899', none: '#9ca3af' };
  var segmentColors = ['#ef4444', '#f97316', '#3b82f6', '#16a34a'];
  var text = { fontFamily: '"DejaVu Sans", Arial, sans-serif', fontSize: 10, color: '#374151' };
  var grouped = function (v) { return Number(v).toLocaleString('en-US'); };
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    option.animation = false;
    option.textStyle = text;
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(option);
    charts.push(chart);
  }

  // Donuts with their labels at the chart's edges, so that small slices do not overlap or get cut.
  function donut(colors, items, label) {
    return {
      color: colors,
      series: [{
        type: 'pie', radius: ['30%', '54%'], center: ['50%', '52%'],
        label: { formatter: label, alignTo: 'edge', edgeDistance: 6, minMargin: 4, lineHeight: 13, fontSize: 9.5 },
        labelLine: { length: 10, length2: 0, maxSurfaceAngle: 80 },
        data: items
      }]
    };
  }

  draw('chart-segments', donut(segmentColors,
    data.segments.map(function (s) { return { name: s.name, value: s.customers }; }),
    function (p) { return p.name.replace(' Customer', '') + '\n' + grouped(p.value) + ' (' + p.percent.toFixed(1) + ' %)'; }));

  draw('chart-category-share', donut(data.categories.map(function (c) { return categoryColors[c.name]; }),
    data.categories.map(function (c) { return { name: c.name, value: c.duration }; }),
    function (p) { return p.name + ' ' + p.percent.toFixed(1) + ' %'; }));

  draw('chart-most-watch', {
    grid: { left: 56, right: 12, top: 26, bottom: 28 },
    xAxis: { type: 'category', data: data.mostWatch.map(function (m) { return m.name; }) },
    yAxis: { type: 'value', name: 'Customers', axisLabel: { formatter: grouped } },
    series: [{
      type: 'bar', barMaxWidth: 36, label: { show: true, position: 'top', formatter: function (p) { return grouped(p.value); } },
      data: data.mostWatch.map(function (m) { return { value: m.customers, itemStyle: { color: categoryColors[m.name] } }; })
    }]
  });

  draw('chart-activeness', {
    grid: { left: 56, right: 12, top: 26, bottom: 44 },
    xAxis: {
      type: 'category', name: 'Activeness (%)', nameLocation: 'middle', nameGap: 26, data: data.activeness.bins,
      axisLabel: { interval: 0, fontSize: 8 }
    },
    yAxis: { type: 'value', name: 'Customers', axisLabel: { formatter: grouped } },
    series: [{ type: 'bar', barCategoryGap: '8%', itemStyle: { color: '#6366f1' }, data: data.activeness.customers }]
  });

  draw('chart-daily-active', {
    grid: { left: 60, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', boundaryGap: false, data: data.daily.dates },
    yAxis: { type: 'value', name: 'Active per day', scale: true, axisLabel: { formatter: grouped } },
    series: [{
      type: 'line', symbolSize: 5, lineStyle: { width: 2, color: '#2563eb' }, itemStyle: { color: '#2563eb' },
      areaStyle: { color: 'rgba(37, 99, 235, 0.08)' }, data: data.daily.active
    }]
  });

  draw('chart-daily-duration', {
    color: data.categories.map(function (c) { return categoryColors[c.name]; }),
    legend: { top: 0, itemWidth: 12, itemHeight: 8 },
    grid: { left: 60, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: data.daily.dates },
    yAxis: { type: 'value', name: 'Hours watched', axisLabel: { formatter: grouped } },
    series: data.categories.map(function (c) {
      return { type: 'bar', stack: 'duration', name: c.name, barCategoryGap: '20%', data: data.daily.hours[c.name] };
    })
  });

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
