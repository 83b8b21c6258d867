#!/usr/bin/env python3
"""Fail when a file with translatable strings is missing from po/POTFILES,
or when POTFILES names a file that does not exist."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
listed = set()
for line in (root / 'po' / 'POTFILES').read_text().splitlines():
    line = line.strip()
    if line and not line.startswith('#'):
        listed.add(line)

c_marks = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
problems = []


def translatable(path: pathlib.Path) -> bool:
    text = path.read_text(encoding='utf-8', errors='replace')
    name = path.name
    if name.endswith(('.c', '.h')):
        return bool(c_marks.search(text))
    if name.endswith('.ui'):
        return 'translatable="yes"' in text
    if name.endswith('.desktop.in'):
        return True
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return True
    if name.endswith('.gschema.xml'):
        return '<summary>' in text or '<description>' in text
    return False


for sub in ('src', 'ui', 'data'):
    for path in sorted((root / sub).rglob('*')):
        if path.is_file() and translatable(path):
            rel = path.relative_to(root).as_posix()
            if rel not in listed:
                problems.append(f'{rel} has translatable strings but is not in po/POTFILES')

for rel in sorted(listed):
    if not (root / rel).is_file():
        problems.append(f'po/POTFILES names {rel}, which does not exist')

for p in problems:
    print(p)
print(f'checked po/POTFILES: {len(listed)} files listed, {len(problems)} problems')
sys.exit(1 if problems else 0)
