"""Executes every notebook in Notebooks/ headless with nbclient; fails on any error.

Usage: run_notebooks.py [NOTEBOOK_DIR]

Notebooks are committed without outputs: this checks that one is, then runs it in a scratch
copy so the committed file never changes.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(directory):
    notebooks = sorted(Path(directory).glob("*.ipynb"))
    failures = 0
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code"):
            print(f"FAIL {path}: committed with outputs (clear them before committing)")
            failures += 1
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            print(f"notebook {path.name}: ran {sum(c.cell_type == 'code' for c in nb.cells)} cells")
        except Exception as error:  # nbclient raises CellExecutionError with the traceback
            print(f"FAIL {path}: {error}")
            failures += 1
    print(f"notebooks: {len(notebooks) - failures} passed, {failures} failed")
    return 1 if failures or not notebooks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "Notebooks"))
