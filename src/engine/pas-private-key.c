#define G_LOG_DOMAIN "pas-private-key"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "pas-bcrypt-pbkdf.h"
#include "pas-error.h"
#include "pas-ppk.h"
#include "pas-private-key.h"
#include "pas-secret.h"
#include "pas-wire.h"

#define OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END "-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC "openssh-key-v1"
#define MAX_KEY_FILE (1024 * 1024)

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

static gboolean
bad_key (GError    **error,
         const char *path,
         const char *why)
{
  g_set_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY,
               /* Translators: %s is a file, the second %s says what is wrong with it */
               _("The key file %s cannot be used: %s"), path, why);
  return FALSE;
}

/* ---- OpenSSL <-> SSH wire ---------------------------------------------- */

static void
put_bn (GByteArray   *out,
        const BIGNUM *bn)
{
  int len = BN_num_bytes (bn);
  g_autofree guint8 *buf = g_malloc (MAX (len, 1));

  BN_bn2bin (bn, buf);
  pas_wire_put_mpint (out, buf, len);
  pas_secret_wipe (buf, len);
}

static const char *
curve_to_ssh (const char *group)
{
  if (g_strcmp0 (group, "prime256v1") == 0 || g_strcmp0 (group, "P-256") == 0)
    return "nistp256";
  if (g_strcmp0 (group, "secp384r1") == 0 || g_strcmp0 (group, "P-384") == 0)
    return "nistp384";
  if (g_strcmp0 (group, "secp521r1") == 0 || g_strcmp0 (group, "P-521") == 0)
    return "nistp521";
  return NULL;
}

static const char *
curve_to_openssl (const char *ssh_curve)
{
  if (strcmp (ssh_curve, "nistp256") == 0)
    return "prime256v1";
  if (strcmp (ssh_curve, "nistp384") == 0)
    return "secp384r1";
  if (strcmp (ssh_curve, "nistp521") == 0)
    return "secp521r1";
  return NULL;
}

/* Builds the SSH public blob (and key type) from an OpenSSL key. */
static GBytes *
blob_from_pkey (EVP_PKEY *pkey,
                char    **key_type)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (EVP_PKEY_is_a (pkey, "ED25519"))
    {
      guint8 pub[32];
      size_t len = sizeof pub;

      if (EVP_PKEY_get_raw_public_key (pkey, pub, &len) != 1 || len != 32)
        return NULL;
      *key_type = g_strdup ("ssh-ed25519");
      pas_wire_put_cstring (out, *key_type);
      pas_wire_put_string (out, pub, len);
    }
  else if (EVP_PKEY_is_a (pkey, "EC"))
    {
      char group[64];
      guint8 point[256];
      size_t len = 0;
      const char *curve;

      if (EVP_PKEY_get_utf8_string_param (pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, NULL) != 1 ||
          (curve = curve_to_ssh (group)) == NULL ||
          EVP_PKEY_get_octet_string_param (pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) != 1)
        return NULL;
      *key_type = g_strconcat ("ecdsa-sha2-", curve, NULL);
      pas_wire_put_cstring (out, *key_type);
      pas_wire_put_cstring (out, curve);
      pas_wire_put_string (out, point, len);
    }
  else if (EVP_PKEY_is_a (pkey, "RSA"))
    {
      BIGNUM *n = NULL, *e = NULL;

      if (EVP_PKEY_get_bn_param (pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
          EVP_PKEY_get_bn_param (pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1)
        {
          BN_free (n);
          BN_free (e);
          return NULL;
        }
      *key_type = g_strdup ("ssh-rsa");
      pas_wire_put_cstring (out, *key_type);
      put_bn (out, e);
      put_bn (out, n);
      BN_free (n);
      BN_free (e);
    }
  else
    return NULL;

  return g_bytes_new (out->data, out->len);
}

static EVP_PKEY *
pkey_from_params (const char     *type,
                  OSSL_PARAM_BLD *builder)
{
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param (builder);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name (NULL, type, NULL);
  EVP_PKEY *pkey = NULL;

  if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init (ctx) != 1 ||
      EVP_PKEY_fromdata (ctx, &pkey, EVP_PKEY_KEYPAIR, params) != 1)
    pkey = NULL;
  OSSL_PARAM_free (params);
  EVP_PKEY_CTX_free (ctx);
  return pkey;
}

static BIGNUM *
read_bn (PasWireReader *r)
{
  const guint8 *data;
  gsize len;

  if (!pas_wire_read_string (r, &data, &len) || len > 2048 || (len > 0 && (data[0] & 0x80)))
    return NULL;   /* negative or absurd */
  return BN_bin2bn (data, (int) len, NULL);
}

