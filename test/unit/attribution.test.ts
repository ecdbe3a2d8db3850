import assert from 'node:assert/strict';
import { Attributor, needsClipboard, needsNeighbours, neighbourRanges } from '../../src/core/attribution';
import type { ChangeDecision, ChangeObservation } from '../../src/core/attribution';
import type { TextChange } from '../../src/core/spans';

const doc = 'file:///w/src/app.ts';

function change(rangeOffset: number, text: string, rangeLength = 0): TextChange {
  return { rangeOffset, rangeLength, text };
}

/** An event in the active, typed-in editor, with the clipboard read and holding something else. */
function event(t: number, changes: TextChange[], over: Partial<ChangeObservation> = {}): ChangeObservation {
  return {
    t,
    docKey: doc,
    languageId: 'typescript',
    isActiveEditor: true,
    recentlyTypedInDoc: true,
    changes,
    clipboardText: 'something copied earlier',
    otherDocsChangedInSameTick: 0,
    ...over,
  };
}

/** Types `text` one character per event (Enter as its own event), starting at `offset`. */
function type(attr: Attributor, offset: number, text: string, t0: number, stepMs = 150): ChangeDecision[] {
  return [...text].map((ch, i) => attr.observe(event(t0 + i * stepMs, [change(offset + i, ch)]))[0]);
}

const twoLines = 'if (user) {\n  return user.name;\n}';

