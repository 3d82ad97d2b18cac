// Administration (admin role): staff accounts (/api/v1/users), units (/api/v1/units), the heads'
// reception schedule rules (PUT /api/v1/reception-rules/{host_id}) and the special days of the
// working-day calendar (/api/v1/calendar/days), whose changes recompute open cases' due dates,
// and the outbox of messages to citizens and staff (quan-tri-outbox.js).

import { api, allPages } from '../api.js';
import { requireStaff } from '../auth.js';
import { fmtDateLong, fold, todayVN } from '../format.js';
import { DAY_KINDS, PASSWORD_HINT, ROLES, STAFF_ROLES, WEEKDAYS } from '../i18n.js';
import {
  announce, busy, clearErrors, emptyEl, errorBox, errorSummary, field, fill, focusEl, h, loadingEl,
  noAccess, openDialog, optionsOf, readForm, showErrors, staffFrame, tabbed,
} from '../ui.js';
import { outboxTab } from './quan-tri-outbox.js';

const user = requireStaff();
const app = document.getElementById('app');

const TABS = [
  ['users', 'Tài khoản cán bộ', usersTab],
  ['units', 'Đơn vị', unitsTab],
  ['rules', 'Lịch tiếp công dân', rulesTab],
  ['days', 'Ngày nghỉ, ngày làm bù', daysTab],
  ['outbox', 'Thư, tin nhắn gửi đi', outboxTab],
];

if (user) {
  staffFrame(user, 'admin');
  if (user.role !== 'admin') noAccess(document.getElementById('main'));
  else tabbed(app, TABS, { label: 'Mục quản trị', panelId: 'admin-panel' });
}

// ---------- Users ----------

async function usersTab(panel) {
  fill(panel, loadingEl());
  let units;
  let users;
  try {
    [units, users] = await Promise.all([allPages('/units'), allPages('/users')]);
  } catch (err) {
    fill(panel, errorBox(err));
    return;
  }
  const unitName = (id) => units.find((u) => u.id === id)?.name ?? '—';
  const tableBox = h('div', { 'aria-live': 'polite' });
  const filter = h('input', { type: 'search', id: 'user-filter', 'aria-describedby': 'user-filter-hint' });
  const draw = () => {
    const q = fold(filter.value.trim());
    const shown = users.filter((u) => !q || fold(`${u.full_name} ${u.username} ${ROLES[u.role]}`).includes(q));
    if (!shown.length) { fill(tableBox, emptyEl('Không có tài khoản nào.')); return; }
    fill(tableBox, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'users-table', class: 'stack' },
      h('caption', null, `Tài khoản (${shown.length})`),
      h('thead', null, h('tr', null, ['Họ và tên', 'Tên đăng nhập', 'Vai trò', 'Đơn vị', 'Trạng thái', 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, shown.map((u) => h('tr', { 'data-username': u.username },
        h('td', { 'data-label': 'Họ và tên' }, u.full_name), h('td', { 'data-label': 'Đăng nhập' }, u.username), h('td', { 'data-label': 'Vai trò' }, ROLES[u.role] ?? u.role), h('td', { 'data-label': 'Đơn vị' }, unitName(u.unit_id)),
        h('td', { 'data-label': 'Trạng thái' }, u.active ? 'Đang hoạt động' : h('span', { class: 'badge neutral' }, 'Đã khóa')),
        h('td', { 'data-label': 'Thao tác' }, h('div', { class: 'actions flush' },
          h('button', { type: 'button', class: 'secondary', onclick: () => editUser(u, units).then((ok) => ok && usersTab(panel)) }, 'Sửa', h('span', { class: 'visually-hidden' }, ` ${u.full_name}`)),
          // One's own password is changed with the old one, on "Đổi mật khẩu" (a reset here would be refused).
          u.id === user.id
            ? h('a', { class: 'button secondary', href: '/can-bo/doi-mat-khau', 'data-testid': 'own-password-link' }, 'Đổi mật khẩu', h('span', { class: 'visually-hidden' }, ' của bạn'))
            : h('button', { type: 'button', class: 'secondary', onclick: () => resetPassword(u) }, 'Đặt lại mật khẩu', h('span', { class: 'visually-hidden' }, ` của ${u.full_name}`)),
          u.id === user.id ? null : h('button', { type: 'button', class: 'secondary', onclick: () => toggleActive(u).then((ok) => ok && usersTab(panel)) }, u.active ? 'Khóa' : 'Mở khóa', h('span', { class: 'visually-hidden' }, ` ${u.full_name}`))))))))));
  };
  filter.addEventListener('input', draw);
  fill(panel,
    h('h2', null, 'Tài khoản cán bộ'),
    newUserForm(units, () => usersTab(panel)),
    h('div', { class: 'field' }, h('label', { for: 'user-filter' }, 'Lọc danh sách'), h('span', { class: 'hint', id: 'user-filter-hint' }, 'Theo tên, tên đăng nhập hoặc vai trò; gõ không dấu cũng được.'), filter),
    tableBox);
  draw();
}

