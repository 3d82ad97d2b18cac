// A staff member changes their own password (POST /api/v1/users/{id}/password with the old one),
// reached from "Đổi mật khẩu" in the header of every staff page.

import { requireStaff } from '../auth.js';
import { passwordForm } from '../password.js';
import { fill, h, staffFrame } from '../ui.js';

const user = requireStaff();
if (user) {
  staffFrame(user, 'password');
  fill(document.getElementById('app'),
    h('p', { class: 'lead' }, 'Đổi mật khẩu của tài khoản ', h('strong', null, user.username), '. Sau khi đổi, mọi phiên đăng nhập khác của tài khoản (trên máy khác, trình duyệt khác) hết hiệu lực; phiên này tiếp tục với mật khẩu mới.'),
    h('div', { class: 'card' }, passwordForm({ user, idPrefix: 'staff-pw', onDone: (signedIn) => { if (!signedIn) location.href = '/can-bo/dang-nhap'; } })));
}
