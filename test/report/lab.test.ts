/**
 * The notebooks through JupyterLab's own server, as `npm run lab` starts
 * it: every committed notebook opened and saved back through the
 * contents API is unchanged byte for byte, and so is a notebook whose
 * figures JupyterLab's plotly renderer has drawn (it writes a PNG
 * snapshot into each; the save hook drops it). Needs the JupyterLab that
 * `npm run lab` would use (.cache/jupyter, made by `npm run setup` where
 * pip can install it); skipped with the reason otherwise.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { findJupyter, HOOK_DIR, labArgs, labEnv, SAVE_HOOK } from "../../scripts/lab";
import { PLOTLY_MIME, REPORT_KEY } from "../../lib/report/types";
import { ROOT, tempDir } from "./helpers";

const JUPYTER = findJupyter();
const skip = JUPYTER !== null ? false
  : "no JupyterLab found (`npm run lab -- --prepare` makes one in .cache/jupyter)";
const TOKEN = "sgdl-test";

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      s.close(() => (typeof addr === "object" && addr ? res(addr.port) : rej(new Error("no port"))));
    });
  });
}

describe("npm run lab's command line", () => {
  it("adds --allow-root only as root, the save hook always, notebooks/ unless a path is given", () => {
    const hook = `--ContentsManager.pre_save_hook=${SAVE_HOOK}`;
    const nbs = join(ROOT, "notebooks");
    assert.deepEqual(labArgs([], 0), ["lab", hook, "--allow-root", nbs]);
    assert.deepEqual(labArgs(["--port", "9000"], 1000), ["lab", hook, "--port", "9000", nbs]);
    assert.deepEqual(labArgs(["--allow-root", ROOT], 0), ["lab", hook, "--allow-root", ROOT]);
    assert.match(String(labEnv()["PYTHONPATH"]), new RegExp(`^${HOOK_DIR}`));
  });
});

interface Model { type: string; format: string; content: { cells: Cell[] } }
interface Cell { outputs?: { data?: Record<string, unknown>; metadata?: Record<string, unknown> }[] }

describe("notebooks through JupyterLab's server (npm run lab)", { skip }, () => {
  const tmp = tempDir("lab");
  let server: ChildProcess | undefined;
  let base = "";
  const names = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();

  const api = async (path: string, init: RequestInit = {}, query = ""): Promise<Response> => {
    const r = await fetch(`${base}/api/contents/${encodeURIComponent(path)}${query}`, {
      ...init, headers: { Authorization: `token ${TOKEN}`, "Content-Type": "application/json" },
    });
    assert.ok(r.ok, `${init.method ?? "GET"} ${path}: ${r.status} ${await r.clone().text()}`);
    return r;
  };
  const roundTrip = async (name: string, edit: (m: Model) => void = () => {}) => {
    const model = (await (await api(name, {}, "?content=1")).json()) as Model;
    edit(model);
    await api(name, { method: "PUT", body: JSON.stringify({
      type: "notebook", format: "json", content: model.content }) });
  };

  before(async () => {
    for (const n of names) copyFileSync(join(ROOT, "notebooks", n), join(tmp.dir, n));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(JUPYTER!, [
      "server", `--ContentsManager.pre_save_hook=${SAVE_HOOK}`, "--allow-root", "--no-browser",
      `--port=${port}`, "--ip=127.0.0.1", `--IdentityProvider.token=${TOKEN}`,
      `--ServerApp.root_dir=${tmp.dir}`,
    ], {
      env: { ...labEnv(), JUPYTER_CONFIG_DIR: join(tmp.dir, ".config"),
        JUPYTER_RUNTIME_DIR: join(tmp.dir, ".runtime") },
      stdio: "ignore",
    });
    for (let i = 0; i < 300; i++) {
      try {
        const r = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${TOKEN}` } });
        if (r.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("jupyter server did not start in 30 s");
  });
  after(() => {
    server?.kill("SIGTERM");
    tmp.remove();
  });

  it("saves every notebook back byte for byte", async () => {
    assert.ok(names.length >= 8);
    for (const n of names) {
      await roundTrip(n);
      assert.ok(readFileSync(join(tmp.dir, n)).equals(readFileSync(join(ROOT, "notebooks", n))),
        `${n} changed when saved through the contents API`);
    }
  });

  it("drops the plotly renderer's snapshot PNGs on save (viewing changes nothing)", async () => {
    assert.ok(existsSync(join(HOOK_DIR, "sgdl_jupyter.py")));
    const name = names.find((n) => n.startsWith("00-"))!;
    let figures = 0;
    await roundTrip(name, (m) => {
      for (const c of m.content.cells) {
        for (const o of c.outputs ?? []) {
          const rec = o.metadata?.[REPORT_KEY] as { kind?: string } | undefined;
          if (o.data && PLOTLY_MIME in o.data && rec?.kind === "figure") {
            o.data["image/png"] = "iVBORw0KGgo=";
            figures++;
          }
        }
      }
    });
    assert.ok(figures >= 2, "the notebook has figures");
    assert.ok(readFileSync(join(tmp.dir, name)).equals(readFileSync(join(ROOT, "notebooks", name))));
    // Other outputs keep what they carry: a PNG elsewhere is the user's.
    await roundTrip(name, (m) => {
      const o = m.content.cells.flatMap((c) => c.outputs ?? [])
        .find((x) => x.data && !(PLOTLY_MIME in x.data));
      if (o?.data) o.data["image/png"] = "iVBORw0KGgo=";
    });
    assert.match(readFileSync(join(tmp.dir, name), "utf8"), /"image\/png": "iVBORw0KGgo="/);
  });

  it("keeps the PNG a figure has on disk (notebooks rendered before figures dropped theirs)", async () => {
    const name = "old-format.ipynb";
    const nb = JSON.parse(readFileSync(join(ROOT, "notebooks", names.find((n) =>
      n.startsWith("00-"))!), "utf8")) as Model["content"];
    const figures = () => nb.cells.flatMap((c) => c.outputs ?? []).filter((o) =>
      o.data && PLOTLY_MIME in o.data);
    for (const o of figures()) {
      o.data!["image/png"] = "cnVubmVyJ3MgUE5H";
      o.metadata = { ...o.metadata, "image/png": { width: 720, height: 400 } };
    }
    writeFileSync(join(tmp.dir, name), JSON.stringify(nb, null, 1) + "\n");
    await roundTrip(name, (m) => {
      for (const c of m.content.cells) {
        for (const o of c.outputs ?? []) {
          if (o.data && PLOTLY_MIME in o.data) o.data["image/png"] = "c25hcHNob3Q=";
        }
      }
    });
    const saved = JSON.parse(readFileSync(join(tmp.dir, name), "utf8")) as Model["content"];
    const pngs = saved.cells.flatMap((c) => c.outputs ?? []).filter((o) =>
      o.data && PLOTLY_MIME in o.data).map((o) => o.data!["image/png"]);
    assert.ok(pngs.length >= 2);
    assert.ok(pngs.every((p) => p === "cnVubmVyJ3MgUE5H"), `saved PNGs: ${pngs.join(", ")}`);
  });
});