const unitOptions = (units) => [['', '— Không thuộc đơn vị —'], ...units.map((u) => [u.id, u.name])];
const roleOptions = () => STAFF_ROLES.map((r) => [r, ROLES[r]]);

function newUserForm(units, onDone) {
  const submit = h('button', { type: 'submit' }, 'Tạo tài khoản');
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'new-user-title', 'data-testid': 'new-user-form' },
    h('h3', { id: 'new-user-title' }, 'Thêm tài khoản cán bộ'),
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'full_name', id: 'nu-full_name', label: 'Họ và tên', required: true }),
      field({ name: 'username', id: 'nu-username', label: 'Tên đăng nhập', required: true, attrs: { autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off' } }),
      field({ name: 'password', id: 'nu-password', label: 'Mật khẩu ban đầu', type: 'password', required: true, hint: PASSWORD_HINT, attrs: { autocomplete: 'new-password', minlength: 10 } })),
    h('div', { class: 'row' },
      field({ name: 'role', id: 'nu-role', label: 'Vai trò', type: 'select', options: roleOptions(), value: 'inspector', required: true }),
      field({ name: 'unit_id', id: 'nu-unit_id', label: 'Đơn vị', type: 'select', options: unitOptions(units), attrs: { 'data-type': 'int' } }),
      field({ name: 'phone', id: 'nu-phone', label: 'Điện thoại', type: 'tel' })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const restore = busy(submit, 'Đang tạo…');
    try {
      const created = await api('/users', { method: 'POST', body: { username: v.username ?? '', password: v.password ?? '', full_name: v.full_name ?? '', role: v.role, unit_id: v.unit_id, phone: v.phone } });
      announce(`Đã tạo tài khoản ${created.username} (${ROLES[created.role]}).`);
      onDone();
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });
  return form;
}

async function editUser(u, units) {
  const saved = await openDialog({
    title: `Sửa tài khoản ${u.username}`,
    fields: [
      field({ name: 'full_name', id: 'eu-full_name', label: 'Họ và tên', value: u.full_name, required: true }),
      field({ name: 'role', id: 'eu-role', label: 'Vai trò', type: 'select', options: roleOptions(), value: u.role }),
      field({ name: 'unit_id', id: 'eu-unit_id', label: 'Đơn vị', type: 'select', options: unitOptions(units), value: u.unit_id ?? '', attrs: { 'data-type': 'int' } }),
      field({ name: 'phone', id: 'eu-phone', label: 'Điện thoại', type: 'tel', value: u.phone ?? '' }),
      field({ name: 'email', id: 'eu-email', label: 'Thư điện tử', type: 'email', value: u.email ?? '' }),
    ],
    onSubmit: (v) => api(`/users/${u.id}`, { method: 'PATCH', body: { full_name: v.full_name ?? '', role: v.role, unit_id: v.unit_id ?? null, phone: v.phone ?? null, email: v.email ?? null } }),
  });
  if (saved) announce(`Đã lưu tài khoản ${saved.username}.`);
  return !!saved;
}

async function resetPassword(u) {
  const done = await openDialog({
    title: `Đặt lại mật khẩu cho ${u.full_name}`,
    intro: 'Mọi phiên đăng nhập cũ của tài khoản này sẽ hết hiệu lực.',
    fields: [field({ name: 'new_password', id: 'rp-new_password', label: 'Mật khẩu mới', type: 'password', required: true, hint: PASSWORD_HINT, attrs: { autocomplete: 'new-password', minlength: 10 } })],
    submitLabel: 'Đặt lại',
    onSubmit: async (v) => { await api(`/users/${u.id}/password`, { method: 'POST', body: { new_password: v.new_password ?? '' } }); return true; },
  });
  if (done) announce(`Đã đặt lại mật khẩu cho ${u.full_name}.`);
}

async function toggleActive(u) {
  const done = await openDialog({
    title: u.active ? `Khóa tài khoản ${u.username}?` : `Mở khóa tài khoản ${u.username}?`,
    intro: u.active ? 'Người dùng sẽ không đăng nhập được và phiên đang mở hết hiệu lực ngay.' : 'Người dùng sẽ đăng nhập lại được.',
    fields: [],
    submitLabel: u.active ? 'Khóa' : 'Mở khóa',
    danger: u.active,
    onSubmit: () => api(`/users/${u.id}`, { method: 'PATCH', body: { active: !u.active } }),
  });
  if (done) announce(u.active ? `Đã khóa ${u.username}.` : `Đã mở khóa ${u.username}.`);
  return !!done;
}

// ---------- Units ----------

async function unitsTab(panel) {
  fill(panel, loadingEl());
  let units;
  try {
    units = await allPages('/units');
  } catch (err) {
    fill(panel, errorBox(err));
    return;
  }
  const submit = h('button', { type: 'submit' }, 'Thêm đơn vị');
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'new-unit-title', 'data-testid': 'new-unit-form' },
    h('h3', { id: 'new-unit-title' }, 'Thêm đơn vị'),
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'name', id: 'un-name', label: 'Tên đơn vị', required: true, hint: 'Ví dụ: Thanh tra phường.' }),
      field({ name: 'code', id: 'un-code', label: 'Mã', required: true, hint: 'Chữ không dấu, ví dụ: TTr.', attrs: { autocapitalize: 'none' } })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const restore = busy(submit, 'Đang lưu…');
    try {
      const u = await api('/units', { method: 'POST', body: { name: v.name ?? '', code: v.code ?? '' } });
      announce(`Đã thêm đơn vị ${u.name}.`);
      unitsTab(panel);
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });
  fill(panel, h('h2', null, 'Đơn vị'), form,
    units.length
      ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'units-table' },
        h('caption', null, `Đơn vị (${units.length})`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Tên đơn vị'), h('th', { scope: 'col' }, 'Mã'), h('th', { scope: 'col' }, 'Thao tác'))),
        h('tbody', null, units.map((u) => h('tr', null, h('td', null, u.name), h('td', null, u.code),
          h('td', null, h('button', { type: 'button', class: 'secondary', onclick: async () => {
            const saved = await openDialog({
              title: `Sửa đơn vị ${u.code}`,
              fields: [field({ name: 'name', id: 'eu-name', label: 'Tên đơn vị', value: u.name, required: true }), field({ name: 'code', id: 'eu-code', label: 'Mã', value: u.code, required: true })],
              onSubmit: (v) => api(`/units/${u.id}`, { method: 'PATCH', body: { name: v.name ?? '', code: v.code ?? '' } }),
            });
            if (saved) { announce(`Đã lưu đơn vị ${saved.name}.`); unitsTab(panel); }
          } }, 'Sửa', h('span', { class: 'visually-hidden' }, ` ${u.name}`))))))))
      : emptyEl('Chưa có đơn vị nào. Hãy thêm đơn vị trước khi tạo tài khoản cán bộ.'));
}

