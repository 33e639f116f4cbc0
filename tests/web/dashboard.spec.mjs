// The dashboard in a real browser and its JSON API, against figures computed directly on the
// database (expected.json). Run by tests/web/dashboard_test.sh, which sets the BDA_* variables.
// Plain node + assert; prints "ok"/"not ok" per check and "N passed, N failed" at the end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through tests/web/dashboard_test.sh`);
  return value;
}

const BASE = env('BDA_DASHBOARD_URL');
const FAST = env('BDA_DASHBOARD_FAST_URL'); // --refresh-seconds 2
const DOWN = env('BDA_DASHBOARD_DOWN_URL'); // its database socket does not exist
const SHOTS = env('BDA_SCREENSHOT_DIR');
const X = JSON.parse(fs.readFileSync(env('BDA_EXPECTED_JSON'), 'utf8'));
const { chromium } = await import(pathToFileURL(env('BDA_PLAYWRIGHT')).href);

const CATEGORIES = ['Child', 'Movie', 'Sport', 'TV', 'Relax'];
const SEGMENTS = ['At Risk Customer', 'Need Attention Customer', 'Valuable Customer', 'Loyal Customer'];
const MONTH = { period: X.period.period_key };
const WEEK = { period: X.week.period_key };
const LIST = { period: X.list.period_key }; // 2022-04-01 and 2022-04-07 only: same first and last day as WEEK
const WAIT_MS = 15000;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(e.stack || e).replaceAll('\n', '\n  ')}`);
  }
}

// --- the API --------------------------------------------------------------------------------------

async function get(base, endpoint, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`${base}/api/${endpoint}${query ? '?' + query : ''}`);
  const type = response.headers.get('content-type') || '';
  assert.match(type, /^application\/json/, `${endpoint}: content type ${type}`);
  return { status: response.status, body: await response.json() };
}

async function ok(endpoint, params = {}, base = BASE) {
  const { status, body } = await get(base, endpoint, params);
  assert.equal(status, 200, `${endpoint}?${new URLSearchParams(params)} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** The SPEC section 6 figures of an /api/overview answer, named as in expected.json. */
const spec6 = (o) => ({ customers: o.customers, total_duration: o.total_duration, avg_month: o.avg_duration_per_person_per_month,
  avg_week: o.avg_duration_per_person_per_week, avg_day: o.avg_duration_per_person_per_day });

await check('GET /api/overview: SPEC §6 figures as JSON numbers, equal to v_period_metrics and to the base table', async () => {
  const o = await ok('overview', MONTH);
  for (const key of ['customers', 'total_duration', 'avg_duration_per_person_per_month', 'avg_duration_per_person_per_week',
    'avg_duration_per_person_per_day']) assert.equal(typeof o[key], 'number', `${key} is a ${typeof o[key]}`);
  assert.deepEqual(spec6(o), X.metrics);
  assert.deepEqual(spec6(o), X.metrics_direct);
  assert.deepEqual(spec6(await ok('overview')), X.metrics, 'without a period: the latest one (the month)');
  assert.equal((await ok('overview', WEEK)).customers, X.week.customers, 'the week');
});

await check('filters: segment, MostWatch and Taste give the direct counts and sums', async () => {
  for (const segment of SEGMENTS)
    assert.equal((await ok('overview', { ...MONTH, segment })).customers, X.segment_counts[segment] || 0, segment);
  assert.deepEqual(spec6(await ok('overview', { ...MONTH, segment: 'Loyal Customer' })), X.loyal);
  assert.deepEqual(spec6(await ok('overview', { ...MONTH, segment: 'Loyal Customer', most_watch: 'TV' })), X.loyal_tv);
  assert.deepEqual(spec6(await ok('overview', { ...MONTH, segment: 'At Risk Customer', taste: 'Child' })), X.at_risk_child_taste);
  assert.deepEqual(spec6(await ok('overview', { ...MONTH, most_watch: 'none' })), X.most_watch_none);
  const page = await ok('customers', { ...MONTH, segment: 'Loyal Customer', page_size: 500 });
  assert.equal(page.total, X.segment_counts['Loyal Customer']);
  assert.ok(page.rows.every((r) => r.segment === 'Loyal Customer'));
});

