import assert from 'node:assert/strict';
import type { CaptureKind } from '../../src/core/records';
import { readCaptureRecord } from '../../src/core/records';
import type { StoredRecord } from '../../src/core/storeFormat';

type Payload = Record<string, unknown>;

const t = 1_750_000_000_000;

function stored(k: string, payload: Payload): StoredRecord {
  return { v: 1, k, t, w: 'w1', ...payload } as StoredRecord;
}

const span = {
  id: 's1', t, originalChars: 40, aliveChars: 30, excludedChars: 0, samples: { '10m': 0.75, '1h': 'unknown' },
  reworkedAfterMs: null, quickRegret: false, fixupChars: 3, lastObservedAt: t + 1_000,
};

// A document of two lines ("abc" and "de" = 3 + 1 + 2 = 6 code units) with one span on it.
const layout = { path: 'src/a.ts', project: 'p', spans: { length: 6, runs: [2, 0, 4, 1], spans: [{ id: 's1', original: 4, createdAt: t }] }, lineHashes: ['h1', 'h2'], lineLengths: [3, 2] };

const turn = {
  agent: 'claude-code', sessionId: 'sess', promptAt: t, lastWriteAt: t + 5_000,
  tokens: { input: 100, output: 50, cacheRead: 10, cacheWrite: 0 }, writes: [{ path: 'src/a.ts', t: t + 5_000, lineHashes: ['h1'] }],
};

/** One valid payload per kind. */
const valid: Record<CaptureKind, Payload> = {
  ins: { id: 's1', source: 'inline', confidence: 'certain', chars: 40, lines: 2, languageId: 'typescript', fileKind: 'source', path: 'src/a.ts', project: 'p', day: '2025-06-10', hour: 9 },
  ext: { id: 's1', chars: 5, lines: 0 },
  surv: { span },
  doc: layout,
  commit: { project: 'p', sha: 'abc123', spanIds: ['s1'], committedLines: { s1: ['h1', 'h2'] }, aiTool: null },
  blame: { id: 's1', share: 0.5 },
  verdict: { id: 's1', verdict: 'helped' },
  note: { id: 's1', note: 'took two fixes' },
  pasteAi: { id: 's1' },
  pulse: { week: '2025-06-09', answer: 'different', answeredOn: '2025-06-12' },
  ctx: { event: { kind: 'editor', t, day: '2025-06-10', window: 'w1', project: 'p', path: 'src/a.ts' } },
  turn: { turn },
  agentMatch: { id: 's1', agent: 'codex', turnKey: 'codex|sess|1750000000000', tokens: 1234 },
  day: {
    day: '2025-06-10',
    summary: { day: '2025-06-10', switches: 3, byKind: { app: 1, project: 0, area: 1, tool: 1 }, activeMs: 3_600_000, sessions: 2, focusMs: 1_800_000, longestFocusMs: 1_800_000 },
    focusBlocks: 1,
    switches: [{ t, kind: 'app' }, { t: t + 1, kind: 'area' }, { t: t + 2, kind: 'tool' }],
    sessions: [{ start: t, end: t + 3_600_000, switches: 3 }],
  },
};

/** Valid variations: optional fields present, nulls where allowed, other members of unions. */
const alsoValid: [CaptureKind, Payload][] = [
  ['ins', { ...valid.ins, agent: 'codex', tokens: 1200, source: 'agent', confidence: 'possible', fileKind: 'test', hour: 0 }],
  ['ins', { ...valid.ins, hour: 23, lines: 0 }],
  ['surv', { span: { ...span, reworkedAfterMs: 60_000, quickRegret: true, closedReason: 'fileDeleted', samples: {} } }],
  ['surv', { span: { ...span, suspendedReason: 'branchSwitch', samples: { '30d': 0, '7d': 1 } } }],
  ['doc', { ...layout, spans: { length: 0, runs: [], spans: [] }, lineHashes: ['h'], lineLengths: [0] }],
  ['commit', { ...valid.commit, aiTool: 'claude', spanIds: [], committedLines: {} }],
  ['blame', { id: 's1', share: 0 }],
  ['blame', { id: 's1', share: 1 }],
  ['verdict', { id: 's1', verdict: null }],
  ['verdict', { id: 's1', verdict: 'tooEarly' }],
  ['note', { id: 's1', note: '' }],
  ['ctx', { event: { kind: 'tool', t, day: '2025-06-10', window: 'w1', tool: 'terminal' } }],
  ['ctx', { event: { kind: 'edit', t, day: '2025-06-10', window: 'w1', project: 'p', path: 'a.ts' } }],
  ...(['windowFocus', 'windowBlur', 'save', 'commit', 'tick'] as const).map((kind): [CaptureKind, Payload] => ['ctx', { event: { kind, t, day: '2025-06-10', window: 'w1' } }]),
  ['turn', { turn: { ...turn, agent: 'codex', lastWriteAt: null, writes: [] } }],
];

