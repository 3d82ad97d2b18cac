// Staff "my work": open cases overdue first, then nearest due (GET /api/v1/inbox), or the register
// filtered by kind, status and overdue (GET /api/v1/petitions), with diacritics-free search.
// Overdue and nearly-due cases are flagged in words and colour, and counted at the top. A search
// that finds nothing or few in a narrowed list says how many the whole register holds and widens
// to it in one click.

import { api } from '../api.js';
import { requireStaff } from '../auth.js';
import { dueInWords, fmtDate } from '../format.js';
import { CHANNELS, isOpen, KINDS, STATUSES, kindLabel } from '../i18n.js';
import { announce, dueBadges, emptyEl, errorBox, fill, h, loadingEl, staffFrame, statusBadge } from '../ui.js';

const user = requireStaff();
const PER_PAGE = 50;
/** Below this many results a narrowed search offers the whole register. */
const FEW = 5;
/** Widens the search to the whole register (set by `start`). */
let widenSearch = () => {};

if (user) {
  staffFrame(user, 'inbox');
  const title = document.querySelector('h1');
  if (user.role === 'admin') title.textContent = 'Sổ đơn thư';
  start();
}

function defaultScope() {
  if (user.role === 'chairman' || user.role === 'admin') return 'all';
  if (user.role === 'unit_head') return user.unit_id ? 'unit' : 'all';
  // The desk registers cases; others handle them: its work is the new, unassigned ones.
  if (user.role === 'receptionist') return 'new';
  return 'mine';
}

function scopes() {
  const s = [];
  if (user.role !== 'admin') s.push(['mine', 'Được giao cho tôi']);
  if (user.unit_id) s.push(['unit', 'Của đơn vị tôi']);
  s.push(['new', 'Đơn mới chưa phân công'], ['all', 'Tất cả hồ sơ đang xử lý']);
  return s;
}

/** Query parameters of the list for the filters, and which endpoint answers them. */
function request(f) {
  const simple = (f.status === 'open' || !f.status) && !f.overdue;
  // Past the first page, the page is read after the last row of the one before (`after`): as
  // fast at page 500 as at page 1.
  const paging = f.after ? { after: f.after } : { page: f.page };
  if (simple) return ['/inbox', { scope: f.scope, kind: f.kind, q: f.q, ...paging, per_page: PER_PAGE }];
  return ['/petitions', { ...scopeParams(f.scope, f.status), kind: f.kind, q: f.q, overdue: f.overdue ? 'true' : null, sort: 'due', ...paging, per_page: PER_PAGE }];
}

function scopeParams(scope, status) {
  const p = {};
  if (status === 'open' || !status) p.open = 'true';
  else if (status !== 'any') p.status = status;
  if (scope === 'mine') p.assignee_id = user.id;
  if (scope === 'unit') p.unit_id = user.unit_id;
  if (scope === 'new') p.status = 'received';
  return p;
}

function readFilters() {
  const q = new URLSearchParams(location.search);
  return {
    scope: scopes().some(([v]) => v === q.get('scope')) ? q.get('scope') : defaultScope(),
    kind: q.get('kind') || '',
    status: q.get('status') || 'open',
    overdue: q.get('overdue') === '1',
    q: q.get('q') || '',
    page: Math.max(1, Number(q.get('page')) || 1),
    // The cursor of the page shown, and those of the pages before it ("Trang trước").
    after: q.get('after') || '',
    before: [],
  };
}

function writeFilters(f) {
  const q = new URLSearchParams();
  if (f.scope !== defaultScope()) q.set('scope', f.scope);
  if (f.kind) q.set('kind', f.kind);
  if (f.status !== 'open') q.set('status', f.status);
  if (f.overdue) q.set('overdue', '1');
  if (f.q) q.set('q', f.q);
  if (f.page > 1) q.set('page', f.page);
  if (f.after) q.set('after', f.after);
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''));
}

