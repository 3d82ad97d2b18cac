// Issue 17's new flows in the browser, at desktop and phone width: the admin follows the
// messages to citizens and staff in the outbox (where each stands, the recipient masked, never
// the text), and a citizen who filed before having an account claims the petition with its code
// and the phone it was filed with.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP, PHONE, apiCall, apiToken, byLabel, fitsWidth, launch, newPage, passwordOf, shot, staffLogin, text,
} from './lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A petition filed on the portal by someone without an account. */
async function fileOnPortal(contact) {
  return apiCall('/public/petitions', {
    method: 'POST',
    body: {
      kind: 'feedback', subject: 'Rác thải tồn đọng ở ngõ 7', content: 'Rác ở đầu ngõ 7 không được thu gom ba ngày nay.',
      petitioner: { full_name: 'Đinh Thị Hoa', address: 'Số 2 ngõ 7, phường Mẫu', ...contact },
    },
  });
}

describe('issue 17: the outbox and claiming a filing', () => {
  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    test(`the admin sees each message waiting, the recipient masked and no text (${width})`, async () => {
      const filed = await fileOnPortal({ email: `hoa.dinh.${width}@example.vn` });
      const page = await newPage(browser, viewport);
      await staffLogin(page, 'admin', passwordOf('admin'));
      await page.goto('/can-bo/quan-tri#outbox');
      const table = page.getByTestId('outbox-table');
      await table.waitFor();
      // The newest first: the receipt of that filing, by e-mail, waiting for a mail server
      // (none is configured here).
      const outbox = await apiCall('/outbox?per_page=5', { token: await apiToken('admin') });
      const mail = outbox.find((m) => m.channel === 'email' && m.kind === 'received');
      assert.ok(mail, JSON.stringify(outbox));
      const row = table.locator(`tr[data-id="${mail.id}"]`);
      await row.waitFor();
      const said = await text(row);
      assert.match(said, /Đã tiếp nhận đơn/);
      assert.match(said, /Thư điện tử/);
      assert.match(said, /\*\*\*@example\.vn/);
      assert.match(said, /Đang chờ gửi/);
      assert.doesNotMatch(await text(page.locator('main')), /hoa\.dinh|Rác thải|Đinh Thị Hoa/, 'no recipient nor text in the list');
      assert.doesNotMatch(await text(page.locator('main')), new RegExp(filed.tracking_code), 'no tracking code either');
      if (width === 'phone') await fitsWidth(page);
      await shot(page, `outbox-${width}`);
      // Sent ones only: that message is not among them.
      await byLabel(page, 'Tình trạng').selectOption('sent');
      await page.locator(`[data-testid="outbox-list"] .empty, [data-testid="outbox-table"]`).first().waitFor();
      assert.equal(await page.locator(`tr[data-id="${mail.id}"]`).count(), 0);
      page.assertClean();
      await page.context().close();
    });
  }

  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    test(`a citizen claims a petition filed before having an account (${width})`, async () => {
      const filed = await fileOnPortal({ phone: '0912 345 678' });
      const page = await newPage(browser, viewport);
      await page.goto('/tai-khoan');
      const form = page.getByTestId('register-form');
      await byLabel(form, 'Họ và tên').fill('Đinh Thị Hoa');
      await byLabel(form, 'Tên đăng nhập').fill(`hoa${width}${Date.now().toString(36)}`);
      await byLabel(form, 'Mật khẩu').fill('Hoa-Dinh-ngo-7-2026');
      await form.getByRole('button', { name: 'Đăng ký' }).click();
      await page.getByTestId('citizen-name').waitFor();
      const claim = page.getByTestId('claim-form');
      // A wrong phone finds nothing, saying so beside the form.
      await byLabel(claim, 'Mã hồ sơ').fill(filed.tracking_code);
      await byLabel(claim, 'Số điện thoại hoặc thư điện tử đã ghi khi gửi đơn').fill('0987 654 321');
      await claim.getByRole('button', { name: 'Nhận đơn vào tài khoản' }).click();
      await claim.getByText(/Không tìm thấy đơn khớp mã hồ sơ/).waitFor();
      // The phone as it was filed, written another way: the petition joins the list.
      await byLabel(claim, 'Số điện thoại hoặc thư điện tử đã ghi khi gửi đơn').fill('+84912345678');
      await claim.getByRole('button', { name: 'Nhận đơn vào tài khoản' }).click();
      const mine = page.getByTestId('my-petition');
      await mine.first().waitFor();
      assert.match(await text(mine.first()), new RegExp(filed.tracking_code));
      if (width === 'phone') await fitsWidth(page);
      await shot(page, `claim-${width}`);
      page.assertClean();
      await page.context().close();
    });
  }
});
