/**
 * Streaming parsers for coding-agent transcripts (Claude Code, Codex CLI), fed one line
 * at a time. They keep only what Hindsight needs: prompt and write times, token counts,
 * workspace-relative target paths, and salted hashes of the written lines. Written text
 * is hashed the moment it is read and never kept.
 *
 * A turn runs from a developer prompt to the next one. `drain()` hands out snapshots of
 * the turns that changed since the last drain (closed or still running); a later snapshot
 * of the same turn replaces the earlier one, keyed by `agentTurnKey`.
 */
import type { AgentTurn } from './model';
import { hashLine } from './lineHash';

export type AgentName = AgentTurn['agent'];
export type AgentTokens = AgentTurn['tokens'];
export type AgentWrite = AgentTurn['writes'][number];

export interface AgentLogParserOptions {
  /** The install's line-hash salt. */
  salt: string;
  /** Absolute paths of the workspace folders; writes anywhere else are dropped. */
  workspaceRoots: readonly string[];
  /** Compare paths without regard to case (Windows, default macOS volumes). */
  caseInsensitivePaths?: boolean;
}

/** What a parser skipped and why; plain data, so counters of many files can be summed. */
export interface AgentLogCounters {
  /** Non-empty lines seen. */
  lines: number;
  /** Lines that are not a JSON object. */
  malformed: number;
  /** JSON records of a type this parser does not know. */
  unknownType: number;
  /** Writes dropped because their target is outside every workspace folder. */
  outsideWorkspace: number;
  /** Writes the tool reported as failed (never reached the disk). */
  failedWrites: number;
  /** Writes whose result never appeared before the turn ended (interrupted). */
  unconfirmedWrites: number;
  /** Assistant or tool records seen before any prompt of the file. */
  beforeFirstPrompt: number;
  /**
   * Records of a known type that lack the fields we expect, by reason: the agent's
   * format has probably changed. Report once when any is non-zero.
   */
  formatChanges: Record<string, number>;
}

export interface AgentLogParser {
  readonly agent: AgentName;
  /** Feeds one complete line (without its newline). */
  pushLine(line: string): void;
  /** Snapshots of the turns that gained writes or tokens since the last drain (only turns with writes). */
  drain(): AgentTurn[];
  /** Ends the running turn (the file went idle); its final snapshot comes with the next drain. */
  endTurn(): void;
  counters(): AgentLogCounters;
  /** JSON-serialisable state to resume this file later with the same parser kind. */
  state(): AgentParserState;
}

interface OpenTurn {
  sessionId: string;
  promptAt: number;
  lastWriteAt: number | null;
  /** Claude Code repeats a message's usage on every line of that message: keep the last per id. */
  usageByMessage: Record<string, AgentTokens>;
  /** Usage that arrives as deltas (Codex). */
  addedUsage: AgentTokens;
  writes: AgentWrite[];
  changed: boolean;
}

interface PendingWrite {
  path: string;
  lineHashes: string[];
}

interface CodexUsage {
  input: number;
  cached: number;
  output: number;
}

/** Parser state between scans: small (hashes only), JSON-serialisable. */
export interface AgentParserState {
  agent: AgentName;
  sessionId: string | null;
  cwd: string | null;
  turn: OpenTurn | null;
  /** Writes proposed by a tool call, waiting for its result, by call id. */
  pending: Record<string, PendingWrite[]>;
  /** Snapshots not drained yet. */
  ready: AgentTurn[];
  /** Codex: cumulative usage last seen, to turn running totals into deltas. */
  lastTotals: CodexUsage | null;
}

/** Stable identity of a turn across snapshots, files and restarts. */
export function agentTurnKey(turn: Pick<AgentTurn, 'agent' | 'sessionId' | 'promptAt'>): string {
  return `${turn.agent}:${turn.sessionId}:${turn.promptAt}`;
}

/** All tokens a turn consumed: input, output, cache reads and cache writes. */
export function turnTokenTotal(turn: Pick<AgentTurn, 'tokens'>): number {
  const { input, output, cacheRead, cacheWrite } = turn.tokens;
  return input + output + cacheRead + cacheWrite;
}

