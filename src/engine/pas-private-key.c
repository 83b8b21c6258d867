#define G_LOG_DOMAIN "pas-private-key"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "pas-error.h"
#include "pas-private-key-private.h"
#include "pas-secret.h"

#define MAX_KEY_FILE (1024 * 1024)

void
pas_private_key_free (PasPrivateKey *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  if (self->text != NULL)
    pas_secret_free (self->text);
  g_clear_pointer (&self->openssh_blob, g_bytes_unref);
  g_clear_pointer (&self->ppk, pas_ppk_free);
  g_free (self->key_type);
  g_free (self->comment);
  g_clear_pointer (&self->public_blob, g_bytes_unref);
  EVP_PKEY_free (self->pkey);
  g_free (self);
}

gboolean
pas_private_key_bad_key (GError    **error,
                         const char *path,
                         const char *why)
{
  g_set_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY,
               /* Translators: %s is a file, the second %s says what is wrong with it */
               _("The key file %s cannot be used: %s"), path, why);
  return FALSE;
}

/* ---- PEM / PKCS#8 (OpenSSL) --------------------------------------------- */

static int
pem_passphrase_cb (char *buf,
                   int   size,
                   int   rwflag,
                   void *user_data)
{
  const char *passphrase = user_data;
  int len;

  if (passphrase == NULL)
    return -1;
  len = (int) MIN (strlen (passphrase), (gsize) size);
  memcpy (buf, passphrase, len);
  return len;
}

static gboolean
unlock_pem (PasPrivateKey *self,
            const char    *passphrase,
            GError       **error)
{
  BIO *bio = BIO_new_mem_buf (self->text, -1);
  EVP_PKEY *pkey;
  g_autofree char *key_type = NULL;
  GBytes *blob;

  pkey = PEM_read_bio_PrivateKey (bio, NULL, pem_passphrase_cb, (void *) passphrase);
  BIO_free (bio);
  ERR_clear_error ();

  if (pkey == NULL)
    {
      if (self->encrypted)
        g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE,
                     _("The passphrase of the key %s is not right"), self->path);
      else
        pas_private_key_bad_key (error, self->path, _("OpenSSL cannot read it"));
      return FALSE;
    }

  blob = pas_private_key_blob_from_pkey (pkey, &key_type);
  if (blob == NULL)
    {
      EVP_PKEY_free (pkey);
      return pas_private_key_bad_key (error, self->path, _("its key type is not supported"));
    }
  if (self->public_blob != NULL && !g_bytes_equal (self->public_blob, blob))
    {
      g_bytes_unref (blob);
      EVP_PKEY_free (pkey);
      return pas_private_key_bad_key (error, self->path, _("its private and public halves do not match"));
    }

  g_clear_pointer (&self->public_blob, g_bytes_unref);
  self->public_blob = blob;
  g_free (self->key_type);
  self->key_type = g_steal_pointer (&key_type);
  self->pkey = pkey;
  return TRUE;
}

