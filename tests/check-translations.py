#!/usr/bin/env python3
"""Fail when a language in po/LINGUAS lacks a translation (or has a fuzzy one)
for any string the sources mark translatable. Extraction uses xgettext with
the same keywords as meson's glib preset, so it sees what the build ships."""
import gettext
import pathlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

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


def menu_clashes(translate):
    """Menu items of one menu sharing an access key (Alt+letter opens one
    of them only): a clash per menu, in the language @translate gives."""
    clashes = []
    for ui in sorted((root / 'ui').glob('*.ui')):
        for menu in ET.parse(ui).getroot().iter():
            if menu.tag not in ('menu', 'submenu'):
                continue
            keys = {}
            for section in [menu] + [s for s in menu if s.tag == 'section']:
                for item in section:
                    if item.tag != 'item':
                        continue
                    for attr in item.findall('attribute'):
                        if attr.get('name') == 'label' and attr.text and '_' in attr.text:
                            label = translate(attr.text)
                            at = label.find('_')
                            if at < 0 or at + 1 >= len(label):
                                continue
                            key = label[at + 1].lower()
                            if key in keys:
                                clashes.append(f'{ui.name} {menu.get("id")}: “{keys[key]}” and “{label}” '
                                               f'both use Alt+{key}')
                            keys[key] = label
    return clashes


with tempfile.TemporaryDirectory() as tmp:
    languages = [('en', lambda text: text)]
    for lang in (po_dir / 'LINGUAS').read_text().split():
        mo = pathlib.Path(tmp) / f'{lang}.mo'
        subprocess.run(['msgfmt', '-o', str(mo), str(po_dir / f'{lang}.po')], check=True)
        with open(mo, 'rb') as f:
            languages.append((lang, gettext.GNUTranslations(f).gettext))
    for lang, translate in languages:
        for clash in menu_clashes(translate):
            failed = True
            print(f'{lang}: {clash}')
sys.exit(1 if failed else 0)
