/* OpenSSH's own key container, openssh-key-v1 (OpenSSH's PROTOCOL.key):
 * its base64 armour, its KDF (bcrypt_pbkdf) and cipher, and the check
 * that the decrypted half matches the public one. */

#define G_LOG_DOMAIN "pas-private-key"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-bcrypt-pbkdf.h"
#include "pas-error.h"
#include "pas-private-key-private.h"
#include "pas-secret.h"

#define OPENSSH_END "-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC "openssh-key-v1"

typedef struct
{
  char         *cipher;
  char         *kdf;
  const guint8 *salt;
  gsize         salt_len;
  guint32       rounds;
  const guint8 *public_blob;
  gsize         public_len;
  const guint8 *secret;
  gsize         secret_len;
} Container;

static gboolean
parse_container (PasPrivateKey *self,
                 Container     *c,
                 GError       **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (self->openssh_blob, &len);
  const guint8 *magic, *kdf_options;
  gsize kdf_options_len;
  guint32 n_keys;
  PasWireReader r;

  pas_wire_reader_init (&r, data, len);
  if (!pas_wire_read_bytes (&r, sizeof OPENSSH_MAGIC, &magic) ||
      memcmp (magic, OPENSSH_MAGIC, sizeof OPENSSH_MAGIC) != 0)
    return pas_private_key_bad_key (error, self->path, _("it is not an OpenSSH private key"));
  if (!pas_wire_read_cstring (&r, &c->cipher) || !pas_wire_read_cstring (&r, &c->kdf) ||
      !pas_wire_read_string (&r, &kdf_options, &kdf_options_len) || !pas_wire_read_u32 (&r, &n_keys))
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));
  if (n_keys != 1)
    return pas_private_key_bad_key (error, self->path, _("it holds more than one key"));
  if (!pas_wire_read_string (&r, &c->public_blob, &c->public_len) ||
      !pas_wire_read_string (&r, &c->secret, &c->secret_len))
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));

  if (strcmp (c->kdf, "bcrypt") == 0)
    {
      PasWireReader kr;

      pas_wire_reader_init (&kr, kdf_options, kdf_options_len);
      if (!pas_wire_read_string (&kr, &c->salt, &c->salt_len) || !pas_wire_read_u32 (&kr, &c->rounds))
        return pas_private_key_bad_key (error, self->path, _("the file is damaged"));
    }
  else if (strcmp (c->kdf, "none") != 0)
    return pas_private_key_bad_key (error, self->path, _("it uses a key derivation Passerelle does not know"));

  if ((strcmp (c->cipher, "none") == 0) != (strcmp (c->kdf, "none") == 0))
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));
  return TRUE;
}

static void
container_clear (Container *c)
{
  g_free (c->cipher);
  g_free (c->kdf);
}

static const EVP_CIPHER *
openssh_cipher (const char *name)
{
  if (strcmp (name, "aes256-ctr") == 0)
    return EVP_aes_256_ctr ();
  if (strcmp (name, "aes192-ctr") == 0)
    return EVP_aes_192_ctr ();
  if (strcmp (name, "aes128-ctr") == 0)
    return EVP_aes_128_ctr ();
  if (strcmp (name, "aes256-cbc") == 0)
    return EVP_aes_256_cbc ();
  if (strcmp (name, "aes128-cbc") == 0)
    return EVP_aes_128_cbc ();
  return NULL;
}

