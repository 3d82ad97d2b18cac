// Staff intake of a petition from a walk-in, the post or another body (POST /api/v1/petitions).
// Possible repeats (same identity number, similar subject, already guided or forwarded, skip-level)
// are checked while typing (POST /api/v1/petitions/repeat-check) and shown before saving; the
// saved case's `warnings` are shown after, to staff only. A petition handed in at the desk gets
// the written receipt (Mẫu 02/TCD) the register issues (GET /api/v1/petitions/{id}/notices, kind
// `receipt`): "In giấy biên nhận" prints that document (GET /api/v1/notices/{id}), with the agency,
// the citizen, the case code and the documents received, and nothing of the warnings.

import { api, allPages, fetchFile } from '../api.js';
import { requireStaff } from '../auth.js';
import { fmtDate, todayVN } from '../format.js';
import { CHANNELS, FIELDS, KINDS, WARNING_CODES, errorMessage } from '../i18n.js';
import { announce, busy, checkbox, errorSummary, field, fill, focusEl, h, optionsOf, readForm, showErrors, staffFrame } from '../ui.js';

const ROUTERS = ['chairman', 'unit_head', 'admin'];
const user = requireStaff();
if (user) {
  staffFrame(user, 'intake');
  render();
}

async function routingFields() {
  if (!ROUTERS.includes(user.role)) return null;
  const box = h('fieldset', null, h('legend', null, 'Chuyển xử lý ngay (không bắt buộc)'));
  try {
    const [units, staff] = await Promise.all([
      allPages('/units'),
      allPages('/users', { role: 'inspector', active: 'true' }),
    ]);
    box.append(h('div', { class: 'row' },
      field({ name: 'unit_id', label: 'Đơn vị xử lý', type: 'select', options: [['', '— Chưa chọn —'], ...units.map((u) => [u.id, u.name])], attrs: { 'data-type': 'int' } }),
      field({ name: 'assignee_id', label: 'Người xử lý', type: 'select', options: [['', '— Chưa chọn —'], ...staff.map((u) => [u.id, u.full_name])], attrs: { 'data-type': 'int' } })));
  } catch {
    return null;
  }
  return box;
}

function representativeRow(i) {
  const row = h('div', { class: 'row', 'data-rep': i },
    field({ name: `representatives.${i}.full_name`, label: `Người đại diện ${i + 1}: họ tên` }),
    field({ name: `representatives.${i}.id_number`, label: 'Số giấy tờ' }),
    field({ name: `representatives.${i}.address`, label: 'Địa chỉ' }));
  return row;
}

