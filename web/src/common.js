// Shared by both pages: the API client, number formats, charts, the period picker and the refresh cycle.
'use strict';

const BDA = (() => {
  const CATEGORIES = ['Child', 'Movie', 'Sport', 'TV', 'Relax'];
  const CATEGORY_COLORS = { Child: '#f2a541', Movie: '#5470c6', Sport: '#3ba272', TV: '#ee6666', Relax: '#9a60b4', none: '#b8c0cc' };
  const SEGMENT_COLORS = ['#d1495b', '#edae49', '#66a182', '#2e4057'];
  const charts = new Map();
  const state = { config: null, periods: [], period: null, timer: null, loadPage: null, refreshCount: 0, notice: '',
    retry: null, retryDelay: 0 };
  const RETRY_FIRST_SECONDS = 10, RETRY_MAX_SECONDS = 300;

  // --- the API --------------------------------------------------------------------------------

  /** GET /api/<endpoint> with the non-empty params; throws an Error carrying the API's message. */
  async function api(endpoint, params = {}) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, v);
    const url = `/api/${endpoint}${query.toString() ? '?' + query : ''}`;
    let response;
    try {
      response = await fetch(url, { cache: 'no-store' });
    } catch (e) {
      throw new Error(`the dashboard server does not answer (${e.message})`);
    }
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON: reported below */ }
    if (!response.ok) {
      const error = new Error(body && body.error ? body.error : `HTTP ${response.status} for ${url}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  const latestCalls = new Map();
  /** Starts a call of kind `key` and returns a check that stays true until the next call of that kind
   * starts: an answer that arrives after a newer request was sent is dropped, not shown over it. */
  function latest(key) {
    const n = (latestCalls.get(key) || 0) + 1;
    latestCalls.set(key, n);
    return () => latestCalls.get(key) === n;
  }

  // --- formats --------------------------------------------------------------------------------

  const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const decFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fmtInt = (n) => (n === null || n === undefined ? '–' : intFormat.format(n));
  const fmtDec = (n) => (n === null || n === undefined ? '–' : decFormat.format(n));
  const fmtPercent = (share) => (share === null || share === undefined ? '–' : `${(share * 100).toFixed(2)} %`);
  /** Seconds as hours, e.g. "1,234.5 h". */
  const fmtHours = (seconds) =>
    seconds === null || seconds === undefined ? '–' : `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(seconds / 3600)} h`;

  /** Seconds as hours with one decimal, the unit of the duration charts. */
  const toHours = (seconds) => Math.round(seconds / 360) / 10;

  /** Sets a figure: the exact value in data-value, the formatted one as text. */
  function setFigure(id, value, format = fmtInt) {
    const el = document.getElementById(id);
    if (!el) return;
    el.dataset.value = value === null || value === undefined ? '' : String(value);
    el.textContent = format(value);
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  /** The five SPEC section 6 cards from an /api/overview answer. */
  function showKpis(ov) {
    setFigure('kpi-customers', ov.customers);
    setFigure('kpi-total-duration', ov.total_duration);
    setText('kpi-total-duration-sub', `seconds ≈ ${fmtHours(ov.total_duration)}`);
    setFigure('kpi-avg-month', ov.avg_duration_per_person_per_month, fmtDec);
    setText('kpi-avg-month-sub', `seconds ≈ ${fmtHours(ov.avg_duration_per_person_per_month)}`);
    setFigure('kpi-avg-week', ov.avg_duration_per_person_per_week, fmtDec);
    setText('kpi-avg-week-sub', `= per month / 4 ≈ ${fmtHours(ov.avg_duration_per_person_per_week)}`);
    setFigure('kpi-avg-day', ov.avg_duration_per_person_per_day, fmtDec);
    setText('kpi-avg-day-sub', `= per week / 7 ≈ ${fmtHours(ov.avg_duration_per_person_per_day)}`);
  }

  // --- charts ---------------------------------------------------------------------------------

  /** The ECharts instance of element `id`, created on first use; `option` replaces its content. */
  function chart(id, option) {
    let c = charts.get(id);
    if (!c) {
      c = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
      charts.set(id, c);
    }
    c.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'DejaVu Sans, sans-serif' } }, option), true);
    c.resize(); // its element may have been hidden when it was created
    return c;
  }

  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

  // --- errors ---------------------------------------------------------------------------------

  function showError(message) {
    const el = document.getElementById('error-banner');
    el.textContent = message;
    el.classList.remove('hidden');
  }

  function clearError() {
    const el = document.getElementById('error-banner');
    el.textContent = '';
    el.classList.add('hidden');
  }

  // --- the URL holds the page's state (shareable links) ---------------------------------------

  const urlParams = () => new URLSearchParams(window.location.search);

  function setUrlParams(values) {
    const params = urlParams();
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || v === null || v === '') params.delete(k);
      else params.set(k, v);
    }
    const query = params.toString();
    history.replaceState(null, '', `${window.location.pathname}${query ? '?' + query : ''}`);
  }

  // --- period and freshness -------------------------------------------------------------------

  /** A period is the exact set of its days: the warehouse's key names it ("2022-04-01..2022-04-30", or
   * "2022-04-01..2022-04-15/8002" for a list of days). */
  const periodKey = (p) => p.period_key;

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  /** "April 2022" for a whole month, "April 2022, to 17 April" for a month so far (what a daily run
   * loads: from the 1st, contiguous), else null. */
  const monthName = (p) => {
    const [y, m, d] = p.period_start.split('-').map(Number);
    const [y2, m2, d2] = p.period_end.split('-').map(Number);
    if (d !== 1 || y !== y2 || m !== m2 || (p.period_key || '').includes('/')) return null;
    const month = `${MONTHS[m - 1]} ${y}`;
    const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return d2 === lastDay ? month : `${month}, to ${d2} ${MONTHS[m - 1]}`;
  };

  /** "April 2022, to 17 April", else "2022-04-01 → 2022-04-30", with the number of selected days when
   * they are not the whole range. */
  const describePeriod = (p) => monthName(p) || `${p.period_start} → ${p.period_end}${
    p.period_key && p.period_key.includes('/') ? ` (list of ${p.days} days)` : ''}`;

  /** {period} of the chosen period, for API calls. */
  const periodParams = () => (state.period ? { period: state.period.period_key } : {});

  async function loadPeriods() {
    const answer = await api('periods');
    state.periods = answer.periods;
    const select = document.getElementById('period');
    const fromUrl = !state.period;
    const wanted = state.period ? periodKey(state.period) : urlParams().get('period');
    select.replaceChildren();
    for (const p of state.periods) {
      const option = document.createElement('option');
      option.value = periodKey(p);
      const list = p.period_key.includes('/') ? ' listed' : '';
      const named = monthName(p);
      option.textContent = named
        ? `${named} (${p.days} d, ${fmtInt(p.customers)} customers)`
        : `${p.period_start} → ${p.period_end} (${p.days} d${list}, ${fmtInt(p.customers)} customers)`;
      select.append(option);
    }
    state.period = state.periods.find((p) => periodKey(p) === wanted) || state.periods[0] || null;
    if (!state.period) throw new Error('the warehouse holds no loaded period yet: run bda-etl with the --db-* options');
    select.value = periodKey(state.period);
    // The link says which period it meant; one that is not loaded (any more) is named, not ignored.
    state.notice = wanted && periodKey(state.period) !== wanted
      ? `The period ${wanted}${fromUrl ? ' in the link' : ''} is not loaded; showing ${describePeriod(state.period)}.` : '';
    setUrlParams(periodParams()); // the address always names the period shown, so a shared link keeps it
  }

  async function loadLastLoad() {
    const { last_load: run } = await api('last_load');
    const el = document.getElementById('last-load');
    if (!run) {
      el.textContent = 'Last load: none yet';
      el.dataset.finishedAt = '';
      return;
    }
    el.dataset.finishedAt = run.finished_at;
    el.dataset.runId = run.run_id;
    const local = new Date(run.finished_at_epoch * 1000);
    el.textContent = `Last load: ${run.finished_at} (run ${run.run_id}, ${describePeriod({ ...run, days: run.selected_days })})`;
    el.title = `Finished ${local.toString()}; ${fmtInt(run.records)} records, ${fmtInt(run.rejected)} rejected lines, ` +
      `${fmtInt(run.contracts)} customers, ${run.ranks} ranks on ${run.host}`;
  }

  /** Reloads everything (periods, last load, the page's figures); the refresh button and timer call it. */
  async function refresh() {
    const button = document.getElementById('refresh');
    button.disabled = true;
    clearTimeout(state.retry);
    state.retry = null;
    const current = latest('refresh');
    try {
      await loadPeriods();
      await Promise.all([loadLastLoad(), state.loadPage()]);
      if (!current()) return;
      clearError();
      if (state.notice) showError(state.notice);
      state.retryDelay = 0;
      state.refreshCount += 1;
      const now = new Date();
      const el = document.getElementById('refreshed-at');
      el.dataset.refreshedAt = now.toISOString();
      el.dataset.refreshCount = String(state.refreshCount);
      const next = state.config.refresh_seconds > 0 ? `, next in ${describeSeconds(state.config.refresh_seconds)}` : '';
      el.textContent = `Data as of ${now.toLocaleTimeString()}${next}`;
    } catch (e) {
      if (!current()) return;
      // Try again by itself, waiting longer each time, until the warehouse answers.
      state.retryDelay = Math.min(RETRY_MAX_SECONDS, state.retryDelay ? state.retryDelay * 2 : RETRY_FIRST_SECONDS);
      showError(`Could not load the figures: ${e.message}; retrying in ${describeSeconds(state.retryDelay)}`);
      state.retry = setTimeout(refresh, state.retryDelay * 1000);
    } finally {
      button.disabled = false;
    }
  }

  function describeSeconds(s) {
    if (s % 86400 === 0) return s === 86400 ? '1 day' : `${s / 86400} days`;
    if (s % 3600 === 0) return `${s / 3600} h`;
    if (s % 60 === 0) return `${s / 60} min`;
    return `${s} s`;
  }

  /** Starts a page: `loadPage()` loads its figures for the chosen period. */
  async function start(loadPage) {
    state.loadPage = loadPage;
    document.getElementById('refresh').addEventListener('click', () => refresh());
    document.getElementById('period').addEventListener('change', (event) => {
      state.period = state.periods.find((p) => periodKey(p) === event.target.value) || state.period;
      setUrlParams(periodParams());
      state.notice = '';
      const current = latest('refresh'); // an older refresh's answers are no longer wanted
      loadPage().then(() => current() && clearError(), (e) => current() && showError(`Could not load the figures: ${e.message}`));
    });
    try {
      state.config = await api('config');
    } catch (e) {
      showError(`Could not reach the dashboard's API: ${e.message}`);
      return;
    }
    await refresh();
    if (state.config.refresh_seconds > 0) state.timer = setInterval(refresh, state.config.refresh_seconds * 1000);
  }

  return {
    CATEGORIES, CATEGORY_COLORS, SEGMENT_COLORS, api, chart, fmtInt, fmtDec, fmtPercent, fmtHours, toHours, setFigure, setText,
    showKpis, showError, clearError, urlParams, setUrlParams, periodParams, describePeriod, start, refresh, state, latest,
  };
})();
