#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Names that come from a server, made safe to show: invalid UTF-8 bytes become
 * U+FFFD; NUL, control characters and invisible format characters are written
 * as \u{XXXX} — among them bidi overrides such as U+202E, which would make
 * "evil<U+202E>txt.exe" read as "evilexe.txt". */
char *pas_name_escape_for_display (const char *name,
                                   gssize      len);

G_END_DECLS
