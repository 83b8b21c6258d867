#define G_LOG_DOMAIN "pas-ppk"

#include "config.h"

#include <string.h>
#include <argon2.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "pas-error.h"
#include "pas-ppk.h"
#include "pas-secret.h"
#include "pas-wire.h"

#define MAX_LINES 1024
/* A hostile file must not make us allocate gigabytes or spin for minutes. */
#define MAX_ARGON2_MEMORY_KIB (256 * 1024)
#define MAX_ARGON2_PASSES 10000
#define MAX_ARGON2_PARALLELISM 64
#define AES_KEY_LEN 32
#define AES_IV_LEN 16
#define V3_MAC_KEY_LEN 32

struct _PasPpk
{
  char        *path;
  int          version;
  char        *algorithm;
  char        *encryption;
  char        *comment;
  GBytes      *public_blob;
  GBytes      *private_blob;   /* still encrypted when the file is */
  guint8      *mac;
  gsize        mac_len;
  argon2_type  kdf;
  guint32      memory_kib;
  guint32      passes;
  guint32      parallelism;
  guint8      *salt;
  gsize        salt_len;
};

void
pas_ppk_free (PasPpk *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->algorithm);
  g_free (self->encryption);
  g_free (self->comment);
  g_clear_pointer (&self->public_blob, g_bytes_unref);
  g_clear_pointer (&self->private_blob, g_bytes_unref);
  g_free (self->mac);
  g_free (self->salt);
  g_free (self);
}

static PasPpk *
damaged (PasPpk     *self,
         GError    **error,
         const char *why)
{
  g_set_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY,
               _("The key file %s cannot be used: %s"), self->path, why);
  pas_ppk_free (self);
  return NULL;
}

/* "Name: value" at @lines[*i]; advances. */
static const char *
header (char      **lines,
        guint      *i,
        const char *name)
{
  gsize len = strlen (name);

  if (lines[*i] == NULL || strncmp (lines[*i], name, len) != 0 || strncmp (lines[*i] + len, ": ", 2) != 0)
    return NULL;
  return lines[(*i)++] + len + 2;
}

static guint8 *
from_hex (const char *hex,
          gsize      *len)
{
  gsize n = strlen (hex);
  guint8 *out;

  if (n == 0 || n % 2 != 0 || n > 1024)
    return NULL;
  out = g_malloc (n / 2);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        {
          g_free (out);
          return NULL;
        }
      out[i] = (guint8) (hi << 4 | lo);
    }
  *len = n / 2;
  return out;
}

static gboolean
parse_uint (const char *text,
            guint32     max,
            guint32    *value)
{
  guint64 v;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, max, &v, NULL))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