// ---------- Reception schedule rules ----------

async function rulesTab(panel) {
  fill(panel, loadingEl());
  let heads;
  let rules;
  try {
    [heads, rules] = await Promise.all([allPages('/users', { role: 'chairman', active: 'true' }), api('/reception-rules')]);
  } catch (err) {
    fill(panel, errorBox(err));
    return;
  }
  fill(panel,
    h('h2', null, 'Lịch tiếp công dân định kỳ của người đứng đầu'),
    h('p', { class: 'muted' }, 'Mức tối thiểu luật định: Chủ tịch UBND cấp xã tiếp công dân ít nhất 01 ngày mỗi tuần (điểm d khoản 2 Điều 15 Luật Tiếp công dân 2013); Chủ tịch UBND cấp tỉnh ít nhất 01 ngày mỗi tháng (khoản 5 Điều 12). Lịch thấp hơn mức này chỉ được lưu khi ghi rõ lý do; lý do hiện trong mọi bản tổng hợp tuần. Mặc định: thứ Năm hằng tuần; trùng ngày nghỉ thì chuyển sang ngày làm việc kế tiếp. Lịch được công bố trên cổng công dân.'),
    heads.length
      ? heads.map((u) => ruleForm(u, rules.find((r) => r.host_id === u.id)))
      : emptyEl('Chưa có tài khoản Chủ tịch UBND. Tạo tài khoản với vai trò "Chủ tịch UBND" trước; lịch mặc định được tạo ngay.'));
}

