#!/usr/bin/env python3
"""The Flatpak manifest: flatpak-builder reads it, its id and command are
meson's, the GNOME runtime, libssh2 >= 1.11.1 from a release tarball, and
every downloaded source has a sha256. (The runtime itself cannot be
downloaded on these machines, so the build is not run here.)"""
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
for module in manifest.get('modules', []):
    names.append(module.get('name'))
    for source in module.get('sources', []):
        if source.get('type') in ('archive', 'file'):
            if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                problems.append(f"{module.get('name')}: {source.get('url')} has no sha256")
            if not source.get('url', '').startswith('https://'):
                problems.append(f"{module.get('name')}: {source.get('url')} is not https")
        if module.get('name') == 'libssh2':
            m = re.search(r'libssh2-(\d+)\.(\d+)\.(\d+)\.tar', source.get('url', ''))
            if m is None or tuple(int(x) for x in m.groups()) < (1, 11, 1):
                problems.append('libssh2 is not a release tarball of 1.11.1 or newer')
passerelle = [m for m in manifest.get('modules', []) if m.get('name') == 'passerelle']
opts = passerelle[0].get('config-opts', []) if passerelle else []
# The Flatpak builds with a newer compiler and libraries than CI's first pass:
# a new warning must not fail it (CI's Debian 13 pass, which uses these same
# options plus -Dwerror=true, is where new warnings are caught and fixed).
if any(o.startswith('-Dwerror=true') or o == '--werror' for o in opts):
    problems.append('the passerelle module builds with -Werror')
if re.search(r"'werror=true'", meson):
    problems.append("meson.build makes werror=true a default (the Flatpak would inherit it)")
if names[-1:] != ['passerelle'] or 'libssh2' not in names:
    problems.append(f'modules {names}: libssh2 first, passerelle last')

for p in problems:
    print(p)
print(f'checked {manifest_path.name}: {len(names)} modules, {len(problems)} problems')
sys.exit(1 if problems else 0)
