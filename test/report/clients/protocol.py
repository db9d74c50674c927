"""Drives the project kernel the way JupyterLab and nbclient do (Debian's
jupyter_client), for test/report/kernel.test.ts. Prints one JSON object.

  python3 protocol.py <runs dir>   (JUPYTER_PATH must hold the kernelspec)
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

RUNS = sys.argv[1]
out = {}

km = KernelManager(kernel_name="sgdl-ts")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)


def collect(msg_ids, timeout=120):
    """Replies by request, and every iopub message about these requests in order."""
    replies, iopub = {}, []
    end = time.time() + timeout
    while len(replies) < len(msg_ids) and time.time() < end:
        try:
            m = kc.get_shell_msg(timeout=0.2)
            if m["parent_header"].get("msg_id") in msg_ids:
                replies[m["parent_header"]["msg_id"]] = m["content"]
        except Exception:
            pass
    # the iopub messages that came with them (idle comes last)
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            if iopub and iopub[-1][1] == "status" and iopub[-1][2] == "idle":
                break
            continue
        pid = m["parent_header"].get("msg_id")
        if pid in msg_ids:
            state = m["content"].get("execution_state") if m["msg_type"] == "status" else None
            iopub.append([msg_ids.index(pid), m["msg_type"], state, m["content"].get("name"),
                          m["content"].get("text"), m["content"].get("ename")])
    return [replies.get(i) for i in msg_ids], iopub


# 1. Run All with an error in the middle (stop_on_error, as Run All sends it):
#    the queued cell is aborted; busy/idle bracket each request in order.
ids = [kc.execute("const a = 1;"), kc.execute('throw new Error("boom");'), kc.execute("const b = 2;")]
replies, iopub = collect(ids)
out["stop_on_error"] = [r and r["status"] for r in replies]
out["status_order"] = [[i, s] for i, t, s, *_ in iopub if t == "status"]

# 2. nbconvert --allow-errors (stop_on_error False): the next cell runs.
ids = [kc.execute('throw new Error("again");', stop_on_error=False), kc.execute("const c = 3;")]
replies, _ = collect(ids)
out["allow_errors"] = [r and r["status"] for r in replies]

# 3. history, is_complete, complete, inspect are answered.
def answer(msg_id):
    replies, _ = collect([msg_id], timeout=30)
    return replies[0] or {}


out["history"] = answer(kc.history(hist_access_type="tail", n=10)).get("status")
out["is_complete"] = answer(kc.is_complete("function f() {")).get("status")
out["complete"] = answer(kc.complete("Math.ma")).get("status")
out["inspect"] = answer(kc.inspect("Math.max", 6)).get("status")

# 3b. An error thrown inside lib/: the reply's traceback names the .ts line.
replies, _ = collect([kc.execute('import { plan } from "./lib/experiments";'),
                      kc.execute('plan("6.1", "bogus" as never);', stop_on_error=False)],
                     timeout=120)
out["lib_traceback"] = (replies[1] or {}).get("traceback")
out["complete_lib"] = (answer(kc.complete('plan("6.1").gro')).get("matches"))


# 4. Interrupt during training: the run stops at its next step, records
#    "interrupted", frees its lock; running the cell again resumes it.
cell = f"""
import {{ train }} from "./lib/train";
const rec = await train({{ profile: "smoke", model: {{ kind: "resnet", n: 1, width: 0.5 }},
  dataset: {{ name: "cifar10", trainPerClass: 10, testPerClass: 4, crop: 8, trainBatches: [1] }},
  optimizer: {{ name: "sgdm", lr: 0.05 }}, epochs: 30, batchSize: 10, backend: "wasm" }},
  {{ quiet: true, runsDir: {json.dumps(RUNS)},
     onProgress: (e) => {{ if (e.phase === "epoch") console.log(`epoch ${{e.epoch}}`); }} }});
console.log(`status ${{rec.status}} epochs ${{rec.history.length}} resumed ${{rec.resumedAt.join(",")}}`);
"""
mid = kc.execute(cell)
seen = ""
end = time.time() + 120
while "epoch 2" not in seen and time.time() < end:
    try:
        m = kc.get_iopub_msg(timeout=0.5)
        if m["msg_type"] == "stream":
            seen += m["content"]["text"]
    except Exception:
        pass
t0 = time.time()
km.interrupt_kernel()
replies, iopub = collect([mid], timeout=60)
out["interrupt_reply"] = replies[0] and replies[0]["status"]
out["interrupt_seconds"] = round(time.time() - t0, 1)
text = seen + "".join(x[4] or "" for x in iopub if x[1] == "stream")
out["interrupt_text"] = text
out["interrupt_ename"] = [x[5] for x in iopub if x[1] == "error"]
replies, iopub = collect([kc.execute(cell)], timeout=180)
out["resume_reply"] = replies[0] and replies[0]["status"]
out["resume_text"] = "".join(x[4] or "" for x in iopub if x[1] == "stream")

kc.stop_channels()
km.shutdown_kernel(now=True)
print(json.dumps(out))
