/**
 * Everything Hindsight has recorded, folded into what the panel, the status bar and the
 * retro summary read: one outcome per insertion, per-day context figures, pulse answers,
 * agent turns. Records arrive in any order across windows (each window's journal is in
 * order); the fold is incremental so a new record costs O(1) and the per-day context
 * analysis is recomputed only for days that received context events.
 *
 * Because windows are read in any order, a record about an insertion (a verdict set in
 * another window's panel, a commit or blame seen by another window, the survival written
 * by the window that reopened the file) may be folded before the insertion's own `ins`
 * record: it is kept and applies once the insertion arrives. Where records of several
 * windows compete (verdict, note, blame, pulse answer, document layout), the one with the
 * latest `t` wins, whatever the order they are folded in; for survival, the latest
 * `lastObservedAt`.
 */
import type { ContextAnalysis, ContextEvent, ContextOptions, DaySummary } from './context';
import { analyzeContext, daySummary, mergeContextEvents } from './context';
import type { DaySummary as DashboardDaySummary } from './analytics';
import { shiftDay } from './days';
import type { AgentTurn, ContextSwitch, DayKey, InsertionOutcome, PulseAnswer, Verdict } from './model';
import { InsertionTable } from './insertionTable';
import type { CaptureRecord, CommitRecord, DayRecord, DocumentRecord } from './records';
import type { SpanRecord } from './survival';
import { newSpanRecord, toOutcomeFields } from './survival';

/** A value set by the developer or a window at time `t`; the latest one wins. */
interface Stamped<T> {
  t: number;
  value: T;
}

export class History {
  /** Every insertion's own record, extensions, survival and flags, one row each. */
  private readonly insertions = new InsertionTable();
  /** What few insertions have, by row: the developer's verdict and note, `git blame`, an agent-log match. */
  private readonly verdicts = new Map<number, Stamped<Verdict | null>>();
  private readonly notesByRow = new Map<number, Stamped<string>>();
  private readonly committedSurvival = new Map<number, Stamped<number>>();
  private readonly agentMatches = new Map<number, Stamped<{ agent: string; turnKey: string; tokens: number }>>();
  private readonly contextByDay = new Map<DayKey, ContextEvent[]>();
  /** Days whose raw context events were compacted into a summary. */
  private readonly compactedDays = new Map<DayKey, DayRecord>();
  private readonly analysisByDay = new Map<DayKey, { analysis: ContextAnalysis; summary: DaySummary }>();
  private readonly neighbours = new Map<DayKey, readonly [DayKey, DayKey, DayKey]>();
  private readonly pulseByWeek = new Map<DayKey, Stamped<PulseAnswer>>();
  private readonly turns: AgentTurn[] = [];
  private readonly commits: CommitRecord[] = [];
  private readonly blamed = new Set<string>();
  /** Latest layout of each closed document, by `project/path`. */
  private readonly documents = new Map<string, DocumentRecord>();
  private recordCount = 0;

  constructor(private readonly contextOptions: ContextOptions = {}) {}

  /** Number of records folded in so far. */
  get size(): number {
    return this.recordCount;
  }

  /** Forgets everything (after "Delete all my data"). */
  clear(): void {
    this.insertions.clear();
    this.verdicts.clear();
    this.notesByRow.clear();
    this.committedSurvival.clear();
    this.agentMatches.clear();
    this.contextByDay.clear();
    this.compactedDays.clear();
    this.analysisByDay.clear();
    this.neighbours.clear();
    this.pulseByWeek.clear();
    this.turns.length = 0;
    this.documents.clear();
    this.commits.length = 0;
    this.blamed.clear();
    this.recordCount = 0;
  }

