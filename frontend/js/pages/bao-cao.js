// Reports (issue 16), for the chairman and the admin, in two tabs:
// - "Bảng điều hành" (GET /api/v1/reports/dashboard): a range of months, headline figures, charts
//   month by month (each followed by a table with the same numbers), and the figures by agency,
//   unit and handler, overdue work highlighted;
// - "Báo cáo định kỳ" (GET /api/v1/reports/periodic): the statutory report of a month, quarter,
//   6 or 9 months, year or chosen dates, as its three official tables (reception, handling of
//   petitions, resolution of complaints and denunciations), downloadable as CSV or XLSX and
//   printable (the API's own A4 page, fetched with the token like a case's notices).

import { api, fetchFile, query } from '../api.js';
import { requireStaff } from '../auth.js';
import { barChart, chartCard, destroyCharts, lineChart } from '../charts.js';
import {
  addMonths, fmtDate, fmtDecimal, fmtMonth, fmtNumber, fmtPercent, lastDayOfMonth, monthOf, monthsBetween, todayVN,
} from '../format.js';
import { announce, dateWords, emptyEl, errorBox, fill, h, loadingEl, noAccess, staffFrame, tabbed } from '../ui.js';

const user = requireStaff();
const app = document.getElementById('app');
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** The dashboard's longest range (the API's too); 12 months by default. */
const MAX_MONTHS = 24;
const DEFAULT_MONTHS = 12;

/** Says what a "—" stands for, under every table that may show one. */
const RATE_NOTE = 'Dấu — : chưa tính được tỷ lệ vì chưa có hồ sơ kết thúc (tỷ lệ đúng hạn) hoặc chưa có lượt đánh giá (tỷ lệ hài lòng) trong khoảng này.';

const TABS = [
  ['dieu-hanh', 'Bảng điều hành', dashboardTab],
  ['dinh-ky', 'Báo cáo định kỳ', periodicTab],
];

