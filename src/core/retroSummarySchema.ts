/**
 * The retro summary's JSON schema (draft 2020-12) and a small validator for it.
 *
 * The schema is the second half of the export's allow-list: `buildRetroSummary` copies
 * only allow-listed fields, and every export is then validated against this schema, in
 * which every object has `additionalProperties: false` and every string is an enum, a
 * day key or a (redacted) note. A field that is not described here cannot leave the
 * machine. Human documentation: docs/retro-summary-schema.md.
 *
 * The validator implements exactly the keywords this schema uses (type, properties,
 * required, additionalProperties: false, items, enum, const, pattern, minimum, maximum,
 * maxLength, $ref to #/$defs): no dependency, and no keyword it silently ignores.
 */

import { aiSources, checkpoints, confidences, fileKinds, insertionSources, switchKinds } from './model';

/** Version of the exported summary; see docs/retro-summary-schema.md for the policy. */
export const retroSchemaVersion = 1;

/** Longest note text in a summary (the panel accepts 2000 characters; redaction may grow them). */
export const maxSummaryNoteLength = 4000;

/**
 * Language ids that may appear in a summary: VS Code's built-in and widely known ids.
 * Anything else becomes `other`, because a custom language id can name a project.
 */
export const knownLanguageIds: readonly string[] = [
  'bat', 'c', 'clojure', 'coffeescript', 'cpp', 'csharp', 'css', 'cuda-cpp', 'dart', 'diff', 'dockerfile',
  'elixir', 'erlang', 'fsharp', 'go', 'graphql', 'groovy', 'handlebars', 'haskell', 'html', 'ini', 'java',
  'javascript', 'javascriptreact', 'json', 'jsonc', 'julia', 'kotlin', 'latex', 'less', 'lua', 'makefile',
  'markdown', 'objective-c', 'objective-cpp', 'ocaml', 'perl', 'php', 'plaintext', 'powershell', 'proto',
  'python', 'r', 'razor', 'ruby', 'rust', 'sass', 'scala', 'scss', 'shellscript', 'sql', 'svelte', 'swift',
  'terraform', 'toml', 'typescript', 'typescriptreact', 'vb', 'vue', 'xml', 'yaml', 'zig',
];

/** Dimensions of the helped/hurt categories a summary may name (no time of day: finer than a day). */
export const retroCategoryDimensions = ['source', 'fileKind', 'size', 'language'] as const;

/** The keys each category dimension may use: AI sources, file kinds, size buckets in lines, languages. */
export const retroCategoryKeys: Record<(typeof retroCategoryDimensions)[number], readonly string[]> = {
  source: aiSources,
  fileKind: fileKinds,
  size: ['1', '2-10', '11-50', '51+'],
  language: [...knownLanguageIds, 'other'],
};
const categoryKeys = [...new Set(Object.values(retroCategoryKeys).flat())];
const dayKeyPattern = '^\\d{4}-\\d{2}-\\d{2}$';

