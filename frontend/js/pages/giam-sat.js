// The chairman's oversight (issue 13): every change made to an account (GET /api/v1/account-events),
// flagged where it concerns a chairman's account, grants a role that sees identities or was made
// by the account's holder; and every read of a protected identity (GET /api/v1/identity-access),
// by whom, when and why. Neither log shows anyone's identity.

import { allPages, api } from '../api.js';
import { requireStaff } from '../auth.js';
import { addDays, fmtDateTime, todayVN } from '../format.js';
import { READ_PURPOSES, ROLES } from '../i18n.js';
import { announce, checkbox, dateWords, emptyEl, errorBox, fill, h, loadingEl, noAccess, staffFrame, tabbed } from '../ui.js';

const user = requireStaff();
const app = document.getElementById('app');
const PER_PAGE = 50;

const TABS = [
  ['tai-khoan', 'Thay đổi tài khoản', accountsTab],
  ['truy-cap', 'Truy cập thông tin cá nhân', readsTab],
];

if (user) {
  staffFrame(user, 'oversight');
  if (!['chairman', 'admin'].includes(user.role)) noAccess(document.getElementById('main'));
  else start();
}

function start() {
  const intro = h('p', { class: 'muted' }, 'Quản trị viên giữ tài khoản, không giữ nhật ký: mọi việc tạo, sửa tài khoản và đặt lại mật khẩu đều được ghi lại ở đây; mỗi lần xem danh tính người tố cáo, người được tiếp, người bị từ chối tiếp cũng vậy (Luật Tố cáo 2018, Điều 8 khoản 3).');
  const body = h('div');
  fill(app, intro, body);
  tabbed(body, TABS, { label: 'Nhật ký', panelId: 'oversight-panel' });
}

/** A period form (last 30 days by default) that calls `load(from, to, extra)` on submit. */
function periodForm(id, extra, load) {
  const to = todayVN();
  const from = addDays(to, -30);
  const form = h('form', { class: 'card', 'aria-label': 'Chọn khoảng thời gian' },
    h('div', { class: 'row' },
      dateField(`${id}-from`, 'from', 'Từ ngày', from, to),
      dateField(`${id}-to`, 'to', 'Đến ngày', to, to),
      extra,
      h('div', { class: 'field' }, h('div', { class: 'actions flush' }, h('button', { type: 'submit' }, 'Xem')))));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(form.elements.from.value, form.elements.to.value, 1); });
  return form;
}

/** "Trang trước / sau" under a page of `total` items. */
function pager(res, go) {
  const pages = Math.max(1, Math.ceil(res.total / res.per_page));
  if (pages === 1) return null;
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'secondary', disabled: res.page <= 1, onclick: () => go(res.page - 1) }, '‹ Trang trước'),
    h('span', { class: 'muted' }, `Trang ${res.page}/${pages}`),
    h('button', { type: 'button', class: 'secondary', disabled: res.page >= pages, onclick: () => go(res.page + 1) }, 'Trang sau ›'));
}

const FIELDS = { role: 'Vai trò', unit_id: 'Đơn vị', active: 'Trạng thái', full_name: 'Họ tên', phone: 'Điện thoại', email: 'Thư điện tử', username: 'Tên đăng nhập' };

/** The changes of an event in words; units by name (`units`: id → name). */
function describeChanges(changes, units) {
  const show = (field, v) => {
    if (v === null || v === undefined) return '—';
    if (field === 'role') return ROLES[v] ?? v;
    if (field === 'active') return v ? 'hoạt động' : 'khóa';
    if (field === 'unit_id') return units.get(v) ?? `#${v}`;
    return v;
  };
  const parts = [];
  for (const [field, value] of Object.entries(changes || {})) {
    const label = FIELDS[field];
    if (!label) continue;
    if (value === true) parts.push(`${label}: đã thay đổi`);
    else if (value && typeof value === 'object' && 'from' in value) parts.push(`${label}: ${show(field, value.from)} → ${show(field, value.to)}`);
    else parts.push(`${label}: ${show(field, value)}`);
  }
  return parts.join('; ') || '—';
}

