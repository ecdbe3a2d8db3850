/** A seeded random source: numbers in [0, 1), the same sequence for the same seed on any machine. */
export type Random = () => number;

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG — for synthetic data and reproducible tests, never for secrets. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
