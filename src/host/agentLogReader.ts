/**
 * Reads coding-agent transcripts incrementally: per file, the byte offset consumed (up to
 * the last complete line) and a fingerprint to notice truncation or replacement. Each scan
 * reads only new bytes, in bounded chunks, so a huge transcript never sits in memory whole.
 * Nothing outside the configured folders is read. No `vscode` here: the host wires it.
 */
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { AgentTurn } from '../core/model';
import { hashLine } from '../core/lineHash';
import type { AgentLogCounters, AgentLogParser, AgentLogParserOptions, AgentName, AgentParserState } from '../core/agentLogs';
import { addCounters, createClaudeCodeParser, createCodexParser, emptyCounters } from '../core/agentLogs';

export interface AgentLogReaderOptions extends AgentLogParserOptions {
  /** Claude Code projects folder (`~` allowed); null or undefined to skip. */
  claudeCodeFolder?: string | null;
  /** Codex sessions folder (`~` allowed); null or undefined to skip. */
  codexFolder?: string | null;
  /** Bytes read per read call. Default 1 MiB. */
  chunkBytes?: number;
  /** Longer lines are skipped without being held in memory. Default 16 MiB. */
  maxLineBytes?: number;
  /** Stop a scan (at a line boundary) after about this many bytes; the next scan goes on. Default: no limit. */
  maxBytesPerScan?: number;
  /** Files not modified since this time (epoch ms) and never seen before are ignored. */
  notBefore?: number;
  /** A file unchanged for this long ends its running turn. Default 30 min. */
  idleTurnEndMs?: number;
  /** For tests: what `~` means, and the clock. */
  homeDir?: string;
  now?: () => number;
}

/** What the reader remembers of one transcript file. */
export interface AgentLogFileState {
  agent: AgentName;
  /** Bytes consumed: always the end of a complete line. */
  offset: number;
  /** Bytes looked at: the offset plus an unfinished last line, read again only once the file grows. */
  size: number;
  /** Inode (0 where the platform has none) and a hash of the first `headLength` bytes. */
  ino: number;
  headLength: number;
  headHash: string;
  parser: AgentParserState;
}

export interface AgentLogReaderState {
  version: 1;
  /** By absolute file path. */
  files: Record<string, AgentLogFileState>;
}

export interface AgentLogReaderCounters extends AgentLogCounters {
  /** Lines longer than `maxLineBytes`, skipped. */
  oversizedLines: number;
  /** Files read again from the start after truncation or replacement. */
  restartedFiles: number;
  /** Symbolic links pointing outside their configured folder, not followed. */
  refusedLinks: number;
}

export interface AgentLogScan {
  /** Turn snapshots; a later snapshot of a turn replaces an earlier one (`agentTurnKey`). */
  turns: AgentTurn[];
  bytesRead: number;
  filesRead: number;
  /** The byte budget ran out before every file was read to its end. */
  more: boolean;
  /** Most file bytes held at once (chunk plus a carried partial line). */
  peakBufferedBytes: number;
  errors: { file: string; message: string }[];
}

export interface AgentLogReader {
  /** Reads what was appended since the last scan. Not re-entrant: await one scan before the next. */
  scan(): Promise<AgentLogScan>;
  state(): AgentLogReaderState;
  /** Resumes from a stored state; anything unreadable is ignored (files are then read from the start). */
  restoreState(state: unknown): void;
  counters(): AgentLogReaderCounters;
}

const headBytes = 256;
const headSalt = 'hindsight-agent-log-head';
/** Claude Code: projects/<cwd>/<session>.jsonl and sub-agent folders; Codex: sessions/YYYY/MM/DD. */
const maxDepth = 5;

interface Entry {
  file: Omit<AgentLogFileState, 'parser'>;
  parser: AgentLogParser;
}

function isFileState(value: unknown): value is AgentLogFileState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.agent === 'claude-code' || v.agent === 'codex') &&
    typeof v.offset === 'number' &&
    typeof v.size === 'number' &&
    typeof v.ino === 'number' &&
    typeof v.headLength === 'number' &&
    typeof v.headHash === 'string' &&
    typeof v.parser === 'object' &&
    v.parser !== null &&
    (v.parser as Record<string, unknown>).agent === v.agent
  );
}