await check('segments, categories, MostWatch, daily series, histogram and matrix equal the database', async () => {
  const seg = await ok('segments', MONTH);
  assert.deepEqual(seg.segments.map((s) => s.segment), SEGMENTS);
  assert.deepEqual(seg.segments.map((s) => s.customers), SEGMENTS.map((s) => X.segments.find((e) => e.segment === s)?.customers ?? 0));
  const cat = await ok('categories', MONTH);
  assert.deepEqual(cat.categories.map((c) => [c.category, c.total_duration, c.share_of_total, c.most_watch_customers]),
    X.categories.map((c) => [c.category, c.total_duration, c.share_of_total, c.most_watch_customers]));
  assert.equal(cat.no_most_watch_customers, X.no_most_watch);
  const daily = await ok('daily', MONTH);
  assert.deepEqual(daily.days.map((d) => [d.stat_date, d.active_customers, ...CATEGORIES.map((c) => d[`${c.toLowerCase()}_duration`])]),
    X.daily.map((d) => [d.stat_date, d.active_customers, ...CATEGORIES.map((c) => d[c])]));
  assert.deepEqual((await ok('activeness_histogram', MONTH)).bins.map((b) => b.customers), X.histogram);
  const m = await ok('segment_mostwatch', MONTH);
  for (const cell of m.cells) assert.equal(cell.customers, X.matrix[`${cell.segment}|${cell.most_watch}`] || 0, `${cell.segment} x ${cell.most_watch}`);
});

await check('bad requests answer 400 with {"error": ...}, never 500', async () => {
  const bad = [
    ['overview', { period: '2022-04-31..2022-04-30' }, /not a period key/],
    ['overview', { period: 'yesterday' }, /not a period key/],
    ['overview', { period: '2022-04-30..2022-04-01' }, /before/],
    ['overview', { period: '2022-04-01..2022-04-07/81' }, /after the last day/],
    ['overview', { period: '2022-04-01..2022-04-07/fe' }, /without a bitmap|after the last day/],
    ['overview', { period_start: '2022-04-01', period_end: '2022-04-30' }, /unknown parameter/],
    ['daily', { ...WEEK, period_start: '2022-04-01', period_end: '2022-04-07' }, /not both/],
    ['overview', { segment: 'Gold Customer' }, /unknown segment/],
    ['overview', { most_watch: 'Cartoon' }, /unknown most_watch/],
    ['segments', { most_watch: 'tv' }, /unknown most_watch/],
    ['overview', { taste: 'TV-Movie' }, /unknown taste/],
    ['customers', { page_size: '0' }, /page_size/],
    ['customers', { page_size: '10000' }, /page_size/],
    ['customers', { page: '-1' }, /page/],
    ['customers', { sort: 'password' }, /unknown sort column/],
    ['customers', { sort: 'total_duration; DROP TABLE customer_behavior' }, /unknown sort column/],
    ['customers', { order: 'sideways' }, /order/],
    ['customers', { bogus: '1' }, /unknown parameter/],
    ['activeness_histogram', { bins: '0' }, /bins/],
    ['customer', {}, /contract/],
    ['customer', { contract_hex: 'XYZ' }, /hex/],
    ['daily', { period_start: '2000-01-01', period_end: '2022-04-30' }, /at most/],
  ];
  for (const [endpoint, params, message] of bad) {
    const { status, body } = await get(BASE, endpoint, params);
    assert.equal(status, 400, `${endpoint}?${new URLSearchParams(params)}: ${status} ${JSON.stringify(body)}`);
    assert.equal(typeof body.error, 'string');
    assert.match(body.error, message);
  }
  const notFound = await get(BASE, 'overview', { period: '2021-01-01..2021-01-31' });
  assert.equal(notFound.status, 404, 'a valid period that is not loaded');
  assert.equal((await get(BASE, 'no_such_endpoint')).status, 404);
  assert.equal((await get(BASE, 'customer', { contract: 'nobody-at-all' })).status, 404);
});