async function render() {
  const app = document.getElementById('app');
  const warnings = h('div', { id: 'repeat-warnings', 'aria-live': 'polite' });
  const reps = h('div', { id: 'reps' });
  let repCount = 0;
  const submit = h('button', { type: 'submit' }, 'Lưu đơn');
  const forwardBox = h('div', { id: 'forward-box', hidden: true }, h('div', { class: 'row' },
    field({ name: 'forwarding_body', label: 'Cơ quan chuyển đơn', required: true, hint: 'Ví dụ: Ban Tiếp công dân tỉnh, Đại biểu HĐND, Báo…' }),
    field({ name: 'forwarding_doc_no', label: 'Số văn bản chuyển' })));
  const petitioner = h('fieldset', { id: 'petitioner-box' }, h('legend', null, 'Người gửi đơn'),
    field({ name: 'petitioner.full_name', label: 'Họ và tên', required: true }),
    h('div', { class: 'row' },
      field({ name: 'petitioner.id_number', label: 'Số CCCD / CMND / hộ chiếu', hint: 'Dùng để phát hiện đơn trùng lặp.', attrs: { autocomplete: 'off' } }),
      field({ name: 'petitioner.phone', label: 'Số điện thoại', type: 'tel' })),
    field({ name: 'petitioner.address', label: 'Địa chỉ' }),
    field({ name: 'petitioner.email', label: 'Thư điện tử', type: 'email' }));
  // A second round brought directly: the earlier decision (complaint) or conclusion (denunciation).
  const earlier = h('div', { id: 'earlier-box', hidden: true },
    h('div', { class: 'row' },
      field({ name: 'earlier_decision.number', label: 'Số quyết định / kết luận trước', required: true, hint: 'Ví dụ: 15/QĐ-UBND.' }),
      field({ name: 'earlier_decision.date', label: 'Ngày ban hành', type: 'date', required: true, attrs: { max: todayVN() } })),
    h('div', { class: 'row' },
      field({ name: 'earlier_decision.body', label: 'Cơ quan, người ban hành', required: true }),
      field({ name: 'earlier_decision.received_on', label: 'Ngày người gửi nhận được', type: 'date', hint: 'Thời hạn khiếu nại lần hai tính từ ngày này.', attrs: { max: todayVN() } })));
  const secondRound = h('fieldset', null, h('legend', null, 'Lần giải quyết'),
    field({ name: 'round', label: 'Đơn gửi lần', type: 'select', value: '1', options: [['1', 'Lần đầu'], ['2', 'Khiếu nại lần hai / tố cáo tiếp']], attrs: { 'data-type': 'int' } }),
    earlier,
    field({ name: 'act_known_on', label: 'Ngày biết được quyết định, hành vi bị khiếu nại', type: 'date', hint: 'Khiếu nại: thời hiệu 90 ngày tính từ ngày này (Luật Khiếu nại, Điều 9).', attrs: { max: todayVN() } }));
  const form = h('form', { novalidate: true, id: 'intake-form' },
    errorSummary(),
    h('fieldset', null, h('legend', null, 'Loại đơn ', h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
      h('div', { class: 'kind-choices' }, Object.entries(KINDS).map(([value, k]) =>
        h('label', { class: 'kind-choice' },
          h('input', { type: 'radio', name: 'kind', value, id: `kind-${value}` }),
          h('strong', null, k.label),
          h('span', null, k.requires))))),
    h('fieldset', null, h('legend', null, 'Tiếp nhận'),
      h('div', { class: 'row' },
        field({ name: 'channel', label: 'Hình thức nhận', type: 'select', options: optionsOf(CHANNELS), value: 'in_person', required: true }),
        field({ name: 'received_on', label: 'Ngày nhận', type: 'date', value: todayVN(), required: true, attrs: { max: todayVN() } })),
      forwardBox),
    h('fieldset', null, h('legend', null, 'Nội dung'),
      field({ name: 'subject', label: 'Tiêu đề (trích yếu)', required: true, attrs: { maxlength: 500 } }),
      field({ name: 'field', label: 'Lĩnh vực', type: 'select', hint: 'Để tổng hợp báo cáo theo lĩnh vực.', options: optionsOf(FIELDS, '— Chưa phân loại —') }),
      field({ name: 'content', label: 'Nội dung đơn', type: 'textarea', required: true, attrs: { rows: 6 } }),
      field({ name: 'attachments', label: 'Tài liệu kèm theo', type: 'textarea', hint: 'Mỗi tài liệu một dòng (sẽ cấp giấy biên nhận, Mẫu 02/TCD).', attrs: { rows: 3 } })),
    checkbox({ name: 'anonymous', label: 'Đơn nặc danh (không rõ người gửi)' }),
    checkbox({ name: 'unsigned', label: 'Đơn không có chữ ký hoặc điểm chỉ của người gửi (khiếu nại, tố cáo không ký sẽ không được thụ lý)' }),
    petitioner,
    secondRound,
    h('fieldset', null, h('legend', null, 'Đơn nhiều người'),
      field({ name: 'signatories', label: 'Số người ký đơn', type: 'number', value: 1, hint: 'Nhóm 5–10 người cử 1–2 người đại diện; trên 10 người cử tối đa 5.', attrs: { min: 1, 'data-type': 'int' } }),
      reps,
      h('button', { type: 'button', class: 'secondary', onclick: () => { reps.append(representativeRow(repCount)); repCount += 1; reps.lastChild.querySelector('input').focus(); } }, 'Thêm người đại diện')),
    h('fieldset', null, h('legend', null, 'Thông tin khác'),
      checkbox({ name: 'skip_level', label: 'Đơn vượt cấp (cấp dưới có thẩm quyền chưa giải quyết)' }),
      field({ name: 'handled_before_by', label: 'Cơ quan đã giải quyết trước đây' }),
      checkbox({ name: 'remote_area', label: 'Người gửi ở vùng sâu, vùng xa (thời hạn dài hơn)' })),
    h('div', { id: 'routing' }),
    h('section', { 'aria-labelledby': 'warn-title', class: 'card' },
      h('h2', { id: 'warn-title' }, 'Kiểm tra đơn trùng lặp'),
      h('p', { class: 'muted small' }, 'Hệ thống tự kiểm tra khi bạn nhập số giấy tờ và tiêu đề.'),
      warnings,
      h('button', { type: 'button', class: 'secondary', onclick: () => check(true) }, 'Kiểm tra ngay')),
    h('div', { class: 'actions' }, submit));

  const routing = await routingFields();
  if (routing) form.querySelector('#routing').replaceWith(routing);

  form.elements.channel.addEventListener('change', () => { forwardBox.hidden = form.elements.channel.value !== 'forwarded'; });
  form.elements.anonymous.addEventListener('change', () => { petitioner.disabled = form.elements.anonymous.checked; });
  form.elements.round.addEventListener('change', () => { earlier.hidden = form.elements.round.value !== '2'; });

  let timer = null;
  let lastKey = '';
  async function check(force) {
    const v = readForm(form);
    const ids = [v.petitioner?.id_number, ...Object.values(v.representatives || {}).map((r) => r.id_number)].filter(Boolean);
    const key = JSON.stringify([ids, v.subject || '', !!v.skip_level]);
    if (!force && (key === lastKey || (!ids.length && !(v.subject && v.subject.length >= 3)))) return;
    lastKey = key;
    try {
      const found = await api('/petitions/repeat-check', { method: 'POST', body: { id_numbers: ids, subject: v.subject || '', skip_level: !!v.skip_level } });
      showWarnings(warnings, found, true);
    } catch (err) {
      fill(warnings, h('p', { class: 'muted' }, `Chưa kiểm tra được: ${err.text}`));
    }
  }
  const schedule = () => { clearTimeout(timer); timer = setTimeout(() => check(false), 700); };
  form.addEventListener('input', (e) => { if (/id_number|subject/.test(e.target.name)) schedule(); });
  form.addEventListener('change', (e) => { if (/id_number|subject|skip_level/.test(e.target.name)) check(false); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const body = {
      kind: v.kind,
      channel: v.channel,
      received_on: v.received_on,
      subject: v.subject ?? '',
      content: v.content ?? '',
      anonymous: !!v.anonymous,
      petitioner: v.anonymous ? undefined : { full_name: '', ...(v.petitioner || {}) },
      signatories: v.signatories,
      representatives: Object.values(v.representatives || {}).filter((r) => r.full_name),
      forwarding_body: v.channel === 'forwarded' ? v.forwarding_body : undefined,
      forwarding_doc_no: v.channel === 'forwarded' ? v.forwarding_doc_no : undefined,
      attachments: (v.attachments || '').split('\n').map((s) => s.trim()).filter(Boolean),
      skip_level: !!v.skip_level,
      handled_before_by: v.handled_before_by,
      remote_area: !!v.remote_area,
      unit_id: v.unit_id,
      assignee_id: v.assignee_id,
      signed: !v.unsigned,
      round: v.round || 1,
      earlier_decision: v.round === 2 ? v.earlier_decision : undefined,
      act_known_on: v.act_known_on || undefined,
      field: v.field || undefined,
    };
    if (v.round === 2) {
      // The earlier decision's number, date and body are all needed (the server says so too).
      const missing = ['number', 'date', 'body'].filter((k) => !v.earlier_decision?.[k]);
      if (missing.length) {
        const fields = Object.fromEntries(missing.map((k) => [`earlier_decision.${k}`, ['Bắt buộc với đơn lần hai.']]));
        showErrors(form, { code: 'validation_failed', fields });
        return;
      }
    }
    if (!body.kind) {
      showErrors(form, { code: 'validation_failed', fields: { kind: ['Vui lòng chọn loại đơn.'] } });
      return;
    }
    const restore = busy(submit, 'Đang lưu…');
    try {
      const saved = await api('/petitions', { method: 'POST', body });
      done(app, saved);
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });

  fill(app,
    h('p', { class: 'lead' }, 'Vào sổ đơn nhận trực tiếp, qua bưu điện hoặc do cơ quan khác chuyển đến. Ô có dấu * là bắt buộc.'),
    form);
}

function showWarnings(box, found, before) {
  if (!found.length) {
    fill(box, h('p', { class: 'alert ok', 'data-testid': 'no-repeat' }, before ? 'Chưa phát hiện đơn trùng lặp.' : 'Không có cảnh báo trùng lặp.'));
    return;
  }
  fill(box, h('div', { class: 'alert warn', 'data-testid': 'repeat-warnings' },
    h('strong', null, `Có ${found.length} cảnh báo có thể trùng lặp:`),
    h('ul', null, found.map((w) => h('li', null,
      h('strong', null, `${WARNING_CODES[w.code] ?? w.code}: `), w.message,
      w.petition_id ? [' — ', h('a', { href: `/can-bo/ho-so?id=${w.petition_id}`, target: '_blank', rel: 'noopener' }, `${w.tracking_code ?? 'hồ sơ trước'} (mở tab mới)`)] : null)))));
  announce(`Có ${found.length} cảnh báo đơn trùng lặp.`);
}

async function done(app, p) {
  const heading = h('h2', { id: 'saved-title' }, 'Đã vào sổ đơn');
  const warn = h('div', { class: 'no-print' });
  showWarnings(warn, p.warnings || [], false);
  const receiptBox = h('div', { 'aria-live': 'polite' });
  fill(app, h('section', { class: 'card', 'aria-labelledby': 'saved-title', 'data-testid': 'intake-done' },
    heading,
    h('p', null, 'Mã hồ sơ (có trên giấy biên nhận của công dân):'),
    h('p', { class: 'code-box', 'data-testid': 'tracking-code' }, p.tracking_code),
    h('p', null, `${KINDS[p.kind]?.label ?? p.kind} · nhận ngày ${fmtDate(p.received_on)} · ${p.status_label}. Hạn tiếp theo: ${fmtDate(p.next_due) || 'chưa có'}.`),
    warn,
    receiptBox,
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: `/can-bo/ho-so?id=${p.id}` }, 'Mở hồ sơ'),
      h('a', { class: 'button secondary', href: '/can-bo/tiep-nhan' }, 'Tiếp nhận đơn khác'))));
  focusEl(heading);
  announce(`Đã vào sổ đơn, mã hồ sơ ${p.tracking_code}.`);
  await receiptActions(receiptBox, p);
}

