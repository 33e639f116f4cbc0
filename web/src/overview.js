// The overview page: SPEC section 6 figures, segments, category shares, MostWatch, the daily series.
'use strict';

(() => {
  const { CATEGORIES, CATEGORY_COLORS, SEGMENT_COLORS } = BDA;

  function showSegments(answer) {
    const rows = answer.segments;
    BDA.chart('chart-segments', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 150, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value', name: 'customers', nameLocation: 'middle', nameGap: 22 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.segment) },
      series: [{
        type: 'bar', name: 'Customers',
        data: rows.map((r, i) => ({ value: r.customers, itemStyle: { color: SEGMENT_COLORS[i] } })),
        label: { show: true, position: 'right', formatter: (p) => BDA.fmtInt(p.value) },
      }],
    });
  }

  function showCategoryShare(answer) {
    BDA.chart('chart-category-share', {
      tooltip: { trigger: 'item', formatter: (p) => `${p.name}: ${BDA.fmtHours(p.value)} (${p.percent} %)` },
      legend: { bottom: 0 },
      series: [{
        type: 'pie', name: 'Duration', radius: ['32%', '58%'], center: ['50%', '45%'],
        label: { formatter: (p) => `${p.name} ${p.percent.toFixed(1)} %`, alignTo: 'edge', edgeDistance: 8, overflow: 'none' },
        data: answer.categories.map((c) => ({ name: c.category, value: c.total_duration, itemStyle: { color: CATEGORY_COLORS[c.category] } })),
      }],
    });
  }

  function showMostWatch(answer) {
    const names = [...CATEGORIES, 'none'];
    const counts = [...answer.categories.map((c) => c.most_watch_customers), answer.no_most_watch_customers];
    BDA.chart('chart-most-watch', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 60, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', name: 'customers' },
      series: [{
        type: 'bar', name: 'Customers',
        data: counts.map((n, i) => ({ value: n, itemStyle: { color: CATEGORY_COLORS[names[i]] } })),
        label: { show: true, position: 'top', formatter: (p) => BDA.fmtInt(p.value) },
      }],
    });
  }

  function showDaily(answer) {
    const days = answer.days.map((d) => d.stat_date);
    BDA.chart('chart-daily-active', {
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', name: 'customers' },
      series: [{ type: 'line', name: 'Active customers', data: answer.days.map((d) => d.active_customers), areaStyle: { opacity: 0.15 },
        itemStyle: { color: '#1f4e79' } }],
    });
    BDA.chart('chart-daily-duration', {
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} h` },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', name: 'hours' },
      series: CATEGORIES.map((c) => ({
        type: 'bar', stack: 'duration', name: c, itemStyle: { color: CATEGORY_COLORS[c] },
        data: answer.days.map((d) => BDA.toHours(d[`${c.toLowerCase()}_duration`])),
      })),
    });
  }

  async function load() {
    const period = BDA.periodParams();
    const current = BDA.latest('overview');
    const [overview, segments, categories, daily] = await Promise.all([
      BDA.api('overview', period), BDA.api('segments', period), BDA.api('categories', period), BDA.api('daily', period),
    ]);
    if (!current()) return; // a newer period's answers are on their way
    BDA.showKpis(overview);
    showSegments(segments);
    showCategoryShare(categories);
    showMostWatch(categories);
    showDaily(daily);
  }

  document.addEventListener('DOMContentLoaded', () => BDA.start(load));
})();
