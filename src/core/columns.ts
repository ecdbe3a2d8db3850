/**
 * Column blocks: how a compacted day file stores many records of one kind in one line.
 * A heavy day leaves thousands of insertions and survival records whose field names
 * repeat on every line and whose values barely change from one record to the next (the
 * same file, the same language, samples of 1, times a few seconds apart). A block lists
 * each field once, as a column, and encodes the column the cheapest of a few ways:
 *
 *   n  whole numbers as written            "1a,c*5,-3"  (base 36, `*count` repeats a value)
 *   d  whole numbers as differences        the same text, of each value minus the previous one
 *   s  strings, each after the previous    ["0:a1b2c9", "5:a"]  (shared prefix length, rest)
 *   e  a dictionary of values + indexes    e: [1, 0.5], x: "0*40,1,0*7"
 *
 *   L  lists: their lengths, and E, one column of all their elements (objects in `o` columns)
 *
 * and `a`, when some records lack the field: alternating runs of present and absent records.
 * Nested objects become columns named by their path (`span.samples.24h`). Blocks hold at
 * most `maxBlockRows` records and 256 KiB of their JSON, so a damaged line loses a bounded
 * number of them and no block nears the store's line limit. Packing is lossless:
 * `unpackColumns(packRecords(rs))` gives back records deep-equal to `rs`.
 */
import type { JsonValue, StoredRecord } from './storeFormat';

/** The record kind of a column block (kinds starting with `$` belong to the store). */
export const columnsKind = '$cols';

/** Records per block: a damaged line loses at most this many records. */
export const maxBlockRows = 256;

/** Fewer records of a kind than this stay one per line: a block would not be smaller. */
const minBlockRows = 4;

/**
 * Bytes of JSON a block gathers at most, and the largest record it takes: a block is never
 * much longer than the lines it replaces, so it stays far below the store's line limit.
 */
const maxBlockSourceBytes = 256 * 1024;

type Column = { a?: string } & ({ n: string } | { d: string } | { s: string[] } | { e: JsonValue[]; x: string } | { L: string; E: Column } | { o: Columns });
type Columns = Record<string, Column>;

/**
 * What decoding one block may spend: one unit per value, object and string character made,
 * and a dictionary value's JSON length each time it is used. A block's decoded records
 * never exceed the 256 KiB of JSON it was packed from, so only a damaged or hostile block
 * can run out (it is then rejected, having allocated a bounded amount).
 */
export const blockDecodeBudget = 4 * 1024 * 1024;

/** Deepest nesting of columns (lists of objects of lists…) a block may have: a little beyond the 32 levels of JSON a record may have. */
const maxColumnDepth = 40;

interface Budget {
  left: number;
}

/** Takes `units` from the budget; false when it is spent. */
function spend(budget: Budget, units: number): boolean {
  budget.left -= units;
  return budget.left >= 0;
}

/**
 * The records, with runs of one kind (in their order within each kind) gathered into
 * column blocks; records a block cannot hold (a field name with a dot) stay as they are.
 * Every record must be of the same schema version.
 */
export function packRecords(records: readonly StoredRecord[]): StoredRecord[] {
  const byKind = new Map<string, { record: StoredRecord; size: number }[]>();
  const out: StoredRecord[] = [];
  for (const record of records) {
    const size = JSON.stringify(record).length;
    if (!packable(record) || size > maxBlockSourceBytes) {
      out.push(record);
      continue;
    }
    let group = byKind.get(record.k);
    if (!group) byKind.set(record.k, (group = []));
    group.push({ record, size });
  }
  for (const [kind, group] of byKind) {
    if (group.length < minBlockRows) {
      for (const { record } of group) out.push(record);
      continue;
    }
    let rows: StoredRecord[] = [];
    let bytes = 0;
    for (const { record, size } of group) {
      if (rows.length === maxBlockRows || bytes + size > maxBlockSourceBytes) {
        out.push(blockOf(kind, rows));
        rows = [];
        bytes = 0;
      }
      rows.push(record);
      bytes += size;
    }
    out.push(blockOf(kind, rows));
  }
  return out;
}

