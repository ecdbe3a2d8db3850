/**
 * Building blocks shared by the panel's sections: the collapsible section card with its
 * sample size, a stat tile, an honest "not enough data yet", and a legend swatch.
 */
import type { SampledFigure } from '../core/analytics';
import type { WebviewMessage } from '../core/protocol';
import type { Child } from './dom';
import { h } from './dom';
import { notEnoughText, sampleText } from '../core/format';

export type SectionId = 'glance' | 'survival' | 'verdicts' | 'moments' | 'pulse';

/** What every section renderer gets besides its slice of the snapshot. */
export interface RenderContext {
  post(message: WebviewMessage): void;
  isOpen(section: SectionId): boolean;
  setOpen(section: SectionId, open: boolean): void;
  /** True while the previous tree is being removed: the blur that causes is not the developer leaving a field. */
  isReplacing(): boolean;
  /** Runs once the rendered tree is in the document (chart.js measures its canvas). */
  afterMount(run: () => void): void;
}

export interface SectionSample {
  n: number;
  /** What n counts ("AI insertions"), read out after the number. */
  unit: string;
  insufficient: boolean;
  /** The minimum n behind the section's figures, for the "not enough data" line. */
  minimum: number;
}

/**
 * A section card: a `<details>` whose summary carries the title and the sample size, so
 * the developer can fold what they do not need and the choice survives reloads.
 */
export function sectionCard(context: RenderContext, id: SectionId, title: string, sample: SectionSample | null, body: Child[]): HTMLElement {
  const details = h('details', { class: 'section-body' });
  details.open = context.isOpen(id);
  details.addEventListener('toggle', () => context.setOpen(id, details.open));
  const summary = h(
    'summary',
    {},
    h('h2', {}, title),
    sample && h('span', { class: 'n', testid: `n-${id}`, title: sample.unit }, `${sampleText(sample.n)} ${sample.unit}`),
  );
  details.append(summary);
  if (sample?.insufficient) details.append(h('p', { class: 'insufficient' }, `${notEnoughText(sample.n, sample.minimum)}.`));
  else for (const child of body) if (child) details.append(child);
  return h('section', { class: `card section-${id}`, testid: `section-${id}`, attrs: { 'aria-label': title } }, details);
}

/** A figure tile: value, label, and its sample size when it has one. */
export function stat(label: string, value: string, options: { testid: string; n?: number; detail?: string; title?: string; tone?: string }): HTMLElement {
  return h(
    'div',
    { class: 'stat', title: options.title },
    h('span', { class: `value${options.tone ? ` ${options.tone}` : ''}`, testid: options.testid }, value),
    h('span', { class: 'label' }, label),
    options.detail !== undefined && h('span', { class: 'n' }, options.detail),
    options.n !== undefined && h('span', { class: 'n' }, sampleText(options.n)),
  );
}

/** A sampled figure as a tile; below its minimum the tile says so instead of showing a number. */
export function sampledStat(label: string, figure: SampledFigure, format: (value: number) => string, testid: string, minimum: number): HTMLElement {
  if (figure.value === null) {
    return stat(label, '—', { testid, detail: notEnoughText(figure.n, minimum), tone: 'insufficient' });
  }
  return stat(label, format(figure.value), { testid, n: figure.n });
}

/** A coloured square beside a legend entry; its colour comes from the same theme variable as the chart's. */
export function swatch(color: string): HTMLElement {
  const element = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  element.style.background = color;
  return element;
}
