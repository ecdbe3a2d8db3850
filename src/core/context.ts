/**
 * The context model: context switches, editor sessions and focus blocks, computed from the
 * merged stream of every VS Code window's context events.
 *
 * Every window journals its own events; the person has one day, so the figures are a
 * deterministic function of all windows' events merged and ordered by (t, window)
 * (`mergeContextEvents`). `analyzeContext` runs over such a list in one linear pass;
 * `ContextModel` is the same pass fed one event at a time, so both always agree.
 *
 * ## Whose events count
 * Only one window can hold the person's focus. Focus is known from `windowFocus` /
 * `windowBlur` events; until the first of them, the window of the first activity is taken
 * as focused. Activity observed by a window that does not hold focus (an agent writing, a
 * formatter, a background save) is not the person's: it is neither activity nor a context
 * change, though the window remembers its active editor and tool for when focus returns.
 * The host must therefore journal the focus state when it starts and on its first event of
 * each local day, so that one day's stream stands on its own.
 *
 * ## Contexts and switches
 * A context is (window, project, area, tool). `editor` events set the window's project and
 * area (`areaOf(path)`) and its tool to `editor`; `tool` events set its tool; `edit` events
 * set project and area only while the window has none yet (edits elsewhere than the active
 * editor are agents and refactorings, not attention). A project or area not known yet
 * never differs from anything.
 *
 * - Dwell: a context *settles* once an event (any kind and window, `tick` included) arrives
 *   at least 2 s after it started while it is still current and some window holds focus
 *   (during an absence nothing settles; a blur of ≤ 5 s does not interrupt dwell). A switch is counted when the context
 *   that settles differs from the last settled one; it is timestamped at the event that
 *   started the settled context and takes that event's `day`. So A → B (0.5 s) → C (0.5 s)
 *   → D (stays) is one switch A→D, and A → B (0.5 s) → A is none. A context still unsettled
 *   at the end of the stream is not counted yet: append a `tick` at "now" to ask "as of now".
 * - Kind, when several things changed: app > project > tool > area (`from`/`to` are the
 *   projects, tools or areas on either side).
 * - app, between windows: focus moved to another window — B's focus after A's blur within
 *   5 s, or B's focus before A's blur — is one context change (kind `app`), subject to the
 *   dwell rule like any other.
 * - app, away: no window held focus for more than 5 s (≤ 5 s is ignored entirely, as if
 *   focus never left). Counted once, when focus returns (to any window), timestamped at the
 *   blur with the blur's `day` (the switch is the leaving, so it belongs to the day the
 *   developer left). It counts only if focus returns within the idle timeout of the last
 *   activity; a longer absence ends the session and is a break, not a switch. `from` is the
 *   project left, `to` is `(away)`; the context focus returns to becomes the settled one
 *   without a further switch.
 * - Sessions bound switches: the first context of a session settles without a switch, so
 *   whatever the developer returns to after a break (idle or away) is not a switch.
 *
 * ## Editor sessions, focus blocks, days
 * - Activity is an `edit`, `editor`, `tool`, `save`, `commit` or `windowFocus` event of the
 *   focused window. A session is a run of activity with no gap longer than the idle timeout
 *   (a gap of exactly the timeout continues it); it starts at its first activity and ends at
 *   its last. Blurs and ticks are not activity. A switch belongs to the session it falls in.
 * - Focus blocks: a session is cut at each `app` and `project` switch (an absence cuts out
 *   the time away, blur to return); every piece lasting 25 min or more is a focus block.
 * - Per-day figures: a session or block keeps the day it started in, and its time is split
 *   between days where the stored `day` of its activity changes: the gap between two
 *   consecutive activities of different days is cut at the local midnight starting the
 *   later day, clamped into the gap (so a later time-zone change cannot move time to a day
 *   no event was recorded on).
 * - Events out of time order (a clock stepping back) are taken at their predecessor's time.
 */
import { areaOf } from './areas';
import { dayStart } from './days';
import type { ContextSwitch, DayKey, EditorSession, FocusBlock, SwitchKind, ToolKind } from './model';

/** Fields every context event has: when (epoch ms), its local day fixed at capture, and the window that saw it. */
interface ContextEventBase {
  t: number;
  day: DayKey;
  window: string;
}

