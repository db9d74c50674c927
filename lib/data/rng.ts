/**
 * Seeded pseudo-random numbers for the data pipeline.
 *
 * xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018): 128 bits of state, period 2^128 - 1, fast in plain
 * 32-bit integer arithmetic. The state is four uint32 words, so a trainer
 * can save it in a checkpoint (`rng.state()`) and resume the exact stream
 * (`Rng.fromState(s)`). Seeds are expanded with splitmix32.
 */

/** Serialisable generator state (plain JSON). */
export interface RngState {
  algorithm: "xoshiro128**";
  s: [number, number, number, number];
}

/** One round of splitmix32: a good 32-bit mixer for seeding. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Mixes a seed and any number of integer keys into one uint32. */
export function mixSeed(seed: number, ...keys: number[]): number {
  let h = splitmix32(seed >>> 0 ^ Math.floor(seed / 2 ** 32));
  for (const k of keys) {
    h = splitmix32(h ^ splitmix32(k >>> 0 ^ Math.floor(k / 2 ** 32)));
  }
  return h;
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export class Rng {
  private s: Uint32Array;

  /** A generator seeded from a (safe) integer. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`Rng: seed must be a safe integer, got ${seed}`);
    }
    this.s = new Uint32Array(4);
    let x = mixSeed(seed);
    for (let i = 0; i < 4; i++) {
      x = splitmix32(x + i);
      this.s[i] = x;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) {
      this.s[0] = 1; // the all-zero state is a fixed point
    }
  }

  /** An independent generator for (seed, keys...): order-free streams. */
  static derive(seed: number, ...keys: number[]): Rng {
    return new Rng(mixSeed(seed, ...keys));
  }

  /** Restores a generator saved with `state()`. */
  static fromState(state: RngState): Rng {
    if (state.algorithm !== "xoshiro128**" || state.s.length !== 4) {
      throw new Error(`Rng.fromState: unknown state ${JSON.stringify(state)}`);
    }
    const r = new Rng(0);
    for (let i = 0; i < 4; i++) r.s[i] = state.s[i] >>> 0;
    return r;
  }

  /** A copy of the current state (plain numbers, JSON-safe). */
  state(): RngState {
    const s = this.s;
    return { algorithm: "xoshiro128**", s: [s[0], s[1], s[2], s[3]] };
  }

  /** An identical, independent copy. */
  clone(): Rng {
    return Rng.fromState(this.state());
  }

  /** A new generator seeded from this one's stream. */
  fork(): Rng {
    return new Rng(mixSeed(this.u32(), this.u32()));
  }

  /** Next uniform uint32. */
  u32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 random bits. */
  float(): number {
    return this.u32() * 2.3283064365386963e-10;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n), unbiased (rejection), n <= 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32 && Number.isInteger(n))) {
      throw new Error(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.u32();
    while (x >= limit) x = this.u32();
    return x % n;
  }

  /** True with probability p. */
  bernoulli(p = 0.5): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box-Muller; no cached spare, so state stays 4 words). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick: empty array");
    return items[this.int(items.length)] as T;
  }
}
