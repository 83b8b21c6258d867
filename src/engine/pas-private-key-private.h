#pragma once

/* PasPrivateKey spans three files: the object, PEM and PuTTY files, and the
 * API (pas-private-key.c); OpenSSH's own container, openssh-key-v1, read
 * and decrypted (pas-private-key-openssh.c); and the key material moved
 * between OpenSSL and the SSH wire format (pas-private-key-wire.c). This
 * is what they share. */

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "pas-ppk.h"
#include "pas-private-key.h"
#include "pas-wire.h"

G_BEGIN_DECLS

#define PAS_OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"

typedef enum
{
  FORMAT_OPENSSH,
  FORMAT_PEM,
  FORMAT_PPK,
} Format;

struct _PasPrivateKey
{
  char     *path;
  Format    format;
  char     *text;          /* PEM: the file, kept until unlocked */
  GBytes   *openssh_blob;  /* OpenSSH: the decoded container */
  PasPpk   *ppk;           /* PuTTY */
  gboolean  encrypted;
  char     *key_type;
  char     *comment;
  GBytes   *public_blob;
  EVP_PKEY *pkey;
};

gboolean  pas_private_key_bad_key              (GError       **error,
                                                const char    *path,
                                                const char    *why);

void      pas_private_key_put_bn               (GByteArray    *out,
                                                const BIGNUM  *bn);
GBytes   *pas_private_key_blob_from_pkey       (EVP_PKEY      *pkey,
                                                char         **key_type);
EVP_PKEY *pas_private_key_read_openssh_private (PasWireReader *r,
                                                char         **key_type);

gboolean  pas_private_key_load_openssh         (PasPrivateKey *self,
                                                const char    *data,
                                                gsize          len,
                                                GError       **error);
gboolean  pas_private_key_unlock_openssh       (PasPrivateKey *self,
                                                const char    *passphrase,
                                                GError       **error);

G_END_DECLS
