/**
 * Salted line hashes: how Hindsight recognises a line again without ever storing its
 * text. The salt is random per install, so a hash means nothing outside this machine.
 */

/** Hash of one line of text (a trailing `\r` is ignored), salted; 11 base-36 characters at most. */
export function hashLine(salt: string, line: string): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  // cyrb53: a fast, well-mixed 53-bit string hash; seeded by the salt's own hash.
  let h1 = 0xdeadbeef ^ saltSeed(salt);
  let h2 = 0x41c6ce57 ^ saltSeed(salt);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Hashes of every line of a text, split on `\n`. */
export function hashLines(salt: string, text: string): string[] {
  return text.split('\n').map((line) => hashLine(salt, line));
}

const seeds = new Map<string, number>();

function saltSeed(salt: string): number {
  let seed = seeds.get(salt);
  if (seed === undefined) {
    seed = 0;
    for (let i = 0; i < salt.length; i++) seed = Math.imul(seed ^ salt.charCodeAt(i), 0x5bd1e995) >>> 0;
    seeds.set(salt, seed);
  }
  return seed;
}
