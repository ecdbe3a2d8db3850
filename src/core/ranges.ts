/**
 * The panel's range picker: presets resolved to inclusive local calendar days.
 * All arithmetic is on local calendar days (date-fns), never on 24 h multiples, so a
 * range is right across daylight-saving changes.
 */

import { format, startOfWeek, subDays } from 'date-fns';
import { isDayKey } from './days';
import type { DayKey } from './model';

export type RangePreset = 'today' | 'week' | 'sprint' | 'month' | 'custom';
export const rangePresets: readonly RangePreset[] = ['today', 'week', 'sprint', 'month', 'custom'];

/** Inclusive range of local days, `from` ≤ `to`. */
export interface DayRange {
  from: DayKey;
  to: DayKey;
}

export interface LabeledRange extends DayRange {
  preset: RangePreset;
  label: string;
}

/** Days of the `sprint` and `month` presets, today included. */
export const sprintDays = 14;
export const monthDays = 30;

const dayKeyFormat = 'yyyy-MM-dd';

/**
 * Resolves a preset at `now` (epoch ms) to local days. `week` is this calendar week from
 * Monday to today. `custom` needs valid `yyyy-MM-dd` days with from ≤ to and throws a
 * RangeError otherwise (nothing is clamped or swapped silently; future days are allowed).
 */
export function rangeOf(preset: RangePreset, now: number, custom?: DayRange): LabeledRange {
  const today = new Date(now);
  const to = format(today, dayKeyFormat);
  switch (preset) {
    case 'today':
      return { preset, from: to, to, label: 'Today' };
    case 'week':
      return { preset, from: format(startOfWeek(today, { weekStartsOn: 1 }), dayKeyFormat), to, label: 'This week' };
    case 'sprint':
      return { preset, from: format(subDays(today, sprintDays - 1), dayKeyFormat), to, label: `Last ${sprintDays} days` };
    case 'month':
      return { preset, from: format(subDays(today, monthDays - 1), dayKeyFormat), to, label: `Last ${monthDays} days` };
    case 'custom': {
      if (custom === undefined) throw new RangeError('A custom range needs its from and to days');
      const { from, to: end } = custom;
      if (!isDayKey(from)) throw new RangeError(`Not a day (yyyy-MM-dd): ${JSON.stringify(from)}`);
      if (!isDayKey(end)) throw new RangeError(`Not a day (yyyy-MM-dd): ${JSON.stringify(end)}`);
      // DayKeys compare correctly as strings (fixed-width, most significant first).
      if (from > end) throw new RangeError(`The range starts after it ends: ${from} > ${end}`);
      return { preset, from, to: end, label: from === end ? from : `${from} – ${end}` };
    }
  }
}


