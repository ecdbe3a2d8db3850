/**
 * Attribution: for every piece of text a document change inserts, who wrote it
 * (an inline AI accept, a chat or agent edit, a paste, the developer's own typing)
 * and how sure Hindsight is. The host turns each `onDidChangeTextDocument` event into a
 * plain `ChangeObservation`; the `Attributor` keeps the little state the rules need
 * across events (pending accept intents, partial-accept chains, typed runs, external
 * writes), with time passed in. No text is kept beyond the current typed run, in memory.
 *
 * Offsets follow VS Code: UTF-16 code units, and the changes of one event apply one
 * after the other, each against the document left by the previous one.
 *
 * Rules, in the order they are tried for one event (the first that applies decides):
 *  1. `reason` undo/redo: never a new insertion (`ignore`, why `undo`/`redo`).
 *  2. `vcsOperationInFlight` (checkout, stash, rebase): `ignore`, why `vcs`.
 *  3. `fromDisk` (document reloaded from disk, no VS Code save), or `noteExternalChange`
 *     for a file changed on disk: inserted text → `agent`, `possible`; whitespace-only →
 *     `format`. When both paths report the same write within `externalEchoMs`, the
 *     second report is `ignore`, why `external`.
 *  4. A pending accept intent for the document (`noteAcceptIntent`): the first event that
 *     inserts text is the accept → `inline`, `certain`. The intent is valid until
 *     `acceptWindowMs` after the intent, and at most `acceptAfterDoneMs` after
 *     `noteAcceptDone` (the change may arrive after the command resolved: the race that
 *     drops Tab accepts in other tools). Change events arrive in the order the edits
 *     happened, so after `noteAcceptDone` a lone one-character insert is a keystroke
 *     following an accept that inserted nothing: it drops the intent. The host must call
 *     `noteAcceptIntent` synchronously before executing the real command. A partial
 *     accept (`word`/`line`), and any accept right after it that starts where the previous
 *     one ended (within `partialChainMs`, no other edit in between), is
 *     `extendsPrevious`: the same suggestion, the same span. A full accept ends the chain.
 *  5. Pure deletions: `ignore`, why `deletion`.
 *  6. `chatEditingScheme`: inserted text → `chat`, `likely`. Wherever a rule says `chat`,
 *     it is `agent` when the host knows a chat agent-mode session is editing
 *     (`agentModeActive`).
 *  7. `formatOrRefactorInFlight`: `ignore`, why `format`.
 *  8. Import reordering: every inserted non-blank line is an import-like line and the
 *     event inserts exactly as many characters as it removes (a reorder keeps the
 *     multiset of lines, hence the length) → `ignore`, why `import-reorder`. Text moved
 *     (lines moved with Alt+↑/↓, a selection dragged): several changes, each a pure
 *     insertion or a pure deletion, the insertions as long as the deletions, one for
 *     one → `ignore`, why `move`.
 *  9. Paste: only asked when `needsClipboard` holds; the inserted text equals the
 *     clipboard, line by line with indentation ignored (auto-indent on paste), or a
 *     multi-cursor paste spreads the clipboard's lines over the cursors → `paste`, `certain`.
 * 10. Several changes in one event: identical small texts are multi-cursor typing or
 *     linked editing (`typed`) when one of them touches a cursor (or cursors are unknown
 *     in the active editor), else a find/replace-all or rename (`ignore`, why `replace`);
 *     different texts that are all identifier pieces (letters, digits, `_`, `$`, or
 *     nothing) are a rename applied as minimal edits (VS Code splits `computeTotal` →
 *     `sumAll` into several small replacements per occurrence) → `ignore`, why `replace`;
 *     a few punctuation characters inserted at a cursor and around it (a bracket or quote
 *     typed over a selection, a block comment toggled on: `(`…`)`, `<!-- `…` -->`) →
 *     `ignore`, why `wrap`; other different texts are a chat/agent edit → `chat`, `likely` (whitespace-only
 *     parts → `format`).
 * 11. One change:
 *     - AI-shaped (below) while `snippetActive`, or an Emmet expansion (a markup language,
 *       a replaced abbreviation, text starting with `<`) → `snippet`. Small typing in
 *       snippet mode (filling placeholders) goes on to the typing rule.
 *     - AI-shaped and a copy of the text right before or after it (`neighbours`: lines
 *       copied with Shift+Alt+↑/↓, a selection duplicated) → `ignore`, why `duplicate`.
 *     - a document that is not the active editor, or other documents changed in the same
 *       tick (a multi-file WorkspaceEdit) → `chat`, `likely` (whitespace-only → `format`).
 *     - AI-shaped (below) → if `detectAiShapedInserts` is off: `ignore`, why
 *       `ai-shape-off` (neither AI nor the developer's baseline); if cursors are known
 *       and none touches the change: `ignore`, why `not-at-cursor` (auto-import, code
 *       action); else `inline` when the developer typed in this editor recently, `chat`
 *       otherwise; `likely`, or `possible` when the clipboard could not be read.
 *     - otherwise it is the developer's typing → `typed`, feeding the typed run.
 *
 * AI-shaped: contains a letter or digit, is not a single whitespace-free token on one
 * line (a word completion from IntelliSense, however long), and has at least
 * `aiShapedMinLines` non-blank lines or at least `aiShapedMinChars` characters.
 *
 * Typed runs (the human baseline): one run per document. A typed change continues the
 * run when its replaced range lies within the run (cursor continuity: typing at its end,
 * backspacing inside it, typing inside an auto-closed pair) and the last typing was at
 * most `typedRunMaxPauseMs` ago; otherwise it starts a new run there. Edits that are not
 * typing shift the run when they are before it and break it when they overlap it; any
 * other insertion in the document (paste, accept, chat edit), undo, redo and external
 * writes break it. A run becomes a `typed`,
 * `certain` insertion once it contains a full line: a line break typed after non-blank
 * text of the same run. That change reports the whole run (`runStart`, `chars`); later
 * typing in the run reports `extendsPrevious`.
 */
