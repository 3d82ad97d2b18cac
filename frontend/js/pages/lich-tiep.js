// The public reception schedule (GET /api/v1/public/reception-schedule): when and where the
// chairman receives citizens, with the iCalendar feed (…/reception-schedule.ics) for phones.

import { api } from '../api.js';
import { addDays, fmtDate, todayVN } from '../format.js';
import { SESSION_STATUSES } from '../i18n.js';
import { announce, emptyEl, errorBox, fill, h, loadingEl, portalFrame } from '../ui.js';

portalFrame('schedule');
const app = document.getElementById('app');
const list = h('div', { id: 'schedule-list', 'aria-live': 'polite' }, loadingEl('Đang tải lịch tiếp…'));

fill(app,
  h('p', { class: 'lead' }, 'Chủ tịch Ủy ban nhân dân tiếp công dân định kỳ ít nhất một ngày mỗi tuần (Luật Tiếp công dân 2013, Điều 15). Ngoài lịch này, cán bộ tiếp công dân tiếp thường xuyên vào tất cả các ngày làm việc.'),
  h('div', { class: 'actions' },
    h('a', { class: 'button', href: '/api/v1/public/reception-schedule.ics', download: 'lich-tiep-cong-dan.ics', 'data-testid': 'ics-link' }, 'Thêm vào lịch điện thoại (.ics)'),
    h('a', { class: 'button secondary', href: '/gui-don' }, 'Gửi đơn trực tuyến')),
  h('p', { class: 'muted small' }, 'Tệp .ics mở được bằng ứng dụng Lịch trên điện thoại, Outlook, Google Calendar. Khi trùng ngày nghỉ lễ, buổi tiếp được chuyển sang ngày làm việc khác theo lịch đã công bố (ngày làm việc kế tiếp, hoặc một ngày làm việc khác trong cùng tuần).'),
  h('h2', { id: 'schedule-title' }, 'Lịch 90 ngày tới'),
  list);

(async () => {
  const from = todayVN();
  try {
    const sessions = await api('/public/reception-schedule', { params: { from, to: addDays(from, 90) }, auth: false });
    if (!sessions.length) {
      fill(list, emptyEl('Chưa có lịch tiếp công dân được công bố trong thời gian này.'));
      return;
    }
    fill(list, h('ul', { class: 'case-list', 'aria-labelledby': 'schedule-title' }, sessions.map((s) => h('li', { class: 'case-item', 'data-testid': 'schedule-item', 'data-id': s.id },
      h('div', { class: 'badges' },
        h('span', { class: 'badge open' }, s.kind_label),
        s.status !== 'scheduled' ? h('span', { class: `badge ${s.status === 'cancelled' ? 'overdue' : 'neutral'}` }, SESSION_STATUSES[s.status] ?? s.status) : null),
      h('h3', null, `${s.weekday}, ${fmtDate(s.date)}`),
      h('div', { class: 'meta' },
        s.host_name ? h('span', null, `Người tiếp: ${s.host_name}`) : null,
        h('span', { 'data-testid': 'schedule-hours' }, `Giờ tiếp: ${s.hours_label}`),
        h('span', { 'data-testid': 'schedule-place' }, `Địa điểm: ${s.location}`),
        s.meeting_link ? h('span', null, 'Trực tuyến: ', h('a', { href: s.meeting_link, rel: 'noopener' }, 'đường dẫn tham gia')) : null),
      s.expected_content ? h('p', { class: 'small' }, `Nội dung dự kiến: ${s.expected_content}`) : null))));
    announce(`Có ${sessions.length} buổi tiếp công dân trong 90 ngày tới.`);
  } catch (err) {
    fill(list, errorBox(err));
  }
})();