await check("search is a bound prefix: ' OR 1=1 -- matches nothing, % and _ match themselves", async () => {
  const injection = await ok('customers', { ...MONTH, search: "' OR 1=1 --" });
  assert.equal(X.injection_customers, 0);
  assert.equal(injection.total, 0);
  assert.deepEqual(injection.rows, []);
  const percent = await ok('customers', { ...MONTH, search: 'ZZ-100%', page_size: 500 });
  assert.ok(X.percent_contracts.length > 0);
  assert.deepEqual(percent.rows.map((r) => r.contract).sort(), [...X.percent_contracts].sort());
  assert.equal((await ok('customers', { ...MONTH, search: '_' })).total, X.underscore_customers);
  const zz = await ok('customers', { ...MONTH, search: 'zz-', page_size: 100 });
  assert.equal(zz.total, X.zz_customers, 'as typed or in upper case');
  assert.deepEqual(zz.rows.map((r) => r.contract).sort(), [...X.hand_made].sort());
});

await check('pagination and sorting', async () => {
  const n = X.metrics.customers;
  const first = await ok('customers', { ...MONTH, page_size: 7 });
  assert.equal(first.total, n);
  assert.equal(first.pages, Math.ceil(n / 7));
  assert.equal(first.rows.length, 7);
  const last = await ok('customers', { ...MONTH, page_size: 7, page: first.pages });
  assert.equal(last.rows.length, n - 7 * (first.pages - 1));
  assert.deepEqual((await ok('customers', { ...MONTH, page_size: 7, page: first.pages + 1 })).rows, []);
  const byContract = await ok('customers', { ...MONTH, sort: 'contract', order: 'asc', page_size: 3 });
  assert.deepEqual(byContract.rows.map((r) => r.contract_hex), X.first_by_contract);
  const byDays = await ok('customers', { ...MONTH, sort: 'date_count', order: 'desc', page_size: 1 });
  assert.equal(byDays.rows[0].date_count, X.max_date_count);
  const totals = (await ok('customers', { ...MONTH, sort: 'total_duration', order: 'asc', page_size: 50 })).rows.map((r) => r.total_duration);
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b));
});

await check('one customer: profile and history by contract text and by hex', async () => {
  const c = await ok('customer', { contract: 'ZZ-<script>alert(1)</script>', ...MONTH });
  assert.equal(c.contract, 'ZZ-<script>alert(1)</script>');
  assert.equal(c.profile.segment, 'Loyal Customer');
  assert.equal(c.profile.date_count, 30);
  assert.equal(c.profile.most_watch, 'TV');
  assert.deepEqual(c.history.map((h) => [h.period_key, h.days]),
    [[MONTH.period, 30], [LIST.period, 2], [WEEK.period, 7]]);
  const inList = await ok('customer', { contract: 'ZZ-<script>alert(1)</script>', ...LIST });
  assert.equal(inList.profile.period_key, LIST.period);
  assert.equal(inList.profile.date_count, 2);
  assert.equal(inList.profile.activeness, 100);
  const byHex = await ok('customer', { contract_hex: c.contract_hex });
  assert.deepEqual(byHex.history, c.history);
  const utf8 = await ok('customer', { contract: 'ZZ-Ngô-Thị-😀' });
  assert.equal(utf8.profile.most_watch, 'Child');
  const zero = await ok('customer', { contract: 'ZZ-ZERO' });
  assert.equal(zero.profile.most_watch, null);
  assert.equal(zero.profile.taste, '');
});

await check('last load, periods and config', async () => {
  const { last_load: run } = await ok('last_load');
  assert.equal(run.run_id, X.last_load.run_id);
  assert.equal(run.finished_at, X.last_load.finished_at);
  assert.equal(typeof run.rejects, 'object');
  const { periods } = await ok('periods');
  assert.deepEqual(periods.map((p) => [p.period_key, p.period_start, p.period_end, p.days, p.customers]), [
    [MONTH.period, '2022-04-01', '2022-04-30', 30, X.metrics.customers],
    [LIST.period, '2022-04-01', '2022-04-07', 2, X.list.customers],
    [WEEK.period, '2022-04-01', '2022-04-07', 7, X.week.customers]]);
  const week = await ok('overview', WEEK), list = await ok('overview', LIST);
  assert.deepEqual([week.period.days, list.period.days], [7, 2], 'a period keeps its own D');
  assert.equal(list.customers, X.list.customers);
  assert.equal(X.list.max_date_count, 2);
  assert.equal((await ok('config')).refresh_seconds, 86400, 'the default refresh is daily');
  assert.equal((await ok('config', {}, FAST)).refresh_seconds, 2);
});