import type { Confidence, InsertionSource } from './model';
import type { TextChange } from './spans';

/** One `onDidChangeTextDocument` event, as plain data. Times are epoch ms. */
export interface ChangeObservation {
  t: number;
  docKey: string;
  languageId: string;
  /** The document is shown in the active text editor. */
  isActiveEditor: boolean;
  /** The developer typed in this editor in the last few seconds (keyboard selection changes). */
  recentlyTypedInDoc: boolean;
  reason?: 'undo' | 'redo';
  changes: readonly TextChange[];
  /** Active offsets of the editor's selections before the change, when known. */
  cursorOffsets?: readonly number[];
  /** Clipboard text, read by the host only when `needsClipboard(changes)`; undefined if not read. */
  clipboardText?: string;
  /** In snippet mode, or a snippet / Emmet command just ran. */
  snippetActive?: boolean;
  /**
   * Read by the host only when `needsNeighbours(changes)`: the document's text right before
   * and right after the inserted text, as long as it is (or shorter at the document's ends).
   */
  neighbours?: { before: string; after: string };
  /** A format, organize-imports, rename or code-action command, or a will-save participant, is running. */
  formatOrRefactorInFlight?: boolean;
  /** The document or event belongs to a chat editing session (chat-editing / chat code-block schemes). */
  chatEditingScheme?: boolean;
  /** How many other documents changed in the same event-loop tick (a multi-file WorkspaceEdit). */
  otherDocsChangedInSameTick: number;
  /** Added: the document was reloaded from disk (not dirty after the change, no VS Code save running). */
  fromDisk?: boolean;
  /** Added: a git checkout, stash, merge or rebase is rewriting files right now. */
  vcsOperationInFlight?: boolean;
  /** Added: a chat session in agent mode is editing; chat-like edits then count as `agent`. */
  agentModeActive?: boolean;
}

/** Which accept command the host's wrapper is about to run. */
export type AcceptKind = 'full' | 'word' | 'line';

/** Why a change is not an insertion. */
export type IgnoreReason =
  | 'undo'
  | 'redo'
  | 'deletion'
  | 'format'
  | 'snippet'
  | 'import-reorder'
  | 'duplicate'
  | 'move'
  | 'wrap'
  | 'replace'
  | 'external'
  | 'vcs'
  | 'not-at-cursor'
  | 'ai-shape-off';

/** An attributed piece of inserted text: the host creates or extends a span for it. */
export interface InsertionDecision {
  index: number;
  kind: 'insertion';
  source: InsertionSource;
  confidence: Confidence;
  /** Characters (UTF-16) to attribute. */
  chars: number;
  /**
   * Non-blank lines (at least 1); for `extendsPrevious`, the line breaks the text adds to
   * the previous insertion (often 0: a word accepted on the same line).
   */
  lines: number;
  /** The text belongs to the previous insertion of this document (same suggestion, same typed run). */
  extendsPrevious?: boolean;
  /**
   * Only for a typed run that just became an insertion: the run starts at this offset of
   * the document after the event and spans `chars` characters, most of them typed by
   * earlier events (already reported as `typed`).
   */
  runStart?: number;
}

/** The developer's own typing that is not (yet) part of a typed insertion. */
export interface TypedDecision {
  index: number;
  kind: 'typed';
  chars: number;
}

export interface IgnoreDecision {
  index: number;
  kind: 'ignore';
  why: IgnoreReason;
}

/** What one change of an event is; `index` points into the event's `changes`. */
export type ChangeDecision = InsertionDecision | TypedDecision | IgnoreDecision;

export interface AttributionOptions {
  /** The `hindsight.attribution.detectAiShapedInserts` setting. */
  detectAiShapedInserts: boolean;
  /** An accept intent's change must arrive within this time of the intent. */
  acceptWindowMs: number;
  /** …and within this time after the real accept command resolved. */
  acceptAfterDoneMs: number;
  /** A later accept continuing a partial accept must come within this time. */
  partialChainMs: number;
  /** Longest pause inside one typed run. */
  typedRunMaxPauseMs: number;
  /** A disk write reported by both the watcher and a document reload within this time is one write. */
  externalEchoMs: number;
}