/** Keeps the page's choices in the address (so a reload or a shared link shows the same). */
function remember(changes) {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v) q.set(k, v); else q.delete(k);
  }
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}${location.hash}`);
}

const wanted = (key, re) => {
  const v = new URLSearchParams(location.search).get(key);
  return v && re.test(v) ? v : null;
};

function stat(value, label, testid, bad = false) {
  return h('div', { class: `stat${bad ? ' bad' : ''}`, 'data-testid': testid },
    h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
}

/**
 * A table: `caption`, header cells, rows of cells (the first cell of a row is its header); the
 * columns from `textCols` on are figures, aligned right.
 */
function table({ caption, head, rows, testid, stack = false, rowAttrs, textCols = 1 }) {
  return h('div', { class: 'table-wrap' }, h('table', { class: stack ? 'stack' : 'figures', 'data-testid': testid },
    h('caption', null, caption),
    h('thead', null, h('tr', null, head.map((t, i) => h('th', { scope: 'col', class: i >= textCols ? 'num' : null }, t)))),
    h('tbody', null, rows.map((r, n) => h('tr', rowAttrs ? rowAttrs(n) : null, r.map((c, i) => (i
      ? h('td', { class: i >= textCols ? 'num' : null, 'data-label': head[i] }, c)
      : h('th', { scope: 'row', 'data-label': head[0] }, c))))))));
}

// ---------------------------------------------------------------- Dashboard

function dashboardTab(panel) {
  const thisMonth = monthOf(todayVN());
  const from = wanted('tu', MONTH_RE) ?? addMonths(thisMonth, -(DEFAULT_MONTHS - 1));
  const to = wanted('den', MONTH_RE) ?? thisMonth;
  const body = h('div', { id: 'dashboard', 'aria-live': 'polite' });
  const fromInput = h('input', { type: 'month', id: 'dash-from', name: 'from', value: from, max: thisMonth, required: true, placeholder: 'YYYY-MM', 'aria-describedby': 'dash-hint' });
  const toInput = h('input', { type: 'month', id: 'dash-to', name: 'to', value: to, max: thisMonth, required: true, placeholder: 'YYYY-MM', 'aria-describedby': 'dash-hint' });
  const form = h('form', { class: 'card', 'aria-label': 'Chọn khoảng thời gian', 'data-testid': 'dashboard-form', novalidate: true },
    h('p', { class: 'muted small', id: 'dash-hint' }, `Tối đa ${MAX_MONTHS} tháng; tháng hiện tại tính đến hôm nay.`),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'dash-from' }, 'Từ tháng'), fromInput, dateWords(fromInput)),
      h('div', { class: 'field' }, h('label', { for: 'dash-to' }, 'Đến tháng'), toInput, dateWords(toInput)),
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Xem'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    loadDashboard(fromInput.value, toInput.value, body);
  });
  fill(panel, form, body);
  loadDashboard(from, to, body);
}

async function loadDashboard(fromMonth, toMonth, body) {
  destroyCharts();
  const thisMonth = monthOf(todayVN());
  if (!MONTH_RE.test(fromMonth) || !MONTH_RE.test(toMonth)) {
    fill(body, errorBox('Hãy chọn tháng bắt đầu và tháng kết thúc (dạng năm-tháng, ví dụ 2026-11).'));
    return;
  }
  if (monthsBetween(fromMonth, toMonth) < 1) {
    fill(body, errorBox('Tháng kết thúc phải từ tháng bắt đầu trở về sau.'));
    return;
  }
  if (monthsBetween(fromMonth, toMonth) > MAX_MONTHS) {
    fill(body, errorBox(`Bảng điều hành xem tối đa ${MAX_MONTHS} tháng một lần. Hãy thu hẹp khoảng thời gian.`));
    return;
  }
  if (toMonth > thisMonth) {
    fill(body, errorBox('Chưa có số liệu của các tháng sau tháng hiện tại.'));
    return;
  }
  remember({ tu: fromMonth, den: toMonth });
  const from = `${fromMonth}-01`;
  const last = lastDayOfMonth(toMonth);
  const to = last < todayVN() ? last : todayVN();
  fill(body, loadingEl('Đang tổng hợp số liệu…'));
  try {
    const d = await api('/reports/dashboard', { params: { from, to } });
    renderDashboard(body, d);
    announce(`Từ ${fmtDate(d.from)} đến ${fmtDate(d.to)}: ${d.received} đơn tiếp nhận, ${d.closed} đã giải quyết, ${d.overdue_now} hồ sơ đang quá hạn.`);
  } catch (err) {
    fill(body, errorBox(err));
  }
}

const rateHint = (rate, none) => (rate == null ? ` (${none})` : '');

function renderDashboard(body, d) {
  const series = d.series || [];
  const count = { format: fmtNumber };
  const rate = { format: fmtPercent };
  fill(body,
    h('h2', { id: 'dashboard-title' }, `${d.agency?.name ?? ''}: từ ${fmtDate(d.from)} đến ${fmtDate(d.to)}`),
    h('p', { class: 'muted small' }, `Số hồ sơ đang quá hạn tính đến ngày ${fmtDate(d.as_of ?? todayVN())}; các số khác tính trong khoảng đã chọn.`),
    h('div', { class: 'stats', 'data-testid': 'dashboard-stats' },
      stat(fmtNumber(d.received), 'Đơn tiếp nhận', 'stat-received'),
      stat(fmtNumber(d.closed), `Đã giải quyết xong (${fmtNumber(d.on_time)} đúng hạn, ${fmtNumber(d.late)} trễ hạn)`, 'stat-closed'),
      stat(fmtPercent(d.on_time_rate), `Tỷ lệ giải quyết đúng hạn${rateHint(d.on_time_rate, 'chưa có hồ sơ kết thúc')}`, 'stat-on-time', d.on_time_rate != null && d.on_time_rate < 100),
      stat(fmtDecimal(d.avg_working_days), `Số ngày làm việc bình quân để giải quyết${d.avg_working_days == null ? ' (chưa có hồ sơ kết thúc)' : ''}`, 'stat-avg-days'),
      stat(fmtNumber(d.overdue_now), 'Hồ sơ đang quá hạn', 'stat-overdue', d.overdue_now > 0),
      stat(fmtPercent(d.satisfaction_rate), `Hài lòng (${fmtNumber(d.satisfied)}/${fmtNumber(d.ratings)} lượt đánh giá)${rateHint(d.satisfaction_rate, 'chưa có lượt đánh giá')}`, 'stat-satisfaction'),
      stat(fmtNumber(d.apology_letters), 'Thư xin lỗi vì giải quyết trễ hạn', 'stat-apology', d.apology_letters > 0),
      stat(`${fmtNumber(d.sessions_held)}/${fmtNumber(d.sessions_required)}`, 'Buổi tiếp công dân đã tổ chức / theo quy định', 'stat-sessions', d.sessions_held < d.sessions_required)),
    h('div', { class: 'grid cols-2' },
      chartCard({
        id: 'chart-volume',
        title: 'Đơn tiếp nhận và đã giải quyết theo tháng',
        caption: 'Số đơn tiếp nhận và đã giải quyết xong theo tháng',
        columns: ['Tháng', { label: 'Tiếp nhận', ...count }, { label: 'Đã giải quyết', ...count }],
        rows: series.map((s) => [fmtMonth(s.month), s.received, s.closed]),
        draw: (canvas, rows) => barChart(canvas, rows.map((r) => r[0]), [
          { label: 'Tiếp nhận', data: rows.map((r) => r[1]) },
          { label: 'Đã giải quyết', data: rows.map((r) => r[2]) },
        ]),
      }),
      chartCard({
        id: 'chart-rates',
        title: 'Tỷ lệ đúng hạn và hài lòng theo tháng (%)',
        caption: 'Tỷ lệ giải quyết đúng hạn và tỷ lệ hài lòng theo tháng',
        columns: ['Tháng', { label: 'Đúng hạn', ...rate }, { label: 'Hài lòng', ...rate }],
        rows: series.map((s) => [fmtMonth(s.month), s.on_time_rate, s.satisfaction_rate]),
        note: RATE_NOTE,
        draw: (canvas, rows) => lineChart(canvas, rows.map((r) => r[0]), [
          { label: 'Đúng hạn (%)', data: rows.map((r) => r[1]) },
          { label: 'Hài lòng (%)', data: rows.map((r) => r[2]) },
        ]),
      }),
      chartCard({
        id: 'chart-sessions',
        title: 'Buổi tiếp công dân theo tháng',
        caption: 'Số buổi tiếp công dân đã tổ chức và theo quy định, theo tháng',
        columns: ['Tháng', { label: 'Đã tổ chức', ...count }, { label: 'Theo quy định', ...count }],
        rows: series.map((s) => [fmtMonth(s.month), s.sessions_held, s.sessions_required]),
        draw: (canvas, rows) => barChart(canvas, rows.map((r) => r[0]), [
          { label: 'Đã tổ chức', data: rows.map((r) => r[1]) },
          { label: 'Theo quy định', data: rows.map((r) => r[2]), type: 'line' },
        ]),
      })),
    (d.by_agency || []).length > 1
      ? breakdown('by-agency', 'Theo cơ quan', d.by_agency, { empty: '' })
      : null,
    breakdown('by-unit', 'Theo đơn vị xử lý', d.by_unit || [], { empty: 'Chưa có hồ sơ nào được giao cho đơn vị trong khoảng này.' }),
    breakdown('by-handler', 'Theo người xử lý', d.by_handler || [], { withUnit: true, empty: 'Chưa có hồ sơ nào được giao cho người xử lý trong khoảng này.' }));
}

/** The figures by agency, unit or handler; a row with work overdue now is highlighted. */
function breakdown(id, title, items, { withUnit = false, empty }) {
  const head = ['Tên', ...(withUnit ? ['Đơn vị'] : []), 'Tiếp nhận', 'Đã giải quyết', 'Tỷ lệ đúng hạn',
    'Ngày làm việc bình quân', 'Đang quá hạn', 'Tỷ lệ hài lòng'];
  const overdue = items.filter((x) => x.overdue_now > 0).length;
  return h('section', { class: 'card', 'aria-labelledby': `${id}-title`, 'data-testid': id },
    h('h2', { id: `${id}-title` }, title),
    items.length
      ? [
        table({
          testid: `${id}-table`,
          stack: true,
          textCols: withUnit ? 2 : 1,
          caption: `${title}${overdue ? ` (${overdue} có hồ sơ đang quá hạn, được đánh dấu)` : ''}`,
          head,
          rows: items.map((x) => [
            x.name ?? 'Chưa phân công',
            ...(withUnit ? [x.unit_name ?? '—'] : []),
            fmtNumber(x.received),
            fmtNumber(x.closed),
            fmtPercent(x.on_time_rate),
            fmtDecimal(x.avg_working_days),
            x.overdue_now > 0 ? h('span', { class: 'badge overdue' }, fmtNumber(x.overdue_now)) : '0',
            fmtPercent(x.satisfaction_rate),
          ]),
          rowAttrs: (n) => ({ class: items[n].overdue_now > 0 ? 'is-overdue' : null, 'data-id': items[n].id ?? 'none' }),
        }),
        h('p', { class: 'muted small' }, RATE_NOTE),
      ]
      : emptyEl(empty));
}

// ---------------------------------------------------------------- Periodic report

const PERIOD_KINDS = [
  ['month', 'Tháng'],
  ['quarter', 'Quý'],
  ['half', '6 tháng'],
  ['nine', '9 tháng'],
  ['year', 'Năm'],
  ['custom', 'Khoảng ngày tùy chọn'],
];
const ROMAN = ['', 'I', 'II', 'III', 'IV'];

/** The statutory month a day falls in: from the 15th the figures count toward the next month. */
function statutoryMonth(iso, cutoff = 15) {
  const month = monthOf(iso);
  return Number(iso.slice(8, 10)) >= cutoff ? addMonths(month, 1) : month;
}

/** `{kind, month, year, quarter, from, to}` from a period code (`2026-Q4`…) or dates. */
function parsePeriod(code, from, to) {
  let m;
  if (from && to) return { kind: 'custom', from, to };
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(code || ''))) return { kind: 'month', month: code, year: Number(m[1]) };
  if ((m = /^(\d{4})-Q([1-4])$/.exec(code || ''))) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) };
  if ((m = /^(\d{4})-H([12])$/.exec(code || ''))) return { kind: 'half', year: Number(m[1]), half: Number(m[2]) };
  if ((m = /^(\d{4})-9M$/.exec(code || ''))) return { kind: 'nine', year: Number(m[1]) };
  if ((m = /^(\d{4})$/.exec(code || ''))) return { kind: 'year', year: Number(m[1]) };
  return null;
}

/** The report's name: "Quý IV năm 2026", "6 tháng đầu năm 2026"… */
function periodTitle(r) {
  const p = parsePeriod(r.period);
  if (!p) return `Từ ngày ${fmtDate(r.from)} đến ngày ${fmtDate(r.to)}`;
  switch (p.kind) {
    case 'month': return `Tháng ${Number(p.month.slice(5))} năm ${p.year}`;
    case 'quarter': return `Quý ${ROMAN[p.quarter]} năm ${p.year}`;
    case 'half': return `6 tháng ${p.half === 2 ? 'cuối' : 'đầu'} năm ${p.year}`;
    case 'nine': return `9 tháng năm ${p.year}`;
    default: return `Năm ${p.year}`;
  }
}

function periodicTab(panel) {
  const today = todayVN();
  const current = statutoryMonth(today);
  const start = parsePeriod(wanted('ky', /^\d{4}(-(\d{2}|Q[1-4]|H[12]|9M))?$/), wanted('tu-ngay', DATE_RE), wanted('den-ngay', DATE_RE))
    ?? { kind: 'quarter', year: Number(current.slice(0, 4)), quarter: Math.ceil(Number(current.slice(5)) / 3) };
  const year = start.year ?? Number(current.slice(0, 4));

  const kind = h('select', { id: 'period-kind', name: 'kind' },
    PERIOD_KINDS.map(([v, l]) => h('option', { value: v, selected: v === start.kind }, l)));
  const monthIn = h('input', { type: 'month', id: 'period-month', name: 'month', value: start.month ?? current, placeholder: 'YYYY-MM' });
  const yearIn = h('input', { type: 'number', id: 'period-year', name: 'year', value: String(year), min: '2000', max: '2100', step: '1', inputmode: 'numeric' });
  const quarterIn = h('select', { id: 'period-quarter', name: 'quarter' },
    [1, 2, 3, 4].map((q) => h('option', { value: String(q), selected: q === (start.quarter ?? Math.ceil(Number(current.slice(5)) / 3)) }, `Quý ${ROMAN[q]}`)));
  const halfIn = h('select', { id: 'period-half', name: 'half' },
    [[1, '6 tháng đầu năm'], [2, '6 tháng cuối năm']].map(([n, l]) => h('option', { value: String(n), selected: n === (start.half ?? 1) }, l)));
  const fromIn = h('input', { type: 'date', id: 'period-from', name: 'from', value: start.from ?? `${monthOf(today)}-01`, max: today });
  const toIn = h('input', { type: 'date', id: 'period-to', name: 'to', value: start.to ?? today, max: today });
  const fields = {
    month: h('div', { class: 'field' }, h('label', { for: 'period-month' }, 'Tháng'), monthIn, dateWords(monthIn)),
    year: h('div', { class: 'field' }, h('label', { for: 'period-year' }, 'Năm'), yearIn),
    quarter: h('div', { class: 'field' }, h('label', { for: 'period-quarter' }, 'Quý'), quarterIn),
    half: h('div', { class: 'field' }, h('label', { for: 'period-half' }, 'Nửa năm'), halfIn),
    from: h('div', { class: 'field' }, h('label', { for: 'period-from' }, 'Từ ngày'), fromIn, dateWords(fromIn)),
    to: h('div', { class: 'field' }, h('label', { for: 'period-to' }, 'Đến ngày'), toIn, dateWords(toIn)),
  };
  const shownFor = {
    month: ['month'], quarter: ['year', 'quarter'], half: ['year', 'half'], nine: ['year'], year: ['year'], custom: ['from', 'to'],
  };
  const sync = () => {
    for (const [name, el] of Object.entries(fields)) el.hidden = !shownFor[kind.value].includes(name);
  };
  kind.addEventListener('change', sync);
  sync();

  // Whether the agencies below are counted in (the API's default); offered once the report has shown some.
  const ownOnly = new URLSearchParams(location.search).get('cap-duoi') === '0';
  const subs = h('input', { type: 'checkbox', id: 'period-subs', name: 'subordinates', checked: !ownOnly });
  const subsField = h('div', { class: 'check', hidden: !ownOnly }, subs, h('label', { for: 'period-subs' }, 'Gồm số liệu của các cơ quan cấp dưới'));
  const hint = h('p', { class: 'muted small', id: 'period-hint' }, cutoffHint(15));
  const shown = (r, params) => {
    if (r.agencies?.length > 1 || params.subordinates === 'false') subsField.hidden = false;
    if (r.cutoff_day) hint.textContent = cutoffHint(r.cutoff_day);
  };

  const body = h('div', { id: 'periodic', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-label': 'Chọn kỳ báo cáo', 'data-testid': 'period-form', novalidate: true },
    hint,
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'period-kind' }, 'Loại kỳ báo cáo'), kind),
      fields.month, fields.year, fields.quarter, fields.half, fields.from, fields.to,
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Xem báo cáo'))),
    subsField);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const y = yearIn.value.trim();
    let params;
    switch (kind.value) {
      case 'month': params = MONTH_RE.test(monthIn.value) ? { period: monthIn.value } : null; break;
      case 'quarter': params = /^\d{4}$/.test(y) ? { period: `${y}-Q${quarterIn.value}` } : null; break;
      case 'half': params = /^\d{4}$/.test(y) ? { period: `${y}-H${halfIn.value}` } : null; break;
      case 'nine': params = /^\d{4}$/.test(y) ? { period: `${y}-9M` } : null; break;
      case 'year': params = /^\d{4}$/.test(y) ? { period: y } : null; break;
      default: params = DATE_RE.test(fromIn.value) && DATE_RE.test(toIn.value) ? { from: fromIn.value, to: toIn.value } : null;
    }
    if (!params) {
      fill(body, errorBox(kind.value === 'custom' ? 'Hãy chọn ngày bắt đầu và ngày kết thúc.' : kind.value === 'month' ? 'Hãy chọn tháng (dạng năm-tháng, ví dụ 2026-11).' : 'Hãy nhập năm gồm 4 chữ số, ví dụ 2026.'));
      return;
    }
    if (params.from && params.to < params.from) {
      fill(body, errorBox('Ngày kết thúc phải từ ngày bắt đầu trở về sau.'));
      return;
    }
    if (!subs.checked) params.subordinates = 'false';
    loadPeriodic(params, body, shown);
  });
  fill(panel, form, body);
  const first = start.kind === 'custom' ? { from: start.from, to: start.to } : { period: periodCode(start) };
  loadPeriodic(ownOnly ? { ...first, subordinates: 'false' } : first, body, shown);
}

/** How named periods run under the register's cut-off day (15 by default, TT 02/2021). */
function cutoffHint(cut) {
  const tail = ' Khoảng ngày tùy chọn tính đúng các ngày đã chọn.';
  if (cut === 1) return `Kỳ báo cáo tính theo tháng dương lịch, từ ngày 1 của tháng đầu kỳ đến hết tháng cuối kỳ.${tail}`;
  return `Kỳ báo cáo tính từ ngày ${cut} của tháng trước tháng đầu kỳ đến ngày ${cut - 1} của tháng cuối kỳ (ví dụ quý IV: ${cut}/9 đến ${cut - 1}/12).${tail}`;
}

function periodCode(p) {
  switch (p.kind) {
    case 'month': return p.month;
    case 'quarter': return `${p.year}-Q${p.quarter}`;
    case 'half': return `${p.year}-H${p.half ?? 1}`;
    case 'nine': return `${p.year}-9M`;
    default: return String(p.year);
  }
}

async function loadPeriodic(params, body, shown) {
  remember({
    ky: params.period ?? null, 'tu-ngay': params.from ?? null, 'den-ngay': params.to ?? null,
    'cap-duoi': params.subordinates === 'false' ? '0' : null,
  });
  fill(body, loadingEl('Đang lập báo cáo…'));
  try {
    const r = await api('/reports/periodic', { params });
    renderPeriodic(body, r, params);
    shown(r, params);
    announce(`Báo cáo ${periodTitle(r)}: số liệu từ ${fmtDate(r.from)} đến ${fmtDate(r.to)}.`);
  } catch (err) {
    fill(body, errorBox(err));
  }
}

/** What a cell shows for a figure: money and areas keep their units in the row's name. */
function figure(key, v) {
  if (key === 'recovered_land_m2') return fmtDecimal(v, 2);
  return fmtNumber(v);
}

// The indicators' names and order are those of the API's exports (CSV "Chỉ tiêu", the printable
// page), so the screen, the spreadsheet and the paper say the same.
const RECEPTION_ROWS = [
  ['sessions', 'Số buổi tiếp'],
  ['visits', 'Số lượt tiếp'],
  ['people', 'Số người được tiếp'],
  ['cases', 'Số vụ việc'],
  ['new', 'Lượt tiếp vụ việc mới'],
  ['repeat', 'Lượt tiếp vụ việc cũ'],
  ['delegations', 'Số đoàn đông người'],
  ['delegation_people', 'Số người trong đoàn đông người'],
  ['delegations_new', 'Đoàn đông người: vụ việc mới'],
  ['delegations_repeat', 'Đoàn đông người: vụ việc cũ'],
];

const HANDLING_ROWS = [
  ['carried_over', 'Đơn kỳ trước chuyển sang'],
  ['received', 'Đơn tiếp nhận trong kỳ'],
  ['total', 'Tổng số đơn'],
  ['processed', 'Đơn đã xử lý'],
  ['eligible', 'Đơn đủ điều kiện xử lý'],
  ['within_competence', 'Thuộc thẩm quyền (đã thụ lý)'],
  ['guided', 'Hướng dẫn'],
  ['forwarded', 'Chuyển đơn'],
  ['urged', 'Đôn đốc'],
  ['archived', 'Lưu đơn'],
  ['rejected', 'Không thụ lý'],
  ['leads', 'Nguồn tin (tố cáo nặc danh)'],
  ['replies_received', 'Văn bản trả lời nhận được'],
  ['pending_at_end', 'Đơn chưa xử lý cuối kỳ'],
];

const RESOLUTION_ROWS = [
  ['due', 'Số vụ việc phải giải quyết'],
  ['carried_over', 'Kỳ trước chuyển sang'],
  ['accepted', 'Thụ lý trong kỳ'],
  ['resolved', 'Đã giải quyết'],
  ['right', 'Đúng'],
  ['partly_right', 'Có đúng, có sai'],
  ['wrong', 'Sai'],
  ['round_1', 'Giải quyết lần đầu'],
  ['round_2', 'Giải quyết lần hai'],
  ['on_time', 'Đúng hạn'],
  ['late', 'Quá hạn'],
  ['withdrawn', 'Rút đơn'],
  ['terminated', 'Đình chỉ giải quyết'],
  ['open_at_end', 'Chưa giải quyết xong cuối kỳ'],
  ['recovered_money', 'Tiền kiến nghị thu hồi (đồng)'],
  ['recovered_land_m2', 'Đất kiến nghị thu hồi (m²)'],
  ['people_restored', 'Số người được bảo vệ quyền lợi'],
];

/** Indicators down, "Tổng cộng" then each kind across (the official tables' layout). */
function byKindTable({ testid, caption, rows, total, byKind }) {
  const kinds = byKind || [];
  return table({
    testid,
    caption,
    head: ['Chỉ tiêu', 'Tổng cộng', ...kinds.map((k) => k.label)],
    rows: rows.filter(([key]) => key in total).map(([key, label]) => [label, figure(key, total[key]), ...kinds.map((k) => figure(key, k[key] ?? 0))]),
    rowAttrs: (n) => ({ 'data-key': rows.filter(([key]) => key in total)[n][0] }),
  });
}

/** A list by kind, session kind or field, with the given columns. */
function listTable({ testid, caption, first, items, columns }) {
  return table({
    testid,
    caption,
    head: [first, ...columns.map(([, l]) => l)],
    rows: items.map((x) => [x.label, ...columns.map(([key]) => figure(key, x[key] ?? 0))]),
    rowAttrs: (n) => ({ 'data-key': items[n].kind ?? items[n].field }),
  });
}

function renderPeriodic(body, r, params) {
  const qs = query({ ...params });
  const status = h('div', { class: 'export-status', role: 'status' });
  const name = `bao-cao-${params.period ?? `${params.from}_${params.to}`}`;
  const cut = r.cutoff_day ?? 15;
  const rec = r.reception;
  const han = r.handling;
  const res = r.resolution;
  fill(body,
    h('section', { class: 'card report', 'aria-labelledby': 'report-title', 'data-testid': 'periodic-report' },
      h('h2', { id: 'report-title' }, `Báo cáo công tác tiếp công dân, xử lý đơn, giải quyết khiếu nại, tố cáo — ${periodTitle(r)}`),
      h('p', null, h('strong', null, r.agency?.name ?? '')),
      h('p', { 'data-testid': 'period-dates' }, `Số liệu từ ${fmtDate(r.from)} đến ${fmtDate(r.to)}`,
        params.period && cut !== 1 ? h('span', { class: 'muted small' }, ` (kỳ báo cáo từ ngày ${cut} tháng trước đến ngày ${cut - 1} tháng cuối kỳ)`) : null),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'download-csv', onclick: (e) => download(e.currentTarget, `/reports/periodic.csv${qs}`, `${name}.csv`, status) }, 'Tải CSV'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'download-xlsx', onclick: (e) => download(e.currentTarget, `/reports/periodic.xlsx${qs}`, `${name}.xlsx`, status) }, 'Tải Excel (XLSX)'),
        h('button', { type: 'button', 'data-testid': 'print-report', onclick: () => openPrintable(`/reports/periodic.html${qs}`, status) }, 'Xem bản in')),
      status),

    h('section', { class: 'card', 'aria-labelledby': 'reception-title', 'data-testid': 'report-reception' },
      h('h2', { id: 'reception-title' }, 'Biểu 01. Kết quả tiếp công dân'),
      table({
        testid: 'reception-table',
        caption: 'Tổng hợp tiếp công dân',
        head: ['Chỉ tiêu', 'Tổng cộng'],
        rows: RECEPTION_ROWS.filter(([key]) => key in rec).map(([key, label]) => [label, figure(key, rec[key])]),
        rowAttrs: (n) => ({ 'data-key': RECEPTION_ROWS.filter(([key]) => key in rec)[n][0] }),
      }),
      listTable({
        testid: 'reception-by-session-kind', caption: 'Theo hình thức tiếp', first: 'Hình thức tiếp', items: rec.by_session_kind || [],
        columns: [['sessions', 'Số buổi'], ['visits', 'Số lượt'], ['people', 'Số người'], ['cases', 'Số vụ việc'], ['new', 'Vụ việc mới'], ['repeat', 'Vụ việc cũ']],
      }),
      listTable({
        testid: 'reception-by-kind', caption: 'Theo loại vụ việc', first: 'Loại vụ việc', items: rec.by_kind || [],
        columns: [['visits', 'Số lượt'], ['people', 'Số người'], ['new', 'Vụ việc mới'], ['repeat', 'Vụ việc cũ']],
      }),
      listTable({
        testid: 'reception-by-field', caption: 'Theo lĩnh vực', first: 'Lĩnh vực', items: rec.by_field || [], columns: [['visits', 'Số lượt']],
      })),

    h('section', { class: 'card', 'aria-labelledby': 'handling-title', 'data-testid': 'report-handling' },
      h('h2', { id: 'handling-title' }, 'Biểu 02. Kết quả xử lý đơn'),
      byKindTable({ testid: 'handling-table', caption: 'Kết quả xử lý đơn, theo loại đơn', rows: HANDLING_ROWS, total: han, byKind: han.by_kind }),
      listTable({
        testid: 'handling-by-field', caption: 'Đơn tiếp nhận trong kỳ theo lĩnh vực', first: 'Lĩnh vực', items: han.by_field || [], columns: [['received', 'Số đơn']],
      })),

    h('section', { class: 'card', 'aria-labelledby': 'resolution-title', 'data-testid': 'report-resolution' },
      h('h2', { id: 'resolution-title' }, 'Biểu 03. Kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh'),
      byKindTable({ testid: 'resolution-table', caption: 'Kết quả giải quyết các vụ việc thuộc thẩm quyền, theo loại', rows: RESOLUTION_ROWS, total: res, byKind: res.by_kind })),

    (r.agencies || []).length > 1 ? agenciesTable(r.agencies) : null);
}

/** One line per agency of the report (the agency itself first, then its subordinates). */
function agenciesTable(agencies) {
  const head = ['Cơ quan', 'Buổi tiếp', 'Lượt tiếp', 'Đơn tiếp nhận', 'Đơn đã xử lý', 'Phải giải quyết', 'Đã giải quyết', 'Đúng hạn', 'Chưa giải quyết xong'];
  return h('section', { class: 'card', 'aria-labelledby': 'agencies-title', 'data-testid': 'report-agencies' },
    h('h2', { id: 'agencies-title' }, 'Số liệu theo từng cơ quan'),
    table({
      testid: 'agencies-table',
      stack: true,
      caption: 'Số liệu của cơ quan báo cáo và các cơ quan cấp dưới',
      head,
      rows: agencies.map((a) => [a.agency?.name ?? '',
        ...[a.reception?.sessions, a.reception?.visits, a.handling?.received, a.handling?.processed, a.resolution?.due,
          a.resolution?.resolved, a.resolution?.on_time, a.resolution?.open_at_end].map((v) => fmtNumber(v))]),
      rowAttrs: (n) => ({ 'data-id': agencies[n].agency?.id }),
    }));
}

/** Downloads an export (it needs the token, so it is fetched and saved from memory). */
async function download(button, path, filename, status) {
  button.disabled = true;
  fill(status);
  try {
    const url = URL.createObjectURL(await fetchFile(path));
    const a = h('a', { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce(`Đã tải tệp ${filename}.`);
  } catch (err) {
    fill(status, errorBox(err));
  } finally {
    button.disabled = false;
  }
}

/**
 * Opens the API's printable A4 page in a new tab, at its own address (the session's cookie goes
 * with it): a copy shown from memory would take this page's policy, under which the printable
 * page's stylesheet does not resolve.
 */
function openPrintable(path, status) {
  fill(status);
  window.open(`/api/v1${path}`, '_blank', 'noopener');
}

// Last, once every constant above is defined (the tabs draw at once).
if (user) {
  staffFrame(user, 'reports');
  if (!['chairman', 'admin'].includes(user.role)) noAccess(document.getElementById('main'));
  else tabbed(app, TABS, { label: 'Loại báo cáo', panelId: 'reports-panel' });
}
