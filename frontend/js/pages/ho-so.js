// The case page: the case (GET /api/v1/petitions/{id}) with its "5 rõ", its legal clocks explained
// (…/deadlines: why each due date, which days were skipped), its timeline (…/events), and one
// button per action in `allowed_actions`, each opening a small form for that action's fields
// (POST …/actions with `expected_version`). Its written notices (…/notices) are listed with their
// due dates, opened for printing or as a PDF and recorded as sent; a late case offers the apology
// letter. Its attachments (…/attachments) are listed with who added them and when, opened or
// downloaded with the session, and officers who have the case in hand add more.

import { api, allPages, fetchFile } from '../api.js';
import { fmtSize, uploader } from '../attachments.js';
import { requireStaff } from '../auth.js';
import { dueInWords, fmtDate, fmtDateLong, fmtDateTime, fmtNumber, todayVN } from '../format.js';
import {
  ACTIONS, CHANNELS, CLOCK_STATES, COMPLEXITY, CONCLUSIONS, DAY_UNITS, FIELDS, KINDS, ROLES,
  actionLabel, errorMessage, eventLabel, isOpen, kindLabel, statusLabel,
} from '../i18n.js';
import {
  announce, checkbox, dueBadges, emptyEl, errorBox, field, fill, focusEl, h, loadingEl,
  openDialog, optionsOf, staffFrame, statusBadge,
} from '../ui.js';

const user = requireStaff();
const app = document.getElementById('app');
const id = Number(new URLSearchParams(location.search).get('id'));
/** Lists for the action forms, loaded once when first needed. */
const cache = {};
/** The upload form, made once: it keeps each file's result across the page's reloads. */
let attachmentForm = null;

if (user) {
  staffFrame(user, 'inbox');
  if (!Number.isInteger(id) || id <= 0) fill(app, errorBox('Thiếu mã hồ sơ. Hãy mở hồ sơ từ danh sách việc.'));
  else load();
}

async function load(message) {
  if (!app.querySelector('#case-head')) fill(app, loadingEl('Đang tải hồ sơ…'));
  try {
    const [view, deadlines, events, notices, files] = await Promise.all([
      api(`/petitions/${id}`),
      api(`/petitions/${id}/deadlines`),
      api(`/petitions/${id}/events`),
      api(`/petitions/${id}/notices`),
      // Not found: the files are under the rule of the people's identity, which this reader may not see.
      api(`/petitions/${id}/attachments`).catch((err) => { if (err.code === 'not_found') return null; throw err; }),
    ]);
    render(view, deadlines, events, notices, files);
    if (message) {
      const box = document.getElementById('action-result');
      fill(box, h('p', { class: 'alert ok', tabindex: '-1' }, message));
      focusEl(box.firstChild);
      announce(message);
    }
  } catch (err) {
    fill(app, errorBox(err.code === 'not_found' ? 'Không tìm thấy hồ sơ, hoặc hồ sơ không thuộc phạm vi bạn được xem.' : err),
      h('p', null, h('a', { href: '/can-bo/' }, 'Về danh sách việc')));
  }
}

function render(v, deadlines, events, notices, files) {
  document.title = `${v.tracking_code} – Hồ sơ – Tiếp công dân`;
  const h1 = document.querySelector('h1');
  h1.textContent = `Hồ sơ ${v.tracking_code}`;
  fill(app,
    h('div', { id: 'case-head', class: 'card' },
      h('div', { class: 'badges', 'data-testid': 'case-badges' }, dueBadges(v), statusBadge(v.status, v.status_label), h('span', { class: 'badge neutral' }, kindLabel(v.kind))),
      h('h2', { id: 'case-subject', class: 'case-subject' }, v.subject),
      h('p', { class: 'muted' }, `Nhận ngày ${fmtDate(v.received_on)} · ${CHANNELS[v.channel] ?? v.channel}${v.round > 1 ? ` · Lần ${v.round}` : ''}`),
      h('div', { id: 'action-result', 'aria-live': 'polite' }),
      actionBar(v),
      // The printed case file: everything on the page but its controls, the attached documents
      // listed with who added them (the print stylesheet drops buttons and forms).
      h('p', { class: 'no-print' }, h('button', { type: 'button', class: 'secondary', 'data-testid': 'print-case', onclick: () => window.print() }, 'In hồ sơ'))),
    h('div', { class: 'grid aside' },
      h('div', null, fiveClear(v), details(v), parties(v), attachmentCard(v, files), noticeCard(v, notices), clocks(deadlines)),
      h('div', null, timeline(events, namesOf(v)))));
}

// ---------- Actions ----------

