// The landing page: the portal's entries and the staff sign-in.

import { getUser, homeFor, isStaff } from '../auth.js';
import { loginForm } from '../login.js';
import { fill, h, portalFrame } from '../ui.js';

portalFrame(null);
const box = document.getElementById('staff-login');
const user = getUser();
if (user && isStaff(user)) {
  fill(box, h('p', null, `Bạn đang đăng nhập: ${user.full_name}.`), h('p', null, h('a', { class: 'button', href: homeFor(user) }, 'Vào không gian làm việc')));
} else {
  fill(box, loginForm({ idPrefix: 'staff' }));
}