/* The private key fields of one openssh-key-v1 entry, into an EVP_PKEY. */
static EVP_PKEY *
read_openssh_private (PasWireReader *r,
                      char         **key_type)
{
  EVP_PKEY *pkey = NULL;

  if (!pas_wire_read_cstring (r, key_type))
    return NULL;

  if (strcmp (*key_type, "ssh-ed25519") == 0)
    {
      const guint8 *pub, *priv;
      gsize pub_len, priv_len;

      if (!pas_wire_read_string (r, &pub, &pub_len) || !pas_wire_read_string (r, &priv, &priv_len) ||
          pub_len != 32 || priv_len != 64 || memcmp (priv + 32, pub, 32) != 0)
        return NULL;
      pkey = EVP_PKEY_new_raw_private_key (EVP_PKEY_ED25519, NULL, priv, 32);
    }
  else if (g_str_has_prefix (*key_type, "ecdsa-sha2-"))
    {
      g_autofree char *curve = NULL;
      const guint8 *point;
      gsize point_len;
      const char *group;
      BIGNUM *d = NULL;
      OSSL_PARAM_BLD *builder;

      if (!pas_wire_read_cstring (r, &curve) || strcmp (*key_type + strlen ("ecdsa-sha2-"), curve) != 0 ||
          (group = curve_to_openssl (curve)) == NULL ||
          !pas_wire_read_string (r, &point, &point_len) || (d = read_bn (r)) == NULL)
        return NULL;
      builder = OSSL_PARAM_BLD_new ();
      if (OSSL_PARAM_BLD_push_utf8_string (builder, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
          OSSL_PARAM_BLD_push_octet_string (builder, OSSL_PKEY_PARAM_PUB_KEY, point, point_len) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1)
        pkey = pkey_from_params ("EC", builder);
      OSSL_PARAM_BLD_free (builder);
      BN_clear_free (d);
    }
  else if (strcmp (*key_type, "ssh-rsa") == 0)
    {
      BIGNUM *n = read_bn (r), *e = read_bn (r), *d = read_bn (r);
      BIGNUM *iqmp = read_bn (r), *p = read_bn (r), *q = read_bn (r);
      BIGNUM *dmp1 = BN_new (), *dmq1 = BN_new (), *tmp = BN_new ();
      BN_CTX *bn_ctx = BN_CTX_new ();
      OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new ();

      /* OpenSSH stores no CRT exponents; OpenSSL wants them. */
      if (n && e && d && iqmp && p && q && BN_num_bits (n) >= 1024 && BN_num_bits (n) <= 16384 &&
          BN_sub (tmp, p, BN_value_one ()) && BN_mod (dmp1, d, tmp, bn_ctx) &&
          BN_sub (tmp, q, BN_value_one ()) && BN_mod (dmq1, d, tmp, bn_ctx) &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_E, e) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_D, d) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_FACTOR1, p) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_FACTOR2, q) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1) == 1 &&
          OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp) == 1)
        pkey = pkey_from_params ("RSA", builder);
      OSSL_PARAM_BLD_free (builder);
      BN_CTX_free (bn_ctx);
      BN_free (n);
      BN_free (e);
      BN_clear_free (d);
      BN_clear_free (iqmp);
      BN_clear_free (p);
      BN_clear_free (q);
      BN_clear_free (dmp1);
      BN_clear_free (dmq1);
      BN_clear_free (tmp);
    }

  return pkey;
}

/* ---- openssh-key-v1 ------------------------------------------------------ */

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
  if (!pas_wire_read_bytes (&r, sizeof OPENSSH_MAGIC, &magic) || memcmp (magic, OPENSSH_MAGIC, sizeof OPENSSH_MAGIC) != 0)
    return bad_key (error, self->path, _("it is not an OpenSSH private key"));
  if (!pas_wire_read_cstring (&r, &c->cipher) || !pas_wire_read_cstring (&r, &c->kdf) ||
      !pas_wire_read_string (&r, &kdf_options, &kdf_options_len) || !pas_wire_read_u32 (&r, &n_keys))
    return bad_key (error, self->path, _("the file is damaged"));
  if (n_keys != 1)
    return bad_key (error, self->path, _("it holds more than one key"));
  if (!pas_wire_read_string (&r, &c->public_blob, &c->public_len) ||
      !pas_wire_read_string (&r, &c->secret, &c->secret_len))
    return bad_key (error, self->path, _("the file is damaged"));

  if (strcmp (c->kdf, "bcrypt") == 0)
    {
      PasWireReader kr;

      pas_wire_reader_init (&kr, kdf_options, kdf_options_len);
      if (!pas_wire_read_string (&kr, &c->salt, &c->salt_len) || !pas_wire_read_u32 (&kr, &c->rounds))
        return bad_key (error, self->path, _("the file is damaged"));
    }
  else if (strcmp (c->kdf, "none") != 0)
    return bad_key (error, self->path, _("it uses a key derivation Passerelle does not know"));

  if ((strcmp (c->cipher, "none") == 0) != (strcmp (c->kdf, "none") == 0))
    return bad_key (error, self->path, _("the file is damaged"));
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

