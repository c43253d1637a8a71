#!/usr/bin/env node
// Writes examples/host-vite/package-lock.json from www's own package-lock.json: the example host's
// dev dependencies (Vite and everything it needs) at exactly the versions www/ uses. A machine
// that ran `npm ci` in www/ then has every tarball in its npm cache, and the package test
// installs the host offline. Run it after changing either package.json or www's lock:
//
//   node scripts/host-lock.mjs            (tests/unit/host-lock.test.mjs says when it is due)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = new URL('../', import.meta.url);
export const HOST = new URL('examples/host-vite/', WWW);

/** Where Node would find `name` from the package installed at `from` (a lock key). */
function locate(packages, from, name) {
  for (let base = from; ; ) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** The host's lock: its dev dependencies' closure in www's lock, every entry marked dev. */
export function hostLock(wwwLock, hostPackage) {
  const source = wwwLock.packages;
  const packages = { '': { name: hostPackage.name, version: hostPackage.version, devDependencies: hostPackage.devDependencies } };
  const queue = Object.keys(hostPackage.devDependencies).map((name) => ({ key: locate(source, '', name), name, optional: false, from: 'package.json' }));
  const seen = new Set();
  while (queue.length) {
    const { key, name, optional, from } = queue.shift();
    if (!key) {
      if (optional) continue; // a platform's optional binary www's lock never had
      throw new Error(`${name} (needed by ${from}) is not in www/package-lock.json: add it to www/ first`);
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = { ...source[key] };
    delete entry.devOptional;
    delete entry.dev;
    delete entry.optional;
    packages[key] = { ...entry, dev: true, ...(optional || source[key].optional ? { optional: true } : {}) };
    for (const [field, isOptional] of [['dependencies', optional], ['optionalDependencies', true]]) {
      for (const dependency of Object.keys(entry[field] ?? {})) queue.push({ key: locate(source, key, dependency), name: dependency, optional: isOptional, from: key });
    }
  }
  const sorted = Object.fromEntries(Object.keys(packages).sort().map((key) => [key, packages[key]]));
  return { name: hostPackage.name, version: hostPackage.version, lockfileVersion: 3, requires: true, packages: sorted };
}

/** The lock as the file should read. */
export function hostLockText() {
  const wwwLock = JSON.parse(readFileSync(new URL('package-lock.json', WWW), 'utf8'));
  const hostPackage = JSON.parse(readFileSync(new URL('package.json', HOST), 'utf8'));
  return `${JSON.stringify(hostLock(wwwLock, hostPackage), null, 2)}\n`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const file = new URL('package-lock.json', HOST);
  writeFileSync(file, hostLockText());
  console.log(`wrote ${fileURLToPath(file)}`);
}