/* An encrypted PEM file hides its public half: NAME.pub, when present, has it. */
static void
load_pub_file (PasPrivateKey *self)
{
  g_autofree char *pub_path = g_strconcat (self->path, ".pub", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree guint8 *blob = NULL;
  gsize len = 0;

  if (!g_file_get_contents (pub_path, &text, NULL, NULL))
    return;
  fields = g_strsplit (g_strstrip (text), " ", 3);
  if (g_strv_length (fields) < 2)
    return;
  blob = g_base64_decode (fields[1], &len);
  if (len > 0)
    {
      self->public_blob = g_bytes_new (blob, len);
      self->key_type = g_strdup (fields[0]);
      if (fields[2] != NULL)
        self->comment = g_strdup (fields[2]);
    }
}

static gboolean
load_pem (PasPrivateKey *self,
          const char    *data,
          gsize          len,
          GError       **error)
{
  self->format = FORMAT_PEM;
  self->text = g_strndup (data, len);
  self->encrypted = strstr (self->text, "Proc-Type: 4,ENCRYPTED") != NULL ||
                    strstr (self->text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL;
  if (self->encrypted)
    {
      load_pub_file (self);
      return TRUE;
    }
  return unlock_pem (self, NULL, error);
}

/* ---- PuTTY .ppk ---------------------------------------------------------- */

/* Rebuilds OpenSSH's layout of a private key from PuTTY's two halves, so the
 * same (tested) code builds the OpenSSL key and checks it against the public half. */
static GByteArray *
ppk_to_openssh_private (GBytes *public_blob,
                        GBytes *private_blob)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  PasWireReader pub, priv;
  g_autofree char *type = NULL;
  const guint8 *a, *b, *c, *d;
  gsize alen, blen, clen, dlen;

  pas_wire_reader_init (&pub, g_bytes_get_data (public_blob, NULL), g_bytes_get_size (public_blob));
  pas_wire_reader_init (&priv, g_bytes_get_data (private_blob, NULL), g_bytes_get_size (private_blob));
  if (!pas_wire_read_cstring (&pub, &type))
    return NULL;
  pas_wire_put_cstring (out, type);

  if (strcmp (type, "ssh-ed25519") == 0)
    {
      g_autofree guint8 *both = NULL;

      if (!pas_wire_read_string (&pub, &a, &alen) || alen != 32 ||
          !pas_wire_read_string (&priv, &b, &blen) || blen != 32)
        return NULL;
      both = g_malloc (64);
      memcpy (both, b, 32);
      memcpy (both + 32, a, 32);
      pas_wire_put_string (out, a, alen);
      pas_wire_put_string (out, both, 64);
      pas_secret_wipe (both, 64);
    }
  else if (g_str_has_prefix (type, "ecdsa-sha2-"))
    {
      if (!pas_wire_read_string (&pub, &a, &alen) || !pas_wire_read_string (&pub, &b, &blen) ||
          !pas_wire_read_string (&priv, &c, &clen))
        return NULL;
      pas_wire_put_string (out, a, alen);
      pas_wire_put_string (out, b, blen);
      pas_wire_put_string (out, c, clen);
    }
  else if (strcmp (type, "ssh-rsa") == 0)
    {
      const guint8 *p, *q;
      gsize plen, qlen;

      /* public: e, n; private: d, p, q, iqmp — OpenSSH wants n, e, d, iqmp, p, q. */
      if (!pas_wire_read_string (&pub, &a, &alen) || !pas_wire_read_string (&pub, &b, &blen) ||
          !pas_wire_read_string (&priv, &c, &clen) || !pas_wire_read_string (&priv, &p, &plen) ||
          !pas_wire_read_string (&priv, &q, &qlen) || !pas_wire_read_string (&priv, &d, &dlen))
        return NULL;
      pas_wire_put_string (out, b, blen);
      pas_wire_put_string (out, a, alen);
      pas_wire_put_string (out, c, clen);
      pas_wire_put_string (out, d, dlen);
      pas_wire_put_string (out, p, plen);
      pas_wire_put_string (out, q, qlen);
    }
  else
    return NULL;

  return g_steal_pointer (&out);
}

static gboolean
unlock_ppk (PasPrivateKey *self,
            const char    *passphrase,
            GError       **error)
{
  g_autoptr(GBytes) private_blob = pas_ppk_decrypt (self->ppk, passphrase, error);
  g_autoptr(GByteArray) rebuilt = NULL;
  g_autofree char *key_type = NULL;
  g_autofree char *derived_type = NULL;
  g_autoptr(GBytes) derived = NULL;
  PasWireReader r;
  EVP_PKEY *pkey;

  if (private_blob == NULL)
    return FALSE;
  rebuilt = ppk_to_openssh_private (self->public_blob, private_blob);
  pas_secret_wipe ((gpointer) g_bytes_get_data (private_blob, NULL), g_bytes_get_size (private_blob));
  if (rebuilt == NULL)
    return pas_private_key_bad_key (error, self->path, _("its key type is not supported"));

  pas_wire_reader_init (&r, rebuilt->data, rebuilt->len);
  pkey = pas_private_key_read_openssh_private (&r, &key_type);
  pas_secret_wipe (rebuilt->data, rebuilt->len);
  if (pkey == NULL)
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));

  derived = pas_private_key_blob_from_pkey (pkey, &derived_type);
  if (derived == NULL || !g_bytes_equal (derived, self->public_blob))
    {
      EVP_PKEY_free (pkey);
      return pas_private_key_bad_key (error, self->path, _("its private and public halves do not match"));
    }
  self->pkey = pkey;
  return TRUE;
}

