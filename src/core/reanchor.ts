/**
 * Line-level re-anchoring: when a document changed while Hindsight was not watching
 * (VS Code closed, an external tool rewrote the file), find which of the lines it last
 * saw are still there and move the span characters on them to their new offsets.
 * Only salted line hashes and line lengths are compared, never text.
 *
 * Lengths are UTF-16 code units. A line's length excludes its `\n`, which belongs to
 * the line it ends (so the last line has none); a `\r` before it is part of the line.
 */
import { DocumentSpans } from './spans';
import type { SpansState } from './spans';

/** What is kept about a document's lines: one salted hash (lineHash.ts) and one length per `\n`-separated line. */
export interface LineSnapshot {
  lineHashes: readonly string[];
  lineLengths: readonly number[];
}

export interface ReanchorResult {
  spans: DocumentSpans;
  /** Span characters on lines that are gone or changed, per span id (UTF-16 code units). */
  lost: Map<string, number>;
  /** True when the diff hit its work cap and left some region unmatched (its span characters count as lost). */
  approximate: boolean;
}

/** A region of the line diff costlier than this many cells (old lines × new lines) without a unique line in common is given up. */
const dpCellLimit = 1 << 22;
/** The whole diff may visit at most this many times (old + new lines) before giving up on what is left. */
const workFactor = 64;

/** Lengths (UTF-16 code units, without the `\n`) of the `\n`-separated lines of a text. */
export function lineLengthsOf(text: string): number[] {
  return text.split('\n').map((line) => line.length);
}

/**
 * Maps the spans of `state` (recorded when the document had lines `before`) onto the
 * document that now has lines `after`. Matched lines keep their span characters at the new
 * offsets (a line whose only difference is a trailing `\r` keeps the common prefix); span
 * characters on unmatched lines are lost. Lines are matched by a patience diff (unique
 * common lines as anchors, common prefix/suffix, exact LCS for small leftover regions),
 * then moved blocks are found from unique lines and grown line by line to their neighbours.
 * Throws if `before` does not describe a document of `state.length`.
 */
export function reanchor(before: LineSnapshot, state: SpansState, after: LineSnapshot): ReanchorResult {
  checkSnapshot(before, 'before');
  checkSnapshot(after, 'after');
  if (documentLength(before) !== state.length) {
    throw new Error(`reanchor: lines describe ${documentLength(before)} code units, spans ${state.length}`);
  }
  const { match, approximate } = matchLines(before.lineHashes, after.lineHashes);
  const oldOf = new Int32Array(after.lineHashes.length).fill(-1);
  match.forEach((j, i) => {
    if (j >= 0) oldOf[j] = i;
  });
  const owned = ownershipByLine(state, before.lineLengths);
  const runs: number[] = [];
  const emit = (len: number, slot: number): void => {
    if (len === 0) return;
    if (runs.length > 0 && runs[runs.length - 1] === slot) runs[runs.length - 2] += len;
    else runs.push(len, slot);
  };
  const kept = new Array<number>(state.spans.length + 1).fill(0);
  const keep = (segments: number[], from: number, to: number): void => {
    sliceSegments(segments, from, to, (len, slot) => {
      emit(len, slot);
      kept[slot] += len;
    });
  };
  const lastNew = after.lineLengths.length - 1;
  const lastOld = before.lineLengths.length - 1;
  after.lineLengths.forEach((newLen, j) => {
    const newTerm = j < lastNew ? 1 : 0;
    const i = oldOf[j];
    const segments = i >= 0 ? owned.get(i) : undefined;
    if (segments === undefined) {
      emit(newLen + newTerm, 0);
      return;
    }
    const oldLen = before.lineLengths[i];
    const common = Math.min(oldLen, newLen);
    keep(segments, 0, common);
    emit(newLen - common, 0);
    if (newTerm === 1 && i < lastOld) keep(segments, oldLen, oldLen + 1);
    else emit(newTerm, 0);
  });
  const alive = new Array<number>(state.spans.length + 1).fill(0);
  for (let k = 0; k < state.runs.length; k += 2) alive[state.runs[k + 1]] += state.runs[k];
  const lost = new Map<string, number>();
  state.spans.forEach((span, s) => {
    const n = alive[s + 1] - kept[s + 1];
    if (n > 0) lost.set(span.id, n);
  });
  const spans = DocumentSpans.restore({ length: documentLength(after), runs, spans: state.spans });
  return { spans, lost, approximate };
}

