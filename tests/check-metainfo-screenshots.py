#!/usr/bin/env python3
"""Every screenshot the metainfo names is a PNG in data/screenshots/ of this
repository (the URLs point at the repository's raw files), in English and
in French."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
text = (root / 'data' / 'io.github.passerelle.Passerelle.metainfo.xml.in').read_text()
images = re.findall(r'<image>https://raw\.githubusercontent\.com/passerelle/passerelle/main/(.*?)</image>', text)
problems = []
if not images:
    problems.append('the metainfo names no screenshot of this repository')
for image in images:
    path = root / image
    if not path.is_file():
        problems.append(f'{image}: missing')
    elif not path.read_bytes().startswith(b'\x89PNG'):
        problems.append(f'{image}: not a PNG')
if not any(image.endswith('-fr.png') for image in images):
    problems.append('no French screenshot')
for p in problems:
    print(p)
print(f'checked {len(images)} screenshots, {len(problems)} problems')
sys.exit(1 if problems else 0)
