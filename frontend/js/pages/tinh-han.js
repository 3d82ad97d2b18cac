// The public due-date calculator (GET /api/v1/calendar/due-date): a period in working or calendar
// days from a start date, with every non-working day passed over and why; and the special days of
// the year (GET /api/v1/calendar/days).

import { api } from '../api.js';
import { getUser, isStaff } from '../auth.js';
import { fmtDate, fmtDateLong, todayVN, weekdayName } from '../format.js';
import { DAY_KINDS, DAY_UNITS } from '../i18n.js';
import { announce, busy, clearErrors, emptyEl, errorBox, errorSummary, field, fill, focusEl, h, loadingEl, portalFrame, readForm, showErrors, staffFrame } from '../ui.js';

const user = getUser();
if (user && isStaff(user)) staffFrame(user, 'calc');
else portalFrame('calc');

const app = document.getElementById('app');
const result = h('div', { id: 'due-result', 'aria-live': 'polite' });

const PRESETS = [
  [10, 'working', 'Thông báo thụ lý, chuyển đơn (10 ngày làm việc)'],
  [7, 'working', 'Thụ lý khiếu nại từ 01/7/2026 (7 ngày làm việc)'],
  [30, 'calendar', 'Giải quyết khiếu nại lần đầu (30 ngày)'],
  [45, 'calendar', 'Giải quyết khiếu nại lần hai (45 ngày)'],
  [90, 'calendar', 'Thời hiệu khiếu nại (90 ngày)'],
];

function form() {
  const submit = h('button', { type: 'submit' }, 'Tính hạn');
  const f = h('form', { novalidate: true, 'aria-label': 'Tính thời hạn', 'data-testid': 'due-form' },
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'start', label: 'Ngày bắt đầu', type: 'date', required: true, value: todayVN(), hint: 'Ngày xảy ra sự việc (không tính vào thời hạn).' }),
      field({ name: 'days', label: 'Số ngày', type: 'number', required: true, value: 10, hint: 'Số nguyên từ 0 đến 3650.', attrs: { min: 0, max: 3650, step: 1, inputmode: 'numeric' } })),
    h('fieldset', null, h('legend', null, 'Cách tính'),
      h('div', { class: 'check' }, h('input', { type: 'radio', name: 'unit', value: 'working', id: 'unit-working', checked: true }),
        h('label', { for: 'unit-working' }, 'Ngày làm việc: không tính thứ Bảy, Chủ nhật, ngày lễ, Tết, ngày nghỉ bù')),
      h('div', { class: 'check' }, h('input', { type: 'radio', name: 'unit', value: 'calendar', id: 'unit-calendar' }),
        h('label', { for: 'unit-calendar' }, 'Ngày theo lịch: cộng đủ số ngày; nếu ngày cuối là ngày nghỉ thì chuyển sang ngày làm việc tiếp theo'))),
    h('details', null, h('summary', null, 'Một số thời hạn thường dùng'),
      h('ul', null, PRESETS.map(([days, unit, label]) => h('li', null,
        h('button', { type: 'button', class: 'link', onclick: () => {
          f.elements.days.value = days;
          f.querySelector(`#unit-${unit}`).checked = true;
          f.requestSubmit();
        } }, label))))),
    h('div', { class: 'actions' }, submit));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(f);
    // Said in the fields' words before anything is sent (the server says the same).
    const errors = {};
    if (!v.start) errors.start = [f.elements.start.validity.badInput ? 'Ngày bắt đầu không hợp lệ.' : 'Vui lòng chọn ngày bắt đầu.'];
    const days = dayError(f.elements.days);
    if (days) errors.days = [days];
    if (Object.keys(errors).length) {
      fill(result);
      showErrors(f, { code: 'validation_failed', fields: errors });
      return;
    }
    clearErrors(f);
    const restore = busy(submit, 'Đang tính…');
    fill(result, loadingEl('Đang tính…'));
    try {
      const r = await api('/calendar/due-date', { params: { start: v.start, days: v.days, unit: v.unit }, auth: false });
      showResult(r);
    } catch (err) {
      fill(result);
      showErrors(f, err);
    } finally {
      restore();
    }
  });
  return f;
}