/** Malformed payloads, each breaking one field in one way. */
const invalid: [CaptureKind, string, Payload][] = [
  ['ins', 'missing id', { ...valid.ins, id: undefined }],
  ['ins', 'empty id', { ...valid.ins, id: '' }],
  ['ins', 'numeric id', { ...valid.ins, id: 7 }],
  ['ins', 'unknown source', { ...valid.ins, source: 'copilot' }],
  ['ins', 'unknown confidence', { ...valid.ins, confidence: 'sure' }],
  ['ins', 'negative chars', { ...valid.ins, chars: -1 }],
  ['ins', 'fractional chars', { ...valid.ins, chars: 1.5 }],
  ['ins', 'chars as string', { ...valid.ins, chars: '40' }],
  ['ins', 'infinite lines', { ...valid.ins, lines: Infinity }],
  ['ins', 'unknown file kind', { ...valid.ins, fileKind: 'binary' }],
  ['ins', 'missing language', { ...valid.ins, languageId: undefined }],
  ['ins', 'missing path', { ...valid.ins, path: undefined }],
  ['ins', 'project as number', { ...valid.ins, project: 1 }],
  ['ins', 'bad day', { ...valid.ins, day: '10/06/2025' }],
  ['ins', 'hour 24', { ...valid.ins, hour: 24 }],
  ['ins', 'fractional hour', { ...valid.ins, hour: 9.5 }],
  ['ins', 'agent as number', { ...valid.ins, agent: 3 }],
  ['ins', 'negative tokens', { ...valid.ins, tokens: -5 }],
  ['ext', 'missing id', { chars: 5, lines: 0 }],
  ['ext', 'negative chars', { ...valid.ext, chars: -5 }],
  ['ext', 'lines as null', { ...valid.ext, lines: null }],
  ['surv', 'no span', {}],
  ['surv', 'span is an array', { span: [span] }],
  ['surv', 'span without id', { span: { ...span, id: undefined } }],
  ['surv', 'negative alive', { span: { ...span, aliveChars: -1 } }],
  ['surv', 'NaN original', { span: { ...span, originalChars: NaN } }],
  ['surv', 'samples missing', { span: { ...span, samples: undefined } }],
  ['surv', 'sample above 1', { span: { ...span, samples: { '10m': 1.5 } } }],
  ['surv', 'sample as text', { span: { ...span, samples: { '10m': 'lots' } } }],
  ['surv', 'unknown checkpoint', { span: { ...span, samples: { '5m': 1 } } }],
  ['surv', 'rework time as text', { span: { ...span, reworkedAfterMs: '5' } }],
  ['surv', 'quick regret as number', { span: { ...span, quickRegret: 0 } }],
  ['surv', 'missing lastObservedAt', { span: { ...span, lastObservedAt: undefined } }],
  ['surv', 'unknown closed reason', { span: { ...span, closedReason: 'gone' } }],
  ['surv', 'unknown suspended reason', { span: { ...span, suspendedReason: 'lunch' } }],
  ['doc', 'missing spans', { ...layout, spans: undefined }],
  ['doc', 'odd runs', { ...layout, spans: { ...layout.spans, runs: [2, 0, 4] } }],
  ['doc', 'run of length 0', { ...layout, spans: { length: 6, runs: [0, 0, 6, 1], spans: layout.spans.spans } }],
  ['doc', 'run slot beyond the spans', { ...layout, spans: { ...layout.spans, runs: [2, 0, 4, 2] } }],
  ['doc', 'runs not covering the length', { ...layout, spans: { ...layout.spans, length: 7 } }],
  ['doc', 'duplicate span ids', { ...layout, spans: { ...layout.spans, spans: [layout.spans.spans[0], layout.spans.spans[0]] } }],
  ['doc', 'span without id', { ...layout, spans: { ...layout.spans, spans: [{ original: 4, createdAt: t }] } }],
  ['doc', 'hashes not strings', { ...layout, lineHashes: [1, 2] }],
  ['doc', 'one hash per line missing', { ...layout, lineHashes: ['h1'] }],
  ['doc', 'no lines', { ...layout, spans: { length: 0, runs: [], spans: [] }, lineHashes: [], lineLengths: [] }],
  ['doc', 'lines not describing the length', { ...layout, lineLengths: [3, 3] }],
  ['doc', 'negative line length', { ...layout, lineLengths: [-1, 6] }],
  ['commit', 'missing sha', { ...valid.commit, sha: undefined }],
  ['commit', 'span ids not strings', { ...valid.commit, spanIds: [1] }],
  ['commit', 'committed lines not an object', { ...valid.commit, committedLines: ['h1'] }],
  ['commit', 'committed line hashes not strings', { ...valid.commit, committedLines: { s1: [1] } }],
  ['commit', 'ai tool missing', { ...valid.commit, aiTool: undefined }],
  ['blame', 'share above 1', { id: 's1', share: 1.01 }],
  ['blame', 'negative share', { id: 's1', share: -0.1 }],
  ['blame', 'share as text', { id: 's1', share: '0.5' }],
  ['verdict', 'unknown verdict', { id: 's1', verdict: 'great' }],
  ['verdict', 'missing verdict', { id: 's1' }],
  ['note', 'note as number', { id: 's1', note: 5 }],
  ['note', 'missing id', { note: 'n' }],
  ['pasteAi', 'missing id', {}],
  ['pulse', 'bad week', { ...valid.pulse, week: '2025-W24' }],
  ['pulse', 'unknown answer', { ...valid.pulse, answer: 'meh' }],
  ['pulse', 'missing answeredOn', { ...valid.pulse, answeredOn: undefined }],
  ['ctx', 'missing event', {}],
  ['ctx', 'unknown event kind', { event: { kind: 'scroll', t, day: '2025-06-10', window: 'w1' } }],
  ['ctx', 'editor without path', { event: { kind: 'editor', t, day: '2025-06-10', window: 'w1', project: 'p' } }],
  ['ctx', 'unknown tool', { event: { kind: 'tool', t, day: '2025-06-10', window: 'w1', tool: 'browser' } }],
  ['ctx', 'bad day', { event: { kind: 'save', t, day: 'today', window: 'w1' } }],
  ['ctx', 'missing window', { event: { kind: 'save', t, day: '2025-06-10' } }],
  ['ctx', 'time as text', { event: { kind: 'save', t: 'now', day: '2025-06-10', window: 'w1' } }],
  ['turn', 'unknown agent', { turn: { ...turn, agent: 'cursor' } }],
  ['turn', 'tokens not numbers', { turn: { ...turn, tokens: { input: 'many', output: 1, cacheRead: 0, cacheWrite: 0 } } }],
  ['turn', 'tokens missing a field', { turn: { ...turn, tokens: { input: 1, output: 1, cacheRead: 0 } } }],
  ['turn', 'write without path', { turn: { ...turn, writes: [{ t, lineHashes: [] }] } }],
  ['turn', 'write hashes not strings', { turn: { ...turn, writes: [{ path: 'a', t, lineHashes: [1] }] } }],
  ['turn', 'lastWriteAt as text', { turn: { ...turn, lastWriteAt: 'later' } }],
  ['agentMatch', 'unknown agent', { ...valid.agentMatch, agent: 'cursor' }],
  ['agentMatch', 'empty turn key', { ...valid.agentMatch, turnKey: '' }],
  ['agentMatch', 'negative tokens', { ...valid.agentMatch, tokens: -1 }],
  ['agentMatch', 'missing id', { ...valid.agentMatch, id: undefined }],
  ['day', 'bad day', { ...valid.day, day: 'June 10' }],
  ['day', 'summary missing a kind', { ...valid.day, summary: { ...(valid.day.summary as object), byKind: { app: 1, project: 0, area: 1 } } }],
  ['day', 'negative focus blocks', { ...valid.day, focusBlocks: -1 }],
  ['day', 'unknown switch kind', { ...valid.day, switches: [{ t, kind: 'meeting' }] }],
  ['day', 'session without end', { ...valid.day, sessions: [{ start: t, switches: 0 }] }],
];

