// Drives the dashboard in headless Chromium for DashboardBrowserIT.
// Usage: node dashboard.test.mjs <dashboard-url>
// Reads commands from stdin, one per line, and answers each with one line on stdout:
//   WAIT <css selector>\t<expected text>   -> OK | FAIL <what it saw>   (waits up to 20 s for an exact match)
//   EVAL <js expression>                   -> VALUE <JSON of the result>
//   WAITJS <js expression>                 -> OK | FAIL <its last value>   (waits up to 20 s for a truthy value)
//   PIXELS <css selector>\t<x fractions>   -> VALUE [[r,g,b], …]: the painted colour at each fraction of the
//                                              element's width, on its middle row (from a screenshot)
//   GOTO <url> / RELOAD                    -> OK (the page loaded again)
//   SCREENSHOT <path>                      -> OK
//   HELD / RELEASE                         -> OK: with --hold-first-subscribe (after the url), the page's first
//                                              `subscribe` is held back on its way to the server: HELD waits until
//                                              it is (up to 20 s), RELEASE sends it and what followed it
//   QUIT                                   -> BYE (and exits)
import { chromium } from 'playwright-core';
import readline from 'node:readline';
import { decodePng } from './png.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node dashboard.test.mjs <dashboard-url>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('console', (m) => console.error('[page] ' + m.text()));
page.on('pageerror', (e) => console.error('[page error] ' + e.message));
// The page's first subscription held back, so a test can act between the page's summary and it.
let held = null;          // {server, messages} while the first subscribe is held back
let holdDone = process.argv[3] !== '--hold-first-subscribe';
if (!holdDone) {
  await page.routeWebSocket(() => true, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (held !== null && held.server === server) {
        held.messages.push(m);
      } else if (!holdDone && typeof m === 'string' && JSON.parse(m).type === 'subscribe') {
        holdDone = true;
        held = { server, messages: [m] };
        console.error('[driver] holding the page\'s first subscribe');
      } else {
        server.send(m);
      }
    });
  });
}
await page.goto(url);
console.log('READY');

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const space = line.indexOf(' ');
  const cmd = space < 0 ? line : line.slice(0, space);
  const arg = space < 0 ? '' : line.slice(space + 1);
  try {
    if (cmd === 'WAIT') {
      const [selector, expected] = arg.split('\t');
      try {
        await page.waitForFunction(([s, e]) => {
          const el = document.querySelector(s);
          return el !== null && el.textContent.trim() === e;
        }, [selector, expected], { timeout: 20000, polling: 50 });
        console.log('OK');
      } catch (e) {
        const seen = await page.evaluate((s) => {
          const el = document.querySelector(s);
          return el === null ? '<no element>' : el.textContent.trim();
        }, selector);
        console.log('FAIL ' + JSON.stringify({ selector, expected, seen }));
      }
    } else if (cmd === 'WAITJS') {
      // Polled from here: the page's CSP (no 'unsafe-eval') forbids waitForFunction with a string.
      const deadline = Date.now() + 20000;
      let value;
      while (!(value = await page.evaluate(arg).catch((x) => 'error: ' + x.message)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      console.log(value && !String(value).startsWith('error: ') ? 'OK' : 'FAIL ' + JSON.stringify({ expression: arg, value }));
    } else if (cmd === 'PIXELS') {
      const [selector, fractions] = arg.split('\t');
      // A clip of the page, not an element screenshot: the page redraws its panels every second,
      // and an element replaced meanwhile would fail the shot.
      const box = await page.evaluate((s) => {
        const e = document.querySelector(s);
        e.scrollIntoView({ block: 'center' });
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }, selector);
      const png = decodePng(await page.screenshot({ clip: box, animations: 'disabled' }));
      const y = Math.floor(png.height / 2);
      const colours = fractions.split(',').map(Number).map((f) => png.rgb(Math.min(png.width - 1, Math.floor(f * png.width)), y));
      console.log('VALUE ' + JSON.stringify(colours));
    } else if (cmd === 'GOTO' || cmd === 'RELOAD') {
      if (cmd === 'GOTO') await page.goto(arg); else await page.reload();
      console.log('OK');
    } else if (cmd === 'EVAL') {
      const value = await page.evaluate(arg);
      console.log('VALUE ' + JSON.stringify(value));
    } else if (cmd === 'SCREENSHOT') {
      await page.screenshot({ path: arg, fullPage: true });
      console.log('OK');
    } else if (cmd === 'HELD') {
      const deadline = Date.now() + 20000;
      while (held === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      console.log(held !== null ? 'OK' : 'FAIL no subscribe held (started with --hold-first-subscribe?)');
    } else if (cmd === 'RELEASE') {
      if (held === null) {
        console.log('FAIL nothing held');
      } else {
        const { server, messages } = held;
        held = null;
        for (const m of messages) server.send(m);
        console.log('OK');
      }
    } else if (cmd === 'QUIT') {
      console.log('BYE');
      break;
    } else {
      console.log('FAIL unknown command ' + cmd);
    }
  } catch (e) {
    console.log('FAIL ' + JSON.stringify(String(e && e.message || e)));
  }
}
await browser.close();
process.exit(0);
