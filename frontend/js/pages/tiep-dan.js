// The reception desk: today's sessions (/api/v1/reception-sessions), opening a session, and, in a
// session, logging visits fast as lines of the reception book (…/visits: open a petition, guide,
// forward, or a repeat visit about a case found by the visitor's identity number), refusals with
// their legal ground (…/refusals), the conclusion notice with directives (…/conclusion); and the
// reception book of a period (/api/v1/reception-book, .xlsx). A session whose book has no line
// yet can be corrected (day, place, host) by its organisers and cancelled with a reason by the
// chairman or the admin (PATCH /api/v1/reception-sessions/{id}); a cancelled one leaves the public
// schedule.

import { api, allPages, fetchFile } from '../api.js';
import { requireStaff } from '../auth.js';
import { addDays, fmtDate, fmtDateLong, todayVN } from '../format.js';
import { BOOK_CODES, FIELDS, KINDS, REFUSAL_GROUNDS, SESSION_KINDS, TRIGGERS, kindLabel } from '../i18n.js';
import {
  announce, busy, checkbox, clearErrors, emptyEl, errorBox, errorSummary, field, fill, focusEl, h, loadingEl,
  openDialog, optionsOf, readForm, showErrors, staffFrame,
} from '../ui.js';

const ORGANISERS = ['chairman', 'receptionist', 'admin'];
const CANCELLERS = ['chairman', 'admin'];
const DESK = ['receptionist', 'inspector', 'chairman'];
const user = requireStaff();
const app = document.getElementById('app');

if (user) {
  staffFrame(user, 'reception');
  route();
}

function route() {
  const q = new URLSearchParams(location.search);
  if (q.get('phien')) session(Number(q.get('phien')));
  else if (q.has('so')) book();
  else today();
}

function go(query) {
  history.pushState(null, '', `/can-bo/tiep-dan${query}`);
  route();
}
window.addEventListener('popstate', route);

// ---------- Today's sessions ----------

async function today() {
  document.querySelector('h1').textContent = 'Tiếp công dân';
  const day = todayVN();
  const list = h('div', { 'aria-live': 'polite' }, loadingEl('Đang tải các buổi tiếp…'));
  fill(app,
    h('p', { class: 'lead' }, `Hôm nay ${fmtDateLong(day)}. Chọn buổi tiếp để ghi sổ, hoặc mở buổi tiếp mới.`),
    h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '/can-bo/tiep-dan?so', onclick: (e) => { e.preventDefault(); go('?so'); } }, 'Xem sổ tiếp công dân')),
    h('h2', { id: 'today-title' }, 'Buổi tiếp trong 7 ngày qua và hôm nay'),
    list,
    ORGANISERS.includes(user.role) ? await openSessionForm(day) : null);
  try {
    const res = await api('/reception-sessions', { params: { from: addDays(day, -7), to: day, per_page: 100 } });
    const items = res.items.filter((s) => s.status !== 'cancelled').sort((a, b) => (a.date < b.date ? 1 : -1));
    if (!items.length) {
      fill(list, emptyEl('Chưa có buổi tiếp nào. Hãy mở buổi tiếp thường xuyên bên dưới.'));
      return;
    }
    fill(list, h('ul', { class: 'case-list', 'aria-labelledby': 'today-title' }, items.map((s) => h('li', { class: 'case-item', 'data-testid': 'session-item', 'data-id': s.id },
      h('div', { class: 'badges' },
        h('span', { class: 'badge open' }, s.kind_label),
        h('span', { class: `badge ${statusClass(s, day)}`, 'data-testid': 'session-status-badge' }, s.status_label)),
      h('h3', null, h('a', { href: `/can-bo/tiep-dan?phien=${s.id}`, onclick: (e) => { e.preventDefault(); go(`?phien=${s.id}`); } },
        `${s.weekday}, ${fmtDate(s.date)} — ${s.host_name ?? ''}`)),
      h('div', { class: 'meta' }, h('span', null, s.location))))));
  } catch (err) {
    fill(list, errorBox(err));
  }
}