  /** Folds one record in. */
  add(record: CaptureRecord): void {
    this.recordCount++;
    switch (record.k) {
      case 'ins':
        this.insertions.land(this.insertions.rowOf(record.id), record);
        return;
      case 'ext':
        this.insertions.extend(this.insertions.rowOf(record.id), record.chars, record.lines);
        return;
      case 'surv':
        this.insertions.setSpan(this.insertions.rowOf(record.span.id), record.span);
        return;
      case 'doc': {
        const key = `${record.project}/${record.path}`;
        const known = this.documents.get(key);
        if (!known || known.t <= record.t) this.documents.set(key, record);
        return;
      }
      case 'commit':
        this.commits.push(record);
        for (const id of record.spanIds) this.insertions.markCommitted(this.insertions.rowOf(id));
        return;
      case 'blame':
        this.blamed.add(record.id);
        stamp(this.committedSurvival, this.insertions.rowOf(record.id), record.t, record.share);
        return;
      case 'verdict':
        stamp(this.verdicts, this.insertions.rowOf(record.id), record.t, record.verdict);
        return;
      case 'note':
        stamp(this.notesByRow, this.insertions.rowOf(record.id), record.t, record.note);
        return;
      case 'pasteAi':
        this.insertions.markPasteAi(this.insertions.rowOf(record.id));
        return;
      case 'pulse':
        stamp(this.pulseByWeek, record.week, record.t, { week: record.week, answer: record.answer, answeredOn: record.answeredOn });
        return;
      case 'ctx': {
        const day = record.event.day;
        let events = this.contextByDay.get(day);
        if (!events) this.contextByDay.set(day, (events = []));
        events.push(record.event);
        // The neighbouring days' analyses read this day's events too (see `eventsAround`).
        if (this.analysisByDay.size > 0) for (const around of this.daysAround(day)) this.analysisByDay.delete(around);
        return;
      }
      case 'turn':
        this.turns.push(record.turn);
        return;
      case 'day': {
        const known = this.compactedDays.get(record.day);
        if (!known || known.t <= record.t) this.compactedDays.set(record.day, record);
        return;
      }
      case 'agentMatch':
        stamp(this.agentMatches, this.insertions.rowOf(record.id), record.t, { agent: record.agent, turnKey: record.turnKey, tokens: record.tokens });
        return;
    }
  }

  /** The context analysis and summary of one local day (cached until its events change). */
  day(day: DayKey): { analysis: ContextAnalysis; summary: DaySummary } {
    let cached = this.analysisByDay.get(day);
    if (!cached) {
      const analysis = analyzeContext(this.eventsAround(day), this.contextOptions);
      cached = { analysis, summary: daySummary(analysis, day) };
      this.analysisByDay.set(day, cached);
    }
    return cached;
  }

  /**
   * A day's summary "as of now": a tick at `now` settles the context the developer is in,
   * so the status bar and the panel count a switch as soon as its 2 s dwell has passed.
   */
  dayAsOf(day: DayKey, now: number, window: string): { analysis: ContextAnalysis; summary: DaySummary } {
    const events = this.eventsAround(day);
    events.push({ kind: 'tick', t: now, day, window });
    const analysis = analyzeContext(events, this.contextOptions);
    return { analysis, summary: daySummary(analysis, day) };
  }

  /**
   * Per-day figures for the panel over `days`, today's as of `now`; a single-day range
   * also carries the timeline of its switches.
   */
  daySummaries(days: readonly DayKey[], today: DayKey, now: number, window: string): DashboardDaySummary[] {
    return days.map((day) => {
      const view = day === today ? viewOf(day, this.dayAsOf(day, now, window)) : this.dayView(day);
      return {
        ...view.summary,
        focusBlocks: view.focusBlocks,
        ...(days.length === 1 ? { timeline: view.switches.map((s) => ({ t: s.t, kind: s.kind })) } : {}),
      };
    });
  }

