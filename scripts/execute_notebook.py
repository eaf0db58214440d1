"""Executes one notebook through its Jupyter kernel with nbclient; used by run_notebooks.mjs.

    python execute_notebook.py IN.ipynb OUT.ipynb --timeout SECONDS

Stops at the first failing cell, writes the executed copy (up to the failure) atomically to OUT,
and prints one JSON line on stdout: {"ok", "cells", "failed": {"index", "source", "error"}}.
The kernel runs in IN's folder, so `../dist/lib` resolves as it does in Jupyter.
A failing cell's details are its error output (ename, evalue, and the traceback, which points at
the cell's lines and at lib/'s TypeScript) and whatever it wrote to stderr before it failed.
"""
import argparse
import json
import os
import re
import signal
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ANSI = re.compile(r'\x1b\[[0-9;]*m')


def cell_error_text(cell):
    parts = []
    for out in cell.get('outputs', []):
        if out.get('output_type') == 'stream' and out.get('name') == 'stderr':
            parts.append(out.get('text', ''))
        elif out.get('output_type') == 'error':
            # The traceback's first line repeats ename and evalue.
            traceback = [ANSI.sub('', line) for line in out.get('traceback', [])]
            parts.append('\n'.join(traceback) + '\n' if traceback else '{}: {}\n'.format(out.get('ename', ''), out.get('evalue', '')))
    return ''.join(parts).strip()


def stop_on_signal(signum, _frame):
    # SIGTERM/SIGHUP would end Python at once and leave the kernel (its own session) running;
    # as KeyboardInterrupt it unwinds through nbclient, which shuts the kernel down.
    raise KeyboardInterrupt('stopped by signal {}'.format(signum))


def main():
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    ap = argparse.ArgumentParser()
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('--timeout', type=int, default=300, help='seconds per cell')
    ap.add_argument('--kernel', default=None, help="kernel name; default: the notebook's own")
    args = ap.parse_args()

    nb = nbformat.read(args.input, as_version=4)
    kernel = args.kernel or nb.metadata.get('kernelspec', {}).get('name') or 'clab-typescript'
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=kernel,
        allow_errors=False,
        record_timing=False,
        shutdown_kernel='immediate',  # the kernel keeps nothing to save; saves seconds per notebook
        resources={'metadata': {'path': os.path.dirname(os.path.abspath(args.input))}},
    )
    # The cell being executed: nbclient's own exceptions do not always carry it.
    current = {'index': None}
    original = client.async_execute_cell

    async def tracking_execute_cell(cell, cell_index, *a, **kw):
        current['index'] = cell_index
        return await original(cell, cell_index, *a, **kw)

    client.async_execute_cell = tracking_execute_cell

    result = {'ok': True, 'kernel': kernel, 'cells': len(nb.cells), 'failed': None}
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as exc:
        index = current['index']
        cell = nb.cells[index] if index is not None else None
        if isinstance(exc, CellTimeoutError) or (isinstance(exc, TimeoutError) and index is not None):
            error = 'timed out after {} s (per-cell limit; raise it with --timeout=SECONDS or CLAB_CELL_TIMEOUT)'.format(args.timeout)
        elif isinstance(exc, DeadKernelError):
            error = 'the kernel died (out of memory?): {}'.format(exc)
        else:
            error = (cell_error_text(cell) if cell is not None else '') or str(exc).strip()
        result.update(ok=False, failed={
            'index': index,
            'source': cell.source if cell is not None else '',
            'error': error or type(exc).__name__,
        })

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = '{}.{}.tmp'.format(args.output, os.getpid())
    nbformat.write(nb, tmp)
    os.replace(tmp, args.output)
    print(json.dumps(result))


if __name__ == '__main__':
    sys.exit(main())