export const defaultAttributionOptions: AttributionOptions = {
  detectAiShapedInserts: true,
  acceptWindowMs: 2_000,
  acceptAfterDoneMs: 500,
  partialChainMs: 30_000,
  typedRunMaxPauseMs: 30_000,
  externalEchoMs: 3_000,
};

/** AI-shaped thresholds (DESIGN: "≥ 2 lines or ≥ 40 chars"). */
export const aiShapedMinLines = 2;
export const aiShapedMinChars = 40;

/** Below this many non-whitespace characters a change is never compared with the clipboard. */
const clipboardMinNonBlank = 3;

interface PendingAccept {
  t: number;
  doneAt: number | null;
  kind: AcceptKind;
}

interface AcceptChain {
  end: number;
  t: number;
}

interface TypedRun {
  start: number;
  end: number;
  lastT: number;
  /** The run's text until it becomes an insertion; null afterwards (no longer needed). */
  text: RunText | null;
}

type Via = 'watcher' | 'document';

/** Whether the host should read the clipboard before `observe`: some change could be a paste that matters. */
export function needsClipboard(changes: readonly TextChange[]): boolean {
  return changes.some((c) => nonBlankAtLeast(c.text, clipboardMinNonBlank));
}

/** Longest insertion whose neighbours are read (a copy of more lines than this is not looked for). */
const neighboursMaxChars = 100_000;

/** Whether the host should read the text around the event's insertion: one AI-shaped insertion, which could be a copy of the lines next to it. */
export function needsNeighbours(changes: readonly TextChange[]): boolean {
  return changes.length === 1 && changes[0].rangeLength === 0 && changes[0].text.length <= neighboursMaxChars && isAiShaped(changes[0].text);
}

/**
 * Where the `neighbours` of a just-inserted change lie in the document after the event, as
 * `[from, to)` offsets: as long as the inserted text, right before and right after it
 * (clamped at the document's start; the reader clamps the end).
 */
export function neighbourRanges(change: TextChange): { before: [number, number]; after: [number, number] } {
  const start = change.rangeOffset;
  const length = change.text.length;
  return { before: [Math.max(0, start - length), start], after: [start + length, start + 2 * length] };
}

/** Decides what each change of each event is, remembering what the rules need between events. */
export class Attributor {
  private readonly options: AttributionOptions;
  private readonly accepts = new Map<string, PendingAccept>();
  private readonly chains = new Map<string, AcceptChain>();
  private readonly runs = new Map<string, TypedRun>();
  private readonly externals = new Map<string, { t: number; via: Via }[]>();
  /** The clipboard text seen last and its shape: the same clipboard comes with event after event. */
  private clipboard: ClipboardShape | undefined;

  constructor(options: Partial<AttributionOptions> = {}) {
    this.options = { ...defaultAttributionOptions, ...options };
  }

  /** The host's accept wrapper is about to run the real command; call synchronously before executing it. */
  noteAcceptIntent(docKey: string, kind: AcceptKind, t: number): void {
    this.accepts.set(docKey, { t, doneAt: null, kind });
  }

  /** The real accept command resolved; its change may still be on its way. */
  noteAcceptDone(docKey: string, t: number): void {
    const pending = this.accepts.get(docKey);
    if (pending !== undefined && pending.doneAt === null) pending.doneAt = t;
  }

  /** A file changed on disk without a VS Code save; `regions` are the changes between the old and new content. */
  noteExternalChange(docKey: string, t: number, regions: readonly TextChange[]): ChangeDecision[] {
    return this.external(docKey, t, regions, 'watcher');
  }

  /** Drops everything remembered about a document (the host calls this when it closes). */
  forget(docKey: string): void {
    this.accepts.delete(docKey);
    this.chains.delete(docKey);
    this.runs.delete(docKey);
    this.externals.delete(docKey);
  }

  /** Classifies every change of one event. */
  observe(obs: ChangeObservation): ChangeDecision[] {
    const { docKey, t, changes } = obs;
    const reason = obs.reason;
    if (reason !== undefined) {
      this.breakTyping(docKey);
      return changes.map((_, index) => ignore(index, reason));
    }
    if (obs.vcsOperationInFlight === true) {
      this.breakTyping(docKey);
      return changes.map((_, index) => ignore(index, 'vcs'));
    }
    if (obs.fromDisk === true) return this.external(docKey, t, changes, 'document');

    const inserting = changes.some((c) => c.text.length > 0);
    const accept = inserting ? this.takeAccept(obs) : undefined;
    if (accept !== undefined) return this.acceptDecisions(obs, accept);
    // Any other edit means the suggestion a partial accept came from is gone.
    this.chains.delete(docKey);

    if (!inserting) return this.deletions(obs);
    if (obs.chatEditingScheme === true) return this.foreign(obs, (c, i) => (c.text.length > 0 ? insertion(i, chatSource(obs), 'likely', c.text) : ignore(i, 'deletion')));
    if (obs.formatOrRefactorInFlight === true) return this.foreign(obs, (_, i) => ignore(i, 'format'));
    if (isImportReorder(changes)) return this.foreign(obs, (_, i) => ignore(i, 'import-reorder'));
    if (isMove(changes)) return this.foreign(obs, (_, i) => ignore(i, 'move'));
    if (needsClipboard(changes) && obs.clipboardText !== undefined && isPaste(changes, this.clipboardShape(obs.clipboardText))) {
      return this.foreign(obs, (c, i) => (c.text.length > 0 ? insertion(i, 'paste', 'certain', c.text) : ignore(i, 'deletion')));
    }
    return changes.length > 1 ? this.multiRange(obs) : this.single(obs, changes[0]);
  }