function upcomingText(rule) {
  return rule?.upcoming?.length ? `Các buổi tiếp sắp tới: ${rule.upcoming.map(fmtDateLong).join('; ')}.` : 'Chưa có buổi tiếp sắp tới.';
}

const HOLIDAY_OPTIONS = [
  ['next_working_day', 'Chuyển sang ngày làm việc kế tiếp'],
  ['same_week', 'Chuyển sang ngày làm việc khác trong cùng tuần'],
  ['skip', 'Bỏ buổi tiếp đó'],
];

// A saved schedule below the legal minimum: the article it falls short of and the reason recorded.
function minimumBox(box, rule) {
  if (!rule?.below_minimum) {
    fill(box);
    return;
  }
  fill(box, h('div', { class: 'alert warn', 'data-testid': 'rule-below-minimum' },
    h('strong', null, 'Lịch thấp hơn mức tối thiểu luật định. '), rule.below_minimum_note ?? '',
    h('p', null, rule.reason ? `Lý do đã ghi: ${rule.reason}` : 'Chưa ghi lý do.')));
}

function ruleForm(head, rule) {
  const submit = h('button', { type: 'submit' }, 'Lưu lịch');
  const upcoming = h('p', { class: 'small', 'data-testid': 'rule-upcoming', 'aria-live': 'polite' }, upcomingText(rule));
  const status = h('div', { 'aria-live': 'polite' });
  const minimum = h('div', { 'aria-live': 'polite' });
  minimumBox(minimum, rule);
  const p = `r${head.id}`;
  const monthBox = h('div', { hidden: rule?.every !== 'month' },
    field({ name: 'week_of_month', id: `${p}-week_of_month`, label: 'Tuần thứ mấy trong tháng', type: 'select', value: rule?.week_of_month ?? 1, options: [1, 2, 3, 4].map((n) => [n, `Tuần ${n}`]), attrs: { 'data-type': 'int' } }));
  const form = h('form', { novalidate: true, class: 'card', 'data-testid': 'rule-form', 'aria-labelledby': `rule-${head.id}` },
    h('h3', { id: `rule-${head.id}` }, `${head.full_name} (${ROLES[head.role]})`),
    upcoming,
    minimum,
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'weekday', id: `${p}-weekday`, label: 'Ngày trong tuần', type: 'select', value: rule?.weekday ?? 4, options: [1, 2, 3, 4, 5, 6, 7].map((d) => [d, WEEKDAYS[d]]), attrs: { 'data-type': 'int' } }),
      field({ name: 'every', id: `${p}-every`, label: 'Chu kỳ', type: 'select', value: rule?.every ?? 'week', options: [['week', 'Hằng tuần'], ['month', 'Hằng tháng']] }),
      field({ name: 'on_holiday', id: `${p}-on_holiday`, label: 'Trùng ngày nghỉ', type: 'select', value: rule?.on_holiday ?? 'next_working_day', options: HOLIDAY_OPTIONS })),
    monthBox,
    h('div', { class: 'row' },
      field({ name: 'location', id: `${p}-location`, label: 'Địa điểm', value: rule?.location ?? '', hint: 'Để trống: trụ sở cơ quan.' }),
      field({ name: 'hours', id: `${p}-hours`, label: 'Giờ tiếp', value: rule?.hours ?? '', hint: 'Ví dụ: Sáng 7 giờ 30 – 11 giờ 30. Để trống: trong giờ làm việc. Hiện trên lịch công khai.', attrs: { maxlength: 100 } })),
    field({ name: 'reason', id: `${p}-reason`, label: 'Lý do (khi lịch thấp hơn mức tối thiểu)', type: 'textarea', value: rule?.reason ?? '',
      hint: 'Chỉ cần khi lịch không bảo đảm mỗi tuần (cấp xã) hoặc mỗi tháng (cấp tỉnh) có buổi tiếp; tối đa 500 ký tự.',
      attrs: { rows: 2, maxlength: 500 } }),
    h('div', { class: 'actions' }, submit), status);
  form.elements.every.addEventListener('change', () => { monthBox.hidden = form.elements.every.value !== 'month'; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const restore = busy(submit, 'Đang lưu…');
    try {
      const saved = await api(`/reception-rules/${head.id}`, { method: 'PUT', body: { weekday: v.weekday, every: v.every, week_of_month: v.every === 'month' ? v.week_of_month : undefined, on_holiday: v.on_holiday, location: v.location, hours: v.hours, reason: v.reason } });
      clearErrors(form);
      upcoming.textContent = upcomingText(saved);
      minimumBox(minimum, saved);
      fill(status, h('p', { class: 'alert ok', 'data-testid': 'rule-saved' }, `Đã lưu: ${saved.weekday_label} ${saved.every === 'week' ? 'hằng tuần' : 'hằng tháng'}.`));
      announce(`Đã lưu lịch tiếp công dân. ${upcomingText(saved)}`);
    } catch (err) {
      fill(status);
      // Below the minimum without a reason: the article's message, and the reason field to fill.
      if (err?.code === 'below_legal_minimum') {
        showErrors(form, Object.assign(err, { fields: { reason: ['Ghi rõ lý do để lưu lịch thấp hơn mức tối thiểu luật định.'] } }));
      } else {
        showErrors(form, err);
      }
    } finally {
      restore();
    }
  });
  return form;
}

