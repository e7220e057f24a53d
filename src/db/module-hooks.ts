import { registerHooks } from 'node:module';

/**
 * drizzle-orm's package.json is 179 KB (an `exports` entry for each of its subpaths). Node 24's
 * ES module resolver looks the package scope up for every file it resolves inside the package
 * (to learn that a .js file is an ES module), and each look-up hands that file's `exports` text
 * from C++ to JavaScript again; each bare `drizzle-orm/…` specifier also parses it. Loading the
 * 107 drizzle modules the server uses made ~165 MB of garbage (a bare process importing drizzle's
 * pg driver peaked at 254 MB RSS, 66 MB with these hooks; the server's start-up peak went from
 * 165 to 139 MB and its idle RSS from 150 to 137 MB: docs/PERFORMANCE.md, "Memory, issue 27").
 *
 * These hooks answer drizzle's own relative imports without that look-up (its files are ES
 * modules, `"type": "module"`, and every relative import spells its `.js` file), and remember
 * what a bare `drizzle-orm…` specifier resolved to from this project's code, so the package.json
 * is read a few times instead of hundreds. Registered by src/server.ts before anything that
 * imports drizzle-orm is loaded; the tests (vitest resolves modules itself) do without.
 */
export function registerModuleHooks(): void {
  const bare = new Map<string, string>();
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (
        parent?.includes('/node_modules/drizzle-orm/') &&
        /^\.\.?\//.test(specifier) &&
        specifier.endsWith('.js')
      ) {
        return { url: new URL(specifier, parent).href, format: 'module', shortCircuit: true };
      }
      if (!specifier.startsWith('drizzle-orm') || parent === undefined || parent.includes('/node_modules/')) {
        return nextResolve(specifier, context);
      }
      const key = `${specifier}\0${context.conditions.join(',')}`;
      const known = bare.get(key);
      if (known) return { url: known, format: 'module', shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      if (resolved.format === 'module') bare.set(key, resolved.url);
      return resolved;
    },
  });
}
