// What a patient's phone does with the built site, in Debian's Chromium driven by
// playwright-core, for tests/suite/phone.rs. It measures and reports; the Rust test decides.
//
// usage: node phone.mjs REQUEST.json > REPORT.json
// REQUEST: { chromium, base, header: [paths], menu: path, exit: { from, page, url },
//            offline: [{ file, query }], print: [{ path, pdf }] }
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const browser = await chromium.launch({
  executablePath: request.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const phone = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 1 };
const report = {};

// 1. The first screen: how far down the header (with the language control) reaches, how wide
//    the page is at 320 px, and the height of every tap target in the header.
{
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  report.header = [];
  for (const path of request.header) {
    await page.goto(request.base + path);
    const measured = await page.evaluate(() => {
      const header = document.querySelector('header');
      const targets = [...document.querySelectorAll('header a, header summary, header button')]
        .filter((e) => e.getClientRects().length)
        .map((e) => ({ text: e.textContent.trim().slice(0, 40), height: e.getBoundingClientRect().height }));
      return {
        bottom: header ? header.getBoundingClientRect().bottom : null,
        menu: !!document.querySelector('header details.language-menu'),
        listVisible: [...document.querySelectorAll('.language-switcher a')].some((a) => a.checkVisibility()),
        targets,
      };
    });
    await page.setViewportSize({ width: 320, height: 740 });
    measured.scrollWidth320 = await page.evaluate(() => document.documentElement.scrollWidth);
    // Words in table cells that the browser broke across lines to make the table fit.
    measured.brokenWords320 = await page.evaluate(() => [...document.querySelectorAll('td code, th code')]
      .filter((e) => !/\s/.test(e.textContent) && e.getClientRects().length > 1)
      .map((e) => e.textContent));
    await page.setViewportSize(phone.viewport);
    report.header.push({ path, ...measured });
  }
  await context.close();
}

// 2. The language list with scripts off: it opens, and each entry is a 44 px tap target.
{
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(request.base + request.menu);
  await page.click('header details.language-menu > summary', { timeout: 5000 }).catch(() => {});
  report.menu = await page.evaluate(() => ({
    open: !!document.querySelector('details.language-menu[open]'),
    links: [...document.querySelectorAll('.language-switcher a')].map((a) => ({
      lang: a.getAttribute('lang'),
      visible: a.checkVisibility(),
      height: a.getBoundingClientRect().height,
    })),
  }));
  await context.close();
}

// 3. Exit this page: Shift three times, then the button; where the browser is and what the
//    back button does. The exit site is answered here: nothing leaves the machine.
{
  const context = await browser.newContext(phone);
  const requested = [];
  context.on('request', (r) => requested.push(r.url()));
  await context.route(request.exit.url + '**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>elsewhere</title>' }));
  const page = await context.newPage();
  const leave = async (how) => {
    requested.length = 0;
    await page.goto(request.base + request.exit.from);
    await page.goto(request.base + request.exit.page);
    const before = await page.evaluate(() => history.length);
    const fetchedEarly = requested.some((u) => u.startsWith(request.exit.url));
    if (how === 'shift') {
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      const status = await page.evaluate(() => document.querySelector('#exit-this-page [aria-live]')?.textContent || '');
      await Promise.all([page.waitForURL(request.exit.url + '**', { timeout: 5000 }), page.keyboard.press('Shift')]);
      var said = status;
    } else {
      await Promise.all([page.waitForURL(request.exit.url + '**', { timeout: 5000 }), page.click('.exit-this-page-button', { timeout: 5000 })]);
    }
    const at = page.url();
    const after = await page.evaluate(() => history.length);
    await page.goBack();
    return { before, after, at, back: page.url(), fetchedEarly, said: said ?? null };
  };
  const attempt = async (how) => {
    try {
      return await leave(how);
    } catch (error) {
      return { error: String(error).split('\n')[0], at: page.url() };
    }
  };
  report.exit = { shift: await attempt('shift'), button: await attempt('button') };
  // Shift held for capital letters is typing, not leaving.
  await page.goto(request.base + request.exit.page);
  await page.keyboard.down('Shift');
  await page.keyboard.press('A');
  await page.keyboard.up('Shift');
  await page.keyboard.down('Shift');
  await page.keyboard.press('B');
  await page.keyboard.up('Shift');
  await page.keyboard.down('Shift');
  await page.keyboard.press('C');
  await page.keyboard.up('Shift');
  await page.waitForTimeout(300);
  report.exit.typing = page.url();
  await context.close();
  const plain = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(request.base + request.exit.page);
  report.exit.withoutScripts = await noScript.evaluate(() => {
    const a = document.querySelector('.exit-this-page-button');
    return a ? { href: a.href, rel: a.getAttribute('rel'), visible: a.getClientRects().length > 0 } : null;
  });
  await plain.close();
}

// 4. The offline copy, opened from disk: search, open the first result, list what was asked
//    of anything but the disk.
{
  const context = await browser.newContext(phone);
  const requested = [];
  context.on('request', (r) => requested.push(r.url()));
  const page = await context.newPage();
  report.offline = [];
  for (const { file, query } of request.offline) {
    await page.goto('file://' + file);
    await page.fill('#search-q', query);
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(() => document.getElementById('search-status').textContent.length > 0, null, { timeout: 10000 });
    const found = await page.evaluate(() => [...document.querySelectorAll('#search-list a')].map((a) => a.href));
    let opened = null;
    if (found.length) {
      await page.goto(found[0]);
      opened = await page.evaluate(() => ({
        url: location.href,
        title: document.title,
        styled: getComputedStyle(document.querySelector('header')).backgroundColor !== 'rgba(0, 0, 0, 0)',
      }));
    }
    report.offline.push({ file, query, found, opened });
  }
  report.offlineRequests = requested.filter((u) => !u.startsWith('file:'));
  await context.close();
}

// 5. Paper: each page printed to PDF from the browser's print dialog (A4, as print.css says).
{
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  for (const { path, pdf } of request.print) {
    await page.goto(request.base + path);
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: false });
  }
  await context.close();
}

await browser.close();
process.stdout.write(JSON.stringify(report));
