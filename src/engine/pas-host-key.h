#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A server's public host key, as received during key exchange or read from a
 * known_hosts line. */
typedef struct _PasHostKey PasHostKey;

PasHostKey *pas_host_key_new_from_blob      (const guint8     *blob,
                                             gsize             len,
                                             GError          **error);
PasHostKey *pas_host_key_new_from_base64    (const char       *type,
                                             const char       *base64,
                                             GError          **error);
PasHostKey *pas_host_key_copy               (const PasHostKey *self);
void        pas_host_key_free               (PasHostKey       *self);

/* The wire name of the key, e.g. "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256". */
const char *pas_host_key_get_key_type       (const PasHostKey *self);
/* As ssh-keygen shows it: "ED25519", "RSA", "ECDSA", "DSA". */
const char *pas_host_key_get_display_type   (const PasHostKey *self);
guint       pas_host_key_get_bits           (const PasHostKey *self);
GBytes     *pas_host_key_get_blob           (const PasHostKey *self);
gboolean    pas_host_key_equal              (const PasHostKey *a,
                                             const PasHostKey *b);
char       *pas_host_key_to_base64          (const PasHostKey *self);
/* "SHA256:…" exactly as `ssh-keygen -lf` prints it. */
char       *pas_host_key_get_fingerprint    (const PasHostKey *self);
/* The picture `ssh-keygen -lv` draws, lines joined with '\n', no final newline. */
char       *pas_host_key_get_randomart      (const PasHostKey *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasHostKey, pas_host_key_free)

G_END_DECLS
