// Retention (issue 18; TT 05/2021 Art. 28(2)): the archived petitions whose year of keeping has
// ended, for the head's decision; their destruction on that decision (its number and date, the
// cases ticked: all or none, each recorded in the case's trail); and the register of destroyed
// cases, which keeps a line of each.

import { api } from '../api.js';
import { requireStaff } from '../auth.js';
import { fmtDate, fmtDateTime, todayVN } from '../format.js';
import { kindLabel } from '../i18n.js';
import {
  announce, busy, checkbox, clearErrors, emptyEl, errorBox, errorSummary, field, fill, h, loadingEl, noAccess, readForm,
  showErrors, staffFrame, tabbed,
} from '../ui.js';

const user = requireStaff();
const app = document.getElementById('app');
const PER_PAGE = 50;

const TABS = [
  ['den-han', 'Đơn đến hạn hủy', dueTab],
  ['da-huy', 'Sổ đơn đã hủy', destroyedTab],
];

if (user) {
  staffFrame(user, 'retention');
  if (!['chairman', 'admin'].includes(user.role)) noAccess(document.getElementById('main'));
  else start();
}

function start() {
  const intro = h('p', { class: 'muted' },
    'Đơn lưu (không đủ điều kiện xử lý) được giữ 1 năm kể từ ngày lưu, sau đó được hủy theo quyết định của Thủ trưởng cơ quan (Thông tư 05/2021/TT-TTCP, Điều 28 khoản 2). Khi hủy, nội dung đơn, thông tin người gửi và tài liệu đính kèm bị xóa; sổ chỉ giữ lại mã hồ sơ, loại đơn, ngày nhận, ngày lưu và quyết định hủy.');
  const body = h('div');
  fill(app, intro, body);
  tabbed(body, TABS, { label: 'Thời hạn lưu', panelId: 'retention-panel' });
}

/** "Trang sau" by cursor: `go(after)` loads the page after. */
function nextButton(res, go) {
  if (!res.next_after) return null;
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'secondary', onclick: () => go(res.next_after) }, 'Trang sau ›'));
}

function dueTab(panel) {
  const box = h('div');
  // `note`: what the last destruction did, shown above the list it left.
  const load = async (after, note = null) => {
    fill(box, loadingEl('Đang tải danh sách đơn đến hạn hủy…'));
    try {
      const res = await api('/retention/due', { params: { per_page: PER_PAGE, after } });
      if (!note) announce(`${res.total} đơn đến hạn hủy.`);
      if (!res.items.length) { fill(box, note, emptyEl('Không có đơn nào đã hết thời hạn lưu.')); return; }
      fill(box, note, decisionForm(res, (done) => load(undefined, done)), nextButton(res, (a) => load(a)));
    } catch (err) {
      fill(box, errorBox(err));
    }
  };
  fill(panel, h('h2', null, 'Đơn đến hạn hủy'), box);
  load();
}

