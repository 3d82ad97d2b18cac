// Every page the server sends, at desktop and phone width, under its Content-Security-Policy: the
// header is there (scripts only from the site, no framing by anyone, nosniff) and the browser
// refuses nothing on the page, its scripts run to the end, its tabs and printable documents
// included. Last of the suite, so that in the empty run the earlier tests have made cases and
// notices to print (alone it checks what there is).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL, DESKTOP, PHONE, apiToken, launch, passwordOf, policyProblems, reportPolicyViolations, staffLogin, watch,
} from './lib/harness.js';

const PUBLIC_PAGES = ['/', '/gui-don', '/tra-cuu', '/lich-tiep', '/ket-qua', '/tai-khoan', '/tinh-han', '/can-bo/dang-nhap',
  '/api/docs/'];
const STAFF_PAGES = ['/can-bo/', '/can-bo/tiep-nhan', '/can-bo/tiep-dan', '/can-bo/tiep-dan?so', '/can-bo/tong-hop-tuan',
  '/can-bo/bao-cao#dieu-hanh', '/can-bo/bao-cao#dinh-ky', '/can-bo/bao-cao#ket-qua',
  '/can-bo/quan-tri#users', '/can-bo/quan-tri#units', '/can-bo/quan-tri#rules', '/can-bo/quan-tri#days', '/can-bo/quan-tri#outbox',
  '/can-bo/doi-mat-khau', '/can-bo/luu-tru',
  '/can-bo/giam-sat#tai-khoan', '/can-bo/giam-sat#truy-cap'];

let browser;
let printable = [];
let cases = [];
before(async () => {
  browser = await launch();
  // A case and a notice to show, where the register has them (the admin sees every case).
  const token = await apiToken('admin');
  const get = async (path) => {
    const res = await fetch(`${BASE_URL}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return res.ok ? res.json() : null;
  };
  const list = (await get('/petitions?per_page=20'))?.items ?? [];
  cases = list.slice(0, 1).map((p) => `/can-bo/ho-so?id=${p.id}`);
  for (const p of list) {
    const notice = (await get(`/petitions/${p.id}/notices`))?.[0];
    if (notice) {
      printable.push(`/api/v1/notices/${notice.id}`);
      break;
    }
  }
  printable.push(`/api/v1/reports/periodic.html?period=${new Date().getFullYear()}`);
});
after(async () => { await browser?.close(); });

/** A context whose pages report what their policy refuses; `problems` collects every page's. */
async function context(viewport, problems) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', baseURL: BASE_URL });
  await reportPolicyViolations(ctx);
  ctx.on('page', (p) => watch(p, problems));
  return ctx;
}

/** Opens `path`, lets its scripts finish, and checks its headers; returns its response. */
async function visit(page, path) {
  // From elsewhere, so that a tab of the same page (another #hash) is a load of its own.
  await page.goto('about:blank');
  const response = await page.goto(path, { waitUntil: 'networkidle' });
  assert.ok(response, `${path} answered`);
  const headers = await response.allHeaders();
  // A page revalidated from the cache shows the 304's headers (no type): they must keep the policy.
  const revalidated = !headers['content-type'];
  if (!revalidated) assert.match(headers['content-type'], /^text\/html/, `${path} is a page`);
  assert.deepEqual(policyProblems({ 'content-type': 'text/html', ...headers }), [], `${path}'s security headers`);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/, `${path}: no inline code of any kind`);
  return response;
}

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`every page under its Content-Security-Policy (${name})`, () => {
    test('the public pages, the API docs and the 404 page', async () => {
      const problems = [];
      const ctx = await context(viewport, problems);
      const page = await ctx.newPage();
      for (const path of PUBLIC_PAGES) await visit(page, path);
      const missing = await visit(page, '/khong-co-trang-nay');
      assert.equal(missing.status(), 404);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // A JSON answer carries the closed policy and nosniff.
      const api = await page.request.get('/api/v1/public/reception-schedule');
      const h = api.headers();
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.match(h['content-security-policy'] ?? '', /default-src 'none'/);
      // The 404 page's own answer is this test's doing.
      assert.deepEqual(problems.filter((p) => !p.startsWith('missing file')), []);
      await ctx.close();
    });

    test("the staff's pages, a case and the printable documents", async () => {
      const problems = [];
      const ctx = await context(viewport, problems);
      const page = await ctx.newPage();
      page.setDefaultTimeout(15000);
      await staffLogin(page, 'admin', passwordOf('admin'));
      for (const path of [...STAFF_PAGES, ...cases]) await visit(page, path);
      for (const path of printable) {
        const doc = await ctx.newPage();
        await visit(doc, path);
        // Its layout comes from the served print stylesheet (no inline style is allowed).
        const centred = await doc.evaluate(() => getComputedStyle(document.querySelector('h1')).textAlign);
        assert.equal(centred, 'center', `${path} is laid out by its stylesheet`);
        await doc.close();
      }
      assert.deepEqual(problems, []);
      await ctx.close();
    });
  });
}

test('another site cannot frame a page', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // about:blank is another origin than the site: the browser must refuse to show the page in it.
  await page.setContent(`<iframe src="${BASE_URL}/"></iframe>`);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await page.waitForTimeout(500);
  const shown = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  assert.doesNotMatch(shown, /Tiếp công dân/, 'the framed page is not shown');
  await ctx.close();
});
