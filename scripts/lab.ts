/**
 * JupyterLab on this project's notebooks, set up as they need it.
 *
 *   npm run lab                    # JupyterLab on notebooks/
 *   npm run lab -- --port 9000     # other options go to `jupyter lab`
 *   npm run lab -- --prepare       # only make sure JupyterLab is there
 *
 * Which JupyterLab: $SGDL_JUPYTER (a `jupyter` executable), else the
 * project's own environment .cache/jupyter (made on first use: a Python
 * venv with jupyterlab and plotly, from your pip index; `npm run setup`
 * makes it too), else ~/.venvs/jupyter, else `jupyter` on PATH; the first
 * that has JupyterLab wins. Before starting it installs the project kernel
 * when it is missing, adds --allow-root when run as root, and sets the
 * save hook (scripts/jupyter/sgdl_jupyter.py) that keeps viewing a figure
 * from changing the notebook: JupyterLab's plotly renderer writes a PNG
 * snapshot into each figure it draws, and the hook drops it on save.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../lib/report/paths";
import { installKernel, kernelDir } from "./kernel";

/** The project's own JupyterLab environment. */
export const PROJECT_VENV = join(PROJECT_ROOT, ".cache", "jupyter");
/** The folder holding the save hook's Python module. */
export const HOOK_DIR = join(PROJECT_ROOT, "scripts", "jupyter");
export const SAVE_HOOK = "sgdl_jupyter.pre_save";
/** What the project's environment installs. */
const PACKAGES = ["jupyterlab", "plotly"];

class LabError extends Error {}

/** True when `jupyter` runs and has the lab command. */
function hasLab(jupyter: string): boolean {
  const r = spawnSync(jupyter, ["lab", "--version"], { encoding: "utf8", timeout: 60_000 });
  return r.status === 0;
}

/** The first JupyterLab found (see the header), or null. */
export function findJupyter(): string | null {
  const env = process.env["SGDL_JUPYTER"];
  if (env) {
    if (!hasLab(env)) throw new LabError(`SGDL_JUPYTER=${env} does not run \`jupyter lab\``);
    return env;
  }
  const candidates = [
    join(PROJECT_VENV, "bin", "jupyter"),
    join(homedir(), ".venvs", "jupyter", "bin", "jupyter"),
  ].filter((p) => existsSync(p));
  for (const c of [...candidates, "jupyter"]) if (hasLab(c)) return c;
  return null;
}

/** Python for the environment: Debian's, not a version manager's shim. */
function basePython(): string {
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

/**
 * Makes .cache/jupyter: a venv with JupyterLab and plotly. pip's own
 * configuration (index, mirrors) applies; one try per index, so an
 * index that cannot be reached fails in seconds instead of minutes.
 */
export function prepareVenv(): string {
  const jupyter = join(PROJECT_VENV, "bin", "jupyter");
  if (existsSync(jupyter) && hasLab(jupyter)) return jupyter;
  console.log(`[lab] installing JupyterLab and plotly into ${PROJECT_VENV} (about a minute) ...`);
  const venv = spawnSync(basePython(), ["-m", "venv", PROJECT_VENV], { encoding: "utf8" });
  if (venv.status !== 0) {
    throw new LabError("could not make a Python venv (Debian: apt-get install python3-venv): " +
      (venv.stderr.trim().split("\n").pop() ?? ""));
  }
  // JupyterLab runs .js files of its own with node; inside this project
  // (an ES module package) they would load as ES modules and fail.
  writeFileSync(join(PROJECT_VENV, "package.json"), '{ "type": "commonjs" }\n');
  const pip = spawnSync(join(PROJECT_VENV, "bin", "pip"), [
    "install", "--quiet", "--retries", "0", "--disable-pip-version-check", ...PACKAGES,
  ], { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
  if (pip.status !== 0 || !hasLab(jupyter)) {
    const why = pip.stderr.split("\n").filter((l) => /error/i.test(l)).pop() ?? "";
    throw new LabError(`pip could not install ${PACKAGES.join(" and ")} (${why.trim()}); ` +
      "install JupyterLab yourself and point SGDL_JUPYTER at its `jupyter`");
  }
  return jupyter;
}

/** The environment `jupyter lab` runs with: the save hook importable. */
export function labEnv(): NodeJS.ProcessEnv {
  const path = process.env["PYTHONPATH"];
  return { ...process.env, PYTHONPATH: path ? `${HOOK_DIR}:${path}` : HOOK_DIR };
}

/** The arguments after `jupyter`: lab, the hook, root when needed, the user's. */
export function labArgs(extra: string[], uid: number | undefined): string[] {
  const args = ["lab", `--ContentsManager.pre_save_hook=${SAVE_HOOK}`];
  if (uid === 0 && !extra.includes("--allow-root")) args.push("--allow-root");
  // A folder or notebook to open: an argument that names one (an option's
  // value, as in `--port 9000`, does not).
  const hasPath = extra.some((a) => !a.startsWith("-") && existsSync(a));
  return [...args, ...extra, ...(hasPath ? [] : [join(PROJECT_ROOT, "notebooks")])];
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("-h") || argv.includes("--help")) {
    console.log("usage: npm run lab -- [--prepare] [jupyter lab options...]");
    return 0;
  }
  const prepareOnly = argv.includes("--prepare");
  const jupyter = findJupyter() ?? prepareVenv();
  if (prepareOnly) {
    console.log(`[lab] JupyterLab ready: ${jupyter}`);
    return 0;
  }
  if (!existsSync(join(kernelDir([]), "kernel.json"))) installKernel([]);
  const child = spawn(jupyter, labArgs(argv, process.getuid?.()), {
    stdio: "inherit", env: labEnv(),
  });
  // Ctrl-C reaches Jupyter from the terminal; it asks before stopping.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return await new Promise<number>((res) => child.on("exit", (code) => res(code ?? 1)));
}

if (process.argv[1] && /lab\.ts$/.test(process.argv[1])) {
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(`lab: ${err instanceof LabError ? err.message : String(err)}`);
    process.exit(1);
  });
}