// ---------- Special days ----------

const SOURCES = { computed: 'Tính theo luật', published: 'Theo thông báo của Chính phủ', admin: 'Do quản trị nhập' };

async function daysTab(panel, year = Number(todayVN().slice(0, 4))) {
  const list = h('div', { 'aria-live': 'polite' }, loadingEl());
  const yearSelect = h('select', { id: 'days-year', onchange: () => daysTab(panel, Number(yearSelect.value)) },
    [year - 1, year, year + 1, year + 2].map((y) => h('option', { value: y, selected: y === year }, String(y))));
  const submit = h('button', { type: 'submit' }, 'Lưu ngày');
  const result = h('div', { 'aria-live': 'polite', id: 'day-change-result' });
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'new-day-title', 'data-testid': 'day-form' },
    h('h3', { id: 'new-day-title' }, 'Thêm hoặc sửa một ngày'),
    h('p', { class: 'muted small' }, 'Ngày do quản trị nhập được ưu tiên hơn lịch tính sẵn. Khi lưu, hạn của mọi hồ sơ đang xử lý bị ảnh hưởng được tính lại và ghi vào nhật ký hồ sơ.'),
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'date', id: 'd-date', label: 'Ngày', type: 'date', required: true, value: `${year}-11-24` }),
      field({ name: 'kind', id: 'd-kind', label: 'Loại ngày', type: 'select', options: optionsOf(DAY_KINDS), value: 'holiday' }),
      field({ name: 'name', id: 'd-name', label: 'Tên ngày', required: true, hint: 'Ví dụ: Ngày Văn hóa Việt Nam.' })),
    h('div', { class: 'actions' }, submit), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    fill(result);
    const missing = {};
    if (!v.date) missing.date = ['Vui lòng chọn ngày.'];
    if (!v.name) missing.name = ['Vui lòng nhập tên ngày, ví dụ: Ngày Văn hóa Việt Nam.'];
    if (Object.keys(missing).length) { showErrors(form, { code: 'validation_failed', fields: missing }); return; }
    clearErrors(form);
    // The change recomputes the due dates of every case it touches: say how many, and ask first.
    const ok = await confirmDayChange(v.date, `Lưu ${fmtDateLong(v.date)} là “${DAY_KINDS[v.kind] ?? v.kind}: ${v.name}”?`);
    if (!ok) return;
    const restore = busy(submit, 'Đang lưu…');
    try {
      const r = await api(`/calendar/days/${v.date}`, { method: 'PUT', body: { kind: v.kind, name: v.name ?? '' } });
      clearErrors(form);
      const text = `Đã lưu ${fmtDateLong(r.date)}: ${DAY_KINDS[r.in_effect?.kind] ?? ''}. Đã tính lại hạn của ${r.recomputed.cases} hồ sơ (${r.recomputed.clocks} thời hạn).`;
      await loadDays(list, Number(v.date.slice(0, 4)));
      fill(result, h('p', { class: 'alert ok', role: 'status', 'data-testid': 'day-saved' }, text));
      announce(text);
    } catch (err) {
      fill(result);
      showErrors(form, err);
    } finally {
      restore();
    }
  });
  fill(panel,
    h('h2', null, 'Ngày nghỉ lễ, nghỉ bù và ngày làm bù'),
    form,
    h('div', { class: 'field narrow' }, h('label', { for: 'days-year' }, 'Xem năm'), yearSelect),
    list);
  loadDays(list, year);
}