/**
 * The receipt of a petition handed in at the desk (Mẫu 02/TCD), as the register issued it: a
 * button that prints that document (loaded in a hidden frame, the browser's print dialog opened
 * on it) and a link that opens it. Other channels get no receipt.
 */
async function receiptActions(box, p) {
  let receipt = null;
  try {
    receipt = (await api(`/petitions/${p.id}/notices`)).find((n) => n.kind === 'receipt') || null;
  } catch (err) {
    fill(box, h('p', { class: 'muted' }, `Chưa tải được giấy biên nhận: ${err.text}`));
    return;
  }
  if (!receipt) {
    fill(box, h('p', { class: 'muted small' }, 'Giấy biên nhận (Mẫu 02/TCD) chỉ cấp cho đơn nhận trực tiếp tại trụ sở.'));
    return;
  }
  const href = `/api/v1/notices/${receipt.id}`;
  const print = h('button', { type: 'button', 'data-testid': 'print-receipt', onclick: () => printDocument(href, print) }, 'In giấy biên nhận');
  fill(box,
    h('p', null, `Giấy biên nhận số ${receipt.number} (Mẫu 02/TCD) ghi cơ quan tiếp nhận, người gửi đơn, mã hồ sơ và các tài liệu đã nhận.`),
    // The admin never sees a person's identity (service::access): the receipt it prints lacks it.
    user.role === 'admin' ? h('p', { class: 'alert warn', 'data-testid': 'receipt-no-identity' },
      'Tài khoản quản trị không được xem thông tin nhân thân: giấy biên nhận in từ tài khoản này không in họ tên, địa chỉ người gửi đơn. Hãy nhờ cán bộ tiếp công dân in giấy biên nhận từ hồ sơ.') : null,
    h('div', { class: 'actions' }, print,
      h('a', { class: 'button secondary', href, target: '_blank', rel: 'noopener', 'data-testid': 'receipt-link' }, 'Xem giấy biên nhận (tab mới)')));
}

/**
 * Prints the document at `href` (a page of this site) through a hidden frame. The page refuses
 * to be framed (`frame-ancestors 'none'`), so the frame shows its text, fetched with the session,
 * under this page's own policy and address (its stylesheet resolves the same).
 */
async function printDocument(href, button) {
  const restore = busy(button, 'Đang mở bản in…');
  document.getElementById('print-frame')?.remove();
  let html;
  try {
    html = await (await fetchFile(href.replace(/^\/api\/v1/, ''))).text();
  } catch (err) {
    restore();
    announce(errorMessage(err));
    return;
  }
  const frame = h('iframe', { id: 'print-frame', srcdoc: html, title: 'Bản in giấy biên nhận', class: 'print-frame', 'data-testid': 'print-frame' });
  frame.addEventListener('load', () => {
    restore();
    try {
      frame.contentWindow.focus();
      frame.contentWindow.print();
    } catch {
      window.open(href, '_blank', 'noopener');
    }
  }, { once: true });
  document.body.append(frame);
}