/** A reader over the configured transcript folders. */
export function createAgentLogReader(options: AgentLogReaderOptions): AgentLogReader {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const maxLineBytes = options.maxLineBytes ?? 16 << 20;
  const idleTurnEndMs = options.idleTurnEndMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const home = options.homeDir ?? homedir();
  const entries = new Map<string, Entry>();
  const extra = { oversizedLines: 0, restartedFiles: 0, refusedLinks: 0 };
  // Counters of parsers that were replaced (restarted or forgotten files) still count.
  let retired = emptyCounters();

  const folders: { agent: AgentName; folder: string }[] = [];
  for (const [agent, folder] of [
    ['claude-code', options.claudeCodeFolder],
    ['codex', options.codexFolder],
  ] as const) {
    if (typeof folder === 'string' && folder.trim() !== '') {
      const expanded = folder === '~' || folder.startsWith('~/') || folder.startsWith('~\\') ? join(home, folder.slice(1)) : folder;
      folders.push({ agent, folder: resolve(expanded) });
    }
  }

  function newParser(agent: AgentName, state?: AgentParserState): AgentLogParser {
    return agent === 'claude-code' ? createClaudeCodeParser(options, state) : createCodexParser(options, state);
  }

  function retire(entry: Entry): void {
    retired = addCounters(retired, entry.parser.counters());
  }

  async function listJsonl(root: string, dir: string, depth: number, out: string[]): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      let path = join(dir, name);
      let info = await lstat(path).catch(() => null);
      if (info === null) continue;
      if (info.isSymbolicLink()) {
        const target = await realpath(path).catch(() => null);
        if (target === null || !target.startsWith(root + sep)) {
          extra.refusedLinks++;
          continue;
        }
        path = target;
        info = await stat(path).catch(() => null);
        if (info === null) continue;
      }
      if (info.isDirectory()) {
        if (depth > 0) await listJsonl(root, path, depth - 1, out);
      } else if (info.isFile() && name.endsWith('.jsonl')) out.push(path);
    }
  }

  async function readHead(handle: FileHandle, length: number): Promise<string> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, 0);
    return hashLine(headSalt, buf.subarray(0, bytesRead).toString('latin1'));
  }

  /**
   * Reads a file from its offset to `end`, feeding complete lines to its parser, until the
   * budget is spent (checked between lines). Returns the bytes read.
   */
  async function readFile(entry: Entry, handle: FileHandle, end: number, budget: number, scan: AgentLogScan): Promise<number> {
    const start = entry.file.offset;
    const buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(1, end - start)));
    const parts: Buffer[] = [];
    let partsLength = 0;
    let oversized = false;
    let readPos = start;
    let lineStart = start;
    let stopped = false;
    while (readPos < end && !stopped) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - readPos), readPos);
      if (bytesRead === 0) break;
      scan.peakBufferedBytes = Math.max(scan.peakBufferedBytes, bytesRead + partsLength);
      let from = 0;
      for (let nl = buf.indexOf(10, from); nl !== -1 && nl < bytesRead; nl = buf.indexOf(10, from)) {
        if (oversized || partsLength + nl - from > maxLineBytes) extra.oversizedLines++;
        else {
          const piece = buf.subarray(from, nl);
          entry.parser.pushLine((partsLength === 0 ? piece : Buffer.concat([...parts, piece])).toString('utf8'));
        }
        parts.length = 0;
        partsLength = 0;
        oversized = false;
        from = nl + 1;
        lineStart = readPos + from;
        if (lineStart - start >= budget) {
          stopped = true;
          break;
        }
      }
      if (!stopped && from < bytesRead && !oversized) {
        if (partsLength + bytesRead - from > maxLineBytes) {
          // Too long to be worth parsing: drop what we hold and skip to its end.
          oversized = true;
          parts.length = 0;
          partsLength = 0;
        } else {
          parts.push(Buffer.from(buf.subarray(from, bytesRead)));
          partsLength += bytesRead - from;
        }
      }
      readPos += bytesRead;
    }
    // An unfinished last line stays unconsumed: it is read whole once its newline arrives.
    entry.file.offset = lineStart;
    entry.file.size = stopped ? lineStart : end;
    if (stopped && lineStart < end) scan.more = true;
    return readPos - start;
  }

  async function scanFile(agent: AgentName, path: string, scan: AgentLogScan, budget: number): Promise<number> {
    const info = await stat(path);
    let entry = entries.get(path);
    if (entry === undefined && options.notBefore !== undefined && info.mtimeMs < options.notBefore) return 0;
    const ino = Number(info.ino);
    if (entry !== undefined && info.size === entry.file.size && (ino === 0 || entry.file.ino === 0 || ino === entry.file.ino)) {
      // Unchanged: no need to open it. (A same-size replacement is caught by the head check once it grows.)
      if (now() - info.mtimeMs > idleTurnEndMs) entry.parser.endTurn();
      for (const turn of entry.parser.drain()) scan.turns.push(turn);
      return 0;
    }
    const handle = await open(path, 'r');
    try {
      if (entry !== undefined) {
        const headLength = Math.min(entry.file.headLength, info.size);
        const replaced =
          (ino !== 0 && entry.file.ino !== 0 && ino !== entry.file.ino) ||
          info.size < entry.file.size ||
          headLength < entry.file.headLength ||
          (await readHead(handle, headLength)) !== entry.file.headHash;
        if (replaced) {
          retire(entry);
          extra.restartedFiles++;
          entry = undefined;
        }
      }
      if (entry === undefined) {
        entry = { file: { agent, offset: 0, size: 0, ino, headLength: 0, headHash: await readHead(handle, 0) }, parser: newParser(agent) };
        entries.set(path, entry);
      }
      if (entry.file.headLength < headBytes && info.size > entry.file.headLength) {
        entry.file.headLength = Math.min(headBytes, info.size);
        entry.file.headHash = await readHead(handle, entry.file.headLength);
      }
      entry.file.ino = ino;
      let read = 0;
      if (info.size > entry.file.size && budget > 0) {
        read = await readFile(entry, handle, info.size, budget, scan);
        scan.filesRead++;
      } else if (info.size > entry.file.size) scan.more = true;
      for (const turn of entry.parser.drain()) scan.turns.push(turn);
      return read;
    } finally {
      await handle.close();
    }
  }

  return {
    async scan() {
      const scan: AgentLogScan = { turns: [], bytesRead: 0, filesRead: 0, more: false, peakBufferedBytes: 0, errors: [] };
      let budget = options.maxBytesPerScan ?? Infinity;
      const seen = new Set<string>();
      for (const { agent, folder } of folders) {
        const root = await realpath(folder).catch(() => null);
        if (root === null) continue;
        const files: string[] = [];
        await listJsonl(root, root, maxDepth, files);
        files.sort();
        for (const path of files) {
          seen.add(path);
          try {
            const read = await scanFile(agent, path, scan, budget);
            scan.bytesRead += read;
            budget -= read;
          } catch (error) {
            scan.errors.push({ file: path, message: error instanceof Error ? error.message : String(error) });
          }
        }
      }
      // Forget deleted files, so the state does not grow forever.
      for (const [path, entry] of entries) {
        if (!seen.has(path)) {
          retire(entry);
          entries.delete(path);
        }
      }
      return scan;
    },
    state() {
      const files: Record<string, AgentLogFileState> = {};
      for (const [path, entry] of entries) files[path] = { ...entry.file, parser: entry.parser.state() };
      return { version: 1, files };
    },
    restoreState(state) {
      entries.clear();
      if (typeof state !== 'object' || state === null) return;
      const { version, files } = state as Partial<AgentLogReaderState>;
      if (version !== 1 || typeof files !== 'object' || files === null) return;
      for (const [path, file] of Object.entries(files)) {
        if (!isFileState(file)) continue;
        try {
          const { parser, ...rest } = file;
          entries.set(path, { file: rest, parser: newParser(file.agent, parser) });
        } catch {
          // A parser state from another version: the file is read again from the start.
        }
      }
    },
    counters() {
      let sum = retired;
      for (const entry of entries.values()) sum = addCounters(sum, entry.parser.counters());
      return { ...sum, ...extra };
    },
  };
}