describe('readCaptureRecord', () => {
  for (const [kind, payload] of Object.entries(valid)) {
    it(`accepts a valid ${kind} record and returns it unchanged`, () => {
      const record = stored(kind, payload);
      const read = readCaptureRecord(record);
      assert.deepEqual(read, { ok: true, record });
    });
  }

  it('accepts optional fields, nulls where allowed and every member of the unions', () => {
    for (const [kind, payload] of alsoValid) {
      assert.equal(readCaptureRecord(stored(kind, payload)).ok, true, `${kind}: ${JSON.stringify(payload)}`);
    }
  });

  it('rejects each kind of malformed field as invalid', () => {
    assert.equal(new Set(invalid.map(([kind]) => kind)).size, Object.keys(valid).length, 'every kind has malformed cases');
    for (const [kind, why, payload] of invalid) {
      assert.deepEqual(readCaptureRecord(stored(kind, payload)), { ok: false, reason: 'invalid' }, `${kind}: ${why}`);
    }
  });

  it('reports an unknown kind as unknownKind, including names of Object.prototype members', () => {
    for (const kind of ['session', 'INS', '', 'toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      assert.deepEqual(readCaptureRecord(stored(kind, valid.ins)), { ok: false, reason: 'unknownKind' }, kind);
    }
  });
});
