#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new ed25519 key pair written as ssh-keygen writes one: @path in the
 * openssh-key-v1 format (mode 0600; with a passphrase: bcrypt_pbkdf, 16
 * rounds, aes256-ctr) and @path.pub ("ssh-ed25519 BASE64 comment").
 * Never overwrites an existing file. Returns the public line. */
char *pas_key_generate_ed25519 (const char  *path,
                                const char  *passphrase,
                                const char  *comment,
                                GError     **error);

G_END_DECLS
