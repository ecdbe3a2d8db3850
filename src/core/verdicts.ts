/**
 * Helped / hurt verdicts, exactly as DESIGN.md defines them, each with a short reason that
 * carries its numbers. The developer's own verdict always wins (`effectiveVerdict`).
 *
 * Order of the rules, and why:
 * 1. hurt, at any age: a quick regret, fix-up effort over 100%, or half the insertion
 *    reworked within 72 h. None of these can be undone by waiting (fix-up only counts the
 *    first 30 min and only grows; "first lost half" is a past fact), so an honest tool
 *    calls them as soon as they happen instead of hiding them behind "too early".
 * 2. too early (shown as "not judged"): no 72 h reading yet, or the 72 h state is
 *    'unknown' (the span was not followed then). Never helped on missing data.
 * 3. helped: ≥ 80% still there at 72 h and fix-up ≤ 20%.
 * 4. mixed: everything else.
 */

import { timeToRework } from './kaplanMeier';
import type { InsertionOutcome, Verdict } from './model';

export interface VerdictProposal {
  verdict: Verdict;
  /** One short human sentence with the numbers behind the verdict. */
  reason: string;
}

/** The verdict the panel shows: the developer's override when there is one, else the proposal. */
export interface JudgedVerdict extends VerdictProposal {
  proposed: Verdict;
  overridden: boolean;
}

/** The thresholds of DESIGN.md "Verdicts: helped / hurt" (shares in [0, 1], times in ms). */
export const verdictRules = {
  judgeAfterMs: 72 * 60 * 60_000,
  helpedMinSurvival: 0.8,
  helpedMaxFixup: 0.2,
  /** Hurt when 72 h survival is at most this (≥ 50% reworked). */
  hurtMaxSurvival: 0.5,
  /** Hurt when fix-up effort is strictly above this. */
  hurtAboveFixup: 1,
} as const;

/**
 * Which rule decides an insertion's verdict. Evaluated once, cheaply (no strings), so the
 * analytics can count verdicts over a year of insertions and format reasons only for
 * the few they show.
 */
type Rule = 'quickRegret' | 'heavyFixup' | 'lowSurvival' | 'reworkedEarly' | 'unknownAt72h' | 'young' | 'closedEarly' | 'noReading' | 'helped' | 'mixed';

const verdictOfRule: Record<Rule, Verdict> = {
  quickRegret: 'hurt',
  heavyFixup: 'hurt',
  lowSurvival: 'hurt',
  reworkedEarly: 'hurt',
  unknownAt72h: 'tooEarly',
  young: 'tooEarly',
  closedEarly: 'tooEarly',
  noReading: 'tooEarly',
  helped: 'helped',
  mixed: 'mixed',
};

function ruleOf(outcome: InsertionOutcome, now: number): Rule {
  const s72 = outcome.survival['72h'];
  const fixup = outcome.fixupRatio;
  if (outcome.quickRegret) return 'quickRegret';
  if (fixup > verdictRules.hurtAboveFixup) return 'heavyFixup';
  if (typeof s72 === 'number' && s72 <= verdictRules.hurtMaxSurvival) return 'lowSurvival';
  if (reworkedWithin72h(outcome)) return 'reworkedEarly';
  if (s72 === 'unknown') return 'unknownAt72h';
  if (typeof s72 !== 'number') {
    if (now - outcome.t < verdictRules.judgeAfterMs) return 'young';
    return outcome.closedReason !== undefined ? 'closedEarly' : 'noReading';
  }
  return s72 >= verdictRules.helpedMinSurvival && fixup <= verdictRules.helpedMaxFixup ? 'helped' : 'mixed';
}

/**
 * `timeToRework(outcome)` is an event at or before `judgeAfterMs`; the same test without
 * building the object (this runs for every insertion of a year).
 */
function reworkedWithin72h(outcome: InsertionOutcome): boolean {
  const reworked = outcome.reworkedAfterMs;
  if (reworked === null) return false;
  if (outcome.closedReason === 'fileDeleted' && reworked >= Math.max(0, outcome.observedUntil - outcome.t)) return false;
  return Math.max(0, reworked) <= verdictRules.judgeAfterMs;
}

/** Proposes a verdict for one insertion at `now` (epoch ms), with its reason. */
export function proposeVerdict(outcome: InsertionOutcome, now: number): VerdictProposal {
  const rule = ruleOf(outcome, now);
  return { verdict: verdictOfRule[rule], reason: reasonOf(rule, outcome, now) };
}

/** The verdict to count: the developer's override when set, else the proposal's verdict (no reason built). */
export function verdictOf(outcome: InsertionOutcome, now: number): Verdict {
  return outcome.verdictOverride ?? verdictOfRule[ruleOf(outcome, now)];
}

function reasonOf(rule: Rule, outcome: InsertionOutcome, now: number): string {
  const s72 = outcome.survival['72h'];
  const fixup = fixupPercent(outcome.fixupRatio);
  switch (rule) {
    case 'quickRegret':
      return 'Quick regret: half or more removed within 2 min';
    case 'heavyFixup':
      return `Fix-up ${fixup}% of its size (over 100%)`;
    case 'lowSurvival':
      return `Only ${survivalPercent(s72 as number)}% still there after 72 h (half or more reworked)`;
    case 'reworkedEarly':
      return `Half reworked after ${formatDuration(timeToRework(outcome).timeMs)}`;
    case 'unknownAt72h':
      return 'Not judged: its state at 72 h is unknown';
    case 'young':
      return `Too early: ${formatDuration(now - outcome.t)} old, judged after 72 h`;
    case 'closedEarly': {
      const why = outcome.closedReason === 'fileDeleted' ? 'file deleted' : 'no longer followed';
      return `Not judged: ${why} after ${formatDuration(outcome.observedUntil - outcome.t)}, before 72 h`;
    }
    case 'noReading':
      return 'Not judged yet: no 72 h reading';
    case 'helped':
    case 'mixed':
      return `${survivalPercent(s72 as number)}% still there after 72 h, ${fixup}% fix-up`;
  }
}

/** The verdict to show and count: the developer's `verdictOverride` when set, else the proposal. */
export function effectiveVerdict(outcome: InsertionOutcome, now: number): JudgedVerdict {
  const proposal = proposeVerdict(outcome, now);
  const override = outcome.verdictOverride;
  if (override === undefined || override === proposal.verdict) {
    return { ...proposal, proposed: proposal.verdict, overridden: false };
  }
  return {
    verdict: override,
    reason: `You judged it ${verdictWord[override]} (proposed: ${verdictWord[proposal.verdict]}, ${lowerFirst(proposal.reason)})`,
    proposed: proposal.verdict,
    overridden: true,
  };
}

const verdictWord: Record<Verdict, string> = { helped: 'helped', hurt: 'hurt', mixed: 'mixed', tooEarly: 'too early' };

// Survival is rounded down and fix-up up, so a shown figure never looks better than
// the value the verdict was judged by (79.6% survival shows as 79%, not "80%").
function survivalPercent(share: number): number {
  return Math.floor(share * 100 + 1e-9);
}

function fixupPercent(ratio: number): number {
  return Math.ceil(ratio * 100 - 1e-9);
}

/** "45 s", "12 min", "5 h", "3 d": coarse on purpose, it is read at a glance. */
function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 60) return `${Math.floor(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / (24 * 60))} d`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
