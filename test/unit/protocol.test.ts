import assert from 'node:assert/strict';
import type { WebviewMessage } from '../../src/core/protocol';
import { maxNoteLength, parseHostMessage, parseWebviewMessage, protocolVersion, rangePresets } from '../../src/core/protocol';

describe('parseWebviewMessage', () => {
  const accepted: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'pulseDismiss' },
    ...rangePresets.filter((p) => p !== 'custom').map((preset): WebviewMessage => ({ type: 'setRange', preset })),
    { type: 'setRange', preset: 'custom', from: '2025-06-01', to: '2025-06-14' },
    { type: 'setRange', preset: 'custom', from: '2024-02-29', to: '2024-02-29' },
    { type: 'setMinConfidence', minConfidence: 'certain' },
    { type: 'setMinConfidence', minConfidence: 'likely' },
    { type: 'setMinConfidence', minConfidence: 'possible' },
    { type: 'openInsertion', id: 'a1B2-c3_d4' },
    { type: 'markPasteAsAi', id: 'x'.repeat(64) },
    { type: 'overrideVerdict', id: 's1', verdict: 'helped' },
    { type: 'overrideVerdict', id: 's1', verdict: 'hurt' },
    { type: 'overrideVerdict', id: 's1', verdict: 'mixed' },
    { type: 'overrideVerdict', id: 's1', verdict: 'tooEarly' },
    { type: 'overrideVerdict', id: 's1', verdict: null },
    { type: 'setNote', id: 's1', note: '' },
    { type: 'setNote', id: 's1', note: 'n'.repeat(maxNoteLength) },
    { type: 'pulseAnswer', answer: 'better' },
    { type: 'pulseAnswer', answer: 'different' },
    { type: 'pulseAnswer', answer: 'worse' },
    ...(['pause', 'resume', 'exportSummary', 'deleteAllData', 'openDataFolder', 'openInEditor'] as const).map((command): WebviewMessage => ({ type: 'command', command })),
  ];

  it('accepts every message type with valid fields, returning exactly those fields', () => {
    for (const message of accepted) assert.deepEqual(parseWebviewMessage(message), message, JSON.stringify(message));
  });

  it('drops fields a message does not have', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: '<script>' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'setRange', preset: 'week', from: '2025-01-01', to: '2025-01-02' }), { type: 'setRange', preset: 'week' });
    assert.deepEqual(parseWebviewMessage({ type: 'openInsertion', id: 's1', path: '/etc/passwd' }), { type: 'openInsertion', id: 's1' });
  });

  const rejected: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['a number', 1],
    ['an array', [{ type: 'ready' }]],
    ['no type', {}],
    ['unknown type', { type: 'deleteEverything' }],
    ['type of another case', { type: 'Ready' }],
    ['type not a string', { type: 1 }],
    ['unknown preset', { type: 'setRange', preset: 'year' }],
    ['missing preset', { type: 'setRange' }],
    ['custom without dates', { type: 'setRange', preset: 'custom' }],
    ['custom with from after to', { type: 'setRange', preset: 'custom', from: '2025-06-15', to: '2025-06-14' }],
    ['custom with a day that does not exist', { type: 'setRange', preset: 'custom', from: '2025-02-30', to: '2025-03-02' }],
    ['custom with month 13', { type: 'setRange', preset: 'custom', from: '2025-01-01', to: '2025-13-01' }],
    ['custom with a non-leap 29 February', { type: 'setRange', preset: 'custom', from: '2025-02-29', to: '2025-03-01' }],
    ['custom with another date format', { type: 'setRange', preset: 'custom', from: '06/01/2025', to: '2025-06-14' }],
    ['custom with a timestamp', { type: 'setRange', preset: 'custom', from: '2025-06-01T00:00', to: '2025-06-14' }],
    ['custom with numbers', { type: 'setRange', preset: 'custom', from: 20250601, to: 20250614 }],
    ['unknown confidence', { type: 'setMinConfidence', minConfidence: 'high' }],
    ['missing confidence', { type: 'setMinConfidence' }],
    ['id missing', { type: 'openInsertion' }],
    ['id empty', { type: 'openInsertion', id: '' }],
    ['id a number', { type: 'openInsertion', id: 5 }],
    ['id with a slash', { type: 'openInsertion', id: '../x' }],
    ['id with a space', { type: 'markPasteAsAi', id: 'a b' }],
    ['id with a dot', { type: 'markPasteAsAi', id: 'a.b' }],
    ['id with non-ASCII letters', { type: 'markPasteAsAi', id: 'é' }],
    ['id with a newline', { type: 'openInsertion', id: 'a\n' }],
    ['id over 64 characters', { type: 'openInsertion', id: 'x'.repeat(65) }],
    ['verdict unknown', { type: 'overrideVerdict', id: 's1', verdict: 'great' }],
    ['verdict missing', { type: 'overrideVerdict', id: 's1' }],
    ['verdict with a bad id', { type: 'overrideVerdict', id: 's 1', verdict: 'hurt' }],
    ['note over the maximum length', { type: 'setNote', id: 's1', note: 'n'.repeat(maxNoteLength + 1) }],
    ['note not a string', { type: 'setNote', id: 's1', note: 42 }],
    ['note missing', { type: 'setNote', id: 's1' }],
    ['note with a bad id', { type: 'setNote', id: 's1;', note: 'ok' }],
    ['pulse answer skipped (not the panel’s to send)', { type: 'pulseAnswer', answer: 'skipped' }],
    ['pulse answer unknown', { type: 'pulseAnswer', answer: 'yes' }],
    ['unknown command', { type: 'command', command: 'rm' }],
    ['command missing', { type: 'command' }],
    ['command not a string', { type: 'command', command: ['pause'] }],
  ];

  it('rejects malformed messages', () => {
    for (const [why, value] of rejected) assert.equal(parseWebviewMessage(value), null, why);
  });
});