/** Salted hashes of the non-blank lines of a text: how written text is recognised on both sides. */
export function nonBlankLineHashes(salt: string, text: string): string[] {
  const hashes: string[] = [];
  for (const line of text.split('\n')) if (line.trim() !== '') hashes.push(hashLine(salt, line));
  return hashes;
}

/** Sums counters (of several files or parsers). */
export function addCounters(a: AgentLogCounters, b: AgentLogCounters): AgentLogCounters {
  const formatChanges = { ...a.formatChanges };
  for (const [reason, n] of Object.entries(b.formatChanges)) formatChanges[reason] = (formatChanges[reason] ?? 0) + n;
  return {
    lines: a.lines + b.lines,
    malformed: a.malformed + b.malformed,
    unknownType: a.unknownType + b.unknownType,
    outsideWorkspace: a.outsideWorkspace + b.outsideWorkspace,
    failedWrites: a.failedWrites + b.failedWrites,
    unconfirmedWrites: a.unconfirmedWrites + b.unconfirmedWrites,
    beforeFirstPrompt: a.beforeFirstPrompt + b.beforeFirstPrompt,
    formatChanges,
  };
}

/** Counters with nothing counted. */
export function emptyCounters(): AgentLogCounters {
  return {
    lines: 0,
    malformed: 0,
    unknownType: 0,
    outsideWorkspace: 0,
    failedWrites: 0,
    unconfirmedWrites: 0,
    beforeFirstPrompt: 0,
    formatChanges: {},
  };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function parseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

function zeroTokens(): AgentTokens {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

// ---------------------------------------------------------------------------------------
// Paths. The core may not use node:path, and logs may come from Windows or POSIX.

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);
}

/** Forward slashes, no `.`/`..`/empty segments, no trailing slash. */
function normalizePath(p: string): string {
  const unc = p.startsWith('\\\\') || p.startsWith('//');
  const parts = p.replace(/\\/g, '/').split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // Never climb above a drive letter.
      if (out.length > 0 && !/^[A-Za-z]:$/.test(out[out.length - 1])) out.pop();
    } else out.push(part);
  }
  const joined = out.join('/');
  if (unc) return `//${joined}`;
  return /^[A-Za-z]:/.test(joined) ? joined : `/${joined}`;
}

function createPathFilter(options: AgentLogParserOptions): (target: string, base: string | null) => string | null {
  const fold = options.caseInsensitivePaths === true ? (s: string): string => s.toLowerCase() : (s: string): string => s;
  // Longest first, so a nested workspace folder wins over its parent.
  const roots = options.workspaceRoots
    .map((root) => normalizePath(root))
    .sort((a, b) => b.length - a.length)
    .map((root) => ({ folded: fold(root), length: root.length }));
  return (target, base) => {
    if (!isAbsolutePath(target) && (base === null || !isAbsolutePath(base))) return null;
    const abs = normalizePath(isAbsolutePath(target) ? target : `${base}/${target}`);
    const folded = fold(abs);
    for (const root of roots) {
      if (folded.length > root.length && folded.startsWith(root.folded) && folded[root.length] === '/') {
        return abs.slice(root.length + 1);
      }
    }
    return null;
  };
}

// ---------------------------------------------------------------------------------------
// The turn tracker both parsers share: turns, pending writes, tokens, counters.

interface Tracker {
  st: AgentParserState;
  counters: AgentLogCounters;
  formatChange(reason: string): void;
  /** Parses a line into a JSON object, counting malformed ones; null for blank lines too. */
  record(line: string): Json | null;
  startTurn(t: number): void;
  endTurn(): void;
  /** The running turn, or null (counting the record as seen before any prompt). */
  turn(): OpenTurn | null;
  proposeWrite(callId: string, target: string, base: string | null, text: string): void;
  resolveCall(callId: string, ok: boolean, t: number): void;
  drain(): AgentTurn[];
}

