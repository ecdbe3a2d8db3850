import assert from 'node:assert/strict';
import { aiFactsOfCommit, countAiCommits, trailersOf } from '../../src/core/trailers';

const human = { authorName: 'Dana Developer', authorEmail: 'dana@example.com' };

describe('trailers', () => {
  describe('trailersOf', () => {
    it('reads the last paragraph, with continuation lines and a cherry-pick note', () => {
      const message = [
        'Fix the cache',
        '',
        'Long explanation.',
        '',
        'Reviewed-by: Sam <sam@example.com>',
        'Note: spans',
        '  two lines',
        '(cherry picked from commit 0123abcd)',
        '',
      ].join('\n');
      assert.deepEqual(trailersOf(message), [
        { key: 'Reviewed-by', value: 'Sam <sam@example.com>' },
        { key: 'Note', value: 'spans two lines' },
      ]);
    });

    it('finds no trailers in a subject-only message or when the last paragraph is prose', () => {
      assert.deepEqual(trailersOf('Co-authored-by: Claude <noreply@anthropic.com>'), []);
      assert.deepEqual(trailersOf('Subject\n\nCo-authored-by: Claude <noreply@anthropic.com>\nand then some prose.'), []);
    });
  });

  describe('aiFactsOfCommit', () => {
    it("recognises Claude Code's trailer among several, with CRLF line endings", () => {
      const message =
        'Add retry to the fetcher\r\n\r\nRetries three times.\r\n\r\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\r\n\r\nSigned-off-by: Dana Developer <dana@example.com>\r\nCo-Authored-By: Claude <noreply@anthropic.com>\r\n';
      assert.deepEqual(aiFactsOfCommit({ ...human, message }), { aiTool: 'claude', viaTrailer: true, viaAuthor: false });
    });

    it('recognises tools by name, model-suffixed name or known e-mail, in any case', () => {
      const cases: [string, string][] = [
        ['Co-authored-by: Claude Opus 4.5 <noreply@anthropic.com>', 'claude'],
        ['co-authored-by: GitHub Copilot', 'copilot'],
        ['Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>', 'copilot'],
        ['Co-authored-by: aider (openai/gpt-4o) <noreply@aider.chat>', 'aider'],
        ['Co-authored-by: Cursor Agent <cursoragent@cursor.com>', 'cursor'],
        ['Co-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>', 'devin'],
        ['Co-authored-by: Codex <codex@example.invalid>', 'codex'],
        ['Co-authored-by: OpenAI', 'openai'],
        ['Co-authored-by: Gemini Code Assist', 'gemini'],
        ['Co-authored-by: Windsurf', 'windsurf'],
        ['Co-authored-by: Codeium', 'windsurf'],
        ['Co-authored-by: Amazon Q Developer', 'amazon-q'],
        ['Assisted-by: Claude Sonnet 4', 'claude'],
      ];
      for (const [trailer, tool] of cases) {
        const facts = aiFactsOfCommit({ ...human, message: `Change things\n\n${trailer}` });
        assert.deepEqual(facts, { aiTool: tool, viaTrailer: true, viaAuthor: false }, trailer);
      }
    });

    it('ignores human co-authors, even those named like a tool', () => {
      const message = 'Pair on the parser\n\nCo-authored-by: Claude Shannon <claude@example.com>\nCo-authored-by: Devin Smith <devin@example.com>\nCo-authored-by: Sam Cursor <sam@example.com>';
      assert.deepEqual(aiFactsOfCommit({ ...human, message }), { aiTool: null, viaTrailer: false, viaAuthor: false });
    });

    it('ignores trailer-looking text in the body', () => {
      const message = 'Document attribution\n\nWe now detect lines such as\nCo-authored-by: Claude <noreply@anthropic.com>\nin commit messages.\n\nSigned-off-by: Dana Developer <dana@example.com>';
      assert.deepEqual(aiFactsOfCommit({ ...human, message }), { aiTool: null, viaTrailer: false, viaAuthor: false });
    });

    it("recognises aider's author-name suffix and AI bot authors, but not a bare human name", () => {
      assert.deepEqual(aiFactsOfCommit({ message: 'feat: add parser', authorName: 'Dana Developer (aider)', authorEmail: 'dana@example.com' }), {
        aiTool: 'aider',
        viaTrailer: false,
        viaAuthor: true,
      });
      assert.deepEqual(aiFactsOfCommit({ message: 'Fix bug', authorName: 'Copilot', authorEmail: '198982749+Copilot@users.noreply.github.com' }), {
        aiTool: 'copilot',
        viaTrailer: false,
        viaAuthor: true,
      });
      assert.equal(aiFactsOfCommit({ message: 'Fix bug', authorName: 'copilot-swe-agent[bot]' }).aiTool, 'copilot');
      assert.equal(aiFactsOfCommit({ message: 'Fix bug', authorName: 'Claude', authorEmail: 'claude@example.com' }).aiTool, null);
    });

    it('reports both paths and the trailer tool first', () => {
      const facts = aiFactsOfCommit({ message: 'x\n\nCo-authored-by: Claude <noreply@anthropic.com>', authorName: 'Dana (aider)' });
      assert.deepEqual(facts, { aiTool: 'claude', viaTrailer: true, viaAuthor: true });
    });
  });

  describe('countAiCommits', () => {
    it('counts AI commits in all and per tool', () => {
      const counts = countAiCommits([
        { ...human, message: 'a\n\nCo-authored-by: Claude <noreply@anthropic.com>' },
        { ...human, message: 'b\n\nCo-authored-by: Claude <noreply@anthropic.com>\nCo-authored-by: GitHub Copilot' },
        { message: 'c', authorName: 'Dana (aider)' },
        { ...human, message: 'd\n\nCo-authored-by: Sam <sam@example.com>' },
        { ...human, message: 'e' },
      ]);
      assert.deepEqual(counts, { total: 5, ai: 3, byTool: { claude: 2, aider: 1 } });
    });
  });
});
