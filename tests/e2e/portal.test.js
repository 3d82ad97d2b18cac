// The citizen portal in a real browser: the landing page, filing a petition (errors beside their
// fields, then the receipt with its tracking code), following it, a citizen account whose filings
// are listed under it, and the public due-date calculator. Desktop and phone widths.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL, DESKTOP, MODE, PHONE, apiCall, byLabel, fitsWidth, launch, newPage, passwordOf, shot, text, todayVN, vnDate,
} from './lib/harness.js';

const CODE = /^TD-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('citizen portal', () => {
  test('the landing page offers the portal and the staff sign-in', async () => {
    for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await newPage(browser, viewport);
      await page.goto('/');
      assert.equal(await page.title(), 'Tiếp công dân – Sổ tiếp công dân và xử lý đơn thư');
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Tiếp công dân, xử lý đơn thư');
      for (const link of ['Gửi đơn trực tuyến', 'Tra cứu hồ sơ', 'Lịch tiếp công dân', 'Tài khoản công dân']) {
        assert.ok(await page.getByRole('link', { name: new RegExp(link) }).first().isVisible(), link);
      }
      assert.ok(await page.getByRole('heading', { name: 'Cán bộ đăng nhập' }).isVisible());
      // A wrong password is answered in Vietnamese beside the form.
      await byLabel(page, 'Tên đăng nhập').fill('khongco');
      await byLabel(page, 'Mật khẩu').fill('sai-mat-khau-123');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await text(alert), /Tên đăng nhập hoặc mật khẩu không đúng/);
      await shot(page, `landing-${name}`);
      page.assertClean();
      await page.context().close();
    }
  });

  test('after signing in, `next` is followed only to a path of this site', async () => {
    const page = await newPage(browser, DESKTOP);
    // Any request to another host would mean an open redirect: it is answered here and recorded.
    const offsite = [];
    await page.route((url) => url.origin !== BASE_URL, (route) => {
      offsite.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>offsite</title>' });
    });
    await page.goto('/can-bo/dang-nhap');
    const verdicts = await page.evaluate(async () => {
      const { safeNext } = await import('/js/auth.js');
      const cases = ['/\\example.invalid', '/\\/example.invalid', '//example.invalid', '///example.invalid',
        '/\t/example.invalid', 'https://example.invalid/', 'javascript:alert(1)', '/a/..//example.invalid', '',
        '/can-bo/tiep-nhan', '/can-bo/ho-so?id=3#trail'];
      return cases.map((next) => [next, safeNext(next)]);
    });
    assert.deepEqual(verdicts, [
      ['/\\example.invalid', null], ['/\\/example.invalid', null], ['//example.invalid', null], ['///example.invalid', null],
      ['/\t/example.invalid', null], ['https://example.invalid/', null], ['javascript:alert(1)', null], ['/a/..//example.invalid', null], ['', null],
      ['/can-bo/tiep-nhan', '/can-bo/tiep-nhan'], ['/can-bo/ho-so?id=3#trail', '/can-bo/ho-so?id=3#trail'],
    ]);

    // The audited address: `/\example.invalid` lands on the admin's home page instead.
    const signIn = async (next) => {
      // Signed out: the session cookie and the page's note of who signed in are gone.
      await page.context().clearCookies();
      await page.evaluate(() => localStorage.clear());
      await page.goto(`/can-bo/dang-nhap?next=${next}`);
      await byLabel(page, 'Tên đăng nhập').fill('admin');
      await byLabel(page, 'Mật khẩu').fill(passwordOf('admin'));
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL((u) => !u.pathname.endsWith('/dang-nhap'));
      await page.getByTestId('current-user').waitFor();
      return new URL(page.url());
    };
    let landed = await signIn('%2F%5Cexample.invalid');
    assert.equal(landed.origin, BASE_URL);
    assert.equal(landed.pathname, '/can-bo/quan-tri');
    landed = await signIn('%2F%2Fexample.invalid%2Fx');
    assert.equal(`${landed.origin}${landed.pathname}`, `${BASE_URL}/can-bo/quan-tri`);
    // A path of this site is followed.
    landed = await signIn(encodeURIComponent('/can-bo/tiep-nhan'));
    assert.equal(`${landed.origin}${landed.pathname}`, `${BASE_URL}/can-bo/tiep-nhan`);
    assert.deepEqual(offsite, [], 'no request left the site');
    page.assertClean();
    await page.context().close();
  });

  test('a citizen changes the password on the account page and signs in with the new one', async () => {
    const username = `doimk${Date.now().toString(36)}`;
    const [oldPassword, newPassword] = ['Cuc-Phan-2026!', 'Cuc-Phan-moi-2027!'];
    await apiCall('/auth/register', { method: 'POST', body: { username, password: oldPassword, full_name: 'Phan Thị Cúc' } });
    const page = await newPage(browser, PHONE);
    await page.goto('/tai-khoan');
    const signIn = async (password) => {
      const login = page.getByTestId('citizen-form');
      await byLabel(login, 'Tên đăng nhập').fill(username);
      await byLabel(login, 'Mật khẩu').fill(password);
      await login.getByRole('button', { name: 'Đăng nhập' }).click();
    };
    await signIn(oldPassword);
    await page.getByTestId('citizen-name').waitFor();
    await page.getByRole('link', { name: 'Đổi mật khẩu' }).click();
    const form = page.getByTestId('password-form');
    assert.ok(await form.isVisible());

    // A wrong current password: the API's answer beside that field.
    await byLabel(form, 'Mật khẩu hiện tại').fill('khong-phai-mat-khau');
    await byLabel(form, 'Mật khẩu mới').fill(newPassword);
    await byLabel(form, 'Nhập lại mật khẩu mới').fill(newPassword);
    await form.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await form.locator('#citizen-pw-old_password-error').waitFor();
    assert.equal(await text(form.locator('#citizen-pw-old_password-error')), 'Mật khẩu hiện tại không đúng.');
    assert.match(await text(form.getByRole('alert')), /Thông tin chưa hợp lệ/);
    // Two different new passwords are caught before anything is sent.
    await byLabel(form, 'Mật khẩu hiện tại').fill(oldPassword);
    await byLabel(form, 'Nhập lại mật khẩu mới').fill('Cuc-Phan-khac-2027!');
    await form.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await form.locator('#citizen-pw-new_password_repeat-error').waitFor();
    assert.match(await text(form.locator('#citizen-pw-new_password_repeat-error')), /không khớp/);
    await byLabel(form, 'Nhập lại mật khẩu mới').fill(newPassword);
    await form.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.getByTestId('password-changed').waitFor();
    assert.match(await text(page.getByTestId('password-changed')), /^Đã đổi mật khẩu\./);
    assert.equal(await byLabel(form, 'Mật khẩu mới').inputValue(), '', 'the form is emptied');
    await shot(page, 'account-password-phone');
    // Still signed in (with a fresh token): the list of petitions reloads.
    await page.reload();
    await page.getByText('Bạn chưa gửi đơn nào').waitFor();

    // Signed out, the old password is refused and the new one works.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await signIn(oldPassword);
    await page.getByTestId('citizen-form').getByRole('alert').getByText('Tên đăng nhập hoặc mật khẩu không đúng').waitFor();
    await signIn(newPassword);
    await page.getByTestId('citizen-name').waitFor();
    assert.equal(await text(page.getByTestId('citizen-name')), 'Phan Thị Cúc');
    page.assertClean();
    await page.context().close();
  });

  test('a citizen files a petition, keeps the code and follows the case', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/gui-don');
    assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Gửi đơn trực tuyến');

    // Sending an empty form shows the errors beside their fields and a summary that gets focus.
    await page.getByRole('button', { name: 'Gửi đơn' }).click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    assert.match(await text(summary), /Vui lòng chọn loại đơn/);
    assert.equal(await byLabel(page, 'Tiêu đề').getAttribute('aria-invalid'), 'true');
    assert.match(await text(page.locator('#f-subject-error')), /Vui lòng nhập tiêu đề/);
    assert.match(await text(page.locator('#f-petitioner-address-error')), /địa chỉ/);
    await shot(page, 'file-errors-phone');

    // Choosing a denunciation explains what the law asks of it and that the denouncer is protected.
    await page.getByLabel(/^Tố cáo/).check();
    assert.match(await text(page.locator('#kind-requires')), /người bị tố cáo, hành vi vi phạm/);
    assert.ok(await page.locator('#confidential-note').isVisible(), 'the confidentiality notice shows');
    await page.getByLabel(/^Phản ánh/).check();
    assert.ok(await page.locator('#confidential-note').isHidden());

    await byLabel(page, 'Tiêu đề').fill('Đèn chiếu sáng ngõ 12 bị hỏng');
    await byLabel(page, 'Nội dung trình bày').fill('Đèn chiếu sáng công cộng ở ngõ 12 phố Hòa Bình đã hỏng hai tuần, buổi tối rất tối, đề nghị phường sửa.');
    await byLabel(page, 'Họ và tên').fill('Lê Thị Thu');
    await byLabel(page, 'Số CCCD / CMND / hộ chiếu').fill('abc');
    await byLabel(page, 'Địa chỉ liên hệ').fill('Số 5 ngõ 12 phố Hòa Bình');
    await page.getByLabel(/Tôi cam đoan/).check();
    await page.getByRole('button', { name: 'Gửi đơn' }).click();
    // The API refuses the identity number: its message shows beside that field.
    await page.locator('#f-petitioner-id_number-error').waitFor();
    assert.match(await text(page.locator('#f-petitioner-id_number-error')), /Số giấy tờ tùy thân không hợp lệ/);
    await byLabel(page, 'Số CCCD / CMND / hộ chiếu').fill('');
    await page.getByRole('button', { name: 'Gửi đơn' }).click();

    const receipt = page.getByTestId('filing-receipt');
    await receipt.waitFor();
    assert.equal(await text(receipt.getByRole('heading', { level: 2 })), 'Đã gửi đơn thành công');
    const code = await text(page.getByTestId('tracking-code'));
    assert.match(code, CODE);
    assert.match(await text(receipt), new RegExp(`Loại đơn: Phản ánh\\. Ngày nhận: ${vnDate(todayVN()).replace(/\//g, '\\/')}`));
    assert.ok(await page.getByRole('button', { name: 'Sao chép mã' }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'In giấy biên nhận' }).isVisible());
    // The receipt prints the permanent tracking link and its QR code (drawn: the image loaded).
    const link = page.getByTestId('tracking-url');
    assert.equal(await text(link), new URL(`/tra-cuu?ma=${code}`, page.url()).href);
    const qr = receipt.locator('img.qr');
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await qr.elementHandle());
    assert.equal(await qr.getAttribute('alt'), `Mã QR tra cứu hồ sơ ${code}`);
    await fitsWidth(page);
    await shot(page, 'file-receipt-phone');

    // Following the case by its code: status in plain words, the next due date, the history.
    await page.getByRole('link', { name: 'Theo dõi hồ sơ' }).click();
    const status = page.getByTestId('case-status');
    await status.waitFor();
    assert.equal(await text(status.getByRole('heading', { level: 2 })), `Hồ sơ ${code}`);
    assert.match(await text(status), /Phản ánh/);
    assert.match(await text(status), /Đã tiếp nhận/);
    assert.match(await text(page.getByTestId('status-plain')), /Cơ quan đã nhận đơn của bạn/);
    const tracked = await apiCall(`/public/petitions/${code}`);
    assert.match(await text(page.getByTestId('next-due')), new RegExp(vnDate(tracked.due).replace(/\//g, '\\/')));
    assert.equal(await page.getByTestId('rating-form').count(), 0, 'an open case cannot be rated yet');
    await shot(page, 'track-phone');

    // A mistyped code says so.
    await byLabel(page, 'Mã hồ sơ').fill('TD-2222-2222-2222');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Không tìm thấy hồ sơ với mã này').waitFor();
    page.assertClean();
    await page.context().close();
  });

  test('a registered citizen sees the petitions filed while signed in', async () => {
    const page = await newPage(browser, DESKTOP);
    const username = `congdan${Date.now().toString(36)}`;
    await page.goto('/tai-khoan');
    const form = page.getByTestId('register-form');
    await byLabel(form, 'Họ và tên').fill('Trần Văn Bảo');
    await byLabel(form, 'Tên đăng nhập').fill(username);
    await byLabel(form, 'Mật khẩu').fill('ngan');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.locator('#reg-password-error').waitFor();
    assert.match(await text(form.locator('#reg-password-error')), /ít nhất 10 ký tự/);
    // A common password is refused, saying why.
    await byLabel(form, 'Mật khẩu').fill('Matkhau2026');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.locator('#reg-password-error').getByText(/quá phổ biến/).waitFor();
    await byLabel(form, 'Mật khẩu').fill('Bao-Tran-2026!');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await page.getByTestId('citizen-name').waitFor();
    assert.equal(await text(page.getByTestId('citizen-name')), 'Trần Văn Bảo');
    await page.getByText('Bạn chưa gửi đơn nào').waitFor();

    await page.getByRole('link', { name: 'Gửi đơn mới' }).click();
    await page.locator('#file-form').waitFor();
    assert.match(await text(page.locator('main')), /Bạn đang đăng nhập với tài khoản Trần Văn Bảo/);
    assert.equal(await byLabel(page, 'Họ và tên').inputValue(), 'Trần Văn Bảo', 'the name is filled in');
    await page.getByLabel(/^Kiến nghị/).check();
    await byLabel(page, 'Tiêu đề').fill('Đề nghị lắp biển báo giảm tốc trước trường tiểu học');
    await byLabel(page, 'Nội dung trình bày').fill('Trước cổng trường tiểu học phường Mẫu xe chạy nhanh, đề nghị lắp biển báo và gờ giảm tốc.');
    await byLabel(page, 'Địa chỉ liên hệ').fill('Tổ 7, phường Mẫu');
    await page.getByLabel(/Tôi cam đoan/).check();
    await page.getByRole('button', { name: 'Gửi đơn' }).click();
    await page.getByTestId('tracking-code').waitFor();
    const code = await text(page.getByTestId('tracking-code'));

    await page.getByRole('link', { name: 'Tài khoản', exact: true }).click();
    const item = page.getByTestId('my-petition');
    await item.first().waitFor();
    assert.equal(await item.count(), 1);
    assert.match(await text(item), /Đề nghị lắp biển báo giảm tốc trước trường tiểu học/);
    assert.match(await text(item), new RegExp(code));
    assert.match(await text(item), /Đã tiếp nhận/);
    assert.match(await text(item), /Kiến nghị/);
    await shot(page, 'account-desktop');
    page.assertClean();
    await page.context().close();
  });

  test('the reception schedule page answers on any database', async () => {
    const page = await newPage(browser, DESKTOP);
    await page.goto('/lich-tiep');
    assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Lịch tiếp công dân');
    await page.locator('#schedule-list .case-list, #schedule-list .empty').first().waitFor();
    assert.equal(await page.getByTestId('ics-link').getAttribute('href'), '/api/v1/public/reception-schedule.ics');
    if (MODE === 'demo') assert.ok(await page.getByTestId('schedule-item').count() > 0, 'the demo chairman has sessions');
    else assert.match(await text(page.locator('#schedule-list')), /Chưa có lịch tiếp công dân/);
    page.assertClean();
    await page.context().close();
  });

  test('the due-date calculator explains the skipped days', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/tinh-han');
    await byLabel(page, 'Ngày bắt đầu').fill('2026-11-26');
    await byLabel(page, 'Số ngày').fill('7');
    await page.getByRole('button', { name: 'Tính hạn' }).click();
    const result = page.getByTestId('due-result');
    await result.waitFor();
    // Thu 26 Nov 2026 + 7 working days: two weekends skipped, due Mon 7 Dec.
    assert.equal(await text(page.getByTestId('due-date')), 'Thứ Hai, 07/12/2026');
    assert.match(await text(result), /bỏ qua 4 ngày không làm việc/);
    assert.equal(await result.locator('tbody tr').count(), 4);
    assert.match(await text(result.locator('tbody tr').first()), /28\/11\/2026 Thứ Bảy/);
    // Tết 2027 in working days: the published and computed holidays are skipped.
    await byLabel(page, 'Ngày bắt đầu').fill('2027-02-04');
    await byLabel(page, 'Số ngày').fill('3');
    await page.getByRole('button', { name: 'Tính hạn' }).click();
    await page.getByText(/Tết/).first().waitFor();
    assert.match(await text(result), /Tết/);
    await page.getByRole('table', { name: /Ngày nghỉ lễ/ }).waitFor();
    await shot(page, 'due-date-phone');
    page.assertClean();
    await page.context().close();
  });
});
