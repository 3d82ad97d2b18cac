// The admin's view of the outbox (GET /api/v1/outbox): each message to citizens and staff with
// where it stands (waiting, sent, failed), how many tries, the mail server's or gateway's last
// error, and the recipient masked. What a message says is never shown here.

import { api, query } from '../api.js';
import { fmtDateTime } from '../format.js';
import { errorBox, emptyEl, fill, h, loadingEl } from '../ui.js';

/** What each message is about, as the admin reads it. */
export const MESSAGE_KINDS = {
  received: 'Đã tiếp nhận đơn',
  accepted: 'Thụ lý',
  refused: 'Không thụ lý',
  guided: 'Hướng dẫn gửi đơn',
  forwarded: 'Chuyển đơn',
  extended: 'Gia hạn',
  suspended: 'Tạm đình chỉ',
  resumed: 'Tiếp tục giải quyết',
  terminated: 'Đình chỉ',
  resolved: 'Kết quả giải quyết',
  due_moved: 'Thời hạn thay đổi (lịch nghỉ)',
  assigned: 'Giao hồ sơ (cán bộ)',
  digest: 'Bản tin hằng ngày (cán bộ)',
};

const CHANNELS = { email: 'Thư điện tử', sms: 'Tin nhắn SMS' };
const STATES = {
  pending: ['Đang chờ gửi', 'neutral'],
  sent: ['Đã gửi', 'closed'],
  failed: ['Gửi không được', 'overdue'],
};
const PER_PAGE = 50;

/** The outbox tab: a status filter, the newest messages first, and "older" paging. */
export async function outboxTab(panel) {
  const status = h('select', { id: 'outbox-status', name: 'status' },
    h('option', { value: '' }, 'Tất cả'),
    Object.entries(STATES).map(([v, [label]]) => h('option', { value: v }, label)));
  const list = h('div', { 'aria-live': 'polite', 'data-testid': 'outbox-list' });
  const more = h('div', { class: 'actions' });
  let before = null;
  const load = async (append) => {
    if (!append) { before = null; fill(list, loadingEl()); }
    let items;
    try {
      items = await api(`/outbox${query({ status: status.value, before, per_page: PER_PAGE })}`);
    } catch (err) {
      fill(list, errorBox(err));
      return;
    }
    if (!append) fill(list);
    if (!items.length && !append) {
      fill(list, emptyEl(status.value ? 'Không có thư hoặc tin nhắn nào ở tình trạng này.' : 'Chưa có thư hoặc tin nhắn nào.'));
      fill(more);
      return;
    }
    let table = list.querySelector('tbody');
    if (!table) {
      list.append(h('div', { class: 'table-wrap' }, h('table', { class: 'stack', 'data-testid': 'outbox-table' },
        h('caption', null, 'Thư và tin nhắn gửi đi, mới nhất trước'),
        h('thead', null, h('tr', null, ['Tạo lúc', 'Nội dung', 'Kênh', 'Người nhận', 'Tình trạng', 'Số lần gửi', 'Lỗi gần nhất']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody'))));
      table = list.querySelector('tbody');
    }
    for (const m of items) {
      const [label, tone] = STATES[m.status] ?? [m.status, 'neutral'];
      table.append(h('tr', { 'data-id': m.id, 'data-status': m.status },
        h('td', { 'data-label': 'Tạo lúc' }, fmtDateTime(m.created_at)),
        h('td', { 'data-label': 'Nội dung' }, MESSAGE_KINDS[m.kind] ?? m.kind,
          m.petition_id ? [' — ', h('a', { href: `/can-bo/ho-so?id=${m.petition_id}` }, 'hồ sơ')] : null),
        h('td', { 'data-label': 'Kênh' }, CHANNELS[m.channel] ?? m.channel),
        h('td', { 'data-label': 'Người nhận' }, m.recipient),
        h('td', { 'data-label': 'Tình trạng' }, h('span', { class: `badge ${tone}` }, label),
          m.sent_at ? h('span', { class: 'small muted' }, ` ${fmtDateTime(m.sent_at)}`)
            : m.status === 'pending' ? h('span', { class: 'small muted' }, ` lần tới ${fmtDateTime(m.next_attempt_at)}`) : null),
        h('td', { 'data-label': 'Số lần gửi' }, String(m.attempts)),
        h('td', { 'data-label': 'Lỗi gần nhất' }, m.last_error ?? '—')));
    }
    before = items.length ? items[items.length - 1].id : before;
    fill(more, items.length === PER_PAGE
      ? h('button', { type: 'button', class: 'secondary', onclick: () => load(true) }, 'Xem các thư cũ hơn')
      : null);
  };
  status.addEventListener('change', () => load(false));
  fill(panel,
    h('h2', null, 'Thư và tin nhắn gửi đi'),
    h('p', { class: 'small muted' }, 'Thư điện tử và tin nhắn báo cho công dân từng bước của hồ sơ và cho cán bộ việc được giao. Thư chưa gửi được sẽ tự gửi lại (sau 1 phút, rồi lâu dần tới 6 giờ, tối đa 12 lần). Người nhận được che bớt; nội dung thư không hiển thị ở đây.'),
    h('div', { class: 'field' }, h('label', { for: 'outbox-status' }, 'Tình trạng'), status),
    list, more);
  await load(false);
}
