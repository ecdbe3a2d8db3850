/**
 * Local calendar days. Two kinds of operation live here and they are deliberately
 * different:
 *
 * - Instant → local day (`dayKeyOf`, `hourOf`, `dayStart`, `dayEnd`) reads the local date in
 *   the process's *current* time zone (date-fns where it parses; the Date getters where it
 *   runs on every captured event), so it follows DST (23 h and 25 h days) and a change of
 *   `process.env.TZ`. Call `dayKeyOf` once, at capture time, and store the key with the
 *   event: a later time-zone change then never moves what was already recorded.
 * - DayKey → DayKey (`shiftDay`, `dayRange`, `weekKeyOf`) is pure calendar arithmetic and
 *   does not depend on any time zone: a calendar day exists even where a zone skipped it.
 */
import { parse } from 'date-fns';
import type { DayKey } from './model';

const dayKeyPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayKeyFormat = 'yyyy-MM-dd';

/**
 * The local calendar day (`yyyy-MM-dd`, current time zone) of an instant in epoch ms. The
 * Date getters that date-fns' `format` reads, without its formatter, which costs
 * microseconds: this runs on the change events that land an insertion or an edit.
 */
export function dayKeyOf(t: number): DayKey {
  const date = new Date(t);
  const m = date.getMonth() + 1;
  const d = date.getDate();
  return `${String(date.getFullYear()).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The local hour of day, 0–23 (current time zone), of an instant in epoch ms. */
export function hourOf(t: number): number {
  return new Date(t).getHours();
}

/**
 * `dayKeyOf` and `hourOf` for instants that mostly fall in the same local hour as the one
 * before (the change events of a session): the hour's bounds are kept, so most calls read
 * no Date. For one capture pipeline, whose time zone does not change while it runs; a DST
 * change is followed (the bounds come from the local calendar).
 */
export class LocalHours {
  private from = 0;
  private to = -1;
  private day: DayKey = '';
  private hour = 0;

  dayKey(t: number): DayKey {
    this.locate(t);
    return this.day;
  }

  hourOf(t: number): number {
    this.locate(t);
    return this.hour;
  }

  private locate(t: number): void {
    if (t >= this.from && t < this.to) return;
    const date = new Date(t);
    this.day = dayKeyOf(t);
    this.hour = date.getHours();
    // The local hour around `t`, kept only where the zone's offset holds over all of it
    // (a DST change inside an hour, as on the Chatham Islands, makes that hour uncached).
    const from = t - (date.getMinutes() * 60_000 + date.getSeconds() * 1_000 + date.getMilliseconds());
    const to = from + 3_600_000;
    const offset = date.getTimezoneOffset();
    const steady = new Date(from).getTimezoneOffset() === offset && new Date(to - 1).getTimezoneOffset() === offset;
    [this.from, this.to] = steady ? [from, to] : [0, -1];
  }
}

/** True when `value` is a `yyyy-MM-dd` string naming a real calendar date. */
export function isDayKey(value: string): boolean {
  const match = dayKeyPattern.exec(value);
  if (!match) return false;
  const date = utcDate(Number(match[1]), Number(match[2]), Number(match[3]));
  return keyOfUtc(date) === value;
}

/**
 * First instant (epoch ms) of a local day in the current time zone. Where the zone skips
 * midnight (a DST change at 00:00), this is the first instant that exists, e.g. 01:00.
 * Throws a RangeError for a string that is not a DayKey.
 */
export function dayStart(day: DayKey): number {
  assertDayKey(day);
  return parse(day, dayKeyFormat, new Date(0)).getTime();
}

/** End (exclusive, epoch ms) of a local day in the current time zone: the next day's start; 23 h or 25 h after `dayStart` on DST days. */
export function dayEnd(day: DayKey): number {
  return dayStart(shiftDay(day, 1));
}

/** The calendar day `days` days after `day` (negative goes back); time-zone independent. */
export function shiftDay(day: DayKey, days: number): DayKey {
  assertDayKey(day);
  const [y, m, d] = day.split('-').map(Number);
  return keyOfUtc(utcDate(y, m, d + days));
}

/** Every calendar day from `from` to `to`, both included, ascending; empty when `from` is after `to`. */
export function dayRange(from: DayKey, to: DayKey): DayKey[] {
  assertDayKey(from);
  assertDayKey(to);
  const days: DayKey[] = [];
  // DayKeys compare correctly as strings: fixed-width, most significant field first.
  for (let day = from; day <= to; day = shiftDay(day, 1)) days.push(day);
  return days;
}

/** The week of a day, named by its Monday (weeks start on Monday); time-zone independent. */
export function weekKeyOf(day: DayKey): DayKey {
  assertDayKey(day);
  const [y, m, d] = day.split('-').map(Number);
  const mondayOffset = (utcDate(y, m, d).getUTCDay() + 6) % 7;
  return shiftDay(day, -mondayOffset);
}

function assertDayKey(day: string): void {
  if (!isDayKey(day)) throw new RangeError(`not a day key: ${JSON.stringify(day)}`);
}

/** A calendar date as a UTC Date (month 1–12; out-of-range days roll over). */
function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function keyOfUtc(date: Date): DayKey {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}
