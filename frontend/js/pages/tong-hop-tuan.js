// The chairman's weekly review (GET /api/v1/reviews/weekly, …/weekly/series): the heads' periodic
// sessions held or missed, visits, new petitions, overdue work and whose, on-time and satisfaction
// rates, with charts. Charts are drawn by Chart.js (vendor/, loaded by the page as a classic
// script: `window.Chart`); every chart also has its numbers in a table for screen readers.

import { api } from '../api.js';
import { barChart, chartCard, destroyCharts, lineChart } from '../charts.js';
import { requireStaff } from '../auth.js';
import { addDays, fmtDate, fmtNumber, fmtPercent, isoWeek, mondayOfWeek, todayVN } from '../format.js';
import { HEAD_WEEK, KINDS, SESSION_KINDS, kindLabel } from '../i18n.js';
import { announce, dateWords, emptyEl, errorBox, fill, h, loadingEl, noAccess, staffFrame } from '../ui.js';

const user = requireStaff();
const app = document.getElementById('app');
const SERIES_WEEKS = 8;

if (user) {
  staffFrame(user, 'review');
  if (!['chairman', 'admin'].includes(user.role)) noAccess(document.getElementById('main'));
  else start();
}

function start() {
  const wanted = new URLSearchParams(location.search).get('tuan');
  const week = /^\d{4}-W\d{2}$/.test(wanted || '') ? wanted : isoWeek(todayVN());
  const body = h('div', { id: 'review', 'aria-live': 'polite' });
  const input = h('input', { type: 'week', id: 'week', name: 'week', value: week, max: isoWeek(todayVN()) });
  const shift = (n) => { const monday = mondayOfWeek(input.value) || mondayOfWeek(week); input.value = isoWeek(addDays(monday, 7 * n)); input.dispatchEvent(new Event('input')); load(input.value, body); };
  const form = h('form', { class: 'card', 'aria-label': 'Chọn tuần' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'week' }, 'Tuần'), input, dateWords(input)),
      h('div', { class: 'field' }, h('div', { class: 'actions flush' },
        h('button', { type: 'button', class: 'secondary', onclick: () => shift(-1) }, '‹ Tuần trước'),
        h('button', { type: 'submit' }, 'Xem'),
        h('button', { type: 'button', class: 'secondary', onclick: () => shift(1) }, 'Tuần sau ›')))));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(input.value, body); });
  fill(app, form, body);
  load(week, body);
}

async function load(week, body) {
  history.replaceState(null, '', `?tuan=${week}`);
  destroyCharts();
  fill(body, loadingEl('Đang tổng hợp số liệu tuần…'));
  const monday = mondayOfWeek(week);
  const first = isoWeek(addDays(monday, -7 * (SERIES_WEEKS - 1)));
  try {
    const [w, series] = await Promise.all([
      api('/reviews/weekly', { params: { week } }),
      api('/reviews/weekly/series', { params: { from_week: first, to_week: week } }).catch(() => []),
    ]);
    render(body, w, series);
    announce(`Tuần ${w.week}: ${w.visits} lượt tiếp, ${w.new_petitions} đơn mới, ${w.overdue_cases} hồ sơ quá hạn.`);
  } catch (err) {
    fill(body, errorBox(err));
  }
}

