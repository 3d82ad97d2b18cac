// Reports (issue 16) in a real browser: the chairman's dashboard (its figures, each chart drawn
// and each chart's table equal to the API's JSON, the tables by unit and handler), the statutory
// periodic report (the three official tables equal to the API's, the dates the period covers,
// the CSV and XLSX downloads, the printable page), the public monthly results (equal to the API,
// chart and table, CSV and Atom, and no name of a petitioner nor subject of a denunciation
// anywhere on the page), and who may open what. Runs in both modes: with --demo as the chairman;
// on the empty database as the admin (the only account before workflow.test.js makes the staff),
// where the figures are zeros and the rates "—".

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL, DESKTOP, MODE, PHONE, apiCall, apiToken, launch, newPage, passwordOf, shot, staffLogin, text, todayVN, vnDate,
} from './lib/harness.js';

/** Who reads the reports: the chairman, or the admin on the empty database. */
const READER = MODE === 'demo' ? 'chutich' : 'admin';

let browser;
let token;
before(async () => {
  browser = await launch();
  token = await apiToken(READER);
});
after(async () => { await browser?.close(); });

// The page's formats, as Vietnamese readers write numbers (format.js).
const num = (n) => new Intl.NumberFormat('vi-VN').format(n ?? 0);
const pct = (p) => (p == null ? '—' : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(p)}%`);
const dec = (n, digits = 1) => (n == null ? '—' : new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n));
const vnMonth = (m) => `${m.slice(5)}/${m.slice(0, 4)}`;

function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/**
 * GET `/api/v1{path}` with the reader's token: the JSON, or the raw bytes with `raw`; with
 * `orNull`, null instead of failing on an error status.
 */
async function get(path, { raw = false, auth = true, orNull = false } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, { headers: auth ? { Authorization: `Bearer ${token}` } : {} });
  if (orNull && !res.ok) return null;
  assert.equal(res.status, 200, `GET ${path}: ${res.status}`);
  return raw ? { type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) } : res.json();
}

async function signedIn(username, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  await staffLogin(page, username, passwordOf(username));
  return page;
}

/** The cells of a table's body, row by row (text content, so a phone's stacked layout reads alike). */
function cells(page, testid) {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
}

/** Waits until each chart exists, then checks its canvas has pixels drawn on it. */
async function chartsDrawn(page, ids) {
  await page.waitForFunction((list) => list.every((id) => window.Chart && window.Chart.getChart(id)), ids);
  const blank = await page.evaluate((list) => list.filter((id) => {
    const canvas = document.getElementById(id);
    if (!canvas.width || !canvas.height) return true;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false;
    return true;
  }), ids);
  assert.deepEqual(blank, [], 'every chart is drawn');
}

const statValue = async (page, id) => text(page.getByTestId(id).locator('.value'));

describe('reports', () => {
  test('the dashboard: figures, charts and their tables agree with the API', async () => {
    const page = await signedIn(READER);
    const nav = page.getByRole('navigation', { name: 'Chức năng' });
    await nav.getByRole('link', { name: 'Báo cáo', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/can-bo/bao-cao');
    await page.getByTestId('dashboard-stats').waitFor();

    // The default range: the 12 months to this one, this one up to today.
    const today = todayVN();
    const from = `${addMonths(today.slice(0, 7), -11)}-01`;
    const d = await get(`/reports/dashboard?from=${from}&to=${today}`);
    assert.equal(d.from, from);
    assert.equal(d.to, today);
    assert.match(await text(page.locator('#dashboard-title')), new RegExp(`từ ${vnDate(from)} đến ${vnDate(today)}`));
    assert.equal(await statValue(page, 'stat-received'), num(d.received));
    assert.equal(await statValue(page, 'stat-closed'), num(d.closed));
    assert.equal(await statValue(page, 'stat-on-time'), pct(d.on_time_rate));
    assert.equal(await statValue(page, 'stat-avg-days'), dec(d.avg_working_days));
    assert.equal(await statValue(page, 'stat-overdue'), num(d.overdue_now));
    assert.equal(await statValue(page, 'stat-satisfaction'), pct(d.satisfaction_rate));
    assert.equal(await statValue(page, 'stat-apology'), num(d.apology_letters));
    assert.equal(await statValue(page, 'stat-sessions'), `${num(d.sessions_held)}/${num(d.sessions_required)}`);
    if (d.on_time_rate == null) assert.match(await text(page.getByTestId('stat-on-time')), /chưa có hồ sơ kết thúc/);

    // Every chart is drawn, and its table holds the same numbers as the API's series.
    assert.equal(d.series.length, 12, 'one item a month');
    await chartsDrawn(page, ['chart-volume', 'chart-rates', 'chart-sessions']);
    const months = d.series.map((s) => vnMonth(s.month));
    assert.deepEqual(await cells(page, 'chart-volume-table'), d.series.map((s, i) => [months[i], num(s.received), num(s.closed)]));
    assert.deepEqual(await cells(page, 'chart-rates-table'), d.series.map((s, i) => [months[i], pct(s.on_time_rate), pct(s.satisfaction_rate)]));
    assert.deepEqual(await cells(page, 'chart-sessions-table'), d.series.map((s, i) => [months[i], num(s.sessions_held), num(s.sessions_required)]));
    // …and the chart itself was given those numbers.
    const drawn = await page.evaluate(() => window.Chart.getChart('chart-volume').data.datasets.map((s) => s.data));
    assert.deepEqual(drawn, [d.series.map((s) => s.received), d.series.map((s) => s.closed)]);
    for (const id of ['chart-volume', 'chart-rates', 'chart-sessions']) {
      assert.ok(await page.getByTestId(`${id}-table`).locator('caption').count(), `${id}: the table has a caption`);
      assert.equal(await page.getByTestId(`${id}-table`).locator('th[scope="col"]').count(), 3);
    }

    // By agency only when there are several; by unit and handler, overdue work marked.
    assert.equal(await page.getByTestId('by-agency').count(), d.by_agency.length > 1 ? 1 : 0);
    for (const [id, items, withUnit] of [['by-unit', d.by_unit, false], ['by-handler', d.by_handler, true]]) {
      if (!items.length) {
        await page.getByTestId(id).locator('.empty').waitFor();
        continue;
      }
      const rows = await cells(page, `${id}-table`);
      assert.deepEqual(rows, items.map((x) => [x.name ?? 'Chưa phân công', ...(withUnit ? [x.unit_name ?? '—'] : []), num(x.received), num(x.closed),
        pct(x.on_time_rate), dec(x.avg_working_days), num(x.overdue_now), pct(x.satisfaction_rate)]), id);
      const marked = await page.getByTestId(`${id}-table`).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.classList.contains('is-overdue')));
      assert.deepEqual(marked, items.map((x) => x.overdue_now > 0), `${id}: rows with work overdue now are marked`);
    }
    if (MODE === 'demo') assert.ok(d.by_handler.some((x) => x.overdue_now > 0), 'the demo has a handler with overdue work');
    await shot(page, 'reports-dashboard-desktop');

    // Another range: three months.
    const fromMonth = addMonths(today.slice(0, 7), -2);
    await page.getByLabel('Từ tháng').fill(fromMonth);
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    const d3 = await get(`/reports/dashboard?from=${fromMonth}-01&to=${today}`);
    await page.locator('#dashboard-title', { hasText: vnDate(`${fromMonth}-01`) }).waitFor();
    assert.equal(await statValue(page, 'stat-received'), num(d3.received));
    await chartsDrawn(page, ['chart-volume']);
    assert.equal((await cells(page, 'chart-volume-table')).length, 3);
    assert.match(page.url(), new RegExp(`tu=${fromMonth}`), 'the range is kept in the address');
    // More than 24 months is refused on the page, before asking the API.
    await page.getByLabel('Từ tháng').fill(addMonths(today.slice(0, 7), -24));
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    assert.match(await text(page.locator('#dashboard [role="alert"]')), /tối đa 24 tháng/);
    page.assertClean();
    await page.context().close();
  });

  test('the periodic report: the official tables agree with the API; CSV, XLSX and the printable page', async () => {
    const page = await signedIn(READER);
    await page.goto('/can-bo/bao-cao#dinh-ky');
    const report = page.getByTestId('periodic-report');
    await report.waitFor();

    // By default the statutory quarter today falls in (from the 15th, a day counts toward the next month).
    const today = todayVN();
    const month = Number(today.slice(8)) >= 15 ? addMonths(today.slice(0, 7), 1) : today.slice(0, 7);
    const quarter = `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5)) / 3)}`;
    let r = await get(`/reports/periodic?period=${quarter}`);
    assert.equal(r.period, quarter);
    assert.ok((await text(page.getByTestId('period-dates'))).startsWith(`Số liệu từ ${vnDate(r.from)} đến ${vnDate(r.to)}`));
    assert.equal(Number(r.from.slice(8)), r.cutoff_day, 'a named period starts on the cut-off day');
    await checkReport(page, r);

    // A month: its dates run from the 15th of the month before to the 14th.
    await page.getByLabel('Loại kỳ báo cáo').selectOption({ label: 'Tháng' });
    const prev = addMonths(month, -1);
    await page.getByLabel('Tháng', { exact: true }).fill(prev);
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    r = await get(`/reports/periodic?period=${prev}`);
    await page.getByTestId('period-dates').filter({ hasText: `Số liệu từ ${vnDate(r.from)} đến ${vnDate(r.to)}` }).waitFor();
    assert.equal(r.to, `${prev}-${String(r.cutoff_day - 1).padStart(2, '0')}`);
    await checkReport(page, r);
    assert.match(await text(page.locator('#report-title')), new RegExp(`Tháng ${Number(prev.slice(5))} năm ${prev.slice(0, 4)}`));

    // Six months: the second half of last year.
    const lastYear = String(Number(month.slice(0, 4)) - 1);
    await page.getByLabel('Loại kỳ báo cáo').selectOption({ label: '6 tháng' });
    await page.getByLabel('Năm', { exact: true }).fill(lastYear);
    await page.getByLabel('Nửa năm').selectOption({ label: '6 tháng cuối năm' });
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    r = await get(`/reports/periodic?period=${lastYear}-H2`);
    await page.locator('#report-title', { hasText: `6 tháng cuối năm ${lastYear}` }).waitFor();
    assert.ok((await text(page.getByTestId('period-dates'))).startsWith(`Số liệu từ ${vnDate(r.from)} đến ${vnDate(r.to)}`));
    await checkReport(page, r);

    // The year, in the three tables.
    await page.getByLabel('Loại kỳ báo cáo').selectOption({ label: 'Năm' });
    await page.getByLabel('Năm', { exact: true }).fill(month.slice(0, 4));
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    r = await get(`/reports/periodic?period=${month.slice(0, 4)}`);
    await page.locator('#report-title', { hasText: `Năm ${month.slice(0, 4)}` }).waitFor();
    await checkReport(page, r);
    if (MODE === 'demo') assert.ok(r.reception.visits > 0 && r.handling.received > 0, 'the demo year has visits and petitions');
    await shot(page, 'reports-periodic-desktop');

    // Downloads: the same bytes the API gives for the same period.
    const q = `?period=${month.slice(0, 4)}`;
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const csvBytes = await readFile(await csv.path());
    assert.deepEqual(csvBytes, (await get(`/reports/periodic.csv${q}`, { raw: true })).body);
    const csvText = csvBytes.toString('utf8');
    assert.ok(csvText.startsWith('\ufeffBiểu,Mã chỉ tiêu,Chỉ tiêu,Cơ quan,Giá trị'), csvText.slice(0, 80));
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    const xlsxBytes = await readFile(await xlsx.path());
    assert.equal(xlsxBytes.subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');
    // Its bytes carry the time it was made; its parts are the API's (the names are stored as is).
    const parts = (bytes) => [...new Set(bytes.toString('latin1').match(/xl\/worksheets\/sheet\d+\.xml/g))].sort();
    assert.ok(parts(xlsxBytes).length >= 3, 'a sheet a form (the API adds one of details)');
    assert.deepEqual(parts(xlsxBytes), parts((await get(`/reports/periodic.xlsx${q}`, { raw: true })).body));

    // The printable page opens in a new tab, with the agency and the period's dates.
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('print-report').click()]);
    // At its own address, under its own policy (a copy from memory could not load its stylesheet).
    await popup.waitForURL(/\/api\/v1\/reports\/periodic\.html\?/);
    await popup.waitForLoadState();
    assert.equal(await popup.evaluate(() => getComputedStyle(document.querySelector('h1')).textAlign), 'center', 'the print stylesheet applies');
    const printed = await popup.locator('body').innerText();
    assert.ok(printed.toLocaleUpperCase('vi').includes(r.agency.name.toLocaleUpperCase('vi')), 'the printable page names the agency');
    assert.ok(printed.includes(vnDate(r.from)) && printed.includes(vnDate(r.to)), 'and the dates of the period');
    await popup.close();

    // A range of chosen dates.
    await page.getByLabel('Loại kỳ báo cáo').selectOption({ label: 'Khoảng ngày tùy chọn' });
    const from = `${today.slice(0, 7)}-01`;
    await page.getByLabel('Từ ngày').fill(from);
    await page.getByLabel('Đến ngày').fill(today);
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    r = await get(`/reports/periodic?from=${from}&to=${today}`);
    await page.getByTestId('period-dates').filter({ hasText: `Số liệu từ ${vnDate(from)} đến ${vnDate(today)}` }).waitFor();
    await checkReport(page, r);
    page.assertClean();
    await page.context().close();
  });

  // On the empty database only the admin exists yet (workflow.test.js makes the staff later).
  test('who sees the reports', { skip: MODE !== 'demo' && 'no staff other than the admin yet' }, async () => {
    const page = await signedIn('thanhtra1');
    assert.equal(await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Báo cáo', exact: true }).count(), 0);
    await page.goto('/can-bo/bao-cao');
    await page.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
    const res = await fetch(`${BASE_URL}/api/v1/reports/dashboard`, { headers: { Authorization: `Bearer ${await apiToken('thanhtra1')}` } });
    assert.equal(res.status, 403);
    page.assertClean();
    await page.context().close();
  });

  test('the public results: figures, chart and table as the API gives them, and no personal data', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Cổng công dân' }).getByRole('link', { name: 'Kết quả giải quyết' }).click();
    await page.waitForURL((u) => u.pathname === '/ket-qua');
    assert.equal(await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), '/api/v1/public/results.atom');
    await page.getByTestId('results-stats').waitFor();

    // The default month: the last full one, as the API's default.
    const r = await get('/public/results', { auth: false });
    assert.equal(r.month, addMonths(todayVN().slice(0, 7), -1));
    assert.equal(await text(page.locator('#month-title')), `Tháng ${vnMonth(r.month)}`);
    assert.equal(await statValue(page, 'result-received'), num(r.received));
    assert.equal(await statValue(page, 'result-resolved'), num(r.resolved));
    assert.equal(await statValue(page, 'result-on-time'), num(r.on_time));
    assert.equal(await statValue(page, 'result-on-time-rate'), pct(r.on_time_rate));
    assert.equal(await statValue(page, 'result-satisfaction'), pct(r.satisfaction_rate));
    assert.equal(await statValue(page, 'result-sessions'), num(r.sessions_held));
    if (MODE === 'empty') {
      // Nothing happened last month on a register started today.
      assert.equal(await statValue(page, 'result-received'), '0');
      assert.equal(await statValue(page, 'result-on-time-rate'), '—');
      assert.match(await text(page.getByTestId('month-results')), /Dấu — : chưa tính được tỷ lệ/);
    }

    // The 12 months to it: charts drawn, tables equal to the series.
    const first = addMonths(r.month, -11);
    const series = await get(`/public/results/series?from_month=${first}&to_month=${r.month}`, { auth: false });
    assert.equal(series.length, 12);
    await chartsDrawn(page, ['chart-results', 'chart-result-rates']);
    assert.deepEqual(await cells(page, 'chart-results-table'), series.map((s) => [vnMonth(s.month), num(s.received), num(s.resolved), num(s.on_time)]));
    assert.deepEqual(await cells(page, 'chart-result-rates-table'), series.map((s) => [vnMonth(s.month), pct(s.on_time_rate), pct(s.satisfaction_rate)]));
    assert.deepEqual(series.at(-1), r, 'the series ends with the month shown');

    // The CSV of those months and the Atom feed.
    const csvHref = await page.getByTestId('results-csv').getAttribute('href');
    assert.equal(csvHref, `/api/v1/public/results.csv?from_month=${first}&to_month=${r.month}`);
    const csv = (await get(csvHref.replace('/api/v1', ''), { raw: true, auth: false })).body.toString('utf8').replace(/^\ufeff/, '');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], 'Tháng,Đơn tiếp nhận,Đã giải quyết,Đúng hạn,Tỷ lệ đúng hạn (%),Lượt đánh giá,Hài lòng,Tỷ lệ hài lòng (%),Buổi tiếp công dân');
    assert.equal(lines.length, 13, 'a header and one row a month');
    const atom = await get('/public/results.atom', { raw: true, auth: false });
    assert.match(atom.type, /application\/atom\+xml/);
    assert.match(atom.body.toString('utf8'), /<feed[^>]*xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
    assert.equal(await page.getByTestId('results-atom').getAttribute('href'), '/api/v1/public/results.atom');

    // Another month, picked by the citizen.
    const earlier = addMonths(r.month, -1);
    await page.getByLabel('Tháng', { exact: true }).fill(earlier);
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.locator('#month-title', { hasText: vnMonth(earlier) }).waitFor();
    const r2 = await get(`/public/results?month=${earlier}`, { auth: false });
    assert.equal(await statValue(page, 'result-received'), num(r2.received));
    await chartsDrawn(page, ['chart-results']);
    assert.equal((await cells(page, 'chart-results-table')).at(-1)[0], vnMonth(earlier));
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(scroll <= 1, `no sideways scrolling on a phone (${scroll}px)`);
    await shot(page, 'results-phone');

    // No petitioner's name and no denunciation's subject anywhere on the page, nor in its files.
    const secrets = await registerSecrets();
    if (MODE === 'demo') assert.ok(secrets.names.size > 0 && secrets.subjects.size > 0, 'the demo register has names and denunciations');
    const shown = [await page.locator('body').innerText(), await page.content(), csv, atom.body.toString('utf8')].join('\n');
    for (const name of secrets.names) assert.ok(!shown.includes(name), `a petitioner's name on the public page: ${name}`);
    for (const subject of secrets.subjects) assert.ok(!shown.includes(subject), `a denunciation's subject on the public page: ${subject}`);
    page.assertClean();
    await page.context().close();
  });

  // Last: it adds an agency below the reader's (with no work of its own) so that the listings by
  // agency appear; the public results stay the top agency's.
  test('with an agency below: the dashboard and the report list each agency, and the report can leave them out', async () => {
    const own = (await get('/reports/dashboard')).agency;
    const below = await apiCall('/agencies', { method: 'POST', token: await apiToken('admin'),
      body: { name: 'UBND xã Thử Nghiệm', level: 'commune', parent_id: own.id } });
    const page = await signedIn(READER);
    await page.goto('/can-bo/bao-cao#dieu-hanh');
    await page.getByTestId('by-agency-table').waitFor();
    const d = await get('/reports/dashboard');
    assert.deepEqual(d.by_agency.map((a) => a.id), [own.id, below.id], 'the agency itself first, then the one below');
    assert.deepEqual(await cells(page, 'by-agency-table'), d.by_agency.map((x) => [x.name, num(x.received), num(x.closed), pct(x.on_time_rate),
      dec(x.avg_working_days), num(x.overdue_now), pct(x.satisfaction_rate)]));

    await page.getByRole('tab', { name: 'Báo cáo định kỳ' }).click();
    await page.getByTestId('agencies-table').waitFor();
    const url = new URL(page.url());
    const period = url.searchParams.get('ky');
    const r = await get(`/reports/periodic?period=${period}`);
    assert.deepEqual(await cells(page, 'agencies-table'), r.agencies.map((a) => [a.agency.name,
      ...[a.reception.sessions, a.reception.visits, a.handling.received, a.handling.processed, a.resolution.due, a.resolution.resolved,
        a.resolution.on_time, a.resolution.open_at_end].map(num)]));
    await checkReport(page, r);
    // Only the reader's own agency.
    const subs = page.getByLabel('Gồm số liệu của các cơ quan cấp dưới');
    assert.ok(await subs.isChecked());
    await subs.uncheck();
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await page.waitForURL((u) => u.searchParams.get('cap-duoi') === '0');
    await page.getByTestId('periodic-report').waitFor();
    await page.getByTestId('report-agencies').waitFor({ state: 'detached' });
    const alone = await get(`/reports/periodic?period=${period}&subordinates=false`);
    assert.equal(alone.agencies.length, 1);
    await checkReport(page, alone);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    assert.deepEqual(await readFile(await csv.path()), (await get(`/reports/periodic.csv?period=${period}&subordinates=false`, { raw: true })).body);
    await shot(page, 'reports-own-agency-desktop');
    page.assertClean();
    await page.context().close();
  });
});

