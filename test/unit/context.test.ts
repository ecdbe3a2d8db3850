import assert from 'node:assert/strict';
import { ContextModel, analyzeContext, awayLabel, contextRules, daySummary, mergeContextEvents } from '../../src/core/context';
import type { ContextAnalysis, ContextEvent } from '../../src/core/context';
import { dayKeyOf } from '../../src/core/days';
import type { ToolKind } from '../../src/core/model';

const sec = 1_000;
const min = 60_000;

/** Runs `body` with `process.env.TZ` set to `zone`, restoring it after. */
function inZone<T>(zone: string, body: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

// Event builders: the day key is computed like the host does, at capture, in the current zone.
const base = (t: number, window: string): { t: number; day: string; window: string } => ({ t, day: dayKeyOf(t), window });
const editor = (t: number, path: string, window = 'A', project = 'repo'): ContextEvent => ({ ...base(t, window), kind: 'editor', project, path });
const edit = (t: number, path: string, window = 'A', project = 'repo'): ContextEvent => ({ ...base(t, window), kind: 'edit', project, path });
const tool = (t: number, kind: ToolKind, window = 'A'): ContextEvent => ({ ...base(t, window), kind: 'tool', tool: kind });
const focus = (t: number, window = 'A'): ContextEvent => ({ ...base(t, window), kind: 'windowFocus' });
const blur = (t: number, window = 'A'): ContextEvent => ({ ...base(t, window), kind: 'windowBlur' });
const tick = (t: number, window = 'A'): ContextEvent => ({ ...base(t, window), kind: 'tick' });
const save = (t: number, window = 'A'): ContextEvent => ({ ...base(t, window), kind: 'save' });

/** Edits in `path` every minute from `from` to `to` (ms), both included. */
function typing(from: number, to: number, path: string, window = 'A', project = 'repo'): ContextEvent[] {
  const events: ContextEvent[] = [];
  for (let t = from; t <= to; t += min) events.push(edit(t, path, window, project));
  return events;
}

const kinds = (result: ContextAnalysis): string[] => result.switches.map((s) => `${s.kind} ${s.from}→${s.to}`);

describe('context model', () => {
  let savedZone: string | undefined;
  before(() => {
    savedZone = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
  });
  after(() => {
    if (savedZone === undefined) delete process.env.TZ;
    else process.env.TZ = savedZone;
  });

  /** 10:00 local on 2026-06-10, plus `ms`. */
  const at = (ms: number): number => new Date(2026, 5, 10, 10).getTime() + ms;

  describe('dwell', () => {
    it('counts a switch once the new context has lasted 2 s, timestamped where it started', () => {
      const events = [focus(at(0)), editor(at(0), 'src/core/a.ts'), editor(at(10 * sec), 'src/host/b.ts')];
      assert.deepEqual(analyzeContext([...events, tick(at(11_999))]).switches, []);
      const { switches } = analyzeContext([...events, tick(at(12 * sec))]);
      assert.deepEqual(switches, [{ t: at(10 * sec), day: '2026-06-10', kind: 'area', window: 'A', from: 'core', to: 'host' }]);
    });

    it('needs the first context to dwell too, and counts nothing for it', () => {
      const { switches } = analyzeContext([focus(at(0)), editor(at(0), 'src/core/a.ts'), tick(at(5 * sec))]);
      assert.deepEqual(switches, []);
    });

    it('counts rapid flipping A → B → C → D (staying) as one switch A→D', () => {
      const result = analyzeContext([
        editor(at(0), 'src/a/x.ts'),
        tick(at(5 * sec)),
        editor(at(10 * sec), 'src/b/x.ts'),
        editor(at(10_500), 'src/c/x.ts'),
        editor(at(11 * sec), 'src/d/x.ts'),
        tick(at(20 * sec)),
      ]);
      assert.deepEqual(kinds(result), ['area a→d']);
      assert.equal(result.switches[0].t, at(11 * sec));
    });

    it('counts no switch for A → B (0.5 s) → A', () => {
      const result = analyzeContext([
        editor(at(0), 'src/a/x.ts'),
        tick(at(5 * sec)),
        editor(at(10 * sec), 'src/b/x.ts'),
        editor(at(10_500), 'src/a/x.ts'),
        tick(at(20 * sec)),
      ]);
      assert.deepEqual(result.switches, []);
    });

    it('settles a context left alone until the session ended, in that session', () => {
      const result = analyzeContext([editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), editor(at(10 * sec), 'src/b/x.ts'), edit(at(20 * min), 'src/b/x.ts')]);
      assert.deepEqual(kinds(result), ['area a→b']);
      assert.deepEqual(
        result.sessions.map((s) => s.switches),
        [1, 0],
      );
    });

    it('treats an event earlier than its predecessor (clock stepped back) as happening at the predecessor’s time', () => {
      const events = [editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), edit(at(10 * sec), 'src/a/x.ts'), editor(at(5 * sec), 'src/b/x.ts')];
      assert.deepEqual(analyzeContext([...events, tick(at(11_999))]).switches, []);
      assert.equal(analyzeContext([...events, tick(at(12 * sec))]).switches[0].t, at(10 * sec));
    });
  });

  describe('kinds', () => {
    const settledIn = (path: string, window = 'A', project = 'repo'): ContextEvent[] => [editor(at(0), path, window, project), tick(at(5 * sec), window)];

    it('prefers project over tool and area', () => {
      const result = analyzeContext([...settledIn('src/a/x.ts'), editor(at(9 * sec), 'src/b/x.ts', 'A', 'other'), tool(at(10 * sec), 'terminal'), tick(at(20 * sec))]);
      assert.deepEqual(kinds(result), ['project repo→other']);
    });

    it('prefers tool over area', () => {
      const result = analyzeContext([...settledIn('src/a/x.ts'), tool(at(10 * sec), 'terminal'), tick(at(20 * sec)), editor(at(30 * sec), 'src/b/x.ts'), tick(at(40 * sec))]);
      assert.deepEqual(kinds(result), ['tool editor→terminal', 'tool terminal→editor']);
    });

    it('counts editor ↔ terminal ↔ chat ↔ debugger as tool switches', () => {
      const result = analyzeContext([
        ...settledIn('src/a/x.ts'),
        tool(at(10 * sec), 'chat'),
        tick(at(15 * sec)),
        tool(at(20 * sec), 'debugger'),
        tick(at(25 * sec)),
        tool(at(30 * sec), 'editor'),
        tick(at(35 * sec)),
      ]);
      assert.deepEqual(kinds(result), ['tool editor→chat', 'tool chat→debugger', 'tool debugger→editor']);
    });

    it('counts a file and its test as one area', () => {
      const result = analyzeContext([...settledIn('src/core/a.ts'), editor(at(10 * sec), 'test/unit/core/a.test.ts'), tick(at(20 * sec))]);
      assert.deepEqual(result.switches, []);
    });

    it('does not move the context for edits outside the active editor (agents, refactorings)', () => {
      const result = analyzeContext([...settledIn('src/a/x.ts'), edit(at(10 * sec), 'src/b/x.ts'), edit(at(20 * sec), 'docs/x.md', 'A', 'other'), tick(at(30 * sec))]);
      assert.deepEqual(result.switches, []);
    });

    it('takes project and area from an edit while the window has no active editor yet, without a switch', () => {
      const result = analyzeContext([focus(at(0)), tick(at(5 * sec)), edit(at(10 * sec), 'src/b/x.ts'), tick(at(20 * sec)), editor(at(30 * sec), 'src/c/x.ts'), tick(at(40 * sec))]);
      assert.deepEqual(kinds(result), ['area b→c']);
    });
  });

  describe('leaving VS Code', () => {
    const blurredFor = (ms: number): ContextAnalysis =>
      analyzeContext([focus(at(0)), editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), blur(at(10 * sec)), focus(at(10 * sec + ms)), tick(at(60 * sec))]);

    it('ignores a blur of 4 s, and of exactly 5 s', () => {
      assert.deepEqual(blurredFor(4 * sec).switches, []);
      assert.deepEqual(blurredFor(5 * sec).switches, []);
    });

    it('counts a blur of 6 s as one app switch, on return, timestamped at the blur', () => {
      assert.deepEqual(blurredFor(6 * sec).switches, [{ t: at(10 * sec), day: '2026-06-10', kind: 'app', window: 'A', from: 'repo', to: awayLabel }]);
      assert.deepEqual(blurredFor(5_001).switches.length, 1);
    });

    it('does not count an absence until focus returns', () => {
      const result = analyzeContext([editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), blur(at(10 * sec)), tick(at(60 * sec))]);
      assert.deepEqual(result.switches, []);
    });

    it('counts one app switch however much changed while away', () => {
      const result = analyzeContext([
        focus(at(0)),
        editor(at(0), 'src/a/x.ts'),
        tick(at(5 * sec)),
        blur(at(10 * sec)),
        editor(at(12 * sec), 'src/b/x.ts', 'A', 'other'),
        focus(at(30 * sec)),
        tick(at(60 * sec)),
      ]);
      assert.deepEqual(kinds(result), [`app repo→${awayLabel}`]);
    });

    it('does not let a short blur interrupt the dwell of the context it left', () => {
      const result = analyzeContext([editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), editor(at(10 * sec), 'src/b/x.ts'), blur(at(10_500)), focus(at(13 * sec))]);
      assert.deepEqual(kinds(result), ['area a→b']);
    });

    it('settles the context left at the blur if it had dwelt, then counts the absence', () => {
      const result = analyzeContext([editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), editor(at(10 * sec), 'src/b/x.ts'), blur(at(13 * sec)), focus(at(30 * sec))]);
      assert.deepEqual(kinds(result), ['area a→b', `app repo→${awayLabel}`]);
    });
  });

  describe('several windows', () => {
    const start = (): ContextEvent[] => [focus(at(0), 'A'), editor(at(0), 'src/a/x.ts', 'A', 'alpha'), editor(at(0), 'src/a/y.ts', 'B', 'beta'), tick(at(5 * sec))];

    it('counts focus moving from window A to window B once, whichever event comes first', () => {
      const blurFirst = analyzeContext([...start(), blur(at(10 * sec), 'A'), focus(at(10_100), 'B'), tick(at(20 * sec), 'B')]);
      const focusFirst = analyzeContext([...start(), focus(at(10 * sec), 'B'), blur(at(10_050), 'A'), tick(at(20 * sec), 'B')]);
      const expected = [{ t: at(10 * sec), day: '2026-06-10', kind: 'app', window: 'B', from: 'alpha', to: 'beta' }];
      assert.deepEqual(focusFirst.switches, expected);
      assert.deepEqual(blurFirst.switches, [{ ...expected[0], t: at(10_100) }]);
    });

    it('applies the dwell rule to windows: A → B (0.5 s) → A is no switch', () => {
      const result = analyzeContext([...start(), focus(at(10 * sec), 'B'), blur(at(10 * sec), 'A'), focus(at(10_500), 'A'), blur(at(10_500), 'B'), tick(at(20 * sec))]);
      assert.deepEqual(result.switches, []);
    });

    it('counts A blurred for 6 s, then B focused, as one app switch', () => {
      const result = analyzeContext([...start(), blur(at(10 * sec), 'A'), focus(at(16 * sec), 'B'), tick(at(30 * sec), 'B')]);
      assert.deepEqual(kinds(result), [`app alpha→${awayLabel}`]);
      assert.equal(result.switches[0].window, 'A');
    });

    it('ignores activity of windows without focus: it neither extends sessions nor switches context', () => {
      const background = [editor(at(1 * min), 'src/b/x.ts', 'B', 'beta'), edit(at(2 * min), 'src/c/x.ts', 'B', 'beta'), save(at(9 * min), 'B'), tool(at(9 * min), 'chat', 'B')];
      const result = analyzeContext(mergeContextEvents([[focus(at(0), 'A'), ...typing(at(0), at(3 * min), 'src/a/x.ts', 'A', 'alpha')], background]));
      assert.deepEqual(result.switches, []);
      assert.deepEqual(
        result.sessions.map((s) => [s.start, s.end]),
        [[at(0), at(3 * min)]],
      );
    });

    it('returns to a window showing what changed there in the background', () => {
      const result = analyzeContext(
        mergeContextEvents([
          [focus(at(0), 'A'), editor(at(0), 'src/a/x.ts', 'A', 'alpha'), blur(at(10 * sec), 'A'), editor(at(20 * sec), 'src/b/x.ts', 'A', 'alpha'), focus(at(40 * sec), 'A'), tick(at(50 * sec), 'A')],
          [focus(at(10_100), 'B'), editor(at(11 * sec), 'src/z/x.ts', 'B', 'beta'), blur(at(40 * sec), 'B')],
        ]),
      );
      assert.deepEqual(kinds(result), ['app alpha→beta', 'app beta→alpha']);
      assert.equal(result.switches[1].t, at(40 * sec));
    });

    it('takes the window of the first activity as focused until focus events say otherwise', () => {
      const result = analyzeContext([edit(at(0), 'src/a/x.ts', 'A'), editor(at(1 * sec), 'src/b/x.ts', 'B'), edit(at(2 * min), 'src/a/x.ts', 'A'), tick(at(3 * min))]);
      assert.deepEqual(result.switches, []);
      assert.equal(result.sessions[0].end, at(2 * min));
    });
  });

  describe('sessions', () => {
    it('continues a session over a gap of exactly the idle timeout and ends it one ms later', () => {
      const same = analyzeContext([edit(at(0), 'src/a/x.ts'), edit(at(5 * min), 'src/a/x.ts')]);
      assert.deepEqual(same.sessions, [{ start: at(0), end: at(5 * min), day: '2026-06-10', switches: 0 }]);
      const split = analyzeContext([edit(at(0), 'src/a/x.ts'), edit(at(5 * min + 1), 'src/a/x.ts')]);
      assert.deepEqual(
        split.sessions.map((s) => [s.start, s.end]),
        [
          [at(0), at(0)],
          [at(5 * min + 1), at(5 * min + 1)],
        ],
      );
    });

    it('uses the idle timeout option', () => {
      const events = [edit(at(0), 'src/a/x.ts'), edit(at(2 * min), 'src/a/x.ts')];
      assert.equal(analyzeContext(events, { idleTimeoutMs: 1 * min }).sessions.length, 2);
      assert.equal(analyzeContext(events).sessions.length, 1);
    });

    it('does not count blurs or ticks as activity', () => {
      const result = analyzeContext([focus(at(0)), edit(at(1 * min), 'src/a/x.ts'), tick(at(4 * min)), blur(at(5 * min)), tick(at(9 * min)), focus(at(10 * min))]);
      assert.deepEqual(
        result.sessions.map((s) => [s.start, s.end]),
        [
          [at(0), at(1 * min)],
          [at(10 * min), at(10 * min)],
        ],
      );
    });

    it('treats a session break as a break, not a switch: no app switch, no switch into the next context', () => {
      const result = analyzeContext([
        focus(at(0)),
        editor(at(0), 'src/a/x.ts'),
        tick(at(5 * sec)),
        blur(at(1 * min)),
        focus(at(7 * min)),
        editor(at(7 * min), 'src/b/x.ts', 'A', 'other'),
        tick(at(8 * min)),
      ]);
      assert.deepEqual(result.switches, []);
      assert.equal(result.sessions.length, 2);
    });

    it('counts an absence that returns within the idle timeout of the last activity', () => {
      const result = analyzeContext([focus(at(0)), editor(at(0), 'src/a/x.ts'), tick(at(5 * sec)), blur(at(1 * min)), focus(at(5 * min))]);
      assert.deepEqual(kinds(result), [`app repo→${awayLabel}`]);
      assert.deepEqual(result.sessions, [{ start: at(0), end: at(5 * min), day: '2026-06-10', switches: 1 }]);
    });

    it('gives each session the switches that fall in it', () => {
      const result = analyzeContext([
        editor(at(0), 'src/a/x.ts'),
        editor(at(1 * min), 'src/b/x.ts'),
        editor(at(2 * min), 'src/c/x.ts'),
        tick(at(3 * min)),
        editor(at(10 * min), 'src/a/x.ts'),
        editor(at(11 * min), 'src/b/x.ts'),
        tick(at(12 * min)),
      ]);
      assert.deepEqual(
        result.sessions.map((s) => s.switches),
        [2, 1],
      );
    });
  });

  describe('focus blocks', () => {
    it('makes a block of 25 min or more without app or project switches', () => {
      assert.deepEqual(analyzeContext(typing(at(0), at(25 * min), 'src/a/x.ts')).focusBlocks, [{ start: at(0), end: at(25 * min), day: '2026-06-10' }]);
      assert.deepEqual(analyzeContext(typing(at(0), at(24 * min), 'src/a/x.ts')).focusBlocks, []);
    });

    it('is not cut by area or tool switches', () => {
      const events = [...typing(at(0), at(10 * min), 'src/a/x.ts'), ...typing(at(11 * min), at(20 * min), 'src/b/x.ts'), tool(at(21 * min), 'terminal'), save(at(26 * min))];
      const interleaved = mergeContextEvents([events, [editor(at(11 * min), 'src/b/x.ts')]]);
      const result = analyzeContext(interleaved);
      assert.deepEqual(kinds(result), ['area a→b', 'tool editor→terminal']);
      assert.deepEqual(result.focusBlocks, [{ start: at(0), end: at(26 * min), day: '2026-06-10' }]);
    });

    it('is cut at a project switch', () => {
      const result = analyzeContext([...typing(at(0), at(20 * min), 'src/a/x.ts'), editor(at(20 * min + 30 * sec), 'src/a/x.ts', 'A', 'other'), ...typing(at(21 * min), at(50 * min), 'src/a/x.ts', 'A', 'other')]);
      assert.deepEqual(kinds(result), ['project repo→other']);
      assert.deepEqual(result.focusBlocks, [{ start: at(20 * min + 30 * sec), end: at(50 * min), day: '2026-06-10' }]);
    });

    it('is cut by an absence, which is not focus time', () => {
      const result = analyzeContext([focus(at(0)), ...typing(at(0), at(26 * min), 'src/a/x.ts'), blur(at(26 * min + 10 * sec)), focus(at(28 * min)), ...typing(at(29 * min), at(53 * min), 'src/a/x.ts')]);
      assert.deepEqual(kinds(result), [`app repo→${awayLabel}`]);
      assert.deepEqual(result.focusBlocks, [{ start: at(0), end: at(26 * min + 10 * sec), day: '2026-06-10' }, { start: at(28 * min), end: at(53 * min), day: '2026-06-10' }]);
    });
  });

  describe('days', () => {
    const lateAt = (ms: number): number => new Date(2026, 5, 10, 23, 50).getTime() + ms;

    it('gives a switch the day its settled context started, even if it settles after midnight', () => {
      const result = analyzeContext([...typing(lateAt(0), lateAt(9 * min), 'src/a/x.ts'), editor(lateAt(10 * min - 500), 'src/b/x.ts'), tick(lateAt(10 * min + 2 * sec))]);
      assert.equal(result.switches[0].day, '2026-06-10');
      assert.equal(daySummary(result, '2026-06-10').switches, 1);
      assert.equal(daySummary(result, '2026-06-11').switches, 0);
    });

    it('gives an absence across midnight the day of the blur', () => {
      const result = analyzeContext([focus(lateAt(0)), ...typing(lateAt(0), lateAt(9 * min), 'src/a/x.ts'), blur(lateAt(10 * min - 2 * sec)), focus(lateAt(10 * min + 10 * sec))]);
      assert.deepEqual(
        result.switches.map((s) => [s.kind, s.day]),
        [['app', '2026-06-10']],
      );
    });

    it('keeps a session across midnight in one piece, with its start day, and splits its time at midnight', () => {
      const result = analyzeContext(typing(lateAt(0), lateAt(20 * min), 'src/a/x.ts'));
      assert.deepEqual(result.sessions, [{ start: lateAt(0), end: lateAt(20 * min), day: '2026-06-10', switches: 0 }]);
      const [first, second] = [daySummary(result, '2026-06-10'), daySummary(result, '2026-06-11')];
      assert.equal(first.activeMs, 10 * min);
      assert.equal(second.activeMs, 10 * min);
      assert.equal(first.sessions, 1);
      assert.equal(second.sessions, 1);
    });

    it('cuts the gap between the last activity of one day and the first of the next at midnight', () => {
      const result = analyzeContext(typing(lateAt(30 * sec), lateAt(20 * min + 30 * sec), 'src/a/x.ts'));
      assert.equal(daySummary(result, '2026-06-10').activeMs, 9 * min + 30 * sec);
      assert.equal(daySummary(result, '2026-06-11').activeMs, 10 * min + 30 * sec);
    });

    it('splits a focus block at midnight for per-day figures', () => {
      const result = analyzeContext(typing(lateAt(-20 * min), lateAt(20 * min), 'src/a/x.ts'));
      assert.equal(result.focusBlocks.length, 1);
      assert.deepEqual(
        [daySummary(result, '2026-06-10').focusMs, daySummary(result, '2026-06-10').longestFocusMs],
        [30 * min, 30 * min],
      );
      assert.deepEqual(
        [daySummary(result, '2026-06-11').focusMs, daySummary(result, '2026-06-11').longestFocusMs],
        [10 * min, 10 * min],
      );
    });

    it('measures real time across DST changes (America/New_York)', () => {
      inZone('America/New_York', () => {
        // 01:50 EST → 03:10 EDT on 2026-03-08 is 20 minutes.
        const spring = Date.UTC(2026, 2, 8, 6, 50);
        const springResult = analyzeContext(typing(spring, spring + 20 * min, 'src/a/x.ts'));
        assert.equal(daySummary(springResult, '2026-03-08').activeMs, 20 * min);
        // 01:50 EDT → 01:10 EST on 2026-11-01 is 20 minutes, the second 01:00 included.
        const fall = Date.UTC(2026, 10, 1, 5, 50);
        const fallResult = analyzeContext(typing(fall, fall + 20 * min, 'src/a/x.ts'));
        assert.equal(daySummary(fallResult, '2026-11-01').activeMs, 20 * min);
        assert.equal(daySummary(fallResult, '2026-11-01').sessions, 1);
      });
    });

    it('splits at a midnight that a DST change skips (America/Santiago)', () => {
      inZone('America/Santiago', () => {
        // 23:50 on 2026-09-05, then clocks jump from 24:00 to 01:00: the day changes 10 min in.
        const start = new Date(2026, 8, 5, 23, 50).getTime();
        const result = analyzeContext(typing(start, start + 20 * min, 'src/a/x.ts'));
        assert.equal(daySummary(result, '2026-09-05').activeMs, 10 * min);
        assert.equal(daySummary(result, '2026-09-06').activeMs, 10 * min);
      });
    });

    it('keeps recorded days when the zone changes mid-session, and loses no time', () => {
      // 23:55 in Berlin on 2026-06-10; the developer's zone changes to New York at 00:05 Berlin time.
      const start = new Date(2026, 5, 10, 23, 55).getTime();
      const berlin = [...typing(start, start + 9 * min, 'src/a/x.ts'), editor(start + 9 * min + 30 * sec, 'src/b/x.ts'), tick(start + 9 * min + 40 * sec)];
      const newYork = inZone('America/New_York', () => typing(start + 10 * min, start + 15 * min, 'src/b/x.ts'));
      assert.deepEqual([berlin[0].day, berlin[9].day, newYork[0].day], ['2026-06-10', '2026-06-11', '2026-06-10']);
      const result = analyzeContext([...berlin, ...newYork]);
      assert.deepEqual(
        result.switches.map((s) => s.day),
        ['2026-06-11'],
      );
      const days = ['2026-06-10', '2026-06-11'].map((day) => daySummary(result, day));
      assert.equal(days[0].activeMs + days[1].activeMs, 15 * min);
      // 23:55–00:00 and, once the keys go back to 06-10, 00:04:30–00:10 (the gap goes to the later event's day).
      assert.equal(days[0].activeMs, 10 * min + 30 * sec);
      assert.equal(days[1].switches, 1);
    });

    it('never moves time to a day before its first event was recorded on it (zone moving east)', () => {
      // Berlin 23:58 on 2026-06-10; from 23:59 on, events are captured in Tokyo, where it is already 06-11.
      const start = new Date(2026, 5, 10, 23, 58).getTime();
      const tokyo = inZone('Asia/Tokyo', () => typing(start + 1 * min, start + 7 * min, 'src/a/x.ts'));
      const result = analyzeContext([edit(start, 'src/a/x.ts'), ...tokyo]);
      assert.equal(daySummary(result, '2026-06-10').activeMs, 1 * min);
      assert.equal(daySummary(result, '2026-06-11').activeMs, 6 * min);
    });
  });

  describe('daySummary', () => {
    it('sums switches by kind, active time, sessions and focus for one day', () => {
      const events = mergeContextEvents([
        [
          focus(at(0)),
          ...typing(at(0), at(30 * min), 'src/a/x.ts'),
          editor(at(30 * min + 10 * sec), 'src/b/x.ts'),
          tool(at(31 * min), 'terminal'),
          save(at(32 * min)),
          blur(at(33 * min)),
          focus(at(34 * min)),
          editor(at(34 * min), 'src/a/x.ts', 'A', 'other'),
          ...typing(at(35 * min), at(40 * min), 'src/a/x.ts', 'A', 'other'),
          ...typing(at(60 * min), at(70 * min), 'src/a/x.ts', 'A', 'other'),
        ],
      ]);
      const result = analyzeContext(events);
      assert.deepEqual(kinds(result), ['area a→b', 'tool editor→terminal', `app repo→${awayLabel}`, 'project repo→other']);
      assert.deepEqual(daySummary(result, '2026-06-10'), {
        day: '2026-06-10',
        switches: 4,
        byKind: { app: 1, project: 1, area: 1, tool: 1 },
        activeMs: 40 * min + 10 * min,
        sessions: 2,
        focusMs: 33 * min,
        longestFocusMs: 33 * min,
      });
      assert.deepEqual(
        result.switches.map((s) => s.t),
        [at(30 * min + 10 * sec), at(31 * min), at(33 * min), at(34 * min)],
      );
      assert.deepEqual(daySummary(result, '2026-06-11'), { day: '2026-06-11', switches: 0, byKind: { app: 0, project: 0, area: 0, tool: 0 }, activeMs: 0, sessions: 0, focusMs: 0, longestFocusMs: 0 });
    });
  });

  describe('mergeContextEvents', () => {
    it('orders by time, then window, keeping each journal’s own order for ties', () => {
      const a1 = focus(at(0), 'A');
      const a2 = editor(at(0), 'src/a/x.ts', 'A');
      const b1 = blur(at(0), 'B');
      const b2 = tick(at(5), 'B');
      const a3 = tick(at(7), 'A');
      assert.deepEqual(mergeContextEvents([[b1, b2], [a1, a2, a3]]), [a1, a2, b1, b2, a3]);
    });
  });

  describe('incremental model', () => {
    /** Mulberry32: a small seeded PRNG, so failures reproduce. */
    function prng(seed: number): () => number {
      let state = seed >>> 0;
      return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let x = Math.imul(state ^ (state >>> 15), 1 | state);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
      };
    }

    // Gaps straddling every threshold: dwell, away, idle timeout, focus block.
    const gaps = [0, 300, 1_999, 2_000, 2_500, 5_000, 5_001, 7_000, 30_000, 4 * min, 5 * min, 5 * min + 1, 10 * min];
    const paths = ['src/a/x.ts', 'src/b/y.ts', 'test/a/x.test.ts', 'README.md', 'docs/z.md'];
    const tools: ToolKind[] = ['editor', 'terminal', 'chat', 'debugger'];
    const windows = ['A', 'B', 'C'];

    /** Each window's journal, in its own time order, around midnight so that day changes happen. */
    function randomJournals(random: () => number): ContextEvent[][] {
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const journals: ContextEvent[][] = windows.map(() => []);
      let t = new Date(2026, 5, 10, 23, 30).getTime() + Math.floor(random() * 40 * min);
      const count = 20 + Math.floor(random() * 60);
      for (let i = 0; i < count; i++) {
        t += pick(gaps) + Math.floor(random() * 3) * 250;
        const w = Math.floor(random() * windows.length);
        const window = windows[w];
        const r = random();
        const project = random() < 0.8 ? `p${w}` : 'shared';
        const event =
          r < 0.25 ? editor(t, pick(paths), window, project)
          : r < 0.45 ? edit(t, pick(paths), window, project)
          : r < 0.55 ? tool(t, pick(tools), window)
          : r < 0.68 ? focus(t, window)
          : r < 0.8 ? blur(t, window)
          : r < 0.9 ? tick(t, window)
          : save(t, window);
        journals[w].push(event);
      }
      return journals;
    }

    it('gives after every event exactly what analyzeContext gives for that prefix (1,000 random merged streams)', () => {
      for (let seed = 1; seed <= 1_000; seed++) {
        const random = prng(seed);
        const events = mergeContextEvents(randomJournals(random));
        const model = new ContextModel();
        // Results are kept and compared only at the end, so later pushes must not change them.
        const snapshots: [number, ContextAnalysis][] = [];
        events.forEach((event, i) => {
          model.push(event);
          if (random() < 0.2 || i === events.length - 1) snapshots.push([i + 1, model.result()]);
        });
        for (const [length, snapshot] of snapshots) assert.deepEqual(snapshot, analyzeContext(events.slice(0, length)), `seed ${seed}, prefix ${length}`);
      }
    });

    it('keeps its invariants on random streams: switches inside sessions, blocks inside sessions, no time lost to day splits', () => {
      for (let seed = 1; seed <= 1_000; seed++) {
        const result = analyzeContext(mergeContextEvents(randomJournals(prng(seed))), { idleTimeoutMs: 4 * min });
        const { sessions, switches, focusBlocks } = result;
        assert.equal(
          sessions.reduce((sum, s) => sum + s.switches, 0),
          switches.length,
          `seed ${seed}`,
        );
        for (let i = 1; i < sessions.length; i++) assert.ok(sessions[i].start - sessions[i - 1].end > 4 * min, `seed ${seed}`);
        for (const change of switches) {
          const session = sessions.find((s) => s.start <= change.t && change.t <= s.end);
          assert.ok(session, `seed ${seed}: switch outside sessions`);
        }
        for (let i = 1; i < switches.length; i++) assert.ok(switches[i].t >= switches[i - 1].t, `seed ${seed}`);
        for (const block of focusBlocks) {
          assert.ok(block.end - block.start >= contextRules.focusBlockMs);
          assert.ok(sessions.some((s) => s.start <= block.start && block.end <= s.end), `seed ${seed}: block outside sessions`);
        }
        const days = ['2026-06-10', '2026-06-11', '2026-06-12'].map((day) => daySummary(result, day));
        const total = sessions.reduce((sum, s) => sum + s.end - s.start, 0);
        assert.equal(
          days.reduce((sum, d) => sum + d.activeMs, 0),
          total,
          `seed ${seed}`,
        );
        assert.equal(
          days.reduce((sum, d) => sum + d.switches, 0),
          switches.length,
        );
      }
    });
  });
});
