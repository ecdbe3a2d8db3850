/**
 * Redaction of the developer's free-text notes before they go into a retro summary.
 *
 * Two passes, both replacing with `[redacted]`:
 * 1. Shapes, on each whitespace-separated token: URLs (any `scheme://`), e-mails and
 *    anything else with an `@` inside, `@handles`, paths (any token with `/` or `\`),
 *    dotted names (file names with an extension, bare domains and hostnames such as
 *    foo.example.com), `host:port` and IPv4 addresses.
 * 2. Workspace vocabulary: every identifier, path and name known from the workspace, as a
 *    whole word, case-insensitive; plus its path segments and its camelCase / snake_case /
 *    kebab-case parts longer than 3 characters (a note saying "the stripe client" names
 *    `src/payments/stripeClient.ts` just as well).
 *
 * It errs on the side of redacting: "and/or" is a path-shaped token and goes too. Only
 * surrounding punctuation of a token survives (brackets, quotes, a final full stop).
 */

/** What a redacted piece of text is replaced with. */
export const redactedMark = '[redacted]';

/** Vocabulary entries shorter than this are not redacted on their own (they would hit "a", "to", …). */
const minEntryLength = 3;
/** Parts of an entry (segments, identifier words) are redacted when longer than this. */
const minPartLength = 4;

// A private-use character stands for a redaction until the end, so the vocabulary pass
// never reads the mark itself as text (a vocabulary word "redacted" cannot nest).
const placeholder = '\uE000';

/**
 * A reusable redactor for one workspace vocabulary: build it once per export, apply it to
 * every ticked note (indexing the vocabulary is the costly part).
 */
export function noteRedactor(workspaceVocabulary: readonly string[]): (text: string) => string {
  const index = vocabularyIndex(workspaceVocabulary);
  return (text: string): string => {
    // Shapes first, on the text as written: a vocabulary word redacted inside an e-mail
    // ("jane@acme.io" with "acme" known) would otherwise break the e-mail's shape and
    // leave "jane" behind.
    const shaped = text.replaceAll(placeholder, '').replace(/\S+/gu, redactToken);
    return redactVocabulary(shaped, index).replaceAll(placeholder, redactedMark);
  };
}

/** `text` with paths, e-mails, URLs, hostnames, handles and workspace vocabulary replaced by `[redacted]`. */
export function redactNote(text: string, workspaceVocabulary: readonly string[]): string {
  return noteRedactor(workspaceVocabulary)(text);
}

const wordRun = /[\p{L}\p{N}]+/gu;
const leadingWord = /^[\p{L}\p{N}]+/u;
const nonWord = /[^\p{L}\p{N}]+/u;
const outerNonWord = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const pathSeparators = /[/\\]+/u;
const digitsOnly = /^\p{N}+$/u;
/** camelCase / PascalCase / letter–digit boundaries: "getHTTPResponse2" → get, HTTP, Response, 2. */
const identifierBoundary = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;

/** The terms redacted for a vocabulary: each entry, its path segments and its identifier words (see module doc). */
export function vocabularyTerms(workspaceVocabulary: readonly string[]): string[] {
  const terms = new Set<string>();
  const add = (term: string, minLength: number): void => {
    // Outer punctuation is no part of a whole-word match: "/home/jane" is found as "home/jane".
    const core = term.replace(outerNonWord, '').toLowerCase();
    if ([...core].length >= minLength) terms.add(core);
  };
  for (const entry of workspaceVocabulary) {
    add(entry, minEntryLength);
    for (const segment of entry.split(pathSeparators)) {
      add(segment, minPartLength);
      for (const word of segment.split(nonWord)) {
        add(word, minPartLength);
        for (const part of word.split(identifierBoundary)) {
          // A number alone ("2024" of report2024) names nothing; dropping it keeps figures in notes.
          if (!digitsOnly.test(part)) add(part, minPartLength);
        }
      }
    }
  }
  return [...terms];
}

/**
 * Terms by how they are matched: single words by set lookup; phrases ("acme-billing",
 * "src/a.ts", "my project") by their first word, longest first, so "stripeClient.ts" wins
 * over "stripeClient" and leaves nothing behind. No giant regular expression: a workspace
 * has thousands of identifiers.
 */
