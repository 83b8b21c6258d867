#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PuTTY's .ppk private key files, versions 2 and 3 (PuTTY manual, appendix C):
 * a text container whose public half is readable without the passphrase, and
 * whose private half is AES-256-CBC encrypted (keys from SHA-1 in v2, from
 * Argon2 in v3) and protected by a MAC over the whole file. */
typedef struct _PasPpk PasPpk;

PasPpk      *pas_ppk_parse          (const char  *text,
                                     gsize        len,
                                     const char  *path,
                                     GError     **error);
void         pas_ppk_free           (PasPpk      *self);
const char  *pas_ppk_get_algorithm  (PasPpk      *self);
const char  *pas_ppk_get_comment    (PasPpk      *self);
GBytes      *pas_ppk_get_public     (PasPpk      *self);
gboolean     pas_ppk_is_encrypted   (PasPpk      *self);
/* Checks the MAC and returns the private half (wipe it after use). */
GBytes      *pas_ppk_decrypt        (PasPpk      *self,
                                     const char  *passphrase,
                                     GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasPpk, pas_ppk_free)

G_END_DECLS
