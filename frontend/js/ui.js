// Shared components: an element builder, the page frame (header, navigation, live region), form
// fields with their labels, hints and errors, loading and empty states, badges and a dialog.

import { getUser, isStaff, onSignedOutElsewhere, pagesFor, signOut } from './auth.js';
import { errorMessage, fieldLabel, ROLES, statusLabel, isOpen } from './i18n.js';
import { addDays, daysBetween, fmtDate, fmtDateLong, mondayOfWeek, todayVN } from './format.js';

// ---------- Elements ----------

/**
 * `h('a', {href: '/', class: 'x', onclick: fn}, 'text', child)`: builds an element. Strings are
 * text (never HTML). `null`/`false` children are skipped; arrays are flattened.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    // Through the CSSOM: a style attribute would be refused by the pages' policy (no inline style).
    else if (k === 'style') el.style.cssText = v;
    // Also the defaults, so that form.reset() comes back to them.
    else if (k === 'checked') { el.defaultChecked = true; el.checked = true; }
    else if (k === 'selected') { el.defaultSelected = true; el.selected = true; }
    else if (['checked', 'selected', 'disabled', 'hidden', 'required', 'value', 'multiple', 'open'].includes(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// ---------- Page frame ----------

const PORTAL_LINKS = [
  { key: 'file', href: '/gui-don', label: 'Gửi đơn' },
  { key: 'track', href: '/tra-cuu', label: 'Tra cứu hồ sơ' },
  { key: 'schedule', href: '/lich-tiep', label: 'Lịch tiếp công dân' },
  { key: 'results', href: '/ket-qua', label: 'Kết quả giải quyết' },
  { key: 'calc', href: '/tinh-han', label: 'Tính thời hạn' },
  { key: 'account', href: '/tai-khoan', label: 'Tài khoản' },
];

function brand(sub) {
  return h('a', { class: 'brand', href: '/' },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '★'),
    h('span', null, 'Tiếp công dân', h('small', null, sub)));
}

function navList(label, links, active) {
  return h('nav', { class: 'site-nav', 'aria-label': label },
    h('ul', null, links.map((l) => h('li', null,
      h('a', { href: l.href, 'aria-current': l.key === active ? 'page' : null }, l.label)))));
}

function frame(headerChildren) {
  if (!document.querySelector('.skip-link')) {
    document.body.prepend(h('a', { class: 'skip-link', href: '#main' }, 'Bỏ qua, đến nội dung chính'));
  }
  let header = $('#site-header');
  if (!header) {
    header = h('header', { id: 'site-header', class: 'site-header' });
    document.querySelector('.skip-link').after(header);
  }
  fill(header, h('div', { class: 'bar' }, headerChildren));
  liveRegion();
  const main = $('#main');
  if (main && !main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
}

/** The citizen portal's header; shows the signed-in citizen, if any. */
export function portalFrame(active) {
  const user = getUser();
  const who = user && !isStaff(user)
    ? h('div', { class: 'user-box' }, h('span', { class: 'who' }, user.full_name, h('small', null, 'Công dân')))
    : null;
  frame([brand('Cổng thông tin công dân'), navList('Cổng công dân', PORTAL_LINKS, active), who]);
}

/** The staff workspace's header: the role's pages, the user, "Đổi mật khẩu" and "Đăng xuất". */
export function staffFrame(user, active) {
  frame([
    brand('Không gian làm việc cán bộ'),
    navList('Chức năng', pagesFor(user.role), active),
    h('div', { class: 'user-box' },
      h('span', { class: 'who', 'data-testid': 'current-user' }, user.full_name, h('small', null, ROLES[user.role] ?? user.role)),
      h('a', { class: 'account-link', href: '/can-bo/doi-mat-khau', 'aria-current': active === 'password' ? 'page' : null }, 'Đổi mật khẩu'),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'sign-out', onclick: () => signOut().then(() => { location.href = '/'; }) }, 'Đăng xuất')),
  ]);
  const back = `/can-bo/dang-nhap?next=${encodeURIComponent(location.pathname + location.search)}`;
  window.addEventListener('tiepdan:session-ended', () => location.replace(`${back}&het-han=1`));
  // Signed out in another tab: this one follows.
  onSignedOutElsewhere(() => location.replace(back));
}

