// Retention (issue 18) in a real browser, at the desktop and the phone width: the chairman's page
// "Hủy đơn hết hạn lưu" lists the archived petitions whose year of keeping has ended, refuses a
// decision without its number (the field named), destroys the ticked cases on a decision and
// shows them in the register of destroyed cases. With --demo: two cases filed and archived a year
// and more ago through the API (an archiving may be dated back), one destroyed at each width. On
// the empty database: the admin opens the page, empty, at both widths.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP, MODE, PHONE, apiCall, apiToken, byLabel, launch, newPage, passwordOf, shot, staffLogin, text, todayVN,
} from './lib/harness.js';

const HEAD = MODE === 'demo' ? 'chutich' : 'admin';

let browser;
let token;
const due = [];

const daysAgo = (n) => new Date(Date.now() + 7 * 3600 * 1000 - n * 86400 * 1000).toISOString().slice(0, 10);

before(async () => {
  browser = await launch();
  token = await apiToken(HEAD);
  if (MODE !== 'demo') return;
  for (const [n, subject] of [[1, 'Đơn không rõ nội dung về tiếng ồn quán karaoke'], [2, 'Đơn trùng nội dung về lối đi chung tổ 7']]) {
    const view = await apiCall('/petitions', {
      method: 'POST',
      token,
      body: {
        kind: 'feedback', channel: 'post', received_on: daysAgo(400 + n), subject,
        content: 'Thư phản ánh không nêu sự việc cụ thể, không có địa chỉ người gửi.',
        petitioner: { full_name: `Người gửi thử ${n}`, address: 'Phường Mẫu' }, anonymous: false, signatories: 1,
      },
    });
    // Archived 370 days ago: kept until 5 days ago, due now.
    await apiCall(`/petitions/${view.id}/actions`, {
      method: 'POST', token, body: { action: 'archive', reason: 'Không đủ điều kiện xử lý.', on: daysAgo(370 + n) },
    });
    due.push(view.tracking_code);
  }
});
after(async () => { await browser?.close(); });

async function openPage(viewport) {
  const page = await newPage(browser, viewport);
  await staffLogin(page, HEAD, passwordOf(HEAD));
  await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Hủy đơn hết hạn lưu' }).click();
  await page.waitForURL(/\/can-bo\/luu-tru/);
  await page.getByRole('heading', { level: 1, name: 'Hủy đơn hết thời hạn lưu' }).waitFor();
  return page;
}

describe('retention', () => {
  for (const [width, viewport, index] of [['desktop', DESKTOP, 0], ['phone', PHONE, 1]]) {
    test(`the head destroys a case due on a decision, at the ${width} width`, async () => {
      const page = await openPage(viewport);
      if (MODE !== 'demo') {
        await page.getByText('Không có đơn nào đã hết thời hạn lưu.').waitFor();
        await page.getByRole('tab', { name: 'Sổ đơn đã hủy' }).click();
        await page.getByText('Chưa hủy đơn nào.').waitFor();
        await shot(page, `retention-${width}`);
        page.assertClean();
        return;
      }
      const code = due[index];
      const table = page.getByTestId('retention-due');
      await table.waitFor();
      assert.match(await text(table), new RegExp(code));
      // Without the decision's number: refused, the field named, nothing destroyed.
      await page.getByLabel(`Hủy hồ sơ ${code}`).check();
      await page.getByRole('button', { name: 'Hủy các đơn đã chọn' }).click();
      await page.locator('.error-summary [role="alert"]').waitFor();
      assert.match(await text(page.locator('.error-summary')), /Số quyết định hủy/);
      assert.match(await text(table), new RegExp(code), 'still listed');
      await byLabel(page, 'Số quyết định hủy').fill(`${30 + index}/QĐ-UBND`);
      assert.equal(await byLabel(page, 'Ngày quyết định').inputValue(), todayVN());
      await page.getByRole('button', { name: 'Hủy các đơn đã chọn' }).click();
      const done = page.getByTestId('retention-done');
      await done.waitFor();
      assert.match(await text(done), new RegExp(`Đã hủy 1 đơn theo Quyết định số ${30 + index}/QĐ-UBND: ${code}`));
      const rest = page.getByTestId('retention-due');
      if (await rest.count()) assert.doesNotMatch(await text(rest), new RegExp(code), 'listed no more');
      await shot(page, `retention-${width}`);
      await page.getByRole('tab', { name: 'Sổ đơn đã hủy' }).click();
      const register = page.getByTestId('retention-destroyed');
      await register.waitFor();
      const line = register.locator('tbody tr', { hasText: code });
      assert.match(await text(line), new RegExp(`Số ${30 + index}/QĐ-UBND`));
      // The case's own page shows the step in its trail.
      const lines = await apiCall('/retention/destroyed', { token });
      const destroyed = lines.items.find((l) => l.tracking_code === code);
      const trail = await apiCall(`/petitions/${destroyed.id}/events`, { token });
      assert.equal(trail.at(-1).action, 'destroyed');
      await shot(page, `retention-register-${width}`);
      page.assertClean();
    });
  }
});
