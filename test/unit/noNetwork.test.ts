import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Privacy by construction: the extension's bundles must not load a network module nor call
 * a network API. The bundles are built here (production, as shipped) and read as text.
 */
const root = join(__dirname, '..', '..', '..');
const bundles = ['dist/extension.js', 'dist/container.js'];
const networkModules = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'undici'];
const networkApis = [/\bfetch\s*\(/, /\bWebSocket\b/, /\bXMLHttpRequest\b/, /\bEventSource\b/, /\bnavigator\.sendBeacon\b/];

describe('no network anywhere in the extension bundle', function () {
  this.timeout(120_000);

  before(() => {
    execFileSync(process.execPath, [join(root, 'esbuild.config.mjs'), '--production'], { cwd: root, stdio: 'pipe' });
  });

  for (const bundle of bundles) {
    it(`${bundle} requires no network module`, () => {
      const path = join(root, bundle);
      assert.ok(existsSync(path), `${bundle} was built`);
      const code = readFileSync(path, 'utf8');
      const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1].replace(/^node:/, ''));
      assert.ok(required.length > 0, 'the check sees the bundle’s requires');
      for (const name of networkModules) assert.ok(!required.includes(name) && !required.some((r) => r.startsWith(`${name}/`)), `${bundle} requires ${name}`);
      assert.ok(!/import\(\s*["'`](node:)?(http|https|net|tls|dgram)["'`]\s*\)/.test(code), `${bundle} imports a network module dynamically`);
    });

    it(`${bundle} calls no network API (fetch, WebSocket, XMLHttpRequest, EventSource, sendBeacon)`, () => {
      const code = readFileSync(join(root, bundle), 'utf8');
      for (const api of networkApis) assert.ok(!api.test(code), `${bundle} uses ${api}`);
    });
  }

  it('would catch a bundle that does', () => {
    const bad = 'const h = require("node:https"); fetch("x")';
    const required = [...bad.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1].replace(/^node:/, ''));
    assert.ok(required.includes('https'));
    assert.ok(networkApis[0].test(bad));
  });
});