function actionBar(v) {
  if (!v.allowed_actions.length) {
    return h('p', { class: 'muted', 'data-testid': 'no-actions' }, isOpen(v.status)
      ? 'Bạn không có thao tác nào trên hồ sơ này ở bước hiện tại.'
      : 'Hồ sơ đã kết thúc xử lý.');
  }
  return h('section', { 'aria-labelledby': 'actions-title' },
    h('h3', { id: 'actions-title' }, 'Thao tác'),
    h('div', { class: 'actions', 'data-testid': 'case-actions' }, v.allowed_actions.map((a) =>
      h('button', { type: 'button', class: ['reject', 'archive', 'withdraw'].includes(a) ? 'secondary' : null, 'data-action': a, title: ACTIONS[a]?.help, onclick: () => act(v, a) }, actionLabel(a)))));
}

const onField = () => field({ name: 'on', label: 'Ngày quyết định', type: 'date', value: todayVN(), attrs: { max: todayVN() } });
const note = (label = 'Ghi chú') => field({ name: 'note', label, type: 'textarea', attrs: { rows: 2 } });
const reason = (label = 'Lý do', hint) => field({ name: 'reason', label, type: 'textarea', required: true, hint, attrs: { rows: 3 } });

async function lists() {
  if (!cache.units) {
    const [units, users, agencies] = await Promise.all([
      allPages('/units').catch(() => []),
      allPages('/users', { active: 'true' }).catch(() => []),
      allPages('/agencies').catch(() => []),
    ]);
    Object.assign(cache, { units, users, agencies });
  }
  return cache;
}

