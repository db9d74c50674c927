"""Start-up of the project kernel as a Jupyter client meets it (Debian's
jupyter_client), for bench/kernel.ts. Prints one JSON object:
{"ready": s, "import": s, "cell": s} with the seconds from starting the
kernel to its kernel_info reply, for the first `import ... "./lib/train"`,
and for a small cell after it.

  python3 kernel_client.py   (JUPYTER_PATH must hold the kernelspec)
"""
import json
import time

from jupyter_client.manager import KernelManager


def run(kc, code, timeout=300):
    t0 = time.perf_counter()
    reply = kc.execute(code, reply=True, timeout=timeout)
    dt = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"cell failed: {code!r}: {reply['content']}")
    return dt


t0 = time.perf_counter()
km = KernelManager(kernel_name="sgdl-ts")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=300)
ready = time.perf_counter() - t0
try:
    first = run(kc, 'import { train, type TrainConfig } from "./lib/train";')
    cell = run(kc, "const n: number = 1 + 1;")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps({"ready": round(ready, 2), "import": round(first, 2), "cell": round(cell, 2)}))