  private single(obs: ChangeObservation, change: TextChange): ChangeDecision[] {
    const aiShaped = isAiShaped(change.text);
    if (aiShaped && (obs.snippetActive === true || isEmmetExpansion(obs.languageId, change))) return this.foreign(obs, () => ignore(0, 'snippet'));
    if (aiShaped && obs.neighbours !== undefined && duplicatesNeighbour(change.text, obs.neighbours)) return this.foreign(obs, () => ignore(0, 'duplicate'));
    if (!obs.isActiveEditor || obs.otherDocsChangedInSameTick > 0) return this.foreign(obs, (c) => chatOrFormat(obs, 0, c.text));
    if (!aiShaped) return [this.typed(obs, change)];
    if (!this.options.detectAiShapedInserts) return this.foreign(obs, () => ignore(0, 'ai-shape-off'));
    if (obs.cursorOffsets !== undefined && !touchesCursor(change, obs.cursorOffsets)) return this.foreign(obs, () => ignore(0, 'not-at-cursor'));
    const source = obs.recentlyTypedInDoc ? 'inline' : chatSource(obs);
    // Without the clipboard a paste cannot be ruled out.
    const confidence = obs.clipboardText === undefined ? 'possible' : 'likely';
    return this.foreign(obs, (c) => insertion(0, source, confidence, c.text));
  }

  private multiRange(obs: ChangeObservation): ChangeDecision[] {
    const { changes } = obs;
    const first = changes[0].text;
    const identicalSmall = changes.every((c) => c.text === first) && !isAiShaped(first);
    if (!identicalSmall && changes.every((c) => identifierPiece.test(c.text))) return this.foreign(obs, (_, i) => ignore(i, 'replace'));
    if (!identicalSmall && isWrap(changes) && atCursors(obs)) return this.foreign(obs, (_, i) => ignore(i, 'wrap'));
    if (!identicalSmall) return this.foreign(obs, (c, i) => (c.text.length > 0 ? chatOrFormat(obs, i, c.text) : ignore(i, 'deletion')));
    if (!atCursors(obs)) return this.foreign(obs, (_, i) => ignore(i, 'replace'));
    // Multi-cursor typing is the developer's, but it is not one run in one place.
    return this.foreign(obs, (c, i) => ({ index: i, kind: 'typed', chars: c.text.length }));
  }

  private deletions(obs: ChangeObservation): ChangeDecision[] {
    const run = this.liveRun(obs.docKey, obs.t);
    const only = obs.changes.length === 1 ? obs.changes[0] : undefined;
    if (run !== undefined && only !== undefined && within(run, only)) {
      // Backspacing inside the run keeps it going.
      shrink(run, only);
      run.lastT = obs.t;
      return [ignore(0, 'deletion')];
    }
    return this.foreign(obs, (_, i) => ignore(i, 'deletion'));
  }

  /** A change the developer typed: extend or start the document's typed run. */
  private typed(obs: ChangeObservation, change: TextChange): ChangeDecision {
    const live = this.liveRun(obs.docKey, obs.t);
    const continues = live !== undefined && within(live, change);
    const run: TypedRun = continues ? live : { start: change.rangeOffset, end: change.rangeOffset, lastT: obs.t, text: new RunText() };
    if (continues) shrink(run, change);
    else this.runs.set(obs.docKey, run);
    const wasPromoted = run.text === null;
    run.end += change.text.length;
    run.lastT = obs.t;
    if (wasPromoted || run.text === null) return extension(0, 'typed', change.text);
    // O(1) amortized per keystroke, whatever the run's length (see `RunText`).
    const lines = run.text.insert(change.rangeOffset - run.start, change.text);
    if (lines > 0) {
      const decision: InsertionDecision = { index: 0, kind: 'insertion', source: 'typed', confidence: 'certain', chars: run.end - run.start, lines, runStart: run.start };
      run.text = null;
      return decision;
    }
    return { index: 0, kind: 'typed', chars: change.text.length };
  }