async function fieldsFor(v, action) {
  const { units, users, agencies } = await lists();
  const otherAgencies = agencies.filter((a) => a.id !== v.agency_id);
  switch (action) {
    case 'accept':
      return [
        field({ name: 'complexity', label: 'Mức độ vụ việc', type: 'select', options: optionsOf(COMPLEXITY), value: v.complexity || 'none', hint: 'Vụ việc phức tạp có thời hạn giải quyết dài hơn.' }),
        checkbox({ name: 'remote_area', label: 'Vùng sâu, vùng xa', checked: v.remote_area }),
        onField(), note()];
    case 'reject': return [reason('Lý do không thụ lý', 'Căn cứ pháp luật, sẽ thông báo bằng văn bản cho người gửi.'), onField()];
    case 'guide': return [field({ name: 'to_body', label: 'Cơ quan có thẩm quyền', required: true }), onField(), note('Nội dung hướng dẫn')];
    case 'forward': return [
      otherAgencies.length ? field({ name: 'to_agency_id', label: 'Chuyển đến cơ quan trong hệ thống', type: 'select', options: [['', '— Cơ quan ngoài hệ thống —'], ...otherAgencies.map((a) => [a.id, a.name])], attrs: { 'data-type': 'int' } }) : null,
      field({ name: 'to_body', label: 'Hoặc tên cơ quan nhận', hint: 'Khi cơ quan nhận không có trong hệ thống.' }),
      field({ name: 'letter_no', label: 'Số văn bản chuyển đơn' }), onField(), note()];
    case 'urge': return [field({ name: 'to_body', label: 'Cơ quan cấp dưới được đôn đốc', required: true }), onField(), note()];
    case 'archive': return [reason('Lý do lưu đơn'), onField()];
    case 'schedule_dialogue': return [
      field({ name: 'on', label: 'Ngày đối thoại', type: 'date', required: true, hint: 'Sau hôm nay ít nhất 5 ngày (giấy mời gửi trước 5 ngày).' }),
      field({ name: 'place', label: 'Địa điểm', required: true })];
    case 'record_dialogue': return [
      field({ name: 'minutes', label: 'Biên bản đối thoại', type: 'textarea', required: true, hint: 'Thành phần, ý kiến các bên, kết quả; ghi rõ nếu người khiếu nại vắng mặt.', attrs: { rows: 5 } }),
      onField()];
    case 'extend_intake': return [
      field({ name: 'days', label: 'Số ngày làm việc kéo dài', type: 'number', required: true, value: 3, hint: 'Tối đa 10 ngày làm việc kể từ ngày nhận đơn.', attrs: { min: 1, max: 3, 'data-type': 'int' } }),
      reason('Lý do kéo dài', 'Ví dụ: phải xác minh ở nhiều địa điểm.'), onField()];
    case 'terminate': return [reason('Căn cứ đình chỉ', 'Ví dụ: Tòa án đã thụ lý vụ án; người bị tố cáo đã chết.'), onField()];
    case 'record_lead': return [reason('Người vi phạm và tài liệu, chứng cứ kiểm tra được', 'Căn cứ để thanh tra, kiểm tra (Luật Tố cáo 2018, Điều 25 khoản 2).'), onField()];
    case 'assign': {
      const handlers = users.filter((u) => ['inspector', 'unit_head'].includes(u.role));
      const leaders = users.filter((u) => ['chairman', 'unit_head'].includes(u.role));
      return [
        field({ name: 'unit_id', label: 'Đơn vị xử lý', type: 'select', value: v.unit_id ?? user.unit_id ?? '', options: [['', '— Chọn đơn vị —'], ...units.map((u) => [u.id, u.name])], attrs: { 'data-type': 'int' } }),
        field({ name: 'assignee_id', label: 'Người xử lý', type: 'select', required: true, value: v.assignee_id ?? '', options: [['', '— Chọn người xử lý —'], ...handlers.map((u) => [u.id, `${u.full_name} (${ROLES[u.role]}${unitName(units, u.unit_id)})`])], attrs: { 'data-type': 'int' } }),
        field({ name: 'leader_id', label: 'Lãnh đạo phụ trách', type: 'select', value: v.leader_id ?? '', options: [['', '— Chọn lãnh đạo —'], ...leaders.map((u) => [u.id, `${u.full_name} (${ROLES[u.role]})`])], attrs: { 'data-type': 'int' } }),
        field({ name: 'expected_result', label: 'Kết quả cần đạt', type: 'textarea', value: v.expected_result, hint: 'Ví dụ: Quyết định giải quyết khiếu nại lần đầu.', attrs: { rows: 2 } }),
        onField()];
    }
    case 'extend': return [
      field({ name: 'days', label: 'Số ngày gia hạn', type: 'number', required: true, attrs: { min: 1, max: 90, 'data-type': 'int' } }),
      field({ name: 'complexity', label: 'Mức độ vụ việc', type: 'select', options: optionsOf(COMPLEXITY), value: v.complexity === 'none' ? 'complex' : v.complexity }),
      reason('Lý do gia hạn'), onField()];
    case 'suspend': return [reason('Lý do tạm đình chỉ', 'Ví dụ: chờ kết quả giám định, chờ cơ quan khác giải quyết việc liên quan.'), onField()];
    case 'resume': return [onField(), note()];
    case 'withdraw': return [
      checkbox({ name: 'partial', label: 'Rút một phần nội dung (phần còn lại tiếp tục giải quyết)' }),
      v.kind === 'denunciation' ? checkbox({ name: 'continue_handling', label: 'Vẫn tiếp tục giải quyết (có dấu hiệu vi phạm, rút do bị ép buộc hoặc để vu khống — Luật Tố cáo, Điều 33 khoản 3)' }) : null,
      v.kind === 'denunciation' ? field({ name: 'reason', label: 'Lý do tiếp tục giải quyết', hint: 'Bắt buộc khi tiếp tục giải quyết.' }) : null,
      v.signatories > 1 ? field({ name: 'withdrawn_signatories', label: 'Số người rút đơn', type: 'number', attrs: { min: 1, max: v.signatories, 'data-type': 'int' } }) : null,
      onField(), note('Nội dung rút đơn')];
    case 'resolve': return [
      field({ name: 'result', label: 'Kết quả giải quyết', type: 'textarea', required: true, hint: 'Số, ngày quyết định hoặc văn bản trả lời và nội dung chính.', attrs: { rows: 4 } }),
      v.kind === 'complaint' || v.kind === 'denunciation'
        ? field({ name: 'conclusion', label: v.kind === 'complaint' ? 'Kết luận nội dung khiếu nại' : 'Kết luận nội dung tố cáo', type: 'select', required: v.kind === 'complaint', options: optionsOf(CONCLUSIONS, '— Chọn kết luận —') })
        : null,
      h('details', null, h('summary', null, 'Kiến nghị thu hồi, bảo vệ quyền lợi (nếu có, cho báo cáo)'),
        h('div', { class: 'row' },
          field({ name: 'recovered_money', label: 'Tiền kiến nghị thu hồi (đồng)', type: 'number', attrs: { min: 0, step: 1, 'data-type': 'int' } }),
          field({ name: 'recovered_land_m2', label: 'Đất kiến nghị thu hồi (m²)', type: 'number', attrs: { min: 0, step: '0.01', 'data-type': 'decimal' } }),
          field({ name: 'people_restored', label: 'Số người được bảo vệ quyền lợi', type: 'number', attrs: { min: 0, step: 1, 'data-type': 'int' } }))),
      onField()];
    case 'reopen': {
      // The competent body is the direct superior of this agency (the agency itself at the top).
      const own = agencies.find((a) => a.id === v.agency_id);
      const superior = agencies.find((a) => a.id === own?.parent_id);
      const competent = superior ? `${superior.name} (cấp trên trực tiếp)` : 'Cơ quan này (không có cấp trên trong hệ thống)';
      return [
        field({ name: 'reason', label: v.kind === 'complaint' ? 'Lý do khiếu nại lần hai' : 'Lý do tố cáo tiếp', type: 'textarea', hint: 'Bắt buộc khi gửi đến cơ quan khác cơ quan có thẩm quyền.', attrs: { rows: 3 } }),
        agencies.length > 1 ? field({ name: 'to_agency_id', label: 'Cơ quan giải quyết', type: 'select', options: [['', `— ${competent} —`], ...agencies.map((a) => [a.id, a.name])], attrs: { 'data-type': 'int' } }) : null,
        onField()];
    }
    case 'split': return [splitParts(v), onField(), note()];
    default: return [onField(), note()];
  }
}

