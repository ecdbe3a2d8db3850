import * as vscode from 'vscode';

/** Hindsight's settings, read once per change of configuration. */
export interface HindsightSettings {
  trackingEnabled: boolean;
  exclude: string[];
  idleTimeoutMs: number;
  statusBarEnabled: boolean;
  detectAiShapedInserts: boolean;
  agentLogs: { enabled: boolean; claudeCodeFolder: string; codexFolder: string };
  retentionDays: number;
  sprintLengthDays: number;
  includeLanguages: boolean;
}

/** Reads the `hindsight.*` settings with their manifest defaults. */
export function readSettings(): HindsightSettings {
  const c = vscode.workspace.getConfiguration('hindsight');
  return {
    trackingEnabled: c.get('tracking.enabled', true),
    exclude: c.get<string[]>('tracking.exclude', []),
    idleTimeoutMs: Math.max(1, c.get('session.idleTimeoutMinutes', 5)) * 60_000,
    statusBarEnabled: c.get('statusBar.enabled', true),
    detectAiShapedInserts: c.get('attribution.detectAiShapedInserts', true),
    agentLogs: {
      enabled: c.get('agentLogs.enabled', false),
      claudeCodeFolder: c.get('agentLogs.claudeCodeFolder', '~/.claude/projects'),
      codexFolder: c.get('agentLogs.codexFolder', '~/.codex/sessions'),
    },
    retentionDays: Math.max(0, c.get('retention.days', 0)),
    sprintLengthDays: Math.min(90, Math.max(1, c.get('export.sprintLengthDays', 14))),
    includeLanguages: c.get('export.includeLanguages', false),
  };
}
