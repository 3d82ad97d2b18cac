// The staff workspace in a real browser, one case from the desk to the citizen's rating:
// the admin sets up the office (on an empty database) and the calendar; a receptionist logs a
// visit that opens a case; an inspector accepts it; the unit head assigns it; the inspector
// resolves it; the chairman sees it in the weekly review; the citizen rates it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP, MODE, PHONE, STAFF_PASSWORD, apiCall, byLabel, launch, newPage, passwordOf, shot, staffLogin, text,
} from './lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** What the steps hand on to each other. */
const story = {
  visitor: 'Nguyễn Văn Bình',
  idNumber: '001085012345',
  subject: 'Khiếu nại việc cấp phép xây dựng nhà số 17 ngõ Đình Bảng',
};

const STAFF = [
  ['Nguyễn Văn Hùng', 'chutich', 'Chủ tịch UBND', null],
  ['Trần Thị Mai', 'truongtt', 'Thủ trưởng đơn vị', 'Thanh tra phường'],
  ['Phạm Minh Đức', 'thanhtra1', 'Thanh tra, xử lý đơn', 'Thanh tra phường'],
  ['Vũ Thị Hạnh', 'tiepdan1', 'Cán bộ tiếp công dân', null],
];

async function signedIn(username, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  await staffLogin(page, username, passwordOf(username));
  return page;
}