function unitName(units, unitId) {
  const u = units.find((x) => x.id === unitId);
  return u ? `, ${u.name}` : '';
}

function splitParts(v) {
  const box = h('div', { 'data-testid': 'split-parts' });
  let n = 0;
  const add = () => {
    box.append(h('fieldset', null, h('legend', null, `Nội dung ${n + 1}`),
      field({ name: `parts.${n}.kind`, label: 'Loại đơn', type: 'select', value: v.kind, options: Object.entries(KINDS).map(([k, x]) => [k, x.label]) }),
      field({ name: `parts.${n}.subject`, label: 'Tiêu đề', required: true }),
      field({ name: `parts.${n}.content`, label: 'Nội dung', type: 'textarea', required: true, attrs: { rows: 2 } })));
    n += 1;
  };
  add();
  add();
  return [box, h('button', { type: 'button', class: 'secondary', onclick: add }, 'Thêm nội dung')];
}

async function act(v, action) {
  let fields;
  try {
    fields = await fieldsFor(v, action);
  } catch (err) {
    announce(errorMessage(err));
    return;
  }
  let newView = null;
  await openDialog({
    title: `${actionLabel(action)} — ${v.tracking_code}`,
    intro: ACTIONS[action]?.help,
    fields,
    submitLabel: actionLabel(action),
    danger: ['reject', 'archive', 'terminate'].includes(action),
    onSubmit: async (values) => {
      const body = { action, expected_version: v.version, ...values };
      if (body.parts) body.parts = Object.values(body.parts);
      if (action === 'withdraw') {
        body.partial = !!values.partial;
        body.continue_handling = !!values.continue_handling;
        if (!body.continue_handling) delete body.reason;
      }
      if (action === 'accept') body.remote_area = !!values.remote_area;
      try {
        newView = await api(`/petitions/${v.id}/actions`, { method: 'POST', body });
      } catch (err) {
        if (err.code === 'concurrent_update') {
          const fresh = await api(`/petitions/${v.id}`);
          v.version = fresh.version;
          load();
        }
        throw err;
      }
      return newView;
    },
  });
  if (!newView) return;
  const text = `Đã ${actionLabel(action).toLowerCase()}. Trạng thái: ${statusLabel(newView.status)}.`;
  if (newView.id !== v.id) {
    location.href = `/can-bo/ho-so?id=${newView.id}`;
    return;
  }
  load(text);
}

// ---------- Attachments ----------

function attachmentCard(v, files) {
  let body;
  if (files === null) {
    body = h('p', { class: 'alert info', 'data-testid': 'attachments-hidden' }, v.kind === 'denunciation'
      ? 'Tài liệu đính kèm được bảo mật như danh tính người tố cáo: chỉ người tiếp nhận, người được giao xử lý và người giải quyết được xem.'
      : 'Bạn không được xem tài liệu đính kèm của hồ sơ này.');
  } else if (!files.length) {
    body = emptyEl('Chưa có tài liệu đính kèm.');
  } else {
    body = h('ul', { class: 'attachment-list', 'data-testid': 'attachment-list' }, files.map((f) => h('li', { 'data-attachment': f.id },
      h('span', { class: 'file-name' }, f.name),
      h('span', { class: 'file-meta small muted', title: `SHA-256: ${f.sha256}` },
        `${f.type_label} · ${fmtSize(f.size)} · ${f.by_citizen ? 'Công dân gửi qua cổng' : `Thêm bởi ${f.added_by_name ?? '—'}`} · ${fmtDateTime(f.created_at)}`),
      h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'attachment-open', onclick: () => openAttachment(f) }, 'Xem'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'attachment-download', onclick: () => downloadAttachment(f) }, 'Tải về')))));
  }
  if (v.may_attach && !attachmentForm) {
    attachmentForm = uploader({
      path: `/petitions/${v.id}/attachments`,
      label: 'Thêm tài liệu, ảnh chụp',
      onDone: (added) => { if (added) load(`Đã đính kèm ${added} tệp vào hồ sơ.`); },
    });
  }
  return h('section', { class: 'card', 'aria-labelledby': 'attachment-title', 'data-testid': 'attachments' },
    h('h2', { id: 'attachment-title' }, 'Tài liệu đính kèm'),
    body,
    files && files.length ? h('p', { class: 'small muted' }, 'Mỗi lần xem, tải tài liệu được ghi vào nhật ký truy cập thông tin cá nhân.') : null,
    v.may_attach ? attachmentForm : null);
}

function openAttachment(f) {
  // At its own address, shown rather than saved (the session's cookie goes with it): a copy shown
  // from memory would take this page's policy, which breaks the browser's image and PDF viewers.
  window.open(`/api/v1/attachments/${f.id}?inline=true`, '_blank', 'noopener');
}

