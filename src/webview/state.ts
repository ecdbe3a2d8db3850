/**
 * The webview's link to the host: the VS Code API object and the UI-only state it keeps
 * across reloads (`setState`). Data never goes in here: the host sends a full snapshot.
 */
import { confidences } from '../core/model';
import type { Confidence } from '../core/model';
import type { RangePreset, WebviewMessage } from '../core/protocol';
import { rangePresets } from '../core/protocol';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: UiState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the developer chose in the panel, restored when the view is re-created. */
export interface UiState {
  range: { preset: RangePreset; from?: string; to?: string } | null;
  minConfidence: Confidence | null;
  /** Sections the developer collapsed (ids as in `SectionId`). */
  closedSections: string[];
}

export const vscodeApi: VsCodeApi = acquireVsCodeApi();

/** The saved UI state, or defaults when there is none or it is from an older panel. */
export function loadUiState(): UiState {
  const saved = vscodeApi.getState() as Partial<UiState> | undefined;
  const range = saved?.range;
  return {
    range: range && (rangePresets as readonly string[]).includes(range.preset) ? range : null,
    minConfidence: saved?.minConfidence && confidences.includes(saved.minConfidence) ? saved.minConfidence : null,
    closedSections: Array.isArray(saved?.closedSections) ? saved.closedSections.filter((s) => typeof s === 'string') : [],
  };
}
