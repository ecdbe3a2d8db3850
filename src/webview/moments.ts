/** Section 4, "Moments": notable insertions the developer can open, overrule and annotate. */
import type { DashboardSnapshot, Moment, MomentKind } from '../core/analytics';
import type { Verdict } from '../core/model';
import { maxNoteLength } from '../core/protocol';
import { button, h, labelledSelect } from './dom';
import { formatCount, formatDateTime, plural } from '../core/format';
import type { RenderContext } from './frame';
import { sectionCard } from './frame';
import { verdictNames } from './verdicts';

const kindNames: Record<MomentKind, string> = { quickRegret: 'quick regret', bigRework: 'big rework', bigWin: 'big win', recent: 'recent' };
const verdictChoices: readonly Verdict[] = ['helped', 'mixed', 'hurt', 'tooEarly'];
/** The select's value for "no override": not a Verdict, so it cannot collide with one. */
const proposedValue = '';

export function momentsSection(context: RenderContext, dashboard: DashboardSnapshot): HTMLElement {
  const { moments } = dashboard;
  const shown = moments.items.length;
  const body =
    shown === 0
      ? [h('p', { class: 'muted' }, 'No AI insertions or pastes in this range yet.')]
      : [
          h('p', { class: 'muted' }, `Quick regrets, big reworks and big wins first (${formatCount(moments.total)} in this range), then the latest other AI insertions and pastes.`),
          h('ul', { class: 'moments' }, ...moments.items.map((moment) => momentItem(context, moment))),
        ];
  return sectionCard(context, 'moments', 'Moments', { n: moments.total, unit: 'notable insertions', insufficient: false, minimum: 0 }, body);
}

function momentItem(context: RenderContext, moment: Moment): HTMLElement {
  const open = button(moment.path, () => context.post({ type: 'openInsertion', id: moment.id }), {
    class: 'link path',
    focus: `open-${moment.id}`,
    title: `Open ${moment.path} at this insertion`,
  });
  const yours = moment.override !== null;
  const verdictText = yours
    ? `${verdictNames[moment.verdict]} (yours; proposed ${verdictNames[moment.proposedVerdict]})`
    : `${verdictNames[moment.verdict]} (proposed)`;
  const { label, select } = labelledSelect(
    'Your verdict',
    [{ value: proposedValue, label: `use proposed (${verdictNames[moment.proposedVerdict]})` }, ...verdictChoices.map((v) => ({ value: v, label: verdictNames[v] }))],
    moment.override ?? proposedValue,
    (value) => context.post({ type: 'overrideVerdict', id: moment.id, verdict: value === proposedValue ? null : (value as Verdict) }),
    { focus: `verdict-${moment.id}`, title: 'Your verdict overrules the proposed one' },
  );
  label.className = 'visually-hidden';
  return h(
    'li',
    { testid: `moment-${moment.id}`, class: `moment ${moment.kind}` },
    h('div', { class: 'moment-head' }, h('span', { class: `badge ${moment.kind}` }, kindNames[moment.kind]), h('span', { class: 'n' }, formatDateTime(moment.t))),
    open,
    h('p', { class: 'n' }, `${moment.source} · ${moment.confidence} · ${plural(moment.lines, 'line', 'lines')} · ${moment.languageId} · ${moment.project}`),
    h('p', {}, h('span', { class: `verdict ${moment.verdict}` }, verdictText), ' ', h('span', { class: 'muted' }, `— ${moment.reason}`)),
    h(
      'div',
      { class: 'moment-actions' },
      label,
      select,
      noteField(context, moment),
      moment.source === 'paste' && button('Came from an AI chat', () => context.post({ type: 'markPasteAsAi', id: moment.id }), { class: 'secondary', focus: `paste-${moment.id}` }),
    ),
  );
}

/** The note is saved on blur or Enter, and only when it changed. */
function noteField(context: RenderContext, moment: Moment): HTMLInputElement {
  const input = h('input', { class: 'note', focus: `note-${moment.id}`, attrs: { placeholder: 'Note…', 'aria-label': `Your note on ${moment.path}` } });
  input.type = 'text';
  input.maxLength = maxNoteLength;
  input.value = moment.note ?? '';
  // Enter then blur must not post twice.
  let saved = input.value;
  const save = (): void => {
    if (input.value === saved) return;
    saved = input.value;
    context.post({ type: 'setNote', id: moment.id, note: saved.slice(0, maxNoteLength) });
  };
  input.addEventListener('blur', () => {
    if (!context.isReplacing()) save();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') save();
  });
  return input;
}