async function downloadAttachment(f) {
  try {
    const url = URL.createObjectURL(await fetchFile(`/attachments/${f.id}`));
    const a = h('a', { href: url, download: f.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  } catch (err) {
    announce(errorMessage(err));
  }
}

// ---------- Written notices ----------

const SEND_CHANNELS = {
  post: 'Bưu chính', in_person: 'Trao trực tiếp', email: 'Thư điện tử', portal: 'Cổng tiếp công dân trực tuyến',
  document_system: 'Hệ thống văn bản điện tử',
};
const RECIPIENTS = { petitioner: 'Người gửi đơn', denounced: 'Người bị tố cáo', competent_body: 'Cơ quan có thẩm quyền' };

function noticeCard(v, notices) {
  const apology = v.apology_offered ? h('div', { class: 'alert warn', 'data-testid': 'apology-offer' },
    h('p', { class: 'lead-in' }, 'Hồ sơ đã quá thời hạn. Theo quy chế của phường, gửi thư xin lỗi người dân kèm ngày hẹn mới.'),
    h('button', { type: 'button', 'data-testid': 'apology-button', onclick: () => issueApology(v) }, 'Lập thư xin lỗi')) : null;
  return h('section', { class: 'card', 'aria-labelledby': 'notice-title', 'data-testid': 'notices' },
    h('h2', { id: 'notice-title' }, 'Văn bản, thông báo'),
    apology,
    notices.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
      h('thead', null, h('tr', null, ['Văn bản', 'Gửi đến', 'Hạn gửi', 'Đã gửi', 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, notices.map((n) => h('tr', { 'data-notice': n.id, 'data-kind': n.kind },
        h('td', { 'data-label': 'Văn bản' }, h('div', null, h('strong', null, n.kind_label), h('div', { class: 'small muted' }, `Số ${n.number} · ${fmtDate(n.issued_on)}`))),
        h('td', { 'data-label': 'Gửi đến' }, RECIPIENTS[n.recipient] ?? n.recipient),
        h('td', { 'data-label': 'Hạn gửi' }, h('div', null, n.due ? fmtDate(n.due) : '—', n.overdue ? h('span', { class: 'badge overdue beside' }, 'Quá hạn') : null)),
        h('td', { 'data-label': 'Đã gửi' }, n.sent_on ? `${fmtDate(n.sent_on)} · ${SEND_CHANNELS[n.channel] ?? n.channel}` : h('span', { class: 'muted' }, 'Chưa gửi')),
        h('td', { 'data-label': 'Thao tác' }, h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'data-testid': 'notice-print', onclick: () => openNotice(n) }, 'Xem, in'),
          h('button', { type: 'button', class: 'secondary', onclick: () => downloadNotice(n) }, 'PDF'),
          n.sent_on ? null : h('button', { type: 'button', 'data-testid': 'notice-sent', onclick: () => markSent(n) }, 'Ghi đã gửi'))))))))
      : emptyEl('Chưa có văn bản nào.'));
}

function openNotice(n) {
  // At its own address (the session's cookie goes with it): a copy shown from memory would take
  // this page's policy, under which the printable page's stylesheet and links do not resolve.
  window.open(`/api/v1/notices/${n.id}`, '_blank', 'noopener');
}

