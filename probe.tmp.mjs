import { chromium } from 'playwright-core';
const base = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
await page.goto(base + '/login');
await page.getByLabel(/^Email address/).fill('demo-rater2@kader.example');
await page.getByLabel(/^Password/).fill('kader-demo');
await page.getByRole('button', { name: 'Log in' }).click();
await page.waitForURL(/studies/);
await page.goto(base + '/studies');
const wide = await page.evaluate(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > 400 && true) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right) + ' ' + getComputedStyle(el).overflowX + ' ' + getComputedStyle(el).minWidth);
  }
  return { sw: document.documentElement.scrollWidth, out: out.slice(0, 20) };
});
console.log(JSON.stringify(wide, null, 1));
await browser.close();
