// Citizen account: register (POST /api/v1/auth/register), sign in, "my petitions"
// (GET /api/v1/my/petitions): the petitions filed on the portal while signed in, and "Đổi mật khẩu".

import { api } from '../api.js';
import { getUser, homeFor, isStaff, setSession, signOut } from '../auth.js';
import { dueInWords, fmtDate } from '../format.js';
import { isOpen, kindLabel, PASSWORD_HINT } from '../i18n.js';
import { loginForm } from '../login.js';
import { passwordForm } from '../password.js';
import { announce, busy, emptyEl, errorBox, errorSummary, field, fill, focusEl, h, loadingEl, portalFrame, readForm, showErrors, statusBadge } from '../ui.js';

const app = document.getElementById('app');

function render() {
  portalFrame('account');
  const user = getUser();
  if (user && !isStaff(user)) signedIn(user);
  else signedOut();
}

function signedOut() {
  const login = loginForm({
    idPrefix: 'citizen',
    onDone: (user) => {
      if (isStaff(user)) location.href = homeFor(user);
      else render();
    },
  });
  fill(app,
    h('p', { class: 'lead' }, 'Tài khoản giúp bạn xem lại mọi đơn đã gửi trực tuyến. Bạn vẫn có thể gửi đơn và tra cứu bằng mã hồ sơ mà không cần tài khoản.'),
    h('div', { class: 'grid cols-2' },
      h('section', { class: 'card', 'aria-labelledby': 'login-title' }, h('h2', { id: 'login-title' }, 'Đăng nhập'), login),
      h('section', { class: 'card', 'aria-labelledby': 'register-title' }, h('h2', { id: 'register-title' }, 'Đăng ký tài khoản'), registerForm())));
}

function registerForm() {
  const submit = h('button', { type: 'submit' }, 'Đăng ký');
  const form = h('form', { novalidate: true, 'data-testid': 'register-form' },
    errorSummary(),
    field({ name: 'full_name', id: 'reg-full_name', label: 'Họ và tên', required: true, attrs: { autocomplete: 'name' } }),
    field({ name: 'username', id: 'reg-username', label: 'Tên đăng nhập', required: true, hint: 'Chữ không dấu, chữ số và . _ - (3–64 ký tự).', attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
    field({ name: 'password', id: 'reg-password', label: 'Mật khẩu', type: 'password', required: true, hint: PASSWORD_HINT, attrs: { autocomplete: 'new-password', minlength: 10 } }),
    field({ name: 'phone', id: 'reg-phone', label: 'Số điện thoại', type: 'tel', attrs: { autocomplete: 'tel' } }),
    field({ name: 'email', id: 'reg-email', label: 'Thư điện tử', type: 'email', attrs: { autocomplete: 'email' } }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const restore = busy(submit, 'Đang đăng ký…');
    try {
      await api('/auth/register', { method: 'POST', body: { username: v.username ?? '', password: v.password ?? '', full_name: v.full_name ?? '', phone: v.phone, email: v.email }, auth: false });
      const res = await api('/auth/login', { method: 'POST', body: { username: v.username, password: v.password, session: 'cookie' }, auth: false });
      setSession(res);
      announce('Đăng ký thành công, bạn đã được đăng nhập.');
      render();
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });
  return form;
}

async function signedIn(user) {
  const heading = h('h2', { id: 'mine-title' }, 'Đơn của tôi');
  const list = h('div', { id: 'my-petitions', 'aria-live': 'polite' }, loadingEl('Đang tải danh sách đơn…'));
  const password = passwordForm({ user, idPrefix: 'citizen-pw', onDone: (again) => { if (!again) render(); } });
  fill(app,
    h('div', { class: 'card' },
      h('p', null, 'Xin chào ', h('strong', { 'data-testid': 'citizen-name' }, user.full_name), '.'),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: '/gui-don' }, 'Gửi đơn mới'),
        h('a', { class: 'button secondary', href: '#doi-mat-khau' }, 'Đổi mật khẩu'),
        h('button', { type: 'button', class: 'secondary', onclick: () => signOut().then(() => { announce('Đã đăng xuất.'); render(); }) }, 'Đăng xuất'))),
    h('section', { 'aria-labelledby': 'mine-title' }, heading, list),
    claimForm(),
    h('section', { class: 'card', id: 'doi-mat-khau', 'aria-labelledby': 'password-title' },
      h('h2', { id: 'password-title' }, 'Đổi mật khẩu'),
      h('p', { class: 'muted' }, 'Sau khi đổi, các phiên đăng nhập khác của tài khoản hết hiệu lực.'),
      password));
  try {
    const res = await api('/my/petitions', { params: { per_page: 100 } });
    if (!res.items.length) {
      fill(list, emptyEl('Bạn chưa gửi đơn nào khi đăng nhập. Đơn gửi khi chưa đăng nhập vẫn tra cứu được bằng mã hồ sơ.'));
      return;
    }
    fill(list,
      h('p', { class: 'muted' }, `${res.total}${res.total_capped ? '+' : ''} đơn.`),
      h('ul', { class: 'case-list' }, res.items.map((p) => h('li', { class: 'case-item', 'data-testid': 'my-petition' },
        h('div', { class: 'badges' }, statusBadge(p.status, p.status_label), h('span', { class: 'badge neutral' }, kindLabel(p.kind))),
        h('h3', null, p.subject),
        h('div', { class: 'meta' },
          h('span', null, 'Mã: ', h('a', { href: `/tra-cuu?ma=${encodeURIComponent(p.tracking_code)}` }, p.tracking_code)),
          h('span', null, `Ngày gửi: ${fmtDate(p.received_on)}`),
          isOpen(p.status) && p.due ? h('span', null, `Hạn xử lý: ${fmtDate(p.due)} (${dueInWords(p.due)})`) : null)))));
    announce(`Bạn có ${res.total} đơn.`);
  } catch (err) {
    fill(list, errorBox(err));
    if (err.status === 401) render();
  }
  if (document.activeElement === document.body) focusEl(heading);
}

