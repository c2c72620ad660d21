import { launchBrowser, axeSeriousViolations, formatViolations, startServer } from './helpers/browser.ts';
const server = await startServer();
const b = await launchBrowser();
const p = await b.newPage();
await p.goto(server.baseUrl + '/setup');
await p.evaluate(() => { document.querySelector('main')!.insertAdjacentHTML('beforeend', '<input type="text"><img src="/x.png"><p style="color:#eee;background:#fff">low contrast</p>'); });
const v = await axeSeriousViolations(p);
console.log(formatViolations('sanity', v));
// all impacts on a few pages
const all = await p.evaluate(async () => { const r = await (window as any).axe.run(document, { runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa','best-practice'] }); return r.violations.map((x: any) => x.id + ':' + x.impact); });
console.log(all);
await b.close(); await server.stop();