static gboolean
load_ppk (PasPrivateKey *self,
          const char    *data,
          gsize          len,
          GError       **error)
{
  PasWireReader r;

  self->format = FORMAT_PPK;
  self->ppk = pas_ppk_parse (data, len, self->path, error);
  if (self->ppk == NULL)
    return FALSE;

  self->public_blob = g_bytes_ref (pas_ppk_get_public (self->ppk));
  self->comment = g_strdup (pas_ppk_get_comment (self->ppk));
  self->encrypted = pas_ppk_is_encrypted (self->ppk);
  pas_wire_reader_init (&r, g_bytes_get_data (self->public_blob, NULL), g_bytes_get_size (self->public_blob));
  if (!pas_wire_read_cstring (&r, &self->key_type) || strcmp (self->key_type, pas_ppk_get_algorithm (self->ppk)) != 0)
    return pas_private_key_bad_key (error, self->path, _("the file is damaged"));

  return self->encrypted ? TRUE : unlock_ppk (self, NULL, error);
}

/* ---- public API ---------------------------------------------------------- */

PasPrivateKey *
pas_private_key_load_from_data (const char *data,
                                gsize       len,
                                const char *path,
                                GError    **error)
{
  g_autoptr(PasPrivateKey) self = g_new0 (PasPrivateKey, 1);

  self->path = g_strdup (path != NULL ? path : "(key)");

  if (len > MAX_KEY_FILE)
    return pas_private_key_bad_key (error, self->path, _("it is too large to be a key")), NULL;
  if (g_strstr_len (data, len, PAS_OPENSSH_BEGIN) != NULL)
    {
      self->format = FORMAT_OPENSSH;
      if (!pas_private_key_load_openssh (self, data, len, error))
        return NULL;
    }
  else if (len > 20 && strncmp (data, "PuTTY-User-Key-File-", 20) == 0)
    {
      if (!load_ppk (self, data, len, error))
        return NULL;
    }
  else if (g_strstr_len (data, len, "-----BEGIN ") != NULL && g_strstr_len (data, len, "PRIVATE KEY-----") != NULL)
    {
      if (!load_pem (self, data, len, error))
        return NULL;
    }
  else
    return pas_private_key_bad_key (error, self->path, _("it is not a private key Passerelle knows")), NULL;

  return g_steal_pointer (&self);
}

PasPrivateKey *
pas_private_key_load (const char *path,
                      GError    **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  PasPrivateKey *key;

  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      gboolean denied = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      const char *why = denied ? _("you are not allowed to read it")
                      : g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? _("it does not exist")
                      : local_error->message;

      g_set_error (error, PAS_ERROR, denied ? PAS_ERROR_PERMISSION_DENIED : PAS_ERROR_UNSUPPORTED_KEY,
                   _("Cannot read the key file %s: %s"), path, why);
      return NULL;
    }
  key = pas_private_key_load_from_data (data, len, path, error);
  pas_secret_wipe (data, len);
  return key;
}

const char *
pas_private_key_get_path (PasPrivateKey *self)
{
  return self->path;
}

gboolean
pas_private_key_is_encrypted (PasPrivateKey *self)
{
  return self->encrypted;
}

gboolean
pas_private_key_is_loaded (PasPrivateKey *self)
{
  return self->pkey != NULL;
}

const char *
pas_private_key_get_key_type (PasPrivateKey *self)
{
  return self->key_type;
}

const char *
pas_private_key_get_comment (PasPrivateKey *self)
{
  return self->comment;
}

