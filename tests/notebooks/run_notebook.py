"""Executes one notebook top to bottom with nbclient and the `lightning-lab` kernel.

usage: run_notebook.py <notebook.ipynb> <result.json>

Writes {"statuses": [...], "notebook": <the executed notebook>, "error": str | null}. `statuses` holds each
code cell's execute_reply status: "ok", "error", or tslab's non-standard "abort" (a request answered within
200 ms of a failed cell), so the caller can tell a cell that ran from one that was skipped.
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient

# Generous: a cold kernel type-checks the whole workshop module before its first cell.
CELL_TIMEOUT_S = 240
STARTUP_TIMEOUT_S = 120


def main(source, result):
    notebook = nbformat.read(source, as_version=4)
    statuses = [None] * len(notebook.cells)

    def record(cell, cell_index, execute_reply):
        statuses[cell_index] = execute_reply.get("content", {}).get("status")

    client = NotebookClient(
        notebook,
        kernel_name="lightning-lab",
        timeout=CELL_TIMEOUT_S,
        startup_timeout=STARTUP_TIMEOUT_S,
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
        on_cell_executed=record,
    )
    error = None
    try:
        client.execute()
    except Exception as err:  # a timeout or a dead kernel: report it, keep what ran
        error = "%s: %s" % (type(err).__name__, err)
    with open(result, "w", encoding="utf-8") as out:
        json.dump({"statuses": statuses, "notebook": notebook, "error": error}, out, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
