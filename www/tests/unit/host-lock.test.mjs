// The example host's lock (examples/host-vite/package-lock.json) pins its dev dependencies at
// www's own versions, so the package test installs it offline from the cache www's `npm ci`
// fills. When www's lock or the host's package.json changes, it must be written again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HOST, hostLock, hostLockText } from '../../scripts/host-lock.mjs';

test('the host’s committed lock is the one scripts/host-lock.mjs writes from www’s lock', () => {
  const committed = readFileSync(new URL('package-lock.json', HOST), 'utf8');
  assert.equal(committed, hostLockText(), 'run `node scripts/host-lock.mjs` in www/ and commit examples/host-vite/package-lock.json');
});

test('the closure follows nested copies and leaves out optional binaries the lock never had', () => {
  const www = {
    packages: {
      '': {},
      'node_modules/tool': { version: '1.0.0', dependencies: { a: '^1' }, optionalDependencies: { 'tool-binary-os': '1', 'tool-binary-other': '1' } },
      'node_modules/tool/node_modules/a': { version: '1.5.0', dev: true },
      'node_modules/a': { version: '2.0.0' },
      'node_modules/tool-binary-os': { version: '1.0.0', dev: true, optional: true },
      'node_modules/unrelated': { version: '3.0.0' },
    },
  };
  const lock = hostLock(www, { name: 'host', version: '0.0.0', devDependencies: { tool: '^1' } });
  assert.deepEqual(Object.keys(lock.packages), ['', 'node_modules/tool', 'node_modules/tool-binary-os', 'node_modules/tool/node_modules/a']);
  assert.equal(lock.packages['node_modules/tool/node_modules/a'].version, '1.5.0');
  assert.equal(lock.packages['node_modules/tool-binary-os'].optional, true);
  assert.equal(lock.packages['node_modules/tool'].dev, true);
  assert.throws(() => hostLock(www, { name: 'host', version: '0.0.0', devDependencies: { missing: '1' } }), /missing \(needed by package\.json\) is not in www\/package-lock\.json/);
});
