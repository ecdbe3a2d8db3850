import assert from 'node:assert/strict';
import { mulberry32, type Random } from '../../src/core/random';
import type { AgentFigures } from '../../src/core/analytics';
import { shiftDay } from '../../src/core/days';
import type { PulseAnswer } from '../../src/core/model';
import { redactedMark } from '../../src/core/redact';
import { buildRetroSummary, renderJson, renderMarkdown } from '../../src/core/retroSummary';
import type { RetroSummary, RetroSummaryInput } from '../../src/core/retroSummary';
import { knownLanguageIds, retroSummarySchema } from '../../src/core/retroSummarySchema';
import type { SchemaNode } from '../../src/core/retroSummarySchema';
import { syntheticHistory } from '../../src/core/synthetic';

/**
 * Leak fuzzing of the retro summary: randomized histories whose paths, repository names,
 * identifiers, custom language ids, agent names, notes, e-mails and URLs come from
 * realistic and random vocabularies. With every note ticked, neither the Markdown nor the
 * JSON may contain any of those strings, nor a path segment of one longer than 3 characters
 * (case-insensitive).
 *
 * No false positives, without weakening the check: a drawn string could legitimately occur
 * in an export only if it were part of the export's own fixed text (the template, its enum
 * values, the note filler words, "[redacted]"). So every drawn string and segment is checked
 * against that corpus: random tokens always hold a letter and a digit (the template's words
 * have no digits, its numbers no letters) and are redrawn in the rare case they still occur
 * in the corpus; the realistic vocabulary is hand-picked, and a test fails if any of it
 * occurs in the corpus, so a colliding word cannot be added silently.
 */

const cases = 10_000;


function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

const realistic = {
  paths: [
    'src/payments/stripeClient.ts',
    'services/ledger/reconcile.py',
    'packages/storefront/checkoutForm.tsx',
    'internal/invoicing/pdf_renderer.go',
    'C:\\Users\\jdoe\\repos\\acme-billing\\Program.cs',
    'apps/mobile/screens/WalletScreen.kt',
    '/home/jane/acme-billing/scripts/deploy_prod.sh',
    'lib/acme_crm/contact_sync.ex',
    'infra/modules/vpc_peering.tf',
  ],
  repositories: ['acme-billing', 'storefront-web', 'ledger-core', 'wallet-android', 'crm-contacts'],
  identifiers: ['getUserById', 'reconcileLedgerEntries', 'PaymentIntentFactory', 'stripe_webhook_secret', 'MAX_RETRY_BUDGET', 'useCheckoutCart', 'InvoicePdfRenderer'],
  emails: ['jane.doe@acme.io', 'ops+alerts@storefront.example.com', 'j.smith@mail.acme-corp.co.uk'],
  urls: [
    'https://git.acme.io/acme-billing/-/merge_requests/42',
    'https://jira.acme.io/browse/BILL-1234',
    'http://grafana.internal.acme.io:3000/d/ledger',
    'ssh://git@git.acme.io:2222/acme/ledger-core.git',
    'buildbox.acme.io',
  ],
  languages: ['acme-dsl', 'ledgerscript', 'billing-query'],
} as const;

const fillerWords = ['kept', 'rewrote', 'the', 'retry', 'loop', 'because', 'flaky', 'again', 'fine', 'slow', 'review', 'took', 'ages', 'but', 'worth', 'it', 'broke', 'after', 'asked', 'about', 'in', 'see', 'and', 'with', 'for'];

/** Every string an export may hold on its own: rendered templates, schema names and enums, filler, the mark. */
function templateCorpus(): string {
  const parts: string[] = [redactedMark, ...fillerWords, ...knownLanguageIds];
  const visit = (node: SchemaNode): void => {
    parts.push(...Object.keys(node.properties ?? {}), ...(node.enum ?? []).map(String));
    for (const child of [...Object.values(node.properties ?? {}), ...Object.values(node.$defs ?? {}), ...(node.items ? [node.items] : [])]) visit(child);
  };
  visit(retroSummarySchema);
  const rich = syntheticHistory(1, 30, 20, '2025-06-14');
  const agent: AgentFigures = {
    waitingOnAi: { totalMs: 3_600_000, turns: 12, switchesWhileWaiting: 30 },
    tokensPerSurvivingLine: { value: 300, n: 40, byAgent: { 'claude-code': { value: 280, n: 30 }, codex: { value: 2, n: 2 } } },
  };
  const pulse: PulseAnswer[] = (['better', 'different', 'worse', 'skipped'] as const).map((answer, i) => ({ week: shiftDay('2025-05-19', 7 * i), answer, answeredOn: shiftDay('2025-05-23', 7 * i) }));
  for (const input of [
    { ...rich, agent, pulse, notes: [{ id: 'n', text: fillerWords.join(' ') }], workspaceVocabulary: [] },
    { insertions: [], days: [], pulse: [], notes: [], workspaceVocabulary: [] },
  ]) {
    const summary = buildRetroSummary(input, { range: { from: '2025-05-16', to: '2025-06-14' }, includeLanguages: true, now: rich.now });
    parts.push(renderMarkdown(summary), renderJson(summary));
  }
  return parts.join('\n').toLowerCase();
}