function createTracker(agent: AgentName, options: AgentLogParserOptions, initial: AgentParserState | undefined): Tracker {
  const st: AgentParserState = initial
    ? (JSON.parse(JSON.stringify(initial)) as AgentParserState)
    : { agent, sessionId: null, cwd: null, turn: null, pending: {}, ready: [], lastTotals: null };
  if (st.agent !== agent) throw new Error(`state of a ${st.agent} parser given to a ${agent} parser`);
  const counters = emptyCounters();
  const relative = createPathFilter(options);

  function snapshot(turn: OpenTurn): AgentTurn {
    const tokens = { ...turn.addedUsage };
    for (const usage of Object.values(turn.usageByMessage)) {
      tokens.input += usage.input;
      tokens.output += usage.output;
      tokens.cacheRead += usage.cacheRead;
      tokens.cacheWrite += usage.cacheWrite;
    }
    return { agent, sessionId: turn.sessionId, promptAt: turn.promptAt, lastWriteAt: turn.lastWriteAt, tokens, writes: turn.writes.slice() };
  }

  function takeSnapshot(turn: OpenTurn): void {
    // Turns without writes say nothing about surviving lines or waiting: not worth storing.
    if (turn.changed && turn.writes.length > 0) st.ready.push(snapshot(turn));
    turn.changed = false;
  }

  function endTurn(): void {
    for (const writes of Object.values(st.pending)) counters.unconfirmedWrites += writes.length;
    st.pending = {};
    if (st.turn) takeSnapshot(st.turn);
    st.turn = null;
  }

  return {
    st,
    counters,
    formatChange(reason) {
      counters.formatChanges[reason] = (counters.formatChanges[reason] ?? 0) + 1;
    },
    record(line) {
      if (line.trim() === '') return null;
      counters.lines++;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        counters.malformed++;
        return null;
      }
      if (!isObject(value) || typeof value.type !== 'string') {
        counters.malformed++;
        return null;
      }
      return value;
    },
    startTurn(t) {
      endTurn();
      st.turn = {
        sessionId: st.sessionId ?? 'unknown',
        promptAt: t,
        lastWriteAt: null,
        usageByMessage: {},
        addedUsage: zeroTokens(),
        writes: [],
        changed: false,
      };
    },
    endTurn,
    turn() {
      if (st.turn === null) counters.beforeFirstPrompt++;
      return st.turn;
    },
    proposeWrite(callId, target, base, text) {
      const path = relative(target, base);
      if (path === null) {
        counters.outsideWorkspace++;
        return;
      }
      (st.pending[callId] ??= []).push({ path, lineHashes: nonBlankLineHashes(options.salt, text) });
    },
    resolveCall(callId, ok, t) {
      const writes = st.pending[callId];
      if (writes === undefined) return;
      delete st.pending[callId];
      if (!ok) {
        counters.failedWrites += writes.length;
        return;
      }
      const turn = st.turn;
      if (turn === null) return;
      for (const write of writes) turn.writes.push({ path: write.path, t, lineHashes: write.lineHashes });
      turn.lastWriteAt = Math.max(turn.lastWriteAt ?? t, t);
      turn.changed = true;
    },
    drain() {
      if (st.turn) takeSnapshot(st.turn);
      const out = st.ready;
      st.ready = [];
      return out;
    },
  };
}

function parserOf(agent: AgentName, tracker: Tracker, pushLine: (line: string) => void): AgentLogParser {
  return {
    agent,
    pushLine,
    drain: () => tracker.drain(),
    endTurn: () => tracker.endTurn(),
    counters: () => addCounters(emptyCounters(), tracker.counters),
    state: () => JSON.parse(JSON.stringify(tracker.st)) as AgentParserState,
  };
}

// ---------------------------------------------------------------------------------------
// Claude Code: ~/.claude/projects/<encoded cwd>/<session>.jsonl

/** Record types Claude Code writes that carry nothing Hindsight needs. */
const claudeIgnoredTypes = new Set(['summary', 'system', 'file-history-snapshot', 'queue-operation', 'progress', 'custom-title']);