describe('parseHostMessage', () => {
  const snapshot = {
    type: 'snapshot',
    protocolVersion,
    status: { paused: false, recordCount: 12, insertionCount: 3, storeBytes: 2048, storeProblem: null, skippedRecords: 0, agentLogsEnabled: true, pulseDue: false },
    range: { preset: 'week', from: '2025-06-09', to: '2025-06-15', label: 'This week' },
    minConfidence: 'likely',
    dashboard: { version: 1 },
    pulse: { due: true, history: [{ week: '2025-06-02', answer: 'better', answeredOn: '2025-06-05' }] },
  };

  it('accepts a snapshot of this protocol version and returns it', () => {
    assert.equal(parseHostMessage(snapshot), snapshot);
    const withProblem = { ...snapshot, status: { ...snapshot.status, storeProblem: 'ENOSPC' } };
    assert.equal(parseHostMessage(withProblem), withProblem);
  });

  const rejected: [string, unknown][] = [
    ['null', null],
    ['a string', 'snapshot'],
    ['another type', { ...snapshot, type: 'delta' }],
    ['an older protocol version', { ...snapshot, protocolVersion: protocolVersion - 1 }],
    ['a newer protocol version', { ...snapshot, protocolVersion: protocolVersion + 1 }],
    ['a version as text', { ...snapshot, protocolVersion: String(protocolVersion) }],
    ['no status', { ...snapshot, status: undefined }],
    ['status null', { ...snapshot, status: null }],
    ['status an array', { ...snapshot, status: [] }],
    ['status without paused', { ...snapshot, status: { ...snapshot.status, paused: undefined } }],
    ['status with a count as text', { ...snapshot, status: { ...snapshot.status, recordCount: '12' } }],
    ['status without the insertion count', { ...snapshot, status: { ...snapshot.status, insertionCount: undefined } }],
    ['status with a store problem as a number', { ...snapshot, status: { ...snapshot.status, storeProblem: 28 } }],
    ['no range', { ...snapshot, range: undefined }],
    ['range with an unknown preset', { ...snapshot, range: { ...snapshot.range, preset: 'year' } }],
    ['range with a bad day', { ...snapshot, range: { ...snapshot.range, to: '2025-06-31' } }],
    ['range without label', { ...snapshot, range: { ...snapshot.range, label: undefined } }],
    ['no dashboard', { ...snapshot, dashboard: undefined }],
    ['dashboard null', { ...snapshot, dashboard: null }],
    ['dashboard an array', { ...snapshot, dashboard: [] }],
    ['no confidence', { ...snapshot, minConfidence: undefined }],
    ['unknown confidence', { ...snapshot, minConfidence: 'high' }],
    ['no pulse', { ...snapshot, pulse: undefined }],
    ['pulse without due', { ...snapshot, pulse: { history: [] } }],
    ['pulse history not a list', { ...snapshot, pulse: { due: false, history: {} } }],
  ];

  it('rejects other versions, other types and missing or mistyped sections', () => {
    for (const [why, value] of rejected) assert.equal(parseHostMessage(value), null, why);
  });
});
