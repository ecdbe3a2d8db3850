/**
 * The host ⇄ webview protocol: every message both ways, typed once, and validated on
 * arrival (a webview is untrusted input, and a stale webview may speak an old version).
 *
 * host → webview: `snapshot` — the complete state to render (never a delta: a hidden
 *                 view drops messages, so every push must stand alone).
 * webview → host: `ready` first; then the developer's actions.
 */
import type { DashboardSnapshot } from './analytics';
import type { Confidence, Verdict } from './model';

export const protocolVersion = 1;

export type RangePreset = 'today' | 'week' | 'sprint' | 'month' | 'custom';
export const rangePresets: readonly RangePreset[] = ['today', 'week', 'sprint', 'month', 'custom'];

/** What the panel shows about the extension itself, beside the figures. */
export interface PanelStatus {
  paused: boolean;
  /** Records written so far; 0 means the first-run explanation is shown. */
  recordCount: number;
  storeBytes: number;
  /** Set when the store could not write (disk full, read-only): shown as a banner. */
  storeProblem: string | null;
  /** Lines of the store that could not be read and were skipped. */
  skippedRecords: number;
  agentLogsEnabled: boolean;
  /** The weekly pulse question is due and not dismissed this week. */
  pulseDue: boolean;
}

export interface PanelSnapshot {
  type: 'snapshot';
  protocolVersion: number;
  status: PanelStatus;
  range: { preset: RangePreset; from: string; to: string; label: string };
  minConfidence: Confidence;
  dashboard: DashboardSnapshot;
}

export type HostMessage = PanelSnapshot;

export type PanelCommand = 'pause' | 'resume' | 'exportSummary' | 'deleteAllData' | 'openDataFolder' | 'openInEditor';
const panelCommands: readonly PanelCommand[] = ['pause', 'resume', 'exportSummary', 'deleteAllData', 'openDataFolder', 'openInEditor'];

export type PulseChoice = 'better' | 'different' | 'worse';
const pulseChoices: readonly PulseChoice[] = ['better', 'different', 'worse'];
const verdicts: readonly Verdict[] = ['helped', 'hurt', 'mixed', 'tooEarly'];
const confidenceLevels: readonly Confidence[] = ['certain', 'likely', 'possible'];

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'setRange'; preset: RangePreset; from?: string; to?: string }
  | { type: 'setMinConfidence'; minConfidence: Confidence }
  | { type: 'openInsertion'; id: string }
  | { type: 'overrideVerdict'; id: string; verdict: Verdict | null }
  | { type: 'setNote'; id: string; note: string }
  | { type: 'markPasteAsAi'; id: string }
  | { type: 'pulseAnswer'; answer: PulseChoice }
  | { type: 'pulseDismiss' }
  | { type: 'command'; command: PanelCommand };

/** Longest note the panel accepts, in characters. */
export const maxNoteLength = 2000;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Narrows an untrusted value to a WebviewMessage, or returns null: unknown types,
 * missing or mistyped fields and oversized strings are all rejected.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'pulseDismiss':
      return { type: m.type };
    case 'setRange': {
      if (!isOneOf(m.preset, rangePresets)) return null;
      if (m.preset !== 'custom') return { type: 'setRange', preset: m.preset };
      if (!isDay(m.from) || !isDay(m.to) || m.from > m.to) return null;
      return { type: 'setRange', preset: 'custom', from: m.from, to: m.to };
    }
    case 'setMinConfidence':
      return isOneOf(m.minConfidence, confidenceLevels) ? { type: 'setMinConfidence', minConfidence: m.minConfidence } : null;
    case 'openInsertion':
    case 'markPasteAsAi':
      return isId(m.id) ? { type: m.type, id: m.id } : null;
    case 'overrideVerdict':
      if (!isId(m.id)) return null;
      if (m.verdict !== null && !isOneOf(m.verdict, verdicts)) return null;
      return { type: 'overrideVerdict', id: m.id, verdict: m.verdict };
    case 'setNote':
      if (!isId(m.id) || typeof m.note !== 'string' || m.note.length > maxNoteLength) return null;
      return { type: 'setNote', id: m.id, note: m.note };
    case 'pulseAnswer':
      return isOneOf(m.answer, pulseChoices) ? { type: 'pulseAnswer', answer: m.answer } : null;
    case 'command':
      return isOneOf(m.command, panelCommands) ? { type: 'command', command: m.command } : null;
    default:
      return null;
  }
}

/** Narrows an untrusted value to a HostMessage of this protocol version, or returns null. */
export function parseHostMessage(value: unknown): HostMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.type !== 'snapshot' || m.protocolVersion !== protocolVersion) return null;
  if (typeof m.status !== 'object' || m.status === null) return null;
  if (typeof m.range !== 'object' || m.range === null) return null;
  if (typeof m.dashboard !== 'object' || m.dashboard === null) return null;
  if (!isOneOf(m.minConfidence, confidenceLevels)) return null;
  return value as HostMessage;
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function isDay(value: unknown): value is string {
  return typeof value === 'string' && dayPattern.test(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64 && /^[\w-]+$/.test(value);
}