/** The records a block holds, or undefined when it is malformed (the caller counts it as invalid). */
export function unpackColumns(block: StoredRecord): StoredRecord[] | undefined {
  const { kind, n, c } = block;
  if (typeof kind !== 'string' || kind.length === 0 || kind.startsWith('$') || !Number.isSafeInteger(n) || (n as number) < 1 || (n as number) > maxBlockRows) return undefined;
  if (!isObject(c) || Object.hasOwn(c, 'v') || Object.hasOwn(c, 'k')) return undefined;
  // The envelope first, as on a line of its own.
  const rows = objectsOf(c, n as number, { left: blockDecodeBudget }, 0, () => ({ v: block.v, k: kind }));
  if (!rows) return undefined;
  for (const record of rows) {
    if (typeof record.t !== 'number' || !Number.isFinite(record.t) || typeof record.w !== 'string') return undefined;
  }
  return rows as StoredRecord[];
}

/** `count` objects from their columns (named by path), or undefined when a column is malformed. */
function objectsOf(
  columns: { [path: string]: JsonValue },
  count: number,
  budget: Budget,
  depth: number,
  empty: () => Record<string, JsonValue> = () => ({}),
): Record<string, JsonValue>[] | undefined {
  if (depth > maxColumnDepth || !spend(budget, count)) return undefined;
  const objects = Array.from({ length: count }, empty);
  for (const [path, code] of Object.entries(columns)) {
    const keys = path.split('.');
    if (depth + keys.length > maxColumnDepth || keys.some((key) => key.length === 0 || key === '__proto__')) return undefined;
    const present = presence(code, count);
    if (!present) return undefined;
    const values = columnValues(code, present.count, budget, depth + keys.length);
    if (!values) return undefined;
    let next = 0;
    for (let i = 0; i < count; i++) if (present.rows[i]) setPath(objects[i], keys, values[next++]);
  }
  return objects;
}

/** A record a block can hold: no field name is empty, contains a dot or is `__proto__`, at any depth. */
function packable(record: { [key: string]: JsonValue }): boolean {
  if (typeof record.k === 'string' && record.k.startsWith('$')) return false;
  const fine = (value: JsonValue): boolean => {
    if (!isNonEmptyObject(value)) return true;
    for (const key in value) if (key.length === 0 || key.includes('.') || key === '__proto__' || !fine(value[key])) return false;
    return true;
  };
  return fine(record);
}

function blockOf(kind: string, group: StoredRecord[]): StoredRecord {
  const payloads = group.map(({ v: _v, k: _k, ...payload }) => payload);
  return { v: group[0].v, k: columnsKind, t: group[0].t, w: '', kind, n: group.length, c: objectColumns(payloads) as unknown as JsonValue };
}

/** One column per leaf path of the objects (nested objects are walked, lists and empty objects are leaves). */
function objectColumns(objects: readonly { [key: string]: JsonValue }[]): Columns {
  const columns = new Map<string, (JsonValue | undefined)[]>();
  objects.forEach((object, row) => {
    const visit = (value: JsonValue, path: string): void => {
      if (isNonEmptyObject(value)) {
        for (const key in value) visit(value[key], path ? `${path}.${key}` : key);
        return;
      }
      let column = columns.get(path);
      if (!column) columns.set(path, (column = new Array<JsonValue | undefined>(objects.length).fill(undefined)));
      column[row] = value;
    };
    visit(object, '');
  });
  const c: Columns = {};
  for (const [path, cells] of columns) c[path] = encodeColumn(cells);
  return c;
}

function encodeColumn(cells: (JsonValue | undefined)[]): Column {
  const values = cells.filter((cell): cell is JsonValue => cell !== undefined);
  const column = cheapest(values);
  if (values.length === cells.length) return column;
  const runs: number[] = [];
  let present = true;
  let run = 0;
  for (const cell of cells) {
    if ((cell !== undefined) === present) run++;
    else {
      runs.push(run);
      present = !present;
      run = 1;
    }
  }
  runs.push(run);
  return { a: encodeInts(runs), ...column };
}

