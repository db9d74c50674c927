/**
 * Settings for Sections 4 and 5 at three profiles of one code path:
 *   smoke: seconds (tests, CI); cpu: the default, a minute or two per
 *   section on 2 cores; paper: N = 200 and fine grids as in Figure 2,
 *   more runs for tighter Monte Carlo bands.
 * `theorySettings(profile, overrides)` deep-merges overrides and rejects
 * unknown keys and wrong types (a notebook cell that tweaks one value
 * cannot silently misspell it).
 */

export type Profile = "smoke" | "cpu" | "paper";

export interface Theorem1Settings {
  /** Dimension d and components N of the least-squares problems. */
  dim: number;
  n: number;
  /** Target noise (standard deviation) of the noisy problem. */
  noise: number;
  batch: number;
  sampling: "with-replacement" | "without-replacement";
  /** Steps as fractions of the exact mean-square limit (used if no alphas). */
  alphaFractions: number[];
  /** Explicit steps (override the fractions). */
  alphas?: number[];
  runs: number;
  steps: number;
  /** Summarise every this many steps. */
  every: number;
  /** Start distance ||x0 - x*||. */
  r0: number;
  seed: number;
}

export interface Theorem2Settings {
  dim: number;
  n: number;
  batch: number;
  sampling: "with-replacement" | "without-replacement";
  gridSize: number;
  /** Largest step as a multiple of the exact mean-square limit. */
  gridMax: number;
  runs: number;
  steps: number;
  /** Contraction window is [burnIn, steps]. */
  burnIn: number;
  r0: number;
  seed: number;
}

export interface NonlinearSettings extends Omit<Theorem2Settings, "r0"> {
  /** Ball radius e as a fraction of lambda_min(H) / L (must be < 1). */
  radiusFraction: number;
  /** Start distance as a fraction of e. */
  r0Fraction: number;
}

export interface Theorem3Settings {
  problem: "least-squares" | "phase-retrieval";
  dim: number;
  n: number;
  batch: number;
  sampling: "with-replacement" | "without-replacement";
  /**
   * Ball radius e: for phase retrieval e = radiusFraction * lambda_min(H)
   * / L(0) (Theorem 2 needs H > L e I); least squares is scale-free
   * (L = 0) and uses e = radiusFraction.
   */
  radiusFraction: number;
  deltas: number[];
  /** Steps as fractions of the exact mean-square limit (used if no alphas). */
  alphaFractions: number[];
  alphas?: number[];
  runs: number;
  steps: number;
  seed: number;
}

export interface Figure2Settings {
  /** Number of samples = components = unknowns (paper figure: 200). */
  N: number;
  /** Regularisation weight mu. */
  mu: number;
  /** Noise standard deviation s of the data. */
  s: number;
  /** Difference order of D = L^T L (1: path Laplacian, 2: curvature). */
  order: 1 | 2;
  /** Sort z (a smooth curve to denoise) or keep the sampling order. */
  sortZ: boolean;
  tMin: number;
  tMax: number;
  gridSize: number;
  /** Step of the right panel (paper: 3.0). */
  tSolution: number;
  seed: number;
}

export interface ExamplesSettings {
  /** Example 1: dimension N of the quadratic and the t grid. */
  ex1: { N: number; tMax: number; gridSize: number };
  /** Example 2: under-determined least squares, N rows < n unknowns. */
  ex2: { N: number; n: number; tMax: number; gridSize: number; mu: number; seed: number };
  /** Example 3: regularised least squares with Gaussian rows. */
  ex3: { N: number; n: number; mu: number; tMaxFactor: number; gridSize: number; seed: number };
  /** Example 4: phase retrieval, IGD linearised at x*. */
  ex4: {
    dim: number;
    N: number;
    tMaxFactor: number;
    gridSize: number;
    passes: number;
    r0: number;
    seed: number;
  };
}

export interface TheorySettings {
  profile: Profile;
  section4: {
    theorem1: Theorem1Settings;
    theorem2: Theorem2Settings;
    nonlinear: NonlinearSettings;
    theorem3: Theorem3Settings;
  };
  section5: {
    figure2: Figure2Settings;
    examples: ExamplesSettings;
  };
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};
export type TheoryOverrides = DeepPartial<Omit<TheorySettings, "profile">>;

const SIZES = {
  smoke: { runs: 200, steps: 150, grid: 8, N: 40, t3runs: 200, n4: 40 },
  cpu: { runs: 1000, steps: 600, grid: 20, N: 200, t3runs: 1000, n4: 100 },
  paper: { runs: 4000, steps: 1000, grid: 40, N: 200, t3runs: 4000, n4: 200 },
} as const;

