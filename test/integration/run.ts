/**
 * Integration tests in a real VS Code: the driver side (Node) runs these mocha files,
 * which start code-server, drive Chromium and run the in-extension-host suite.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

const grep = process.env.HINDSIGHT_GREP;
const mocha = new Mocha({
  timeout: 240_000,
  reporter: join(__dirname, '..', '..', '..', 'scripts', 'mochaReporter.cjs'),
  reporterOptions: { suiteName: 'integration' },
  ...(grep ? { grep } : {}),
});
const uiDir = join(__dirname, 'ui');
for (const name of readdirSync(uiDir).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(join(uiDir, name));
mocha.run((failures) => {
  process.exitCode = failures > 0 ? 1 : 0;
});
