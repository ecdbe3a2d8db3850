/**
 * Everything Hindsight has recorded, folded into what the panel, the status bar and the
 * retro summary read: one outcome per insertion, per-day context figures, pulse answers,
 * agent turns. Records arrive in any order across windows (each window's journal is in
 * order); the fold is incremental so a new record costs O(1) and the per-day context
 * analysis is recomputed only for days that received context events.
 */
import type { ContextAnalysis, ContextEvent, ContextOptions, DaySummary } from './context';
import { analyzeContext, daySummary, mergeContextEvents } from './context';
import type { DaySummary as DashboardDaySummary } from './analytics';
import { shiftDay } from './days';
import type { AgentTurn, DayKey, InsertionOutcome, PulseAnswer, Verdict } from './model';
import type { CaptureRecord, CommitRecord, DocumentRecord, InsertionRecord } from './records';
import type { SpanRecord } from './survival';
import { newSpanRecord, toOutcomeFields } from './survival';

interface InsertionState {
  ins: InsertionRecord;
  chars: number;
  lines: number;
  span: SpanRecord | undefined;
  verdict: Verdict | null;
  note: string | undefined;
  pasteAi: boolean;
  committed: boolean;
  committedSurvival7d: number | null;
}

export class History {
  private readonly insertions = new Map<string, InsertionState>();
  private readonly contextByDay = new Map<DayKey, ContextEvent[]>();
  private readonly analysisByDay = new Map<DayKey, { analysis: ContextAnalysis; summary: DaySummary }>();
  private readonly pulseByWeek = new Map<DayKey, PulseAnswer>();
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
    this.contextByDay.clear();
    this.analysisByDay.clear();
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
        if (!this.insertions.has(record.id)) {
          this.insertions.set(record.id, {
            ins: record, chars: record.chars, lines: record.lines, span: undefined, verdict: null,
            note: undefined, pasteAi: false, committed: false, committedSurvival7d: null,
          });
        }
        return;
      case 'ext': {
        const state = this.insertions.get(record.id);
        if (state) {
          state.chars += record.chars;
          state.lines += record.lines;
        }
        return;
      }
      case 'surv': {
        const state = this.insertions.get(record.span.id);
        if (state && (!state.span || state.span.lastObservedAt <= record.span.lastObservedAt)) state.span = record.span;
        return;
      }
      case 'doc':
        this.documents.set(`${record.project}/${record.path}`, record);
        return;
      case 'commit':
        this.commits.push(record);
        for (const id of record.spanIds) {
          const state = this.insertions.get(id);
          if (state) state.committed = true;
        }
        return;
      case 'blame': {
        this.blamed.add(record.id);
        const state = this.insertions.get(record.id);
        if (state) state.committedSurvival7d = record.share;
        return;
      }
      case 'verdict':
        this.withInsertion(record.id, (s) => (s.verdict = record.verdict));
        return;
      case 'note':
        this.withInsertion(record.id, (s) => (s.note = record.note || undefined));
        return;
      case 'pasteAi':
        this.withInsertion(record.id, (s) => (s.pasteAi = true));
        return;
      case 'pulse':
        this.pulseByWeek.set(record.week, { week: record.week, answer: record.answer, answeredOn: record.answeredOn });
        return;
      case 'ctx': {
        const day = record.event.day;
        let events = this.contextByDay.get(day);
        if (!events) this.contextByDay.set(day, (events = []));
        events.push(record.event);
        this.analysisByDay.delete(day);
        this.analysisByDay.delete(shiftDay(day, 1));
        return;
      }
      case 'turn':
        this.turns.push(record.turn);
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
      const { analysis, summary } = day === today ? this.dayAsOf(day, now, window) : this.day(day);
      return {
        ...summary,
        focusBlocks: analysis.focusBlocks.filter((b) => b.day === day).length,
        ...(days.length === 1 ? { timeline: analysis.switches.filter((s) => s.day === day).map((s) => ({ t: s.t, kind: s.kind })) } : {}),
      };
    });
  }

  /**
   * A day's events with the previous day's before them: a session crossing midnight, or a
   * context entered before midnight and settled after it, is then counted whole.
   */
  private eventsAround(day: DayKey): ContextEvent[] {
    return mergeContextEvents([this.contextByDay.get(shiftDay(day, -1)) ?? [], this.contextByDay.get(day) ?? []]);
  }

  /** Days that have context events, ascending. */
  contextDays(): DayKey[] {
    return [...this.contextByDay.keys()].sort();
  }

  /** Today's (or any day's) context events, for a live re-analysis "as of now". */
  contextEvents(day: DayKey): readonly ContextEvent[] {
    return this.contextByDay.get(day) ?? [];
  }

  /** One outcome per insertion, as of `now`. */
  outcomes(now: number): InsertionOutcome[] {
    const result: InsertionOutcome[] = [];
    for (const state of this.insertions.values()) result.push(this.outcomeOf(state, now));
    return result;
  }

  /** The outcome of one insertion, or undefined. */
  outcome(id: string, now: number): InsertionOutcome | undefined {
    const state = this.insertions.get(id);
    return state && this.outcomeOf(state, now);
  }

  pulse(): PulseAnswer[] {
    return [...this.pulseByWeek.values()].sort((a, b) => (a.week < b.week ? -1 : 1));
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
      const state = this.insertions.get(id);
      if (state) records.push(state.span ?? newSpanRecord(id, state.ins.t, state.chars));
    }
    return records;
  }

  /** Commits made before `before` with committed spans not yet measured by `git blame`. */
  commitsDueForBlame(before: number): { project: string; sha: string; committedLines: Record<string, string[]> }[] {
    const due: { project: string; sha: string; committedLines: Record<string, string[]> }[] = [];
    for (const commit of this.commits) {
      if (commit.t > before) continue;
      const pending = Object.entries(commit.committedLines).filter(([id]) => !this.blamed.has(id));
      if (pending.length > 0) due.push({ project: commit.project, sha: commit.sha, committedLines: Object.fromEntries(pending) });
    }
    return due;
  }

  /** Notes the developer wrote, newest first. */
  notes(): { id: string; note: string; day: DayKey }[] {
    const notes: { id: string; note: string; day: DayKey }[] = [];
    for (const s of this.insertions.values()) if (s.note) notes.push({ id: s.ins.id, note: s.note, day: s.ins.day });
    return notes.sort((a, b) => (a.day < b.day ? 1 : -1));
  }

  private withInsertion(id: string, apply: (state: InsertionState) => void): void {
    const state = this.insertions.get(id);
    if (state) apply(state);
  }

  private outcomeOf(state: InsertionState, now: number): InsertionOutcome {
    const { ins } = state;
    const span = state.span ?? newSpanRecord(ins.id, ins.t, state.chars);
    const fields = toOutcomeFields(span, now);
    const session = this.sessionAt(ins.day, ins.t);
    return {
      id: ins.id,
      // A paste the developer marked as coming from an AI chat counts as a chat insertion.
      source: state.pasteAi && ins.source === 'paste' ? 'chat' : ins.source,
      confidence: ins.confidence,
      ...(ins.agent ? { agent: ins.agent } : {}),
      chars: state.chars,
      lines: state.lines,
      languageId: ins.languageId,
      fileKind: ins.fileKind,
      path: ins.path,
      project: ins.project,
      t: ins.t,
      day: ins.day,
      hour: ins.hour,
      ...fields,
      committed: state.committed,
      committedSurvival7d: state.committedSurvival7d,
      ...(span.closedReason ? { closedReason: span.closedReason } : {}),
      ...(span.suspendedReason ? { suspendedReason: span.suspendedReason } : {}),
      sessionSwitches: session?.switches ?? 0,
      ...(state.verdict ? { verdictOverride: state.verdict } : {}),
      ...(state.note ? { note: state.note } : {}),
      ...(ins.tokens !== undefined ? { tokens: ins.tokens } : {}),
    };
  }

  private sessionAt(day: DayKey, t: number): { switches: number } | undefined {
    if (!this.contextByDay.has(day)) return undefined;
    const { sessions } = this.day(day).analysis;
    let best: { switches: number } | undefined;
    for (const s of sessions) if (s.start <= t + 60_000 && t <= s.end + 60_000) best = s;
    return best;
  }
}
