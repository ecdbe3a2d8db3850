/**
 * AI co-authorship of a commit, from its full message and author: the `Co-authored-by:`
 * trailers that AI tools add (Claude Code, Copilot's agent, Cursor, aider, …) and aider's
 * "(aider)" author-name suffix.
 *
 * Rules:
 * - Trailers are read only from the trailer block, as git does: the last paragraph of the
 *   message (never the subject paragraph), in which every line is `Key: value`, a
 *   continuation line (starting with whitespace) or `(cherry picked from commit …)`.
 *   Trailer-looking lines inside the body are prose, not trailers.
 * - Keys (any case): `Co-authored-by`, `Co-developed-by`, `Assisted-by`, `Generated-by`.
 * - A trailer names an AI tool when its name matches a known tool name as a whole
 *   ("Claude", "Claude Opus 4.5", "GitHub Copilot", "Cursor Agent", "aider (gpt-4o)";
 *   never "Claude Shannon" or "Devin Smith") or its e-mail is a known tool address
 *   (`noreply@anthropic.com`, `…+Copilot@users.noreply.github.com`, `cursoragent@cursor.com`,
 *   `noreply@aider.chat`, …).
 * - The author counts when its name ends with "(aider)", its e-mail is a known tool
 *   address, or it is a known tool's bot account ("copilot-swe-agent[bot]"). A bare
 *   author name like "Claude" is not enough: people have those names.
 * - `aiTool` is the first tool found, trailers first, as a stable lowercase id.
 */

/** What a commit says about AI involvement. */
export interface AiCoauthorFacts {
  /** Id of the first AI tool found ('claude', 'copilot', 'aider', …), or null. */
  aiTool: string | null;
  viaTrailer: boolean;
  viaAuthor: boolean;
}

export interface CommitAuthorship {
  /** The full commit message: subject, body and trailers. */
  message: string;
  authorName: string;
  authorEmail?: string;
}

export interface AiCommitCounts {
  total: number;
  ai: number;
  byTool: Record<string, number>;
}

interface KnownTool {
  id: string;
  /** Whole-name patterns, on the lowercased, trimmed name. */
  names: RegExp[];
  /** E-mail patterns, on the lowercased address. */
  emails: RegExp[];
}

const knownTools: KnownTool[] = [
  { id: 'claude', names: [/^claude( code)?$/, /^claude[ -](opus|sonnet|haiku|\d)[\w .-]*$/], emails: [/^noreply@anthropic\.com$/] },
  {
    id: 'copilot',
    names: [/^(github )?copilot( (agent|chat|coding agent))?$/, /^copilot-swe-agent(\[bot\])?$/, /^copilot-pull-request-reviewer(\[bot\])?$/],
    emails: [/^\d+\+copilot@users\.noreply\.github\.com$/, /^\d+\+copilot-swe-agent(\[bot\])?@users\.noreply\.github\.com$/],
  },
  { id: 'codex', names: [/^(openai )?codex( cli)?$/, /^chatgpt-codex-connector(\[bot\])?$/], emails: [/^\d+\+chatgpt-codex-connector(\[bot\])?@users\.noreply\.github\.com$/] },
  { id: 'openai', names: [/^(openai|chatgpt)$/], emails: [] },
  { id: 'aider', names: [/^aider( \(.*\))?$/], emails: [/^noreply@aider\.chat$/] },
  { id: 'cursor', names: [/^cursor( agent)?$/, /^cursoragent$/, /^cursor(-agent)?\[bot\]$/], emails: [/^cursoragent@cursor\.com$/] },
  { id: 'devin', names: [/^devin( ai)?$/, /^devin-ai-integration(\[bot\])?$/], emails: [/^\d+\+devin-ai-integration(\[bot\])?@users\.noreply\.github\.com$/] },
  { id: 'gemini', names: [/^gemini( cli| code assist)?$/, /^gemini-code-assist(\[bot\])?$/], emails: [] },
  { id: 'jules', names: [/^(google )?jules$/, /^google-labs-jules(\[bot\])?$/], emails: [] },
  { id: 'windsurf', names: [/^(windsurf|codeium|cascade)( agent)?$/], emails: [] },
  { id: 'amazon-q', names: [/^amazon q( developer)?( agent)?$/, /^amazon-q-developer(\[bot\])?$/], emails: [] },
  { id: 'cline', names: [/^cline$/], emails: [] },
  { id: 'roo', names: [/^roo( code)?$/], emails: [] },
  { id: 'opencode', names: [/^opencode$/], emails: [] },
  { id: 'kiro', names: [/^kiro$/], emails: [] },
  { id: 'junie', names: [/^junie$/], emails: [] },
  { id: 'augment', names: [/^augment( code| agent)?$/], emails: [] },
];