describe('attribution', () => {
  describe('inline accept through the wrapped command', () => {
    it('attributes the change between intent and done (intent → change → done)', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      const [d] = attr.observe(event(1010, [change(5, 'x')]));
      attr.noteAcceptDone(doc, 1020);
      assert.deepEqual(d, { index: 0, kind: 'insertion', source: 'inline', confidence: 'certain', chars: 1, lines: 1 });
    });

    it('attributes a change that arrives after the command resolved (intent → done → change)', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      attr.noteAcceptDone(doc, 1005);
      const [d] = attr.observe(event(1400, [change(5, 'return user.name;')]));
      assert.equal(d.kind === 'insertion' && d.source === 'inline' && d.confidence === 'certain', true);
    });

    it('lets an intent expire 500 ms after done when no change came (the suggestion vanished)', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      attr.noteAcceptDone(doc, 1005);
      const [d] = attr.observe(event(1600, [change(5, 'foo')]));
      assert.deepEqual(d, { index: 0, kind: 'typed', chars: 3 });
    });

    it('lets an intent expire when the command never resolves', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      const [d] = attr.observe(event(3100, [change(5, 'foo')]));
      assert.equal(d.kind, 'typed');
    });

    it('does not give a keystroke right after an empty accept to the accept, nor the next change', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      attr.noteAcceptDone(doc, 1005);
      assert.equal(attr.observe(event(1100, [change(5, 'x')]))[0].kind, 'typed');
      assert.equal(attr.observe(event(1200, [change(6, 'yz')]))[0].kind, 'typed');
    });

    it('keeps the intent through an undo and a pure deletion, and only for its own document', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      assert.equal(attr.observe(event(1001, [change(0, 'abc')], { docKey: 'other' }))[0].kind, 'typed');
      assert.deepEqual(attr.observe(event(1002, [change(3, '', 1)]))[0], { index: 0, kind: 'ignore', why: 'deletion' });
      assert.deepEqual(attr.observe(event(1002, [change(3, 'x')], { reason: 'undo' }))[0], { index: 0, kind: 'ignore', why: 'undo' });
      const [d] = attr.observe(event(1003, [change(3, 'name')]));
      assert.equal(d.kind === 'insertion' && d.source, 'inline');
    });

    it('chains partial accepts of one suggestion with extendsPrevious', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'word', 1000);
      const first = attr.observe(event(1010, [change(10, 'console')]))[0];
      attr.noteAcceptDone(doc, 1020);
      attr.noteAcceptIntent(doc, 'word', 2000);
      attr.noteAcceptDone(doc, 2005);
      const second = attr.observe(event(2010, [change(17, '.log(')]))[0];
      attr.noteAcceptIntent(doc, 'full', 3000);
      const rest = attr.observe(event(3010, [change(22, 'message);')]))[0];
      attr.noteAcceptIntent(doc, 'word', 4000);
      const next = attr.observe(event(4010, [change(31, 'next')]))[0];
      assert.equal(first.kind === 'insertion' && first.extendsPrevious, undefined);
      assert.deepEqual(second, { index: 0, kind: 'insertion', source: 'inline', confidence: 'certain', chars: 5, lines: 0, extendsPrevious: true });
      assert.equal(rest.kind === 'insertion' && rest.extendsPrevious, true);
      // A full accept ends the suggestion: what follows is a new one.
      assert.equal(next.kind === 'insertion' && next.extendsPrevious, undefined);
    });

    it('does not chain partial accepts separated by typing or not contiguous', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'word', 1000);
      attr.observe(event(1010, [change(10, 'console')]));
      attr.observe(event(1500, [change(17, '.')]));
      attr.noteAcceptIntent(doc, 'word', 2000);
      const afterTyping = attr.observe(event(2010, [change(18, 'log')]))[0];
      attr.noteAcceptIntent(doc, 'line', 3000);
      const elsewhere = attr.observe(event(3010, [change(50, 'foo(bar);')]))[0];
      assert.equal(afterTyping.kind === 'insertion' && afterTyping.source === 'inline' && afterTyping.extendsPrevious, undefined);
      assert.equal(elsewhere.kind === 'insertion' && elsewhere.source === 'inline' && elsewhere.extendsPrevious, undefined);
    });

    it('never makes the undo or redo of an accept a new insertion', () => {
      const attr = new Attributor();
      attr.noteAcceptIntent(doc, 'full', 1000);
      attr.observe(event(1010, [change(0, twoLines)]));
      assert.deepEqual(attr.observe(event(2000, [change(0, '', twoLines.length)], { reason: 'undo' })), [{ index: 0, kind: 'ignore', why: 'undo' }]);
      assert.deepEqual(attr.observe(event(3000, [change(0, twoLines)], { reason: 'redo' })), [{ index: 0, kind: 'ignore', why: 'redo' }]);
    });
  });

  describe('AI-shaped inserts without the wrapped command', () => {
    it('makes a two-line insert at the cursor in the typed-in editor inline/likely', () => {
      const [d] = new Attributor().observe(event(1000, [change(4, twoLines)], { cursorOffsets: [4] }));
      assert.deepEqual(d, { index: 0, kind: 'insertion', source: 'inline', confidence: 'likely', chars: twoLines.length, lines: 3 });
    });

    it('makes a 40-character single-line insert AI-shaped, a 39-character one typing', () => {
      const forty = 'const total = items.reduce((a, b) => a +';
      assert.equal(forty.length, 40);
      assert.equal(new Attributor().observe(event(1000, [change(0, forty)]))[0].kind, 'insertion');
      assert.equal(new Attributor().observe(event(1000, [change(0, forty.slice(1))]))[0].kind, 'typed');
    });

    it('counts only non-blank lines', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, 'a();\n\n   \nb();\n')]));
      assert.equal(d.kind === 'insertion' && d.lines, 2);
    });

    it('calls it chat when the developer has not typed in the editor recently', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, twoLines)], { recentlyTypedInDoc: false }));
      assert.equal(d.kind === 'insertion' && d.source, 'chat');
    });

    it('says possible when the clipboard could not be read', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, twoLines)], { clipboardText: undefined }));
      assert.equal(d.kind === 'insertion' && d.confidence, 'possible');
    });

    it('ignores an AI-shaped insert away from every cursor (auto-import, code action)', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, "import { readFile } from 'node:fs/promises';\n")], { cursorOffsets: [500] }));
      assert.deepEqual(d, { index: 0, kind: 'ignore', why: 'not-at-cursor' });
    });

    it('leaves AI-shaped inserts unattributed when detection is off', () => {
      const [d] = new Attributor({ detectAiShapedInserts: false }).observe(event(1000, [change(0, twoLines)]));
      assert.deepEqual(d, { index: 0, kind: 'ignore', why: 'ai-shape-off' });
    });
  });

  describe('paste', () => {
    it('is a paste, not AI, when the insert equals the clipboard', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, twoLines)], { clipboardText: twoLines }));
      assert.deepEqual(d, { index: 0, kind: 'insertion', source: 'paste', confidence: 'certain', chars: twoLines.length, lines: 3 });
    });

    it('tolerates auto-indent and CRLF line endings of the clipboard', () => {
      const clipboard = 'if (user) {\r\n    return user.name;\r\n}\r\n';
      const [d] = new Attributor().observe(event(1000, [change(0, '  if (user) {\n    return user.name;\n  }\n')], { clipboardText: clipboard }));
      assert.equal(d.kind === 'insertion' && d.source, 'paste');
    });

    it('recognises a multi-cursor paste spreading the clipboard lines (changes listed last-first)', () => {
      const ds = new Attributor().observe(event(1000, [change(40, 'gamma'), change(20, 'beta'), change(0, 'alpha')], { clipboardText: 'alpha\nbeta\ngamma' }));
      assert.deepEqual(
        ds.map((d) => d.kind === 'insertion' && d.source),
        ['paste', 'paste', 'paste'],
      );
    });

    it('asks for the clipboard only for changes that could matter', () => {
      assert.equal(needsClipboard([change(0, 'a')]), false);
      assert.equal(needsClipboard([change(0, '()')]), false);
      assert.equal(needsClipboard([change(0, '\n        ')]), false);
      assert.equal(needsClipboard([change(0, 'a'), change(9, 'foo')]), true);
    });

    it('does not compare a keystroke with the clipboard', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, 'x')], { clipboardText: 'x' }));
      assert.equal(d.kind, 'typed');
    });
  });

  describe('not AI: word completion, snippets, Emmet, formatting, organize imports', () => {
    it('treats a long single identifier (IntelliSense word completion) as typing', () => {
      const word = 'createAuthenticatedSessionForTheCurrentWorkspaceUser';
      assert.ok(word.length >= 40);
      assert.deepEqual(new Attributor().observe(event(1000, [change(10, word, 6)]))[0], { index: 0, kind: 'typed', chars: word.length });
      assert.equal(new Attributor().observe(event(1000, [change(10, 'this.config.services.authentication.session')]))[0].kind, 'typed');
    });

    it('ignores an AI-shaped snippet insertion but keeps typing inside snippet placeholders', () => {
      const attr = new Attributor();
      const snippet = 'for (let i = 0; i < array.length; i++) {\n  \n}';
      assert.deepEqual(attr.observe(event(1000, [change(0, snippet, 3)], { snippetActive: true }))[0], { index: 0, kind: 'ignore', why: 'snippet' });
      assert.equal(attr.observe(event(1200, [change(9, 'j')], { snippetActive: true }))[0].kind, 'typed');
    });

    it('recognises an Emmet expansion in markup languages only', () => {
      const expansion = '<ul>\n  <li></li>\n  <li></li>\n  <li></li>\n</ul>';
      const html = new Attributor().observe(event(1000, [change(0, expansion, 'ul>li*3'.length)], { languageId: 'html' }))[0];
      const ts = new Attributor().observe(event(1000, [change(0, expansion, 'ul>li*3'.length)]))[0];
      assert.deepEqual(html, { index: 0, kind: 'ignore', why: 'snippet' });
      assert.equal(ts.kind === 'insertion' && ts.source, 'inline');
    });

    it('ignores everything while a format or refactor command runs', () => {
      const ds = new Attributor().observe(event(1000, [change(90, twoLines, 4), change(0, '  ', 4)], { formatOrRefactorInFlight: true }));
      assert.deepEqual(
        ds.map((d) => d.kind === 'ignore' && d.why),
        ['format', 'format'],
      );
    });

    it('ignores organize imports reordering lines, in one change or several', () => {
      const before = "import { z } from './z';\nimport { a } from './a';\n";
      const after = "import { a } from './a';\nimport { z } from './z';\n";
      const single = new Attributor().observe(event(1000, [change(0, after, before.length)]));
      assert.deepEqual(single, [{ index: 0, kind: 'ignore', why: 'import-reorder' }]);
      const multi = new Attributor().observe(
        event(1000, [change(25, '', 25), change(0, "import { a } from './a';\n")], { recentlyTypedInDoc: false }),
      );
      assert.deepEqual(
        multi.map((d) => d.kind === 'ignore' && d.why),
        ['import-reorder', 'import-reorder'],
      );
    });

    it('ignores lines copied up or down (Shift+Alt+Up/Down) and a duplicated selection: the text next to them is the same', () => {
      const line = '  const total = items.reduce((sum, item) => sum + item.price, 0);\n';
      // Copied down from the start of the next line, or as `\nline` after the line's end.
      const below = new Attributor().observe(event(1000, [change(40, line)], { neighbours: { before: `x\n${line}`.slice(-line.length), after: 'return total;\n' } }));
      // The document's first line copied down from its end: only the line is before it.
      const rotated = new Attributor().observe(event(1000, [change(line.length - 1, `\n${line.slice(0, -1)}`)], { neighbours: { before: line.slice(0, -1), after: '\nreturn total;' } }));
      const above = new Attributor().observe(event(1000, [change(40, line)], { neighbours: { before: '}\n', after: line } }));
      for (const ds of [below, rotated, above]) assert.deepEqual(ds, [{ index: 0, kind: 'ignore', why: 'duplicate' }]);
    });

    it('keeps an AI-shaped insertion whose neighbours differ, and asks for neighbours only for one AI-shaped insertion', () => {
      const [d] = new Attributor().observe(event(1000, [change(40, twoLines)], { neighbours: { before: 'const a = 1;\n', after: 'const b = 2;\n' } }));
      assert.equal(d.kind === 'insertion' && d.source, 'inline');
      assert.equal(needsNeighbours([change(40, twoLines)]), true);
      assert.equal(needsNeighbours([change(40, 'x')]), false);
      assert.equal(needsNeighbours([change(40, twoLines, 3)]), false);
      assert.equal(needsNeighbours([change(40, twoLines), change(90, twoLines)]), false);
      assert.equal(needsNeighbours([change(40, `${twoLines}\n`.repeat(Math.ceil(100_001 / (twoLines.length + 1))))]), false, 'no neighbours read for a huge insertion');
    });

    it('places the neighbours as long as the insertion, right before and after it, clamped at the start', () => {
      assert.deepEqual(neighbourRanges(change(40, twoLines)), { before: [40 - twoLines.length, 40], after: [40 + twoLines.length, 40 + 2 * twoLines.length] });
      assert.deepEqual(neighbourRanges(change(3, twoLines)), { before: [0, 3], after: [3 + twoLines.length, 3 + 2 * twoLines.length] });
    });

    it('does not take typing over a selection for a reorder', () => {
      assert.equal(new Attributor().observe(event(1000, [change(0, 'use', 3)]))[0].kind, 'typed');
    });

    it('does not take a new import block (a different length) for a reorder', () => {
      const imports = "import { a } from './a';\nimport { z } from './z';\n";
      const [d] = new Attributor().observe(event(1000, [change(0, imports)]));
      assert.equal(d.kind === 'insertion' && d.source, 'inline');
    });
  });

  describe('multi-range, chat and agent edits', () => {
    it('treats identical small inserts at several cursors as typing', () => {
      const ds = new Attributor().observe(event(1000, [change(30, 'x'), change(20, 'x'), change(10, 'x')], { cursorOffsets: [10, 20, 30] }));
      assert.deepEqual(ds, [
        { index: 0, kind: 'typed', chars: 1 },
        { index: 1, kind: 'typed', chars: 1 },
        { index: 2, kind: 'typed', chars: 1 },
      ]);
    });

    it('treats linked editing (one cursor, mirrored tag) as typing', () => {
      const ds = new Attributor().observe(event(1000, [change(30, 'v'), change(3, 'v')], { cursorOffsets: [3], languageId: 'html' }));
      assert.deepEqual(
        ds.map((d) => d.kind),
        ['typed', 'typed'],
      );
    });

    it('ignores identical replacements away from the cursors (replace all, rename)', () => {
      const ds = new Attributor().observe(event(1000, [change(80, 'newName', 7), change(10, 'newName', 7)], { cursorOffsets: [300] }));
      assert.deepEqual(
        ds.map((d) => d.kind === 'ignore' && d.why),
        ['replace', 'replace'],
      );
    });

    it('makes a multi-range edit with different texts chat/likely', () => {
      const ds = new Attributor().observe(event(1000, [change(80, 'return cached;', 5), change(40, '', 10), change(10, '    ')]));
      assert.deepEqual(ds, [
        { index: 0, kind: 'insertion', source: 'chat', confidence: 'likely', chars: 14, lines: 1 },
        { index: 1, kind: 'ignore', why: 'deletion' },
        { index: 2, kind: 'ignore', why: 'format' },
      ]);
    });

    it('ignores lines moved with Alt+Up/Down and a dragged selection, in whichever order the changes come', () => {
      const line = '\n\tborder: 1px solid white;';
      const down = new Attributor().observe(event(1000, [change(120, line), change(60, '', line.length)], { cursorOffsets: [70] }));
      const up = new Attributor().observe(event(1000, [change(60, '', line.length), change(20, line)], { cursorOffsets: [70] }));
      const dragged = new Attributor().observe(event(1000, [change(90, '', 12), change(30, 'total + tax;')], { cursorOffsets: [90] }));
      for (const ds of [down, up, dragged]) assert.deepEqual(ds.map((d) => d.kind === 'ignore' && d.why), ['move', 'move']);
    });

    it('does not take a chat edit that inserts other lengths than it deletes, or replaces text, for a move', () => {
      const longer = new Attributor().observe(event(1000, [change(120, '\n\treturn cached;'), change(60, '', 5)]));
      const replacing = new Attributor().observe(event(1000, [change(120, 'return cached;', 14), change(60, '', 14)]));
      assert.deepEqual(longer.map((d) => d.kind === 'insertion' && d.source), ['chat', false]);
      assert.deepEqual(replacing.map((d) => d.kind === 'insertion' && d.source), ['chat', false]);
    });

    it('ignores a bracket typed over a selection and a block comment toggled on (wraps at the cursor)', () => {
      const paren = new Attributor().observe(event(1000, [change(30, ')'), change(10, '(')], { cursorOffsets: [30] }));
      const html = new Attributor().observe(event(1000, [change(30, ' -->'), change(10, '<!-- ')], { cursorOffsets: [30], languageId: 'svelte' }));
      const css = new Attributor().observe(event(1000, [change(30, ' */'), change(10, '/* ')], { cursorOffsets: [10] }));
      for (const ds of [paren, html, css]) assert.deepEqual(ds.map((d) => d.kind === 'ignore' && d.why), ['wrap', 'wrap']);
    });

    it('does not take punctuation inserted away from the cursors, or with words, for a wrap', () => {
      const away = new Attributor().observe(event(1000, [change(30, ');'), change(10, '(')], { cursorOffsets: [300] }));
      const words = new Attributor().observe(event(1000, [change(30, ' })'), change(10, 'f(')], { cursorOffsets: [30] }));
      assert.deepEqual(away.map((d) => d.kind === 'insertion' && d.source), ['chat', 'chat']);
      assert.deepEqual(words.map((d) => d.kind === 'insertion' && d.source), ['chat', 'chat']);
    });

    it('makes edits to a document that is not the active editor chat/likely, even small ones', () => {
      const [d] = new Attributor().observe(event(1000, [change(5, 'await ')], { isActiveEditor: false, recentlyTypedInDoc: false }));
      assert.deepEqual(d, { index: 0, kind: 'insertion', source: 'chat', confidence: 'likely', chars: 6, lines: 1 });
    });

    it('makes one document of a multi-file WorkspaceEdit chat/likely', () => {
      const [d] = new Attributor().observe(event(1000, [change(5, 'validate(input)')], { otherDocsChangedInSameTick: 2 }));
      assert.equal(d.kind === 'insertion' && d.source, 'chat');
    });

    it('makes chat-editing scheme edits chat, or agent in agent mode', () => {
      const chat = new Attributor().observe(event(1000, [change(0, 'x')], { chatEditingScheme: true }))[0];
      const agent = new Attributor().observe(event(1000, [change(0, 'x')], { chatEditingScheme: true, agentModeActive: true }))[0];
      assert.equal(chat.kind === 'insertion' && chat.source, 'chat');
      assert.equal(agent.kind === 'insertion' && agent.source, 'agent');
    });
  });

  describe('external writes', () => {
    it('makes a disk change without a VS Code save agent/possible', () => {
      const ds = new Attributor().noteExternalChange(doc, 1000, [change(0, twoLines), change(100, '', 20), change(200, '\n\n')]);
      assert.deepEqual(ds, [
        { index: 0, kind: 'insertion', source: 'agent', confidence: 'possible', chars: twoLines.length, lines: 3 },
        { index: 1, kind: 'ignore', why: 'deletion' },
        { index: 2, kind: 'ignore', why: 'format' },
      ]);
    });

    it('makes a reload from disk of an open document agent/possible, whatever the editor state', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, 'x')], { fromDisk: true }));
      assert.equal(d.kind === 'insertion' && d.source === 'agent' && d.confidence, 'possible');
    });

    it('counts one write seen by both the watcher and the document reload once, in either order', () => {
      const a = new Attributor();
      assert.equal(a.noteExternalChange(doc, 1000, [change(0, 'abc')])[0].kind, 'insertion');
      assert.deepEqual(a.observe(event(1200, [change(0, 'abc')], { fromDisk: true }))[0], { index: 0, kind: 'ignore', why: 'external' });
      const b = new Attributor();
      assert.equal(b.observe(event(1000, [change(0, 'abc')], { fromDisk: true }))[0].kind, 'insertion');
      assert.equal(b.noteExternalChange(doc, 1500, [change(0, 'abc')])[0].kind, 'ignore');
    });

    it('pairs each report with one echo only: a later reload is a new write', () => {
      const a = new Attributor();
      a.noteExternalChange(doc, 1000, [change(0, 'abc')]);
      a.observe(event(1100, [change(0, 'abc')], { fromDisk: true }));
      assert.equal(a.observe(event(1200, [change(3, 'def')], { fromDisk: true }))[0].kind, 'insertion');
    });

    it('counts two quick writes through the same path twice', () => {
      const a = new Attributor();
      a.noteExternalChange(doc, 1000, [change(0, 'abc')]);
      assert.equal(a.noteExternalChange(doc, 1500, [change(3, 'def')])[0].kind, 'insertion');
    });

    it('ignores files rewritten by a git operation', () => {
      const [d] = new Attributor().observe(event(1000, [change(0, twoLines)], { fromDisk: true, vcsOperationInFlight: true }));
      assert.deepEqual(d, { index: 0, kind: 'ignore', why: 'vcs' });
    });
  });

  describe('typed runs', () => {
    it('becomes a typed insertion at the first line break after typed text, then extends', () => {
      const attr = new Attributor();
      const ds = type(attr, 100, 'x = 1;\ny', 1000);
      assert.deepEqual(ds.slice(0, 6), [...'x = 1;'].map(() => ({ index: 0, kind: 'typed', chars: 1 })));
      assert.deepEqual(ds[6], { index: 0, kind: 'insertion', source: 'typed', confidence: 'certain', chars: 7, lines: 1, runStart: 100 });
      assert.deepEqual(ds[7], { index: 0, kind: 'insertion', source: 'typed', confidence: 'certain', chars: 1, lines: 0, extendsPrevious: true });
      const [enter] = attr.observe(event(5000, [change(108, '\n')]));
      assert.equal(enter.kind === 'insertion' && enter.extendsPrevious && enter.lines, 1);
    });

    it('keeps the run through backspaces and auto-closed pairs inside it', () => {
      const attr = new Attributor();
      type(attr, 0, 'foo', 1000);
      attr.observe(event(1500, [change(2, '', 1)])); // backspace: "fo"
      attr.observe(event(1600, [change(2, '()')])); // auto-closed pair: "fo()"
      type(attr, 3, 'a', 1700); // inside the pair: "fo(a)"
      const [d] = attr.observe(event(1800, [change(5, ';\n')]));
      assert.deepEqual(d, { index: 0, kind: 'insertion', source: 'typed', confidence: 'certain', chars: 7, lines: 1, runStart: 0 });
    });

    it('needs typed text before the line break: Enter then a few characters is not a line yet', () => {
      const attr = new Attributor();
      const ds = [attr.observe(event(1000, [change(50, '\n    ')]))[0], ...type(attr, 55, 'foo', 1200)];
      assert.deepEqual(
        ds.map((d) => d.kind),
        ['typed', 'typed', 'typed', 'typed'],
      );
    });

    it('breaks the run after a long pause', () => {
      const attr = new Attributor();
      type(attr, 0, 'foo', 1000);
      const [d] = attr.observe(event(1000 + 31_000, [change(3, '\n')]));
      assert.deepEqual(d, { index: 0, kind: 'typed', chars: 1 });
    });

    it('starts a new run when the developer types somewhere else', () => {
      const attr = new Attributor();
      type(attr, 0, 'foo', 1000);
      type(attr, 500, 'bar', 2000);
      const [d] = attr.observe(event(3000, [change(503, '\n')]));
      assert.equal(d.kind === 'insertion' && d.runStart === 500 && d.chars, 4);
    });

    it('shifts the run for an edit before it and breaks it for an edit over it', () => {
      const shifted = new Attributor();
      type(shifted, 100, 'foo', 1000);
      shifted.observe(event(1500, [change(0, ' '.repeat(10))], { formatOrRefactorInFlight: true }));
      const [d] = shifted.observe(event(1600, [change(113, '\n')]));
      assert.equal(d.kind === 'insertion' && d.runStart, 110);

      const atStart = new Attributor();
      type(atStart, 100, 'foo', 1000);
      atStart.observe(event(1500, [change(100, ' '.repeat(8))], { formatOrRefactorInFlight: true }));
      assert.equal(atStart.observe(event(1600, [change(111, '\n')]))[0].kind, 'insertion');

      const deletedBefore = new Attributor();
      type(deletedBefore, 100, 'foo', 1000);
      deletedBefore.observe(event(1500, [change(0, '', 40)]));
      assert.equal(deletedBefore.observe(event(1600, [change(63, '\n')]))[0].kind, 'insertion');

      const broken = new Attributor();
      type(broken, 100, 'foo', 1000);
      broken.observe(event(1500, [change(101, 'xx', 1)], { formatOrRefactorInFlight: true }));
      assert.equal(broken.observe(event(1600, [change(103, '\n')]))[0].kind, 'typed');
    });

    it('is broken by an undo and by an accept in the same place', () => {
      const undone = new Attributor();
      type(undone, 0, 'foo', 1000);
      undone.observe(event(1500, [change(2, '', 1)], { reason: 'undo' }));
      assert.equal(undone.observe(event(1600, [change(2, '\n')]))[0].kind, 'typed');

      const accepted = new Attributor();
      type(accepted, 0, 'foo', 1000);
      accepted.noteAcceptIntent(doc, 'full', 1500);
      accepted.observe(event(1510, [change(3, '(bar)')]));
      assert.equal(accepted.observe(event(1600, [change(8, '\n')]))[0].kind, 'typed');
    });

    it('is broken by another insertion in the document, even away from the run', () => {
      const attr = new Attributor();
      type(attr, 0, 'foo', 1000);
      attr.observe(event(1500, [change(500, twoLines)], { clipboardText: twoLines }));
      assert.equal(attr.observe(event(1600, [change(3, '\n')]))[0].kind, 'typed');
    });

    it('does not build runs from multi-cursor typing', () => {
      const attr = new Attributor();
      attr.observe(event(1000, [change(20, 'a;'), change(10, 'a;')], { cursorOffsets: [10, 20] }));
      const ds = attr.observe(event(1100, [change(22, '\n'), change(11, '\n')], { cursorOffsets: [11, 22] }));
      assert.deepEqual(
        ds.map((d) => d.kind),
        ['typed', 'typed'],
      );
    });

    it('forgets a closed document', () => {
      const attr = new Attributor();
      type(attr, 0, 'foo', 1000);
      attr.forget(doc);
      assert.equal(attr.observe(event(1500, [change(3, '\n')]))[0].kind, 'typed');
    });
  });
});
