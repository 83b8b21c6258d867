/* The key material of a private key, between OpenSSL's EVP_PKEY and the
 * SSH wire format: public blobs (RFC 4253 6.6, RFC 5656 3.1, RFC 8709 4)
 * and the private fields of an openssh-key-v1 entry (OpenSSH's PROTOCOL.key),
 * which PuTTY keys are rebuilt into too. */

#define G_LOG_DOMAIN "pas-private-key"

#include "config.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

#include "pas-private-key-private.h"
#include "pas-secret.h"

void
pas_private_key_put_bn (GByteArray   *out,
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
GBytes *
pas_private_key_blob_from_pkey (EVP_PKEY *pkey,
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
      pas_private_key_put_bn (out, e);
      pas_private_key_put_bn (out, n);
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
EVP_PKEY *
pas_private_key_read_openssh_private (PasWireReader *r,
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