  /**
   * One day's context figures, its switches and its sessions: from its raw events while it
   * has them, else from its compacted summary, else empty (nothing was recorded that day).
   */
  dayView(day: DayKey): DayView {
    if (this.contextByDay.has(day)) return viewOf(day, this.day(day));
    const compacted = this.compactedDays.get(day);
    if (compacted) {
      return {
        summary: compacted.summary,
        focusBlocks: compacted.focusBlocks,
        switches: compacted.switches.map((s) => ({ ...s, day, window: '', from: '', to: '' })),
        sessions: compacted.sessions,
      };
    }
    return { summary: daySummary({ switches: [], sessions: [], focusBlocks: [], dayBreaks: [] }, day), focusBlocks: 0, switches: [], sessions: [] };
  }

  /**
   * A day's events with the previous and the next day's around them: a session crossing
   * either midnight is then counted whole, and a switch that belongs to this day but is
   * only settled by an event after midnight (a context entered at 23:59:59, an absence
   * that began before midnight) is counted here, on the day it is dated. The summary keeps
   * only this day's share of it all.
   */
  private eventsAround(day: DayKey): ContextEvent[] {
    return mergeContextEvents(this.daysAround(day).map((d) => this.contextByDay.get(d) ?? []));
  }

  /** The day before, the day, the day after (remembered: every context record asks). */
  private daysAround(day: DayKey): readonly [DayKey, DayKey, DayKey] {
    let around = this.neighbours.get(day);
    if (!around) this.neighbours.set(day, (around = [shiftDay(day, -1), day, shiftDay(day, 1)]));
    return around;
  }

  /**
   * One outcome per insertion, as of `now`. `live` gives the freshest bookkeeping of spans
   * a window is following (the store only gets it at checkpoints and flushes).
   */
  outcomes(now: number, live?: (id: string) => SpanRecord | undefined): InsertionOutcome[] {
    const result: InsertionOutcome[] = [];
    for (let row = 0; row < this.insertions.size; row++) {
      if (this.insertions.landed(row)) result.push(this.outcomeOf(row, now, live?.(this.insertions.id(row))));
    }
    return result;
  }

  /** The outcome of one insertion, or undefined. */
  outcome(id: string, now: number, live?: (id: string) => SpanRecord | undefined): InsertionOutcome | undefined {
    const row = this.insertions.find(id);
    return row !== undefined && this.insertions.landed(row) ? this.outcomeOf(row, now, live?.(id)) : undefined;
  }

  /** The latest answer of each week, by week ascending. */
  pulse(): PulseAnswer[] {
    return [...this.pulseByWeek.values()].map((s) => s.value).sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  }

  agentTurns(): readonly AgentTurn[] {
    return this.turns;
  }

  /** The last stored layout of a document that was closed, if it had spans. */
  documentLayout(project: string, path: string): DocumentRecord | undefined {
    return this.documents.get(`${project}/${path}`);
  }

  /** Latest survival bookkeeping of the given insertions (to restore a reopened document's spans). */
  spanRecords(ids: readonly string[]): SpanRecord[] {
    const records: SpanRecord[] = [];
    for (const id of ids) {
      const row = this.insertions.find(id);
      if (row === undefined) continue;
      const span = this.insertions.span(row);
      if (span) records.push(span);
      else if (this.insertions.landed(row)) records.push(this.freshSpan(row));
    }
    return records;
  }

  /** Commits made before `before` with committed spans not yet measured by `git blame`. */
  commitsDueForBlame(before: number): { project: string; sha: string; committedLines: Record<string, string[]> }[] {
    const due: { project: string; sha: string; committedLines: Record<string, string[]> }[] = [];
    for (const commit of this.commits) {
      if (commit.t >= before) continue;
      const pending = Object.entries(commit.committedLines).filter(([id]) => !this.blamed.has(id));
      if (pending.length > 0) due.push({ project: commit.project, sha: commit.sha, committedLines: Object.fromEntries(pending) });
    }
    return due;
  }

