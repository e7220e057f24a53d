#!/usr/bin/env node
// The supported Node.js runtimes are package.json's `engines.node`, and only there. npm runs
// this before `start`, `test`, `dev`, `bench` and `prepare`, so an unsupported Node stops at
// once with one line instead of a stack trace from deep inside a dependency that needs a newer
// one. CommonJS with nothing newer than Node 6's syntax: it must run, and say so, on any old Node.
'use strict';

// biome-ignore lint/style/useNodejsImportProtocol: `node:` specifiers need Node 14.18; this must run on older.
const fs = require('fs');
// biome-ignore lint/style/useNodejsImportProtocol: as above.
const path = require('path');

/** "^22.19.0 || ^24.0.0" → [{ major: 22, minor: 19, patch: 0 }, …]; only caret ranges are used. */
function parseEngines(range) {
  return String(range)
    .split('||')
    .map((part) => {
      const m = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
      if (!m) throw new Error(`engines.node must be caret ranges joined by ||, got "${range}"`);
      return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
    });
}

/** Whether a version ("24.1.0", "v20.20.2") satisfies one of the ranges. */
function satisfies(version, ranges) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  return ranges.some((r) => {
    if (major !== r.major) return false;
    if (minor !== r.minor) return minor > r.minor;
    return patch >= r.patch;
  });
}

/** The one line an unsupported runtime gets, or null when the version is supported. */
function refusal(version, range) {
  const ranges = parseEngines(range);
  if (satisfies(version, ranges)) return null;
  const names = ranges.map((r) =>
    r.minor === 0 && r.patch === 0 ? String(r.major) : `${r.major} (${r.major}.${r.minor}+)`,
  );
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  const target = ranges.some((r) => r.major === 24) ? 24 : ranges[ranges.length - 1].major;
  return (
    `Node.js ${version.replace(/^v?/, 'v')} is not supported: this server runs on Node.js ${list} ` +
    `(${target} LTS recommended). Get one from https://nodejs.org/en/download or with \`nvm install ${target}\`, ` +
    'then run the command again.'
  );
}

module.exports = { parseEngines, satisfies, refusal };

if (require.main === module) {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const line = refusal(process.versions.node, pkg.engines.node);
  if (line) {
    process.stderr.write(`${line}\n`);
    process.exit(1);
  }
}