GBytes *
pas_private_key_get_public_blob (PasPrivateKey *self)
{
  return self->public_blob;
}

char *
pas_private_key_get_fingerprint (PasPrivateKey *self)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;
  gsize blob_len;
  const guint8 *blob;
  char *end;

  if (self->public_blob == NULL)
    return NULL;
  blob = g_bytes_get_data (self->public_blob, &blob_len);
  g_checksum_update (sum, blob, blob_len);
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  end = b64 + strlen (b64);
  while (end > b64 && end[-1] == '=')
    *--end = '\0';
  return g_strconcat ("SHA256:", b64, NULL);
}

gboolean
pas_private_key_unlock (PasPrivateKey *self,
                        const char    *passphrase,
                        GError       **error)
{
  if (self->pkey != NULL)
    return TRUE;
  switch (self->format)
    {
    case FORMAT_OPENSSH:
      return pas_private_key_unlock_openssh (self, passphrase, error);
    case FORMAT_PPK:
      return unlock_ppk (self, passphrase, error);
    case FORMAT_PEM:
    default:
      return unlock_pem (self, passphrase, error);
    }
}

const char *
pas_private_key_get_signature_algorithm (PasPrivateKey *self)
{
  if (g_strcmp0 (self->key_type, "ssh-rsa") == 0)
    return "rsa-sha2-512";
  return self->key_type;
}

GBytes *
pas_private_key_get_auth_blob (PasPrivateKey *self)
{
  if (self->public_blob == NULL)
    return NULL;
  if (g_strcmp0 (self->key_type, "ssh-rsa") != 0)
    return g_bytes_ref (self->public_blob);
  return pas_wire_relabel_key_blob (self->public_blob, pas_private_key_get_signature_algorithm (self));
}

GBytes *
pas_private_key_sign (PasPrivateKey *self,
                      const guint8  *data,
                      gsize          len,
                      GError       **error)
{
  EVP_MD_CTX *ctx;
  const EVP_MD *md = NULL;
  g_autofree guint8 *sig = NULL;
  size_t sig_len = 0;
  GBytes *result = NULL;

  if (self->pkey == NULL)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE, _("The key %s is still locked"), self->path);
      return NULL;
    }

  if (g_strcmp0 (self->key_type, "ssh-rsa") == 0)
    md = EVP_sha512 ();
  else if (g_strcmp0 (self->key_type, "ecdsa-sha2-nistp256") == 0)
    md = EVP_sha256 ();
  else if (g_strcmp0 (self->key_type, "ecdsa-sha2-nistp384") == 0)
    md = EVP_sha384 ();
  else if (g_strcmp0 (self->key_type, "ecdsa-sha2-nistp521") == 0)
    md = EVP_sha512 ();

  ctx = EVP_MD_CTX_new ();
  if (ctx == NULL || EVP_DigestSignInit (ctx, NULL, md, NULL, self->pkey) != 1 ||
      EVP_DigestSign (ctx, NULL, &sig_len, data, len) != 1)
    goto fail;
  sig = g_malloc (sig_len);
  if (EVP_DigestSign (ctx, sig, &sig_len, data, len) != 1)
    goto fail;
  EVP_MD_CTX_free (ctx);
  ctx = NULL;

  if (g_str_has_prefix (self->key_type, "ecdsa-sha2-"))
    {
      /* OpenSSL gives DER; SSH wants mpint r, mpint s (RFC 5656 §3.1.2). */
      const guint8 *p = sig;
      ECDSA_SIG *ecdsa = d2i_ECDSA_SIG (NULL, &p, (long) sig_len);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      if (ecdsa == NULL)
        goto fail;
      pas_private_key_put_bn (out, ECDSA_SIG_get0_r (ecdsa));
      pas_private_key_put_bn (out, ECDSA_SIG_get0_s (ecdsa));
      ECDSA_SIG_free (ecdsa);
      return g_bytes_new (out->data, out->len);
    }

  result = g_bytes_new (sig, sig_len);
  return result;

fail:
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();
  g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("Could not sign with the key %s"), self->path);
  return NULL;
}