  /** Notes the developer wrote, the most recently written first; `day` is the insertion's. */
  notes(): { id: string; note: string; day: DayKey }[] {
    const notes: { id: string; note: string; day: DayKey; t: number }[] = [];
    for (const [row, note] of this.notesByRow) {
      if (note.value && this.insertions.landed(row)) notes.push({ id: this.insertions.id(row), note: note.value, day: this.insertions.insertion(row).day, t: note.t });
    }
    return notes.sort((a, b) => b.t - a.t).map(({ id, note, day }) => ({ id, note, day }));
  }

  /** The bookkeeping of an insertion no survival record was folded for yet: as it landed. */
  private freshSpan(row: number): SpanRecord {
    const ins = this.insertions.insertion(row);
    return newSpanRecord(ins.id, ins.t, ins.chars + this.insertions.extension(row).chars);
  }

  private outcomeOf(row: number, now: number, live: SpanRecord | undefined): InsertionOutcome {
    const ins = this.insertions.insertion(row);
    const extension = this.insertions.extension(row);
    const span = live ?? this.insertions.span(row) ?? this.freshSpan(row);
    const match = this.agentMatches.get(row)?.value;
    const agent = match?.agent ?? ins.agent;
    const tokens = match?.tokens ?? ins.tokens;
    const fields = toOutcomeFields(span, now);
    const session = this.sessionAt(ins.day, ins.t);
    const verdict = this.verdicts.get(row)?.value;
    const note = this.notesByRow.get(row)?.value;
    return {
      id: ins.id,
      // A paste the developer marked as coming from an AI chat counts as a chat insertion.
      source: this.insertions.pasteAi(row) && ins.source === 'paste' ? 'chat' : ins.source,
      // An agent write matched to the agent's own logs is certain (DESIGN: external agent writes).
      confidence: match && ins.source === 'agent' ? 'certain' : ins.confidence,
      ...(agent ? { agent } : {}),
      chars: ins.chars + extension.chars,
      lines: ins.lines + extension.lines,
      languageId: ins.languageId,
      fileKind: ins.fileKind,
      path: ins.path,
      project: ins.project,
      t: ins.t,
      day: ins.day,
      hour: ins.hour,
      ...fields,
      committed: this.insertions.committed(row),
      committedSurvival7d: this.committedSurvival.get(row)?.value ?? null,
      ...(span.closedReason ? { closedReason: span.closedReason } : {}),
      ...(span.suspendedReason ? { suspendedReason: span.suspendedReason } : {}),
      sessionSwitches: session?.switches ?? 0,
      ...(verdict ? { verdictOverride: verdict } : {}),
      ...(note ? { note } : {}),
      ...(tokens !== undefined ? { tokens } : {}),
      ...(match ? { agentTurnKey: match.turnKey } : {}),
    };
  }

  private sessionAt(day: DayKey, t: number): { switches: number } | undefined {
    if (!this.contextByDay.has(day) && !this.compactedDays.has(day)) return undefined;
    const { sessions } = this.dayView(day);
    let best: { switches: number } | undefined;
    for (const s of sessions) if (s.start <= t + 60_000 && t <= s.end + 60_000) best = s;
    return best;
  }
}

/** Sets the value stamped `t` unless the one there is more recent (of equal stamps, the one folded last wins). */
function stamp<K, T>(values: Map<K, Stamped<T>>, key: K, t: number, value: T): void {
  const current = values.get(key);
  if (current === undefined || current.t <= t) values.set(key, { t, value });
}

/** A day's context figures as the panel and the analytics read them, raw or compacted. */
export interface DayView {
  summary: DaySummary;
  focusBlocks: number;
  switches: ContextSwitch[];
  sessions: { start: number; end: number; switches: number }[];
}

function viewOf(day: DayKey, { analysis, summary }: { analysis: ContextAnalysis; summary: DaySummary }): DayView {
  return {
    summary,
    focusBlocks: analysis.focusBlocks.filter((b) => b.day === day).length,
    switches: analysis.switches.filter((s) => s.day === day),
    sessions: analysis.sessions,
  };
}
