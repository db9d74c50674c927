/**
 * Installs the project's Jupyter kernel, "SGDL (TypeScript)" (name
 * sgdl-ts): tslab started from the project root by
 * scripts/kernel-launch.cjs, so notebooks import lib/ as
 * `import { sgd } from "./lib/optim"`. No Python is needed to install it;
 * the kernelspec is a kernel.json in a folder Jupyter searches.
 *
 *   npm run kernel:install                      # per user (Jupyter's data dir)
 *   npm run kernel:install -- --prefix /opt/x   # <prefix>/share/jupyter/kernels
 *   npm run kernel:install -- --dir D           # D/sgdl-ts exactly
 *   tsx scripts/kernel.ts uninstall [same options]
 *   tsx scripts/kernel.ts show                  # the kernel.json it would write
 *
 * Per-user location: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter on
 * Linux ($XDG_DATA_HOME/jupyter when set), ~/Library/Jupyter on macOS,
 * %APPDATA%\jupyter on Windows. The kernel.json holds this checkout's
 * launcher and this node binary: re-run after moving either. One install
 * serves every checkout: the launcher runs a notebook with the launcher,
 * lib/ and tslab of the checkout the notebook is in (scripts/
 * kernel-launch.cjs, delegateToCheckout), so installing from a second
 * checkout never retargets the first one's notebooks.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { KERNEL_NAME, KERNELSPEC } from "../lib/report/notebook/format";
import { LAUNCHER } from "../lib/report/notebook/kernel";

/** Jupyter's per-user data folder. */
export function userDataDir(): string {
  const env = process.env["JUPYTER_DATA_DIR"];
  if (env) return resolve(env);
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") {
    return join(process.env["APPDATA"] ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  }
  const xdg = process.env["XDG_DATA_HOME"];
  return join(xdg ? resolve(xdg) : join(homedir(), ".local", "share"), "jupyter");
}

/** The kernel.json: node, the launcher, Jupyter's connection file. */
export function kernelJson(): Record<string, unknown> {
  return {
    argv: [process.execPath, LAUNCHER, "kernel", "--config-path", "{connection_file}"],
    display_name: KERNELSPEC.display_name,
    language: KERNELSPEC.language,
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

/** Where the kernelspec goes for these command-line options. */
export function kernelDir(args: string[]): string {
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a folder`);
    return resolve(v);
  };
  const dir = value("--dir");
  if (dir) return join(dir, KERNEL_NAME);
  const prefix = value("--prefix");
  if (prefix) return join(prefix, "share", "jupyter", "kernels", KERNEL_NAME);
  return join(userDataDir(), "kernels", KERNEL_NAME);
}

/** Writes the kernelspec where `args` say (see the header). */
export function installKernel(args: string[]): void {
  const dir = kernelDir(args);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelJson(), null, 1) + "\n");
  console.log(`installed kernel "${KERNELSPEC.display_name}" (${KERNEL_NAME}) in ${dir}`);
  if (args.includes("--prefix") || args.includes("--dir")) {
    console.log("Jupyter finds it when JUPYTER_PATH includes " +
      (args.includes("--prefix") ? "<prefix>/share/jupyter" : "the folder above kernels/"));
  }
}

function main(): number {
  const [cmd = "install", ...args] = process.argv.slice(2);
  if (cmd === "show") {
    console.log(JSON.stringify(kernelJson(), null, 1));
    return 0;
  }
  const dir = kernelDir(args);
  if (cmd === "install") {
    installKernel(args);
    return 0;
  }
  if (cmd === "uninstall") {
    if (!existsSync(dir)) {
      console.log(`no kernel at ${dir}`);
      return 0;
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(`removed ${dir}`);
    return 0;
  }
  console.error("usage: tsx scripts/kernel.ts install|uninstall|show " +
    "[--prefix P | --dir D]");
  return 2;
}

if (process.argv[1] && /kernel\.ts$/.test(process.argv[1])) process.exit(main());