/** The badge colour of a session's status on `day`: today's session stands out as taking place. */
function statusClass(s, day) {
  if (s.status === 'missed' || s.status === 'cancelled') return 'overdue';
  if (s.status === 'held') return 'closed';
  return s.date === day ? 'open' : 'neutral';
}

async function openSessionForm(day) {
  let hosts = [{ id: user.id, full_name: `${user.full_name} (tôi)` }];
  try {
    const rules = await api('/reception-rules');
    for (const r of rules) if (r.host_id !== user.id) hosts.push({ id: r.host_id, full_name: r.host_name ?? `#${r.host_id}` });
  } catch { /* only myself */ }
  hosts = hosts.filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i);
  const submit = h('button', { type: 'submit' }, 'Mở buổi tiếp');
  const triggerBox = h('div', { hidden: true },
    field({ name: 'trigger', label: 'Căn cứ tiếp đột xuất', type: 'select', options: optionsOf(TRIGGERS, '— Chọn căn cứ —'), required: true }),
    field({ name: 'trigger_note', label: 'Ghi chú về căn cứ', type: 'textarea', attrs: { rows: 2 } }));
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'open-title', 'data-testid': 'open-session-form' },
    h('h2', { id: 'open-title' }, 'Mở buổi tiếp'),
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'kind', label: 'Hình thức', type: 'select', options: optionsOf(SESSION_KINDS), value: 'regular' }),
      field({ name: 'date', label: 'Ngày tiếp', type: 'date', value: day, required: true }),
      field({ name: 'host_id', label: 'Người chủ trì', type: 'select', options: hosts.map((x) => [x.id, x.full_name]), value: user.id, attrs: { 'data-type': 'int' } })),
    h('div', { class: 'row' },
      field({ name: 'location', label: 'Địa điểm', value: 'Phòng tiếp công dân, trụ sở UBND', required: true }),
      field({ name: 'hours', label: 'Giờ tiếp', hint: 'Ví dụ: Sáng 7 giờ 30 – 11 giờ 30. Để trống: trong giờ làm việc.', attrs: { maxlength: 100 } })),
    triggerBox,
    h('p', { class: 'muted small' }, 'Tiếp định kỳ phải do chính người đứng đầu chủ trì; tiếp đột xuất phải ghi căn cứ; tiếp trực tuyến phải thông báo trước 5 ngày làm việc.'),
    h('div', { class: 'actions' }, submit));
  form.elements.kind.addEventListener('change', () => { triggerBox.hidden = form.elements.kind.value !== 'unscheduled'; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const restore = busy(submit, 'Đang mở…');
    try {
      const s = await api('/reception-sessions', { method: 'POST', body: { kind: v.kind, date: v.date, host_id: v.host_id, location: v.location ?? '', hours: v.hours, trigger: v.kind === 'unscheduled' ? v.trigger : undefined, trigger_note: v.trigger_note } });
      announce(`Đã mở buổi tiếp ngày ${fmtDate(s.date)}.`);
      go(`?phien=${s.id}`);
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });
  return form;
}

// ---------- A session ----------

