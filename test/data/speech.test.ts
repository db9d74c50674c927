import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  DEFAULT_LOGMEL,
  featureBatches,
  fft,
  fftPlan,
  listSpeechCommands,
  loadSpeechCommands,
  logMel,
  melFilters,
  whichSet,
  writeWav16,
} from "../../lib/data";
import { Rng } from "../../lib/data/rng";
import { tempDir } from "./helpers";

test("FFT equals the naive DFT", () => {
  const n = 16;
  const rng = new Rng(2);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const re = Float64Array.from(x);
  const im = new Float64Array(n);
  fft(fftPlan(n), re, im);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      sr += x[j]! * Math.cos((2 * Math.PI * j * k) / n);
      si -= x[j]! * Math.sin((2 * Math.PI * j * k) / n);
    }
    assert.ok(Math.abs(re[k]! - sr) < 1e-9 && Math.abs(im[k]! - si) < 1e-9);
  }
});

test("log-mel: 98 x 40 for 1 s; a 1 kHz tone peaks in the 1 kHz band", () => {
  const wave = Float32Array.from(
    { length: 16000 },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000),
  );
  const f = logMel(wave);
  assert.equal(f.length, 98 * 40);
  const row = Array.from(f.subarray(40 * 50, 40 * 51));
  const best = row.indexOf(Math.max(...row));
  const filters = melFilters(DEFAULT_LOGMEL);
  const { start, w } = filters[best]!;
  const peakBin = start + w.indexOf(Math.max(...w));
  const hz = (peakBin * 16000) / 512;
  assert.ok(Math.abs(hz - 1000) < 100, `band centre ${hz} Hz`);
  assert.ok(Number.isFinite(logMel(new Float32Array(16000))[0]!)); // silence: log floor
});

test("whichSet follows the official SHA-1 speaker rule (values from Python)", () => {
  // tensorflow/examples speech_commands input_data.which_set, run in
  // Python on w/spk<i>_nohash_0.wav, i = 0..59
  const val = [5, 7, 10, 16, 19, 21, 24, 25, 31, 34, 56];
  const tst = [30, 36];
  for (let i = 0; i < 60; i++) {
    const want = val.includes(i) ? "validation" : tst.includes(i) ? "testing" : "training";
    assert.equal(whichSet(`w/spk${i}_nohash_0.wav`), want, `spk${i}`);
  }
  assert.equal(whichSet("a/spk5_nohash_9.wav"), "validation"); // speaker, not file
});

function writeSpeech(dir: string) {
  const words = ["no", "yes"];
  for (const [w, word] of words.entries()) {
    mkdirSync(join(dir, word), { recursive: true });
    for (let k = 0; k < 4; k++) {
      const len = k === 3 ? 12000 : 16000; // official clips may be shorter
      const s = Float32Array.from({ length: len }, (_, i) => 0.3 * Math.sin(i * (0.05 + 0.1 * w)));
      writeFileSync(join(dir, word, `spk${k}_nohash_0.wav`), writeWav16(s, 16000));
    }
  }
  mkdirSync(join(dir, "_background_noise_"));
  const noise = writeWav16(new Float32Array(100), 16000);
  writeFileSync(join(dir, "_background_noise_", "white.wav"), noise);
  writeFileSync(join(dir, "validation_list.txt"), "no/spk1_nohash_0.wav\nyes/spk1_nohash_0.wav\n");
  writeFileSync(join(dir, "testing_list.txt"), "yes/spk2_nohash_0.wav\n");
}

test("Speech Commands loader: folders, official lists, log-mel features", async () => {
  const t = tempDir();
  try {
    writeSpeech(t.dir);
    const idx = listSpeechCommands(t.dir);
    assert.deepEqual(idx.classNames, ["no", "yes"]);
    assert.deepEqual(idx.validation.files, ["no/spk1_nohash_0.wav", "yes/spk1_nohash_0.wav"]);
    assert.deepEqual(idx.test.files, ["yes/spk2_nohash_0.wav"]);
    assert.equal(idx.train.files.length, 5);
    const d = await loadSpeechCommands({ dir: t.dir });
    assert.equal(d.standIn, null);
    assert.deepEqual([d.train.n, d.validation.n, d.test.n], [5, 2, 1]);
    assert.deepEqual([d.train.frames, d.train.mels], [98, 40]);
    assert.deepEqual(Array.from(d.test.labels), [1]);
    const [b] = [...featureBatches(d.train, { batchSize: 4, shuffle: false })];
    assert.deepEqual(b!.shape, [4, 98, 40, 1]);
    const sub = listSpeechCommands(t.dir, { words: ["yes"], maxPerClass: 1 });
    assert.equal(sub.train.files.length, 1);
    assert.throws(
      () => listSpeechCommands(t.dir, { words: ["stop"] }),
      /no folder for word "stop"/,
    );
  } finally {
    t.done();
  }
});

test("Speech Commands: wrong sample rate names the file", async () => {
  const t = tempDir();
  try {
    writeSpeech(t.dir);
    const slow = writeWav16(new Float32Array(8000), 8000);
    writeFileSync(join(t.dir, "yes", "spk0_nohash_0.wav"), slow);
    await assert.rejects(
      loadSpeechCommands({ dir: t.dir }),
      /spk0_nohash_0\.wav: sample rate 8000, want 16000/,
    );
  } finally {
    t.done();
  }
});
