/**
 * Text for the panel's figures. Every figure is rounded for reading, never for deciding:
 * the snapshot already decided what is sufficient and what is not.
 */
import type { CheckpointLabel, DayKey } from './model';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** An amount of working time ("6 h 05 min"): hours are the natural unit even across a month. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0 min';
  if (ms < minute) return '< 1 min';
  const minutes = Math.round(ms / minute);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, '0')} min`;
}

/** An age since insertion, in the coarsest unit that still reads exactly enough ("3 h", "2.5 d"). */
export function formatAge(ms: number): string {
  if (ms < hour) return `${Math.max(1, Math.round(ms / minute))} min`;
  if (ms < 2 * day) return `${round1(ms / hour)} h`;
  return `${round1(ms / day)} d`;
}

/** A share in [0, 1] as a whole percentage; a non-zero share never reads as "0%". */
export function formatPercent(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 1) return '< 1%';
  if (percent < 100 && percent > 99) return '> 99%';
  return `${Math.round(percent)}%`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString();
}

/** A ratio that is not a share (tokens per line, switches per turn): one decimal below 10. */
export function formatNumber(value: number): string {
  return value < 10 ? String(round1(value)) : formatCount(value);
}

/** "1 line", "12 lines". */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** The sample size beside every figure. */
export function sampleText(n: number): string {
  return `n = ${formatCount(n)}`;
}

/** What the panel says instead of a figure below its minimum sample. */
export function notEnoughText(n: number, minimum: number): string {
  return `Not enough data yet (${sampleText(n)}, needs ${minimum})`;
}

const checkpointNames: Record<CheckpointLabel, string> = {
  '10m': '10 min',
  '1h': '1 h',
  '24h': '24 h',
  '72h': '72 h',
  '7d': '7 d',
  '30d': '30 d',
};

export function formatCheckpoint(label: CheckpointLabel): string {
  return checkpointNames[label];
}

/** A local calendar day read back as a local date (DayKeys are local days, not UTC). */
function dateOfDay(key: DayKey): Date {
  const [year, month, date] = key.split('-').map(Number);
  return new Date(year, month - 1, date);
}

const shortDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "Mon 3": short enough for a bar label at sidebar width. */
export function formatDayShort(key: DayKey): string {
  return shortDay.format(dateOfDay(key));
}

/** "Mar 3" */
export function formatDay(key: DayKey): string {
  return monthDay.format(dateOfDay(key));
}

/** "Mar 3, 14:05" */
export function formatDateTime(t: number): string {
  return dateTime.format(new Date(t));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
