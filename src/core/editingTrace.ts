/**
 * Parsing of the josephg/editing-traces JSON shape (already decompressed and parsed):
 * `{startContent, endContent, txns: [{time, patches: [[pos, delCount, insText]]}]}`,
 * where positions and counts are Unicode code points and the patches of a transaction
 * apply one after the other. Output patches are in UTF-16 code units, like VS Code's.
 */

export interface EditingTrace {
  startContent: string;
  endContent: string;
  txns: { time: string; patches: [number, number, string][] }[];
}

/** One trace patch converted to UTF-16 code units; `txn`/`patch` index it in the trace. */
export interface TracePatch {
  txn: number;
  patch: number;
  /** Epoch ms of its transaction (NaN when the trace's time does not parse). */
  time: number;
  offset: number;
  deleteLength: number;
  text: string;
}

/** Validates the trace shape and converts every patch from code points to UTF-16 code units. */
export function parseEditingTrace(value: unknown): { startContent: string; endContent: string; patches: TracePatch[] } {
  const trace = value as Partial<EditingTrace> | null;
  if (trace === null || typeof trace !== 'object' || typeof trace.startContent !== 'string' || typeof trace.endContent !== 'string' || !Array.isArray(trace.txns)) {
    throw new Error('not an editing trace: expected {startContent, endContent, txns}');
  }
  const astral = new AstralPositions(trace.startContent);
  let cpLength = codePointLength(trace.startContent);
  const patches: TracePatch[] = [];
  trace.txns.forEach((txn, i) => {
    if (txn === null || typeof txn !== 'object' || !Array.isArray(txn.patches)) throw new Error(`txn ${i}: no patches`);
    const time = Date.parse(txn.time);
    txn.patches.forEach((p, j) => {
      const [pos, del, text] = (Array.isArray(p) ? p : []) as unknown[];
      if (!(typeof pos === 'number' && typeof del === 'number' && typeof text === 'string' && isCount(pos) && isCount(del) && pos + del <= cpLength)) {
        throw new Error(`txn ${i} patch ${j}: bad patch for a document of ${cpLength} code points`);
      }
      const offset = pos + astral.countBefore(pos);
      const deleteLength = del + astral.countBefore(pos + del) - astral.countBefore(pos);
      astral.apply(pos, del, text);
      cpLength += codePointLength(text) - del;
      patches.push({ txn: i, patch: j, time, offset, deleteLength, text });
    });
  });
  if (cpLength !== codePointLength(trace.endContent)) {
    throw new Error(`trace ends with ${cpLength} code points, endContent has ${codePointLength(trace.endContent)}`);
  }
  return { startContent: trace.startContent, endContent: trace.endContent, patches };
}

/** Applies UTF-16 patches to a text; O(text) per patch, meant for tests and small traces. */
export function applyPatches(text: string, patches: readonly Pick<TracePatch, 'offset' | 'deleteLength' | 'text'>[]): string {
  let out = text;
  for (const p of patches) out = out.slice(0, p.offset) + p.text + out.slice(p.offset + p.deleteLength);
  return out;
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) n--;
  return n;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Sorted code-point positions of the astral (two-code-unit) characters of the current
 * document, so converting a position costs a binary search, not a scan of the text;
 * traces without astral characters (the usual case) keep this list empty.
 */
class AstralPositions {
  private readonly positions: number[];

  constructor(text: string) {
    this.positions = astralOffsets(text, 0);
  }

  /** Number of astral characters at code-point positions < `pos`. */
  countBefore(pos: number): number {
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.positions[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  apply(pos: number, del: number, text: string): void {
    const inserted = astralOffsets(text, pos);
    const insertedLength = codePointLength(text);
    const from = this.countBefore(pos);
    const to = this.countBefore(pos + del);
    const shift = insertedLength - del;
    for (let k = to; k < this.positions.length; k++) this.positions[k] += shift;
    this.positions.splice(from, to - from, ...inserted);
  }
}

function astralOffsets(text: string, base: number): number[] {
  const out: number[] = [];
  let cp = base;
  for (let i = 0; i < text.length; i++, cp++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      out.push(cp);
      i++;
    }
  }
  return out;
}
