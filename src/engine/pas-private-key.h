#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A private key file, loaded by us and signed with OpenSSL: OpenSSH format
 * (plain, or bcrypt_pbkdf + AES encrypted), PEM and PKCS#8, PuTTY .ppk v2/v3. The public half is
 * known before any passphrase is asked whenever the file (or NAME.pub) has it. */
typedef struct _PasPrivateKey PasPrivateKey;

PasPrivateKey *pas_private_key_load             (const char     *path,
                                                 GError        **error);
PasPrivateKey *pas_private_key_load_from_data   (const char     *data,
                                                 gsize           len,
                                                 const char     *path,
                                                 GError        **error);
void           pas_private_key_free             (PasPrivateKey  *self);

const char    *pas_private_key_get_path         (PasPrivateKey  *self);
gboolean       pas_private_key_is_encrypted     (PasPrivateKey  *self);
gboolean       pas_private_key_is_loaded        (PasPrivateKey  *self);
/* "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"; NULL until known. */
const char    *pas_private_key_get_key_type     (PasPrivateKey  *self);
const char    *pas_private_key_get_comment      (PasPrivateKey  *self);
/* The SSH public key blob; NULL until known. */
GBytes        *pas_private_key_get_public_blob  (PasPrivateKey  *self);
char          *pas_private_key_get_fingerprint  (PasPrivateKey  *self);

/* Decrypts an encrypted key; PAS_ERROR_WRONG_PASSPHRASE when it does not fit. */
gboolean       pas_private_key_unlock           (PasPrivateKey  *self,
                                                 const char     *passphrase,
                                                 GError        **error);

/* The signature algorithm this key signs with: rsa-sha2-512 for RSA keys
 * (libssh2 1.10 alone would use SHA-1 "ssh-rsa", which OpenSSH ≥ 8.8 refuses). */
const char    *pas_private_key_get_signature_algorithm (PasPrivateKey *self);
/* The public blob re-labelled with the signature algorithm, which is how
 * libssh2_userauth_publickey() learns which algorithm name to send. */
GBytes        *pas_private_key_get_auth_blob    (PasPrivateKey  *self);
/* The signature body (without the algorithm name), as SSH puts it on the wire. */
GBytes        *pas_private_key_sign             (PasPrivateKey  *self,
                                                 const guint8   *data,
                                                 gsize           len,
                                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasPrivateKey, pas_private_key_free)

G_END_DECLS