  /** Decides every change with `decide`, and moves or breaks the typed run for edits that are not typing. */
  private foreign(obs: ChangeObservation, decide: (change: TextChange, index: number) => ChangeDecision): ChangeDecision[] {
    const decisions = obs.changes.map(decide);
    const run = this.runs.get(obs.docKey);
    // Another insertion in the document ends the run too: `extendsPrevious` always means
    // the document's previous insertion.
    const broken = run !== undefined && (!obs.changes.every((c) => shiftRun(run, c)) || decisions.some((d) => d.kind === 'insertion'));
    if (broken) this.runs.delete(obs.docKey);
    return decisions;
  }

  private takeAccept(obs: ChangeObservation): PendingAccept | undefined {
    const pending = this.accepts.get(obs.docKey);
    if (pending === undefined) return undefined;
    const { acceptWindowMs, acceptAfterDoneMs } = this.options;
    const expired = obs.t - pending.t > acceptWindowMs || (pending.doneAt !== null && obs.t - pending.doneAt > acceptAfterDoneMs);
    if (expired) {
      this.accepts.delete(obs.docKey);
      return undefined;
    }
    this.accepts.delete(obs.docKey);
    // Change events arrive in the order the edits happened, so a lone keystroke after the
    // command resolved means the accept inserted nothing (the suggestion had vanished).
    const keystroke = obs.changes.length === 1 && obs.changes[0].rangeLength === 0 && obs.changes[0].text.length === 1;
    return pending.doneAt !== null && keystroke ? undefined : pending;
  }

  private acceptDecisions(obs: ChangeObservation, accept: PendingAccept): ChangeDecision[] {
    const chain = this.chains.get(obs.docKey);
    const firstInsert = obs.changes.findIndex((c) => c.text.length > 0);
    const extending = chain !== undefined && obs.t - chain.t <= this.options.partialChainMs && obs.changes[firstInsert].rangeOffset === chain.end;
    const decisions = this.foreign(obs, (c, i) => {
      if (c.text.length === 0) return ignore(i, 'deletion');
      return i === firstInsert && extending ? extension(i, 'inline', c.text) : insertion(i, 'inline', 'certain', c.text);
    });
    this.runs.delete(obs.docKey);
    if (accept.kind === 'full' || obs.changes.length > 1) {
      this.chains.delete(obs.docKey);
    } else {
      const c = obs.changes[firstInsert];
      this.chains.set(obs.docKey, { end: c.rangeOffset + c.text.length, t: obs.t });
    }
    return decisions;
  }

  private external(docKey: string, t: number, changes: readonly TextChange[], via: Via): ChangeDecision[] {
    this.breakTyping(docKey);
    const recent = (this.externals.get(docKey) ?? []).filter((e) => t - e.t <= this.options.externalEchoMs);
    const echoOf = recent.findIndex((e) => e.via !== via);
    // The same disk write seen through the other path: already attributed once.
    const echo = echoOf >= 0;
    if (echo) recent.splice(echoOf, 1);
    else recent.push({ t, via });
    if (recent.length > 0) this.externals.set(docKey, recent);
    else this.externals.delete(docKey);
    return changes.map((c, i) => {
      if (c.text.length === 0) return ignore(i, 'deletion');
      if (echo) return ignore(i, 'external');
      return /\S/.test(c.text) ? insertion(i, 'agent', 'possible', c.text) : ignore(i, 'format');
    });
  }

  private clipboardShape(text: string): ClipboardShape {
    if (this.clipboard?.text !== text) this.clipboard = { text, shape: pasteShape(text), nonBlank: nonBlankCount(text) };
    return this.clipboard;
  }

  private liveRun(docKey: string, t: number): TypedRun | undefined {
    const run = this.runs.get(docKey);
    if (run !== undefined && t - run.lastT > this.options.typedRunMaxPauseMs) {
      this.runs.delete(docKey);
      return undefined;
    }
    return run;
  }

  private breakTyping(docKey: string): void {
    this.runs.delete(docKey);
    this.chains.delete(docKey);
  }
}

function ignore(index: number, why: IgnoreReason): IgnoreDecision {
  return { index, kind: 'ignore', why };
}

function insertion(index: number, source: InsertionSource, confidence: Confidence, text: string): InsertionDecision {
  return { index, kind: 'insertion', source, confidence, chars: text.length, lines: nonBlankLines(text) };
}

/** More text for the document's previous insertion (always `certain`: an accept chain or a typed run). */
function extension(index: number, source: InsertionSource, text: string): InsertionDecision {
  let breaks = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks++;
  return { index, kind: 'insertion', source, confidence: 'certain', chars: text.length, lines: breaks, extendsPrevious: true };
}

/** `agent` when the host knows a chat agent-mode session is editing; `chat` by default. */
function chatSource(obs: ChangeObservation): InsertionSource {
  return obs.agentModeActive === true ? 'agent' : 'chat';
}

function chatOrFormat(obs: ChangeObservation, index: number, text: string): ChangeDecision {
  return /\S/.test(text) ? insertion(index, chatSource(obs), 'likely', text) : ignore(index, 'format');
}

/** What the rules count in an inserted text, in one pass over it. */
interface TextFacts {
  /** Non-whitespace code units. */
  nonBlank: number;
  /** Lines with a non-whitespace character, at least 1. */
  nonBlankLines: number;
  hasBlank: boolean;
}

