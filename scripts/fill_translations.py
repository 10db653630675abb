"""Fill empty msgstr entries of a .po file from a Python dict file (T: singular, P: plural).

    python scripts/fill_translations.py bianmin/locale/zh_Hans/LC_MESSAGES/django.po mapping.py

Used after `make messages` when many new strings arrive at once; editing the .po directly is fine too.
Prints the msgids still untranslated.
"""

import runpy
import sys

import polib

po_path, mapping_path = sys.argv[1], sys.argv[2]
mapping = runpy.run_path(mapping_path)
singular, plural = mapping.get("T", {}), mapping.get("P", {})
po = polib.pofile(po_path)
for entry in po:
    # A fuzzy entry is msgmerge's guess from a similar msgid ("Training hours" guessed from
    # "Opening hours"): it is replaced from the mapping, never kept as it is.
    fuzzy = "fuzzy" in entry.flags
    if entry.msgid_plural:
        if entry.msgid in plural and (fuzzy or not any(entry.msgstr_plural.values())):
            entry.msgstr_plural = dict(enumerate(plural[entry.msgid]))
            fuzzy = False
    elif entry.msgid in singular and (fuzzy or not entry.msgstr):
        entry.msgstr = singular[entry.msgid]
        fuzzy = False
    if "fuzzy" in entry.flags and not fuzzy:
        entry.flags.remove("fuzzy")
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Language"] = "zh_Hans"
po.save()
missing = [
    e.msgid for e in po if "fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values()))
]
for m in missing:
    print("untranslated:", m)
print(f"{len(po)} entries, {len(missing)} untranslated")
