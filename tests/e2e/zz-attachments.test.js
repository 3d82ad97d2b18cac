// Attachments in a real browser (issue 17), at desktop and phone widths: the chairman registers a
// case and attaches a PDF on its page, sees it listed with who added it and when, downloads it
// byte for byte and finds it in the trail, and a file of another type is refused in Vietnamese; a
// citizen attaches files with the petition on the portal and more from the receipt.
// Runs after workflow.test.js (hence its name): on an empty database it uses the chairman that
// test creates (whose password it leaves as it was, unlike the receptionist's).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, apiCall, apiToken, byLabel, launch, newPage, passwordOf, shot, staffLogin, text, todayVN } from './lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDTHS = [['desktop', DESKTOP], ['phone', PHONE]];

/** A small PDF-looking file whose first bytes are a PDF's. */
const pdf = (words) => Buffer.from(`%PDF-1.4\n% ${words}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`, 'utf8');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

describe('attachments', () => {
  test('an officer attaches a PDF on the case page and downloads it', async () => {
    const desk = await apiToken('chutich');
    for (const [width, viewport] of WIDTHS) {
      const subject = `Kiến nghị sửa mặt đường tổ 7 (${width})`;
      const v = await apiCall('/petitions', {
        method: 'POST',
        token: desk,
        body: {
          kind: 'recommendation', channel: 'in_person', received_on: todayVN(), subject,
          content: 'Mặt đường bê tông tổ 7 bị sụt lún sau mưa, đề nghị phường kiểm tra, sửa chữa.',
          petitioner: { full_name: 'Đỗ Văn Lâm', address: 'Tổ 7, phường Mẫu' }, anonymous: false, signatories: 1,
        },
      });
      const page = await newPage(browser, viewport);
      await staffLogin(page, 'chutich', passwordOf('chutich'));
      await page.goto(`/can-bo/ho-so?id=${v.id}`);
      const card = page.getByTestId('attachments');
      await card.getByText('Chưa có tài liệu đính kèm.').waitFor();
      assert.equal(await text(card.getByRole('heading', { level: 2 })), 'Tài liệu đính kèm');

      // A GIF is refused before it is sent, in Vietnamese; the PDF goes in.
      const content = pdf(`Biên bản kiểm tra hiện trạng tổ 7 (${width})`);
      const name = `Biên bản kiểm tra – tổ 7 (${width}).pdf`;
      await byLabel(card, 'Thêm tài liệu, ảnh chụp').setInputFiles([
        { name: 'anh-dong.gif', mimeType: 'image/gif', buffer: GIF },
        { name, mimeType: 'application/pdf', buffer: content },
      ]);
      await card.getByRole('button', { name: 'Tải lên' }).click();
      const list = page.getByTestId('attachment-list');
      await list.getByText(name).waitFor();
      const result = page.getByTestId('upload-results');
      assert.match(await text(result.locator('li[data-file="anh-dong.gif"]')), /Chỉ nhận tệp PDF, ảnh JPEG hoặc PNG/);
      assert.match(await text(result.locator(`li[data-file="${name}"]`)), /Đã nhận\./);
      assert.match(await text(page.locator('#action-result')), /Đã đính kèm 1 tệp vào hồ sơ\./);
      const line = await text(list.locator('li').first());
      assert.match(line, /Tài liệu PDF · \d+ byte · Thêm bởi .+ · \d{2}\/\d{2}\/\d{4}/);
      // The trail records it.
      assert.match(await text(page.getByTestId('timeline')), /Đính kèm tài liệu/);
      await shot(page, `case-attachments-${width}`);
      // The printed case file lists the document, without the upload form and the buttons.
      await page.emulateMedia({ media: 'print' });
      assert.ok(await list.getByText(name).isVisible(), 'the document is in the printed file');
      assert.ok(!(await page.getByTestId('print-case').isVisible()) && !(await card.getByRole('button', { name: 'Tải lên' }).isVisible()));
      await page.emulateMedia({ media: 'screen' });

      // Downloaded with the session, byte for byte, under its Vietnamese name.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        list.getByRole('button', { name: 'Tải về' }).first().click(),
      ]);
      assert.equal(download.suggestedFilename(), name);
      assert.deepEqual(await readFile(await download.path()), content);
      page.assertClean();
      await page.context().close();
    }
  });

  test('a citizen attaches files with the petition and more from the receipt', async () => {
    for (const [width, viewport] of WIDTHS) {
      const page = await newPage(browser, viewport);
      await page.goto('/gui-don');
      await page.getByLabel(/^Phản ánh/).check();
      await byLabel(page, 'Tiêu đề').fill(`Rác thải đổ trộm ở bãi đất trống tổ 2 (${width})`);
      await byLabel(page, 'Nội dung trình bày').fill('Có người đổ trộm rác thải xây dựng ở bãi đất trống tổ 2 vào ban đêm, đề nghị phường xử lý.');
      await byLabel(page, 'Họ và tên').fill('Ngô Thị Lan');
      await byLabel(page, 'Địa chỉ liên hệ').fill('Tổ 2, phường Mẫu');
      await page.getByLabel(/Tôi cam đoan/).check();
      // A file that is not one of the accepted types is caught beside its field before filing.
      const files = page.getByTestId('filing-files');
      await files.setInputFiles([{ name: 'video.gif', mimeType: 'image/gif', buffer: GIF }]);
      await page.getByRole('button', { name: 'Gửi đơn' }).click();
      await page.locator('#f-files-error').waitFor();
      assert.match(await text(page.locator('#f-files-error')), /video\.gif: Chỉ nhận tệp PDF/);
      await files.setInputFiles([
        { name: 'Ảnh bãi rác.png', mimeType: 'image/png', buffer: PNG },
        { name: 'Đơn phản ánh.pdf', mimeType: 'application/pdf', buffer: pdf('Đơn phản ánh của bà Lan') },
      ]);
      await page.getByRole('button', { name: 'Gửi đơn' }).click();
      const receipt = page.getByTestId('filing-receipt');
      await receipt.waitFor();
      const code = await text(page.getByTestId('tracking-code'));

      // The chosen files go right after the petition; one more from the receipt.
      const sent = page.getByTestId('filing-attachments');
      const results = sent.getByTestId('upload-results');
      await results.locator('li.done').nth(1).waitFor();
      assert.match(await text(results), /Ảnh bãi rác\.png.*Đã nhận\..*Đơn phản ánh\.pdf.*Đã nhận\./);
      await byLabel(sent, 'Chọn thêm tệp').setInputFiles([{ name: 'Ảnh thêm.png', mimeType: 'image/png', buffer: PNG }]);
      await sent.getByRole('button', { name: 'Gửi tệp' }).click();
      await results.locator('li.done').first().waitFor();
      assert.match(await text(results), /Ảnh thêm\.png.*Đã nhận\./);
      await shot(page, `portal-attachments-${width}`);
      page.assertClean();
      await page.context().close();

      // The officers see the three files as the citizen's.
      const desk = await apiToken('chutich');
      const found = await apiCall(`/petitions?q=${encodeURIComponent('đổ trộm')}&per_page=200`, { token: desk });
      const kase = found.items.find((p) => p.tracking_code === code);
      assert.ok(kase, `the case ${code} is in the register`);
      const attached = await apiCall(`/petitions/${kase.id}/attachments`, { token: desk });
      assert.deepEqual(attached.map((a) => [a.name, a.content_type, a.by_citizen]), [
        ['Ảnh bãi rác.png', 'image/png', true],
        ['Đơn phản ánh.pdf', 'application/pdf', true],
        ['Ảnh thêm.png', 'image/png', true],
      ]);
    }
  });
});