/** One timestamped observation of one VS Code window. `project` is the workspace folder or repository name; `path` is workspace-relative. */
export type ContextEvent =
  | (ContextEventBase & { kind: 'edit'; project: string; path: string })
  | (ContextEventBase & { kind: 'editor'; project: string; path: string })
  | (ContextEventBase & { kind: 'tool'; tool: ToolKind })
  | (ContextEventBase & { kind: 'windowFocus' })
  | (ContextEventBase & { kind: 'windowBlur' })
  | (ContextEventBase & { kind: 'save' })
  | (ContextEventBase & { kind: 'commit' })
  | (ContextEventBase & { kind: 'tick' });

export interface ContextOptions {
  /** A gap in activity longer than this (ms) ends the editor session; default 5 min. */
  idleTimeoutMs?: number;
}

/** From `t` on (within a session), time counts for `day`. */
export interface DayBreak {
  t: number;
  day: DayKey;
}

export interface ContextAnalysis {
  /** In order of their timestamps. */
  switches: ContextSwitch[];
  /** In time order; the last one may still be growing. */
  sessions: EditorSession[];
  focusBlocks: FocusBlock[];
  /** Where the local day changes inside sessions, ascending; used to split time by day. */
  dayBreaks: DayBreak[];
}

/** One day's figures: what the status bar and the panel both show. */
export interface DaySummary {
  day: DayKey;
  switches: number;
  byKind: Record<SwitchKind, number>;
  /** Session time on this day, ms. */
  activeMs: number;
  /** Sessions that started on this day or have time on it. */
  sessions: number;
  /** Focus-block time on this day, ms. */
  focusMs: number;
  /** Longest part of a focus block on this day, ms. */
  longestFocusMs: number;
}

/** The fixed thresholds of the switch and focus rules, in ms. */
export const contextRules = {
  dwellMs: 2_000,
  awayMs: 5_000,
  focusBlockMs: 25 * 60_000,
  defaultIdleTimeoutMs: 5 * 60_000,
} as const;

/** `to` of an `app` switch that left VS Code. */
export const awayLabel = '(away)';
const unknownLabel = '(unknown)';

interface Context {
  window: string;
  project?: string;
  area?: string;
  tool: ToolKind;
}

/** What a window shows: its active editor's project and area, and the focused tool. */
type Place = Omit<Context, 'window'>;

type Focus =
  | { kind: 'unknown' }
  | { kind: 'window'; window: string }
  | { kind: 'away'; since: number; day: DayKey; window: string };

interface OpenSession {
  start: number;
  day: DayKey;
  end: number;
  /** Day of the last activity, to notice day changes. */
  lastDay: DayKey;
  switches: number;
  /** Start of the current focus piece (since the last app/project switch). */
  pieceStart: number;
  pieceDay: DayKey;
}

/** The context model fed one event at a time; `result()` equals `analyzeContext` over the events pushed so far. */
export class ContextModel {
  private readonly idleTimeoutMs: number;
  private readonly places = new Map<string, Place>();
  private focus: Focus = { kind: 'unknown' };
  /** The person's current context; null until the first activity. */
  private current: Context | null = null;
  /** The last settled context of this session; null until one settles. */
  private settled: Context | null = null;
  /** When and on which day `current` started. */
  private currentStart = 0;
  private currentDay: DayKey = '';
  private session: OpenSession | null = null;
  private lastT = -Infinity;
  private readonly switches: ContextSwitch[] = [];
  private readonly sessions: EditorSession[] = [];
  private readonly focusBlocks: FocusBlock[] = [];
  private readonly dayBreaks: DayBreak[] = [];

  constructor(options: ContextOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? contextRules.defaultIdleTimeoutMs;
  }

  /** Feeds the next event of the merged stream; O(1) apart from `areaOf` of its path. */
  push(event: ContextEvent): void {
    const t = Math.max(event.t, this.lastT);
    this.lastT = t;
    // Every event is evidence of how long the current context has lasted, unless nobody is here.
    if (this.focus.kind !== 'away') this.settle(t);
    switch (event.kind) {
      case 'tick':
        return;
      case 'windowBlur':
        this.blur(event, t);
        return;
      case 'windowFocus':
        this.focusWindow(event, t);
        return;
      default:
        this.activity(event, t);
    }
  }

