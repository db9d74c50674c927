"""Jupyter server hooks for this project's notebooks (`npm run lab`).

pre_save: JupyterLab's plotly renderer, once it has drawn a live figure,
writes a PNG snapshot of it into the figure's output (the bundle with
`application/vnd.plotly.v1+json`), which marks the notebook modified and
changes it on the next (auto)save although nobody edited it. The project's
figures carry no PNG in that bundle on purpose (a PNG there is shown
instead of the live plot until hovered; the static picture is the
bundle's text/html), so the hook removes it again before the file is
written. Only outputs that carry this project's figure record
(metadata "sgdl", kind "figure") are touched, and of those only the ones
whose PNG has no display size in the output's metadata: notebooks
rendered before figures dropped their PNG (which carry one, with its
size) keep it.

Use: jupyter lab --ContentsManager.pre_save_hook=sgdl_jupyter.pre_save
with this folder on PYTHONPATH (`npm run lab` does both), or in a
jupyter_server_config.py:
    c.ContentsManager.pre_save_hook = "sgdl_jupyter.pre_save"
"""

PLOTLY_MIME = "application/vnd.plotly.v1+json"
REPORT_KEY = "sgdl"


def is_figure(output):
    """True for the figure output of this project's figure()."""
    data = output.get("data") or {}
    record = (output.get("metadata") or {}).get(REPORT_KEY) or {}
    return PLOTLY_MIME in data and isinstance(record, dict) and record.get("kind") == "figure"


def strip_snapshots(nb):
    """Removes renderer snapshots from figure outputs; returns how many."""
    n = 0
    for cell in nb.get("cells") or []:
        for output in cell.get("outputs") or []:
            sized = "image/png" in (output.get("metadata") or {})
            if is_figure(output) and "image/png" in output["data"] and not sized:
                del output["data"]["image/png"]
                n += 1
    return n


def pre_save(model, **kwargs):
    """ContentsManager.pre_save_hook: strip snapshots before a notebook is saved."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_snapshots(model["content"])
