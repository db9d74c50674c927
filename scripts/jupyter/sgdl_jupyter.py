"""Jupyter server hooks for this project's notebooks (`npm run lab`).

pre_save: JupyterLab's plotly renderer, once it has drawn a live figure,
writes a PNG snapshot of it into the figure's output (the bundle with
`application/vnd.plotly.v1+json`), which marks the notebook modified and
changes it on the next (auto)save although nobody edited it. The project's
figures carry no PNG in that bundle on purpose (a PNG there is shown
instead of the live plot until hovered; the static picture is the
bundle's text/html), so the hook removes it again before the file is
written. Only outputs that carry this project's figure record
(metadata "sgdl", kind "figure") are touched: a figure that is also in the
file on disk (same cell, same place, same plot) keeps the PNG it has there
(none for the project's current figures; notebooks rendered before figures
dropped their PNG keep that one, which the renderer would otherwise
replace with its own snapshot); any other figure loses a PNG that has no
display size in the output's metadata (one that the renderer wrote).

Use: jupyter lab --ContentsManager.pre_save_hook=sgdl_jupyter.pre_save
with this folder on PYTHONPATH (`npm run lab` does both), or in a
jupyter_server_config.py:
    c.ContentsManager.pre_save_hook = "sgdl_jupyter.pre_save"
"""

import json

PLOTLY_MIME = "application/vnd.plotly.v1+json"
REPORT_KEY = "sgdl"


def is_figure(output):
    """True for the figure output of this project's figure()."""
    data = output.get("data") or {}
    record = (output.get("metadata") or {}).get(REPORT_KEY) or {}
    return PLOTLY_MIME in data and isinstance(record, dict) and record.get("kind") == "figure"


def figures_by_place(nb):
    """{(cell id or index, output index): output} for the figure outputs of nb."""
    found = {}
    for i, cell in enumerate(nb.get("cells") or []):
        for j, output in enumerate(cell.get("outputs") or []):
            if is_figure(output):
                found[(cell.get("id", i), j)] = output
    return found


def strip_snapshots(nb, on_disk=None):
    """Puts back the PNG of each figure as on disk (see the module's doc);
    returns how many figures were changed."""
    before = figures_by_place(on_disk or {})
    n = 0
    for place, output in figures_by_place(nb).items():
        data = output["data"]
        old = before.get(place)
        if old is not None and old["data"].get(PLOTLY_MIME) == data.get(PLOTLY_MIME):
            png = old["data"].get("image/png")
        elif "image/png" in (output.get("metadata") or {}):
            continue
        else:
            png = None
        if data.get("image/png") != png:
            if png is None:
                del data["image/png"]
            else:
                data["image/png"] = png
            n += 1
    return n


def read_on_disk(path, contents_manager):
    """The notebook as the file now holds it, or None."""
    try:
        os_path = contents_manager._get_os_path(path)
        with open(os_path, encoding="utf-8") as f:
            return json.load(f)
    except Exception:  # a new file, another contents manager, bad JSON
        return None


def pre_save(model, path=None, contents_manager=None, **kwargs):
    """ContentsManager.pre_save_hook: keep figures' PNGs as on disk."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        on_disk = read_on_disk(path, contents_manager) if contents_manager else None
        strip_snapshots(model["content"], on_disk)