/**
 * "Nhận đơn đã gửi": a petition filed before signing in joins the list, given its tracking code
 * and the phone or e-mail it was filed with (POST /api/v1/my/petitions/claim).
 */
function claimForm() {
  const form = h('form', { novalidate: true, 'data-testid': 'claim-form' },
    errorSummary(),
    h('div', { class: 'row' },
      field({ name: 'tracking_code', label: 'Mã hồ sơ', required: true, hint: 'Ví dụ: TD-7KQ4-M9XP-2WHD.' }),
      field({ name: 'contact', label: 'Số điện thoại hoặc thư điện tử đã ghi khi gửi đơn', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Nhận đơn vào tài khoản')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const done = busy(form.querySelector('button[type=submit]'));
    try {
      const p = await api('/my/petitions/claim', { method: 'POST', body: { tracking_code: v.tracking_code ?? '', contact: v.contact ?? '' } });
      announce(`Đã nhận đơn ${p.tracking_code} vào tài khoản.`);
      render();
    } catch (err) {
      if (err.status === 404) {
        showErrors(form, { message: 'Không tìm thấy đơn khớp mã hồ sơ và số điện thoại hoặc thư điện tử này, hoặc đơn đã thuộc một tài khoản.' });
      } else {
        showErrors(form, err);
      }
    } finally {
      done();
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'claim-title' },
    h('h2', { id: 'claim-title' }, 'Nhận đơn đã gửi khi chưa đăng nhập'),
    h('p', { class: 'muted' }, 'Đơn gửi trước khi có tài khoản sẽ hiện trong danh sách của bạn khi bạn nhập đúng mã hồ sơ và số điện thoại hoặc thư điện tử đã ghi trong đơn.'),
    form);
}

render();