function start() {
  const app = document.getElementById('app');
  const f = readFilters();
  const stats = h('div', { class: 'stats three', id: 'inbox-stats', 'aria-live': 'polite' });
  const list = h('div', { id: 'inbox-list' });
  const form = h('form', { role: 'search', 'aria-label': 'Lọc và tìm hồ sơ', class: 'card', id: 'inbox-filters' },
    h('div', { class: 'row' },
      select('scope', 'Phạm vi', scopes(), f.scope),
      select('kind', 'Loại đơn', [['', 'Tất cả các loại'], ...Object.entries(KINDS).map(([k, v]) => [k, v.label])], f.kind),
      select('status', 'Trạng thái', [['open', 'Đang xử lý'], ...Object.entries(STATUSES).map(([k, v]) => [k, v.label]), ['any', 'Mọi trạng thái']], f.status)),
    h('div', { class: 'row' },
      h('div', { class: 'field grow-wide' },
        h('label', { for: 'f-q' }, 'Tìm kiếm'),
        h('span', { class: 'hint', id: 'f-q-hint' }, 'Tiêu đề, nội dung, tên người gửi; gõ có dấu hoặc không dấu (ví dụ: nguyen van an).'),
        h('input', { type: 'search', id: 'f-q', name: 'q', value: f.q, 'aria-describedby': 'f-q-hint', maxlength: 200 })),
      h('div', { class: 'field' }, h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', checked: f.overdue }),
        h('label', { for: 'f-overdue' }, 'Chỉ hồ sơ quá hạn')))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Lọc'),
      h('a', { class: 'button secondary', href: '/can-bo/tiep-nhan' }, 'Tiếp nhận đơn mới')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(f, {
      scope: form.elements.scope.value,
      kind: form.elements.kind.value,
      status: form.elements.status.value,
      overdue: form.elements.overdue.checked,
      q: form.elements.q.value.trim(),
      page: 1,
      after: '',
      before: [],
    });
    load(f, stats, list, true);
  });
  for (const name of ['scope', 'kind', 'status', 'overdue']) {
    form.elements[name].addEventListener('change', () => form.requestSubmit());
  }
  widenSearch = () => {
    form.elements.scope.value = 'all';
    form.elements.kind.value = '';
    form.elements.status.value = 'any';
    form.elements.overdue.checked = false;
    form.requestSubmit();
  };
  fill(app, form, stats,
    h('p', { class: 'muted small' }, 'Hết việc, không hết giờ: hồ sơ quá hạn và sắp đến hạn luôn xếp lên đầu.'), h('h2', { id: 'list-title', class: 'visually-hidden' }, 'Danh sách hồ sơ'), list);
  load(f, stats, list, false);
}

