#!/usr/bin/env python3
"""The Flatpak manifest: flatpak-builder reads it, its id and command are
meson's, the GNOME runtime, every downloaded source has a sha256, and
libssh2 is ours: Debian 13's source package (the files and hashes of
subprojects/packagefiles/libssh2/) made into subprojects/libssh2 by
scripts/prepare-libssh2 with Debian's security patches and ours, built by
meson like CI's — never a bare release tarball again (1.11.1 alone carries
the 2026 advisories). (The GNOME runtime cannot be downloaded on these
machines, so the build itself is not run here.)"""
import json
import pathlib
import re
import shutil
import subprocess
import sys

root = pathlib.Path(sys.argv[1])
manifest_path = root / 'flatpak' / 'io.github.passerelle.Passerelle.json'
problems = []

builder = shutil.which('flatpak-builder')
if builder:
    shown = subprocess.run([builder, '--show-manifest', str(manifest_path)], capture_output=True, text=True)
    if shown.returncode != 0:
        problems.append('flatpak-builder --show-manifest: ' + shown.stderr.strip())
    manifest = json.loads(shown.stdout) if shown.returncode == 0 else json.loads(manifest_path.read_text())
else:
    print('flatpak-builder not installed: checking the JSON only')
    manifest = json.loads(manifest_path.read_text())

meson = (root / 'meson.build').read_text()
app_id = re.search(r"app_id\s*=\s*'([^']+)'", meson)
if app_id is None or manifest.get('id') != app_id.group(1):
    problems.append(f"id {manifest.get('id')!r} is not meson's app_id")
executables = re.findall(r"executable\('([^']+)'", (root / 'src' / 'meson.build').read_text())
if manifest.get('command') not in executables:
    problems.append(f"command {manifest.get('command')!r} is not an executable meson installs")
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    problems.append('not the GNOME runtime and SDK')

names = []
pkg = root / 'subprojects' / 'packagefiles' / 'libssh2'
pinned = dict(reversed(line.split()) for line in (pkg / 'debian-source.sha256').read_text().splitlines() if line.strip())
for module in manifest.get('modules', []):
    names.append(module.get('name'))
    for source in module.get('sources', []):
        if source.get('type') in ('archive', 'file'):
            url = source.get('url', '')
            if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                problems.append(f"{module.get('name')}: {url} has no sha256")
            if not url.startswith('https://'):
                problems.append(f"{module.get('name')}: {url} is not https")
            if 'libssh2' in url.rsplit('/', 1)[-1]:
                name = url.rsplit('/', 1)[-1]
                if name not in pinned:
                    problems.append(f'{name}: not a file of the pinned Debian source (debian-source.sha256)')
                elif source.get('sha256') != pinned[name]:
                    problems.append(f'{name}: sha256 differs from debian-source.sha256')
if 'libssh2' in names:
    problems.append('a separate libssh2 module: libssh2 is built inside passerelle, as in CI')
passerelle = [m for m in manifest.get('modules', []) if m.get('name') == 'passerelle']
opts = passerelle[0].get('config-opts', []) if passerelle else []
# The Flatpak builds with a newer compiler and libraries than CI's first pass:
# a new warning must not fail it (CI's Debian 13 pass, which uses these same
# options plus -Dwerror=true, is where new warnings are caught and fixed).
if any(o.startswith('-Dwerror=true') or o == '--werror' for o in opts):
    problems.append('the passerelle module builds with -Werror')
if re.search(r"'werror=true'", meson):
    problems.append("meson.build makes werror=true a default (the Flatpak would inherit it)")
if names[-1:] != ['passerelle']:
    problems.append(f'modules {names}: passerelle last')
if any(o.startswith('-Dlibssh2=') and o != '-Dlibssh2=bundled' for o in opts):
    problems.append('the passerelle module does not build our libssh2')
sources = passerelle[0].get('sources', []) if passerelle else []
dests = {s.get('dest') for s in sources if s.get('type') == 'archive' and 'libssh2' in s.get('url', '')}
if dests != {'subprojects/libssh2', 'subprojects/libssh2/debian'}:
    problems.append(f'libssh2 sources unpacked to {sorted(d or "" for d in dests)}, not subprojects/libssh2(/debian)')
if set(pinned) != {s.get('url', '').rsplit('/', 1)[-1] for s in sources if 'libssh2' in s.get('url', '')}:
    problems.append('the passerelle module does not fetch both files of the pinned Debian source')
commands = [c for s in sources if s.get('type') == 'shell' for c in s.get('commands', [])]
if 'scripts/prepare-libssh2 --unpacked subprojects/libssh2' not in commands:
    problems.append("libssh2's sources are not patched with scripts/prepare-libssh2 --unpacked")

for p in problems:
    print(p)
print(f'checked {manifest_path.name}: {len(names)} modules, {len(problems)} problems')
sys.exit(1 if problems else 0)