/* "Name-Lines: N" then N lines of base64. */
static GBytes *
base64_block (char      **lines,
              guint      *i,
              const char *name)
{
  const char *count_text = header (lines, i, name);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree guint8 *data = NULL;
  guint32 count;
  gsize len = 0;

  if (!parse_uint (count_text, MAX_LINES, &count))
    return NULL;
  for (guint32 n = 0; n < count; n++, (*i)++)
    {
      if (lines[*i] == NULL)
        return NULL;
      for (const char *p = lines[*i]; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
          return NULL;
      g_string_append (text, lines[*i]);
    }
  if (text->len == 0 || text->len % 4 != 0)
    return NULL;
  data = g_base64_decode (text->str, &len);
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

PasPpk *
pas_ppk_parse (const char *text,
               gsize       len,
               const char *path,
               GError    **error)
{
  PasPpk *self = g_new0 (PasPpk, 1);
  g_autofree char *copy = g_strndup (text, len);
  g_auto(GStrv) lines = NULL;
  const char *value;
  guint i = 0;

  self->path = g_strdup (path);
  /* PuTTY writes LF, and accepts CR LF and CR alone. */
  g_strdelimit (copy, "\r", '\n');
  lines = g_strsplit (copy, "\n", -1);
  {
    /* Drop the empty lines a CR LF split leaves. */
    guint w = 0;
    for (guint r = 0; lines[r] != NULL; r++)
      if (lines[r][0] != '\0')
        lines[w++] = lines[r];
      else
        g_free (lines[r]);
    lines[w] = NULL;
  }

  if (lines[0] != NULL && g_str_has_prefix (lines[0], "PuTTY-User-Key-File-3: "))
    self->version = 3;
  else if (lines[0] != NULL && g_str_has_prefix (lines[0], "PuTTY-User-Key-File-2: "))
    self->version = 2;
  else
    return damaged (self, error, _("it is a PuTTY key of a version Passerelle does not know"));
  self->algorithm = g_strdup (strchr (lines[i++], ' ') + 1);

  if ((value = header (lines, &i, "Encryption")) == NULL)
    return damaged (self, error, _("the file is damaged"));
  self->encryption = g_strdup (value);
  if (strcmp (self->encryption, "none") != 0 && strcmp (self->encryption, "aes256-cbc") != 0)
    return damaged (self, error, _("it is encrypted in a way Passerelle does not know"));
  if ((value = header (lines, &i, "Comment")) == NULL)
    return damaged (self, error, _("the file is damaged"));
  self->comment = g_strdup (value);

  if ((self->public_blob = base64_block (lines, &i, "Public-Lines")) == NULL)
    return damaged (self, error, _("the file is damaged"));

  if (self->version == 3 && pas_ppk_is_encrypted (self))
    {
      const char *kdf = header (lines, &i, "Key-Derivation");

      if (g_strcmp0 (kdf, "Argon2id") == 0)
        self->kdf = Argon2_id;
      else if (g_strcmp0 (kdf, "Argon2i") == 0)
        self->kdf = Argon2_i;
      else if (g_strcmp0 (kdf, "Argon2d") == 0)
        self->kdf = Argon2_d;
      else
        return damaged (self, error, _("it uses a key derivation Passerelle does not know"));
      if (!parse_uint (header (lines, &i, "Argon2-Memory"), MAX_ARGON2_MEMORY_KIB, &self->memory_kib) ||
          !parse_uint (header (lines, &i, "Argon2-Passes"), MAX_ARGON2_PASSES, &self->passes) ||
          !parse_uint (header (lines, &i, "Argon2-Parallelism"), MAX_ARGON2_PARALLELISM, &self->parallelism) ||
          (value = header (lines, &i, "Argon2-Salt")) == NULL ||
          (self->salt = from_hex (value, &self->salt_len)) == NULL)
        return damaged (self, error, _("its key derivation settings are damaged or too costly"));
    }

  if ((self->private_blob = base64_block (lines, &i, "Private-Lines")) == NULL ||
      (value = header (lines, &i, "Private-MAC")) == NULL ||
      (self->mac = from_hex (value, &self->mac_len)) == NULL)
    return damaged (self, error, _("the file is damaged"));

  return self;
}

const char *
pas_ppk_get_algorithm (PasPpk *self)
{
  return self->algorithm;
}

const char *
pas_ppk_get_comment (PasPpk *self)
{
  return self->comment;
}

GBytes *
pas_ppk_get_public (PasPpk *self)
{
  return self->public_blob;
}

gboolean
pas_ppk_is_encrypted (PasPpk *self)
{
  return strcmp (self->encryption, "none") != 0;
}

static void
sha1_with_prefix (const guint8 *prefix,
                  gsize         prefix_len,
                  const char   *passphrase,
                  guint8        out[20])
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();

  EVP_DigestInit_ex (ctx, EVP_sha1 (), NULL);
  EVP_DigestUpdate (ctx, prefix, prefix_len);
  EVP_DigestUpdate (ctx, passphrase, strlen (passphrase));
  EVP_DigestFinal_ex (ctx, out, NULL);
  EVP_MD_CTX_free (ctx);
}

/* Fills cipher key, IV and MAC key as the file's version says. */
static gboolean
derive_keys (PasPpk     *self,
             const char *passphrase,
             guint8      cipher_key[AES_KEY_LEN],
             guint8      iv[AES_IV_LEN],
             guint8     *mac_key,
             gsize      *mac_key_len)
{
  if (self->version == 2)
    {
      static const char mac_prefix[] = "putty-private-key-file-mac-key";
      static const guint8 seq0[4] = { 0, 0, 0, 0 }, seq1[4] = { 0, 0, 0, 1 };
      guint8 h[40];

      sha1_with_prefix (seq0, 4, passphrase, h);
      sha1_with_prefix (seq1, 4, passphrase, h + 20);
      memcpy (cipher_key, h, AES_KEY_LEN);
      memset (iv, 0, AES_IV_LEN);
      sha1_with_prefix ((const guint8 *) mac_prefix, strlen (mac_prefix), passphrase, mac_key);
      *mac_key_len = 20;
      pas_secret_wipe (h, sizeof h);
      return TRUE;
    }

  if (!pas_ppk_is_encrypted (self))
    {
      *mac_key_len = 0;   /* v3 unencrypted: a MAC with an empty key */
      return TRUE;
    }
  {
    guint8 out[AES_KEY_LEN + AES_IV_LEN + V3_MAC_KEY_LEN];
    int rc = argon2_hash (self->passes, self->memory_kib, self->parallelism, passphrase, strlen (passphrase),
                          self->salt, self->salt_len, out, sizeof out, NULL, 0, self->kdf, ARGON2_VERSION_13);

    if (rc != ARGON2_OK)
      return FALSE;
    memcpy (cipher_key, out, AES_KEY_LEN);
    memcpy (iv, out + AES_KEY_LEN, AES_IV_LEN);
    memcpy (mac_key, out + AES_KEY_LEN + AES_IV_LEN, V3_MAC_KEY_LEN);
    *mac_key_len = V3_MAC_KEY_LEN;
    pas_secret_wipe (out, sizeof out);
    return TRUE;
  }
}

GBytes *
pas_ppk_decrypt (PasPpk     *self,
                 const char *passphrase,
                 GError    **error)
{
  guint8 cipher_key[AES_KEY_LEN], iv[AES_IV_LEN], mac_key[V3_MAC_KEY_LEN];
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  gsize mac_key_len = 0, secret_len;
  const guint8 *secret = g_bytes_get_data (self->private_blob, &secret_len);
  g_autoptr(GByteArray) signed_data = g_byte_array_new ();
  guint8 *plain;
  gboolean ok;

  if (!pas_ppk_is_encrypted (self))
    passphrase = "";
  else if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE, _("The key %s needs its passphrase"), self->path);
      return NULL;
    }
  if (!derive_keys (self, passphrase, cipher_key, iv, mac_key, &mac_key_len))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY,
                   _("The key file %s cannot be used: %s"), self->path, _("the file is damaged"));
      return NULL;
    }

  plain = g_malloc (secret_len + AES_IV_LEN);
  if (pas_ppk_is_encrypted (self))
    {
      EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
      int out_len = 0, final_len = 0;

      ok = secret_len % AES_IV_LEN == 0 && ctx != NULL &&
           EVP_DecryptInit_ex (ctx, EVP_aes_256_cbc (), NULL, cipher_key, iv) == 1 &&
           EVP_CIPHER_CTX_set_padding (ctx, 0) == 1 &&
           EVP_DecryptUpdate (ctx, plain, &out_len, secret, (int) secret_len) == 1 &&
           EVP_DecryptFinal_ex (ctx, plain + out_len, &final_len) == 1;
      EVP_CIPHER_CTX_free (ctx);
    }
  else
    {
      memcpy (plain, secret, secret_len);
      ok = TRUE;
    }

  /* The MAC covers the cleartext parts too, so a tampered public half is refused. */
  if (ok)
    {
      pas_wire_put_cstring (signed_data, self->algorithm);
      pas_wire_put_cstring (signed_data, self->encryption);
      pas_wire_put_cstring (signed_data, self->comment);
      pas_wire_put_string (signed_data, g_bytes_get_data (self->public_blob, NULL),
                           g_bytes_get_size (self->public_blob));
      pas_wire_put_string (signed_data, plain, secret_len);
      ok = HMAC (self->version == 2 ? EVP_sha1 () : EVP_sha256 (), mac_key, (int) mac_key_len,
                 signed_data->data, signed_data->len, mac, &mac_len) != NULL &&
           mac_len == self->mac_len && CRYPTO_memcmp (mac, self->mac, mac_len) == 0;
      pas_secret_wipe (signed_data->data, signed_data->len);
    }

  pas_secret_wipe (cipher_key, sizeof cipher_key);
  pas_secret_wipe (iv, sizeof iv);
  pas_secret_wipe (mac_key, sizeof mac_key);

  if (!ok)
    {
      pas_secret_wipe (plain, secret_len);
      g_free (plain);
      if (pas_ppk_is_encrypted (self))
        g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE,
                     _("The passphrase of the key %s is not right"), self->path);
      else
        g_set_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY,
                     _("The key file %s cannot be used: %s"), self->path, _("the file is damaged"));
      return NULL;
    }
  return g_bytes_new_take (plain, secret_len);
}
