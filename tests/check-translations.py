#!/usr/bin/env python3
"""Fail when a language in po/LINGUAS lacks a translation (or has a fuzzy one)
for any string the sources mark translatable. Extraction uses xgettext with
the same keywords as meson's glib preset, so it sees what the build ships."""
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
po_dir = root / 'po'
files = [l.strip() for l in (po_dir / 'POTFILES').read_text().splitlines()
         if l.strip() and not l.startswith('#')]
keywords = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dcgettext:2', 'g_dngettext:2,3',
            'g_dpgettext2:2c,3']
flags = ['N_:1:pass-c-format', 'C_:2:pass-c-format', 'NC_:2:pass-c-format',
         'g_dngettext:2:pass-c-format', 'g_strdup_printf:1:c-format',
         'g_string_printf:2:c-format', 'g_string_append_printf:2:c-format',
         'g_error_new:3:c-format', 'g_set_error:4:c-format']
failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = pathlib.Path(tmp) / 'passerelle.pot'
    cmd = ['xgettext', '--from-code=UTF-8', '--add-comments=Translators', '-o', str(pot),
           '--directory', str(root)] + [f'--keyword={k}' for k in keywords] + \
          [f'--flag={f}' for f in flags] + files
    subprocess.run(cmd, check=True)
    for lang in (po_dir / 'LINGUAS').read_text().split():
        po = po_dir / f'{lang}.po'
        merged = pathlib.Path(tmp) / f'{lang}.po'
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', str(merged), str(po), str(pot)],
                       check=True)
        subprocess.run(['msgfmt', '--check', '-o', '/dev/null', str(po)], check=True)
        missing = subprocess.run(['msgattrib', '--untranslated', '--no-obsolete', str(merged)],
                                 check=True, capture_output=True, text=True).stdout
        fuzzy = subprocess.run(['msgattrib', '--only-fuzzy', '--no-obsolete', str(merged)],
                               check=True, capture_output=True, text=True).stdout
        stats = subprocess.run(['msgfmt', '--statistics', '-o', '/dev/null', str(merged)],
                               check=True, capture_output=True, text=True).stderr.strip()
        print(f'{lang}: {stats}')
        if 'untranslated' in stats or 'fuzzy' in stats:
            failed = True
            print(f'{lang}: run "ninja -C _build passerelle-update-po" and translate these:')
            print(missing)
            print(fuzzy)
sys.exit(1 if failed else 0)