async function downloadNotice(n) {
  try {
    const url = URL.createObjectURL(await fetchFile(`/notices/${n.id}.pdf`));
    const a = h('a', { href: url, download: `van-ban-${n.number.replaceAll('/', '-')}.pdf` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  } catch (err) {
    announce(errorMessage(err));
  }
}

async function markSent(n) {
  const saved = await openDialog({
    title: `Ghi đã gửi — ${n.kind_label} số ${n.number}`,
    intro: 'Ngày gửi đáp ứng thời hạn gửi văn bản; gửi sau hạn được ghi là chậm.',
    fields: [
      field({ name: 'sent_on', label: 'Ngày gửi', type: 'date', value: todayVN(), required: true, attrs: { min: n.issued_on, max: todayVN() } }),
      field({ name: 'channel', label: 'Hình thức gửi', type: 'select', required: true, options: optionsOf(SEND_CHANNELS) }),
    ],
    submitLabel: 'Ghi đã gửi',
    onSubmit: (values) => api(`/notices/${n.id}/sent`, { method: 'POST', body: values }),
  });
  if (saved) load(`Đã ghi văn bản số ${saved.number} là đã gửi ngày ${fmtDate(saved.sent_on)}.`);
}

async function issueApology(v) {
  const open = isOpen(v.status);
  const saved = await openDialog({
    title: `Thư xin lỗi — ${v.tracking_code}`,
    intro: open ? 'Thư nêu ngày hẹn giải quyết xong mới.' : 'Hồ sơ đã có kết quả; thư xin lỗi vì đã trả kết quả chậm.',
    fields: open ? [field({ name: 'promised_on', label: 'Ngày hẹn giải quyết xong', type: 'date', required: true, attrs: { min: todayVN() } })] : [],
    submitLabel: 'Lập thư xin lỗi',
    onSubmit: (values) => api(`/petitions/${v.id}/notices`, { method: 'POST', body: { kind: 'apology', ...values } }),
  });
  if (saved) load(`Đã lập thư xin lỗi số ${saved.number}. Hãy in và gửi cho người dân.`);
}

// ---------- The case ----------

function fiveClear(v) {
  const missing = (text) => h('span', { class: 'badge nearly' }, text);
  const open = isOpen(v.status);
  return h('section', { class: 'card', 'aria-labelledby': 'five-title', 'data-testid': 'five-clear' },
    h('h2', { id: 'five-title' }, '“5 rõ”'),
    h('dl', { class: 'facts' },
      h('dt', null, 'Rõ người'), h('dd', { 'data-testid': 'assignee' }, v.assignee_name || (open ? missing('Chưa phân công người xử lý') : '—')),
      h('dt', null, 'Đơn vị'), h('dd', { 'data-testid': 'unit' }, v.unit_name || (open ? missing('Chưa giao đơn vị') : '—')),
      h('dt', null, 'Rõ trách nhiệm'), h('dd', null, v.leader_name ? `${v.leader_name} (lãnh đạo phụ trách)` : (open ? missing('Chưa có lãnh đạo phụ trách') : '—')),
      h('dt', null, 'Rõ quy trình'), h('dd', { 'data-testid': 'step' }, v.step),
      h('dt', null, 'Rõ thời hạn'), h('dd', { 'data-testid': 'next-due' }, v.next_due ? [fmtDateLong(v.next_due), ' ', h('span', { class: v.overdue ? 'badge overdue' : 'muted' }, `(${dueInWords(v.next_due)})`)] : (open ? 'Không có thời hạn đang chạy' : 'Đã kết thúc')),
      h('dt', null, 'Rõ hiệu quả'), h('dd', null, v.result || v.expected_result || (open ? missing('Chưa xác định kết quả cần đạt') : '—'))));
}

function details(v) {
  const rows = [
    ['Loại đơn', kindLabel(v.kind)],
    ['Hình thức nhận', CHANNELS[v.channel] ?? v.channel],
    ['Ngày nhận', fmtDate(v.received_on)],
    ['Số người ký', String(v.signatories)],
    v.signed === false ? ['Chữ ký', 'Đơn không có chữ ký hoặc điểm chỉ: không thụ lý'] : null,
    v.round > 1 ? ['Lần giải quyết', v.kind === 'complaint' ? 'Khiếu nại lần hai' : 'Tố cáo tiếp'] : null,
    v.earlier_decision ? ['Quyết định / kết luận trước', `Số ${v.earlier_decision.number} ngày ${fmtDate(v.earlier_decision.date)} của ${v.earlier_decision.body}${v.earlier_decision.received_on ? `, nhận ngày ${fmtDate(v.earlier_decision.received_on)}` : ''}`] : null,
    v.act_known_on ? ['Ngày biết quyết định, hành vi', fmtDate(v.act_known_on)] : null,
    v.dialogue?.on ? ['Đối thoại', `${fmtDate(v.dialogue.on)} tại ${v.dialogue.place ?? '—'} (gửi giấy mời trước ${fmtDate(v.dialogue.invitation_by)})`] : null,
    v.dialogue?.held_on ? ['Đã đối thoại', `${fmtDate(v.dialogue.held_on)} (biên bản trong nhật ký hồ sơ)`] : null,
    v.complexity !== 'none' ? ['Mức độ', COMPLEXITY[v.complexity]] : null,
    v.remote_area ? ['Vùng sâu, vùng xa', 'Có'] : null,
    v.skip_level ? ['Vượt cấp', 'Có'] : null,
    v.handled_before_by ? ['Đã giải quyết trước tại', v.handled_before_by] : null,
    v.forwarding_body ? ['Cơ quan chuyển đến', `${v.forwarding_body}${v.forwarding_doc_no ? ` (văn bản ${v.forwarding_doc_no})` : ''}`] : null,
    v.attachments?.length ? ['Tài liệu kèm theo', h('ul', null, v.attachments.map((a) => h('li', null, a)))] : null,
    v.outcome_note ? ['Lý do / ghi chú xử lý', v.outcome_note] : null,
    v.result ? ['Kết quả giải quyết', v.result] : null,
    v.conclusion ? ['Kết luận', CONCLUSIONS[v.conclusion] ?? v.conclusion] : null,
    v.field ? ['Lĩnh vực', FIELDS[v.field] ?? v.field] : null,
    v.recovered_money != null ? ['Tiền kiến nghị thu hồi', `${fmtNumber(v.recovered_money)} đồng`] : null,
    v.recovered_land_m2 != null ? ['Đất kiến nghị thu hồi', `${fmtNumber(v.recovered_land_m2)} m²`] : null,
    v.people_restored != null ? ['Số người được bảo vệ quyền lợi', fmtNumber(v.people_restored)] : null,
    v.working_days != null ? ['Thời gian xử lý', `${fmtNumber(v.working_days)} ngày làm việc`] : null,
    v.closed_on ? ['Ngày kết thúc', fmtDate(v.closed_on)] : null,
    v.archive_until ? ['Lưu đến', fmtDate(v.archive_until)] : null,
    v.forwarded_to ? ['Đã chuyển đến', `${v.forwarded_to.body ?? `cơ quan #${v.forwarded_to.agency_id}`}${v.forwarded_to.result ? ` — kết quả: ${v.forwarded_to.result} (${fmtDate(v.forwarded_to.result_on)})` : ''}`] : null,
    v.origin ? ['Hồ sơ gốc', h('a', { href: `/can-bo/ho-so?id=${v.origin.id}` }, v.origin.tracking_code || `#${v.origin.id}`)] : null,
    v.derived?.length ? ['Hồ sơ liên quan', h('ul', null, v.derived.map((d) => h('li', null, h('a', { href: `/can-bo/ho-so?id=${d.id}` }, d.tracking_code || `#${d.id}`))))] : null,
  ].filter(Boolean);
  return h('section', { class: 'card', 'aria-labelledby': 'detail-title' },
    h('h2', { id: 'detail-title' }, 'Nội dung đơn'),
    v.content ? h('p', { class: 'pre-line' }, v.content) : null,
    h('dl', { class: 'facts' }, rows.map(([k, val]) => [h('dt', null, k), h('dd', null, val)])));
}

function parties(v) {
  let body;
  if (v.anonymous) body = h('p', null, 'Đơn nặc danh: không rõ người gửi.');
  else if (v.petitioner) {
    const p = v.petitioner;
    body = [
      v.kind === 'denunciation' ? h('p', { class: 'alert warn' }, 'Thông tin người tố cáo được bảo mật (Luật Tố cáo, Điều 8, 47). Không sao chép, không tiết lộ. Lần xem này đã được ghi nhật ký.') : null,
      h('dl', { class: 'facts', 'data-testid': 'petitioner' },
        h('dt', null, 'Họ và tên'), h('dd', null, p.full_name),
        p.id_number ? [h('dt', null, 'Số giấy tờ'), h('dd', null, p.id_number)] : null,
        p.address ? [h('dt', null, 'Địa chỉ'), h('dd', null, p.address)] : null,
        p.phone ? [h('dt', null, 'Điện thoại'), h('dd', null, p.phone)] : null,
        p.email ? [h('dt', null, 'Thư điện tử'), h('dd', null, p.email)] : null),
      v.parties?.length ? h('ul', null, v.parties.map((x) => h('li', null, `${x.role === 'representative' ? 'Người đại diện' : 'Người cùng ký'}: ${x.full_name}${x.id_number ? ` (${x.id_number})` : ''}`))) : null,
    ];
  } else if (v.kind === 'denunciation') {
    body = h('p', { class: 'alert info', 'data-testid': 'identity-hidden' }, 'Danh tính người tố cáo được giữ bí mật: chỉ người tiếp nhận, người được giao xử lý và người giải quyết được xem.');
  } else {
    body = h('p', { class: 'muted' }, 'Bạn không được xem thông tin người gửi của hồ sơ này.');
  }
  return h('section', { class: 'card', 'aria-labelledby': 'party-title' }, h('h2', { id: 'party-title' }, v.kind === 'denunciation' ? 'Người tố cáo' : 'Người gửi đơn'), body);
}

function clocks(list) {
  // Informational clocks (notice duties, the citizen's own periods) stay in view: they never make
  // the case overdue, but their due dates matter.
  const shown = (c) => c.state === 'running' || c.state === 'informational';
  const running = list.filter(shown);
  const ended = list.filter((c) => !shown(c));
  return h('section', { class: 'card', 'aria-labelledby': 'clock-title', 'data-testid': 'clocks' },
    h('h2', { id: 'clock-title' }, 'Thời hạn luật định'),
    list.length ? null : emptyEl('Hồ sơ không có thời hạn nào.'),
    running.map(clock),
    ended.length ? h('details', null, h('summary', null, `Thời hạn đã kết thúc (${ended.length})`), ended.map(clock)) : null);
}

function clock(c) {
  const state = c.paused ? h('span', { class: 'badge paused' }, 'Tạm dừng') : c.overdue ? h('span', { class: 'badge overdue' }, 'Quá hạn') : h('span', { class: `badge ${c.state === 'running' ? 'open' : c.state === 'informational' ? 'neutral' : 'closed'}` }, CLOCK_STATES[c.state] ?? c.state);
  return h('article', { class: 'clock', 'data-clock': c.clock },
    h('h3', { class: 'no-top' }, c.label || c.clock, ' ', state),
    h('p', null, `${c.limit_days} ${DAY_UNITS[c.unit] ?? c.unit}, từ ${fmtDate(c.start)} (không tính ngày này) → hạn `, h('strong', null, fmtDateLong(c.due)),
      c.state === 'running' || c.state === 'informational' ? ` (${dueInWords(c.due)})` : (c.ended_on ? `; kết thúc ${fmtDate(c.ended_on)}` : '')),
    h('details', null, h('summary', null, 'Vì sao hạn là ngày này?'),
      h('ul', { class: 'explain' }, (c.explanation || []).map((line) => h('li', null, line))),
      c.skipped?.length ? h('div', { class: 'table-wrap' }, h('table', null,
        h('caption', null, `Ngày không làm việc được bỏ qua (${c.skipped.length})`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Ngày'), h('th', { scope: 'col' }, 'Lý do'))),
        h('tbody', null, c.skipped.map((s) => h('tr', null, h('td', null, fmtDateLong(s.date)), h('td', null, s.reason)))))) : null,
      h('p', { class: 'small muted' }, `Căn cứ: ${c.source || '—'} · bộ quy tắc ${c.rule_set}${c.unverified ? ' · giá trị chưa được xác minh với văn bản gốc' : ''}`)));
}

const CHANGE_LABELS = {
  reason: 'Lý do', note: 'Ghi chú', result: 'Kết quả', conclusion: 'Kết luận', to_body: 'Cơ quan nhận', letter_no: 'Số văn bản',
  expected_result: 'Kết quả cần đạt', days: 'Số ngày', complexity: 'Mức độ', partial: 'Rút một phần', withdrawn_signatories: 'Số người rút',
  new_tracking_code: 'Hồ sơ mới', old_due: 'Hạn cũ', new_due: 'Hạn mới', subject: 'Tiêu đề', channel: 'Hình thức nhận', on: 'Ngày quyết định',
  day: 'Ngày', day_name: 'Tên ngày', number: 'Số văn bản', sent_on: 'Ngày gửi', promised_on: 'Ngày hẹn giải quyết',
  size: 'Dung lượng', sha256: 'Mã băm SHA-256',
};

/** The people and units a view names, for the trail's ids. */
function namesOf(v) {
  const people = new Map((cache.users || []).map((u) => [u.id, u.full_name]));
  if (v.assignee_id) people.set(v.assignee_id, v.assignee_name);
  if (v.leader_id) people.set(v.leader_id, v.leader_name);
  const units = new Map((cache.units || []).map((u) => [u.id, u.name]));
  if (v.unit_id) units.set(v.unit_id, v.unit_name);
  return { people, units };
}

const ID_LABELS = { assignee_id: ['Người xử lý', 'people'], leader_id: ['Lãnh đạo phụ trách', 'people'], unit_id: ['Đơn vị', 'units'] };

function changeValue(key, value) {
  if (key === 'conclusion') return CONCLUSIONS[value] ?? value;
  if (key === 'complexity') return COMPLEXITY[value] ?? value;
  if (key === 'channel') return CHANNELS[value] ?? value;
  if (key === 'size') return fmtSize(value);
  // The whole hash is in the trail's answer and on the file's line (its title); its start names it here.
  if (key === 'sha256') return `${String(value).slice(0, 16)}…`;
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return fmtDate(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function timeline(events, names) {
  return h('section', { class: 'card', 'aria-labelledby': 'trail-title', 'data-testid': 'timeline' },
    h('h2', { id: 'trail-title' }, 'Nhật ký xử lý'),
    events.length ? h('ol', { class: 'timeline' }, events.map((e) => {
      // Ids are stored as a value or as {from, to}; the trail shows whom or which unit it became.
      const named = Object.entries(e.changes || {})
        .map(([k, val]) => [k, val && typeof val === 'object' ? val.to : val])
        .filter(([k, id]) => ID_LABELS[k] && id != null && names[ID_LABELS[k][1]].get(id))
        .map(([k, id]) => [ID_LABELS[k][0], names[ID_LABELS[k][1]].get(id)]);
      const changes = Object.entries(e.changes || {}).filter(([k, val]) => CHANGE_LABELS[k] && val !== null && val !== '' && !(k === 'on' && e.action === 'receive'));
      return h('li', { 'data-action': e.action },
        h('time', { datetime: e.at }, fmtDateTime(e.at)),
        h('strong', null, eventLabel(e.action)), ` — ${e.actor_name}`,
        e.to_status && e.to_status !== e.from_status ? h('div', { class: 'small' }, `${e.from_status ? `${statusLabel(e.from_status)} → ` : ''}${statusLabel(e.to_status)}`) : null,
        changes.length || named.length ? h('ul', { class: 'small changes' },
          named.map(([label, name]) => h('li', null, `${label}: ${name}`)),
          changes.map(([k, val]) => h('li', null, `${CHANGE_LABELS[k]}: ${changeValue(k, val)}`))) : null);
    })) : emptyEl('Chưa có sự kiện.'),
    h('p', { class: 'small muted' }, 'Mỗi sự kiện được ghi nối chuỗi (mã băm) để phát hiện sửa đổi trái phép.'));
}