const coauthorKeys = new Set(['co-authored-by', 'co-developed-by', 'assisted-by', 'generated-by']);
const trailerLine = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$/;

/** Reads a commit's AI co-author facts from its message and author. */
export function aiFactsOfCommit(commit: CommitAuthorship): AiCoauthorFacts {
  let trailerTool: string | null = null;
  for (const { key, value } of trailersOf(commit.message)) {
    if (!coauthorKeys.has(key.toLowerCase())) continue;
    const { name, email } = splitIdentity(value);
    trailerTool = toolOf(name, email, true);
    if (trailerTool !== null) break;
  }
  const authorTool = /\(aider\)\s*$/i.test(commit.authorName) ? 'aider' : toolOf(commit.authorName, commit.authorEmail ?? '', false);
  return { aiTool: trailerTool ?? authorTool, viaTrailer: trailerTool !== null, viaAuthor: authorTool !== null };
}

/** How many commits show AI co-authorship, in all and per tool. */
export function countAiCommits(commits: readonly CommitAuthorship[]): AiCommitCounts {
  const counts: AiCommitCounts = { total: commits.length, ai: 0, byTool: {} };
  for (const commit of commits) {
    const { aiTool } = aiFactsOfCommit(commit);
    if (aiTool === null) continue;
    counts.ai++;
    counts.byTool[aiTool] = (counts.byTool[aiTool] ?? 0) + 1;
  }
  return counts;
}

/** The trailers of a commit message's trailer block, in order; empty when it has none. */
export function trailersOf(message: string): { key: string; value: string }[] {
  const paragraphs: string[][] = [[]];
  for (const line of message.split(/\r?\n/)) {
    if (line.startsWith('#')) continue; // comment lines never reach a commit, like `git commit` cleanup
    if (line.trim() === '') {
      if (paragraphs[paragraphs.length - 1].length > 0) paragraphs.push([]);
    } else {
      paragraphs[paragraphs.length - 1].push(line);
    }
  }
  if (paragraphs[paragraphs.length - 1].length === 0) paragraphs.pop();
  // The subject paragraph is never a trailer block.
  if (paragraphs.length < 2) return [];
  const trailers: { key: string; value: string }[] = [];
  for (const line of paragraphs[paragraphs.length - 1]) {
    const match = trailerLine.exec(line);
    if (match !== null) trailers.push({ key: match[1], value: match[2].trim() });
    else if (/^\s/.test(line) && trailers.length > 0) trailers[trailers.length - 1].value += ` ${line.trim()}`;
    else if (!line.startsWith('(cherry picked from commit')) return [];
  }
  return trailers;
}

function splitIdentity(value: string): { name: string; email: string } {
  const match = /^(.*?)\s*<([^>]*)>\s*$/.exec(value);
  return match === null ? { name: value, email: '' } : { name: match[1], email: match[2] };
}

/** The tool an identity names; a bare name counts only when `byName` (trailers) or for bot accounts. */
function toolOf(name: string, email: string, byName: boolean): string | null {
  const n = name.trim().toLowerCase();
  const e = email.trim().toLowerCase();
  const nameCounts = byName || n.endsWith('[bot]');
  for (const tool of knownTools) {
    if (tool.emails.some((p) => p.test(e))) return tool.id;
    if (nameCounts && tool.names.some((p) => p.test(n))) return tool.id;
  }
  return null;
}