/** The cases due, each with a tick, and the decision that destroys the ticked ones. */
function decisionForm(res, reload) {
  const form = h('form', { class: 'card', 'aria-label': 'Quyết định hủy đơn', novalidate: true });
  const table = h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'retention-due', class: 'stack' },
    h('caption', null, `Đơn đã hết thời hạn lưu (${res.total_capped ? `${res.total}+` : res.total})`),
    h('thead', null, h('tr', null, ['Chọn', 'Mã hồ sơ', 'Loại đơn', 'Trích yếu', 'Ngày nhận', 'Ngày lưu', 'Lưu đến hết ngày'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, res.items.map((c) => h('tr', { 'data-id': c.id },
      h('td', { 'data-label': 'Chọn' }, checkbox({ name: `case-${c.id}`, label: `Hủy hồ sơ ${c.tracking_code}`, attrs: { 'data-case': c.id } })),
      h('td', { 'data-label': 'Mã hồ sơ' }, h('a', { href: `/can-bo/ho-so?id=${c.id}` }, c.tracking_code)),
      h('td', { 'data-label': 'Loại đơn' }, kindLabel(c.kind)),
      h('td', { 'data-label': 'Trích yếu' }, c.subject),
      h('td', { 'data-label': 'Ngày nhận' }, fmtDate(c.received_on)),
      h('td', { 'data-label': 'Ngày lưu' }, fmtDate(c.closed_on)),
      h('td', { 'data-label': 'Lưu đến hết ngày' }, fmtDate(c.archive_until)))))));
  const submit = h('button', { type: 'submit', class: 'danger' }, 'Hủy các đơn đã chọn');
  fill(form,
    errorSummary(),
    table,
    h('div', { class: 'row' },
      field({ name: 'decision_no', label: 'Số quyết định hủy', required: true, hint: 'Ví dụ: 25/QĐ-UBND', attrs: { maxlength: 100 } }),
      field({ name: 'decision_on', label: 'Ngày quyết định', type: 'date', required: true, value: todayVN(), attrs: { max: todayVN() } })),
    h('p', { class: 'muted' }, 'Việc hủy không thể hoàn tác. Mỗi hồ sơ được ghi sự kiện "hủy đơn" vào nhật ký hồ sơ.'),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const ids = [...form.querySelectorAll('input[data-case]:checked')].map((i) => Number(i.dataset.case));
    const values = readForm(form);
    const body = { decision_no: values.decision_no ?? '', decision_on: values.decision_on ?? '', petition_ids: ids };
    const done = busy(submit);
    try {
      const out = await api('/retention/destructions', { method: 'POST', body });
      done();
      const text = `Đã hủy ${out.destroyed.length} đơn theo Quyết định số ${body.decision_no}: ${out.destroyed.map((l) => l.tracking_code).join(', ')}.`;
      announce(text);
      reload(h('div', { class: 'alert ok', role: 'status', 'data-testid': 'retention-done' }, text));
    } catch (err) {
      done();
      showErrors(form, err);
    }
  });
  return form;
}

function destroyedTab(panel) {
  const box = h('div');
  const load = async (after) => {
    fill(box, loadingEl('Đang tải sổ đơn đã hủy…'));
    try {
      const res = await api('/retention/destroyed', { params: { per_page: PER_PAGE, after } });
      announce(`${res.total} đơn đã hủy.`);
      if (!res.items.length) { fill(box, emptyEl('Chưa hủy đơn nào.')); return; }
      fill(box, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'retention-destroyed', class: 'stack' },
        h('caption', null, `Sổ đơn đã hủy (${res.total_capped ? `${res.total}+` : res.total})`),
        h('thead', null, h('tr', null, ['Mã hồ sơ', 'Loại đơn', 'Ngày nhận', 'Ngày lưu', 'Quyết định hủy', 'Người thực hiện', 'Thời điểm hủy'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, res.items.map((l) => h('tr', null,
          h('td', { 'data-label': 'Mã hồ sơ' }, l.tracking_code),
          h('td', { 'data-label': 'Loại đơn' }, kindLabel(l.kind)),
          h('td', { 'data-label': 'Ngày nhận' }, fmtDate(l.received_on)),
          h('td', { 'data-label': 'Ngày lưu' }, fmtDate(l.closed_on)),
          h('td', { 'data-label': 'Quyết định hủy' }, `Số ${l.decision_no ?? '—'} ngày ${fmtDate(l.decision_on)}`),
          h('td', { 'data-label': 'Người thực hiện' }, l.destroyed_by_name ?? '—'),
          h('td', { 'data-label': 'Thời điểm hủy' }, fmtDateTime(l.destroyed_at))))))),
      nextButton(res, (a) => load(a)));
    } catch (err) {
      fill(box, errorBox(err));
    }
  };
  fill(panel, h('h2', null, 'Sổ đơn đã hủy'), box);
  load();
}