/** A page a role may not open: says so instead of showing a broken page. */
export function noAccess(main) {
  fill(main,
    h('h1', null, 'Không có quyền truy cập'),
    h('p', { class: 'alert error', role: 'alert' }, 'Trang này không dành cho vai trò của bạn.'),
    h('p', null, h('a', { href: '/can-bo/' }, 'Về trang việc của tôi')));
}

/**
 * Tabs over one panel (WAI-ARIA tabs: arrow keys, Home, End), the tab named in the URL's hash
 * first. `tabs` is `[[key, label, draw(panel)], …]`.
 */
export function tabbed(container, tabs, { label, panelId }) {
  const wanted = location.hash.slice(1);
  const panel = h('div', { role: 'tabpanel', id: panelId, tabindex: '-1' });
  const buttons = tabs.map(([key, text]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${key}`, 'aria-controls': panelId, 'data-tab': key,
    onclick: () => select(key, true),
  }, text));
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label }, buttons);
  list.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0 || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const n = e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : (i + (e.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length;
    buttons[n].focus();
    select(tabs[n][0], false);
  });
  function select(key, focusPanel) {
    for (const b of buttons) {
      const on = b.dataset.tab === key;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `tab-${key}`);
    history.replaceState(null, '', `#${key}`);
    // Each showing of a tab draws into a fresh box: a tab still loading when another is chosen
    // fills its own, detached box, never the panel the user now looks at.
    const view = h('div', { class: 'tab-view' });
    panel.replaceChildren(view);
    tabs.find(([k]) => k === key)[2](view);
    if (focusPanel) panel.focus();
  }
  fill(container, list, panel);
  select(tabs.some(([k]) => k === wanted) ? wanted : tabs[0][0], false);
  window.addEventListener('hashchange', () => {
    const key = location.hash.slice(1);
    if (tabs.some(([k]) => k === key) && panel.getAttribute('aria-labelledby') !== `tab-${key}`) select(key, false);
  });
}

// ---------- Announcements ----------

function liveRegion() {
  let live = $('#live');
  if (!live) {
    live = h('div', { id: 'live', class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    document.body.append(live);
  }
  return live;
}

/** Tells screen-reader users what just happened (results, saves, counts). */
export function announce(text) {
  const live = liveRegion();
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

/** Moves focus to an element that is not normally focusable (a heading, a result box). */
export function focusEl(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}

// ---------- States ----------

export const loadingEl = (text = 'Đang tải…') => h('p', { class: 'loading', role: 'status' }, text);
export const emptyEl = (text) => h('p', { class: 'empty' }, text);

/** An error box (role=alert, announced at once) for a failed load or action. */
export function errorBox(err) {
  return h('div', { class: 'alert error', role: 'alert' }, typeof err === 'string' ? err : errorMessage(err));
}

// ---------- Form fields ----------

const idOf = (name) => `f-${String(name).replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/**
 * A labelled field: `{name, label, type, required, hint, options:[[value,label]], value, rows,
 * attrs}`; `type` is an input type, `select` or `textarea`.
 */
export function field({ name, label, type = 'text', required = false, hint, options, value, attrs = {}, id }) {
  const fid = id || idOf(name);
  const hintId = hint ? `${fid}-hint` : null;
  const common = { id: fid, name, required, 'aria-describedby': hintId, ...attrs };
  let control;
  if (type === 'select') {
    control = h('select', common, (options || []).map(([v, l]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, l)));
  } else if (type === 'textarea') {
    control = h('textarea', common);
    if (value != null) control.defaultValue = value;
  } else {
    control = h('input', { type, ...common });
    if (value != null) control.defaultValue = value;
  }
  return h('div', { class: 'field' },
    h('label', { for: fid }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    hint ? h('span', { class: 'hint', id: hintId }, hint) : null,
    control,
    ['date', 'week', 'month'].includes(type) ? dateWords(control) : null);
}

/**
 * The browser's own date, week and month pickers show their value in the browser's language (an
 * English Chromium writes 12/06/2026 for 6 December): beside such an input, its value in
 * Vietnamese words ("Chủ nhật, 06/12/2026", "Tuần 49: 30/11 – 06/12/2026", "Tháng 11/2026"), kept
 * up to date and read out with it.
 * Returns the element to place after the input.
 */
export function dateWords(input) {
  const id = `${input.id || `d-${Math.random().toString(36).slice(2)}`}-words`;
  const words = h('span', { class: 'date-words', id, 'data-testid': 'date-words' });
  const say = () => {
    const v = input.value;
    if (input.type === 'week' && /^\d{4}-W\d{2}$/.test(v)) {
      const monday = mondayOfWeek(v);
      words.textContent = `Tuần ${Number(v.slice(6))}: ${fmtDate(monday).slice(0, 5)} – ${fmtDate(addDays(monday, 6))}`;
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      words.textContent = fmtDateLong(v);
    } else if (/^\d{4}-\d{2}$/.test(v)) {
      words.textContent = `Tháng ${v.slice(5)}/${v.slice(0, 4)}`;
    } else {
      words.textContent = '';
    }
  };
  input.addEventListener('input', say);
  input.addEventListener('change', say);
  const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  input.setAttribute('aria-describedby', [...ids, id].join(' '));
  say();
  // form.reset() puts the default back without an input event.
  queueMicrotask(() => input.form?.addEventListener('reset', () => setTimeout(say)));
  return words;
}

/** A checkbox with its label. */
export function checkbox({ name, label, checked = false, attrs = {} }) {
  const fid = idOf(name);
  return h('div', { class: 'check' },
    h('input', { type: 'checkbox', id: fid, name, checked, ...attrs }),
    h('label', { for: fid }, label));
}

/**
 * Reads a form into an object. Dotted names nest (`petitioner.full_name`); `data-type="int"`
 * gives an integer, `data-type="decimal"` a number (a decimal comma read as a point),
 * checkboxes give booleans, empty text is left out.
 */
export function readForm(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.matches(':disabled')) continue;
    if ((el.type === 'radio') && !el.checked) continue;
    let v;
    if (el.type === 'checkbox') v = el.checked;
    else {
      v = el.value.trim();
      if (v === '') continue;
      if (el.dataset.type === 'int') v = Number.parseInt(v, 10);
      else if (el.dataset.type === 'decimal') v = Number.parseFloat(v.replace(',', '.'));
    }
    const path = el.name.split('.');
    let o = out;
    for (const p of path.slice(0, -1)) o = o[p] ??= {};
    o[path.at(-1)] = v;
  }
  return out;
}

/** Removes the error marks of a form. */
export function clearErrors(form) {
  for (const e of $$('.field-error', form)) e.remove();
  for (const el of $$('[aria-invalid="true"]', form)) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((i) => i && !i.endsWith('-error'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  const summary = $('.error-summary', form);
  if (summary) fill(summary);
}

function controlFor(form, key) {
  // The API names list items `parts[0].subject`; the inputs are named `parts.0.subject`.
  const item = form.elements.namedItem(key) || form.elements.namedItem(key.replace(/\[(\d+)\]/g, '.$1'));
  if (!item) return null;
  if (item instanceof RadioNodeList) return item[0] || null;
  return item;
}

/**
 * Shows an API error on a form: each field's messages beside its input (aria-invalid,
 * aria-describedby), and a summary at the top (role=alert) linking to each field; focus goes to
 * the summary. The form needs an element `.error-summary`.
 */
export function showErrors(form, err) {
  clearErrors(form);
  const summary = $('.error-summary', form);
  const items = [];
  for (const [key, messages] of Object.entries(err?.fields || {})) {
    const control = controlFor(form, key);
    const text = messages.join(' ');
    if (control) {
      const errId = `${control.id || idOf(key)}-error`;
      const p = h('p', { class: 'field-error', id: errId }, text);
      const group = control.type === 'radio' ? control.closest('fieldset') : control.closest('.field, .check') || control;
      group.append(p);
      control.setAttribute('aria-invalid', 'true');
      const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      control.setAttribute('aria-describedby', [...ids, errId].join(' '));
      items.push(h('li', null, h('a', { href: `#${control.id}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, `${labelOf(form, control, key)}: ${text}`)));
    } else {
      items.push(h('li', null, `${fieldLabel(key)}: ${text}`));
    }
  }
  if (summary) {
    fill(summary,
      h('div', { class: 'alert error', role: 'alert', tabindex: '-1' },
        h('strong', null, errorMessage(err)),
        items.length ? h('ul', null, items) : null));
    focusEl(summary.firstChild);
  }
}

function labelOf(form, control, key) {
  const label = control.id ? form.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  const legend = control.type === 'radio' ? control.closest('fieldset')?.querySelector('legend') : null;
  const text = (legend || label)?.textContent?.replace(/\s*\*\s*$/, '').trim();
  return text || fieldLabel(key);
}

/** An empty summary box, placed at the top of a form. */
export const errorSummary = () => h('div', { class: 'error-summary' });

/** Disables a button while its request runs; returns a function that restores it. */
export function busy(button, text = 'Đang xử lý…') {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = text;
  return () => {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = old;
  };
}

// ---------- Badges ----------

export function statusBadge(status, label) {
  return h('span', { class: `badge ${isOpen(status) ? 'open' : 'closed'}`, 'data-status': status }, label || statusLabel(status));
}

/** "Quá hạn 3 ngày" / "Sắp đến hạn" badges of a case view (words, not only colour). */
export function dueBadges(view) {
  const out = [];
  if (view.overdue) out.push(h('span', { class: 'badge overdue', 'data-flag': 'overdue' }, overdueText(view.next_due)));
  else if (view.nearly_due) out.push(h('span', { class: 'badge nearly', 'data-flag': 'nearly-due' }, `Sắp đến hạn (${fmtDate(view.next_due)})`));
  if ((view.deadlines || []).some((d) => d.paused)) out.push(h('span', { class: 'badge paused' }, 'Tạm dừng tính hạn'));
  return out;
}

function overdueText(due) {
  const late = due ? daysBetween(due, todayVN()) : 0;
  return late > 0 ? `Quá hạn ${late} ngày` : 'Quá hạn';
}

// ---------- Dialog ----------

/**
 * A modal form: `{title, intro, fields: [elements], submitLabel, onSubmit(values, form)}`.
 * `onSubmit` may throw an ApiError: it is shown in the form and the dialog stays open. Focus goes
 * to the first field and back to the opener when the dialog closes. Resolves to onSubmit's value,
 * or null when cancelled.
 */
export function openDialog({ title, intro, fields, submitLabel = 'Lưu', onSubmit, danger = false }) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const submit = h('button', { type: 'submit', class: danger ? 'danger' : null }, submitLabel);
    const form = h('form', { class: 'dialog-body', novalidate: true },
      h('h2', { id: titleId }, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      errorSummary(),
      fields,
      h('div', { class: 'actions' }, submit,
        h('button', { type: 'button', class: 'secondary', onclick: () => { dlg.close(); } }, 'Hủy')));
    const dlg = h('dialog', { 'aria-labelledby': titleId }, form);
    let result = null;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const restore = busy(submit);
      try {
        result = await onSubmit(readForm(form), form);
        dlg.close();
      } catch (err) {
        showErrors(form, err);
      } finally {
        restore();
      }
    });
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (opener && document.contains(opener)) opener.focus();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    (first || submit).focus();
  });
}

/** `[[value, label]]` options from an object of labels, optionally with a first empty choice. */
export function optionsOf(labels, empty) {
  const opts = Object.entries(labels);
  return empty === undefined ? opts : [['', empty], ...opts];
}