async function session(id) {
  fill(app, loadingEl('Đang tải buổi tiếp…'));
  let s;
  try {
    s = await api(`/reception-sessions/${id}`);
  } catch (err) {
    fill(app, errorBox(err), h('p', null, h('a', { href: '/can-bo/tiep-dan' }, 'Về danh sách buổi tiếp')));
    return;
  }
  const title = document.querySelector('h1');
  title.textContent = `${s.kind_label} — ${s.weekday}, ${fmtDate(s.date)}`;
  const visits = h('div', { id: 'visits' });
  const refusals = h('div', { id: 'refusals' });
  drawVisits(visits, s.visits);
  drawRefusals(refusals, s.refusals);
  const canWrite = DESK.includes(user.role) && s.status !== 'cancelled' && s.date <= todayVN();
  const concludes = ['chairman', 'admin'].includes(user.role) || user.id === s.host_id;
  fill(app,
    h('p', null, h('a', { href: '/can-bo/tiep-dan', onclick: (e) => { e.preventDefault(); go(''); } }, '‹ Các buổi tiếp')),
    h('div', { class: 'card', 'data-testid': 'session-head' },
      h('dl', { class: 'facts' },
        h('dt', null, 'Người chủ trì'), h('dd', { 'data-testid': 'session-host' }, s.host_name ?? '—'),
        h('dt', null, 'Địa điểm'), h('dd', { 'data-testid': 'session-location' }, s.location),
        h('dt', null, 'Giờ tiếp'), h('dd', { 'data-testid': 'session-hours' }, s.hours ?? 'Trong giờ làm việc của cơ quan'),
        h('dt', null, 'Tình trạng'), h('dd', { 'data-testid': 'session-status' }, s.status_label),
        s.cancel_reason ? [h('dt', null, 'Lý do hủy'), h('dd', { 'data-testid': 'session-cancel-reason' }, s.cancel_reason)] : null,
        s.trigger ? [h('dt', null, 'Căn cứ'), h('dd', null, `${TRIGGERS[s.trigger] ?? s.trigger}`)] : null,
        s.conclusion ? [h('dt', null, 'Kết luận'), h('dd', null, s.conclusion)] : null),
      correctionActions(s)),
    h('div', { class: 'grid aside' },
      h('div', null,
        canWrite ? visitForm(s, visits) : h('p', { class: 'alert info' }, s.date > todayVN() ? 'Buổi tiếp chưa diễn ra: chưa ghi sổ được.' : 'Bạn không ghi sổ buổi tiếp này.')),
      h('div', null,
        canWrite ? refusalForm(s, refusals) : null,
        h('section', { 'aria-labelledby': 'refusals-title' }, h('h2', { id: 'refusals-title' }, 'Trường hợp từ chối tiếp'), refusals),
        concludes ? conclusionForm(s) : null,
        s.directives.length ? directivesList(s.directives) : null)),
    h('section', { 'aria-labelledby': 'visits-title' }, h('h2', { id: 'visits-title' }, 'Sổ tiếp của buổi này'), visits));
}

function drawVisits(box, visits) {
  if (!visits.length) { fill(box, emptyEl('Chưa có lượt tiếp nào.')); return; }
  fill(box, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'visits-table', class: 'stack' },
    h('caption', { class: 'visually-hidden' }, 'Các lượt tiếp'),
    h('thead', null, h('tr', null, ['Số', 'Họ tên, địa chỉ', 'Nội dung', 'Loại', 'Số người', 'Hồ sơ'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, visits.map((v) => h('tr', { 'data-visit': v.id },
      h('td', { 'data-label': 'Số' }, `${v.book_no}/${v.book_year}`),
      h('td', { 'data-label': 'Họ tên' }, h('div', null, v.visitor ? [v.visitor.full_name, v.visitor.address ? h('div', { class: 'small muted' }, v.visitor.address) : null] : h('em', null, 'Bảo mật danh tính'))),
      h('td', { 'data-label': 'Nội dung' }, v.summary),
      h('td', { 'data-label': 'Loại' }, v.kind_code ?? BOOK_CODES[v.kind], h('span', { class: 'visually-hidden' }, ` (${kindLabel(v.kind)})`)),
      h('td', { 'data-label': 'Số người' }, String(v.people_count)),
      h('td', { 'data-label': 'Hồ sơ' }, v.petition_id ? h('a', { href: `/can-bo/ho-so?id=${v.petition_id}` }, v.repeat ? 'Lượt lại' : 'Mở hồ sơ') : (v.guided_to ? `Hướng dẫn: ${v.guided_to}` : v.accepted_by ? `Chuyển: ${v.accepted_by}` : '—'))))))));
}

