import assert from 'node:assert/strict';
import { InsertionTable } from '../../src/core/insertionTable';
import type { InsertionRecord } from '../../src/core/records';
import type { SpanRecord } from '../../src/core/survival';

const ins = (id: string, extra: Partial<InsertionRecord> = {}): InsertionRecord => ({
  k: 'ins', w: 'w', id, source: 'inline', confidence: 'certain', chars: 40, lines: 2, languageId: 'typescript',
  fileKind: 'test', path: 'src/a.test.ts', project: 'alpha', t: 1_732_500_000_123, day: '2024-11-25', hour: 9, ...extra,
});

describe('InsertionTable', () => {
  it('gives back the insertion and the survival bookkeeping it was given, field for field', () => {
    const table = new InsertionTable();
    const row = table.rowOf('a1');
    const insertion = ins('a1', { source: 'agent', confidence: 'possible', fileKind: 'generated', agent: 'codex', tokens: 12_345 });
    table.land(row, insertion);
    const { k: _k, w: _w, ...fields } = insertion;
    assert.deepEqual(table.insertion(row), fields);
    const span: SpanRecord = {
      id: 'a1', t: insertion.t, originalChars: 40, aliveChars: 17, excludedChars: 3, samples: { '10m': 1, '1h': 0.425, '24h': 'unknown', '72h': 0 },
      reworkedAfterMs: 7_200_000, quickRegret: true, fixupChars: 5, lastObservedAt: insertion.t + 90_000_000, closedReason: 'reworked', suspendedReason: 'stash',
    };
    table.setSpan(row, span);
    assert.deepEqual(table.span(row), span);
    // An older observation does not replace a newer one; a newer one replaces every field.
    table.setSpan(row, { ...span, lastObservedAt: span.lastObservedAt - 1, aliveChars: 40 });
    assert.deepEqual(table.span(row), span);
    const newer: SpanRecord = { id: 'a1', t: insertion.t, originalChars: 40, aliveChars: 40, excludedChars: 0, samples: {}, reworkedAfterMs: null, quickRegret: false, fixupChars: 0, lastObservedAt: span.lastObservedAt + 1 };
    table.setSpan(row, newer);
    assert.deepEqual(table.span(row), newer);
  });

  it('keeps rows created before their insertion landed, and grows past its first capacity', () => {
    const table = new InsertionTable();
    const early = table.rowOf('late');
    table.markCommitted(early);
    table.extend(early, 5, 1);
    assert.equal(table.landed(early), false);
    assert.equal(table.span(early), undefined);
    // A landed row with survival bookkeeping, written before every growth: each column kind
    // (numbers, codes, interned strings, samples) must be carried across the reallocations.
    const first = ins('first', { source: 'agent', confidence: 'likely', agent: 'claude-code', tokens: 77, languageId: 'rust', path: 'src/first.rs' });
    const firstSpan: SpanRecord = {
      id: 'first', t: first.t, originalChars: 40, aliveChars: 31, excludedChars: 2, samples: { '10m': 1, '1h': 0.9, '24h': 'unknown', '7d': 0.5 },
      reworkedAfterMs: 3_600_000, quickRegret: false, fixupChars: 4, lastObservedAt: first.t + 1_000, closedReason: 'fileDeleted',
    };
    const firstRow = table.rowOf('first');
    table.land(firstRow, first);
    table.setSpan(firstRow, firstSpan);
    for (let i = 0; i < 5000; i++) table.land(table.rowOf(`r${i}`), ins(`r${i}`, { chars: i, path: `src/f${i % 7}.ts` }));
    table.land(table.rowOf('late'), ins('late'));
    assert.equal(table.size, 5002);
    const { k: _k, w: _w, ...firstFields } = first;
    assert.deepEqual(table.insertion(table.rowOf('first')), firstFields);
    assert.deepEqual(table.span(table.rowOf('first')), firstSpan);
    assert.deepEqual([table.landed(early), table.committed(early), table.pasteAi(early), table.extension(early)], [true, true, false, { chars: 5, lines: 1 }]);
    assert.deepEqual([table.insertion(table.rowOf('r4321')).chars, table.insertion(table.rowOf('r4321')).path], [4321, 'src/f2.ts']);
    table.clear();
    assert.deepEqual([table.size, table.find('r1')], [0, undefined]);
  });
});
