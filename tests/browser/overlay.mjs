// serve's error overlay as an editor sees it, for tests/suite/serve.rs: waits for it over a page,
// then runs axe-core's WCAG 2 A and AA rules on it. It measures and reports; the Rust test
// decides.
//
// usage: node overlay.mjs REQUEST.json > REPORT.json
// REQUEST: { chromium, url, axe }   (axe: the path of axe.min.js)
// REPORT:  { text, violations: [{ id, impact, nodes: [{ target, summary }] }] }
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const browser = await chromium.launch({
  executablePath: request.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
// The page's Content-Security-Policy would block the injected axe script; the overlay's own
// script and stylesheet are same-origin files, which the policy allows either way.
const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
// Slow machines (CI on two busy cores) get a minute: a timeout here is no finding.
await page.goto(request.url, { waitUntil: 'domcontentloaded', timeout: 60000 });
await page.waitForSelector('#safe-surgeries-errors pre', { timeout: 60000 });
await page.waitForFunction(() => {
  const pre = document.querySelector('#safe-surgeries-errors pre');
  return pre && getComputedStyle(pre).fontFamily.includes('monospace') && pre.textContent.length > 0;
}, null, { timeout: 60000 });
await page.addScriptTag({ path: request.axe });
const results = await page.evaluate(async () => {
  // eslint-disable-next-line no-undef
  return await axe.run('#safe-surgeries-errors', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
});
const report = {
  text: await page.textContent('#safe-surgeries-errors pre'),
  violations: results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  })),
  checked: results.passes.map((p) => p.id),
};
process.stdout.write(JSON.stringify(report));
await browser.close();