/** Checks the report's three tables (and the per-agency listing) against the API's JSON. */
async function checkReport(page, r) {
  const value = (key, v) => (key === 'recovered_land_m2' ? dec(v, 2) : num(v));
  const byKey = async (testid) => page.getByTestId(testid).locator('tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((tr) => [tr.dataset.key, [...tr.children].slice(1).map((c) => c.textContent.trim())])));

  // Reception: the flat figures, then by session kind, kind and field (each item's label first).
  const rec = await byKey('reception-table');
  for (const [key, cellsOf] of Object.entries(rec)) assert.deepEqual(cellsOf, [num(r.reception[key])], `reception ${key}`);
  assert.ok(Object.keys(rec).length >= 10, 'every reception figure');
  assert.deepEqual(await cells(page, 'reception-by-session-kind'),
    r.reception.by_session_kind.map((x) => [x.label, num(x.sessions), num(x.visits), num(x.people), num(x.cases), num(x.new), num(x.repeat)]));
  assert.deepEqual(r.reception.by_session_kind.map((x) => x.kind), ['regular', 'periodic', 'unscheduled', 'online']);
  assert.deepEqual(await cells(page, 'reception-by-kind'),
    r.reception.by_kind.map((x) => [x.label, num(x.visits), num(x.people), num(x.new), num(x.repeat)]));
  assert.deepEqual(await cells(page, 'reception-by-field'), r.reception.by_field.map((x) => [x.label, num(x.visits)]));

  // Handling and resolution: each indicator's total, then each kind's.
  for (const [testid, block] of [['handling-table', r.handling], ['resolution-table', r.resolution]]) {
    const rows = await byKey(testid);
    assert.ok(Object.keys(rows).length >= 10, `${testid}: every figure`);
    for (const [key, got] of Object.entries(rows)) {
      assert.deepEqual(got, [value(key, block[key]), ...block.by_kind.map((k) => value(key, k[key] ?? 0))], `${testid} ${key}`);
    }
    const head = await page.getByTestId(testid).locator('thead th').allTextContents();
    assert.deepEqual(head.slice(2), block.by_kind.map((k) => k.label), `${testid}: a column a kind`);
  }
  assert.deepEqual(await cells(page, 'handling-by-field'), r.handling.by_field.map((x) => [x.label, num(x.received)]));

  // Several agencies: one line each.
  if (r.agencies.length > 1) {
    const rows = await cells(page, 'agencies-table');
    assert.deepEqual(rows.map((x) => x[0]), r.agencies.map((a) => a.agency.name));
  } else {
    assert.equal(await page.getByTestId('report-agencies').count(), 0, 'no per-agency listing for one agency');
  }
}

/**
 * The register's names and denunciation subjects, read as the reader: a few pages of petitions,
 * and each one's petitioner where the reader may see it (the list never carries it).
 */
async function registerSecrets() {
  const names = new Set();
  const subjects = new Set();
  let after = null;
  const items = [];
  for (let i = 0; i < 5; i++) {
    const page = await get(`/petitions?per_page=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...page.items);
    if (!page.next_after) break;
    after = page.next_after;
  }
  for (const p of items) {
    if (p.kind === 'denunciation') subjects.add(p.subject);
    if (p.petitioner?.full_name) names.add(p.petitioner.full_name);
  }
  for (const p of items.slice(0, 200)) {
    if (p.anonymous) continue;
    const full = await get(`/petitions/${p.id}`, { orNull: true });
    if (full?.petitioner?.full_name) names.add(full.petitioner.full_name);
  }
  return { names, subjects };
}
