// The public monthly results (GET /api/v1/public/results, …/results/series; no sign-in): how many
// petitions the People's Committee received and resolved in a month, on time or not, how satisfied
// those who rated were, and how many reception sessions it held; the last 12 months as charts
// with their tables, the CSV and the Atom feed. Figures only: no names, no subjects.

import { api } from '../api.js';
import { barChart, chartCard, destroyCharts, lineChart } from '../charts.js';
import { addMonths, fmtDate, fmtMonth, fmtNumber, fmtPercent, monthOf, todayVN } from '../format.js';
import { announce, dateWords, errorBox, fill, h, loadingEl, portalFrame } from '../ui.js';

portalFrame('results');
const app = document.getElementById('app');
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const SERIES_MONTHS = 12;
const lastFull = addMonths(monthOf(todayVN()), -1);
const RATE_NOTE = 'Dấu — : chưa tính được tỷ lệ vì trong tháng chưa có hồ sơ giải quyết xong (tỷ lệ đúng hạn) hoặc chưa có lượt đánh giá (tỷ lệ hài lòng).';

const wanted = new URLSearchParams(location.search).get('thang');
const start = MONTH_RE.test(wanted || '') && wanted <= lastFull ? wanted : lastFull;

const input = h('input', { type: 'month', id: 'month', name: 'month', value: start, max: lastFull, placeholder: 'YYYY-MM' });
const figures = h('div', { id: 'results', 'aria-live': 'polite' });
const trend = h('div', { id: 'results-series' });
const shift = (n) => {
  const base = MONTH_RE.test(input.value) ? input.value : start;
  const next = addMonths(base, n);
  input.value = next > lastFull ? lastFull : next;
  input.dispatchEvent(new Event('input'));
  load(input.value);
};
const form = h('form', { class: 'card', 'aria-label': 'Chọn tháng' },
  h('div', { class: 'row' },
    h('div', { class: 'field' }, h('label', { for: 'month' }, 'Tháng'), input, dateWords(input)),
    h('div', { class: 'field' }, h('div', { class: 'actions tight' },
      h('button', { type: 'button', class: 'secondary', onclick: () => shift(-1) }, '‹ Tháng trước'),
      h('button', { type: 'submit' }, 'Xem'),
      h('button', { type: 'button', class: 'secondary', onclick: () => shift(1) }, 'Tháng sau ›')))));
form.addEventListener('submit', (e) => { e.preventDefault(); load(input.value); });

fill(app,
  h('p', { class: 'lead' }, 'Ủy ban nhân dân công khai hằng tháng số đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã tiếp nhận và giải quyết, tỷ lệ giải quyết đúng hạn và mức độ hài lòng của người dân. Số liệu chỉ gồm các con số, không có thông tin cá nhân hay nội dung đơn.'),
  form, figures, trend);
load(start);

async function load(month) {
  if (!MONTH_RE.test(month || '')) {
    fill(figures, errorBox('Hãy chọn tháng (dạng năm-tháng, ví dụ 2026-11).'));
    return;
  }
  if (month > lastFull) {
    fill(figures, errorBox(`Số liệu được công bố khi hết tháng: tháng gần nhất là ${fmtMonth(lastFull)}.`));
    return;
  }
  history.replaceState(null, '', `?thang=${month}`);
  destroyCharts();
  fill(figures, loadingEl('Đang tải số liệu…'));
  fill(trend);
  const first = addMonths(month, -(SERIES_MONTHS - 1));
  try {
    const [r, series] = await Promise.all([
      api('/public/results', { params: { month }, auth: false }),
      api('/public/results/series', { params: { from_month: first, to_month: month }, auth: false }).catch((err) => err),
    ]);
    renderMonth(r);
    renderSeries(series, first, month);
    announce(`Tháng ${fmtMonth(r.month)}: ${r.received} đơn tiếp nhận, ${r.resolved} đã giải quyết.`);
  } catch (err) {
    fill(figures, errorBox(err));
  }
}