/** A JSON Schema node, as far as this schema uses the language. */
export interface SchemaNode {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  title?: string;
  description?: string;
  type?: SchemaType | SchemaType[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: false;
  items?: SchemaNode;
  enum?: readonly (string | number)[];
  const?: string | number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

type SchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** An object node whose properties are all required (the summary has no optional fields but `byAgent`'s). */
function closed(description: string, properties: Record<string, SchemaNode>): SchemaNode {
  return { type: 'object', description, properties, required: Object.keys(properties), additionalProperties: false };
}

function count(description: string): SchemaNode {
  return { type: 'integer', minimum: 0, description };
}

function share(description: string): SchemaNode {
  return { type: 'number', minimum: 0, maximum: 1, description };
}

function ref(name: string, description?: string): SchemaNode {
  return description === undefined ? { $ref: `#/$defs/${name}` } : { $ref: `#/$defs/${name}`, description };
}

function countsBy(keys: readonly string[], description: string): SchemaNode {
  return closed(description, Object.fromEntries(keys.map((key) => [key, count(`Count for ${key}.`)])));
}

/** The retro summary's schema. Every object is closed (`additionalProperties: false`). */
export const retroSummarySchema: SchemaNode = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:hindsight:retro-summary:1',
  title: 'Hindsight retro summary',
  ...closed('An anonymized summary of one developer\'s AI usage over a range of local days. Contains no paths, names, identifiers, code, e-mails, URLs or times finer than a day.', {
    schemaVersion: { const: retroSchemaVersion, description: 'Version of this schema; bumped when a field changes meaning or disappears.' },
    range: closed('The inclusive range of local calendar days summarized.', {
      from: ref('dayKey', 'First day.'),
      to: ref('dayKey', 'Last day.'),
      days: { type: 'integer', minimum: 1, description: 'Calendar days in the range.' },
    }),
    generatedOn: ref('dayKey', 'Local day the summary was built.'),
    minConfidence: { enum: confidences, description: 'Least sure attribution included (possible = all).' },
    minimums: closed('Minimum samples below which a figure is reported as insufficient.', {
      share: count('Fewest samples behind a share or mean.'),
      breakdownRow: count('Fewest judged insertions behind a category.'),
      curveAtRisk: count('Fewest insertions still followed for a survival-curve reading.'),
      daysForPerDay: count('Fewest tracked days behind a per-day average.'),
    }),
    insertions: closed('Insertions in the range that passed the confidence filter.', {
      total: count('All insertions, AI and human.'),
      ai: count('AI insertions (inline, chat, agent).'),
      excludedByConfidence: count('Insertions left out by the confidence filter.'),
      bySource: countsBy(insertionSources, 'Insertions by source; typed and paste are the human baselines.'),
      aiByConfidence: countsBy(confidences, 'AI insertions by attribution confidence.'),
      aiLines: count('Lines of AI insertions.'),
      aiChars: count('Characters of AI insertions.'),
    }),
    survival: closed('Survival and rework of AI code next to the typed baseline.', {
      checkpoints: {
        type: 'array',
        description: 'One row per survival checkpoint, in time order.',
        items: closed('Survival at one checkpoint.', {
          label: { enum: checkpoints.map((c) => c.label), description: 'Checkpoint after landing.' },
          meanSurvival: closed('Mean share of original characters still present; n = insertions with a known reading.', {
            ai: ref('figure'),
            typed: ref('figure'),
            inline: ref('figure'),
            chat: ref('figure'),
            agent: ref('figure'),
          }),
          notReworked: closed('Kaplan–Meier share not yet reworked (half lost); n = insertions still followed at the checkpoint.', {
            ai: ref('figure'),
            typed: ref('figure'),
          }),
        }),
      },
      rework72h: closed('Share of characters rewritten or deleted within 72 h; n = insertions observed for 72 h.', {
        ai: ref('rework'),
        typed: ref('rework'),
        target: share('Healthy below this share.'),
        redLine: share('Red flag above this share.'),
      }),
    }),
    verdicts: closed('Effective verdicts of AI insertions (the developer\'s own verdict wins).', {
      helped: count('Helped.'),
      hurt: count('Hurt.'),
      mixed: count('Mixed.'),
      tooEarly: count('Not judged yet (younger than 72 h or no 72 h reading).'),
      developerJudged: count('Insertions the developer judged themselves.'),
      judged: count('helped + hurt + mixed: the n of the shares.'),
      helpedShare: ref('figure', 'helped / judged.'),
      hurtShare: ref('figure', 'hurt / judged.'),
      mixedShare: ref('figure', 'mixed / judged.'),
      topHelped: { type: 'array', items: ref('category'), description: 'Up to 3 categories with the highest helped share (enough data only).' },
      topHurt: { type: 'array', items: ref('category'), description: 'Up to 3 categories with the highest hurt share (enough data only).' },
    }),
    focus: closed('Context switches and focus.', {
      trackedDays: count('Days of the range with recorded activity: the n of the per-day figures.'),
      switchesPerDay: ref('figure', 'Context switches per tracked day.'),
      focusMinutesPerDay: ref('figure', 'Minutes in focus blocks per tracked day.'),
      totals: closed('Totals over the tracked days.', {
        switches: count('Context switches.'),
        byKind: ref('switchCounts'),
        activeMinutes: count('Minutes of editor sessions.'),
        sessions: count('Editor sessions.'),
        focusMinutes: count('Minutes in focus blocks (25 min or more without app/project switches).'),
        focusBlocks: { type: ['integer', 'null'], minimum: 0, description: 'Focus blocks; null when a tracked day did not count them.' },
        longestFocusMinutes: count('Longest focus block.'),
      }),
      days: {
        type: 'array',
        description: 'Every day of the range, in order.',
        items: closed('One local day.', {
          day: ref('dayKey'),
          tracked: { type: 'boolean', description: 'False when nothing was recorded that day (figures are zeros).' },
          switches: count('Context switches.'),
          byKind: ref('switchCounts'),
          activeMinutes: count('Minutes of editor sessions.'),
          sessions: count('Editor sessions.'),
          focusMinutes: count('Minutes in focus blocks.'),
          focusBlocks: { type: ['integer', 'null'], minimum: 0, description: 'Focus blocks; null when not counted.' },
          aiInsertions: count('AI insertions that landed that day.'),
        }),
      },
    }),
    agent: closed('Figures from coding-agent logs; null where no logs were read.', {
      waitingOnAi: {
        type: ['object', 'null'],
        description: 'Time between an agent turn\'s prompt and its last write.',
        properties: {
          totalMinutes: count('Minutes waited, all turns.'),
          turns: count('Agent turns: the n.'),
          switchesWhileWaiting: count('Context switches made while waiting.'),
          minutesPerTurn: ref('figure', 'Mean wait per turn; n = turns.'),
          switchesPerTurn: ref('figure', 'Switches per turn; n = turns.'),
        },
        required: ['totalMinutes', 'turns', 'switchesWhileWaiting', 'minutesPerTurn', 'switchesPerTurn'],
        additionalProperties: false,
      },
      tokensPerSurvivingLine: {
        type: ['object', 'null'],
        description: 'Tokens per agent-written line still alive after 72 h; n = surviving lines.',
        properties: {
          value: { type: ['number', 'null'], minimum: 0 },
          n: count('Sample size.'),
          insufficient: { type: 'boolean' },
          byAgent: {
            type: 'object',
            description: 'Per known coding agent; agents with other names are left out.',
            properties: { 'claude-code': ref('figure'), codex: ref('figure') },
            additionalProperties: false,
          },
        },
        required: ['value', 'n', 'insufficient', 'byAgent'],
        additionalProperties: false,
      },
    }),
    pulse: {
      type: 'array',
      description: 'Weekly pulse answers for weeks overlapping the range, oldest first.',
      items: closed('"Did AI make your work better this week, or just different?"', {
        week: ref('dayKey', 'Monday of the week answered.'),
        answer: { enum: ['better', 'different', 'worse', 'skipped'] },
        answeredOn: ref('dayKey'),
      }),
    },
    notes: {
      type: 'array',
      description: 'Notes the developer ticked for export, redacted (paths, e-mails, URLs, hosts, handles, workspace names → [redacted]).',
      items: closed('One note.', { text: { type: 'string', maxLength: maxSummaryNoteLength } }),
    },
  }),
  $defs: {
    dayKey: { type: 'string', pattern: dayKeyPattern, description: 'A local calendar day, yyyy-MM-dd.' },
    figure: closed('A number with its sample: value is null exactly when insufficient (n below the minimum).', {
      value: { type: ['number', 'null'], minimum: 0 },
      n: count('Sample size.'),
      insufficient: { type: 'boolean' },
    }),
    rework: closed('Rework at 72 h.', {
      value: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      n: count('Insertions observed for 72 h.'),
      insufficient: { type: 'boolean' },
      status: { enum: ['healthy', 'watch', 'red', 'insufficient'] },
    }),
    switchCounts: countsBy(switchKinds, 'Context switches by kind.'),
    category: closed('One helped/hurt category of AI insertions.', {
      dimension: { enum: retroCategoryDimensions },
      key: { enum: categoryKeys, description: 'Source, file kind, size bucket (lines) or well-known language id (else "other").' },
      n: count('Judged insertions (helped + hurt + mixed).'),
      helped: count('Helped.'),
      hurt: count('Hurt.'),
      mixed: count('Mixed.'),
      tooEarly: count('Not judged yet.'),
      helpedShare: share('helped / n.'),
      hurtShare: share('hurt / n.'),
      light: { enum: ['green', 'yellow', 'red'] },
    }),
  },
};

/** Errors of `value` against the retro summary schema (JSON-pointer-ish paths); empty when valid. */
export function validateRetroSummary(value: unknown): string[] {
  const errors: string[] = [];
  check(value, retroSummarySchema, '$', errors);
  return errors;
}

/** A valid summary re-built with keys in schema order, so its JSON is byte-stable. Throws when invalid. */
export function inSchemaOrder(value: unknown): unknown {
  const errors = validateRetroSummary(value);
  if (errors.length > 0) throw new TypeError(`Not a valid retro summary: ${errors.slice(0, 5).join('; ')}`);
  return reorder(value, retroSummarySchema);
}

function resolve(node: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = retroSummarySchema.$defs?.[name];
  if (target === undefined) throw new Error(`Unknown schema reference ${node.$ref}`);
  return target;
}

function typeOf(value: unknown): SchemaType | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      // JSON has no NaN or Infinity: JSON.stringify would turn them into null silently.
      return Number.isFinite(value) ? (Number.isInteger(value) ? 'integer' : 'number') : 'other';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

function check(value: unknown, schemaNode: SchemaNode, at: string, errors: string[]): void {
  const node = resolve(schemaNode);
  const actual = typeOf(value);
  if (node.type !== undefined) {
    const allowed = Array.isArray(node.type) ? node.type : [node.type];
    const ok = allowed.includes(actual as SchemaType) || (actual === 'integer' && allowed.includes('number'));
    if (!ok) {
      errors.push(`${at}: expected ${allowed.join(' or ')}, got ${actual}`);
      return;
    }
  }
  if (node.const !== undefined && value !== node.const) errors.push(`${at}: must be ${JSON.stringify(node.const)}`);
  if (node.enum !== undefined && !node.enum.includes(value as string | number)) errors.push(`${at}: not one of the allowed values`);
  if (typeof value === 'string') {
    if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value)) errors.push(`${at}: does not match ${node.pattern}`);
    if (node.maxLength !== undefined && [...value].length > node.maxLength) errors.push(`${at}: longer than ${node.maxLength}`);
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) errors.push(`${at}: below ${node.minimum}`);
    if (node.maximum !== undefined && value > node.maximum) errors.push(`${at}: above ${node.maximum}`);
  }
  if (actual === 'array' && node.items !== undefined) {
    (value as unknown[]).forEach((item, i) => check(item, node.items!, `${at}[${i}]`, errors));
  }
  if (actual === 'object') checkObject(value as Record<string, unknown>, node, at, errors);
}

function checkObject(value: Record<string, unknown>, node: SchemaNode, at: string, errors: string[]): void {
  const properties = node.properties ?? {};
  for (const name of node.required ?? []) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) errors.push(`${at}: missing ${name}`);
  }
  for (const name of Object.keys(value)) {
    const property = Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
    if (property === undefined) {
      if (node.additionalProperties === false) errors.push(`${at}: property ${JSON.stringify(name)} is not allowed`);
      continue;
    }
    check(value[name], property, `${at}.${name}`, errors);
  }
}

function reorder(value: unknown, schemaNode: SchemaNode): unknown {
  const node = resolve(schemaNode);
  if (Array.isArray(value)) return node.items === undefined ? value : value.map((item) => reorder(item, node.items!));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    if (Object.prototype.hasOwnProperty.call(source, name)) ordered[name] = reorder(source[name], property);
  }
  return ordered;
}