function cheapest(values: JsonValue[]): Column {
  const candidates: Column[] = [dictionaryOf(values)];
  if (values.every((value) => Number.isSafeInteger(value))) {
    const numbers = values as number[];
    const deltas = numbers.map((value, i) => (i === 0 ? value : value - numbers[i - 1]));
    candidates.push({ n: encodeInts(numbers) });
    if (deltas.every((delta) => Number.isSafeInteger(delta))) candidates.push({ d: encodeInts(deltas) });
  }
  if (values.every((value) => typeof value === 'string')) candidates.push({ s: frontCoded(values as string[]) });
  if (values.length > 0 && values.every((value) => Array.isArray(value))) {
    const lists = values as JsonValue[][];
    const elements = lists.flat();
    const objects = elements.length > 0 && elements.every((element) => isNonEmptyObject(element) && packable(element));
    candidates.push({ L: encodeInts(lists.map((list) => list.length)), E: objects ? { o: objectColumns(elements as { [key: string]: JsonValue }[]) } : cheapest(elements) });
  }
  let best = candidates[0];
  let bestSize = JSON.stringify(best).length;
  for (const candidate of candidates.slice(1)) {
    const size = JSON.stringify(candidate).length;
    if (size < bestSize) [best, bestSize] = [candidate, size];
  }
  return best;
}

function dictionaryOf(values: JsonValue[]): Column {
  const index = new Map<string, number>();
  const e: JsonValue[] = [];
  const x = values.map((value) => {
    const key = JSON.stringify(value);
    let at = index.get(key);
    if (at === undefined) {
      index.set(key, (at = e.length));
      e.push(value);
    }
    return at;
  });
  return { e, x: encodeInts(x) };
}