/** User texts that Claude Code logs as user messages but that the developer did not prompt. */
const claudeNonPromptPrefixes = ['<local-command-stdout>', '<local-command-stderr>', '[Request interrupted by user'];

function claudePromptText(content: unknown): boolean {
  const texts =
    typeof content === 'string'
      ? [content]
      : Array.isArray(content)
        ? content.filter((b): b is Json => isObject(b) && b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string)
        : [];
  return texts.some((text) => text.trim() !== '' && !claudeNonPromptPrefixes.some((prefix) => text.trimStart().startsWith(prefix)));
}

function claudeUsage(usage: Json): AgentTokens | null {
  const { input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens } = usage;
  if (!isCount(input_tokens) || !isCount(output_tokens)) return null;
  if (cache_read_input_tokens !== undefined && !isCount(cache_read_input_tokens)) return null;
  if (cache_creation_input_tokens !== undefined && !isCount(cache_creation_input_tokens)) return null;
  return {
    input: input_tokens,
    output: output_tokens,
    cacheRead: cache_read_input_tokens ?? 0,
    cacheWrite: cache_creation_input_tokens ?? 0,
  };
}

/** The text an Edit/MultiEdit/Write call puts into its file, or null when the input is not as expected. */
function claudeWrittenText(name: string, input: Json): string | null {
  if (typeof input.file_path !== 'string') return null;
  if (name === 'Write') return typeof input.content === 'string' ? input.content : null;
  if (name === 'Edit') return typeof input.new_string === 'string' ? input.new_string : null;
  if (!Array.isArray(input.edits)) return null;
  const texts: string[] = [];
  for (const edit of input.edits) {
    if (!isObject(edit) || typeof edit.new_string !== 'string') return null;
    texts.push(edit.new_string);
  }
  return texts.join('\n');
}

const claudeWriteTools = new Set(['Edit', 'MultiEdit', 'Write']);

/** A parser for one Claude Code transcript file. */
export function createClaudeCodeParser(options: AgentLogParserOptions, state?: AgentParserState): AgentLogParser {
  const tracker = createTracker('claude-code', options, state);
  const { st } = tracker;

  function onUser(rec: Json, t: number, message: Json): void {
    const content = message.content;
    if (Array.isArray(content)) {
      let results = 0;
      for (const block of content) {
        if (!isObject(block) || block.type !== 'tool_result') continue;
        results++;
        if (typeof block.tool_use_id !== 'string') tracker.formatChange('claude.toolResult');
        else tracker.resolveCall(block.tool_use_id, block.is_error !== true, t);
      }
      if (results > 0) return;
    } else if (typeof content !== 'string') {
      tracker.formatChange('claude.user.content');
      return;
    }
    // Sidechain lines are a sub-agent talking to itself, inside the developer's turn.
    if (rec.isMeta === true || rec.isSidechain === true || rec.isCompactSummary === true) return;
    if (claudePromptText(content)) tracker.startTurn(t);
  }

  function onAssistant(rec: Json, message: Json): void {
    if (!Array.isArray(message.content)) {
      tracker.formatChange('claude.assistant.content');
      return;
    }
    const turn = tracker.turn();
    if (turn === null) return;
    if (message.usage !== undefined) {
      const usage = isObject(message.usage) ? claudeUsage(message.usage) : null;
      const id = [message.id, rec.requestId, rec.uuid].find((v): v is string => typeof v === 'string');
      if (usage === null || id === undefined) tracker.formatChange('claude.usage');
      else {
        turn.usageByMessage[id] = usage;
        turn.changed = true;
      }
    }
    for (const block of message.content) {
      if (!isObject(block) || block.type !== 'tool_use' || typeof block.name !== 'string' || !claudeWriteTools.has(block.name)) continue;
      const text = isObject(block.input) ? claudeWrittenText(block.name, block.input) : null;
      if (text === null || typeof block.id !== 'string') {
        tracker.formatChange(`claude.${block.name}`);
        continue;
      }
      tracker.proposeWrite(block.id, (block.input as Json).file_path as string, st.cwd, text);
    }
  }

  return parserOf('claude-code', tracker, (line) => {
    const rec = tracker.record(line);
    if (rec === null) return;
    if (rec.type !== 'user' && rec.type !== 'assistant') {
      if (!claudeIgnoredTypes.has(rec.type as string)) tracker.counters.unknownType++;
      return;
    }
    const t = parseTime(rec.timestamp);
    if (t === null || !isObject(rec.message)) {
      tracker.formatChange(`claude.${rec.type as string}`);
      return;
    }
    if (typeof rec.sessionId === 'string') st.sessionId = rec.sessionId;
    if (typeof rec.cwd === 'string') st.cwd = rec.cwd;
    if (rec.type === 'user') onUser(rec, t, rec.message);
    else onAssistant(rec, rec.message);
  });
}

