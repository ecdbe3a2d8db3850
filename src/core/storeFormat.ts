/**
 * The stored record envelope and its rules. Every stored line is one JSON object
 * `{ "v": <schema version>, "k": <kind>, "t": <epoch ms>, "w": <window id>, ...payload }`.
 * Kinds belong to the rest of the product: the store only knows the envelope.
 */
import { columnsKind, unpackColumns } from './columns';
import { schemaVersion } from './model';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One stored record: the envelope fields plus a flat payload of plain JSON values. */
export interface StoredRecord {
  v: number;
  k: string;
  t: number;
  w: string;
  [field: string]: JsonValue;
}

/**
 * Longest line the store writes or reads, in UTF-8 bytes (newline excluded). A document
 * layout carries one salted hash per line, about 14 bytes a line: 1 MiB holds the layout of
 * a 70,000-line file; anything longer is refused rather than read into memory.
 */
export const maxLineBytes = 1024 * 1024;

export type SkipReason = 'garbage' | 'truncated' | 'tooLong' | 'newerVersion' | 'invalid';
export const skipReasons: readonly SkipReason[] = ['garbage', 'truncated', 'tooLong', 'newerVersion', 'invalid'];
export type SkipCounts = Record<SkipReason, number>;

/** A line holds one record, or many in a column block (`columns.ts`, compacted day files only). */
export type DecodeResult = { ok: true; records: StoredRecord[] } | { ok: false; reason: SkipReason; raw?: string };

