import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { drawClip, DEFAULT_KEYWORDS, generateKeywords } from "../../lib/data";
import { loadKeywords, readWav } from "../../lib/data";
import { tempDir } from "./helpers";

const tools = ["espeak-ng", "flite", "sox"].filter(
  (t) => spawnSync(t, ["--version"], { stdio: "ignore" }).error !== undefined,
);
const skip = tools.length > 0 ? `missing ${tools.join(", ")} (Debian packages)` : false;

/** Every file below dir (sorted) with its bytes. */
function files(dir: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push([r, readFileSync(join(dir, r))]);
    }
  };
  walk("");
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

test("clip parameters are a pure function of (seed, word, index)", () => {
  const cfg = { ...DEFAULT_KEYWORDS, seed: 4 };
  assert.deepEqual(drawClip(cfg, 2, 5), drawClip(cfg, 2, 5));
  assert.notDeepEqual(drawClip(cfg, 2, 5), drawClip({ ...cfg, seed: 5 }, 2, 5));
  const c = drawClip(cfg, 0, 0);
  assert.ok(c.args.speed >= 110 && c.args.speed <= 230);
  assert.ok(c.snrDb >= 5 && c.snrDb <= 40);
  assert.match(c.file, /^yes\/[0-9a-f]{8}_nohash_0\.wav$/);
});

const title = "keyword stand-in: same seed, same bytes; the Speech Commands loader reads it";
test(title, { skip }, async () => {
  const t = tempDir();
  try {
    const config = { words: ["yes", "no", "stop"], perWord: 4, seed: 7 };
    const a = await generateKeywords({ dir: join(t.dir, "a"), config });
    const b = await generateKeywords({ dir: join(t.dir, "b"), config });
    const fa = files(a.dir);
    const fb = files(b.dir);
    assert.equal(fa.length, 3 * 4 + 3); // clips + two lists + manifest
    assert.deepEqual(fa.map((f) => f[0]), fb.map((f) => f[0]));
    for (let i = 0; i < fa.length; i++) assert.ok(fa[i]![1].equals(fb[i]![1]), fa[i]![0]);
    assert.equal(a.manifest.treeHash, b.manifest.treeHash);
    // idempotent: a second run verifies instead of regenerating
    assert.equal((await generateKeywords({ dir: a.dir, config })).status, "present");
    // another seed, other audio
    const c = await generateKeywords({ dir: join(t.dir, "c"), config: { ...config, seed: 8 } });
    assert.notEqual(c.manifest.treeHash, a.manifest.treeHash);
    // 1 s at 16 kHz, not silent
    const wav = readWav(fa.find((f) => f[0].endsWith(".wav"))![1]);
    assert.equal(wav.sampleRate, 16000);
    assert.equal(wav.samples.length, 16000);
    assert.ok(wav.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0) > 0.1);
    const d = await loadKeywords({ dir: a.dir });
    assert.equal(d.standIn?.for, "speech-commands");
    assert.deepEqual(d.classNames, ["no", "stop", "yes"]);
    assert.equal(d.train.n + d.validation.n + d.test.n, 12);
    assert.deepEqual([d.train.frames, d.train.mels], [98, 40]);
  } finally {
    t.done();
  }
});