function visitForm(s, visitsBox) {
  const submit = h('button', { type: 'submit' }, 'Ghi vào sổ');
  const result = h('div', { 'aria-live': 'polite', id: 'visit-result' });
  const earlier = h('div', { id: 'earlier-cases', 'aria-live': 'polite' });
  const repsBox = h('div', { hidden: true }, field({ name: 'representatives', label: 'Người đại diện', type: 'textarea', hint: 'Mỗi người một dòng. Đoàn 5–10 người cử 1–2 người; trên 10 người tối đa 5.', attrs: { rows: 2 } }));
  const outcome = (value, label, checked = false) => h('div', { class: 'check' },
    h('input', { type: 'radio', name: 'outcome', value, id: `outcome-${value}`, checked }),
    h('label', { for: `outcome-${value}` }, label));
  const guideBox = h('div', { class: 'row', hidden: true },
    field({ name: 'guided_to', label: 'Hướng dẫn đến cơ quan' }), field({ name: 'guidance_letter_no', label: 'Số văn bản hướng dẫn' }));
  const forwardBox = h('div', { class: 'row', hidden: true },
    field({ name: 'accepted_by', label: 'Cơ quan tiếp nhận' }), field({ name: 'forwarding_letter_no', label: 'Số văn bản chuyển' }));
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'visit-title', id: 'visit-form' },
    h('h2', { id: 'visit-title' }, 'Ghi lượt tiếp'),
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'visitor.full_name', label: 'Họ và tên công dân', required: true, attrs: { autocomplete: 'off' } }),
      field({ name: 'visitor.id_number', label: 'Số CCCD / CMND', hint: 'Tìm vụ việc cũ của người này.', attrs: { autocomplete: 'off' } })),
    field({ name: 'visitor.address', label: 'Địa chỉ' }),
    earlier,
    h('fieldset', null, h('legend', null, 'Loại nội dung'),
      h('div', { class: 'row' }, Object.entries(KINDS).map(([k, x]) => h('div', { class: 'check grow-8' },
        h('input', { type: 'radio', name: 'kind', value: k, id: `vkind-${k}`, checked: k === 'complaint' }),
        h('label', { for: `vkind-${k}` }, `${x.label} (${BOOK_CODES[k]})`))))),
    field({ name: 'summary', label: 'Tóm tắt nội dung trình bày', type: 'textarea', required: true, attrs: { rows: 3 } }),
    field({ name: 'field', label: 'Lĩnh vực', type: 'select', hint: 'Để tổng hợp báo cáo theo lĩnh vực.', options: optionsOf(FIELDS, '— Chưa phân loại —') }),
    field({ name: 'subject', label: 'Tiêu đề hồ sơ (nếu mở hồ sơ)', hint: 'Để trống: lấy phần đầu của nội dung.' }),
    h('div', { class: 'row' },
      field({ name: 'people_count', label: 'Số người cùng nội dung', type: 'number', value: 1, attrs: { min: 1, 'data-type': 'int' } }),
      field({ name: 'handled_before_by', label: 'Cơ quan đã giải quyết trước' })),
    repsBox,
    checkbox({ name: 'within_competence', label: 'Thuộc thẩm quyền của cơ quan (cột 9)', checked: true }),
    h('fieldset', null, h('legend', null, 'Xử lý'),
      outcome('open', 'Tiếp nhận đơn, mở hồ sơ', true),
      outcome('guide', 'Hướng dẫn đến cơ quan có thẩm quyền'),
      outcome('forward', 'Chuyển đơn đến cơ quan có thẩm quyền'),
      outcome('log', 'Chỉ ghi sổ (giải thích, trả lời tại chỗ)'),
      guideBox, forwardBox),
    field({ name: 'follow_up', label: 'Theo dõi, kết quả', type: 'textarea', attrs: { rows: 2 } }),
    field({ name: 'note', label: 'Ghi chú' }),
    h('div', { class: 'actions' }, submit),
    result);

  const sync = () => {
    const o = form.querySelector('input[name=outcome]:checked')?.value;
    guideBox.hidden = o !== 'guide';
    forwardBox.hidden = o !== 'forward';
    repsBox.hidden = (Number(form.elements.people_count.value) || 1) < 5;
  };
  form.addEventListener('change', sync);
  form.elements.people_count.addEventListener('input', sync);

  // Earlier cases of the same person: offered as "a repeat visit about this case".
  let lastId = '';
  form.elements['visitor.id_number'].addEventListener('change', async () => {
    const id = form.elements['visitor.id_number'].value.trim();
    if (id === lastId) return;
    lastId = id;
    fill(earlier);
    if (id.length < 6) return;
    try {
      const found = (await api('/petitions/repeat-check', { method: 'POST', body: { id_numbers: [id], subject: '' } })).filter((w) => w.petition_id);
      if (!found.length) return;
      const seen = new Set();
      fill(earlier, h('fieldset', { class: 'alert warn', 'data-testid': 'earlier-cases' }, h('legend', null, 'Người này đã có vụ việc'),
        found.filter((w) => !seen.has(w.petition_id) && seen.add(w.petition_id)).map((w) => h('div', { class: 'check' },
          h('input', { type: 'radio', name: 'outcome', value: `repeat:${w.petition_id}`, id: `repeat-${w.petition_id}` }),
          h('label', { for: `repeat-${w.petition_id}` }, `Lượt tiếp lại về hồ sơ ${w.tracking_code}: ${w.message}`)))));
      announce('Người này đã có vụ việc trước đây.');
    } catch { /* the desk can still write the line */ }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const o = v.outcome || 'open';
    const body = {
      visitor: { full_name: v.visitor?.full_name ?? '', id_number: v.visitor?.id_number, address: v.visitor?.address },
      people_count: v.people_count || 1,
      representatives: (v.representatives || '').split('\n').map((x) => x.trim()).filter(Boolean),
      summary: v.summary ?? '',
      field: v.field || undefined,
      subject: o === 'open' ? v.subject : undefined,
      kind: v.kind,
      handled_before_by: v.handled_before_by,
      within_competence: !!v.within_competence,
      guided_to: o === 'guide' ? v.guided_to : undefined,
      guidance_letter_no: o === 'guide' ? v.guidance_letter_no : undefined,
      accepted_by: o === 'forward' ? v.accepted_by : undefined,
      forwarding_letter_no: o === 'forward' ? v.forwarding_letter_no : undefined,
      follow_up: v.follow_up,
      note: v.note,
      open_petition: o === 'open',
      petition_id: o.startsWith('repeat:') ? Number(o.slice(7)) : undefined,
    };
    const restore = busy(submit, 'Đang ghi…');
    try {
      const visit = await api(`/reception-sessions/${s.id}/visits`, { method: 'POST', body });
      let text = `Đã ghi lượt tiếp số ${visit.book_no}/${visit.book_year}: ${body.visitor.full_name}.`;
      let link = null;
      if (visit.petition_id) {
        const p = await api(`/petitions/${visit.petition_id}`);
        text += visit.opened_petition ? ` Đã mở hồ sơ ${p.tracking_code}.` : ` Ghi là lượt tiếp lại của hồ sơ ${p.tracking_code}.`;
        link = h('a', { href: `/can-bo/ho-so?id=${p.id}` }, `Mở hồ sơ ${p.tracking_code}`);
        if (visit.opened_petition) {
          link = [h('p', null, 'Mã hồ sơ ghi vào giấy biên nhận cho công dân: ', h('strong', { class: 'code', 'data-testid': 'opened-code' }, p.tracking_code)), link];
        }
      }
      const again = await api(`/reception-sessions/${s.id}`);
      drawVisits(visitsBox, again.visits);
      const status = document.querySelector('[data-testid="session-status"]');
      if (status) status.textContent = again.status_label;
      form.reset();
      clearErrors(form);
      fill(earlier);
      lastId = '';
      sync();
      fill(result, h('div', { class: 'alert ok', 'data-testid': 'visit-saved' }, h('p', null, text), link));
      announce(text);
      form.elements['visitor.full_name'].focus();
    } catch (err) {
      showErrors(form, err);
    } finally {
      restore();
    }
  });
  return form;
}