await check('a database outage answers 503 with a JSON error', async () => {
  for (const endpoint of ['overview', 'customers', 'health']) {
    const { status, body } = await get(DOWN, endpoint);
    assert.equal(status, 503, `${endpoint}: ${status} ${JSON.stringify(body)}`);
    assert.match(body.error, /cannot connect to the warehouse/);
  }
  assert.equal((await get(DOWN, 'config')).status, 200, 'what needs no database still answers');
});

// --- the browser ----------------------------------------------------------------------------------

const context = await chromium.launchPersistentContext(env('BDA_BROWSER_PROFILE'), {
  executablePath: env('BDA_CHROMIUM'),
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
  deviceScaleFactor: 1,
});

/** A new page that records console errors, uncaught exceptions, dialogs and requests leaving the host. */
async function openPage() {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') problems.push(`request off the host: ${r.url()}`);
  });
  return { page, problems };
}

/** Waits until the page has finished its n-th refresh cycle. */
async function refreshed(page, n = 1) {
  await page.waitForFunction((k) => Number(document.getElementById('refreshed-at').dataset.refreshCount || 0) >= k, n, { timeout: WAIT_MS });
}

const value = (page, id) => page.$eval(`#${id}`, (el) => el.dataset.value);

/** Waits until #id's data-value is `want`; fails naming what it shows instead. */
async function expectFigure(page, id, want) {
  try {
    await page.waitForFunction(([i, w]) => document.getElementById(i)?.dataset.value === w, [id, String(want ?? '')], { timeout: WAIT_MS });
  } catch (e) {
    assert.equal(await value(page, id), String(want ?? ''), `#${id}`);
  }
}

