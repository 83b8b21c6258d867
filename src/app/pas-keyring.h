#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Passwords and key passphrases in the desktop keyring (libsecret), under
 * the app's own schemas: passwords by host, port and user; passphrases by
 * the key's fingerprint (or its path when the public half is hidden). A
 * locked or missing keyring is not an error: lookups find nothing and
 * people are asked. */

/* The _finish functions return: (transfer full) (nullable): free with
 * pas_secret_free() */
void  pas_keyring_lookup_password_async    (const char          *host,
                                            guint16              port,
                                            const char          *user,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char *pas_keyring_lookup_password_finish   (GAsyncResult        *result);
void  pas_keyring_lookup_passphrase_async  (const char          *key_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char *pas_keyring_lookup_passphrase_finish (GAsyncResult        *result);

void  pas_keyring_store_password           (const char          *host,
                                            guint16              port,
                                            const char          *user,
                                            const char          *password);
void  pas_keyring_clear_password           (const char          *host,
                                            guint16              port,
                                            const char          *user);
void  pas_keyring_store_passphrase         (const char          *key_id,
                                            const char          *key_path,
                                            const char          *passphrase);

G_END_DECLS