function checkSnapshot(snapshot: LineSnapshot, name: string): void {
  if (snapshot.lineHashes.length !== snapshot.lineLengths.length || snapshot.lineHashes.length === 0) {
    throw new Error(`reanchor: ${name} needs one hash and one length per line, at least one line`);
  }
}

function documentLength(snapshot: LineSnapshot): number {
  let n = snapshot.lineLengths.length - 1;
  for (const len of snapshot.lineLengths) n += len;
  return n;
}

/**
 * Per old line that holds span characters, its ownership as alternating length/slot
 * segments covering the line and its `\n`; lines without span characters are absent.
 */
function ownershipByLine(state: SpansState, lineLengths: readonly number[]): Map<number, number[]> {
  const owned = new Map<number, number[]>();
  let run = 0;
  let runLeft = state.runs.length > 0 ? state.runs[0] : 0;
  const last = lineLengths.length - 1;
  lineLengths.forEach((len, i) => {
    let need = len + (i < last ? 1 : 0);
    const segments: number[] = [];
    let tracked = false;
    while (need > 0) {
      const take = Math.min(need, runLeft);
      const slot = state.runs[run + 1];
      segments.push(take, slot);
      if (slot !== 0) tracked = true;
      need -= take;
      runLeft -= take;
      if (runLeft === 0) {
        run += 2;
        runLeft = run < state.runs.length ? state.runs[run] : 0;
      }
    }
    if (tracked) owned.set(i, segments);
  });
  return owned;
}

/** Calls `emit` for the parts of alternating length/slot `segments` that fall in `[from, to)`. */
function sliceSegments(segments: number[], from: number, to: number, emit: (len: number, slot: number) => void): void {
  let pos = 0;
  for (let k = 0; k < segments.length && pos < to; k += 2) {
    const end = pos + segments[k];
    const len = Math.min(end, to) - Math.max(pos, from);
    if (len > 0) emit(len, segments[k + 1]);
    pos = end;
  }
}

/** For each old line, the index of the new line it matched, or -1. */
function matchLines(a: readonly string[], b: readonly string[]): { match: Int32Array; approximate: boolean } {
  const match = new Int32Array(a.length).fill(-1);
  let approximate = false;
  let work = workFactor * (a.length + b.length);
  const regions: number[][] = [[0, a.length, 0, b.length]];
  for (let region = regions.pop(); region !== undefined; region = regions.pop()) {
    let [alo, ahi, blo, bhi] = region;
    while (alo < ahi && blo < bhi && a[alo] === b[blo]) match[alo++] = blo++;
    while (alo < ahi && blo < bhi && a[ahi - 1] === b[bhi - 1]) match[--ahi] = --bhi;
    if (alo === ahi || blo === bhi) continue;
    work -= ahi - alo + (bhi - blo);
    if (work < 0) {
      approximate = true;
      continue;
    }
    const anchors = uniqueCommonAnchors(a, alo, ahi, b, blo, bhi);
    if (anchors.length > 0) {
      let ai = alo;
      let bj = blo;
      for (const [i, j] of anchors) {
        match[i] = j;
        regions.push([ai, i, bj, j]);
        ai = i + 1;
        bj = j + 1;
      }
      regions.push([ai, ahi, bj, bhi]);
    } else if ((ahi - alo) * (bhi - blo) <= dpCellLimit) {
      lcs(a, alo, ahi, b, blo, bhi, match);
    } else {
      approximate = true;
    }
  }
  matchMoves(a, b, match);
  return { match, approximate };
}