/** An ECharts instance's series data (values only) and how many of its canvas pixels are painted. */
function chartState(page, id) {
  return page.evaluate((elementId) => {
    const el = document.getElementById(elementId);
    const chart = window.echarts && window.echarts.getInstanceByDom(el);
    if (!chart) return null;
    const canvas = el.querySelector('canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
    const plain = (d) => (d !== null && typeof d === 'object' && !Array.isArray(d) ? d.value : d);
    return { painted, series: chart.getOption().series.map((s) => ({ name: s.name, data: s.data.map(plain) })) };
  }, id);
}

async function expectChart(page, id) {
  const state = await chartState(page, id);
  assert.ok(state, `#${id} has no ECharts instance`);
  assert.ok(state.painted > 1000, `#${id}: only ${state.painted} pixels painted`);
  return state.series;
}

const toHours = (seconds) => Math.round(seconds / 360) / 10; // as web/src/common.js

async function expectKpis(page, m) {
  await expectFigure(page, 'kpi-customers', m.customers);
  await expectFigure(page, 'kpi-total-duration', m.total_duration);
  await expectFigure(page, 'kpi-avg-month', m.avg_month);
  await expectFigure(page, 'kpi-avg-week', m.avg_week);
  await expectFigure(page, 'kpi-avg-day', m.avg_day);
}

await check('overview page: figures and charts equal the database, refresh button, period picker', async () => {
  const { page, problems } = await openPage();
  await page.goto(`${BASE}/`);
  await refreshed(page);
  await expectKpis(page, X.metrics);
  assert.equal(await page.$eval('#kpi-customers', (el) => el.textContent), X.metrics.customers.toLocaleString('en-US'));
  const segments = await expectChart(page, 'chart-segments');
  assert.deepEqual(segments[0].data, SEGMENTS.map((s) => X.segment_counts[s] || 0));
  const share = await expectChart(page, 'chart-category-share');
  assert.deepEqual(share[0].data, X.categories.map((c) => c.total_duration));
  const mostWatch = await expectChart(page, 'chart-most-watch');
  assert.deepEqual(mostWatch[0].data, [...X.categories.map((c) => c.most_watch_customers), X.no_most_watch]);
  const active = await expectChart(page, 'chart-daily-active');
  assert.deepEqual(active[0].data, X.daily.map((d) => d.active_customers));
  const duration = await expectChart(page, 'chart-daily-duration');
  assert.deepEqual(duration.map((s) => s.name), CATEGORIES);
  for (const s of duration) assert.deepEqual(s.data, X.daily.map((d) => toHours(d[s.name])), s.name);

  const lastLoad = await page.$eval('#last-load', (el) => ({ text: el.textContent, at: el.dataset.finishedAt }));
  assert.equal(lastLoad.at, X.last_load.finished_at);
  assert.ok(lastLoad.text.includes(X.last_load.finished_at) && lastLoad.text.includes(`run ${X.last_load.run_id}`), lastLoad.text);

  await page.click('#refresh');
  await refreshed(page, 2);
  await expectKpis(page, X.metrics);

  // Periods that are a month read as one: the whole month, the month so far (a daily run's), else dates.
  const options = await page.$$eval('#period option', (os) => Object.fromEntries(os.map((o) => [o.value, o.textContent])));
  assert.match(options[MONTH.period], /^April 2022 \(30 d, /);
  assert.match(options[WEEK.period], /^April 2022, to 7 April \(7 d, /);
  assert.match(options[LIST.period], /^2022-04-01 → 2022-04-07 \(2 d listed, /);
  await page.selectOption('#period', WEEK.period);
  await expectFigure(page, 'kpi-customers', X.week.customers);
  assert.match(page.url(), /period=2022-04-01\.\.2022-04-07(&|$)/);
  await page.selectOption('#period', LIST.period);
  await expectFigure(page, 'kpi-customers', X.list.customers);
  assert.match(page.url(), /period=2022-04-01\.\.2022-04-07%2F82(&|$)/);
  await page.selectOption('#period', MONTH.period);
  await expectKpis(page, X.metrics);
  await page.waitForTimeout(200); // let the charts settle before the picture
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-overview.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

await check('auto-refresh: a page reloads its data every --refresh-seconds', async () => {
  const { page, problems } = await openPage();
  const calls = [];
  page.on('request', (r) => { if (r.url().includes('/api/overview')) calls.push(Date.now()); });
  await page.goto(`${FAST}/`);
  await refreshed(page, 3); // two timer ticks at 2 s
  assert.ok(calls.length >= 3, `${calls.length} overview requests`);
  assert.match(await page.$eval('#refreshed-at', (el) => el.textContent), /next in 2 s/);
  await expectKpis(page, X.metrics);
  assert.deepEqual(problems, []);
  await page.close();
});

await check('details page: histogram, matrix, filters, search, sorting, paging, profile', async () => {
  const { page, problems } = await openPage();
  await page.goto(`${BASE}/details`);
  await refreshed(page);
  await expectKpis(page, X.metrics);
  await expectFigure(page, 'customers-total', X.metrics.customers);
  const histogram = await expectChart(page, 'chart-activeness');
  assert.deepEqual(histogram[0].data, X.histogram);
  const matrix = await expectChart(page, 'chart-matrix');
  const most = [...CATEGORIES, 'none'];
  for (const [x, y, n] of matrix[0].data) assert.equal(n, X.matrix[`${SEGMENTS[y]}|${most[x]}`] || 0, `${SEGMENTS[y]} x ${most[x]}`);

  // Filters: each one changes the figures to the direct counts.
  await page.selectOption('#filter-segment', 'Loyal Customer');
  await expectKpis(page, X.loyal);
  await expectFigure(page, 'customers-total', X.loyal.customers);
  assert.match(page.url(), /segment=Loyal\+Customer/);
  await page.selectOption('#filter-most-watch', 'TV');
  await expectKpis(page, X.loyal_tv);
  await expectFigure(page, 'customers-total', X.loyal_tv.customers);
  const cells = await page.$$eval('#customers-body tr', (rows) => rows.map((r) => r.children[4].textContent));
  assert.ok(cells.length > 0 && cells.every((c) => c === 'TV'), cells.join());
  await page.click('#filter-reset');
  await expectKpis(page, X.metrics);
  await page.selectOption('#filter-segment', 'At Risk Customer');
  await page.selectOption('#filter-taste', 'Child');
  await expectKpis(page, X.at_risk_child_taste);
  await page.click('#filter-reset');
  await expectFigure(page, 'customers-total', X.metrics.customers);

  // Search: markup in a contract stays text; an injection attempt matches nothing.
  await page.fill('#search', 'zz-');
  await expectFigure(page, 'customers-total', X.zz_customers);
  const contracts = await page.$$eval('#customers-body td.contract', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(contracts.sort(), [...X.hand_made].sort());
  assert.equal(await page.$$eval('#customers-body script', (s) => s.length), 0);
  await page.fill('#search', "' OR 1=1 --");
  await expectFigure(page, 'customers-total', 0);
  assert.equal(await page.$eval('#customers-body', (b) => b.textContent), 'No customer matches.');
  await page.fill('#search', '');
  await expectFigure(page, 'customers-total', X.metrics.customers);

  // Sorting by a header, paging.
  await page.click('#customers-table th[data-sort="date_count"]');
  await page.waitForFunction(() => document.querySelector('#customers-table th[data-sort="date_count"]').classList.contains('sorted-desc'),
    null, { timeout: WAIT_MS });
  assert.equal(Number(await page.$eval('#customers-body tr td:nth-child(3)', (td) => td.textContent)), X.max_date_count);
  await page.click('#page-next');
  await page.waitForFunction(() => document.getElementById('page-info').dataset.page === '2', null, { timeout: WAIT_MS });

  // One customer's profile.
  const row = await page.$eval('#customers-body tr', (tr) => ({ hex: tr.dataset.contractHex, contract: tr.children[0].textContent }));
  await page.click('#customers-body tr');
  await page.waitForSelector('#profile:not(.hidden)', { timeout: WAIT_MS });
  await page.waitForFunction((hex) => document.getElementById('profile').dataset.contractHex === hex, row.hex, { timeout: WAIT_MS });
  assert.equal(await page.$eval('#profile-contract', (el) => el.textContent), row.contract);
  await expectChart(page, 'chart-profile');
  assert.match(page.url(), new RegExp(`contract_hex=${row.hex}`));

  // The keyboard reaches the rows: focus the second one, Enter opens its profile.
  const second = await page.$eval('#customers-body tr:nth-child(2)', (tr) => ({ hex: tr.dataset.contractHex, tab: tr.tabIndex }));
  assert.equal(second.tab, 0, 'a table row is in the tab order');
  await page.focus('#customers-body tr:nth-child(2)');
  await page.keyboard.press('Enter');
  await page.waitForFunction((hex) => document.getElementById('profile').dataset.contractHex === hex, second.hex, { timeout: WAIT_MS });
  assert.deepEqual(problems, []);
  await page.close();
});

await check('a link always names its period; one that is not loaded is said so, not silently replaced', async () => {
  const { page } = await openPage();
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => /period=/.test(window.location.search), null, { timeout: WAIT_MS });
  const shown = await page.$eval('#period', (el) => el.value);
  assert.equal(new URL(page.url()).searchParams.get('period'), shown, 'the address names the period shown');
  await page.goto(`${BASE}/details?period=2021-01-01..2021-01-31&segment=Loyal+Customer`);
  await page.waitForSelector('#error-banner:not(.hidden)', { timeout: WAIT_MS });
  assert.match(await page.$eval('#error-banner', (el) => el.textContent),
    /The period 2021-01-01\.\.2021-01-31 in the link is not loaded; showing /);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('period'), await page.$eval('#period', (el) => el.value));
  assert.equal(url.searchParams.get('segment'), 'Loyal Customer', 'the rest of the link is kept');
  await page.close();
});

await check('details page screenshot with a profile open; the state survives a reload from the URL', async () => {
  const { page, problems } = await openPage();
  await page.goto(`${BASE}/details?segment=Loyal+Customer`);
  await refreshed(page);
  await expectFigure(page, 'customers-total', X.loyal.customers);
  assert.equal(await page.$eval('#filter-segment', (s) => s.value), 'Loyal Customer');
  await page.click('#filter-reset');
  await expectFigure(page, 'customers-total', X.metrics.customers);
  await page.click('#customers-body tr');
  await page.waitForSelector('#profile:not(.hidden)', { timeout: WAIT_MS });
  await expectChart(page, 'chart-profile');
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-details.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

await check('a page whose database is down shows the error instead of figures', async () => {
  const { page } = await openPage();
  await page.goto(`${DOWN}/`);
  await page.waitForSelector('#error-banner:not(.hidden)', { timeout: WAIT_MS });
  assert.match(await page.$eval('#error-banner', (el) => el.textContent), /cannot connect to the warehouse.*; retrying in 10 s/);
  await page.close();
});

await context.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
