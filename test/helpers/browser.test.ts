// Which chromium the browser tests launch: Debian's when present, else the one @sparticuz/chromium
// ships in its npm tarball, so no browser test depends on a system package.
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledChromium, chooseBrowser, launchBrowser, SYSTEM_CHROMIUM } from './browser.js';

const only =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);

describe('chooseBrowser', () => {
  it('takes /usr/bin/chromium when it exists', () => {
    expect(chooseBrowser({}, only(SYSTEM_CHROMIUM))).toEqual({ kind: 'system', path: SYSTEM_CHROMIUM });
  });

  it('falls back to the bundled chromium when /usr/bin/chromium is missing', () => {
    expect(chooseBrowser({}, only())).toEqual({ kind: 'bundled' });
  });

  it('takes CHROMIUM_PATH over /usr/bin/chromium when it exists', () => {
    expect(chooseBrowser({ CHROMIUM_PATH: '/opt/chrome' }, only('/opt/chrome', SYSTEM_CHROMIUM))).toEqual({
      kind: 'system',
      path: '/opt/chrome',
    });
  });

  it('falls through to the bundled chromium when CHROMIUM_PATH does not exist', () => {
    expect(chooseBrowser({ CHROMIUM_PATH: '/nowhere/chromium' }, only(SYSTEM_CHROMIUM))).toEqual({
      kind: 'bundled',
    });
  });

  it('takes the bundled chromium with BROWSER_PREFER_BUNDLED=1 even when a system one exists', () => {
    expect(
      chooseBrowser({ BROWSER_PREFER_BUNDLED: '1', CHROMIUM_PATH: '/opt/chrome' }, only('/opt/chrome')),
    ).toEqual({ kind: 'bundled' });
  });

  it('treats an empty CHROMIUM_PATH as unset', () => {
    expect(chooseBrowser({ CHROMIUM_PATH: '' }, only(SYSTEM_CHROMIUM))).toEqual({
      kind: 'system',
      path: SYSTEM_CHROMIUM,
    });
  });
});

describe('bundledChromium', () => {
  it('unpacks the npm-shipped chromium to an executable file, the same path twice', async () => {
    const first = await bundledChromium();
    const second = await bundledChromium();
    expect(second.path).toBe(first.path);
    expect(statSync(first.path).size).toBeGreaterThan(100 * 1024 * 1024);
    expect(() => accessSync(first.path, constants.X_OK)).not.toThrow();
  }, 120_000);

  it('unpacks the shipped libnss3, libnspr4 and libexpat when asked (as when ldd misses one)', async () => {
    const { libraries } = await bundledChromium({ BROWSER_BUNDLED_LIBS: '1' });
    expect(libraries).toBeDefined();
    for (const lib of ['libnss3.so', 'libnspr4.so', 'libexpat.so.1']) {
      expect(statSync(join(libraries!, lib)).isFile()).toBe(true);
    }
  }, 120_000);

  it('launches, clicks and screenshots with the shipped libraries on LD_LIBRARY_PATH', async () => {
    const browser = await launchBrowser({
      ...process.env,
      BROWSER_PREFER_BUNDLED: '1',
      BROWSER_BUNDLED_LIBS: '1',
    });
    try {
      const page = await browser.newPage();
      await page.setContent('<button onclick="this.textContent = \'clicked\'">click me</button>');
      await page.click('button');
      expect(await page.textContent('button')).toBe('clicked');
      const png = await page.screenshot();
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
