#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PAS_TYPE_FINGERPRINT (pas_fingerprint_get_type ())

G_DECLARE_FINAL_TYPE (PasFingerprint, pas_fingerprint, PAS, FINGERPRINT, GtkWidget)

/* Text people compare character by character or paste into a terminal — a
 * key fingerprint, an ssh-keygen command: monospace, selectable, never
 * hyphenated or cut (a narrow dialog shows it on two lines, broken at one
 * fixed point), with a Copy button that @copy_label names. */
GtkWidget  *pas_fingerprint_new      (const char     *text,
                                      const char     *copy_label);
const char *pas_fingerprint_get_text (PasFingerprint *self);

G_END_DECLS