function stat(value, label, testid, bad = false) {
  return h('div', { class: `stat${bad ? ' bad' : ''}`, 'data-testid': testid },
    h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
}

function render(body, w, series) {
  const weekNo = w.week.split('-W')[1];
  fill(body,
    h('h2', { id: 'week-title' }, `Tuần ${Number(weekNo)} năm ${w.week.slice(0, 4)}: ${fmtDate(w.from)} – ${fmtDate(w.to)}`),
    h('p', { class: 'muted small' }, `Số liệu quá hạn tính đến ngày ${fmtDate(w.as_of)}.`),
    h('div', { class: 'stats', 'data-testid': 'review-stats' },
      stat(fmtNumber(w.visits), `Lượt tiếp (${fmtNumber(w.people)} người)`, 'stat-visits'),
      stat(fmtNumber(w.new_petitions), 'Đơn mới tiếp nhận', 'stat-new'),
      stat(fmtNumber(w.closed), `Hồ sơ kết thúc (${w.closed_on_time} đúng hạn, ${w.closed_late} trễ)`, 'stat-closed'),
      stat(fmtNumber(w.overdue_cases), 'Hồ sơ đang quá hạn', 'stat-overdue', w.overdue_cases > 0),
      stat(fmtPercent(w.on_time_rate), 'Tỷ lệ giải quyết đúng hạn', 'stat-on-time', w.on_time_rate != null && w.on_time_rate < 100),
      stat(fmtPercent(w.satisfaction_rate), `Hài lòng (${w.satisfied}/${w.ratings} lượt đánh giá)`, 'stat-satisfaction'),
      stat(fmtNumber(w.sessions_held), 'Buổi tiếp đã tổ chức', 'stat-sessions'),
      stat(`${w.periodic_held}/${w.periodic_required}`, 'Buổi tiếp định kỳ của lãnh đạo', 'stat-periodic', w.periodic_missed > 0)),
    heads(w),
    h('div', { class: 'grid cols-2' },
      chartCard({
        id: 'chart-kinds', title: 'Đơn mới theo loại', columns: ['Loại đơn', 'Số đơn'], collapsed: true,
        rows: Object.keys(KINDS).map((k) => [kindLabel(k), w.new_petitions_by_kind?.[k] ?? 0]),
        draw: (canvas, rows) => barChart(canvas, rows.map((r) => r[0]), [{ label: 'Đơn mới', data: rows.map((r) => r[1]) }]),
      }),
      series.length
        ? chartCard({
          id: 'chart-trend', title: `Xu hướng ${series.length} tuần`, columns: ['Tuần', 'Lượt tiếp', 'Đơn mới', 'Kết thúc', 'Quá hạn'], collapsed: true,
          rows: series.map((s) => [shortWeek(s.week), s.visits, s.new_petitions, s.closed, s.overdue_cases]),
          draw: (canvas, rows) => barChart(canvas, rows.map((r) => r[0]), [
            { label: 'Lượt tiếp', data: rows.map((r) => r[1]) },
            { label: 'Đơn mới', data: rows.map((r) => r[2]) },
            { label: 'Kết thúc', data: rows.map((r) => r[3]) },
            { label: 'Quá hạn', data: rows.map((r) => r[4]), type: 'line' },
          ]),
        })
        : null),
    series.length
      ? chartCard({
        id: 'chart-rates', title: 'Tỷ lệ đúng hạn và hài lòng (%)', columns: ['Tuần', 'Đúng hạn', 'Hài lòng'], collapsed: true,
        rows: series.map((s) => [shortWeek(s.week), s.on_time_rate, s.satisfaction_rate]),
        draw: (canvas, rows) => lineChart(canvas, rows.map((r) => r[0]), [
          { label: 'Đúng hạn (%)', data: rows.map((r) => r[1]) },
          { label: 'Hài lòng (%)', data: rows.map((r) => r[2]) },
        ]),
      })
      : null,
    overdue(w),
    sessionsByKind(w));
}

const shortWeek = (wk) => `T${Number(wk.split('-W')[1])}`;

function heads(w) {
  const below = w.heads.filter((x) => x.below_minimum);
  return h('section', { class: 'card', 'aria-labelledby': 'heads-title' },
    h('h2', { id: 'heads-title' }, 'Lãnh đạo tiếp công dân định kỳ'),
    below.length
      ? h('div', { class: 'alert warn', 'data-testid': 'below-minimum' },
        h('strong', null, 'Lịch tiếp thấp hơn mức tối thiểu luật định'),
        h('ul', null, below.map((x) => h('li', null,
          `${x.host_name ?? `#${x.host_id}`}: ${x.below_minimum_note ?? ''} `,
          x.below_minimum_reason ? `Lý do đã ghi: ${x.below_minimum_reason}` : 'Chưa ghi lý do.'))))
      : null,
    w.heads.length
      ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'heads-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Lãnh đạo'), h('th', { scope: 'col' }, 'Tình hình'), h('th', { scope: 'col', class: 'num' }, 'Số buổi đã tiếp'), h('th', { scope: 'col' }, 'Mức tối thiểu'))),
        h('tbody', null, w.heads.map((x) => h('tr', null,
          h('td', null, x.host_name ?? `#${x.host_id}`),
          h('td', null, h('span', { class: `badge ${['missed', 'unscheduled'].includes(x.status) ? 'overdue' : x.status === 'held' ? 'closed' : 'neutral'}` }, HEAD_WEEK[x.status] ?? x.status)),
          h('td', { class: 'num' }, String(x.held)),
          h('td', null, x.below_minimum
            ? h('span', { class: 'badge overdue', title: x.below_minimum_note ?? '' }, 'Lịch thấp hơn mức tối thiểu')
            : '—'))))))
      : emptyEl('Chưa có lịch tiếp định kỳ nào.'));
}