interface VocabularyIndex {
  words: Set<string>;
  phrases: Map<string, string[]>;
}

function vocabularyIndex(workspaceVocabulary: readonly string[]): VocabularyIndex {
  const words = new Set<string>();
  const phrases = new Map<string, string[]>();
  for (const term of vocabularyTerms(workspaceVocabulary)) {
    const first = leadingWord.exec(term)?.[0] ?? term;
    if (first.length === term.length) {
      words.add(term);
      continue;
    }
    const list = phrases.get(first);
    if (list === undefined) phrases.set(first, [term]);
    else list.push(term);
  }
  for (const list of phrases.values()) list.sort((a, b) => b.length - a.length);
  return { words, phrases };
}

/** Whole-word, case-insensitive: a match starts and ends at a boundary between a letter/digit and anything else. */
function redactVocabulary(text: string, index: VocabularyIndex): string {
  let result = '';
  let copiedTo = 0;
  for (const match of text.matchAll(wordRun)) {
    const start = match.index ?? 0;
    if (start < copiedTo) continue; // inside a phrase already redacted
    const end = matchEnd(text, start, match[0], index);
    if (end === null) continue;
    result += text.slice(copiedTo, start) + placeholder;
    copiedTo = end;
  }
  return result + text.slice(copiedTo);
}

function matchEnd(text: string, start: number, word: string, index: VocabularyIndex): number | null {
  const lower = word.toLowerCase();
  for (const phrase of index.phrases.get(lower) ?? []) {
    const end = start + phrase.length;
    if (text.slice(start, end).toLowerCase() === phrase && !leadingWord.test(text.slice(end, end + 2))) return end;
  }
  return index.words.has(lower) ? start + word.length : null;
}

const leadingPunctuation = /^[(\[{<"'`«“‘]+/u;
const trailingPunctuation = /[()\]}>"'`»”’.,;:!?]+$/u;

/** One whitespace-separated token: its core redacted when it has a sensitive shape, surrounding punctuation kept. */
function redactToken(token: string): string {
  const lead = leadingPunctuation.exec(token)?.[0] ?? '';
  const rest = token.slice(lead.length);
  const trail = trailingPunctuation.exec(rest)?.[0] ?? '';
  const core = rest.slice(0, rest.length - trail.length);
  return core.length > 0 && isSensitive(core) ? `${lead}${placeholder}${trail}` : token;
}

// The shapes are searched anywhere in a token, not matched against all of it: people
// write "buildbox.acme.io's", "client.ts()" and "localhost:8080," as often as the bare name.
const urlShape = /\p{L}[\p{L}\p{N}+.-]*:\/\//u;
// A letter on either side of a slash: "3/5" and "2024/06" are figures, not paths.
const pathShape = /[/\\].*\p{L}|\p{L}.*[/\\]/u;
// E-mails, user@host, ssh remotes (git@host:org/repo) and @handles (@jane, @scope/pkg).
const atShape = /@[\p{L}\p{N}_]/u;
const hostPortShape = /[\p{L}\p{N}._-]*\p{L}[\p{L}\p{N}._-]*:\d/u;
const ipv4Shape = /\d{1,3}(?:\.\d{1,3}){3}/u;
const dottedName = /[\p{L}\p{N}_-]*(?:\.[\p{L}\p{N}_-]+)+/gu;
const abbreviation = /^(?:\p{L}\.)+\p{L}$/u;

function isSensitive(core: string): boolean {
  return urlShape.test(core) || atShape.test(core) || pathShape.test(core) || hostPortShape.test(core) || ipv4Shape.test(core) || hasDottedName(core);
}

/** A file name with an extension, a domain or a dotted hostname; not "e.g", "3.5", "1.2.3" or "2.5x". */
function hasDottedName(core: string): boolean {
  for (const [name] of core.matchAll(dottedName)) {
    const labels = name.split('.');
    if (!/\p{L}/u.test(labels[labels.length - 1])) continue;
    if (abbreviation.test(name)) continue;
    if (labels.length === 2 && /^\p{N}+$/u.test(labels[0])) continue;
    return true;
  }
  return false;
}