/** The strings whose presence would be a leak: the string itself and its path segments longer than 3 characters. */
function needlesOf(value: string): string[] {
  return [value, ...value.split(/[/\\]+/).filter((segment) => segment.length > 3)];
}

interface Draw {
  paths: string[];
  repositories: string[];
  identifiers: string[];
  emails: string[];
  urls: string[];
  languages: string[];
  /** Paths that are not in the workspace vocabulary: only their shape can give them away. */
  foreignPaths: string[];
}

const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const digits = [...'0123456789'];
const alphanumerics = [...letters, ...digits];

class Vocabulary {
  /**
   * A token is letters and digits only, so it can occur in the corpus only inside one of the
   * corpus's maximal alphanumeric runs, and only in a run holding a letter and a digit too:
   * checking those few runs is exactly `corpus.includes(token)`, without scanning the corpus.
   */
  private readonly mixedRuns: string[];

  constructor(
    private readonly random: Random,
    corpus: string,
  ) {
    this.mixedRuns = [...new Set(corpus.match(/[a-z0-9]+/g) ?? [])].filter((run) => /[a-z]/.test(run) && /\d/.test(run));
  }

  /** 4–12 random letters and digits, with at least one of each, mixed case, not in the corpus. */
  token(): string {
    for (;;) {
      const length = between(this.random, 4, 12);
      const chars = Array.from({ length }, () => pick(this.random, alphanumerics));
      const digitAt = between(this.random, 0, length - 1);
      chars[digitAt] = pick(this.random, digits);
      chars[(digitAt + between(this.random, 1, length - 1)) % length] = pick(this.random, letters);
      const token = chars.join('');
      const lower = token.toLowerCase();
      if (!this.mixedRuns.some((run) => run.includes(lower))) return token;
    }
  }

  randomPath(): string {
    const separator = this.random() < 0.8 ? '/' : '\\';
    const segments = Array.from({ length: between(this.random, 1, 4) }, () => this.token());
    const prefix = pick(this.random, ['', '', './', '/', '~/', 'C:\\']);
    return `${prefix}${segments.join(separator)}${separator}${this.token()}.${pick(this.random, ['ts', 'py', 'go', 'rs', 'md', 'json'])}`;
  }

  /** Realistic with probability 1/2, else random; `count` distinct draws. */
  some(count: number, realisticValues: readonly string[], randomValue: () => string): string[] {
    const values = new Set<string>();
    while (values.size < count) values.add(this.random() < 0.5 ? pick(this.random, realisticValues) : randomValue());
    return [...values];
  }

  draw(): Draw {
    const r = this.random;
    return {
      paths: this.some(between(r, 1, 4), realistic.paths, () => this.randomPath()),
      repositories: this.some(between(r, 1, 2), realistic.repositories, () => `${this.token()}-${this.token()}`),
      identifiers: this.some(between(r, 1, 4), realistic.identifiers, () => (r() < 0.5 ? this.token() : `${this.token()}_${this.token()}`)),
      emails: this.some(between(r, 1, 2), realistic.emails, () => `${this.token()}.${this.token()}@${this.token()}.${pick(r, ['io', 'com', 'dev'])}`),
      urls: this.some(between(r, 1, 2), realistic.urls, () => `${pick(r, ['https', 'http', 'ssh', 'ftp'])}://${this.token()}.${this.token()}.io/${this.token()}/${this.token()}`),
      languages: this.some(between(r, 1, 2), realistic.languages, () => `${this.token()}-lang`),
      foreignPaths: [this.randomPath()],
    };
  }
}

/** A note with 1–4 sensitive strings embedded among filler words, decorated as people write them. */
function noteOf(random: Random, draw: Draw): string {
  const sensitive = [
    ...draw.paths,
    ...draw.repositories,
    ...draw.identifiers,
    ...draw.emails,
    ...draw.urls,
    ...draw.languages,
    ...draw.foreignPaths,
    ...draw.paths.flatMap((p) => p.split(/[/\\]+/).filter((segment) => segment.length > 3)),
  ];
  const words = Array.from({ length: between(random, 2, 10) }, () => pick(random, fillerWords));
  for (let i = between(random, 1, 4); i > 0; i--) {
    let word = pick(random, sensitive);
    word = pick(random, [word, word, word.toUpperCase(), word.toLowerCase()]);
    const embedded = `${pick(random, ['', '', '(', '"', '`', "'", '@'])}${word}${pick(random, ['', '', ',', '.', ')', "'s", '()', ':', '!', '-api', '`'])}`;
    words.splice(between(random, 0, words.length), 0, embedded);
  }
  return words.join(pick(random, [' ', ' ', '\n', '  ']));
}

