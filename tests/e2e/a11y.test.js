// Keyboard and screen-reader basics on every page, at phone width: Vietnamese language, one h1,
// a skip link that moves focus to the content, every form control with a label, no page wider
// than the phone; and the action dialog that traps focus, closes with Escape and gives focus back.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, launch, newPage, passwordOf, staffLogin } from './lib/harness.js';

const PUBLIC_PAGES = ['/', '/gui-don', '/tra-cuu', '/lich-tiep', '/ket-qua', '/tai-khoan', '/tinh-han', '/can-bo/dang-nhap'];
const ADMIN_PAGES = ['/can-bo/', '/can-bo/tiep-nhan', '/can-bo/tiep-dan', '/can-bo/tiep-dan?so', '/can-bo/tong-hop-tuan',
  '/can-bo/bao-cao#dieu-hanh', '/can-bo/bao-cao#dinh-ky',
  '/can-bo/quan-tri#users', '/can-bo/quan-tri#units', '/can-bo/quan-tri#rules', '/can-bo/quan-tri#days', '/can-bo/doi-mat-khau',
  '/can-bo/giam-sat#tai-khoan', '/can-bo/giam-sat#truy-cap', '/can-bo/luu-tru#den-han', '/can-bo/luu-tru#da-huy'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** What a page gets wrong, as readable strings. */
async function problemsOf(page) {
  return page.evaluate(() => {
    const out = [];
    if (document.documentElement.lang !== 'vi') out.push('html lang is not vi');
    const h1 = document.querySelectorAll('h1');
    if (h1.length !== 1) out.push(`${h1.length} h1`);
    if (!document.title.includes('Tiếp công dân')) out.push(`title "${document.title}"`);
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.closest('[hidden]')) continue;
      const named = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!named) out.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name}`);
    }
    for (const b of document.querySelectorAll('button, a[href]')) {
      if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push(`nameless ${b.tagName.toLowerCase()}`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dup.length) out.push(`duplicate ids ${[...new Set(dup)].join(', ')}`);
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page ${document.documentElement.scrollWidth}px wide on a ${window.innerWidth}px screen`);
    return out;
  });
}

async function checkPages(page, paths) {
  for (const path of paths) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await page.locator('.loading').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
    assert.deepEqual(await problemsOf(page), [], path);
  }
}

describe('accessibility basics', () => {
  test('public pages: language, headings, labels, phone width, skip link', async () => {
    const page = await newPage(browser, PHONE);
    await checkPages(page, PUBLIC_PAGES);
    await page.goto('/gui-don');
    await page.locator('#file-form').waitFor();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.textContent);
    assert.equal(first, 'Bỏ qua, đến nội dung chính', 'the skip link comes first');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    // The kinds are radio buttons reachable with the keyboard.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'kind');
    await page.keyboard.press('Space');
    assert.ok(await page.locator('#kind-complaint').isChecked());
    page.assertClean();
    await page.context().close();
  });

  test('staff pages as the admin, and the keyboard in a dialog', async () => {
    const page = await newPage(browser, PHONE);
    await staffLogin(page, 'admin', passwordOf('admin'));
    await checkPages(page, ADMIN_PAGES);
    await page.goto('/can-bo/quan-tri#units');
    await page.getByRole('tab', { name: 'Tài khoản cán bộ' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Đơn vị', 'arrow keys move between tabs');
    await page.goto('/can-bo/quan-tri#users');
    const edit = page.getByRole('button', { name: 'Sửa Quản trị hệ thống' });
    await edit.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Sửa tài khoản admin' });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'full_name', 'focus goes into the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Sửa Quản trị hệ thống', 'focus comes back to the button');
    page.assertClean();
    await page.context().close();
  });
});
