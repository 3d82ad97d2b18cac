// Citizen portal: follow a case by its tracking code (GET /api/v1/public/petitions/{code}):
// status in plain words, the next due date, the history; and rate a closed case
// (POST …/rating).

import { api } from '../api.js';
import { dueInWords, fmtDate, fmtDateLong, fmtDateTime } from '../format.js';
import { isOpen, kindLabel, STATUSES } from '../i18n.js';
import { announce, busy, errorBox, errorSummary, field, fill, focusEl, h, loadingEl, portalFrame, readForm, showErrors, statusBadge } from '../ui.js';

portalFrame('track');
const app = document.getElementById('app');
const result = h('div', { id: 'track-result', 'aria-live': 'polite' });

const SCORES = [
  [5, 'Rất hài lòng'],
  [4, 'Hài lòng'],
  [3, 'Bình thường'],
  [2, 'Không hài lòng'],
  [1, 'Rất không hài lòng'],
];

function searchForm(initial) {
  const submit = h('button', { type: 'submit' }, 'Tra cứu');
  const form = h('form', { novalidate: true, role: 'search', 'aria-label': 'Tra cứu hồ sơ theo mã' },
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'code', label: 'Mã hồ sơ', required: true, value: initial, hint: 'Mã có dạng TD-XXXX-XXXX-XXXX, in trên giấy biên nhận.', attrs: { autocapitalize: 'characters', autocomplete: 'off', spellcheck: 'false' } }),
      h('div', { class: 'field' }, submit)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const code = (readForm(form).code || '').toUpperCase().replace(/\s+/g, '');
    if (!code) {
      showErrors(form, { code: 'validation_failed', fields: { code: ['Vui lòng nhập mã hồ sơ.'] } });
      return;
    }
    const restore = busy(submit, 'Đang tra cứu…');
    try {
      await lookup(code, form);
    } finally {
      restore();
    }
  });
  return form;
}

async function lookup(code, form) {
  fill(result, loadingEl('Đang tra cứu hồ sơ…'));
  try {
    const p = await api(`/public/petitions/${encodeURIComponent(code)}`, { auth: false });
    history.replaceState(null, '', `/tra-cuu?ma=${encodeURIComponent(p.tracking_code)}`);
    show(p);
  } catch (err) {
    if (err.code === 'not_found') {
      fill(result, errorBox('Không tìm thấy hồ sơ với mã này. Vui lòng kiểm tra lại mã (mã không dùng chữ O, I và số 0, 1).'));
    } else {
      fill(result, errorBox(err));
    }
    if (form) form.elements.code.focus();
  }
}

function show(p) {
  const status = STATUSES[p.status] || { label: p.status, plain: '' };
  const open = isOpen(p.status);
  const heading = h('h2', { id: 'case-title' }, `Hồ sơ ${p.tracking_code}`);
  const history = [...(p.history || [])].reverse();
  // Each public step with its date and, where the law allows, why or what came of it.
  const steps = [...(p.timeline || [])].reverse();
  fill(result,
    h('section', { class: 'card', 'aria-labelledby': 'case-title', 'data-testid': 'case-status' },
      heading,
      h('dl', { class: 'facts' },
        h('dt', null, 'Loại đơn'), h('dd', null, kindLabel(p.kind)),
        h('dt', null, 'Ngày nhận'), h('dd', null, fmtDate(p.received_on)),
        h('dt', null, 'Tình trạng'), h('dd', null, statusBadge(p.status, status.label), h('br'), h('span', { 'data-testid': 'status-plain' }, status.plain)),
        h('dt', null, open ? 'Hạn xử lý tiếp theo' : 'Thời hạn'),
        h('dd', { 'data-testid': 'next-due' }, open
          ? (p.due ? [fmtDateLong(p.due), ' ', h('span', { class: 'muted' }, `(${dueInWords(p.due)})`)] : 'Chưa xác định')
          : 'Đã kết thúc xử lý')),
      h('h3', null, 'Quá trình xử lý'),
      steps.length
        ? h('ol', { class: 'timeline', reversed: true, 'data-testid': 'timeline' }, steps.map((e) => h('li', null,
          h('time', { datetime: e.on }, fmtDate(e.on)), ' ', h('strong', null, e.label),
          e.note ? h('p', { class: 'step-note' }, e.note) : null)))
        : history.length
          ? h('ol', { class: 'timeline', reversed: true }, history.map((e) => h('li', null,
            h('time', { datetime: e.at }, fmtDateTime(e.at)), STATUSES[e.status]?.label ?? e.status)))
          : h('p', { class: 'muted' }, 'Chưa có thông tin.'),
      h('p', { class: 'muted small' }, 'Trang này chỉ hiện tình trạng, các bước xử lý và thời hạn; nội dung đơn và thông tin cá nhân không được công khai.')),
    open ? null : ratingForm(p.tracking_code));
  focusEl(heading);
  announce(`Hồ sơ ${p.tracking_code}: ${status.label}.`);
}

function ratingForm(code) {
  const submit = h('button', { type: 'submit' }, 'Gửi đánh giá');
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'rate-title', 'data-testid': 'rating-form' },
    h('h2', { id: 'rate-title' }, 'Đánh giá kết quả giải quyết'),
    h('p', { class: 'muted' }, 'Ý kiến của bạn giúp Ủy ban nhân dân nâng cao chất lượng tiếp công dân, giải quyết đơn thư.'),
    errorSummary(),
    h('fieldset', null, h('legend', null, 'Mức độ hài lòng của bạn ', h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
      SCORES.map(([score, label]) => h('div', { class: 'check' },
        h('input', { type: 'radio', name: 'score', value: score, id: `score-${score}`, 'data-type': 'int' }),
        h('label', { for: `score-${score}` }, `${label} (${score}/5)`)))),
    field({ name: 'comment', label: 'Ý kiến thêm', type: 'textarea', attrs: { rows: 3, maxlength: 2000 } }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    if (!v.score) {
      showErrors(form, { code: 'validation_failed', fields: { score: ['Vui lòng chọn mức độ hài lòng.'] } });
      return;
    }
    const restore = busy(submit, 'Đang gửi…');
    try {
      await api(`/public/petitions/${encodeURIComponent(code)}/rating`, { method: 'POST', body: { score: v.score, comment: v.comment }, auth: false });
      thanks(form, 'Cảm ơn bạn đã đánh giá! Ý kiến của bạn đã được ghi nhận.');
    } catch (err) {
      if (err.code === 'already_rated') thanks(form, 'Hồ sơ này đã được đánh giá trước đó. Cảm ơn bạn!');
      else {
        showErrors(form, err);
        restore();
      }
    }
  });
  return form;
}

function thanks(form, text) {
  const box = h('div', { class: 'alert ok', role: 'status', 'data-testid': 'rating-done', tabindex: '-1' }, text);
  form.replaceWith(box);
  focusEl(box);
  announce(text);
}

const initial = new URLSearchParams(location.search).get('ma') || '';
fill(app, searchForm(initial), result);
if (initial) lookup(initial, null);