/**
 * The facts of a text. Several rules ask about the same inserted text within one event,
 * so the last text's facts are kept (an insertion of a few KB is then read once, not five
 * times), in one object updated in place: nothing is allocated per keystroke. The result
 * is valid until the next call.
 */
function factsOf(text: string): Readonly<TextFacts> {
  if (text === lastFacts.text) return lastFacts;
  let nonBlank = 0;
  let lines = 0;
  let lineHasText = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isBlankCode(c)) {
      if (c === 10) {
        if (lineHasText) lines++;
        lineHasText = false;
      }
    } else {
      nonBlank++;
      lineHasText = true;
    }
  }
  if (lineHasText) lines++;
  lastFacts.text = text;
  lastFacts.nonBlank = nonBlank;
  lastFacts.nonBlankLines = Math.max(1, lines);
  lastFacts.hasBlank = nonBlank < text.length;
  return lastFacts;
}

const lastFacts: TextFacts & { text: string | undefined } = { text: undefined, nonBlank: 0, nonBlankLines: 1, hasBlank: false };

/** Non-blank lines of a text, at least 1. */
function nonBlankLines(text: string): number {
  return factsOf(text).nonBlankLines;
}

/** Non-whitespace code units of a text. */
function nonBlankCount(text: string): number {
  return factsOf(text).nonBlank;
}

function isAiShaped(text: string): boolean {
  // Short and on one line (every keystroke): neither enough lines nor enough characters.
  if (text.length < aiShapedMinChars && !text.includes('\n')) return false;
  if (!/[\p{L}\p{N}]/u.test(text)) return false;
  const facts = factsOf(text);
  // One token on one line is what word completion (IntelliSense) inserts, however long.
  if (!facts.hasBlank) return false;
  return facts.nonBlankLines >= aiShapedMinLines || text.length >= aiShapedMinChars;
}

// Emmet replaces the abbreviation it expands (`ul>li*3`) with markup; without the
// snippet flag this is how it differs from an AI insert at the cursor.
const emmetLanguages = new Set(['html', 'xml', 'php', 'vue', 'svelte', 'astro', 'javascriptreact', 'typescriptreact', 'handlebars', 'razor', 'erb', 'django-html', 'jinja', 'nunjucks']);

function isEmmetExpansion(languageId: string, change: TextChange): boolean {
  return emmetLanguages.has(languageId) && change.rangeLength > 0 && change.rangeLength < change.text.length && /^\s*</.test(change.text);
}

/** A piece of an identifier (or nothing): what the minimal edits of a rename insert. */
const identifierPiece = /^[\p{L}\p{N}_$]*$/u;

/** Whether one of the event's changes touches a cursor (in the active editor when the cursors are unknown). */
function atCursors(obs: ChangeObservation): boolean {
  const cursors = obs.cursorOffsets;
  return cursors === undefined ? obs.isActiveEditor : obs.changes.some((c) => touchesCursor(c, cursors));
}

function touchesCursor(change: TextChange, cursors: readonly number[]): boolean {
  return cursors.some((o) => o >= change.rangeOffset && o <= change.rangeOffset + change.rangeLength);
}