function frontCoded(values: string[]): string[] {
  return values.map((value, i) => {
    const previous = i === 0 ? '' : values[i - 1];
    let shared = 0;
    while (shared < value.length && shared < previous.length && value.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
    // Never split a surrogate pair: both halves belong to the rest.
    if (shared > 0 && isHighSurrogate(value.charCodeAt(shared - 1))) shared--;
    return `${shared.toString(36)}:${value.slice(shared)}`;
  });
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Whole numbers as comma-separated base-36 items, a run of one value as `value*count`. */
export function encodeInts(values: readonly number[]): string {
  const items: string[] = [];
  for (let i = 0; i < values.length; ) {
    let end = i + 1;
    while (end < values.length && values[end] === values[i]) end++;
    const count = end - i;
    items.push(count > 1 ? `${values[i].toString(36)}*${count.toString(36)}` : values[i].toString(36));
    i = end;
  }
  return items.join(',');
}

/** The numbers of `encodeInts`, or undefined when the text is not its output or holds more than `max` (a hostile `*count` allocates nothing). */
export function decodeInts(text: string, max: number): number[] | undefined {
  if (text === '') return [];
  const values: number[] = [];
  for (const item of text.split(',')) {
    const star = item.indexOf('*');
    const value = wholeOf(star === -1 ? item : item.slice(0, star));
    const run = star === -1 ? 1 : wholeOf(item.slice(star + 1));
    if (value === undefined || run === undefined || run < 1 || values.length + run > max) return undefined;
    for (let k = 0; k < run; k++) values.push(value);
  }
  return values;
}

const intPattern = /^-?[0-9a-z]{1,11}$/;

function wholeOf(text: string): number | undefined {
  if (!intPattern.test(text)) return undefined;
  const value = parseInt(text, 36);
  return Number.isSafeInteger(value) ? value : undefined;
}

function presence(code: JsonValue, rows: number): { rows: boolean[]; count: number } | undefined {
  if (!isObject(code)) return undefined;
  if (code.a === undefined) return { rows: new Array<boolean>(rows).fill(true), count: rows };
  if (typeof code.a !== 'string') return undefined;
  // One run per row at most, after a first run of present rows that may be empty.
  const runs = decodeInts(code.a, rows + 1);
  if (!runs || runs.reduce((sum, run) => sum + run, 0) !== rows) return undefined;
  const present: boolean[] = [];
  runs.forEach((run, i) => {
    for (let k = 0; k < run; k++) present.push(i % 2 === 0);
  });
  return { rows: present, count: present.filter(Boolean).length };
}

function columnValues(code: JsonValue, count: number, budget: Budget, depth: number): JsonValue[] | undefined {
  if (!isObject(code) || depth > maxColumnDepth || !spend(budget, count)) return undefined;
  let values: JsonValue[] | undefined;
  if (typeof code.n === 'string') values = decodeInts(code.n, count);
  else if (typeof code.d === 'string') {
    let sum = 0;
    values = decodeInts(code.d, count)?.map((delta) => (sum += delta));
  } else if (Array.isArray(code.s)) values = code.s.length === count ? unfrontCoded(code.s, budget) : undefined;
  else if (Array.isArray(code.e) && typeof code.x === 'string') values = dictionaryValues(code.e, code.x, count, budget);
  else if (typeof code.L === 'string') values = listsOf(code.L, code.E, count, budget, depth);
  else if (isObject(code.o)) values = objectsOf(code.o, count, budget, depth);
  return values && values.length === count ? values : undefined;
}

/** `count` values picked from the dictionary; a value used by several records is copied for each. */
function dictionaryValues(dictionary: JsonValue[], indexesText: string, count: number, budget: Budget): JsonValue[] | undefined {
  const indexes = decodeInts(indexesText, count);
  if (!indexes?.every((i) => i >= 0 && i < dictionary.length)) return undefined;
  const sizes = dictionary.map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value).length : 1));
  if (!spend(budget, indexes.reduce((sum, i) => sum + sizes[i], 0))) return undefined;
  return indexes.map((i) => structuredCloneJson(dictionary[i]));
}

/** `count` lists from their lengths and the column of all their elements. */
function listsOf(lengthsText: string, elementsCode: JsonValue | undefined, count: number, budget: Budget, depth: number): JsonValue[][] | undefined {
  const lengths = decodeInts(lengthsText, count);
  if (lengths?.length !== count || lengths.some((length) => length < 0)) return undefined;
  const total = lengths.reduce((sum, length) => sum + length, 0);
  // Checked before the elements are decoded: their column would only spend it.
  if (total > budget.left || elementsCode === undefined) return undefined;
  const elements = columnValues(elementsCode, total, budget, depth + 1);
  if (!elements) return undefined;
  let at = 0;
  return lengths.map((length) => elements.slice(at, (at += length)));
}

function unfrontCoded(items: JsonValue[], budget: Budget): string[] | undefined {
  const values: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return undefined;
    const colon = item.indexOf(':');
    const shared = colon === -1 ? undefined : wholeOf(item.slice(0, colon));
    const previous = values.length === 0 ? '' : values[values.length - 1];
    if (shared === undefined || shared < 0 || shared > previous.length || !spend(budget, shared + item.length - colon)) return undefined;
    values.push(previous.slice(0, shared) + item.slice(colon + 1));
  }
  return values;
}

/** Dictionary values shared by several records are copied, so that no two records share an object. */
function structuredCloneJson(value: JsonValue): JsonValue {
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as JsonValue) : value;
}

function setPath(record: Record<string, JsonValue>, keys: string[], value: JsonValue): void {
  let target = record;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = target[keys[i]];
    if (!isObject(next)) target[keys[i]] = {};
    target = target[keys[i]] as Record<string, JsonValue>;
  }
  target[keys[keys.length - 1]] = value;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyObject(value: JsonValue): value is { [key: string]: JsonValue } {
  if (!isObject(value)) return false;
  for (const _ in value) return true;
  return false;
}