function select(name, label, options, value) {
  return h('div', { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h('select', { id: `f-${name}`, name }, options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
}

async function load(f, stats, list, announceIt) {
  writeFilters(f);
  fill(list, loadingEl('Đang tải hồ sơ…'));
  const [path, params] = request(f);
  try {
    const [page, counts] = await Promise.all([api(path, { params }), countFlags(f)]);
    let items = page.items;
    if (f.scope === 'new') items = items.filter((p) => !p.assignee_id);
    showStats(stats, totalText(page), counts);
    const wider = await widerResults(f, items.length);
    if (!items.length) {
      fill(list, emptyEl(f.q ? `Không tìm thấy hồ sơ nào khớp với "${f.q}" trong ${scopeWords(f)}.` : 'Không có hồ sơ nào trong mục này. Hết việc!'), wider);
    } else {
      fill(list,
        wider,
        h('ul', { class: 'case-list', 'aria-labelledby': 'list-title' }, items.map(item)),
        pager(f, page, stats, list));
    }
    if (announceIt) announce(`Tìm thấy ${totalText(page)} hồ sơ; ${counts.overdue} quá hạn, ${counts.nearly} sắp đến hạn.${wider ? ` ${wider.dataset.say}` : ''}`);
  } catch (err) {
    fill(list, errorBox(err));
  }
}

/** Whether the list is narrower than the whole register (a scope, kind, status or flag). */
function narrowed(f) {
  return f.scope !== 'all' || f.kind || f.status !== 'any' || f.overdue;
}

/** The list searched, in words ("hồ sơ được giao cho tôi, đang xử lý"). */
function scopeWords(f) {
  const parts = [scopes().find(([v]) => v === f.scope)?.[1]?.toLowerCase() ?? 'danh sách này'];
  if (f.kind) parts.push(KINDS[f.kind]?.label.toLowerCase());
  if (f.status === 'open') parts.push('đang xử lý');
  else if (f.status !== 'any') parts.push(STATUSES[f.status]?.label.toLowerCase());
  if (f.overdue) parts.push('quá hạn');
  return `phạm vi “${parts.filter(Boolean).join(', ')}”`;
}

/**
 * A narrowed search that found nothing or few: how many cases of the whole register (every
 * scope, kind and status) match, with one button to show them; null otherwise.
 */
async function widerResults(f, found) {
  if (!f.q || !narrowed(f) || found >= FEW || f.page > 1) return null;
  let all;
  try {
    all = await api('/petitions', { params: { q: f.q, per_page: 1 } });
  } catch {
    return null;
  }
  if (all.total <= found) return null;
  const say = `Toàn bộ sổ đơn thư có ${totalText(all)} hồ sơ khớp với "${f.q}".`;
  return h('div', { class: 'alert info', 'data-testid': 'widen-search', dataset: { say } },
    h('p', { class: 'lead-in' }, `Chỉ tìm trong ${scopeWords(f)}. ${say}`),
    h('button', { type: 'button', onclick: () => widenSearch() }, `Tìm "${f.q}" trong toàn bộ sổ đơn thư`));
}

/** How many of the scope's open cases are overdue, and nearly due. */
async function countFlags(f) {
  const base = { ...scopeParams(f.scope, 'open'), kind: f.kind, q: f.q, per_page: 1 };
  const [overdue, nearly] = await Promise.all([
    api('/petitions', { params: { ...base, overdue: 'true' } }),
    api('/petitions', { params: { ...base, nearly_due: 'true' } }),
  ]);
  return { overdue: totalText(overdue), nearly: totalText(nearly) };
}

/** A list's total as shown: counts stop at 10,000 ("10.000+"). */
function totalText(page) {
  const n = Number(page.total).toLocaleString('vi-VN');
  return page.total_capped ? `${n}+` : n;
}

function showStats(el, total, counts) {
  fill(el,
    stat(total, 'Hồ sơ trong danh sách', 'stat-total'),
    stat(counts.overdue, 'Quá hạn', 'stat-overdue', counts.overdue > 0),
    stat(counts.nearly, 'Sắp đến hạn (trong 3 ngày làm việc)', 'stat-nearly'));
}

function stat(value, label, testid, bad = false) {
  return h('div', { class: `stat${bad ? ' bad' : ''}`, 'data-testid': testid },
    h('span', { class: 'value' }, String(value)), h('span', { class: 'label' }, label));
}

function item(p) {
  const cls = p.overdue ? 'case-item is-overdue' : p.nearly_due ? 'case-item is-nearly' : 'case-item';
  return h('li', { class: cls, 'data-testid': 'case-item', 'data-id': p.id },
    h('div', { class: 'badges' }, dueBadges(p), statusBadge(p.status, p.status_label), h('span', { class: 'badge neutral' }, kindLabel(p.kind)),
      // What the law treats apart: a second round, a nameless or unsigned petition (never accepted).
      p.round > 1 ? h('span', { class: 'badge neutral' }, p.kind === 'complaint' ? 'Lần hai' : 'Tố cáo tiếp') : null,
      p.anonymous ? h('span', { class: 'badge neutral' }, 'Nặc danh') : null,
      p.signed === false ? h('span', { class: 'badge neutral' }, 'Không ký') : null),
    h('h3', null, h('a', { href: `/can-bo/ho-so?id=${p.id}` }, p.subject)),
    h('div', { class: 'meta' },
      h('span', null, p.tracking_code),
      h('span', null, `Nhận ${fmtDate(p.received_on)} · ${CHANNELS[p.channel] ?? p.channel}`),
      h('span', null, `Xử lý: ${p.assignee_name || 'chưa phân công'}${p.unit_name ? ` (${p.unit_name})` : ''}`),
      isOpen(p.status) && p.next_due ? h('span', null, h('strong', null, `Hạn: ${fmtDate(p.next_due)}`), ` (${dueInWords(p.next_due)})`) : null,
      h('span', null, `Bước: ${p.step}`)));
}

function pager(f, page, stats, list) {
  // Pages follow the cursors: "Trang sau" while the answer names a next page, "Trang trước" back
  // through the cursors already followed (or by number, for a page opened from a link).
  const hasNext = Boolean(page.next_after);
  const hasPrev = f.page > 1;
  if (!hasNext && !hasPrev) return null;
  const reload = () => { load(f, stats, list, true); document.getElementById('list-title').scrollIntoView(); };
  const next = () => { f.before.push(f.after); f.after = page.next_after; f.page += 1; reload(); };
  const prev = () => {
    if (f.before.length) f.after = f.before.pop(); else f.after = '';
    f.page -= 1;
    reload();
  };
  const pages = page.total_capped ? null : Math.max(1, Math.ceil(page.total / page.per_page));
  return h('nav', { 'aria-label': 'Phân trang', class: 'actions' },
    h('button', { type: 'button', class: 'secondary', disabled: !hasPrev, onclick: prev }, '‹ Trang trước'),
    h('span', { class: 'muted self-center' }, pages ? `Trang ${f.page}/${pages}` : `Trang ${f.page}`),
    h('button', { type: 'button', class: 'secondary', disabled: !hasNext, onclick: next }, 'Trang sau ›'));
}
