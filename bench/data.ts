/**
 * Input-pipeline throughput: images/s for the paper's augmentation
 * (4-px reflect pad, random crop, flip) + per-channel normalisation into
 * Float32 NHWC batches of 128, and the same without augmentation; log-mel
 * clips/s. Uses CIFAR-10 when present (else random bytes of its shape).
 * Training runs at ~50-100 images/s here: the pipeline must be far above.
 *   npx tsx bench/data.ts [--seconds 3]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  channelStats,
  cifar10Dir,
  imageBatches,
  loadCifar10,
  logMelExtractor,
  PAPER_AUGMENT,
  Rng,
} from "../lib/data";
import type { ImageSplit } from "../lib/data";

const arg = process.argv.indexOf("--seconds");
const SECONDS = arg > 0 ? Number(process.argv[arg + 1]) : 3;
const shape = { height: 32, width: 32, channels: 3 };

async function data(): Promise<{ split: ImageSplit; what: string }> {
  if (existsSync(join(cifar10Dir(), "test_batch.bin"))) {
    const d = await loadCifar10({ verify: false });
    return { split: d.train, what: "CIFAR-10 train (50,000 images)" };
  }
  const rng = new Rng(0);
  const n = 50000;
  const images = Uint8Array.from({ length: n * 3072 }, () => rng.int(256));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  return { split: { n, images, labels }, what: "random bytes (CIFAR-10 absent)" };
}

function measure(label: string, epoch: () => number) {
  epoch(); // warm-up
  let images = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) images += epoch();
  const s = (performance.now() - t0) / 1000;
  const rate = images / s;
  process.stdout.write(`${label.padEnd(44)} ${rate.toFixed(0).padStart(8)} images/s\n`);
  return rate;
}

const { split, what } = await data();
const stats = channelStats(split, 3);
process.stdout.write(`data: ${what}; batch 128; ${SECONDS} s per measurement\n`);
const rng = new Rng(1);
const epochOf = (augment: boolean) => () => {
  let n = 0;
  for (const b of imageBatches(split, shape, {
    batchSize: 128,
    rng,
    stats,
    augment: augment ? PAPER_AUGMENT : false,
  })) {
    n += b.size;
  }
  return n;
};
const aug = measure("shuffle + augment + normalise -> Float32", epochOf(true));
measure("shuffle + normalise (no augmentation)", epochOf(false));

const ex = logMelExtractor();
const wave = Float32Array.from({ length: 16000 }, () => rng.normal() * 0.1);
const out = new Float32Array(98 * 40);
const t0 = performance.now();
let clips = 0;
while (performance.now() - t0 < 1000) {
  ex.compute(wave, out, 0);
  clips++;
}
const cps = clips / ((performance.now() - t0) / 1000);
const label = "log-mel 98x40 from 1 s at 16 kHz".padEnd(44);
process.stdout.write(`${label} ${cps.toFixed(0).padStart(8)} clips/s\n`);
process.stdout.write(
  `augmented pipeline / training (~100 images/s): ${(aug / 100).toFixed(0)}x headroom\n`,
);
