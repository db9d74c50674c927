import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  brownPtbDir,
  brownSentences,
  brownToPtb,
  ChecksumError,
  EOS,
  loadBrownPtb,
  loadPtb,
  ptbWord,
} from "../../lib/data";
import { tempDir } from "./helpers";

// Mikolov's format: a leading space, words, a trailing space, newline.
const TRAIN = " the cat sat on the mat \n the dog sat \n";
const VALID = " the cat <unk> \n";
const TEST = " a dog \n";

test("PTB loader: vocabulary from train, <eos> per line, ids", async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, "ptb.train.txt"), TRAIN);
    writeFileSync(join(t.dir, "ptb.valid.txt"), " the cat sat \n");
    writeFileSync(join(t.dir, "ptb.test.txt"), " dog mat \n");
    const c = await loadPtb({ dir: t.dir, checksums: null });
    assert.deepEqual(c.vocab, ["the", "cat", "sat", "on", "mat", EOS, "dog"]);
    assert.deepEqual(Array.from(c.train), [0, 1, 2, 3, 0, 4, 5, 0, 6, 2, 5]);
    assert.deepEqual(Array.from(c.valid), [0, 1, 2, 5]);
    writeFileSync(join(t.dir, "ptb.test.txt"), TEST);
    await assert.rejects(
      loadPtb({ dir: t.dir, checksums: null }),
      /ptb\.test\.txt:1: word "a" is not in the vocabulary/,
    );
    writeFileSync(join(t.dir, "ptb.valid.txt"), VALID);
    await assert.rejects(loadPtb({ dir: t.dir }), (e: Error) => {
      assert.ok(e instanceof ChecksumError);
      assert.match(e.message, /ptb\.train\.txt: md5 mismatch/);
      assert.match(e.message, /expected f26c4b92c5fdc7b3f8c7cdcb991d8420, got [0-9a-f]{32}/);
      return true;
    });
  } finally {
    t.done();
  }
});

test("Brown -> PTB preprocessing of single tokens", () => {
  assert.equal(ptbWord("The/at"), "the");
  assert.equal(ptbWord("Atlanta's/np$"), "atlanta's");
  assert.equal(ptbWord(",/,"), null);
  assert.equal(ptbWord("``/``"), null);
  assert.equal(ptbWord("./."), null);
  assert.equal(ptbWord("1913/cd"), "N");
  assert.equal(ptbWord("3,000/cd"), "N");
  assert.equal(ptbWord("1/2/cd"), "N");
  assert.equal(ptbWord("$5/nns"), "N");
  assert.equal(ptbWord("one/cd"), "one");
  assert.equal(ptbWord("over-all/jj"), "over-all");
  assert.deepEqual(brownSentences("\n\n\tThe/at jury/nn said/vbd ./.\n\n\t``/`` 12/cd ''/''\n"), [
    ["the", "jury", "said"],
    ["N"],
  ]);
});

test("Brown -> PTB: split by file, vocabulary cap, <unk>", () => {
  const files = new Map<string, string>();
  for (let i = 0; i < 20; i++) {
    files.set(`ca${String(i).padStart(2, "0")}`, `\tThe/at word${i}/nn common/jj ./.\n`);
  }
  const { texts, stats } = brownToPtb(files, { seed: 3, vocabSize: 3 });
  assert.deepEqual(
    [stats.files.train.length, stats.files.valid.length, stats.files.test.length],
    [17, 1, 2],
  );
  // kept: "common", "the" (most frequent) + <unk>
  assert.equal(stats.vocab, 3);
  assert.match(texts["ptb.train.txt"]!, /^ the <unk> common \n/);
  const again = brownToPtb(files, { seed: 3, vocabSize: 3 });
  assert.deepEqual(again.stats.files, stats.files);
});

const haveBrown = existsSync(join(brownPtbDir(), "manifest.json"));

test(
  "Brown PTB stand-in (real): pinned checksums, 10k ids, token counts",
  { skip: haveBrown ? false : "absent: run `npm run data -- brown-ptb` first" },
  async () => {
    const c = await loadBrownPtb(); // verifies the pinned MD5s
    assert.equal(c.standIn?.for, "ptb");
    assert.equal(c.vocab.length, 10000);
    assert.ok(c.vocab.includes("<unk>") && c.vocab.includes("N"));
    assert.deepEqual([c.train.length, c.valid.length, c.test.length], [905829, 78981, 81055]);
  },
);