function overdue(w) {
  return h('section', { class: 'card', 'aria-labelledby': 'overdue-title', 'data-testid': 'overdue' },
    h('h2', { id: 'overdue-title' }, `Hồ sơ quá hạn (${w.overdue_cases})`),
    w.overdue_by_owner.length
      ? h('div', { class: 'table-wrap' }, h('table', null,
        h('caption', null, 'Theo người xử lý'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Người xử lý'), h('th', { scope: 'col' }, 'Đơn vị'), h('th', { scope: 'col', class: 'num' }, 'Số hồ sơ'))),
        h('tbody', null, w.overdue_by_owner.map((o) => h('tr', null, h('td', null, o.assignee_name ?? 'Chưa phân công'), h('td', null, o.unit_name ?? '—'), h('td', { class: 'num' }, String(o.count)))))))
      : emptyEl('Không có hồ sơ quá hạn.'),
    w.overdue_items?.length
      ? h('ul', { class: 'case-list spaced' }, w.overdue_items.slice(0, 20).map((c) => h('li', { class: 'case-item is-overdue' },
        h('div', { class: 'badges' }, h('span', { class: 'badge overdue' }, `Quá hạn ${c.days_overdue} ngày`), h('span', { class: 'badge neutral' }, kindLabel(c.kind))),
        h('h3', null, h('a', { href: `/can-bo/ho-so?id=${c.id}` }, c.subject)),
        h('div', { class: 'meta' }, h('span', null, c.tracking_code), h('span', null, `Hạn ${fmtDate(c.due)}`), h('span', null, c.assignee_name ?? 'Chưa phân công')))))
      : null,
    w.overdue_directive_items?.length
      ? [h('h3', null, `Chỉ đạo sau buổi tiếp quá hạn (${w.overdue_directives})`),
        h('ul', null, w.overdue_directive_items.map((d) => h('li', null, `${d.unit_name ?? ''}: ${d.task} — hạn ${fmtDate(d.due)}`)))]
      : null);
}

function sessionsByKind(w) {
  const rows = Object.entries(w.sessions_by_kind || {});
  if (!rows.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'kinds-title' },
    h('h2', { id: 'kinds-title' }, 'Buổi tiếp theo hình thức'),
    h('div', { class: 'table-wrap' }, h('table', null,
      h('thead', null, h('tr', null, ['Hình thức', 'Đã tiếp', 'Theo lịch', 'Không tổ chức', 'Đã hủy'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
      h('tbody', null, rows.map(([k, c]) => h('tr', null, h('td', null, SESSION_KINDS[k] ?? k),
        [c.held, c.scheduled, c.missed, c.cancelled].map((n) => h('td', { class: 'num' }, String(n)))))))),
    w.refusals ? h('p', null, `Từ chối tiếp: ${w.refusals} trường hợp${w.refusal_notices_overdue ? `, ${w.refusal_notices_overdue} chậm gửi thông báo` : ''}.`) : null,
    w.delegations ? h('p', null, `Đoàn đông người: ${w.delegations} đoàn, ${w.delegation_people} người.`) : null);
}
