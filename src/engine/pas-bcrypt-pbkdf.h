#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* bcrypt_pbkdf, the key derivation of OpenSSH's encrypted private keys
 * (openssh-key-v1 with kdfname "bcrypt"). No Debian library provides it;
 * written from the published algorithm (OpenBSD bcrypt_pbkdf(3)). */
gboolean pas_bcrypt_pbkdf (const char   *passphrase,
                           gsize         passphrase_len,
                           const guint8 *salt,
                           gsize         salt_len,
                           guint         rounds,
                           guint8       *key,
                           gsize         key_len);

/* Plain Blowfish, exposed for its known-answer test. */
void     pas_blowfish_test_encrypt (const guint8 *key,
                                    gsize         key_len,
                                    guint32      *left,
                                    guint32      *right);

G_END_DECLS