function refusalForm(s, box) {
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Ghi từ chối tiếp');
  const form = h('form', { novalidate: true, 'data-testid': 'refusal-form' },
    errorSummary(),
    field({ name: 'name', id: 'ref-name', label: 'Họ và tên người bị từ chối', required: true }),
    field({ name: 'ground', id: 'ref-ground', label: 'Căn cứ từ chối', type: 'select', required: true, options: optionsOf(REFUSAL_GROUNDS, '— Chọn căn cứ pháp luật —') }),
    field({ name: 'details', id: 'ref-details', label: 'Diễn biến', type: 'textarea', attrs: { rows: 2 } }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    if (!v.ground) { showErrors(form, { code: 'validation_failed', fields: { ground: ['Vui lòng chọn căn cứ từ chối.'] } }); return; }
    const restore = busy(submit, 'Đang ghi…');
    try {
      const r = await api(`/reception-sessions/${s.id}/refusals`, { method: 'POST', body: { visitor: v.name ?? '', ground: v.ground, details: v.details } });
      const again = await api(`/reception-sessions/${s.id}`);
      drawRefusals(box, again.refusals);
      form.reset();
      clearErrors(form);
      announce(r.notice_required ? `Đã ghi. Phải gửi thông báo bằng văn bản trước ${fmtDate(r.notice_due)}.` : 'Đã ghi trường hợp từ chối tiếp; giải thích tại chỗ.');
    } catch (err) {
      showErrors(form, err);
    } finally {
      restore();
    }
  });
  return h('details', { class: 'card' }, h('summary', null, 'Từ chối tiếp công dân'),
    h('p', { class: 'small muted' }, 'Chỉ từ chối theo căn cứ của Luật Tiếp công dân, Điều 9 và Nghị định 154/2026, Điều 4. Một số trường hợp phải thông báo bằng văn bản trong 3 ngày làm việc.'),
    form);
}

