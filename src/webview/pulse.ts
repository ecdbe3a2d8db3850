/** Section 5, "Pulse": the weekly one-question check-in, never modal, and its history. */
import type { PulseAnswer } from '../core/model';
import type { PulseChoice } from '../core/protocol';
import { button, h } from './dom';
import { formatDay } from '../core/format';
import type { RenderContext } from './frame';
import { sectionCard } from './frame';

/** The pulse as the host may send it (`PanelSnapshot.pulse`, optional until the host carries it). */
export interface PulseView {
  due: boolean;
  history: PulseAnswer[];
}

const question = 'Did AI make your work better this week, or just different?';
const choices: readonly { answer: PulseChoice; label: string }[] = [
  { answer: 'better', label: 'Better' },
  { answer: 'different', label: 'Just different' },
  { answer: 'worse', label: 'Worse' },
];
const answerNames: Record<PulseAnswer['answer'], string> = { better: 'better', different: 'just different', worse: 'worse', skipped: 'skipped' };

/** The pulse card, or null when nothing is due and nothing was answered yet. */
export function pulseSection(context: RenderContext, pulse: PulseView): HTMLElement | null {
  if (!pulse.due && pulse.history.length === 0) return null;
  const ask =
    pulse.due &&
    h(
      'div',
      { class: 'pulse-ask', testid: 'pulse', attrs: { role: 'group', 'aria-label': question } },
      h('p', { class: 'question' }, question),
      h(
        'div',
        { class: 'pulse-choices' },
        ...choices.map(({ answer, label }) => button(label, () => context.post({ type: 'pulseAnswer', answer }), { testid: `pulse-${answer}`, focus: `pulse-${answer}` })),
        button('Not this week', () => context.post({ type: 'pulseDismiss' }), { class: 'secondary', testid: 'pulse-dismiss', focus: 'pulse-dismiss' }),
      ),
    );
  // Newest week first: the developer looks for a trend, most recent at the top.
  const history = [...pulse.history].sort((a, b) => (a.week < b.week ? 1 : -1));
  const list =
    history.length > 0 &&
    h(
      'ul',
      { class: 'pulse-history', testid: 'pulse-history' },
      ...history.map((entry) => h('li', {}, h('span', { class: 'n' }, `week of ${formatDay(entry.week)}`), ' ', h('span', { class: `answer ${entry.answer}` }, answerNames[entry.answer]))),
    );
  const answered = history.filter((entry) => entry.answer !== 'skipped').length;
  const sample = history.length > 0 ? { n: answered, unit: answered === 1 ? 'week answered' : 'weeks answered', insufficient: false, minimum: 0 } : null;
  return sectionCard(context, 'pulse', 'Weekly pulse', sample, [ask, list]);
}
