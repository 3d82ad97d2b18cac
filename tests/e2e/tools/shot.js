// Development helper: screenshots of a page at desktop and phone widths, with the console's errors.
//   node tools/shot.js http://127.0.0.1:8080/gui-don out-prefix ['{"username":"admin","password":"…"}']
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/browser.js';

const [url, prefix = 'screenshots/shot', session] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${name}] console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  if (session) {
    // Signed in as the pages do: the session cookie, and who signed in for the frame.
    const { username, password } = JSON.parse(session);
    await page.goto(new URL('/', url).href);
    await page.evaluate(async ([u, p]) => {
      const res = await fetch('/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'tiepdan' },
        body: JSON.stringify({ username: u, password: p, session: 'cookie' }),
      });
      const j = await res.json();
      localStorage.setItem('tiepdan.user', JSON.stringify({ ...j.user, expires_at: j.expires_at }));
    }, [username, password]);
  }
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${prefix}-${name}.png`, fullPage: true });
  await context.close();
}
await browser.close();
