#!/usr/bin/env python3
"""Fail when a C line is longer than the 120 columns of .editorconfig.

A line that holds a string literal may run over: a user-visible sentence or
a test's expected output is easier to read, grep and translate whole."""
import pathlib
import sys

LIMIT = 120
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
problems = []
for folder in ('src', 'tests'):
    for path in sorted((root / folder).rglob('*.[ch]')):
        for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
            if len(line) > LIMIT and '"' not in line:
                problems.append(f'{path.relative_to(root)}:{number}: {len(line)} columns')
for problem in problems:
    print(problem)
print(f'checked src/ and tests/: {len(problems)} lines over {LIMIT} columns without a string')
sys.exit(1 if problems else 0)