gboolean
pas_private_key_unlock_openssh (PasPrivateKey *self,
                                const char    *passphrase,
                                GError       **error)
{
  Container c = { 0 };
  g_autofree guint8 *plain = NULL;
  gsize plain_len = 0;
  PasWireReader r;
  guint32 check1, check2;
  g_autofree char *key_type = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *derived_type = NULL;
  g_autoptr(GBytes) derived = NULL;
  EVP_PKEY *pkey = NULL;
  gboolean ok = FALSE;

  if (!parse_container (self, &c, error))
    goto out;

  if (strcmp (c.cipher, "none") == 0)
    {
      plain = g_memdup2 (c.secret, c.secret_len);
      plain_len = c.secret_len;
    }
  else
    {
      const EVP_CIPHER *cipher = openssh_cipher (c.cipher);
      guint8 key_iv[64 + 32];
      int key_len, iv_len, out_len = 0, final_len = 0;
      EVP_CIPHER_CTX *ctx;

      if (cipher == NULL)
        {
          g_autofree char *why = g_strdup_printf (_("it is encrypted with %s, which Passerelle cannot read; "
                                                    "re-encrypt it with “ssh-keygen -p -Z aes256-ctr -f FILE”"),
                                                  c.cipher);
          pas_private_key_bad_key (error, self->path, why);
          goto out;
        }
      if (passphrase == NULL || *passphrase == '\0')
        {
          g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE, _("The key %s needs its passphrase"), self->path);
          goto out;
        }
      key_len = EVP_CIPHER_get_key_length (cipher);
      iv_len = EVP_CIPHER_get_iv_length (cipher);
      if (c.secret_len % (gsize) EVP_CIPHER_get_block_size (cipher) != 0 ||
          !pas_bcrypt_pbkdf (passphrase, strlen (passphrase), c.salt, c.salt_len, c.rounds,
                             key_iv, key_len + iv_len))
        {
          pas_private_key_bad_key (error, self->path, _("the file is damaged"));
          goto out;
        }

      plain = g_malloc (c.secret_len + 32);
      ctx = EVP_CIPHER_CTX_new ();
      ok = ctx != NULL &&
           EVP_DecryptInit_ex (ctx, cipher, NULL, key_iv, key_iv + key_len) == 1 &&
           EVP_CIPHER_CTX_set_padding (ctx, 0) == 1 &&
           EVP_DecryptUpdate (ctx, plain, &out_len, c.secret, (int) c.secret_len) == 1 &&
           EVP_DecryptFinal_ex (ctx, plain + out_len, &final_len) == 1;
      EVP_CIPHER_CTX_free (ctx);
      pas_secret_wipe (key_iv, sizeof key_iv);
      if (!ok)
        {
          pas_private_key_bad_key (error, self->path, _("the file is damaged"));
          goto out;
        }
      ok = FALSE;
      plain_len = out_len + final_len;
    }

  pas_wire_reader_init (&r, plain, plain_len);
  if (!pas_wire_read_u32 (&r, &check1) || !pas_wire_read_u32 (&r, &check2) || check1 != check2)
    {
      /* The check words only match when the decryption key was right. */
      if (strcmp (c.cipher, "none") != 0)
        g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE,
                     _("The passphrase of the key %s is not right"), self->path);
      else
        pas_private_key_bad_key (error, self->path, _("the file is damaged"));
      goto out;
    }

  pkey = pas_private_key_read_openssh_private (&r, &key_type);
  if (pkey == NULL || !pas_wire_read_cstring (&r, &comment))
    {
      pas_private_key_bad_key (error, self->path, key_type != NULL && strcmp (key_type, "ssh-ed25519") != 0 &&
                                  !g_str_has_prefix (key_type, "ecdsa-sha2-") && strcmp (key_type, "ssh-rsa") != 0
                                  ? _("its key type is not supported")
                                  : _("the file is damaged"));
      goto out;
    }
  /* Padding is 1, 2, 3, … up to the cipher's block size. */
  for (guint8 expected = 1; pas_wire_reader_remaining (&r) > 0; expected++)
    {
      guint8 b;
      if (!pas_wire_read_u8 (&r, &b) || b != expected)
        {
          pas_private_key_bad_key (error, self->path, _("the file is damaged"));
          goto out;
        }
    }

  /* The private half must belong to the public half written in the file. */
  derived = pas_private_key_blob_from_pkey (pkey, &derived_type);
  if (derived == NULL || g_bytes_get_size (derived) != c.public_len ||
      memcmp (g_bytes_get_data (derived, NULL), c.public_blob, c.public_len) != 0)
    {
      pas_private_key_bad_key (error, self->path, _("its private and public halves do not match"));
      goto out;
    }

  self->pkey = g_steal_pointer (&pkey);
  g_free (self->comment);
  self->comment = g_steal_pointer (&comment);
  ok = TRUE;

out:
  if (plain != NULL)
    pas_secret_wipe (plain, plain_len);
  EVP_PKEY_free (pkey);
  container_clear (&c);
  return ok;
}

gboolean
pas_private_key_load_openssh (PasPrivateKey *self,
                              const char    *data,
                              gsize          len,
                              GError       **error)
{
  const char *begin = g_strstr_len (data, len, PAS_OPENSSH_BEGIN);
  const char *end = NULL;
  g_autofree char *base64 = NULL;
  g_autofree guint8 *decoded = NULL;
  gsize decoded_len = 0;
  Container c = { 0 };
  PasWireReader r;
  gboolean ok = FALSE;

  /* The end marker is looked for after the whole begin marker: the two
   * share their dashes, so "…KEY-----END OPENSSH…" would otherwise match
   * inside the first and give a negative length. */
  if (begin != NULL)
    {
      begin += strlen (PAS_OPENSSH_BEGIN);
      end = g_strstr_len (begin, len - (gsize) (begin - data), OPENSSH_END);
    }
  if (begin == NULL || end == NULL)
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));
  base64 = g_strndup (begin, end - begin);
  g_strdelimit (base64, "\r\n\t ", ' ');
  {
    char *w = base64;
    for (const char *p = base64; *p; p++)
      {
        if (*p == ' ')
          continue;
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
          return pas_private_key_bad_key (error, self->path, _("the file is damaged"));
        *w++ = *p;
      }
    *w = '\0';
  }
  if (strlen (base64) % 4 != 0)
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));
  decoded = g_base64_decode (base64, &decoded_len);
  self->openssh_blob = g_bytes_new_take (g_steal_pointer (&decoded), decoded_len);

  if (!parse_container (self, &c, error))
    goto out;

  /* The public half, readable without the passphrase. */
  pas_wire_reader_init (&r, c.public_blob, c.public_len);
  if (!pas_wire_read_cstring (&r, &self->key_type))
    {
      pas_private_key_bad_key (error, self->path, _("the file is damaged"));
      goto out;
    }
  self->public_blob = g_bytes_new (c.public_blob, c.public_len);
  self->encrypted = strcmp (c.cipher, "none") != 0;
  ok = self->encrypted ? TRUE : pas_private_key_unlock_openssh (self, NULL, error);

out:
  container_clear (&c);
  return ok;
}

