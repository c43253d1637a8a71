import { DESKTOP, PHONE, openPage, startBrowser, chartsDrawn } from './harness.mjs';
const session = await startBrowser();
const [view, lang, device] = process.argv.slice(2);
const opened = await openPage(session.browser, session.url, { viewport: device === 'phone' ? PHONE : DESKTOP, hash: `#lang=${lang}&view=${view}` });
const { page } = opened;
await page.click('#load-sample');
await page.waitForSelector('body[data-state="ready"]');
await page.waitForTimeout(1500);
await chartsDrawn(page);
if (process.env.OPEN_FILTER) { await page.click('#filter-add-button'); await page.waitForTimeout(300); }
await page.screenshot({ path: `/tmp/front-shots/${view}-${lang}-${device}.png`, fullPage: !process.env.OPEN_FILTER });
console.log(await opened.issues());
await opened.close();
await session.close();
