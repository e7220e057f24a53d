// Which chromium the browser tests launch: Debian's when present, else the one @sparticuz/chromium
// ships in its npm tarball, so no browser test depends on a system package.
import { accessSync, constants, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledChromiumPath, chooseBrowser, SYSTEM_CHROMIUM } from './browser.js';

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

describe('bundledChromiumPath', () => {
  it('unpacks the npm-shipped chromium to an executable file, the same path twice', async () => {
    const first = await bundledChromiumPath();
    const second = await bundledChromiumPath();
    expect(second).toBe(first);
    expect(statSync(first).size).toBeGreaterThan(100 * 1024 * 1024);
    expect(() => accessSync(first, constants.X_OK)).not.toThrow();
  }, 120_000);
});