function drawRefusals(box, list) {
  if (!list.length) { fill(box, emptyEl('Không có.')); return; }
  fill(box, h('ul', { class: 'case-list' }, list.map((r) => h('li', { class: `case-item${r.notice_overdue ? ' is-overdue' : ''}` },
    r.visitor ? h('strong', null, r.visitor.full_name) : h('em', null, 'Bảo mật danh tính'),
    h('p', { class: 'small' }, r.ground_label, h('br'), h('span', { class: 'muted' }, r.ground_source)),
    r.notice_required ? h('p', { class: 'small' }, r.notice_sent_on ? `Đã gửi thông báo ngày ${fmtDate(r.notice_sent_on)}` : `Hạn gửi thông báo (Mẫu 01/TCD): ${fmtDate(r.notice_due)}${r.notice_overdue ? ' — QUÁ HẠN' : ''}`) : null))));
}

/**
 * Correcting and cancelling a session whose book has no line yet (once a visit is written, its
 * day, place and host are the book's): organisers correct, the chairman and the admin cancel.
 */
function correctionActions(s) {
  if (!ORGANISERS.includes(user.role) || s.visits.length || !['scheduled', 'missed'].includes(s.status)) return null;
  return h('div', { class: 'actions', 'data-testid': 'session-corrections' },
    h('button', { type: 'button', class: 'secondary', onclick: () => correctSession(s) }, (s.kind === 'periodic' ? 'Sửa ngày, địa điểm, giờ tiếp' : 'Sửa ngày, địa điểm, giờ tiếp, người chủ trì')),
    CANCELLERS.includes(user.role) ? h('button', { type: 'button', class: 'danger', onclick: () => cancelSession(s) }, 'Hủy buổi tiếp') : null);
}