/** Lines occurring exactly once in both ranges, as (old, new) pairs forming the longest increasing sequence. */
function uniqueCommonAnchors(a: readonly string[], alo: number, ahi: number, b: readonly string[], blo: number, bhi: number): [number, number][] {
  const inA = new Map<string, number>();
  for (let i = alo; i < ahi; i++) inA.set(a[i], inA.has(a[i]) ? -1 : i);
  const inB = new Map<string, number>();
  for (let j = blo; j < bhi; j++) if (inA.has(b[j])) inB.set(b[j], inB.has(b[j]) ? -1 : j);
  const pairs: [number, number][] = [];
  for (let i = alo; i < ahi; i++) {
    const j = inB.get(a[i]);
    if (inA.get(a[i]) === i && j !== undefined && j >= 0) pairs.push([i, j]);
  }
  return longestIncreasing(pairs);
}

/** Patience sorting: the longest subsequence of `pairs` (ascending in old index) also ascending in new index. */
function longestIncreasing(pairs: [number, number][]): [number, number][] {
  const tails: number[] = [];
  const back = new Int32Array(pairs.length);
  pairs.forEach(([, j], k) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]][1] < j) lo = mid + 1;
      else hi = mid;
    }
    back[k] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = k;
  });
  const out: [number, number][] = [];
  for (let k = tails.length > 0 ? tails[tails.length - 1] : -1; k >= 0; k = back[k]) out.push(pairs[k]);
  return out.reverse();
}

/** Exact LCS by dynamic programming over a small region (at most `dpCellLimit` cells). */
function lcs(a: readonly string[], alo: number, ahi: number, b: readonly string[], blo: number, bhi: number, match: Int32Array): void {
  const n = ahi - alo;
  const m = bhi - blo;
  const width = m + 1;
  // Suffix lengths; an LCS here is at most min(n, m) ≤ sqrt(dpCellLimit), so 16 bits suffice.
  const table = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[alo + i] === b[blo + j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[alo + i] === b[blo + j]) {
      match[alo + i] = blo + j;
      i++;
      j++;
    } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) i++;
    else j++;
  }
}

/**
 * Moved lines: an unmatched old line whose hash occurs exactly once among the unmatched
 * old lines and once among the unmatched new lines is matched there, and the match grows
 * over equal unmatched neighbours (so the braces and blank lines of a moved block follow it).
 */
function matchMoves(a: readonly string[], b: readonly string[], match: Int32Array): void {
  const usedB = new Uint8Array(b.length);
  match.forEach((j) => {
    if (j >= 0) usedB[j] = 1;
  });
  const freeA = new Map<string, number>();
  match.forEach((j, i) => {
    if (j < 0) freeA.set(a[i], freeA.has(a[i]) ? -1 : i);
  });
  const freeB = new Map<string, number>();
  b.forEach((h, j) => {
    if (usedB[j] === 0 && freeA.has(h)) freeB.set(h, freeB.has(h) ? -1 : j);
  });
  for (const [h, i] of freeA) {
    const j = freeB.get(h);
    if (i < 0 || j === undefined || j < 0 || match[i] >= 0) continue;
    match[i] = j;
    usedB[j] = 1;
    for (let d = 1; i - d >= 0 && j - d >= 0 && match[i - d] < 0 && usedB[j - d] === 0 && a[i - d] === b[j - d]; d++) {
      match[i - d] = j - d;
      usedB[j - d] = 1;
    }
    for (let d = 1; i + d < a.length && j + d < b.length && match[i + d] < 0 && usedB[j + d] === 0 && a[i + d] === b[j + d]; d++) {
      match[i + d] = j + d;
      usedB[j + d] = 1;
    }
  }
}
