// The detailed analysis page: filters, Activeness histogram, segment x MostWatch matrix, the customer
// table (paginated, sortable, searchable) and one customer's profile. Its state lives in the URL.
'use strict';

(() => {
  const { CATEGORIES, CATEGORY_COLORS } = BDA;
  const TEXT_COLUMNS = new Set(['contract', 'segment', 'most_watch', 'taste']);
  const SEARCH_DELAY_MS = 300;

  const url = BDA.urlParams();
  const filters = { segment: url.get('segment') || '', most_watch: url.get('most_watch') || '', taste: url.get('taste') || '' };
  const table = {
    page: Number(url.get('page')) || 1,
    page_size: Number(url.get('page_size')) || 25,
    sort: url.get('sort') || 'total_duration',
    order: url.get('order') || 'desc',
    search: url.get('search') || '',
  };
  let selected = url.get('contract_hex') || '';
  let pages = 1;

  const filterParams = () => ({ ...BDA.periodParams(), ...filters });
  const saveState = () => BDA.setUrlParams({ ...filters, ...table, page: table.page > 1 ? table.page : '', contract_hex: selected });

  // --- filters --------------------------------------------------------------------------------

  function fillSelect(id, values, current, label = (v) => v) {
    const select = document.getElementById(id);
    const first = select.options[0];
    select.replaceChildren(first);
    for (const v of values) {
      const option = document.createElement('option');
      option.value = v;
      option.textContent = label(v);
      select.append(option);
    }
    if (current && !values.includes(current)) {
      const option = document.createElement('option'); // keep a value from the URL visible
      option.value = current;
      option.textContent = current;
      select.append(option);
    }
    select.value = current;
  }

  async function loadFilterChoices() {
    const [segments, tastes] = await Promise.all([BDA.api('segments', BDA.periodParams()), BDA.api('tastes', BDA.periodParams())]);
    fillSelect('filter-segment', segments.segments.map((s) => s.segment), filters.segment);
    fillSelect('filter-most-watch', [...CATEGORIES, 'none'], filters.most_watch, (v) => (v === 'none' ? 'none (no viewing time)' : v));
    const counts = new Map(tastes.tastes.map((t) => [t.taste, t.customers]));
    fillSelect('filter-taste', tastes.tastes.map((t) => t.taste), filters.taste,
      (v) => `${v === 'none' ? 'none (no viewing time)' : v} (${BDA.fmtInt(counts.get(v))})`);
  }

  // --- charts ---------------------------------------------------------------------------------

  function showHistogram(answer) {
    BDA.chart('chart-activeness', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 60, right: 20, top: 20, bottom: 45 },
      xAxis: { type: 'category', name: 'Activeness %', nameLocation: 'middle', nameGap: 30, axisLabel: { interval: 0, fontSize: 11 },
        data: answer.bins.map((b) => `${+b.from.toFixed(2)}–${+b.to.toFixed(2)}`) },
      yAxis: { type: 'value', name: 'customers' },
      series: [{ type: 'bar', name: 'Customers', data: answer.bins.map((b) => b.customers), itemStyle: { color: '#1f4e79' },
        label: { show: true, position: 'top', formatter: (p) => BDA.fmtInt(p.value) } }],
    });
  }

  function showMatrix(answer) {
    const data = [];
    let max = 0;
    answer.matrix.forEach((line, y) => line.forEach((n, x) => { data.push([x, y, n]); max = Math.max(max, n); }));
    BDA.chart('chart-matrix', {
      tooltip: { formatter: (p) => `${answer.segments[p.value[1]]} · ${answer.most_watch[p.value[0]]}: ${BDA.fmtInt(p.value[2])} customers` },
      grid: { left: 160, right: 20, top: 10, bottom: 80 },
      xAxis: { type: 'category', data: answer.most_watch, splitArea: { show: true } },
      yAxis: { type: 'category', data: answer.segments, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: Math.max(max, 1), calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
        inRange: { color: ['#f0f5fb', '#1f4e79'] } },
      series: [{ type: 'heatmap', name: 'Customers', data, label: { show: true, formatter: (p) => BDA.fmtInt(p.value[2]) } }],
    });
  }

  // --- the customer table ---------------------------------------------------------------------

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function showCustomers(answer) {
    BDA.setFigure('customers-total', answer.total);
    const body = document.getElementById('customers-body');
    body.replaceChildren();
    if (answer.rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(answer.total === 0 ? 'No customer matches.' : 'No rows on this page.', 'empty');
      td.colSpan = 12;
      tr.append(td);
      body.append(tr);
    }
    for (const r of answer.rows) {
      const tr = document.createElement('tr');
      tr.dataset.contractHex = r.contract_hex;
      if (r.contract_hex === selected) tr.classList.add('selected');
      const contract = cell(r.contract, 'contract');
      contract.title = r.contract;
      tr.append(contract, cell(r.segment, 'text'), cell(r.date_count), cell(BDA.fmtDec(r.activeness)),
        cell(r.most_watch || 'none', 'text'), cell(r.taste || 'none', 'text'), cell(BDA.fmtInt(r.total_duration)),
        cell(BDA.fmtInt(r.child_duration)), cell(BDA.fmtInt(r.movie_duration)), cell(BDA.fmtInt(r.sport_duration)),
        cell(BDA.fmtInt(r.tv_duration)), cell(BDA.fmtInt(r.relax_duration)));
      tr.addEventListener('click', () => selectCustomer(r.contract_hex));
      // Reachable with the keyboard: Tab to a row, Enter or Space opens its profile.
      tr.tabIndex = 0;
      tr.setAttribute('role', 'button');
      tr.setAttribute('aria-label', `Profile of ${r.contract}`);
      tr.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        selectCustomer(r.contract_hex);
      });
      body.append(tr);
    }
    pages = Math.max(answer.pages, 1);
    const info = document.getElementById('page-info');
    info.textContent = `Page ${BDA.fmtInt(answer.page)} of ${BDA.fmtInt(pages)} · ${BDA.fmtInt(answer.total)} customers`;
    info.dataset.page = answer.page;
    info.dataset.pages = answer.pages;
    document.getElementById('page-prev').disabled = answer.page <= 1;
    document.getElementById('page-next').disabled = answer.page >= pages;
    for (const th of document.querySelectorAll('#customers-table th[data-sort]')) {
      th.classList.toggle('sorted-asc', th.dataset.sort === answer.sort && answer.order === 'asc');
      th.classList.toggle('sorted-desc', th.dataset.sort === answer.sort && answer.order === 'desc');
    }
  }

  async function loadTable() {
    saveState();
    const current = BDA.latest('customers');
    const answer = await BDA.api('customers', { ...filterParams(), ...table });
    if (current()) showCustomers(answer); // else a newer page, filter or sort is on its way
  }

  // --- the profile ----------------------------------------------------------------------------

  function fact(dl, name, value) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }

  async function loadProfile() {
    const section = document.getElementById('profile');
    if (!selected) {
      section.classList.add('hidden');
      return;
    }
    const current = BDA.latest('customer');
    const answer = await BDA.api('customer', { contract_hex: selected, ...BDA.periodParams() });
    if (!current()) return;
    const p = answer.profile || answer.history[0];
    section.classList.remove('hidden');
    section.dataset.contractHex = answer.contract_hex;
    BDA.setText('profile-contract', answer.contract);
    BDA.setText('profile-segment', p.segment);
    const dl = document.getElementById('profile-facts');
    dl.replaceChildren();
    fact(dl, 'Period', `${BDA.describePeriod(p)}${answer.profile ? '' : ' (not in the chosen period)'}`);
    fact(dl, 'Active days (DateCount)', String(p.date_count));
    fact(dl, 'Activeness', `${BDA.fmtDec(p.activeness)} %`);
    fact(dl, 'MostWatch', p.most_watch || 'none');
    fact(dl, 'Taste', p.taste || 'none');
    fact(dl, 'Total duration', `${BDA.fmtInt(p.total_duration)} s ≈ ${BDA.fmtHours(p.total_duration)}`);
    BDA.chart('chart-profile', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${v} h` },
      grid: { left: 60, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: CATEGORIES },
      yAxis: { type: 'value', name: 'hours' },
      series: [{ type: 'bar', name: 'Duration',
        data: CATEGORIES.map((c) => ({ value: BDA.toHours(p[`${c.toLowerCase()}_duration`]), itemStyle: { color: CATEGORY_COLORS[c] } })) }],
    });
    const body = document.querySelector('#profile-history tbody');
    body.replaceChildren();
    for (const h of answer.history) {
      const tr = document.createElement('tr');
      tr.append(cell(BDA.describePeriod(h)), cell(h.segment, 'text'), cell(h.date_count), cell(BDA.fmtDec(h.activeness)),
        cell(h.most_watch || 'none', 'text'), cell(h.taste || 'none', 'text'), cell(BDA.fmtInt(h.total_duration)));
      body.append(tr);
    }
  }

  async function selectCustomer(hex) {
    selected = hex;
    saveState();
    for (const tr of document.querySelectorAll('#customers-body tr')) tr.classList.toggle('selected', tr.dataset.contractHex === hex);
    try {
      await loadProfile();
      BDA.clearError();
      document.getElementById('profile').scrollIntoView({ behavior: 'auto', block: 'nearest' });
    } catch (e) {
      BDA.showError(`Could not load the customer: ${e.message}`);
    }
  }

  // --- loading --------------------------------------------------------------------------------

  async function loadFigures() {
    const params = filterParams();
    const current = BDA.latest('figures');
    const [overview, histogram, matrix] = await Promise.all([
      BDA.api('overview', params), BDA.api('activeness_histogram', params), BDA.api('segment_mostwatch', params),
    ]);
    if (!current()) return;
    BDA.showKpis(overview);
    showHistogram(histogram);
    showMatrix(matrix);
  }

  async function load() {
    await loadFilterChoices();
    await Promise.all([loadFigures(), loadTable(), loadProfile().catch(() => { selected = ''; saveState(); })]);
  }

  /** Runs `work` and reports its failure in the banner. */
  const guarded = (work) => work().then(BDA.clearError, (e) => BDA.showError(`Could not load the figures: ${e.message}`));

  function onFilterChange(key, value) {
    filters[key] = value;
    table.page = 1;
    guarded(() => Promise.all([loadFigures(), loadTable()]));
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('filter-segment').addEventListener('change', (e) => onFilterChange('segment', e.target.value));
    document.getElementById('filter-most-watch').addEventListener('change', (e) => onFilterChange('most_watch', e.target.value));
    document.getElementById('filter-taste').addEventListener('change', (e) => onFilterChange('taste', e.target.value));
    document.getElementById('filter-reset').addEventListener('click', () => {
      Object.assign(filters, { segment: '', most_watch: '', taste: '' });
      for (const id of ['filter-segment', 'filter-most-watch', 'filter-taste']) document.getElementById(id).value = '';
      table.page = 1;
      guarded(() => Promise.all([loadFigures(), loadTable()]));
    });

    const search = document.getElementById('search');
    search.value = table.search;
    let searchTimer = null;
    search.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        table.search = search.value;
        table.page = 1;
        guarded(loadTable);
      }, SEARCH_DELAY_MS);
    });

    const pageSize = document.getElementById('page-size');
    if (![...pageSize.options].some((o) => Number(o.value) === table.page_size)) {
      const option = document.createElement('option');
      option.value = String(table.page_size);
      option.textContent = String(table.page_size);
      pageSize.append(option);
    }
    pageSize.value = String(table.page_size);
    pageSize.addEventListener('change', () => {
      table.page_size = Number(pageSize.value);
      table.page = 1;
      guarded(loadTable);
    });

    document.getElementById('page-prev').addEventListener('click', () => {
      table.page = Math.max(1, table.page - 1);
      guarded(loadTable);
    });
    document.getElementById('page-next').addEventListener('click', () => {
      table.page = Math.min(pages, table.page + 1);
      guarded(loadTable);
    });
    for (const th of document.querySelectorAll('#customers-table th[data-sort]')) {
      th.addEventListener('click', () => {
        const column = th.dataset.sort;
        if (table.sort === column) table.order = table.order === 'asc' ? 'desc' : 'asc';
        else Object.assign(table, { sort: column, order: TEXT_COLUMNS.has(column) ? 'asc' : 'desc' });
        table.page = 1;
        guarded(loadTable);
      });
    }
    document.getElementById('profile-close').addEventListener('click', () => {
      selected = '';
      saveState();
      document.getElementById('profile').classList.add('hidden');
      for (const tr of document.querySelectorAll('#customers-body tr.selected')) tr.classList.remove('selected');
    });

    BDA.start(load);
  });
})();