static gboolean
unlock_openssh (PasPrivateKey *self,
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
          bad_key (error, self->path, why);
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
          bad_key (error, self->path, _("the file is damaged"));
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
          bad_key (error, self->path, _("the file is damaged"));
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
        bad_key (error, self->path, _("the file is damaged"));
      goto out;
    }

  pkey = read_openssh_private (&r, &key_type);
  if (pkey == NULL || !pas_wire_read_cstring (&r, &comment))
    {
      bad_key (error, self->path, key_type != NULL && strcmp (key_type, "ssh-ed25519") != 0 &&
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
          bad_key (error, self->path, _("the file is damaged"));
          goto out;
        }
    }

  /* The private half must belong to the public half written in the file. */
  derived = blob_from_pkey (pkey, &derived_type);
  if (derived == NULL || g_bytes_get_size (derived) != c.public_len ||
      memcmp (g_bytes_get_data (derived, NULL), c.public_blob, c.public_len) != 0)
    {
      bad_key (error, self->path, _("its private and public halves do not match"));
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

static gboolean
load_openssh (PasPrivateKey *self,
              const char    *data,
              gsize          len,
              GError       **error)
{
  const char *begin = g_strstr_len (data, len, OPENSSH_BEGIN);
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
      begin += strlen (OPENSSH_BEGIN);
      end = g_strstr_len (begin, len - (gsize) (begin - data), OPENSSH_END);
    }
  if (begin == NULL || end == NULL)
    return bad_key (error, self->path, _("the file is damaged"));
  base64 = g_strndup (begin, end - begin);
  g_strdelimit (base64, "\r\n\t ", ' ');
  {
    char *w = base64;
    for (const char *p = base64; *p; p++)
      {
        if (*p == ' ')
          continue;
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
          return bad_key (error, self->path, _("the file is damaged"));
        *w++ = *p;
      }
    *w = '\0';
  }
  if (strlen (base64) % 4 != 0)
    return bad_key (error, self->path, _("the file is damaged"));
  decoded = g_base64_decode (base64, &decoded_len);
  self->openssh_blob = g_bytes_new_take (g_steal_pointer (&decoded), decoded_len);

  if (!parse_container (self, &c, error))
    goto out;

  /* The public half, readable without the passphrase. */
  pas_wire_reader_init (&r, c.public_blob, c.public_len);
  if (!pas_wire_read_cstring (&r, &self->key_type))
    {
      bad_key (error, self->path, _("the file is damaged"));
      goto out;
    }
  self->public_blob = g_bytes_new (c.public_blob, c.public_len);
  self->encrypted = strcmp (c.cipher, "none") != 0;
  ok = self->encrypted ? TRUE : unlock_openssh (self, NULL, error);

out:
  container_clear (&c);
  return ok;
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
        bad_key (error, self->path, _("OpenSSL cannot read it"));
      return FALSE;
    }

  blob = blob_from_pkey (pkey, &key_type);
  if (blob == NULL)
    {
      EVP_PKEY_free (pkey);
      return bad_key (error, self->path, _("its key type is not supported"));
    }
  if (self->public_blob != NULL && !g_bytes_equal (self->public_blob, blob))
    {
      g_bytes_unref (blob);
      EVP_PKEY_free (pkey);
      return bad_key (error, self->path, _("its private and public halves do not match"));
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
    return bad_key (error, self->path, _("its key type is not supported"));

  pas_wire_reader_init (&r, rebuilt->data, rebuilt->len);
  pkey = read_openssh_private (&r, &key_type);
  pas_secret_wipe (rebuilt->data, rebuilt->len);
  if (pkey == NULL)
    return bad_key (error, self->path, _("the file is damaged"));

  derived = blob_from_pkey (pkey, &derived_type);
  if (derived == NULL || !g_bytes_equal (derived, self->public_blob))
    {
      EVP_PKEY_free (pkey);
      return bad_key (error, self->path, _("its private and public halves do not match"));
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
    return bad_key (error, self->path, _("the file is damaged"));

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
    return bad_key (error, self->path, _("it is too large to be a key")), NULL;
  if (g_strstr_len (data, len, OPENSSH_BEGIN) != NULL)
    {
      self->format = FORMAT_OPENSSH;
      if (!load_openssh (self, data, len, error))
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
    return bad_key (error, self->path, _("it is not a private key Passerelle knows")), NULL;

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
      return unlock_openssh (self, passphrase, error);
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
      put_bn (out, ECDSA_SIG_get0_r (ecdsa));
      put_bn (out, ECDSA_SIG_get0_s (ecdsa));
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