/** What is wrong with the number of days typed, in the field's words, or null. */
function dayError(input) {
  const text = input.value.trim();
  if (input.validity.badInput) return 'Số ngày phải là một số nguyên từ 0 đến 3650.';
  if (text === '') return 'Vui lòng nhập số ngày.';
  const n = Number(text.replace(',', '.'));
  if (Number.isNaN(n)) return `Số ngày phải là một số nguyên từ 0 đến 3650 (đã nhập “${text}”).`;
  if (n < 0) return `Số ngày không được là số âm (đã nhập ${text}). Số ngày phải là số nguyên từ 0 đến 3650.`;
  if (!Number.isInteger(n)) return `Số ngày phải là số nguyên, không có phần lẻ (đã nhập ${text}).`;
  if (n > 3650) return 'Số ngày quá lớn. Số ngày phải là số nguyên từ 0 đến 3650.';
  return null;
}

function showResult(r) {
  const heading = h('h2', { id: 'due-title' }, 'Kết quả');
  fill(result, h('section', { class: 'card', 'aria-labelledby': 'due-title', 'data-testid': 'due-result' },
    heading,
    h('p', { class: 'lead' }, 'Hạn cuối: ', h('strong', { 'data-testid': 'due-date' }, fmtDateLong(r.due))),
    h('p', null, r.explanation),
    r.skipped.length
      ? h('div', { class: 'table-wrap' }, h('table', null,
        h('caption', null, `Các ngày không làm việc được bỏ qua (${r.skipped.length} ngày)`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Ngày'), h('th', { scope: 'col' }, 'Thứ'), h('th', { scope: 'col' }, 'Lý do'))),
        h('tbody', null, r.skipped.map((s) => h('tr', null, h('td', null, fmtDate(s.date)), h('td', null, weekdayName(s.date)), h('td', null, s.reason))))))
      : h('p', { class: 'muted' }, 'Không có ngày nghỉ nào trong khoảng thời gian này.'),
    h('p', { class: 'muted small' }, `Đơn vị: ${DAY_UNITS[r.unit] ?? r.unit}. Căn cứ Bộ luật Dân sự 2015, Điều 147, 148: không tính ngày bắt đầu.`)));
  focusEl(heading);
  announce(`Hạn cuối: ${fmtDateLong(r.due)}.`);
}

function daysSection() {
  const year = Number(todayVN().slice(0, 4));
  const list = h('div', { 'aria-live': 'polite' });
  const select = h('select', { id: 'days-year', onchange: () => load(Number(select.value)) },
    [year - 1, year, year + 1].map((y) => h('option', { value: y, selected: y === year }, String(y))));
  async function load(y) {
    fill(list, loadingEl());
    try {
      const days = await api('/calendar/days', { params: { year: y }, auth: false });
      if (!days.length) { fill(list, emptyEl('Không có ngày đặc biệt.')); return; }
      fill(list, h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
        h('caption', null, `Ngày nghỉ lễ, nghỉ bù và làm bù năm ${y}`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Ngày'), h('th', { scope: 'col' }, 'Loại'), h('th', { scope: 'col' }, 'Tên'))),
        h('tbody', null, days.map((d) => h('tr', null, h('td', { 'data-label': 'Ngày' }, fmtDateLong(d.date)), h('td', { 'data-label': 'Loại' }, DAY_KINDS[d.kind] ?? d.kind), h('td', { 'data-label': 'Tên' }, d.name)))))));
    } catch (err) {
      fill(list, errorBox(err));
    }
  }
  load(year);
  return h('section', { 'aria-labelledby': 'days-title' },
    h('h2', { id: 'days-title' }, 'Lịch ngày nghỉ'),
    h('div', { class: 'field' }, h('label', { for: 'days-year' }, 'Năm'), select),
    list);
}

fill(app,
  h('p', { class: 'lead' }, 'Tính ngày hết hạn của một khoảng thời gian theo quy định: không tính ngày bắt đầu; ngày làm việc bỏ qua thứ Bảy, Chủ nhật, ngày lễ, Tết và ngày nghỉ bù.'),
  form(), result, daysSection());
