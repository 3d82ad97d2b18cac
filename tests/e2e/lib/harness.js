// What every browser test needs: the server under test, Debian's Chromium, pages at desktop and
// phone sizes that fail the test on any script error, screenshots, and sign-in through the UI.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';

export const BASE_URL = process.env.E2E_BASE_URL || 'http://127.0.0.1:8080';
/** `demo`: the server runs with --demo; `empty`: first start, only the admin exists. */
export const MODE = process.env.E2E_MODE || 'demo';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || '';
export const DEMO_PASSWORD = 'tiepdan-demo';
/** The password of the staff the empty-database run creates through the admin page. */
export const STAFF_PASSWORD = 'Mat-khau-E2E-2026';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  // The built-in date and week pickers follow the browser's own UI language, which is English
  // without Debian's chromium-l10n: the screenshots show them as 11/26/2026 and "Week 48".
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--lang=vi-VN'] });
}

/**
 * A fresh browser context (its own sessionStorage) and page. Script errors, failed requests other
 * than expected API errors, console errors, anything the Content-Security-Policy refused, and a
 * page of the site served without its policy are collected, in the page and in the tabs it opens;
 * `page.assertClean()` fails on them.
 */
export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', baseURL: BASE_URL });
  await reportPolicyViolations(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  watch(page, problems);
  // Tabs the page opens (a printable notice or report) are held to the same rules.
  context.on('page', (tab) => { if (tab !== page) watch(tab, problems); });
  page.assertClean = () => assert.deepEqual(problems, [], 'no script errors, refused content, server errors or missing files');
  return page;
}

/**
 * Makes every page of `context` log what its Content-Security-Policy refuses as a console error
 * (the browser logs most refusals itself as "Refused to …", but not all of them).
 */
export async function reportPolicyViolations(context) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || 'inline'} (${e.sourceFile || document.URL}:${e.lineNumber})`);
    });
  });
}

/** Collects `page`'s problems (see `newPage`) into `problems`. */
export function watch(page, problems) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every 4xx/5xx response; the tests provoke some API errors on purpose and
    // check what the page shows instead.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('response', async (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`);
    if (r.status() === 404 && !r.url().includes('/api/')) problems.push(`missing file ${r.url()}`);
    if (r.request().isNavigationRequest() && r.url().startsWith(BASE_URL) && r.status() !== 304) {
      const missing = policyProblems(await r.allHeaders().catch(() => ({})));
      if (missing.length) problems.push(`${r.url()}: ${missing.join(', ')}`);
    }
  });
}

/** What a page's response lacks of its security headers (none for a page that is not HTML). */
export function policyProblems(headers) {
  if (!/^text\/html/.test(headers['content-type'] || '')) return [];
  const csp = headers['content-security-policy'] || '';
  const out = [];
  if (!csp) out.push('no Content-Security-Policy');
  const script = (csp.match(/(?:^|;)\s*script-src ([^;]*)/) || csp.match(/(?:^|;)\s*default-src ([^;]*)/) || [])[1] || '';
  if (!script || /unsafe-inline|unsafe-eval|\*/.test(script)) out.push(`scripts not held to the site's own files (${script})`);
  if (!/frame-ancestors 'none'/.test(csp)) out.push("no frame-ancestors 'none'");
  if (headers['x-frame-options'] !== 'DENY') out.push('no X-Frame-Options: DENY');
  if (headers['x-content-type-options'] !== 'nosniff') out.push('no X-Content-Type-Options: nosniff');
  return out;
}

/** Saves `screenshots/<mode>-<name>.png` (full page). */
export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${MODE}-${name}.png`), fullPage: true });
}

/** Signs in on the staff login page and waits for the role's home page. */
export async function staffLogin(page, username, password) {
  await page.goto('/can-bo/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/dang-nhap'));
  await page.getByTestId('current-user').waitFor();
}

/** The password of a named staff account in this run. */
export const passwordOf = (username) => (username === 'admin' ? ADMIN_PASSWORD : MODE === 'demo' ? DEMO_PASSWORD : STAFF_PASSWORD);

/** No horizontal scrolling (the page fits a phone). */
export async function fitsWidth(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width + 1, `the page is ${scroll}px wide in a ${width}px window`);
}

/** The text of an element, whitespace collapsed. */
export async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** `YYYY-MM-DD` today in Vietnam. */
export function todayVN() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** `2026-11-25` → `25/11/2026`. */
export const vnDate = (iso) => iso.split('-').reverse().join('/');

/** A JSON call to the API (for checks and set-up the UI has already been shown to do). */
export async function apiCall(path, { method = 'GET', body, token } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

export async function apiToken(username, password = passwordOf(username)) {
  return (await apiCall('/auth/login', { method: 'POST', body: { username, password } })).token;
}

/**
 * The control labelled exactly `label`; a required field's label ends with an asterisk that is
 * hidden from screen readers (the control carries `required`), which this ignores.
 */
export function byLabel(scope, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}