function accountsTab(panel) {
  const extra = h('div', { class: 'field' }, checkbox({ name: 'flagged', label: 'Chỉ việc cần chú ý' }));
  const flagged = extra.querySelector('input');
  const box = h('div');
  let units = null;
  const load = async (from, to, page) => {
    fill(box, loadingEl('Đang tải nhật ký tài khoản…'));
    try {
      units ??= new Map((await allPages('/units')).map((u) => [u.id, u.name]));
      const res = await api('/account-events', { params: { from, to, flagged: flagged.checked, page, per_page: PER_PAGE } });
      announce(`${res.total} thay đổi tài khoản.`);
      if (!res.items.length) { fill(box, emptyEl('Không có thay đổi tài khoản nào trong khoảng này.')); return; }
      fill(box, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'account-events', class: 'stack' },
        h('caption', null, `Thay đổi tài khoản (${res.total})`),
        h('thead', null, h('tr', null, ['Thời gian', 'Người thực hiện', 'Tài khoản', 'Việc', 'Nội dung', 'Cảnh báo'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, res.items.map((e) => h('tr', { 'data-flags': e.flags.join(' ') || null },
          h('td', { 'data-label': 'Thời gian' }, fmtDateTime(e.at)),
          h('td', { 'data-label': 'Người thực hiện' }, e.actor_name),
          h('td', { 'data-label': 'Tài khoản' }, e.account_name ?? `#${e.account_id}`),
          h('td', { 'data-label': 'Việc' }, e.action_label),
          h('td', { 'data-label': 'Nội dung' }, describeChanges(e.changes, units)),
          h('td', { 'data-label': 'Cảnh báo' }, e.flag_labels.length
            ? e.flag_labels.map((l) => h('span', { class: 'badge nearly' }, l))
            : '—'))))),
      pager(res, (p) => load(from, to, p))));
    } catch (err) {
      fill(box, errorBox(err));
    }
  };
  const form = periodForm('ev', extra, load);
  fill(panel, h('h2', null, 'Thay đổi tài khoản'), form, box);
  load(form.elements.from.value, form.elements.to.value, 1);
}

function subjectOf(r) {
  if (r.petition_id) return h('a', { href: `/can-bo/ho-so?id=${r.petition_id}` }, r.tracking_code ?? `Hồ sơ #${r.petition_id}`);
  if (r.visit_id) return `Lượt tiếp #${r.visit_id}`;
  if (r.refusal_id) return `Từ chối tiếp #${r.refusal_id}`;
  return '—';
}

/** "Trang trước / sau" under a page of a list paged by cursor (`next_after`; its total stops at 10,000). */
function cursorPager(res, page, go) {
  if (!res.next_after && page <= 1) return null;
  const pages = res.total_capped ? null : Math.max(1, Math.ceil(res.total / res.per_page));
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: go.prev }, '‹ Trang trước'),
    h('span', { class: 'muted' }, pages ? `Trang ${page}/${pages}` : `Trang ${page}`),
    h('button', { type: 'button', class: 'secondary', disabled: !res.next_after, onclick: go.next }, 'Trang sau ›'));
}

function readsTab(panel) {
  const box = h('div');
  // The log grows with every read of an identity: it pages by cursor, `before` holding the cursors
  // of the pages already passed (the first page has none).
  const load = async (from, to, page, after = '', before = []) => {
    fill(box, loadingEl('Đang tải nhật ký truy cập…'));
    try {
      const params = after ? { from, to, after, per_page: PER_PAGE } : { from, to, page, per_page: PER_PAGE };
      const res = await api('/identity-access', { params });
      const total = `${Number(res.total).toLocaleString('vi-VN')}${res.total_capped ? '+' : ''}`;
      announce(`${total} lượt xem thông tin cá nhân.`);
      if (!res.items.length) { fill(box, emptyEl('Không có lượt xem thông tin cá nhân nào trong khoảng này.')); return; }
      fill(box, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'identity-reads', class: 'stack' },
        h('caption', null, `Lượt xem thông tin cá nhân (${total})`),
        h('thead', null, h('tr', null, ['Thời gian', 'Cán bộ', 'Mục đích', 'Của'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, res.items.map((r) => h('tr', null,
          h('td', { 'data-label': 'Thời gian' }, fmtDateTime(r.at)),
          h('td', { 'data-label': 'Cán bộ' }, r.user_name ?? `#${r.user_id}`),
          h('td', { 'data-label': 'Mục đích' }, READ_PURPOSES[r.purpose] ?? r.purpose),
          h('td', { 'data-label': 'Của' }, subjectOf(r)))))),
      cursorPager(res, page, {
        next: () => load(from, to, page + 1, res.next_after, [...before, after]),
        prev: () => load(from, to, page - 1, before[before.length - 1] ?? '', before.slice(0, -1)),
      })));
    } catch (err) {
      fill(box, errorBox(err));
    }
  };
  const form = periodForm('ia', null, load);
  fill(panel, h('h2', null, 'Truy cập thông tin cá nhân'), form, box);
  load(form.elements.from.value, form.elements.to.value, 1);
}

/** A labelled date input with its value in words beside it. */
function dateField(id, name, label, value, max) {
  const input = h('input', { type: 'date', id, name, value, max });
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, dateWords(input));
}
