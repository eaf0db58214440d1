"""The Jupyter ecosystem's kernel conformance suite (jupyter_kernel_test) against this project's kernel.

    /usr/bin/python3 -m unittest -v kernel/test/conformance.py     (scripts/kernel_conformance.mjs runs it)

jupyter_kernel_test is Debian's python3-jupyter-kernel-test (pip's index does not carry it). The
kernelspec is the one set-up registered (JUPYTER_PATH must reach .jupyter-local/share/jupyter);
CLAB_KERNEL_NAME names another. The samples below are what the suite sends; each test checks the
replies and IOPub messages against the message schemas.
"""
import os
import unittest

import jupyter_kernel_test

API = "(globalThis as any)[Symbol.for('Jupyter.kernel')]"


class TypeScriptKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("CLAB_KERNEL_NAME", "clab-typescript")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world');"
    code_stderr = "console.error('something on stderr');"
    code_generate_error = "throw new Error('a deliberate error');"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'type' + 'script'", "result": "'typescript'"},
        {"code": "const seven: number = 7;\nseven * 6", "result": "42"},
        {"code": "({[Symbol.for('Jupyter.display')]: () => ({'text/html': '<b>bold</b>'})})", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": API + ".display({'text/html': '<i>shown</i>', 'text/plain': 'shown'}, {raw: true})", "mime": "text/html"},
        {"code": API + ".display({$schema: 'https://vega.github.io/schema/vega-lite/v5.json', mark: 'point'})", "mime": "application/vnd.vegalite.v5+json"},
    ]
    code_clear_output = API + ".clearOutput()"

    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    complete_code_samples = ["1", "const done = 1;", "function f(): number { return 1; }", "for (const x of [1, 2]) { console.log(x); }"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "if (true) {\n  console.log(1);", "`a template"]
    invalid_code_samples = ["const = 5", "1 +* 2", "'unterminated"]

    completion_samples = [
        {"text": "const completionTarget = 1;\ncompletionTar", "matches": {"completionTarget"}},
        {"text": "Math.SQRT1", "matches": {"SQRT1_2"}},
    ]
    code_inspect_sample = "Math.max"
    code_page_something = "Math.max?"


if __name__ == "__main__":
    unittest.main()
