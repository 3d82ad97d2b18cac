// The staff workspace in a real browser, one case from the desk to the citizen's rating:
// the admin sets up the office (on an empty database) and the calendar; a receptionist logs a
// visit that opens a case; an inspector accepts it from the pool (and becomes its handler); the
// unit head assigns it with its leader and expected result ("5 rõ"); the inspector resolves it; the
// chairman sees it in the weekly review; the citizen rates it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL, DESKTOP, MODE, PHONE, STAFF_PASSWORD, apiCall, apiToken, byLabel, launch, newPage, passwordOf, shot, staffLogin, text, todayVN,
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

/** The ISO week of a date, `2026-W48`. */
function isoWeek(iso) {
  const t = new Date(`${iso}T00:00:00Z`);
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const year = t.getUTCFullYear();
  return `${year}-W${String(Math.ceil(((t - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7)).padStart(2, '0')}`;
}

/** The Monday of an ISO week. */
function mondayOf(week) {
  const [y, w] = week.split('-W').map(Number);
  const jan4 = Date.UTC(y, 0, 4);
  const day = new Date(jan4).getUTCDay() || 7;
  return new Date(jan4 + ((w - 1) * 7 + 1 - day) * 86400000).toISOString().slice(0, 10);
}

/** Today, or the last working day before it (a regular session is held on a working day). */
async function lastWorkingDay() {
  let day = todayVN();
  const special = new Map();
  for (const year of [Number(day.slice(0, 4)) - 1, Number(day.slice(0, 4))]) {
    for (const d of await apiCall(`/calendar/days?year=${year}`)) special.set(d.date, d.kind);
  }
  for (;;) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const kind = special.get(day);
    const working = kind ? kind === 'working_day' : weekday !== 0 && weekday !== 6;
    if (working) return day;
    day = new Date(Date.parse(`${day}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
  }
}

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
    // One's own password is changed with the old one, not reset: the admin's row offers no reset.
    const own = table.locator('tr[data-username="admin"]');
    assert.equal(await own.getByRole('button', { name: /Đặt lại mật khẩu/ }).count(), 0, 'no reset on one\'s own row');
    assert.equal(await own.getByRole('link', { name: 'Đổi mật khẩu của bạn' }).getAttribute('href'), '/can-bo/doi-mat-khau');
    assert.equal(await table.locator('tr[data-username="thanhtra1"]').getByRole('button', { name: /Đặt lại mật khẩu/ }).count(), 1);
    // The filter ignores diacritics.
    await page.getByLabel('Lọc danh sách').fill('pham minh duc');
    assert.equal(await table.locator('tbody tr').count(), 1);
    await shot(page, 'admin-users-desktop');

    // The chairman's schedule rule: every Thursday by default, its next sessions listed.
    await page.getByRole('tab', { name: 'Lịch tiếp công dân' }).click();
    const rule = page.getByTestId('rule-form').filter({ hasText: 'Nguyễn Văn Hùng' });
    await rule.waitFor();
    assert.equal(await byLabel(rule, 'Ngày trong tuần').inputValue(), '4');
    assert.match(await text(rule.getByTestId('rule-upcoming')), /Các buổi tiếp sắp tới: Thứ (Năm|Sáu)/);
    await byLabel(rule, 'Địa điểm').fill('Phòng tiếp công dân, trụ sở UBND phường');
    await rule.getByRole('button', { name: 'Lưu lịch' }).click();
    await rule.getByTestId('rule-saved').waitFor();
    assert.equal(await text(rule.getByTestId('rule-saved')), 'Đã lưu: Thứ Năm hằng tuần.');
    // Monthly is below a commune chairman's weekly minimum: refused with the article, in
    // Vietnamese, until a reason is given; then kept and flagged with it.
    await byLabel(rule, 'Chu kỳ').selectOption('month');
    await rule.getByRole('button', { name: 'Lưu lịch' }).click();
    await rule.locator('.error-summary .alert.error').waitFor();
    assert.match(await text(rule.locator('.error-summary')), /ít nhất 01 ngày trong 01 tuần \(điểm d khoản 2 Điều 15 Luật Tiếp công dân 2013\)/);
    assert.equal(await byLabel(rule, 'Lý do (khi lịch thấp hơn mức tối thiểu)').getAttribute('aria-invalid'), 'true');
    await byLabel(rule, 'Lý do (khi lịch thấp hơn mức tối thiểu)').fill('Chủ tịch đi học tập trung trong tháng này.');
    await rule.getByRole('button', { name: 'Lưu lịch' }).click();
    await rule.getByTestId('rule-below-minimum').waitFor();
    assert.match(await text(rule.getByTestId('rule-below-minimum')), /Lý do đã ghi: Chủ tịch đi học tập trung trong tháng này\./);
    await shot(page, 'admin-rule-below-minimum-desktop');
    // Back to every Thursday, kept inside its week off a holiday: the flag goes.
    await byLabel(rule, 'Chu kỳ').selectOption('week');
    await byLabel(rule, 'Trùng ngày nghỉ').selectOption('same_week');
    await byLabel(rule, 'Lý do (khi lịch thấp hơn mức tối thiểu)').fill('');
    await rule.getByRole('button', { name: 'Lưu lịch' }).click();
    await rule.getByTestId('rule-below-minimum').waitFor({ state: 'detached' });
    assert.equal(await text(rule.getByTestId('rule-saved')), 'Đã lưu: Thứ Năm hằng tuần.');
    assert.equal(await rule.locator('.error-summary .alert').count(), 0, 'the earlier refusal is cleared');
    await byLabel(rule, 'Trùng ngày nghỉ').selectOption('next_working_day');
    const back = page.waitForResponse((r) => r.url().includes('/api/v1/reception-rules/') && r.request().method() === 'PUT');
    await rule.getByRole('button', { name: 'Lưu lịch' }).click();
    assert.equal((await back).status(), 200);

    // A special day: saved, listed as the admin's, then removed.
    await page.getByRole('tab', { name: 'Ngày nghỉ, ngày làm bù' }).click();
    const dayForm = page.getByTestId('day-form');
    await byLabel(dayForm, 'Ngày').fill('2027-11-24');
    await byLabel(dayForm, 'Loại ngày').selectOption('holiday');
    await byLabel(dayForm, 'Tên ngày').fill('Ngày Văn hóa Việt Nam');
    await dayForm.getByRole('button', { name: 'Lưu ngày' }).click();
    // The change recomputes due dates: asked first, saying how many cases it may move.
    const ask = page.getByRole('dialog');
    await ask.getByRole('heading', { name: /^Lưu Thứ Tư, 24\/11\/2027/ }).waitFor();
    assert.match(await text(ask), /hồ sơ/);
    await ask.getByRole('button', { name: 'Đồng ý, lưu và tính lại hạn' }).click();
    await page.getByTestId('day-saved').waitFor();
    assert.match(await text(page.getByTestId('day-saved')), /Đã lưu Thứ Tư, 24\/11\/2027: Ngày lễ, Tết\. Đã tính lại hạn của \d+ hồ sơ/);
    const row = page.locator('tr[data-date="2027-11-24"]');
    assert.match(await text(row), /Ngày Văn hóa Việt Nam Do quản trị nhập/);
    await shot(page, 'admin-days-desktop');
    await row.getByRole('button', { name: /Xóa/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Xóa và tính lại hạn' }).click();
    await page.getByTestId('day-removed').waitFor();
    assert.equal(await row.count(), 0);
    page.assertClean();
    await page.context().close();
  });

  test('a receptionist logs a visit at the desk that opens a case', async () => {
    story.sessionDate = await lastWorkingDay();
    const page = await signedIn('tiepdan1', PHONE);
    await page.getByRole('link', { name: 'Tiếp công dân', exact: true }).click();
    const open = page.getByTestId('open-session-form');
    await open.waitFor();
    await byLabel(open, 'Hình thức').selectOption('regular');
    await byLabel(open, 'Ngày tiếp').fill(story.sessionDate);
    await open.getByRole('button', { name: 'Mở buổi tiếp' }).click();
    const head = page.getByTestId('session-head');
    await head.waitFor();
    assert.match(await text(page.getByRole('heading', { level: 1 })), /Tiếp công dân thường xuyên — .*, \d{2}\/\d{2}\/\d{4}/);
    assert.match(await text(head), /Vũ Thị Hạnh/);

    const form = page.locator('#visit-form');
    // The summary is required: the API's field error shows beside it.
    await byLabel(form, 'Họ và tên công dân').fill(story.visitor);
    await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
    await form.locator('#f-summary-error').waitFor();
    await byLabel(form, 'Số CCCD / CMND').fill(story.idNumber);
    await byLabel(form, 'Địa chỉ').fill('Số 19 ngõ Đình Bảng, phường Mẫu');
    await form.getByLabel('Khiếu nại (KN)').check();
    await byLabel(form, 'Tóm tắt nội dung trình bày').fill('Ông Bình khiếu nại Giấy phép xây dựng số 45/GPXD do UBND phường cấp cho nhà số 17 vì lấn sang phần đất của gia đình ông; đề nghị thu hồi giấy phép.');
    await byLabel(form, 'Tiêu đề hồ sơ (nếu mở hồ sơ)').fill(story.subject);
    assert.ok(await form.getByLabel('Tiếp nhận đơn, mở hồ sơ').isChecked(), 'opening a case is the default');
    await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
    const saved = page.getByTestId('visit-saved');
    await saved.waitFor();
    story.code = await text(saved.getByTestId('opened-code'));
    assert.match(story.code, /^TD-/);
    assert.match(await text(saved), /Đã ghi lượt tiếp số \d+\/\d{4}: Nguyễn Văn Bình\. Đã mở hồ sơ TD-/);
    const row = page.getByTestId('visits-table').locator('tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(await text(row), /Nguyễn Văn Bình .* KN .*1 Mở hồ sơ/);
    assert.equal(await byLabel(form, 'Họ và tên công dân').inputValue(), '', 'the form is ready for the next visitor');
    assert.equal(await text(page.getByTestId('session-status')), 'Đã tiếp');
    // The book's lines, a card each, fit the phone (a hidden caption once widened the page).
    const [wide, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(wide <= inner + 1, `the page is ${wide}px wide in a ${inner}px window`);
    await shot(page, 'desk-visit-phone');
    await saved.getByRole('link', { name: /Mở hồ sơ/ }).click();
    await page.getByTestId('five-clear').waitFor();
    story.id = Number(new URL(page.url()).searchParams.get('id'));
    assert.match(await text(page.getByTestId('timeline')), /Công dân đến trình bày/);

    // The same person at the intake form: the warning names the case before anything is saved.
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
    await page.locator('#action-result').getByText('Đã thụ lý. Trạng thái: Đã thụ lý, đang giải quyết.').waitFor();
    assert.match(await text(page.getByTestId('case-badges')), /Đã thụ lý, đang giải quyết/);
    // The inspector who accepts a case from the pool becomes its handler ("rõ người"); the leader is still to name.
    assert.equal(await text(page.getByTestId('assignee')), 'Phạm Minh Đức');
    assert.equal(await text(page.getByTestId('unit')), 'Thanh tra phường');
    assert.match(await text(page.getByTestId('five-clear')), /Chưa có lãnh đạo phụ trách/);
    const resolution = page.locator('[data-clock="complaint_resolution_1"]');
    await resolution.waitFor();
    assert.match(await text(resolution), /30 ngày/);
    // Its legal source, cited in Vietnamese as officials write it.
    await resolution.getByText('Vì sao hạn là ngày này?').click();
    assert.match(await text(resolution), /Căn cứ: Luật Khiếu nại 2011, Điều 28; Nghị định 124\/2020\/NĐ-CP, Điều 28b · bộ quy tắc/);
    assert.match(await text(resolution.locator('.explain li').first()), /\(Luật Khiếu nại 2011, Điều 28; Nghị định 124\/2020\/NĐ-CP, Điều 28b\)/);
    assert.doesNotMatch(await text(page.getByTestId('clocks')), /\b(Law|Art\.|ND \d|TT \d)/, 'no English citation on the page');
    assert.match(await text(page.getByTestId('step')), /Xác minh, giải quyết/);
    assert.match(await text(page.getByTestId('timeline')), /Thụ lý — Phạm Minh Đức/);
    await shot(page, 'case-accepted-desktop');
    page.assertClean();
    await page.context().close();
  });

  test('the unit head assigns it: handler, unit, leader, expected result ("5 rõ")', async () => {
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
    await page.locator('#action-result').getByText(/^Đã phân công\./).waitFor();
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
    // A complaint needs its conclusion: the API's field error shows beside the field, in words
    // (not the API's codes), and the summary names the field by its label.
    await dialog.getByRole('button', { name: 'Giải quyết xong' }).click();
    await dialog.locator('#f-conclusion-error').waitFor();
    assert.equal(await text(dialog.locator('#f-conclusion-error')), 'Khiếu nại cần kết luận: đúng, đúng một phần hoặc sai.');
    assert.match(await text(dialog.locator('.error-summary li')), /^Kết luận nội dung khiếu nại: /);
    assert.doesNotMatch(await text(dialog), /partly_right|\bright\b|\bwrong\b|conclusion/);
    await byLabel(dialog, 'Kết luận nội dung khiếu nại').selectOption('wrong');
    await dialog.getByRole('button', { name: 'Giải quyết xong' }).click();
    await page.locator('#action-result').getByText('Trạng thái: Đã giải quyết.').waitFor();
    assert.match(await text(page.getByTestId('case-badges')), /Đã giải quyết/);
    assert.equal(await page.getByTestId('no-actions').count() + await page.getByTestId('case-actions').count(), 1);
    const trail = await page.getByTestId('timeline').locator('li[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
    assert.deepEqual(trail.filter((a) => ['receive', 'accept', 'assign', 'resolve'].includes(a)), ['receive', 'accept', 'assign', 'resolve']);
    assert.match(await text(page.getByTestId('timeline')), /Kết luận: Sai toàn bộ/);
    await shot(page, 'case-resolved-phone');
    page.assertClean();
    await page.context().close();
  });

  test('the chairman sees the week in the weekly review', async () => {
    const page = await signedIn('chutich');
    // "My work" first: every open case of the agency, overdue ones first, flagged and counted.
    const token = await apiToken('chutich');
    const overdue = await apiCall('/petitions?open=true&overdue=true&per_page=1', { token });
    await page.locator('#inbox-list .case-list, #inbox-list .empty').first().waitFor();
    assert.equal(await text(page.getByTestId('stat-overdue').locator('.value')), String(overdue.total));
    if (overdue.total > 0) {
      assert.match(await text(page.getByTestId('case-item').first()), /Quá hạn \d+ ngày/, 'overdue cases come first');
      assert.equal(await page.locator('[data-testid="case-item"] [data-flag="overdue"]').count(), Math.min(overdue.total, 50));
    }
    if (MODE === 'demo') assert.ok(overdue.total > 0, 'the demo data has overdue cases');
    await shot(page, 'inbox-chairman-desktop');
    await page.getByRole('link', { name: 'Tổng hợp tuần' }).click();
    const week = isoWeek(story.sessionDate);
    if (week !== isoWeek(todayVN())) await page.goto(`/can-bo/tong-hop-tuan?tuan=${week}`);
    const stats = page.getByTestId('review-stats');
    await stats.waitFor();
    const value = async (id) => text(page.getByTestId(id).locator('.value'));
    const visits = Number(await value('stat-visits'));
    const fresh = Number(await value('stat-new'));
    const closed = Number(await value('stat-closed'));
    assert.ok(visits >= 1, `visits ${visits}`);
    assert.ok(fresh >= 1, `new petitions ${fresh}`);
    if (week === isoWeek(todayVN())) assert.ok(closed >= 1, `closed ${closed}`);
    // The figures agree with the register and the reception book of the same week.
    const monday = mondayOf(week);
    const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86400000).toISOString().slice(0, 10);
    const received = await apiCall(`/petitions?received_from=${monday}&received_to=${sunday}&per_page=1`, { token });
    assert.equal(fresh, received.total, 'new petitions = the register\'s petitions received that week');
    const book = await apiCall(`/reception-book?from=${monday}&to=${sunday}`, { token });
    assert.equal(visits, book.total, 'visits = the lines of the reception book that week');
    if (MODE === 'empty' && week === isoWeek(todayVN())) {
      // Only this run's work: one case closed, on time.
      assert.equal(closed, 1);
      assert.equal(await value('stat-on-time'), '100%');
    }
    assert.match(await text(page.getByTestId('heads-table')), /Nguyễn Văn Hùng/);
    // The charts are drawn, and their numbers are also in tables.
    await page.waitForFunction(() => window.Chart && window.Chart.getChart('chart-kinds') && window.Chart.getChart('chart-trend'));
    const kinds = page.getByTestId('chart-kinds');
    await kinds.getByText('Xem số liệu dạng bảng').click();
    const complaints = Number((await text(kinds.locator('tr', { hasText: 'Khiếu nại' }))).replace(/\D/g, ''));
    assert.ok(complaints >= 1, `complaints this week ${complaints}`);
    await shot(page, 'weekly-review-desktop');
    // The oversight log: every change made to an account, and who read whose identity, and why.
    await page.getByRole('link', { name: 'Nhật ký giám sát' }).click();
    const events = page.getByTestId('account-events');
    await events.waitFor();
    const log = await apiCall('/account-events?per_page=1', { token });
    assert.ok(log.total >= 1, 'the accounts made are in the log');
    assert.match(await text(events.locator('caption')), new RegExp(`\\(${log.total}\\)`));
    assert.match(await text(events), /Tạo tài khoản/);
    await page.getByRole('tab', { name: 'Truy cập thông tin cá nhân' }).click();
    const reads = await apiCall('/identity-access?per_page=1', { token });
    if (reads.total > 0) {
      await page.getByTestId('identity-reads').waitFor();
      assert.match(await text(page.getByTestId('identity-reads').locator('caption')), new RegExp(`\\(${reads.total}\\)`));
    } else {
      await page.locator('#oversight-panel .empty').waitFor();
    }
    await shot(page, 'oversight-desktop');
    page.assertClean();
    await page.context().close();
  });

  test('a denunciation: the denouncer is shown only where the law allows, and a stale page cannot overwrite', async () => {
    const filed = await apiCall('/public/petitions', { method: 'POST', body: {
      kind: 'denunciation',
      subject: 'Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục đất đai',
      content: 'Cán bộ địa chính phường yêu cầu nộp thêm tiền ngoài quy định khi làm thủ tục cấp giấy chứng nhận.',
      petitioner: { full_name: 'Đặng Thị Hương', address: 'Tổ 4, phường Mẫu', id_number: '036190004455' },
    } });
    const token = await apiToken('chutich');
    const found = await apiCall(`/petitions?kind=denunciation&q=${encodeURIComponent('dia chinh nhan tien')}`, { token });
    const id = found.items.find((p) => p.tracking_code === filed.tracking_code).id;

    const head = await signedIn('truongtt');
    await head.goto(`/can-bo/ho-so?id=${id}`);
    await head.getByTestId('identity-hidden').waitFor();
    assert.match(await text(head.getByTestId('identity-hidden')), /Danh tính người tố cáo được giữ bí mật/);
    assert.doesNotMatch(await text(head.locator('main')), /Đặng Thị Hương/);

    const chair = await signedIn('chutich');
    await chair.goto(`/can-bo/ho-so?id=${id}`);
    await chair.getByTestId('petitioner').waitFor();
    assert.match(await text(chair.getByTestId('petitioner')), /Đặng Thị Hương/);
    assert.match(await text(chair.locator('main')), /Lần xem này đã được ghi nhật ký/);
    await chair.getByTestId('case-actions').getByRole('button', { name: 'Phân công' }).click();
    await byLabel(chair.getByRole('dialog'), 'Người xử lý').selectOption({ label: 'Phạm Minh Đức (Thanh tra, xử lý đơn, Thanh tra phường)' });
    await chair.getByRole('dialog').getByRole('button', { name: 'Phân công' }).click();
    await chair.locator('#action-result').getByText(/^Đã phân công\./).waitFor();

    // The unit head's page was loaded before the chairman's change.
    await head.getByTestId('case-actions').getByRole('button', { name: 'Phân công' }).click();
    const dialog = head.getByRole('dialog');
    await byLabel(dialog, 'Người xử lý').selectOption({ label: 'Phạm Minh Đức (Thanh tra, xử lý đơn, Thanh tra phường)' });
    await dialog.getByRole('button', { name: 'Phân công' }).click();
    await dialog.getByRole('alert').waitFor();
    assert.match(await text(dialog.getByRole('alert')), /Hồ sơ vừa được người khác cập nhật/);
    await shot(head, 'stale-case-desktop');
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    await head.getByTestId('assignee').getByText('Phạm Minh Đức').waitFor();
    head.assertClean();
    chair.assertClean();
    await head.context().close();
    await chair.context().close();
  });

  test('an anonymous denunciation is never accepted: the chairman keeps it as an inspection lead', async () => {
    // Law 25/2018 Art. 25: not a denunciation to resolve; with a violator named and evidence, a lead.
    const desk = await apiToken('tiepdan1');
    const filed = await apiCall('/petitions', { token: desk, method: 'POST', body: {
      kind: 'denunciation', channel: 'post', anonymous: true,
      subject: 'Thư không ký tên tố cáo cán bộ thu tiền trông giữ xe sai quy định',
      content: 'Cán bộ phụ trách bãi xe chợ phường thu tiền cao hơn mức quy định, có biên lai kèm theo.',
    } });
    const chair = await signedIn('chutich');
    await chair.goto(`/can-bo/ho-so?id=${filed.id}`);
    const actions = chair.getByTestId('case-actions');
    await actions.waitFor();
    assert.equal(await actions.getByRole('button', { name: 'Thụ lý', exact: true }).count(), 0, 'never accepted');
    assert.match(await text(chair.locator('main')), /Đơn nặc danh/);
    await actions.getByRole('button', { name: 'Làm thông tin thanh tra' }).click();
    const dialog = chair.getByRole('dialog');
    await byLabel(dialog, 'Người vi phạm và tài liệu, chứng cứ kiểm tra được')
      .fill('Cán bộ bãi xe chợ phường; biên lai thu tiền ngày 20/11 kèm theo.');
    await dialog.getByRole('button', { name: 'Làm thông tin thanh tra' }).click();
    await chair.locator('#action-result').getByText(/Trạng thái: Chuyển làm thông tin thanh tra, kiểm tra\./).waitFor();
    assert.match(await text(chair.locator('main')), /Chuyển làm thông tin thanh tra, kiểm tra/);
    chair.assertClean();
    await chair.context().close();
  });

  test('every kind of written notice prints on one A4 page, and a denouncer never reaches a third party', async () => {
    const chair = await apiToken('chutich');
    const desk = await apiToken('tiepdan1');
    const day = (offset) => new Date(Date.parse(`${todayVN()}T00:00:00Z`) + offset * 86400000).toISOString().slice(0, 10);
    const file = (body) => apiCall('/petitions', { token: desk, method: 'POST', body: { channel: 'post', signatories: 1, ...body } });
    const act = (id, body) => apiCall(`/petitions/${id}/actions`, { token: chair, method: 'POST', body });
    const complainant = { full_name: 'Lương Văn Khải', id_number: '001086012399', address: 'Tổ 9, phường Mẫu' };
    const denouncer = { full_name: 'Bạch Thị Nguyệt', id_number: '036191007788', address: 'Ngõ 12, phường Mẫu' };
    const complaint = (subject, extra = {}) => file({ kind: 'complaint', subject, content: `${subject}: nội dung chi tiết.`, petitioner: complainant, ...extra });
    const denunciation = (subject) => file({ kind: 'denunciation', subject, content: `${subject}: nội dung chi tiết.`, petitioner: denouncer });

    // A complaint brought to the desk, through each step that owes a notice.
    const a = await complaint('Khiếu nại quyết định xử phạt vi phạm hành chính số 88', { channel: 'in_person' });
    await act(a.id, { action: 'accept' });
    await act(a.id, { action: 'extend', days: 15, complexity: 'complex', reason: 'Vụ việc phức tạp, cần xác minh nhiều nơi' });
    await act(a.id, { action: 'suspend', reason: 'Chờ kết quả giám định' });
    await act(a.id, { action: 'resume' });
    await act(a.id, { action: 'schedule_dialogue', on: day(7), place: 'Phòng tiếp công dân UBND phường' });
    await act(a.id, { action: 'resolve', result: 'Giữ nguyên quyết định xử phạt số 88.', conclusion: 'wrong' });
    const refused = await complaint('Khiếu nại việc không cấp giấy phép kinh doanh');
    await act(refused.id, { action: 'reject', reason: 'Khiếu nại đã quá thời hiệu mà không có lý do chính đáng' });
    const guided = await complaint('Khiếu nại bản án dân sự sơ thẩm');
    await act(guided.id, { action: 'guide', to_body: 'Tòa án nhân dân khu vực 1', note: 'Thuộc thẩm quyền của Tòa án' });
    // Denunciations: terminated, forwarded, concluded.
    const ended = await denunciation('Tố cáo cán bộ văn hóa thu tiền quảng cáo sai quy định');
    await act(ended.id, { action: 'accept' });
    await act(ended.id, { action: 'terminate', reason: 'Người tố cáo rút toàn bộ nội dung tố cáo' });
    const sent = await denunciation('Tố cáo giám đốc sở nhận hối lộ');
    await act(sent.id, { action: 'forward', to_body: 'Thanh tra tỉnh', letter_no: '21/CV-UBND' });
    const concluded = await denunciation('Tố cáo cán bộ địa chính gây khó khăn khi cấp sổ');
    await act(concluded.id, { action: 'accept' });
    await act(concluded.id, { action: 'resolve', result: 'Tố cáo đúng một phần; đã kiểm điểm cán bộ.', conclusion: 'partly_right' });
    // A case already late: its apology letter.
    const late = await complaint('Khiếu nại việc chậm bồi thường giải phóng mặt bằng', { received_on: day(-40) });
    await apiCall(`/petitions/${late.id}/notices`, { token: chair, method: 'POST', body: { kind: 'apology', promised_on: day(10) } });
    // A citizen refused at the desk on a matter already answered: the written refusal.
    const sessions = await apiCall(`/reception-sessions?from=${story.sessionDate}&to=${story.sessionDate}&per_page=50`, { token: desk });
    // Not one another test cancelled on the same day (the frictions' session opened "today", which
    // is this day once it is past 17:00 UTC on the eve of a working day).
    const session = sessions.items.find((x) => x.status !== 'cancelled');
    const refusal = await apiCall(`/reception-sessions/${session.id}/refusals`, { token: desk, method: 'POST', body: {
      visitor: { full_name: 'Mạc Văn Tùng', address: 'Tổ 2', id_number: '001080001122' },
      ground: 'already_answered_nothing_new', details: 'Đã được trả lời bằng văn bản' } });

    // Every notice of those cases, by kind; the refusal's comes from the book.
    const notices = [];
    for (const c of [a, refused, guided, ended, sent, concluded, late]) {
      for (const n of await apiCall(`/petitions/${c.id}/notices`, { token: chair })) notices.push({ ...n, code: c.tracking_code });
    }
    const kinds = new Set(notices.map((n) => n.kind));
    for (const k of ['receipt', 'acceptance', 'extension', 'suspension', 'continuation', 'dialogue_invitation', 'decision',
      'refusal', 'guidance', 'termination', 'forwarding', 'conclusion', 'apology']) {
      assert.ok(kinds.has(k), `a ${k} notice was issued: ${[...kinds]}`);
    }
    assert.equal(refusal.notice_required, true);

    // The chairman opens and prints each (his session's token, as the case page sends it).
    const context = await browser.newContext({ locale: 'vi-VN', baseURL: BASE_URL, extraHTTPHeaders: { Authorization: `Bearer ${chair}` } });
    const page = await context.newPage();
    const pagesOf = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    const printed = async (url) => {
      const res = await page.goto(url);
      assert.equal(res.status(), 200, url);
      const body = await page.locator('body').innerText();
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      assert.equal(pagesOf(pdf), 1, `${url} prints on one page`);
      const size = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\]/);
      assert.ok(size && Math.abs(Number(size[1]) - 595.92) < 2 && Math.abs(Number(size[2]) - 842.88) < 2, `${url} is A4: ${size}`);
      return body;
    };
    const seen = new Set();
    for (const n of notices) {
      const key = `${n.kind}/${n.recipient}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const body = await printed(`/api/v1/notices/${n.id}`);
      assert.match(body, new RegExp(`Số: ${n.number}`), key);
      assert.match(body, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.match(body, new RegExp(`ngày ${n.issued_on.slice(8)} tháng ${n.issued_on.slice(5, 7)} năm ${n.issued_on.slice(0, 4)}`), key);
      if (n.recipient === 'petitioner') {
        assert.match(body, /Lương Văn Khải|Bạch Thị Nguyệt/, `${key} names its addressee`);
        assert.match(body, new RegExp(n.code), `${key} gives the case's code`);
      } else {
        // To the person denounced or to another body: never the denouncer, nor the case's code.
        assert.doesNotMatch(body, /Bạch Thị Nguyệt|036191007788|Ngõ 12/, `${key} carries the denouncer`);
      }
      const pdf = await context.request.get(`/api/v1/notices/${n.id}.pdf`);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
    }
    assert.ok(seen.has('acceptance/denounced') && seen.has('forwarding/competent_body') && seen.has('conclusion/denounced'));
    // The written refusal to receive, numbered like the rest.
    const refusalNotice = await apiCall(`/reception-refusals?from=${story.sessionDate}&to=${story.sessionDate}`, { token: chair });
    assert.ok(refusalNotice.some((r) => r.id === refusal.id));
    await context.close();

    // On the case page: the notices with their due dates; one printed from the list, one sent.
    const staff = await signedIn('chutich');
    await staff.goto(`/can-bo/ho-so?id=${a.id}`);
    const list = staff.getByTestId('notices');
    await list.waitFor();
    assert.match(await text(list), /Quyết định giải quyết khiếu nại/);
    const [popup] = await Promise.all([
      staff.waitForEvent('popup'),
      list.locator('tr[data-kind="decision"]').getByTestId('notice-print').click(),
    ]);
    await popup.waitForLoadState();
    await popup.getByText('QUYẾT ĐỊNH', { exact: true }).waitFor();
    assert.equal(pagesOf(await popup.pdf({ preferCSSPageSize: true })), 1);
    await popup.close();
    await list.locator('tr[data-kind="decision"]').getByTestId('notice-sent').click();
    await byLabel(staff.getByRole('dialog'), 'Hình thức gửi').selectOption('post');
    await staff.getByRole('dialog').getByRole('button', { name: 'Ghi đã gửi' }).click();
    await staff.locator('#action-result').getByText(/là đã gửi ngày/).waitFor();
    await shot(staff, 'case-notices-desktop');
    staff.assertClean();
    await staff.context().close();
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

  test('the public schedule lists the chairman\'s Thursday sessions, with the iCalendar feed', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/');
    await page.getByRole('link', { name: /Lịch tiếp công dân/ }).first().click();
    const items = page.getByTestId('schedule-item');
    await items.first().waitFor();
    assert.ok(await items.count() >= 10, 'about thirteen weeks of sessions');
    const first = await text(items.first());
    assert.match(first, /Tiếp công dân định kỳ/);
    assert.match(first, /Người tiếp: Nguyễn Văn Hùng/);
    const days = await items.locator('h3').allInnerTexts();
    assert.ok(days.filter((d) => d.startsWith('Thứ Năm')).length >= days.length - 2, `mostly Thursdays: ${days.join('; ')}`);
    const href = await page.getByTestId('ics-link').getAttribute('href');
    const ics = await page.evaluate(async (url) => { const r = await fetch(url); return [r.headers.get('content-type'), await r.text()]; }, href);
    assert.match(ics[0], /text\/calendar/);
    assert.match(ics[1], /^BEGIN:VCALENDAR/);
    assert.match(ics[1], /SUMMARY:/);
    await shot(page, 'schedule-phone');
    page.assertClean();
    await page.context().close();
  });

  test('a staff member changes the password from the header, signs out and signs in with the new one', async () => {
    const username = 'tiepdan1';
    const fresh = 'Mat-khau-moi-E2E-2027';
    const page = await signedIn(username, PHONE);
    await page.getByRole('banner').getByRole('link', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL((u) => u.pathname === '/can-bo/doi-mat-khau');
    assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Đổi mật khẩu');
    const form = page.getByTestId('password-form');
    await byLabel(form, 'Mật khẩu hiện tại').fill(passwordOf(username));
    await byLabel(form, 'Mật khẩu mới').fill(fresh);
    await byLabel(form, 'Nhập lại mật khẩu mới').fill(fresh);
    await form.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    const done = page.getByTestId('password-changed');
    await done.waitFor();
    assert.match(await text(done), /^Đã đổi mật khẩu\./);
    await shot(page, 'password-changed-phone');
    // The change revoked the old token; the page signed in again, so work goes on.
    await page.getByRole('link', { name: 'Việc của tôi' }).click();
    await page.locator('#inbox-list .case-list, #inbox-list .empty').first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/can-bo/');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/can-bo/dang-nhap');
    await byLabel(page, 'Tên đăng nhập').fill(username);
    await byLabel(page, 'Mật khẩu').fill(passwordOf(username));
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').getByText('Tên đăng nhập hoặc mật khẩu không đúng').waitFor();
    await staffLogin(page, username, fresh);
    assert.match(await text(page.getByTestId('current-user')), /^Vũ Thị Hạnh/);
    page.assertClean();
    await page.context().close();
  });
});