function caseOf(random: Random, vocabulary: Vocabulary): { input: RetroSummaryInput; now: number; range: { from: string; to: string }; needles: string[]; includeLanguages: boolean } {
  const draw = vocabulary.draw();
  const endDay = shiftDay('2025-01-01', between(random, 0, 364));
  const days = between(random, 1, 5);
  const history = syntheticHistory(between(random, 1, 2 ** 31), days, between(random, 1, 4), endDay);
  const notes = Array.from({ length: between(random, 1, 3) }, () => ({ id: pick(random, draw.identifiers), text: noteOf(random, draw) }));
  for (const o of history.insertions) {
    o.id = pick(random, draw.identifiers);
    o.path = pick(random, draw.paths);
    o.project = pick(random, draw.repositories);
    if (random() < 0.5) o.languageId = pick(random, draw.languages);
    if (o.source === 'agent' && random() < 0.5) o.agent = pick(random, [...draw.repositories, ...draw.identifiers]);
    o.agentTurnKey = pick(random, draw.identifiers);
    if (random() < 0.3) o.note = noteOf(random, draw);
  }
  const agentName = pick(random, [...draw.identifiers, ...draw.repositories]);
  const input: RetroSummaryInput = {
    ...history,
    agent:
      random() < 0.5
        ? undefined
        : {
            waitingOnAi: { totalMs: between(random, 0, 10) * 60_000, turns: between(random, 0, 10), switchesWhileWaiting: between(random, 0, 20) },
            tokensPerSurvivingLine: { value: random() * 500, n: between(random, 0, 50), byAgent: { [agentName]: { value: random() * 500, n: between(random, 0, 50) }, codex: { value: 10, n: 6 } } },
          },
    pulse: [{ week: shiftDay(endDay, -7), answer: pick(random, ['better', 'different', 'worse', 'skipped'] as const), answeredOn: endDay }],
    notes,
    workspaceVocabulary: [...draw.paths, ...draw.repositories, ...draw.identifiers, ...draw.languages],
  };
  const secrets = [...draw.paths, ...draw.repositories, ...draw.identifiers, ...draw.emails, ...draw.urls, ...draw.languages, ...draw.foreignPaths];
  const wholeNotes = [...notes.map((n) => n.text), ...history.insertions.flatMap((o) => (o.note === undefined ? [] : [o.note]))];
  return {
    input,
    now: history.now,
    range: { from: shiftDay(endDay, -(days - 1)), to: endDay },
    needles: [...new Set([...secrets.flatMap(needlesOf), ...wholeNotes])],
    includeLanguages: random() < 0.5,
  };
}

/** Each needle found in either rendering, as "format: needle". */
function leaksOf(summary: RetroSummary, needles: readonly string[]): string[] {
  const markdown = renderMarkdown(summary).toLowerCase();
  const json = renderJson(summary).toLowerCase();
  const leaks: string[] = [];
  for (const needle of needles) {
    const lower = needle.toLowerCase();
    // JSON escapes backslashes and quotes: look for the needle as JSON writes it, too.
    const escaped = JSON.stringify(lower).slice(1, -1);
    if (markdown.includes(lower)) leaks.push(`markdown: ${JSON.stringify(needle)}`);
    if (json.includes(lower) || json.includes(escaped)) leaks.push(`json: ${JSON.stringify(needle)}`);
  }
  return leaks;
}

describe('retro summary leak fuzzing', () => {
  const corpus = templateCorpus();

  it('draws realistic vocabulary that cannot collide with the template', () => {
    const all = Object.values(realistic).flat().flatMap(needlesOf);
    const colliding = all.filter((needle) => corpus.includes(needle.toLowerCase()));
    assert.deepEqual(colliding, []);
  });

  it('would see a leak: an unredacted note is found in both formats, a Windows path through JSON escaping', () => {
    const random = mulberry32(7);
    const c = caseOf(random, new Vocabulary(random, corpus));
    const summary = buildRetroSummary(c.input, { range: c.range, includeLanguages: false, now: c.now });
    assert.deepEqual(leaksOf(summary, c.needles), []);
    const secret = 'C:\\Users\\jdoe\\repos\\acme-billing\\Program.cs';
    summary.notes.push({ text: `see ${secret}` });
    assert.deepEqual(leaksOf(summary, needlesOf(secret)), [
      ...needlesOf(secret).flatMap((needle) => [`markdown: ${JSON.stringify(needle)}`, `json: ${JSON.stringify(needle)}`]),
    ]);
  });

  it(`leaks no path, name, identifier, note, e-mail or URL in ${cases} randomized histories`, () => {
    const random = mulberry32(20250614);
    const vocabulary = new Vocabulary(random, corpus);
    const leaks: string[] = [];
    let run = 0;
    let notesExported = 0;
    for (let i = 0; i < cases; i++) {
      const c = caseOf(random, vocabulary);
      const summary = buildRetroSummary(c.input, { range: c.range, includeLanguages: c.includeLanguages, now: c.now });
      notesExported += summary.notes.length;
      leaks.push(...leaksOf(summary, c.needles).map((leak) => `case ${i}, ${leak}`));
      run++;
    }
    console.log(`retro leak fuzz: ${run} cases, ${leaks.length} leaks`);
    assert.equal(run, cases);
    assert.ok(notesExported >= cases, 'every case exports at least one redacted note');
    assert.deepEqual(leaks.slice(0, 20), []);
  });
});
