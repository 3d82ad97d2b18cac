// The frictions of issue 17, each as a first-time user meets it, at phone and desktop widths:
// a session that every tab shares and that signs out everywhere; a mistyped address; the
// calculator's errors in the fields' words; a holiday change asked first, its old error cleared;
// trivial passwords refused saying why; a narrowed search that offers the whole register; the
// intake's printed receipt (Mẫu 02/TCD); a session opened today, corrected, then cancelled and
// taken off the public schedule.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL, DESKTOP, MODE, PHONE, apiCall, apiToken, byLabel, fitsWidth, launch, newPage, passwordOf, shot, staffLogin, text, todayVN,
  vnDate,
} from './lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const demo = MODE === 'demo';

async function signedIn(username, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  await staffLogin(page, username, passwordOf(username));
  return page;
}

describe('issue 17: the frictions found', () => {
  test('one sign-in serves every tab, the token out of the scripts\' reach, and signing out ends it everywhere', async () => {
    const first = await signedIn('admin', DESKTOP);
    const context = first.context();
    // The token lives in an HttpOnly, SameSite=Strict cookie only.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'tiepdan_session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/');
    const visible = await first.evaluate(() => [document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join(' '));
    assert.doesNotMatch(visible, /eyJ|tiepdan_session/, 'no script can read the token');

    // A new tab (a link opened beside) is signed in already.
    const second = await context.newPage();
    await second.goto('/can-bo/quan-tri#days');
    await second.getByTestId('current-user').waitFor();
    assert.equal(new URL(second.url()).pathname, '/can-bo/quan-tri');
    await second.getByTestId('days-table').waitFor();
    await shot(second, 'second-tab-desktop');

    // A change from a page works (the page adds its header); without it the server refuses.
    const refused = await second.evaluate(async () => (await fetch('/api/v1/units', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Thử', code: 'THU' }),
    })).json());
    assert.equal(refused.error.code, 'csrf_check_failed');

    // Signing out in the second tab ends the first one too.
    await second.getByTestId('sign-out').click();
    await second.waitForURL((u) => u.pathname === '/');
    await first.waitForURL((u) => u.pathname === '/can-bo/dang-nhap');
    assert.equal((await context.cookies()).some((c) => c.name === 'tiepdan_session'), false, 'the cookie is removed');
    const me = await first.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401);
    await context.close();
  });

  test('a mistyped address answers a Vietnamese page with links home; the API keeps its JSON', async () => {
    for (const [viewport, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
      const page = await newPage(browser, viewport);
      const res = await page.goto('/tra-cuuu?ma=TD-1');
      assert.equal(res.status(), 404);
      assert.match(res.headers()['content-type'], /^text\/html/);
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Không tìm thấy trang');
      await page.getByText('Địa chỉ đã mở: /tra-cuuu').waitFor();
      for (const link of ['Về trang chủ', 'Tra cứu hồ sơ bằng mã hồ sơ', 'Gửi đơn khiếu nại, tố cáo, kiến nghị, phản ánh']) {
        assert.equal(await page.getByRole('link', { name: link }).count(), 1, link);
      }
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
      await fitsWidth(page);
      await shot(page, `not-found-${name}`);
      await page.getByRole('link', { name: 'Về trang chủ' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await page.context().close();
    }
    const api = await fetch(`${BASE_URL}/api/v1/khong-co`);
    assert.equal(api.status, 404);
    assert.equal((await api.json()).error.code, 'not_found');
  });

  test('the calculator says what is wrong in the fields\' words, and −3 is negative', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/tinh-han');
    const form = page.getByTestId('due-form');
    const days = byLabel(form, 'Số ngày');
    const submit = form.getByRole('button', { name: 'Tính hạn' });
    // The native picker may speak the browser's language (11/26/2026): the date is also said in
    // Vietnamese beside it, and read out with it.
    const words = form.getByTestId('date-words');
    assert.match(await text(words), new RegExp(`, ${vnDate(todayVN())}$`));
    await byLabel(form, 'Ngày bắt đầu').fill('2026-11-26');
    assert.equal(await text(words), 'Thứ Năm, 26/11/2026');
    assert.match(await byLabel(form, 'Ngày bắt đầu').getAttribute('aria-describedby'), /words/);
    for (const [typed, said] of [
      ['-3', 'Số ngày không được là số âm (đã nhập -3). Số ngày phải là số nguyên từ 0 đến 3650.'],
      ['2.5', 'Số ngày phải là số nguyên, không có phần lẻ (đã nhập 2.5).'],
      ['', 'Vui lòng nhập số ngày.'],
      ['4000', 'Số ngày quá lớn. Số ngày phải là số nguyên từ 0 đến 3650.'],
    ]) {
      await days.fill(typed);
      await submit.click();
      const beside = form.locator('#f-days-error');
      await beside.waitFor();
      assert.equal(await text(beside), said, typed);
      assert.doesNotMatch(await text(form.locator('.error-summary')), /\bdays\b|\bstart\b|không phải (là )?số/);
    }
    await shot(page, 'calculator-negative-phone');
    // The API says the same, under the field's name, should a page skip its own check.
    const api = await page.evaluate(async () => (await fetch('/api/v1/calendar/due-date?start=2026-11-25&days=-3')).json());
    assert.equal(api.error.code, 'invalid_query');
    assert.match(api.error.fields.days[0], /^Số ngày không được là số âm/);
    assert.doesNotMatch(api.error.message, /\bdays\b/);
    // A good period answers, and the old errors are gone.
    await days.fill('10');
    await submit.click();
    await page.getByTestId('due-result').waitFor();
    assert.equal(await form.locator('.field-error').count(), 0);
    await fitsWidth(page);
    page.assertClean();
    await page.context().close();
  });

  test('a holiday is saved only once the admin is told how many cases it may move; the old error goes', async () => {
    const page = await signedIn('admin', DESKTOP);
    await page.getByRole('tab', { name: 'Ngày nghỉ, ngày làm bù' }).click();
    const form = page.getByTestId('day-form');
    const date = `${Number(todayVN().slice(0, 4)) + 1}-03-11`;
    await byLabel(form, 'Ngày').fill(date);
    await byLabel(form, 'Loại ngày').selectOption('day_off');
    // A missing name first: an error beside the field.
    await byLabel(form, 'Tên ngày').fill('');
    await form.getByRole('button', { name: 'Lưu ngày' }).click();
    await form.locator('#d-name-error').waitFor();

    await byLabel(form, 'Tên ngày').fill('Nghỉ bù sự kiện phường');
    await form.getByRole('button', { name: 'Lưu ngày' }).click();
    const ask = page.getByRole('dialog');
    await ask.waitFor();
    const impact = await apiCall(`/calendar/days/${date}/impact`, { token: await apiToken('admin') });
    const said = await text(ask);
    if (impact.open_cases) assert.match(said, new RegExp(`có thể dời hạn giải quyết của ${impact.open_cases.toLocaleString('vi-VN')} hồ sơ đang xử lý`));
    else assert.match(said, /không hạn nào bị thay đổi/);
    await shot(page, 'day-change-confirm-desktop');
    // Cancelled: nothing is saved.
    await ask.getByRole('button', { name: 'Hủy' }).click();
    assert.equal(await page.getByTestId('day-saved').count(), 0);
    assert.equal(await page.locator(`tr[data-date="${date}"]`).count(), 0);

    await form.getByRole('button', { name: 'Lưu ngày' }).click();
    await ask.getByRole('button', { name: 'Đồng ý, lưu và tính lại hạn' }).click();
    await page.getByTestId('day-saved').waitFor();
    // The success stands alone: no error left beside it.
    assert.equal(await form.locator('.field-error').count(), 0);
    assert.equal(await form.locator('.error-summary .alert').count(), 0);
    assert.equal(await form.locator('[aria-invalid="true"]').count(), 0);

    // Removing it asks the same way.
    await byLabel(page, 'Xem năm').selectOption(date.slice(0, 4));
    const row = page.locator(`tr[data-date="${date}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: /Xóa/ }).click();
    assert.match(await text(ask), /hồ sơ/);
    await ask.getByRole('button', { name: 'Xóa và tính lại hạn' }).click();
    await page.getByTestId('day-removed').waitFor();
    page.assertClean();
    await page.context().close();
  });

  test('trivial passwords are refused saying why, at registration and account creation', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/tai-khoan');
    const form = page.getByTestId('register-form');
    const username = `mk${Date.now().toString(36)}`;
    await byLabel(form, 'Họ và tên').fill('Lê Văn Tâm');
    await byLabel(form, 'Tên đăng nhập').fill(username);
    assert.match(await text(form), /Ít nhất 10 ký tự/, 'the rules are said before typing');
    for (const [password, why] of [
      ['12345678910', /chỉ gồm một loại ký tự/],
      ['matkhau@2026', /quá phổ biến/],
      [`${username}!2026`, /không được là tên đăng nhập/],
    ]) {
      await byLabel(form, 'Mật khẩu').fill(password);
      await form.getByRole('button', { name: 'Đăng ký' }).click();
      await form.locator('#reg-password-error').getByText(why).waitFor();
    }
    await fitsWidth(page);
    await shot(page, 'password-refused-phone');
    page.assertClean();
    await page.context().close();

    const admin = await signedIn('admin', DESKTOP);
    await admin.goto('/can-bo/quan-tri#users');
    const create = admin.getByTestId('new-user-form');
    await byLabel(create, 'Họ và tên').fill('Cán bộ Thử');
    await byLabel(create, 'Tên đăng nhập').fill(`thu${Date.now().toString(36)}`);
    await byLabel(create, 'Mật khẩu ban đầu').fill('qwertyuiop1');
    await create.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await create.locator('#nu-password-error').getByText(/quá phổ biến/).waitFor();
    admin.assertClean();
    await admin.context().close();
  });

  test('a search that finds few in a narrowed list offers the whole register in one click', { skip: !demo && 'needs the demo register' }, async () => {
    const chairToken = await apiToken('chutich');
    const me = await apiCall('/auth/me', { token: await apiToken('thanhtra1') });
    const all = await apiCall('/petitions?per_page=200', { token: chairToken });
    const other = all.items.find((p) => p.assignee_id !== me.id && p.kind !== 'denunciation');
    assert.ok(other, 'a case of someone else');
    const word = other.subject.split(/\s+/).filter((w) => w.length >= 5).slice(0, 3).join(' ');
    const page = await signedIn('thanhtra1', PHONE);
    await page.locator('#inbox-list .case-list, #inbox-list .empty').first().waitFor();
    await byLabel(page, 'Phạm vi').selectOption('mine');
    await page.getByLabel('Tìm kiếm').fill(word);
    await page.getByRole('button', { name: 'Lọc' }).click();
    const hint = page.getByTestId('widen-search');
    await hint.waitFor();
    const wider = await apiCall(`/petitions?per_page=1&q=${encodeURIComponent(word)}`, { token: await apiToken('thanhtra1') });
    assert.match(await text(hint), new RegExp(`Toàn bộ sổ đơn thư có ${wider.total} hồ sơ khớp`));
    assert.match(await text(hint), /Chỉ tìm trong phạm vi “được giao cho tôi/);
    await fitsWidth(page);
    await shot(page, 'search-widen-phone');
    await hint.getByRole('button').click();
    await page.locator(`[data-testid="case-item"][data-id="${other.id}"]`).waitFor();
    assert.equal(await byLabel(page, 'Phạm vi').inputValue(), 'all');
    assert.equal(await byLabel(page, 'Trạng thái').inputValue(), 'any');
    assert.equal(await page.getByTestId('widen-search').count(), 0);
    page.assertClean();
    await page.context().close();
  });

  test('the intake prints the register\'s receipt (Mẫu 02/TCD): agency, citizen, code and documents, no warnings', async () => {
    // The desk; on the empty register the admin, who never sees a person's identity: the
    // receipt is printed without it, and the page says so.
    const page = await signedIn(demo ? 'tiepdan1' : 'admin', DESKTOP);
    // The print dialog is recorded instead of opened, in every frame.
    await page.context().addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
    const idNumber = `0790${Date.now().toString().slice(-8)}`;
    const file = async (subject) => {
      await page.goto('/can-bo/tiep-nhan');
      await page.locator('#intake-form').waitFor();
      await page.locator('#kind-complaint').check();
      await byLabel(page, 'Tiêu đề (trích yếu)').fill(subject);
      await byLabel(page, 'Nội dung đơn').fill('Tôi không đồng ý với việc thu hồi đất thửa số 125, đề nghị xem xét lại.');
      await byLabel(page, 'Tài liệu kèm theo').fill('Bản sao Quyết định thu hồi đất số 12/QĐ-UBND\nẢnh chụp hiện trạng thửa đất (3 tờ)');
      await byLabel(page, 'Họ và tên').fill('Đỗ Thị Lan');
      await byLabel(page, 'Số CCCD / CMND / hộ chiếu').fill(idNumber);
      await byLabel(page, 'Địa chỉ').fill('Số 8 ngõ 4 phố Hòa Bình, phường Mẫu');
      await page.getByRole('button', { name: 'Lưu đơn' }).click();
      await page.getByTestId('intake-done').waitFor();
      return text(page.getByTestId('tracking-code'));
    };
    await file('Khiếu nại việc thu hồi đất thửa số 125');
    // The same person again: staff see the repeat warning; the receipt does not.
    const code = await file('Khiếu nại lần nữa việc thu hồi đất thửa số 125');
    await page.getByTestId('repeat-warnings').waitFor();
    const link = page.getByTestId('receipt-link');
    await link.waitFor();
    await shot(page, 'intake-receipt-desktop');

    const href = await link.getAttribute('href');
    assert.match(href, /^\/api\/v1\/notices\/\d+$/);
    const receipt = await page.context().newPage();
    await receipt.goto(href);
    const paper = await text(receipt.locator('.sheet'));
    assert.match(paper, /GIẤY BIÊN NHẬN/);
    assert.match(paper, /ỦY BAN NHÂN DÂN PHƯỜNG MẪU/);
    if (demo) {
      assert.match(paper, /Kính gửi: Ông\/Bà Đỗ Thị Lan/);
      assert.match(paper, /Đỗ Thị Lan, địa chỉ: Số 8 ngõ 4 phố Hòa Bình, phường Mẫu/);
    } else {
      assert.doesNotMatch(paper, /Đỗ Thị Lan/);
      assert.match(await text(page.getByTestId('receipt-no-identity')), /không in họ tên, địa chỉ/);
    }
    assert.match(paper, new RegExp(code));
    // The permanent tracking link and its QR code, printed under the signature on the one page.
    const tracking = receipt.getByTestId('tracking');
    const trackingUrl = await text(tracking.getByRole('link'));
    assert.equal(trackingUrl, new URL(`/tra-cuu?ma=${code}`, receipt.url()).href);
    assert.match(await text(tracking), new RegExp(`Mã hồ sơ: ${code}`));
    const qr = await tracking.locator('svg.qr').boundingBox();
    assert.ok(qr && qr.width > 90 && Math.abs(qr.width - qr.height) < 1, `a square QR code ~28 mm: ${JSON.stringify(qr)}`);
    assert.equal(await receipt.evaluate(() => document.querySelectorAll('.sheet').length), 1);
    assert.match(paper, /1\. Bản sao Quyết định thu hồi đất số 12\/QĐ-UBND/);
    assert.match(paper, /2\. Ảnh chụp hiện trạng thửa đất \(3 tờ\)/);
    assert.doesNotMatch(paper, /cảnh báo|trùng lặp|Cùng số giấy tờ/i);
    // The link opens the public tracking page of this case.
    await receipt.goto(trackingUrl);
    await receipt.getByTestId('case-status').waitFor();
    assert.match(await text(receipt.getByTestId('case-status')), new RegExp(`Hồ sơ ${code}`));
    await receipt.close();

    // "In giấy biên nhận" prints that document, not the page.
    await page.getByTestId('print-receipt').click();
    const frame = page.frameLocator('[data-testid="print-frame"]');
    await frame.locator('.sheet').waitFor();
    const printed = await page.locator('[data-testid="print-frame"]').evaluate((f) => f.contentWindow.__printed || 0);
    assert.equal(printed, 1);
    assert.equal(await page.evaluate(() => window.__printed || 0), 0, 'the staff page itself is not printed');
    page.assertClean();

    // At phone width the result and its actions fit, and so does the case with its notices
    // (each a card: the table was wider than a phone).
    await page.setViewportSize(PHONE);
    await fitsWidth(page);
    await shot(page, 'intake-receipt-phone');
    await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
    await page.getByTestId('notices').locator('tr[data-kind="receipt"]').waitFor();
    await fitsWidth(page);
    await page.context().close();
  });

  test('a session opened today reads as taking place; corrected, then cancelled, it leaves the public schedule', { skip: !demo && 'needs the chairman of the demo register' }, async () => {
    const today = todayVN();
    const page = await signedIn('chutich', PHONE);
    await page.goto('/can-bo/tiep-dan');
    const open = page.getByTestId('open-session-form');
    await open.waitFor();
    // An unscheduled session (allowed on any day), opened now.
    await byLabel(open, 'Hình thức').selectOption('unscheduled');
    await byLabel(open, 'Căn cứ tiếp đột xuất').selectOption('serious_harm');
    await byLabel(open, 'Ngày tiếp').fill(today);
    await byLabel(open, 'Địa điểm').fill('Nhà văn hóa tổ 9');
    await open.getByRole('button', { name: 'Mở buổi tiếp' }).click();
    await page.getByTestId('session-head').waitFor();
    assert.equal(await text(page.getByTestId('session-status')), 'Hôm nay: đang tiếp công dân');
    assert.doesNotMatch(await text(page.locator('main')), /Không tổ chức|Chưa tổ chức|chưa diễn ra/);
    const id = Number(new URL(page.url()).searchParams.get('phien'));
    await shot(page, 'session-today-phone');

    // A wrong place, corrected, and its hours said.
    assert.equal(await text(page.getByTestId('session-hours')), 'Trong giờ làm việc của cơ quan');
    await page.getByRole('button', { name: 'Sửa ngày, địa điểm, giờ tiếp, người chủ trì' }).click();
    const dialog = page.getByRole('dialog');
    await byLabel(dialog, 'Địa điểm').fill('Hội trường UBND phường Mẫu');
    await byLabel(dialog, 'Giờ tiếp').fill('Chiều 14 giờ – 17 giờ');
    await dialog.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByTestId('session-location').getByText('Hội trường UBND phường Mẫu').waitFor();
    assert.equal(await text(page.getByTestId('session-hours')), 'Chiều 14 giờ – 17 giờ');
    await fitsWidth(page);

    // On the public schedule with the corrected place.
    const schedule = await newPage(browser, DESKTOP);
    await schedule.goto('/lich-tiep');
    const item = schedule.locator(`[data-testid="schedule-item"][data-id="${id}"]`);
    await item.waitFor();
    assert.equal(await text(item.getByTestId('schedule-place')), 'Địa điểm: Hội trường UBND phường Mẫu');
    assert.equal(await text(item.getByTestId('schedule-hours')), 'Giờ tiếp: Chiều 14 giờ – 17 giờ');
    assert.match(await text(item), new RegExp(vnDate(today)));
    // The chairman's Thursday sessions carry his schedule's hours (the demo's mornings).
    const periodic = schedule.locator('[data-testid="schedule-item"]', { hasText: 'Tiếp công dân định kỳ' }).first();
    assert.equal(await text(periodic.getByTestId('schedule-hours')), 'Giờ tiếp: Sáng 7 giờ 30 – 11 giờ 30');
    const feed = await (await fetch(`${BASE_URL}/api/v1/public/reception-schedule.ics`)).text();
    assert.ok(feed.replace(/\r\n /g, '').includes('Giờ tiếp: Chiều 14 giờ – 17 giờ.'), 'the feed says the hours');

    // Cancelled with a reason: off the schedule, the page and the .ics alike.
    await page.getByRole('button', { name: 'Hủy buổi tiếp' }).click();
    await dialog.getByRole('button', { name: 'Hủy buổi tiếp' }).click();
    await dialog.locator('#cs-reason-error').waitFor();
    await byLabel(dialog, 'Lý do hủy').fill('Lập nhầm buổi tiếp.');
    await dialog.getByRole('button', { name: 'Hủy buổi tiếp' }).click();
    await page.getByTestId('session-cancel-reason').getByText('Lập nhầm buổi tiếp.').waitFor();
    assert.equal(await text(page.getByTestId('session-status')), 'Đã hủy');
    assert.equal(await page.getByTestId('session-corrections').count(), 0);
    await schedule.reload();
    await schedule.locator('#schedule-list .case-list, #schedule-list .empty').first().waitFor();
    assert.equal(await schedule.locator(`[data-testid="schedule-item"][data-id="${id}"]`).count(), 0);
    const ics = await (await fetch(`${BASE_URL}/api/v1/public/reception-schedule.ics`)).text();
    assert.ok(!ics.includes(`UID:reception-session-${id}@`), 'not in the calendar feed');
    await shot(schedule, 'schedule-after-cancel-desktop');
    page.assertClean();
    schedule.assertClean();
    await page.context().close();
    await schedule.context().close();
  });
});
