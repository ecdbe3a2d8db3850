import assert from 'node:assert/strict';
import { noteRedactor, redactNote, redactedMark, vocabularyTerms } from '../../src/core/redact';

const r = redactedMark;

describe('redactNote', () => {
  describe('shapes (no vocabulary needed)', () => {
    const cases: [string, string][] = [
      ['mail jane.doe@acme.io today', `mail ${r} today`],
      ['ask j.doe+retro@mail.acme-corp.co.uk.', `ask ${r}.`],
      ['from <jane@acme.io>, thanks', `from <${r}>, thanks`],
      ['root@buildbox said no', `${r} said no`],
      ['see https://git.acme.io/acme-billing/-/merge_requests/42?tab=diffs#note_1', `see ${r}`],
      ['HTTP://ACME.IO/X is down', `${r} is down`],
      ['clone ssh://git@git.acme.io:2222/acme/billing.git', `clone ${r}`],
      ['remote git@github.com:acme/billing.git', `remote ${r}`],
      ['open vscode://acme.tools/open?x=1 then', `open ${r} then`],
      ['[the PR](https://git.acme.io/pr/7) was merged', `[the ${r}) was merged`],
      ['deployed to foo.example.com and www.acme.io', `deployed to ${r} and ${r}`],
      ['server localhost:8080 and buildbox-7:22 hung', `server ${r} and ${r} hung`],
      ['ip 10.0.12.7 and 192.168.1.20:5432', `ip ${r} and ${r}`],
      ['edited /home/jane/acme/billing.ts', `edited ${r}`],
      ['in ~/work/acme and ./scripts/run.sh and ../shared/lib', `in ${r} and ${r} and ${r}`],
      ['relative src/payments/stripeClient.ts line 4', `relative ${r} line 4`],
      ['windows C:\\Users\\jane\\acme\\main.cs and .\\tools\\x.ps1', `windows ${r} and ${r}`],
      ['share \\\\fileserver\\team\\notes', `share ${r}`],
      ['renamed stripeClient.ts and .env and Dockerfile.dev', `renamed ${r} and ${r} and ${r}`],
      ['thanks @jane-doe and @acme/billing-ui', `thanks ${r} and ${r}`],
      ['(see src/a/b.ts).', `(see ${r}).`],
      ['"docs/setup.md",', `"${r}",`],
      ["buildbox.acme.io's uptime", `${r} uptime`],
      ['call client.ts() or (stripe.charges.create)', `call ${r}() or (${r})`],
      ["localhost:8080's queue", `${r} queue`],
      ['see:https://x.io/a', r],
    ];
    for (const [input, expected] of cases) {
      it(`redacts ${JSON.stringify(input)}`, () => {
        assert.equal(redactNote(input, []), expected);
      });
    }
  });

  describe('prose it keeps', () => {
    const kept = [
      'Good scaffold, kept it: e.g. the retry loop, i.e. most of it.',
      'Took 3.5 hours; 3/5 tests passed on the 2nd try (version 1.2.3), 2.5x slower at 10:30.',
      'Rewrote it twice — not worth it!',
      'Mixed feelings: fast, but 40% rework.',
      '',
    ];
    for (const text of kept) {
      it(`keeps ${JSON.stringify(text)}`, () => {
        assert.equal(redactNote(text, []), text);
      });
    }

    it('redacts slash and dotted prose, erring on the side of privacy', () => {
      assert.equal(redactNote('and/or Node.js', []), `${r} ${r}`);
    });
  });

  describe('workspace vocabulary', () => {
    it('redacts an entry as a whole word, case-insensitively', () => {
      const vocabulary = ['getUserById', 'acme-billing'];
      assert.equal(
        redactNote('GETUSERBYID() broke acme-billing\'s build; Acme-Billing again', vocabulary),
        `${r}() broke ${r}'s build; ${r} again`,
      );
    });

    it('does not redact an entry inside a longer word', () => {
      assert.equal(redactNote('the billingsgate fish', ['billing']), 'the billingsgate fish');
    });

    it('redacts identifier parts and path segments longer than 3 characters', () => {
      const vocabulary = ['src/payments/stripeClient.ts', 'user_account_id', 'HTTPServerConfig'];
      assert.equal(
        redactNote('payments via the stripe client for a user account on the http server config', vocabulary),
        `${r} via the ${r} ${r} for a ${r} ${r} on the ${r} ${r} ${r}`,
      );
    });

    it('treats "_" as a separator, so parts of snake_case words are found', () => {
      assert.equal(redactNote('legacy_payments_v2 failed', ['payments']), `legacy_${r}_v2 failed`);
    });

    it('keeps short parts and bare numbers from identifiers', () => {
      // "get", "by", "id" are ≤ 3 characters and "2024" names nothing: they stay readable.
      assert.equal(redactNote('get it by id in 2024', ['getUserById', 'report2024']), 'get it by id in 2024');
    });

    it('ignores entries shorter than 3 characters', () => {
      assert.equal(redactNote('a db is a db', ['db', 'a']), 'a db is a db');
    });

    it('redacts the longest match first and leaves no fragment behind', () => {
      assert.equal(redactNote('stripeClient', ['stripe', 'stripeClient']), r);
    });

    it('matches entries holding punctuation literally, without their outer punctuation', () => {
      assert.equal(redactNote('the (acme)+[core] lib and acmeXcore', ['(acme)+[core]']), `the (${r}] lib and acmeXcore`);
    });

    it('handles non-ASCII names and multi-word folder names', () => {
      assert.equal(redactNote('Größenrechner broke in My Project', ['größenRechner', 'My Project']), `${r} broke in ${r}`);
    });

    it('applies shapes before the vocabulary, so an e-mail or URL holding a known name goes whole', () => {
      assert.equal(redactNote('see https://git.acme.io/acme-billing now', ['acme-billing']), `see ${r} now`);
      assert.equal(redactNote('ask jane.doe@acme.io or jane@acme', ['acme-billing']), `ask ${r} or ${r}`);
    });

    it('never nests marks, even for a vocabulary word "redacted"', () => {
      assert.equal(redactNote('redacted acme', ['redacted', 'acme']), `${r} ${r}`);
    });

    it('strips the internal placeholder character from the input', () => {
      assert.equal(redactNote('a\uE000b', []), 'ab');
    });
  });

  it('noteRedactor reuses one vocabulary for many notes', () => {
    const redact = noteRedactor(['acme-billing']);
    assert.equal(redact('acme-billing one'), `${r} one`);
    assert.equal(redact('two acme-billing'), `two ${r}`);
  });
});

describe('vocabularyTerms', () => {
  it('lists entries, segments and identifier parts, lower-cased and deduplicated', () => {
    assert.deepEqual(vocabularyTerms(['src/payments/stripeClient.ts', 'Payments']).sort(), [
      'client',
      'payments',
      'src/payments/stripeclient.ts',
      'stripe',
      'stripeclient',
      'stripeclient.ts',
    ]);
  });
});