function stat(value, label, testid) {
  return h('div', { class: 'stat', 'data-testid': testid }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
}

function renderMonth(r) {
  fill(figures,
    h('section', { class: 'card', 'aria-labelledby': 'month-title', 'data-testid': 'month-results' },
      h('h2', { id: 'month-title' }, `Tháng ${fmtMonth(r.month)}`),
      h('p', { class: 'muted' }, `${r.agency?.name ?? ''} · số liệu từ ${fmtDate(r.from)} đến ${fmtDate(r.to)}`),
      h('div', { class: 'stats three', 'data-testid': 'results-stats' },
        stat(fmtNumber(r.received), 'Đơn tiếp nhận', 'result-received'),
        stat(fmtNumber(r.resolved), 'Đơn đã giải quyết xong', 'result-resolved'),
        stat(fmtNumber(r.on_time), 'Giải quyết đúng hạn', 'result-on-time'),
        stat(fmtPercent(r.on_time_rate), r.on_time_rate == null ? 'Tỷ lệ đúng hạn (chưa có hồ sơ giải quyết xong)' : 'Tỷ lệ giải quyết đúng hạn', 'result-on-time-rate'),
        stat(fmtPercent(r.satisfaction_rate), r.satisfaction_rate == null
          ? 'Tỷ lệ hài lòng (chưa có lượt đánh giá)'
          : `Người dân hài lòng (${fmtNumber(r.satisfied)}/${fmtNumber(r.ratings)} lượt đánh giá)`, 'result-satisfaction'),
        stat(fmtNumber(r.sessions_held), 'Buổi tiếp công dân đã tổ chức', 'result-sessions')),
      r.on_time_rate == null || r.satisfaction_rate == null ? h('p', { class: 'muted small' }, RATE_NOTE) : null));
}

function renderSeries(series, first, last) {
  const csv = `/api/v1/public/results.csv?from_month=${first}&to_month=${last}`;
  const links = h('div', { class: 'actions' },
    h('a', { class: 'button secondary', href: csv, download: `ket-qua-giai-quyet-${first}_${last}.csv`, 'data-testid': 'results-csv' }, 'Tải số liệu (CSV)'),
    h('a', { class: 'button secondary', href: '/api/v1/public/results.atom', type: 'application/atom+xml', 'data-testid': 'results-atom' }, 'Theo dõi hằng tháng (Atom)'));
  const hint = h('p', { class: 'muted small' }, 'Tệp CSV mở được bằng Excel hoặc LibreOffice. Địa chỉ Atom dùng được trong các ứng dụng đọc tin (RSS) để nhận số liệu mỗi tháng.');
  if (series instanceof Error || !Array.isArray(series)) {
    fill(trend, h('h2', null, `${SERIES_MONTHS} tháng gần nhất`), errorBox(series), links, hint);
    return;
  }
  const count = { format: fmtNumber };
  const rate = { format: fmtPercent };
  fill(trend,
    h('h2', { id: 'series-title' }, `${SERIES_MONTHS} tháng đến tháng ${fmtMonth(last)}`),
    links, hint,
    h('div', { class: 'grid cols-2' },
      chartCard({
        id: 'chart-results',
        title: 'Đơn tiếp nhận và đã giải quyết theo tháng',
        caption: 'Số đơn tiếp nhận, đã giải quyết xong và giải quyết đúng hạn theo tháng',
        columns: ['Tháng', { label: 'Tiếp nhận', ...count }, { label: 'Đã giải quyết', ...count }, { label: 'Đúng hạn', ...count }],
        rows: series.map((s) => [fmtMonth(s.month), s.received, s.resolved, s.on_time]),
        draw: (canvas, rows) => barChart(canvas, rows.map((r) => r[0]), [
          { label: 'Tiếp nhận', data: rows.map((r) => r[1]) },
          { label: 'Đã giải quyết', data: rows.map((r) => r[2]) },
          { label: 'Đúng hạn', data: rows.map((r) => r[3]) },
        ]),
      }),
      chartCard({
        id: 'chart-result-rates',
        title: 'Tỷ lệ đúng hạn và hài lòng theo tháng (%)',
        caption: 'Tỷ lệ giải quyết đúng hạn và tỷ lệ hài lòng theo tháng',
        columns: ['Tháng', { label: 'Đúng hạn', ...rate }, { label: 'Hài lòng', ...rate }],
        rows: series.map((s) => [fmtMonth(s.month), s.on_time_rate, s.satisfaction_rate]),
        note: RATE_NOTE,
        draw: (canvas, rows) => lineChart(canvas, rows.map((r) => r[0]), [
          { label: 'Đúng hạn (%)', data: rows.map((r) => r[1]) },
          { label: 'Hài lòng (%)', data: rows.map((r) => r[2]) },
        ]),
      })));
}
