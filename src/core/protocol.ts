/**
 * The host ⇄ webview protocol: every message both ways, typed once, and validated on
 * arrival (a webview is untrusted input, and a stale webview may speak an old version).
 *
 * host → webview: `snapshot` — the complete state to render (never a delta: a hidden
 *                 view drops messages, so every push must stand alone).
 * webview → host: `ready` first; then the developer's actions.
 */
import type { DashboardSnapshot } from './analytics';
import { isDayKey } from './days';
import type { Confidence, PulseAnswer, Verdict } from './model';

export const protocolVersion = 1;

export type RangePreset = 'today' | 'week' | 'sprint' | 'month' | 'custom';
export const rangePresets: readonly RangePreset[] = ['today', 'week', 'sprint', 'month', 'custom'];

/** What the panel shows about the extension itself, beside the figures. */
export interface PanelStatus {
  paused: boolean;
  /** Records stored so far (all kinds). */
  recordCount: number;
  /** Insertions recorded so far (any source); 0 means the first-run explanation is shown. */
  insertionCount: number;
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
  /** The weekly pulse question: whether to ask it now, and the answers given so far. */
  pulse: { due: boolean; history: PulseAnswer[] };
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

/**
 * Narrows an untrusted value to a WebviewMessage, or returns null: unknown types,
 * missing or mistyped fields and oversized strings are all rejected.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  if (!isRecord(value)) return null;
  const m = value;
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
  if (!isRecord(value)) return null;
  const m = value;
  if (m.type !== 'snapshot' || m.protocolVersion !== protocolVersion) return null;
  if (!isPanelStatus(m.status)) return null;
  const range = m.range;
  if (!isRecord(range) || !isOneOf(range.preset, rangePresets) || !isDay(range.from) || !isDay(range.to) || typeof range.label !== 'string') return null;
  if (!isRecord(m.dashboard)) return null;
  if (!isOneOf(m.minConfidence, confidenceLevels)) return null;
  if (!isRecord(m.pulse) || typeof m.pulse.due !== 'boolean' || !Array.isArray(m.pulse.history)) return null;
  return value as unknown as HostMessage;
}

/** The panel renders every status field (banners, first-run text), so each must have its type. */
function isPanelStatus(value: unknown): value is PanelStatus {
  if (!isRecord(value)) return false;
  const counts = [value.recordCount, value.insertionCount, value.storeBytes, value.skippedRecords];
  const flags = [value.paused, value.agentLogsEnabled, value.pulseDue];
  return counts.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) && flags.every((f) => typeof f === 'boolean') &&
    (value.storeProblem === null || typeof value.storeProblem === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** A `yyyy-MM-dd` string naming a real calendar date (not 2025-02-30). */
function isDay(value: unknown): value is string {
  return typeof value === 'string' && isDayKey(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64 && /^[\w-]+$/.test(value);
}