// ---------------------------------------------------------------------------------------
// Codex CLI: ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl, lines { timestamp, type, payload }

const codexKnownTypes = new Set(['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted']);
const codexCallTypes = new Set(['function_call', 'custom_tool_call', 'local_shell_call']);
const codexOutputTypes = new Set(['function_call_output', 'custom_tool_call_output']);
const patchStart = '*** Begin Patch';

function codexUsage(value: unknown): CodexUsage | null {
  if (!isObject(value) || !isCount(value.input_tokens) || !isCount(value.output_tokens)) return null;
  const cached = value.cached_input_tokens ?? 0;
  if (!isCount(cached)) return null;
  return { input: value.input_tokens, cached, output: value.output_tokens };
}

/** The first patch text found in a tool call's input (apply_patch, or a shell call running it). */
function findPatch(value: unknown, depth: number): string | null {
  if (typeof value === 'string') {
    const at = value.indexOf(patchStart);
    return at === -1 ? null : value.slice(at);
  }
  if (depth === 0 || (typeof value !== 'object' || value === null)) return null;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = findPatch(item, depth - 1);
    if (found !== null) return found;
  }
  return null;
}

/** Added text per target file of an apply_patch patch (`*** Add File`, `*** Update File`, `*** Move to`). */
function patchWrites(patch: string): { path: string; text: string }[] {
  const files: { path: string; lines: string[] }[] = [];
  let current: { path: string; lines: string[] } | null = null;
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('*** ')) {
      const header = /^\*\*\* (Add File|Update File|Move to|Delete File): (.+)$/.exec(line);
      if (header === null) {
        if (line.startsWith('*** End Patch')) break;
        continue; // *** Begin Patch, *** End of File
      }
      const [, kind, target] = header;
      if (kind === 'Move to' && current !== null) current.path = target.trim();
      else if (kind === 'Delete File') current = null;
      else if (kind !== 'Move to') {
        current = { path: target.trim(), lines: [] };
        files.push(current);
      }
    } else if (current !== null && line.startsWith('+')) current.lines.push(line.slice(1));
  }
  return files.map((file) => ({ path: file.path, text: file.lines.join('\n') }));
}

/** Whether a tool call output reports failure: `success: false`, a non-zero exit code, or a verification error. */
function codexOutputFailed(output: unknown): boolean {
  if (isObject(output)) return output.success === false;
  if (typeof output !== 'string') return false;
  const trimmed = output.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isObject(parsed) && isObject(parsed.metadata) && typeof parsed.metadata.exit_code === 'number') {
        return parsed.metadata.exit_code !== 0;
      }
    } catch {
      // Plain text that happens to start with a brace: judged below.
    }
  }
  const exit = /^Exit code: (\d+)/m.exec(output);
  if (exit !== null) return exit[1] !== '0';
  return /^(apply_patch verification failed|error|failed)/i.test(trimmed);
}