async function correctSession(s) {
  let hosts = [{ id: s.host_id, full_name: s.host_name ?? `#${s.host_id}` }];
  if (s.kind !== 'periodic') {
    try {
      const staff = await allPages('/users', { active: 'true' });
      hosts = hosts.concat(staff.filter((u) => u.role !== 'citizen').map((u) => ({ id: u.id, full_name: u.full_name })));
    } catch { /* only the current host */ }
  }
  hosts = hosts.filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i);
  const saved = await openDialog({
    title: 'Sửa buổi tiếp',
    intro: s.kind === 'periodic'
      ? 'Buổi tiếp định kỳ do chính người đứng đầu chủ trì (không ủy quyền): chỉ sửa được ngày và địa điểm. Buổi tiếp đã sửa vẫn hiện trên lịch công khai với ngày, địa điểm mới.'
      : 'Lịch công khai hiện ngày, địa điểm, người chủ trì mới ngay sau khi lưu.',
    fields: [
      field({ name: 'date', id: 'cs-date', label: 'Ngày tiếp', type: 'date', value: s.date, required: true }),
      field({ name: 'location', id: 'cs-location', label: 'Địa điểm', value: s.location, required: true }),
      field({ name: 'hours', id: 'cs-hours', label: 'Giờ tiếp', value: s.hours ?? '', hint: 'Để trống: trong giờ làm việc.', attrs: { maxlength: 100 } }),
      s.kind === 'periodic' ? null : field({ name: 'host_id', id: 'cs-host', label: 'Người chủ trì', type: 'select', options: hosts.map((x) => [x.id, x.full_name]), value: s.host_id, attrs: { 'data-type': 'int' } }),
    ],
    submitLabel: 'Lưu thay đổi',
    onSubmit: (v) => api(`/reception-sessions/${s.id}`, { method: 'PATCH', body: { date: v.date, location: v.location ?? '', hours: v.hours ?? null, host_id: v.host_id } }),
  });
  if (!saved) return;
  announce(`Đã sửa buổi tiếp: ${saved.weekday}, ${fmtDate(saved.date)}, ${saved.location}.`);
  session(s.id);
}

async function cancelSession(s) {
  const saved = await openDialog({
    title: `Hủy buổi tiếp ${s.weekday}, ${fmtDate(s.date)}?`,
    intro: 'Buổi tiếp đã hủy không nhận lượt tiếp và được gỡ khỏi lịch tiếp công dân công khai (cả tệp .ics). Lý do hủy được lưu cùng buổi tiếp.',
    fields: [field({ name: 'cancel_reason', id: 'cs-reason', label: 'Lý do hủy', type: 'textarea', required: true, hint: 'Ví dụ: lập nhầm buổi tiếp; Chủ tịch đi công tác, đã bố trí buổi khác.', attrs: { rows: 2, maxlength: 1000 } })],
    submitLabel: 'Hủy buổi tiếp',
    danger: true,
    onSubmit: (v) => {
      if (!v.cancel_reason) throw Object.assign(new Error('missing'), { code: 'validation_failed', fields: { cancel_reason: ['Vui lòng ghi lý do hủy.'] } });
      return api(`/reception-sessions/${s.id}`, { method: 'PATCH', body: { status: 'cancelled', cancel_reason: v.cancel_reason } });
    },
  });
  if (!saved) return;
  announce('Đã hủy buổi tiếp; buổi tiếp đã được gỡ khỏi lịch công khai.');
  session(s.id);
}