/** Turns a record of version `from` into the shape of version `from + 1` (`v` is set by the caller). */
export interface Migration {
  from: number;
  up(raw: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Migrations applied on read, oldest first. v0 is the fictitious pre-release shape that
 * named the time `ts`; it shows how a bump of `schemaVersion` is carried.
 */
export const migrations: readonly Migration[] = [
  {
    from: 0,
    up: ({ ts, ...rest }): Record<string, unknown> => ({ ...rest, t: ts }),
  },
];

const envelopeKeys = ['v', 'k', 't', 'w'] as const;

/** Zero counts for every skip reason. */
export function emptySkipCounts(): SkipCounts {
  return { garbage: 0, truncated: 0, tooLong: 0, newerVersion: 0, invalid: 0 };
}

/** One line of JSON (no newline inside) for a record; throws on values that are not plain JSON or an oversized line. */
export function encodeRecord(record: StoredRecord): string {
  if (record.v !== schemaVersion) throw new TypeError(envelopeError);
  return encodeWith(record, record.w);
}

/**
 * One line for a record the product appends now: the envelope (`v`, `w`) is added here
 * rather than by copying the record, since this runs for every record written.
 */
export function encodeNewRecord(record: { k: string; t: number; [field: string]: JsonValue }, windowId: string): string {
  return encodeWith(record, windowId);
}

const envelopeError = `record envelope must be { v: ${schemaVersion}, k: non-empty string, t: finite number, w: string }`;

function encodeWith(record: { k: string; t: number; [field: string]: JsonValue }, windowId: string): string {
  if (!isValidEnvelope({ v: schemaVersion, k: record.k, t: record.t, w: windowId })) throw new TypeError(envelopeError);
  // Envelope first, so a line reads the same whichever order the caller built the object in.
  const ordered: Record<string, JsonValue> = { v: schemaVersion, k: record.k, t: record.t, w: windowId };
  for (const key in record) {
    if ((envelopeKeys as readonly string[]).includes(key)) continue;
    assertPlainJson(record[key], `record.${key}`, 0);
    ordered[key] = record[key];
  }
  const line = JSON.stringify(ordered);
  // A UTF-8 line has at most three bytes per UTF-16 unit: only a long line needs counting.
  if (line.length * 3 > maxLineBytes && utf8Length(line) > maxLineBytes) throw new RangeError(`record of kind ${record.k} exceeds ${maxLineBytes} bytes`);
  return line;
}

/** Decodes one stored line (without its newline), migrating older versions; never throws. */
export function decodeLine(line: string): DecodeResult {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  // A UTF-8 line has at least as many bytes as UTF-16 units and at most three times as many.
  if (text.length > maxLineBytes || (text.length * 3 > maxLineBytes && utf8Length(text) > maxLineBytes)) {
    return { ok: false, reason: 'tooLong' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: looksTruncated(text) ? 'truncated' : 'garbage' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'invalid' };
  const raw = parsed as Record<string, unknown>;
  const version = raw.v;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return { ok: false, reason: 'invalid' };
  if (version > schemaVersion) return { ok: false, reason: 'newerVersion', raw: text };
  // A block's records are migrated one by one, as they would be on lines of their own.
  let rows: Record<string, unknown>[] | undefined;
  try {
    rows = raw.k === columnsKind && isValidEnvelope(raw) ? unpackColumns(raw as StoredRecord) : [raw];
  } catch {
    // A damaged block that still parses as JSON must not stop the load.
    rows = undefined;
  }
  if (!rows) return { ok: false, reason: 'invalid' };
  const records: StoredRecord[] = [];
  for (const row of rows) {
    const record = migrated(row, version);
    // Deeper than any record the store writes: it could not be written back either.
    if (!record || !nestedWithin(record, maxDepth + 1)) return { ok: false, reason: 'invalid' };
    records.push(record);
  }
  return { ok: true, records };
}

/** True when `value` nests objects and lists at most `levels` deep (a scalar is 0 deep). */
function nestedWithin(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levels === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!nestedWithin(value[i], levels - 1)) return false;
    return true;
  }
  for (const key in value) if (!nestedWithin((value as Record<string, unknown>)[key], levels - 1)) return false;
  return true;
}

/** A record of version `version` in the current shape, or undefined when it cannot be. */
function migrated(row: Record<string, unknown>, version: number): StoredRecord | undefined {
  let raw = row;
  for (let v = version; v < schemaVersion; v++) {
    const migration = migrations.find((m) => m.from === v);
    if (!migration) return undefined;
    raw = { ...migration.up(raw), v: v + 1 };
  }
  return isValidEnvelope(raw) ? (raw as StoredRecord) : undefined;
}

/** Bytes of the UTF-8 encoding of a string (lone surrogates count as the 3-byte replacement). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isValidEnvelope(raw: Record<string, unknown>): boolean {
  return (
    typeof raw.v === 'number' &&
    typeof raw.k === 'string' &&
    raw.k.length > 0 &&
    typeof raw.t === 'number' &&
    Number.isFinite(raw.t) &&
    typeof raw.w === 'string'
  );
}

/** A torn write cuts a line inside its outer object: an open `{` that is never closed. */
function looksTruncated(text: string): boolean {
  if (!text.startsWith('{')) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return false; // the outer object closed: whatever failed is not a torn tail
    }
  }
  return depth > 0;
}

/**
 * Throws unless `value` is plain JSON: finite numbers, strings, booleans, null, arrays and
 * plain objects, at most `maxDepth` deep (which also stops a cycle). Runs for every record
 * appended, so it allocates nothing.
 */
function assertPlainJson(value: unknown, path: string, depth: number): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not plain JSON`);
    return;
  }
  if (typeof value !== 'object') throw new TypeError(`${path}: ${typeof value} is not plain JSON`);
  if (depth >= maxDepth) throw new TypeError(`${path}: nested deeper than ${maxDepth} (or circular)`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertPlainJson(value[i], path, depth + 1);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new TypeError(`${path}: only plain objects are plain JSON`);
  for (const key in value) assertPlainJson((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
}

/** Deepest nesting a record may have: far beyond what any record kind uses. */
const maxDepth = 32;

/** One line for the host's output channel about skipped lines, or undefined when nothing was skipped. */
export function describeSkips(skipped: SkipCounts): string | undefined {
  const parts = skipReasons.filter((reason) => skipped[reason] > 0).map((reason) => `${skipped[reason]} ${reason}`);
  if (parts.length === 0) return undefined;
  const total = skipReasons.reduce((sum, reason) => sum + skipped[reason], 0);
  return `skipped ${total} stored line${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