async function loadDays(list, year) {
  fill(list, loadingEl());
  try {
    const days = await api('/calendar/days', { params: { year } });
    if (!days.length) { fill(list, emptyEl(`Năm ${year} không có ngày đặc biệt.`)); return; }
    fill(list, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'days-table', class: 'stack' },
      h('caption', null, `Ngày đặc biệt năm ${year} (${days.length})`),
      h('thead', null, h('tr', null, ['Ngày', 'Loại', 'Tên', 'Nguồn', 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, days.map((d) => h('tr', { 'data-date': d.date },
        h('td', { 'data-label': 'Ngày' }, fmtDateLong(d.date)), h('td', { 'data-label': 'Loại' }, DAY_KINDS[d.kind] ?? d.kind), h('td', { 'data-label': 'Tên' }, d.name), h('td', { 'data-label': 'Nguồn' }, SOURCES[d.source] ?? d.source),
        h('td', { 'data-label': 'Thao tác' }, d.source === 'admin' ? h('button', { type: 'button', class: 'secondary', onclick: () => removeDay(d, list, year) }, 'Xóa', h('span', { class: 'visually-hidden' }, ` ngày ${d.date}`)) : '—')))))));
  } catch (err) {
    fill(list, errorBox(err));
  }
}

/** How many cases a change of `date` may move, in words (GET …/calendar/days/{date}/impact). */
async function impactText(date) {
  try {
    const i = await api(`/calendar/days/${date}/impact`);
    if (!i.open_cases) return 'Không có hồ sơ đang xử lý nào có thời hạn tính qua ngày này: không hạn nào bị thay đổi.';
    const n = `${i.open_cases.toLocaleString('vi-VN')}${i.capped ? '+' : ''}`;
    return `Thay đổi này có thể dời hạn giải quyết của ${n} hồ sơ đang xử lý (có thời hạn tính qua ngày này). Hạn mới được tính lại ngay và ghi vào nhật ký của từng hồ sơ.`;
  } catch {
    return 'Hạn giải quyết của mọi hồ sơ đang xử lý có thời hạn tính qua ngày này sẽ được tính lại và ghi vào nhật ký của từng hồ sơ.';
  }
}

/** Asks before a change of a special day, saying how many cases it may move; true to go on. */
async function confirmDayChange(date, title) {
  const done = await openDialog({
    title,
    intro: await impactText(date),
    fields: [],
    submitLabel: 'Đồng ý, lưu và tính lại hạn',
    onSubmit: async () => true,
  });
  return !!done;
}

async function removeDay(d, list, year) {
  const r = await openDialog({
    title: `Xóa ngày ${fmtDateLong(d.date)}?`,
    intro: `"${d.name}" sẽ trở về lịch mặc định. ${await impactText(d.date)}`,
    fields: [],
    submitLabel: 'Xóa và tính lại hạn',
    danger: true,
    onSubmit: () => api(`/calendar/days/${d.date}`, { method: 'DELETE' }),
  });
  if (!r) return;
  await loadDays(list, year);
  const text = `Đã xóa. Đã tính lại hạn của ${r.recomputed.cases} hồ sơ.`;
  announce(text);
  const box = document.getElementById('day-change-result');
  if (box) fill(box, h('p', { class: 'alert ok', 'data-testid': 'day-removed' }, text));
  focusEl(document.getElementById('days-year'));
}
