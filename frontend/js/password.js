// "Đổi mật khẩu": the signed-in user changes their own password (POST /api/v1/users/{id}/password
// with the old one). Shared by the staff page /can-bo/doi-mat-khau and the citizen account page.
// The change revokes every token issued before it, this tab's included, so the form signs in
// again with the new password and the session goes on.

import { api } from './api.js';
import { clearSession, setSession } from './auth.js';
import { PASSWORD_HINT } from './i18n.js';
import { announce, busy, clearErrors, errorSummary, field, focusEl, h, readForm, showErrors } from './ui.js';

/** Checks the three fields before anything is sent; field → messages. */
function check(v) {
  const errors = {};
  if (!v.old_password) errors.old_password = ['Vui lòng nhập mật khẩu hiện tại.'];
  if (!v.new_password) errors.new_password = ['Vui lòng nhập mật khẩu mới.'];
  else if (v.old_password && v.new_password === v.old_password) errors.new_password = ['Mật khẩu mới phải khác mật khẩu hiện tại.'];
  if (!v.new_password_repeat) errors.new_password_repeat = ['Vui lòng nhập lại mật khẩu mới.'];
  else if (v.new_password && v.new_password !== v.new_password_repeat) errors.new_password_repeat = ['Hai lần nhập mật khẩu mới không khớp nhau.'];
  return errors;
}

/**
 * The form: current password, new password, the new one again. `user` is the signed-in user
 * (`{id, username}`); `onDone(user)` runs after the change with the user signed in again, or
 * with null when that sign-in failed (the session is then ended).
 */
export function passwordForm({ user, idPrefix = 'pw', onDone } = {}) {
  const submit = h('button', { type: 'submit' }, 'Đổi mật khẩu');
  const done = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, 'aria-label': 'Đổi mật khẩu', 'data-testid': 'password-form' },
    errorSummary(),
    // For password managers: whose password this is.
    h('input', { type: 'text', name: 'username_hint', value: user.username, autocomplete: 'username', hidden: true, 'aria-hidden': 'true', tabindex: '-1', disabled: true }),
    field({ name: 'old_password', id: `${idPrefix}-old_password`, label: 'Mật khẩu hiện tại', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    field({ name: 'new_password', id: `${idPrefix}-new_password`, label: 'Mật khẩu mới', type: 'password', required: true, hint: PASSWORD_HINT, attrs: { autocomplete: 'new-password', minlength: 10 } }),
    field({ name: 'new_password_repeat', id: `${idPrefix}-new_password_repeat`, label: 'Nhập lại mật khẩu mới', type: 'password', required: true, attrs: { autocomplete: 'new-password' } }),
    h('div', { class: 'actions' }, submit),
    done);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    done.replaceChildren();
    const v = readForm(form);
    const errors = check(v);
    if (Object.keys(errors).length) {
      showErrors(form, { code: 'validation_failed', fields: errors });
      return;
    }
    clearErrors(form);
    const restore = busy(submit, 'Đang đổi mật khẩu…');
    try {
      await api(`/users/${user.id}/password`, { method: 'POST', body: { old_password: v.old_password, new_password: v.new_password } });
    } catch (err) {
      restore();
      showErrors(form, err);
      return;
    }
    // The old token no longer works: sign in again with the new password.
    let signedIn = null;
    try {
      const res = await api('/auth/login', { method: 'POST', body: { username: user.username, password: v.new_password, session: 'cookie' }, auth: false });
      setSession(res);
      signedIn = res.user;
    } catch {
      clearSession();
    }
    restore();
    form.reset();
    const message = signedIn
      ? 'Đã đổi mật khẩu. Lần đăng nhập sau, hãy dùng mật khẩu mới. Các phiên đăng nhập khác của tài khoản đã hết hiệu lực.'
      : 'Đã đổi mật khẩu. Vui lòng đăng nhập lại bằng mật khẩu mới.';
    const box = h('p', { class: 'alert ok', role: 'status', 'data-testid': 'password-changed' }, message);
    done.replaceChildren(box);
    focusEl(box);
    announce(message);
    if (onDone) onDone(signedIn);
  });
  return form;
}