function conclusionForm(s) {
  if (s.conclusion || s.status === 'cancelled') return null;
  if (s.status !== 'held') {
    // A conclusion follows a session that took place: say so rather than refuse it after typing.
    const markable = ORGANISERS.includes(user.role) && s.kind !== 'online' && s.date <= todayVN();
    return h('div', { class: 'card', 'data-testid': 'conclusion-later' },
      h('p', { class: 'small no-top' }, 'Thông báo kết luận được ban hành sau khi buổi tiếp diễn ra: khi có lượt tiếp đầu tiên được ghi sổ, buổi tiếp tự được ghi nhận là đã tiếp.'),
      markable ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          await api(`/reception-sessions/${s.id}`, { method: 'PATCH', body: { status: 'held' } });
          announce('Đã ghi nhận buổi tiếp đã diễn ra.');
          session(s.id);
        } catch (err) {
          announce(err.text);
        }
      } }, 'Ghi nhận đã tiếp (không có lượt tiếp)') : null);
  }
  const directives = h('div');
  let n = 0;
  let units = [];
  const addDirective = () => {
    directives.append(h('fieldset', null, h('legend', null, `Chỉ đạo ${n + 1}`),
      field({ name: `d.${n}.unit_id`, id: `d${n}-unit`, label: 'Đơn vị thực hiện', type: 'select', options: [['', '— Chọn đơn vị —'], ...units.map((u) => [u.id, u.name])], attrs: { 'data-type': 'int' } }),
      field({ name: `d.${n}.task`, id: `d${n}-task`, label: 'Nhiệm vụ' }),
      field({ name: `d.${n}.due`, id: `d${n}-due`, label: 'Hạn', type: 'date' })));
    n += 1;
  };
  const submit = h('button', { type: 'submit' }, 'Ban hành kết luận');
  const form = h('form', { novalidate: true },
    errorSummary(),
    field({ name: 'text', id: 'c-text', label: 'Nội dung kết luận', type: 'textarea', required: true, attrs: { rows: 3 } }),
    directives,
    h('button', { type: 'button', class: 'secondary', onclick: addDirective }, 'Thêm chỉ đạo'),
    h('div', { class: 'actions' }, submit));
  allPages('/units').then((u) => { units = u; }).catch(() => {});
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const restore = busy(submit, 'Đang lưu…');
    try {
      await api(`/reception-sessions/${s.id}/conclusion`, { method: 'POST', body: { text: v.text ?? '', directives: Object.values(v.d || {}).filter((d) => d.task) } });
      announce('Đã ban hành thông báo kết luận.');
      session(s.id);
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });
  return h('details', { class: 'card' }, h('summary', null, 'Thông báo kết luận buổi tiếp'), form);
}

function directivesList(list) {
  return h('section', { class: 'card' }, h('h2', null, 'Chỉ đạo sau buổi tiếp'),
    h('ul', null, list.map((d) => h('li', null, `${d.unit_name ?? ''}: ${d.task} — hạn ${fmtDate(d.due)}${d.overdue ? ' (quá hạn)' : ''}${d.done_on ? ` — xong ${fmtDate(d.done_on)}` : ''}`))));
}

// ---------- The book ----------

async function book() {
  document.querySelector('h1').textContent = 'Sổ tiếp công dân (Mẫu số 03/TCD)';
  const day = todayVN();
  const from = `${day.slice(0, 8)}01`;
  const box = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-label': 'Khoảng thời gian' },
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'from', id: 'b-from', label: 'Từ ngày', type: 'date', value: from }),
      field({ name: 'to', id: 'b-to', label: 'Đến ngày', type: 'date', value: day }),
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Xem sổ'))),
    h('button', { type: 'button', class: 'secondary', onclick: () => download(readForm(form)) }, 'Tải tệp Excel (.xlsx)'));
  const load = async () => {
    const v = readForm(form);
    fill(box, loadingEl());
    try {
      const b = await api('/reception-book', { params: { from: v.from, to: v.to } });
      if (!b.lines.length) { fill(box, emptyEl('Không có lượt tiếp nào trong khoảng thời gian này.')); return; }
      fill(box, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'book-table' },
        h('caption', null, `Sổ tiếp công dân từ ${fmtDate(b.from)} đến ${fmtDate(b.to)}: ${b.total} lượt`),
        h('thead', null, h('tr', null, b.headers.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, b.lines.map((l) => h('tr', null, l.cells.map((c) => h('td', null, c))))))));
    } catch (err) {
      showErrors(form, err);
      fill(box);
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  fill(app, h('p', null, h('a', { href: '/can-bo/tiep-dan', onclick: (e) => { e.preventDefault(); go(''); } }, '‹ Các buổi tiếp')), form, box);
  load();
}

async function download(v) {
  let blob;
  try {
    blob = await fetchFile(`/reception-book.xlsx?from=${v.from}&to=${v.to}`);
  } catch (err) {
    announce(`Không tải được tệp: ${err.text}`);
    return;
  }
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: `so-tiep-cong-dan-${v.from}-${v.to}.xlsx` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
  focusEl(document.querySelector('h1'));
}