  /** Everything so far, as fresh arrays (the open session and its focus piece included). */
  result(): ContextAnalysis {
    const sessions = this.sessions.slice();
    const focusBlocks = this.focusBlocks.slice();
    if (this.session) {
      const block = focusBlockOf(this.session.pieceStart, this.session.end, this.session.pieceDay);
      if (block) focusBlocks.push(block);
      sessions.push(sessionOf(this.session));
    }
    return { switches: this.switches.slice(), sessions, focusBlocks, dayBreaks: this.dayBreaks.slice() };
  }

  private activity(event: ContextEvent, t: number): void {
    const place = this.placeOf(event.window);
    if (event.kind === 'editor' || (event.kind === 'edit' && place.project === undefined)) {
      place.project = event.project;
      place.area = areaOf(event.path);
    }
    if (event.kind === 'editor') place.tool = 'editor';
    if (event.kind === 'tool') place.tool = event.tool;

    if (this.focus.kind === 'unknown') this.focus = { kind: 'window', window: event.window };
    else if (this.focus.kind !== 'window' || this.focus.window !== event.window) return; // background
    this.moveTo(event.window, t, event.day);
  }

  private blur(event: ContextEvent, t: number): void {
    const focus = this.focus;
    // A blur after focus already moved to another window (or while away) changes nothing.
    if (focus.kind === 'away' || (focus.kind === 'window' && focus.window !== event.window)) return;
    this.focus = { kind: 'away', since: t, day: event.day, window: event.window };
  }

  private focusWindow(event: ContextEvent, t: number): void {
    const focus = this.focus;
    this.focus = { kind: 'window', window: event.window };
    if (focus.kind !== 'away' || t - focus.since <= contextRules.awayMs) {
      // A short blur is ignored entirely, so dwell runs on through it.
      if (focus.kind === 'away') this.settle(t);
      this.moveTo(event.window, t, event.day);
      return;
    }
    const left = this.settled ?? this.current;
    const fresh = this.touchSession(t, event.day);
    if (!fresh && left) {
      const away: ContextSwitch = { t: focus.since, day: focus.day, kind: 'app', window: focus.window, from: left.project ?? unknownLabel, to: awayLabel };
      this.count(away, t, event.day);
      this.current = this.settled = this.contextOf(event.window);
      this.currentStart = t;
      this.currentDay = event.day;
    } else {
      this.enter(this.contextOf(event.window), t, event.day, fresh);
    }
  }

  /** Activity of the focused window at `t`: extends or starts the session, then follows the window's context. */
  private moveTo(window: string, t: number, day: DayKey): void {
    const fresh = this.touchSession(t, day);
    this.enter(this.contextOf(window), t, day, fresh);
  }

  private enter(next: Context, t: number, day: DayKey, freshSession: boolean): void {
    if (freshSession || this.current === null || differ(this.current, next) !== null) {
      this.currentStart = t;
      this.currentDay = day;
    }
    this.current = next;
    // Learning a project or area not known before is not a change: keep the settled context up to date.
    if (this.settled && differ(this.settled, next) === null) this.settled = next;
  }

  /** Settles the current context if it has dwelt long enough by `t`, counting a switch if it differs. */
  private settle(t: number): void {
    const current = this.current;
    if (!current || !this.session || t - this.currentStart < contextRules.dwellMs) return;
    const settled = this.settled;
    this.settled = current;
    if (!settled) return;
    const kind = differ(settled, current);
    if (kind === null) return;
    const labels = labelsOf(settled, current, kind);
    this.count({ t: this.currentStart, day: this.currentDay, kind, window: current.window, ...labels }, this.currentStart, this.currentDay);
  }

  /** Records a switch in the open session; `app` and `project` switches cut the focus piece, which resumes at `resumeAt`. */
  private count(change: ContextSwitch, resumeAt: number, resumeDay: DayKey): void {
    const session = this.session as OpenSession;
    this.switches.push(change);
    session.switches++;
    if (change.kind === 'app' || change.kind === 'project') {
      const block = focusBlockOf(session.pieceStart, change.t, session.pieceDay);
      if (block) this.focusBlocks.push(block);
      session.pieceStart = resumeAt;
      session.pieceDay = resumeDay;
    }
  }

