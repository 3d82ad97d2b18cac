// The sign-in form shared by the landing page, the staff login page and the citizen account page.

import { api } from './api.js';
import { homeFor, safeNext, setSession } from './auth.js';
import { announce, busy, errorSummary, field, h, readForm, showErrors } from './ui.js';

/**
 * A login form. After a successful login the session is kept and `onDone(user)` runs; by default
 * the browser goes to `next` or the user's home page.
 */
export function loginForm({ idPrefix = 'login', submitLabel = 'Đăng nhập', next, onDone } = {}) {
  const submit = h('button', { type: 'submit' }, submitLabel);
  const form = h('form', { novalidate: true, 'aria-label': 'Đăng nhập', 'data-testid': `${idPrefix}-form` },
    errorSummary(),
    field({ name: 'username', id: `${idPrefix}-username`, label: 'Tên đăng nhập', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
    field({ name: 'password', id: `${idPrefix}-password`, label: 'Mật khẩu', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = readForm(form);
    const missing = {};
    if (!values.username) missing.username = ['Vui lòng nhập tên đăng nhập.'];
    if (!values.password) missing.password = ['Vui lòng nhập mật khẩu.'];
    if (Object.keys(missing).length) {
      showErrors(form, { code: 'validation_failed', fields: missing });
      return;
    }
    const restore = busy(submit, 'Đang đăng nhập…');
    try {
      const res = await api('/auth/login', { method: 'POST', body: { username: values.username, password: values.password, session: 'cookie' }, auth: false });
      setSession(res);
      announce(`Đã đăng nhập: ${res.user.full_name}`);
      if (onDone) onDone(res.user);
      else location.href = safeNext(next) || homeFor(res.user);
    } catch (err) {
      showErrors(form, err);
      form.elements.password.value = '';
    } finally {
      restore();
    }
  });
  return form;
}
