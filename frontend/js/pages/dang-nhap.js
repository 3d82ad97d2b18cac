// Staff sign-in (POST /api/v1/auth/login): the session cookie holds the token for every tab, and
// the user goes back to the page that asked for it, or to their role's home page.

import { getUser, homeFor, isStaff } from '../auth.js';
import { loginForm } from '../login.js';
import { fill, h, portalFrame } from '../ui.js';

portalFrame(null);
const app = document.getElementById('app');
const params = new URLSearchParams(location.search);
const user = getUser();
if (user && isStaff(user) && !params.has('het-han')) {
  location.replace(homeFor(user));
} else {
  fill(app,
    params.has('het-han') ? h('p', { class: 'alert warn', role: 'alert' }, 'Phiên đăng nhập đã hết hạn hoặc tài khoản đã thay đổi. Vui lòng đăng nhập lại.') : null,
    h('div', { class: 'card' }, loginForm({ idPrefix: 'staff', next: params.get('next') })),
    h('p', { class: 'muted small' }, 'Công dân gửi đơn, tra cứu hồ sơ tại ', h('a', { href: '/' }, 'cổng công dân'), '.'));
}