/** A parser for one Codex CLI rollout file. */
export function createCodexParser(options: AgentLogParserOptions, state?: AgentParserState): AgentLogParser {
  const tracker = createTracker('codex', options, state);
  const { st } = tracker;

  function onTokenCount(info: unknown): void {
    // `info` is null on events that carry only rate limits.
    if (info === null || info === undefined) return;
    const total = isObject(info) ? codexUsage(info.total_token_usage) : null;
    const last = isObject(info) ? codexUsage(info.last_token_usage) : null;
    let delta: CodexUsage | null;
    if (total !== null) {
      // Running totals make repeated token_count events harmless; a smaller total means a restart.
      const prev = st.lastTotals;
      const reset = prev === null || total.input < prev.input || total.cached < prev.cached || total.output < prev.output;
      delta = reset ? total : { input: total.input - prev.input, cached: total.cached - prev.cached, output: total.output - prev.output };
      st.lastTotals = total;
    } else delta = last;
    if (delta === null) {
      tracker.formatChange('codex.tokenCount');
      return;
    }
    const turn = tracker.turn();
    if (turn === null || delta.input + delta.output === 0) return;
    // Codex counts cached input inside input_tokens; Hindsight keeps the two apart like Claude does.
    turn.addedUsage.input += Math.max(0, delta.input - delta.cached);
    turn.addedUsage.cacheRead += Math.min(delta.cached, delta.input);
    turn.addedUsage.output += delta.output;
    turn.changed = true;
  }

  function onCall(payload: Json): void {
    const input = payload.type === 'custom_tool_call' ? payload.input : payload.type === 'function_call' ? payload.arguments : payload.action;
    // Cheap test first: most calls are shell commands without a patch.
    if (typeof input === 'string' ? !input.includes(patchStart) : !JSON.stringify(input ?? null).includes(patchStart)) return;
    if (typeof payload.call_id !== 'string') {
      tracker.formatChange('codex.call');
      return;
    }
    let args: unknown = input;
    let workdir: string | null = null;
    if (payload.type === 'function_call' && typeof input === 'string') {
      try {
        args = JSON.parse(input);
      } catch {
        args = input;
      }
    }
    if (isObject(args) && typeof args.workdir === 'string') workdir = args.workdir;
    const patch = findPatch(args, 3);
    const writes = patch === null ? [] : patchWrites(patch);
    if (writes.length === 0) {
      tracker.formatChange('codex.patch');
      return;
    }
    if (tracker.turn() === null) return;
    const base = workdir !== null && st.cwd !== null && !isAbsolutePath(workdir) ? `${st.cwd}/${workdir}` : workdir ?? st.cwd;
    for (const write of writes) tracker.proposeWrite(payload.call_id, write.path, base, write.text);
  }

  return parserOf('codex', tracker, (line) => {
    const rec = tracker.record(line);
    if (rec === null) return;
    if (!codexKnownTypes.has(rec.type as string)) {
      tracker.counters.unknownType++;
      return;
    }
    const payload = rec.payload;
    const t = parseTime(rec.timestamp);
    if (!isObject(payload) || t === null) {
      tracker.formatChange(`codex.${rec.type as string}`);
      return;
    }
    switch (rec.type) {
      case 'session_meta':
        if (typeof payload.id !== 'string' || typeof payload.cwd !== 'string') tracker.formatChange('codex.session_meta');
        else {
          st.sessionId = payload.id;
          st.cwd = payload.cwd;
        }
        return;
      case 'turn_context':
        if (typeof payload.cwd === 'string') st.cwd = payload.cwd;
        return;
      case 'event_msg':
        if (payload.type === 'user_message') tracker.startTurn(t);
        else if (payload.type === 'token_count') onTokenCount(payload.info);
        return;
      case 'response_item':
        if (typeof payload.type !== 'string') tracker.formatChange('codex.response_item');
        else if (codexCallTypes.has(payload.type)) onCall(payload);
        else if (codexOutputTypes.has(payload.type) && typeof payload.call_id === 'string') {
          tracker.resolveCall(payload.call_id, !codexOutputFailed(payload.output), t);
        }
        return;
      default:
        return; // compacted: history rewritten for the model, nothing new happened
    }
  });
}