  /** Extends the open session to activity at `t`, or closes it and opens a new one; true when a new one was opened. */
  private touchSession(t: number, day: DayKey): boolean {
    const session = this.session;
    if (session && t - session.end <= this.idleTimeoutMs) {
      if (day !== session.lastDay) {
        this.dayBreaks.push({ t: Math.min(Math.max(dayStart(day), session.end), t), day });
        session.lastDay = day;
      }
      session.end = t;
      return false;
    }
    if (session) {
      const block = focusBlockOf(session.pieceStart, session.end, session.pieceDay);
      if (block) this.focusBlocks.push(block);
      this.sessions.push(sessionOf(session));
    }
    this.session = { start: t, day, end: t, lastDay: day, switches: 0, pieceStart: t, pieceDay: day };
    this.settled = null;
    return true;
  }

  private placeOf(window: string): Place {
    let place = this.places.get(window);
    if (!place) {
      place = { tool: 'editor' };
      this.places.set(window, place);
    }
    return place;
  }

  private contextOf(window: string): Context {
    return { window, ...this.placeOf(window) };
  }
}

/** Context switches, editor sessions and focus blocks of a merged, (t, window)-ordered event list; one linear pass. */
export function analyzeContext(events: readonly ContextEvent[], options: ContextOptions = {}): ContextAnalysis {
  const model = new ContextModel(options);
  for (const event of events) model.push(event);
  return model.result();
}

/** Merges the windows' journals into one list ordered by (t, window); a journal's own order breaks ties. */
export function mergeContextEvents(journals: readonly (readonly ContextEvent[])[]): ContextEvent[] {
  // Array.prototype.sort is stable, so same-(t, window) events keep their journal order.
  return journals.flat().sort((a, b) => a.t - b.t || (a.window < b.window ? -1 : a.window > b.window ? 1 : 0));
}

/** One day's figures from an analysis; times in ms, split at the day's boundaries as recorded by the events. */
export function daySummary(result: ContextAnalysis, day: DayKey): DaySummary {
  const byKind: Record<SwitchKind, number> = { app: 0, project: 0, area: 0, tool: 0 };
  let switches = 0;
  for (const change of result.switches) {
    if (change.day !== day) continue;
    byKind[change.kind]++;
    switches++;
  }
  let activeMs = 0;
  let sessions = 0;
  for (const session of result.sessions) {
    const ms = msOnDay(session.start, session.end, session.day, result.dayBreaks, day);
    activeMs += ms;
    if (ms > 0 || session.day === day) sessions++;
  }
  let focusMs = 0;
  let longestFocusMs = 0;
  for (const block of result.focusBlocks) {
    const ms = msOnDay(block.start, block.end, block.day, result.dayBreaks, day);
    focusMs += ms;
    longestFocusMs = Math.max(longestFocusMs, ms);
  }
  return { day, switches, byKind, activeMs, sessions, focusMs, longestFocusMs };
}

/** The kind of change from `a` to `b`, by precedence app > project > tool > area; null when none. Unknown project/area match anything. */
function differ(a: Context, b: Context): SwitchKind | null {
  if (a.window !== b.window) return 'app';
  if (a.project !== undefined && b.project !== undefined && a.project !== b.project) return 'project';
  if (a.tool !== b.tool) return 'tool';
  if (a.area !== undefined && b.area !== undefined && a.area !== b.area) return 'area';
  return null;
}

function labelsOf(from: Context, to: Context, kind: SwitchKind): { from: string; to: string } {
  const label = (c: Context): string => (kind === 'tool' ? c.tool : ((kind === 'area' ? c.area : c.project) ?? unknownLabel));
  return { from: label(from), to: label(to) };
}

function sessionOf(session: OpenSession): EditorSession {
  return { start: session.start, end: session.end, day: session.day, switches: session.switches };
}

function focusBlockOf(start: number, end: number, day: DayKey): FocusBlock | null {
  return end - start >= contextRules.focusBlockMs ? { start, end, day } : null;
}

/** Milliseconds of [start, end] that fall on `day`, given the day at `start` and the day breaks. */
function msOnDay(start: number, end: number, startDay: DayKey, breaks: readonly DayBreak[], day: DayKey): number {
  let i = firstBreakAfter(breaks, start);
  let cursor = start;
  let current = startDay;
  let ms = 0;
  for (; i < breaks.length && breaks[i].t < end; i++) {
    if (current === day) ms += breaks[i].t - cursor;
    cursor = breaks[i].t;
    current = breaks[i].day;
  }
  if (current === day) ms += end - cursor;
  return ms;
}

/** Index of the first break strictly after `t` (binary search; breaks are ascending). */
function firstBreakAfter(breaks: readonly DayBreak[], t: number): number {
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (breaks[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