// import/from/using/#include/@import/use/require, Go's import-block entries, and the
// continuation lines of a multi-line import (`  a,`, `} from 'x';`, `)`).
const importLine = /^\s*(import\b|from\s+\S+\s+import\b|export\s+(\*|\{).*\bfrom\b|using\s|#\s*include\b|@import\b|use\s|(const|let|var)\s+.*=\s*require\(|require\b|[\w$]+\s*,?\s*$|\}\s*from\b|\)\s*;?\s*$|([\w.]+\s+)?"[^"]*"\s*$)/;

function isImportReorder(changes: readonly TextChange[]): boolean {
  let inserted = 0;
  let removed = 0;
  for (const c of changes) {
    inserted += c.text.length;
    removed += c.rangeLength;
  }
  // Reordering moves whole lines, so the inserted text holds a line break.
  if (inserted !== removed || !changes.some((c) => c.text.includes('\n'))) return false;
  const lines = changes.flatMap((c) => c.text.split('\n')).filter((l) => /\S/.test(l));
  return lines.length > 0 && lines.some((l) => /\b(import|using|include|use|require)\b/.test(l)) && lines.every((l) => importLine.test(l));
}

/**
 * Text moved (Alt+↑/↓ on lines, drag and drop of a selection): every change is a pure
 * insertion or a pure deletion, and each insertion is as long as one of the deletions.
 * The removed text is gone from the event, so lengths stand in for it; a chat edit that
 * inserts exactly the lengths it deletes elsewhere, and nothing else, is rare.
 */
function isMove(changes: readonly TextChange[]): boolean {
  if (changes.length < 2) return false;
  const inserted: number[] = [];
  const deleted: number[] = [];
  for (const c of changes) {
    if (c.text.length > 0 && c.rangeLength > 0) return false;
    if (c.text.length > 0) inserted.push(c.text.length);
    else deleted.push(c.rangeLength);
  }
  if (inserted.length !== deleted.length) return false;
  inserted.sort((a, b) => a - b);
  deleted.sort((a, b) => a - b);
  return inserted.every((n, i) => n === deleted[i]);
}

/**
 * Lines copied up or down (Shift+Alt+↑/↓) or a selection duplicated: the inserted text
 * repeats the text right before or right after it, maybe with its line break on the other
 * side (`\nline` inserted after `line`).
 */
function duplicatesNeighbour(text: string, { before, after }: { before: string; after: string }): boolean {
  if (before.endsWith(text) || after.startsWith(text)) return true;
  if (text.length < 2) return false;
  return (text.startsWith('\n') && before.endsWith(text.slice(1))) || (text.endsWith('\n') && after.startsWith(text.slice(0, -1)));
}

/** Longest piece a wrap puts around a selection (`<!-- `, `{/* `). */
const wrapMaxChars = 5;
/** Brackets, quotes and comment markers, maybe with a space: no word character, no line break. */
const wrapPiece = /^[ \t]*[^\s\p{L}\p{N}_$]+[ \t]*$/u;

/**
 * A selection wrapped: a bracket or quote typed over it (auto-surround), or a block
 * comment toggled on (`/* … *\/`, `<!-- … -->`). Every change inserts a few
 * punctuation characters and replaces nothing.
 */
function isWrap(changes: readonly TextChange[]): boolean {
  return changes.every((c) => c.rangeLength === 0 && c.text.length <= wrapMaxChars && wrapPiece.test(c.text));
}

/** Line-wise equality with indentation and line endings ignored (auto-indent and EOL conversion on paste). */
function pasteShape(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

interface ClipboardShape {
  text: string;
  shape: string;
  nonBlank: number;
}

function isPaste(changes: readonly TextChange[], clipboard: ClipboardShape): boolean {
  if (clipboard.shape === '') return false;
  // One change (nearly every event): no lists to build.
  if (changes.length === 1) {
    const { text } = changes[0];
    return nonBlankCount(text) === clipboard.nonBlank && pasteShape(text) === clipboard.shape;
  }
  const texts = changes.filter((c) => c.text.length > 0);
  // `pasteShape` keeps every non-blank character, so a text with another count of them
  // cannot be the clipboard's: most changes are told apart without building their shape.
  const counts = texts.map((c) => nonBlankCount(c.text));
  if (counts.every((n) => n === clipboard.nonBlank) && texts.every((c) => pasteShape(c.text) === clipboard.shape)) return true;
  // Multi-cursor paste spreads one clipboard line per cursor; changes arrive last-first.
  if (texts.length < 2 || counts.reduce((sum, n) => sum + n, 0) !== clipboard.nonBlank) return false;
  const spread = [...texts].sort((a, b) => a.rangeOffset - b.rangeOffset).map((c) => pasteShape(c.text));
  return spread.join('\n') === clipboard.shape;
}

/** The change's replaced range lies inside the run (its end included). */
function within(run: TypedRun, change: TextChange): boolean {
  return change.rangeOffset >= run.start && change.rangeOffset + change.rangeLength <= run.end;
}

/** Removes a change's replaced range (inside the run) from the run. */
function shrink(run: TypedRun, change: TextChange): void {
  run.end -= change.rangeLength;
  if (run.text !== null) run.text.delete(change.rangeOffset - run.start, change.rangeLength);
}

/** Moves the run for an edit that is not typing; false when the edit overlaps it (the run breaks). */
function shiftRun(run: TypedRun, change: TextChange): boolean {
  const end = change.rangeOffset + change.rangeLength;
  if (change.rangeOffset >= run.end) return true;
  if (end <= run.start) {
    const delta = change.text.length - change.rangeLength;
    run.start += delta;
    run.end += delta;
    return true;
  }
  return false;
}

/** Whether a UTF-16 code unit is whitespace for JavaScript's `\s`. */
function isBlankCode(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `text` holds at least `n` non-whitespace code units (what `text.replace(/\s+/g, '').length >= n` says, without the copy). */
function nonBlankAtLeast(text: string, n: number): boolean {
  let found = 0;
  for (let i = 0; i < text.length; i++) if (!isBlankCode(text.charCodeAt(i)) && ++found >= n) return true;
  return false;
}

/**
 * The text of a typed run that has not become an insertion yet, and the rule that makes it
 * one: the run holds a full line (`/\S[^\n]*\n/`: non-blank text, then a line break).
 * Until that happens every line of the run but its last is blank, so the rule only needs
 * the offset of the run's last line break and the characters next to an edit: each
 * keystroke costs O(1) amortized, however long the run (a paragraph typed as one line).
 * The text sits in a gap buffer, so edits next to the previous one (typing, backspacing)
 * move nothing. Only kept in memory, and only until the run becomes an insertion.
 *
 * The buffer is a plain array of code units: a typed array over 64 bytes lives outside the
 * JS heap and costs a native allocation each time a run starts or grows.
 */
class RunText {
  private buf = packedZeros(32);
  private gapStart = 0;
  private gapEnd = 32;
  /** Offset of the run's last line break; -1 when it has none. */
  private lastBreak = -1;

  get length(): number {
    return this.buf.length - (this.gapEnd - this.gapStart);
  }

  /** Removes `count` code units at `at`. A deletion never makes a full line where there was none. */
  delete(at: number, count: number): void {
    if (count === 0) return;
    this.moveGap(at);
    this.gapEnd += count;
    if (this.lastBreak >= at + count) this.lastBreak -= count;
    else if (this.lastBreak >= at) this.lastBreak = this.breakBefore(at);
  }

  /**
   * Inserts `text` at `at`. Returns 0 while the run holds no full line, else its non-blank
   * lines (at least 1), as `nonBlankLines` counts them over the whole run text.
   */
  insert(at: number, text: string): number {
    // Decided on the text before the insertion. The line `at` is on is the run's last
    // line when `at` is past the last line break; any other line of the run is blank.
    const inLast = at > this.lastBreak;
    let segments = 0;
    let fullInText = false;
    let segmentNonBlank = false;
    let firstNonBlank = false;
    let breaks = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (segmentNonBlank) {
          fullInText = true;
          segments++;
        }
        if (breaks === 0) firstNonBlank = segmentNonBlank;
        breaks++;
        segmentNonBlank = false;
      } else if (!segmentNonBlank && !isBlankCode(c)) segmentNonBlank = true;
    }
    const lastNonBlank = segmentNonBlank;
    if (breaks === 0) firstNonBlank = lastNonBlank;
    let lines = 0;
    if (inLast) {
      // The text's first segment joins the start of the last line; its last segment, the rest of it.
      const before = breaks > 0 && this.nonBlankIn(this.lastBreak + 1, at);
      if (fullInText || before) {
        lines = segments - (firstNonBlank ? 1 : 0) + (firstNonBlank || before ? 1 : 0) + (lastNonBlank || this.nonBlankIn(at, this.length) ? 1 : 0);
      }
    } else if (fullInText || lastNonBlank) {
      // On a blank line, followed by a line break: every non-blank segment of the text is
      // a full line of its own; the run's last line may hold text too.
      lines = segments + (lastNonBlank ? 1 : 0) + (this.nonBlankIn(this.lastBreak + 1, this.length) ? 1 : 0);
    }
    this.write(at, text);
    return lines > 0 ? Math.max(1, lines) : 0;
  }

  private write(at: number, text: string): void {
    const n = text.length;
    if (n === 0) return;
    this.reserve(n);
    this.moveGap(at);
    for (let i = 0; i < n; i++) this.buf[this.gapStart + i] = text.charCodeAt(i);
    this.gapStart += n;
    if (this.lastBreak >= at) this.lastBreak += n;
    else {
      const last = text.lastIndexOf('\n');
      if (last >= 0) this.lastBreak = at + last;
    }
  }

  private codeAt(i: number): number {
    return i < this.gapStart ? this.buf[i] : this.buf[i + this.gapEnd - this.gapStart];
  }

  /** A non-blank code unit in [from, to), looking from the edit outwards (stops at the first). */
  private nonBlankIn(from: number, to: number): boolean {
    for (let i = to - 1; i >= from; i--) if (!isBlankCode(this.codeAt(i))) return true;
    return false;
  }

  /** Offset of the last line break before `at`, or -1 (the text before it is blank lines: short). */
  private breakBefore(at: number): number {
    for (let i = at - 1; i >= 0; i--) if (this.codeAt(i) === 10) return i;
    return -1;
  }

  private moveGap(to: number): void {
    const { gapStart, gapEnd } = this;
    if (to < gapStart) {
      const n = gapStart - to;
      this.buf.copyWithin(gapEnd - n, to, gapStart);
      this.gapStart = to;
      this.gapEnd = gapEnd - n;
    } else if (to > gapStart) {
      const n = to - gapStart;
      this.buf.copyWithin(gapStart, gapEnd, gapEnd + n);
      this.gapStart = gapStart + n;
      this.gapEnd = gapEnd + n;
    }
  }

  private reserve(n: number): void {
    if (this.gapEnd - this.gapStart >= n) return;
    const old = this.buf;
    const tail = old.length - this.gapEnd;
    const size = Math.max(old.length * 2, this.length + n + 32);
    // Filled by push, so the array stays a packed array of small integers.
    const next: number[] = [];
    for (let i = 0; i < this.gapStart; i++) next.push(old[i]);
    while (next.length < size - tail) next.push(0);
    for (let i = this.gapEnd; i < old.length; i++) next.push(old[i]);
    this.gapEnd = size - tail;
    this.buf = next;
  }
}

/** `n` zeros in an array V8 keeps packed (filled by push; `new Array(n)` would leave it holey). */
function packedZeros(n: number): number[] {
  const zeros: number[] = [];
  while (zeros.length < n) zeros.push(0);
  return zeros;
}