describe('from the desk to the rating', () => {
  test('the admin sets up the office and the calendar', async () => {
    const page = await signedIn('admin');
    assert.equal(new URL(page.url()).pathname, '/can-bo/quan-tri', 'the admin lands on the administration');
    assert.equal(await text(page.getByTestId('current-user')), 'Quản trị hệ thống Quản trị hệ thống');
    const nav = await text(page.getByRole('navigation', { name: 'Chức năng' }));
    assert.match(nav, /Quản trị/);
    assert.doesNotMatch(nav, /Việc của tôi/, 'the admin has no case work of their own');

    if (MODE === 'empty') {
      // First run: no units, only the admin.
      await page.getByRole('tab', { name: 'Đơn vị' }).click();
      await page.getByText('Chưa có đơn vị nào').waitFor();
      const unitForm = page.getByTestId('new-unit-form');
      await byLabel(unitForm, 'Tên đơn vị').fill('Thanh tra phường');
      await byLabel(unitForm, 'Mã').fill('TTr');
      await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click();
      await page.getByTestId('units-table').getByRole('cell', { name: 'Thanh tra phường', exact: true }).waitFor();
      // A duplicate code is refused with the API's code translated.
      await byLabel(unitForm, 'Tên đơn vị').fill('Thanh tra 2');
      await byLabel(unitForm, 'Mã').fill('TTr');
      await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click();
      await unitForm.getByRole('alert').waitFor();
      assert.match(await text(unitForm.getByRole('alert')), /Mã đơn vị này đã được dùng|đã tồn tại/);

      await page.getByRole('tab', { name: 'Tài khoản cán bộ' }).click();
      const userForm = page.getByTestId('new-user-form');
      await userForm.waitFor();
      assert.equal(await page.getByTestId('users-table').locator('tbody tr').count(), 1, 'only the admin');
      for (const [fullName, username, role, unit] of STAFF) {
        await byLabel(userForm, 'Họ và tên').fill(fullName);
        await byLabel(userForm, 'Tên đăng nhập').fill(username);
        await byLabel(userForm, 'Mật khẩu ban đầu').fill(STAFF_PASSWORD);
        await byLabel(userForm, 'Vai trò').selectOption({ label: role });
        await byLabel(userForm, 'Đơn vị').selectOption({ label: unit ?? '— Không thuộc đơn vị —' });
        await userForm.getByRole('button', { name: 'Tạo tài khoản' }).click();
        await page.locator(`tr[data-username="${username}"]`).waitFor();
      }
    }
    await page.getByRole('tab', { name: 'Tài khoản cán bộ' }).click();
    const table = page.getByTestId('users-table');
    await table.waitFor();
    for (const [fullName, username, role, unit] of STAFF) {
      const row = await text(table.locator(`tr[data-username="${username}"]`));
      assert.match(row, new RegExp(`${fullName} ${username} ${role}`), row);
      if (unit) assert.match(row, new RegExp(unit));
    }
    // The filter ignores diacritics.
    await page.getByLabel('Lọc danh sách').fill('pham minh duc');
    assert.equal(await table.locator('tbody tr').count(), 1);
    await shot(page, 'admin-users-desktop');

    // A special day: saved, listed as the admin's, then removed.
    await page.getByRole('tab', { name: 'Ngày nghỉ, ngày làm bù' }).click();
    const dayForm = page.getByTestId('day-form');
    await byLabel(dayForm, 'Ngày').fill('2027-11-24');
    await byLabel(dayForm, 'Loại ngày').selectOption('holiday');
    await byLabel(dayForm, 'Tên ngày').fill('Ngày Văn hóa Việt Nam');
    await dayForm.getByRole('button', { name: 'Lưu ngày' }).click();
    await page.getByTestId('day-saved').waitFor();
    assert.match(await text(page.getByTestId('day-saved')), /Đã lưu Thứ Tư, 24\/11\/2027: Ngày lễ, Tết\. Đã tính lại hạn của \d+ hồ sơ/);
    const row = page.locator('tr[data-date="2027-11-24"]');
    assert.match(await text(row), /Ngày Văn hóa Việt Nam Do quản trị nhập/);
    await shot(page, 'admin-days-desktop');
    await row.getByRole('button', { name: /Xóa/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Xóa' }).click();
    await page.getByTestId('day-removed').waitFor();
    assert.equal(await row.count(), 0);
    page.assertClean();
    await page.context().close();
  });

  test('a receptionist registers the walk-in, with the repeat warning shown before saving', async () => {
    const page = await signedIn('tiepdan1', PHONE);
    await page.goto('/can-bo/tiep-nhan');
    const form = page.locator('#intake-form');
    await form.waitFor();
    await page.getByLabel(/^Khiếu nại/).check();
    await byLabel(form, 'Tiêu đề (trích yếu)').fill(story.subject);
    await byLabel(form, 'Nội dung đơn').fill('Ông Bình khiếu nại Giấy phép xây dựng số 45/GPXD do UBND phường cấp cho nhà số 17 vì lấn sang phần đất của gia đình ông; đề nghị thu hồi giấy phép.');
    await byLabel(form, 'Họ và tên').fill(story.visitor);
    await byLabel(form, 'Số CCCD / CMND / hộ chiếu').fill(story.idNumber);
    await byLabel(form, 'Địa chỉ').fill('Số 19 ngõ Đình Bảng, phường Mẫu');
    await form.getByRole('button', { name: 'Kiểm tra ngay' }).click();
    await page.getByTestId('no-repeat').waitFor();
    await form.getByRole('button', { name: 'Lưu đơn' }).click();
    const done = page.getByTestId('intake-done');
    await done.waitFor();
    story.code = await text(done.getByTestId('tracking-code'));
    assert.match(story.code, /^TD-/);
    assert.match(await text(done), /Khiếu nại · nhận ngày .* · Đã tiếp nhận/);
    await shot(page, 'intake-done-phone');
    await done.getByRole('link', { name: 'Mở hồ sơ' }).click();
    await page.getByTestId('five-clear').waitFor();
    story.id = Number(new URL(page.url()).searchParams.get('id'));

    // The same person again: the warning names the earlier case before anything is saved.
    await page.goto('/can-bo/tiep-nhan');
    await page.locator('#intake-form').waitFor();
    await byLabel(page, 'Số CCCD / CMND / hộ chiếu').fill(story.idNumber);
    await page.getByRole('button', { name: 'Kiểm tra ngay' }).click();
    const warn = page.getByTestId('repeat-warnings');
    await warn.waitFor();
    assert.match(await text(warn), /Cùng số giấy tờ tùy thân/);
    assert.match(await text(warn), new RegExp(story.code));
    await shot(page, 'intake-repeat-warning-phone');
    page.assertClean();
    await page.context().close();
  });

  test('an inspector finds the new case without diacritics and accepts it', async () => {
    const page = await signedIn('thanhtra1');
    assert.equal(new URL(page.url()).pathname, '/can-bo/');
    await byLabel(page, 'Phạm vi').selectOption('new');
    await page.getByLabel('Tìm kiếm').fill('dinh bang');
    await page.getByRole('button', { name: 'Lọc' }).click();
    const item = page.locator(`[data-testid="case-item"][data-id="${story.id}"]`);
    await item.waitFor();
    assert.equal(await page.getByTestId('case-item').count(), 1, 'the search finds exactly this case');
    assert.match(await text(item), /Đã tiếp nhận/);
    assert.match(await text(item), /Xử lý: chưa phân công/);
    await shot(page, 'inbox-search-desktop');
    await item.getByRole('link').click();

    const actions = page.getByTestId('case-actions');
    await actions.waitFor();
    const offered = await actions.getByRole('button').allInnerTexts();
    assert.ok(offered.includes('Thụ lý'), offered.join(', '));
    assert.ok(!offered.includes('Phân công'), 'an inspector does not assign');
    // The clocks explain themselves.
    const clock = page.locator('[data-clock="complaint_acceptance"]');
    assert.match(await text(clock), /7 ngày làm việc/);
    await clock.getByText('Vì sao hạn là ngày này?').click();
    assert.match(await text(clock), /Không tính các ngày không làm việc|Hạn:/);

    await actions.getByRole('button', { name: 'Thụ lý', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await text(dialog.getByRole('heading')), new RegExp(`Thụ lý — ${story.code}`));
    await dialog.getByRole('button', { name: 'Thụ lý', exact: true }).click();
    await page.getByText('Đã thụ lý. Trạng thái: Đã thụ lý, đang giải quyết.').waitFor();
    assert.match(await text(page.getByTestId('case-badges')), /Đã thụ lý, đang giải quyết/);
    assert.match(await text(page.getByTestId('assignee')), /Chưa phân công người xử lý/);
    await page.locator('[data-clock="complaint_resolution_1"]').waitFor();
    assert.match(await text(page.locator('[data-clock="complaint_resolution_1"]')), /30 ngày/);
    assert.match(await text(page.getByTestId('step')), /Xác minh, giải quyết/);
    assert.match(await text(page.getByTestId('timeline')), /Thụ lý — Phạm Minh Đức/);
    await shot(page, 'case-accepted-desktop');
    page.assertClean();
    await page.context().close();
  });

  test('the unit head assigns it ("5 rõ")', async () => {
    const page = await signedIn('truongtt');
    await page.goto(`/can-bo/ho-so?id=${story.id}`);
    const actions = page.getByTestId('case-actions');
    await actions.getByRole('button', { name: 'Phân công' }).click();
    const dialog = page.getByRole('dialog');
    await byLabel(dialog, 'Đơn vị xử lý').selectOption({ label: 'Thanh tra phường' });
    await byLabel(dialog, 'Người xử lý').selectOption({ label: 'Phạm Minh Đức (Thanh tra, xử lý đơn, Thanh tra phường)' });
    await byLabel(dialog, 'Lãnh đạo phụ trách').selectOption({ label: 'Trần Thị Mai (Thủ trưởng đơn vị)' });
    await byLabel(dialog, 'Kết quả cần đạt').fill('Quyết định giải quyết khiếu nại lần đầu');
    await dialog.getByRole('button', { name: 'Phân công' }).click();
    await page.getByText('Đã phân công.').waitFor();
    const five = page.getByTestId('five-clear');
    assert.equal(await text(page.getByTestId('assignee')), 'Phạm Minh Đức');
    assert.equal(await text(page.getByTestId('unit')), 'Thanh tra phường');
    assert.match(await text(five), /Trần Thị Mai \(lãnh đạo phụ trách\)/);
    assert.match(await text(five), /Quyết định giải quyết khiếu nại lần đầu/);
    await shot(page, 'case-assigned-desktop');
    page.assertClean();
    await page.context().close();
  });

  test('the inspector resolves it from "my work"', async () => {
    const page = await signedIn('thanhtra1', PHONE);
    const item = page.locator(`[data-testid="case-item"][data-id="${story.id}"]`);
    await item.waitFor();
    assert.match(await text(item), /Xử lý: Phạm Minh Đức \(Thanh tra phường\)/);
    await item.getByRole('link').click();
    await page.getByTestId('case-actions').getByRole('button', { name: 'Giải quyết xong' }).click();
    const dialog = page.getByRole('dialog');
    await byLabel(dialog, 'Kết quả giải quyết').fill('Quyết định số 88/QĐ-UBND: giữ nguyên Giấy phép xây dựng số 45/GPXD.');
    // A complaint needs its conclusion: the API's field error shows beside the field.
    await dialog.getByRole('button', { name: 'Giải quyết xong' }).click();
    await dialog.locator('#f-conclusion-error').waitFor();
    await byLabel(dialog, 'Kết luận nội dung khiếu nại').selectOption('wrong');
    await dialog.getByRole('button', { name: 'Giải quyết xong' }).click();
    await page.getByText('Trạng thái: Đã giải quyết.').waitFor();
    assert.match(await text(page.getByTestId('case-badges')), /Đã giải quyết/);
    assert.equal(await page.getByTestId('no-actions').count() + await page.getByTestId('case-actions').count(), 1);
    const trail = await page.getByTestId('timeline').locator('li[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
    assert.deepEqual(trail.filter((a) => ['receive', 'accept', 'assign', 'resolve'].includes(a)), ['receive', 'accept', 'assign', 'resolve']);
    assert.match(await text(page.getByTestId('timeline')), /Kết luận: Sai toàn bộ/);
    await shot(page, 'case-resolved-phone');
    page.assertClean();
    await page.context().close();
  });

  test('the citizen rates the closed case, once', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto(`/tra-cuu?ma=${story.code}`);
    const status = page.getByTestId('case-status');
    await status.waitFor();
    assert.match(await text(status), /Đã giải quyết/);
    assert.match(await text(page.getByTestId('next-due')), /Đã kết thúc xử lý/);
    const form = page.getByTestId('rating-form');
    await form.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await form.getByText('Vui lòng chọn mức độ hài lòng.').first().waitFor();
    await form.getByLabel('Hài lòng (4/5)').check();
    await byLabel(form, 'Ý kiến thêm').fill('Cán bộ giải thích rõ ràng.');
    await form.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByTestId('rating-done').waitFor();
    assert.match(await text(page.getByTestId('rating-done')), /Cảm ơn bạn đã đánh giá/);
    await shot(page, 'rated-phone');
    await page.reload();
    await page.getByTestId('rating-form').getByLabel('Rất hài lòng (5/5)').check();
    await page.getByTestId('rating-form').getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByText('Hồ sơ này đã được đánh giá trước đó').waitFor();
    page.assertClean();
    await page.context().close();
    const tracked = await apiCall(`/public/petitions/${story.code}`);
    assert.equal(tracked.status, 'resolved');
  });
});