function base(profile: Profile): TheorySettings {
  const z = SIZES[profile];
  const sampling = "with-replacement" as const;
  return {
    profile,
    section4: {
      theorem1: {
        dim: 5,
        n: 100,
        noise: 0.5,
        batch: 1,
        sampling,
        alphaFractions: [0.1, 0.25, 0.5, 0.8],
        runs: z.runs,
        steps: z.steps,
        every: profile === "smoke" ? 4 : 2,
        r0: 1,
        seed: 1,
      },
      theorem2: {
        dim: 5,
        n: 100,
        batch: 1,
        sampling,
        gridSize: z.grid,
        gridMax: 1.6,
        runs: z.runs,
        steps: profile === "smoke" ? 60 : 150,
        burnIn: profile === "smoke" ? 20 : 50,
        r0: 1,
        seed: 2,
      },
      nonlinear: {
        dim: 4,
        n: z.n4,
        batch: 4,
        sampling,
        gridSize: z.grid,
        gridMax: 1.6,
        runs: z.runs,
        steps: profile === "smoke" ? 60 : 150,
        burnIn: profile === "smoke" ? 20 : 50,
        radiusFraction: 0.25,
        r0Fraction: 0.5,
        seed: 3,
      },
      theorem3: {
        problem: "phase-retrieval",
        dim: 4,
        n: z.n4,
        batch: 1,
        sampling,
        radiusFraction: 0.25,
        deltas: [0.05, 0.2, 0.5, 0.8, 0.95],
        alphaFractions: [0.25, 0.75, 1.25],
        runs: z.t3runs,
        steps: profile === "smoke" ? 100 : 400,
        seed: 4,
      },
    },
    section5: {
      figure2: {
        N: z.N,
        // mu = 10 at N = 200; smaller N keeps the same smoothing length
        // on the unit z-interval: mu ~ N^2 (0.4 at the smoke N = 40)
        mu: 10 * (z.N / 200) ** 2,
        s: 0.05,
        order: 1,
        sortZ: true,
        tMin: 0.05,
        tMax: 4,
        gridSize: profile === "smoke" ? 9 : profile === "cpu" ? 40 : 80,
        tSolution: 3,
        seed: 5,
      },
      examples: {
        ex1: { N: profile === "smoke" ? 5 : 20, tMax: 1.5, gridSize: profile === "smoke" ? 7 : 31 },
        ex2: { N: 12, n: 20, tMax: 3, gridSize: profile === "smoke" ? 7 : 31, mu: 1, seed: 6 },
        ex3: {
          N: profile === "smoke" ? 20 : 100,
          n: profile === "smoke" ? 10 : 50,
          mu: 1,
          tMaxFactor: 1.5,
          gridSize: profile === "smoke" ? 12 : 60,
          seed: 7,
        },
        ex4: {
          dim: 4,
          N: profile === "smoke" ? 20 : 60,
          tMaxFactor: 1.5,
          gridSize: profile === "smoke" ? 12 : 60,
          passes: profile === "smoke" ? 50 : 200,
          r0: 1e-3,
          seed: 8,
        },
      },
    },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Optional keys that may be added although absent from the defaults. */
const OPTIONAL_KEYS = new Set(["alphas"]);

/** Settings restricted to a few values. */
const CHOICES: Record<string, readonly unknown[]> = {
  sampling: ["with-replacement", "without-replacement"],
  problem: ["least-squares", "phase-retrieval"],
  order: [1, 2],
};

function merge(target: Record<string, unknown>, patch: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    const where = path ? `${path}.${key}` : key;
    if (value === undefined) continue;
    if (!(key in target)) {
      if (OPTIONAL_KEYS.has(key) && Array.isArray(value) && value.every((x) => typeof x === "number")) {
        target[key] = value.slice();
        continue;
      }
      throw new Error(`theorySettings: unknown setting "${where}"`);
    }
    const current = target[key];
    if (isPlainObject(current)) {
      if (!isPlainObject(value)) throw new Error(`theorySettings: "${where}" must be an object`);
      merge(current, value, where);
    } else if (Array.isArray(current)) {
      if (!Array.isArray(value) || !value.every((x) => typeof x === typeof current[0])) {
        throw new Error(`theorySettings: "${where}" must be an array of ${typeof current[0]}`);
      }
      target[key] = value.slice();
    } else {
      if (typeof value !== typeof current) {
        throw new Error(`theorySettings: "${where}" must be a ${typeof current}, got ${typeof value}`);
      }
      if (typeof value === "number" && !Number.isFinite(value)) {
        throw new Error(`theorySettings: "${where}" must be finite`);
      }
      const choices = CHOICES[key];
      if (choices !== undefined && !choices.includes(value)) {
        const list = choices.map((c) => JSON.stringify(c)).join(", ");
        throw new Error(`theorySettings: "${where}" must be one of ${list}`);
      }
      target[key] = value;
    }
  }
}

/** The settings of a profile, with validated overrides. */
export function theorySettings(profile: Profile | string = "cpu", overrides: TheoryOverrides = {}): TheorySettings {
  if (!(profile in SIZES)) throw new Error(`theorySettings: unknown profile "${String(profile)}"`);
  const s = base(profile as Profile);
  merge(s as unknown as Record<string, unknown>, overrides as Record<string, unknown>, "");
  return s;
}
