// Forgets the outputs and results of an earlier `npm test` (including compiled tests that
// were since deleted), so the closing line counts this run only.
import { rmSync } from 'node:fs';
rmSync('out', { recursive: true, force: true });
