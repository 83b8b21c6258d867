#define G_LOG_DOMAIN "pas-host-key"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-host-key.h"
#include "pas-wire.h"

/* A host key blob larger than this is not a key (RSA-16384 is ~2 KiB). */
#define MAX_BLOB_LEN (16 * 1024)

struct _PasHostKey
{
  char       *key_type;
  const char *display_type;
  guint       bits;
  GBytes     *blob;
};

static guint
mpint_bits (const guint8 *p,
            gsize         len)
{
  while (len > 0 && p[0] == 0)
    {
      p++;
      len--;
    }
  if (len == 0)
    return 0;
  return (guint) (len - 1) * 8 + g_bit_storage (p[0]);
}

static gboolean
parse_blob (PasHostKey   *self,
            const guint8 *blob,
            gsize         len)
{
  PasWireReader r;
  const guint8 *a, *b;
  gsize alen, blen;

  pas_wire_reader_init (&r, blob, len);
  if (!pas_wire_read_cstring (&r, &self->key_type))
    return FALSE;

  if (strcmp (self->key_type, "ssh-ed25519") == 0)
    {
      self->display_type = "ED25519";
      if (!pas_wire_read_string (&r, &a, &alen) || alen != 32)
        return FALSE;
      self->bits = 256;
    }
  else if (strcmp (self->key_type, "ssh-rsa") == 0)
    {
      self->display_type = "RSA";
      if (!pas_wire_read_string (&r, &a, &alen) || !pas_wire_read_string (&r, &b, &blen))
        return FALSE;
      self->bits = mpint_bits (b, blen);
    }
  else if (g_str_has_prefix (self->key_type, "ecdsa-sha2-nistp"))
    {
      g_autofree char *curve = NULL;

      self->display_type = "ECDSA";
      if (!pas_wire_read_cstring (&r, &curve) || !pas_wire_read_string (&r, &a, &alen))
        return FALSE;
      if (strcmp (self->key_type + strlen ("ecdsa-sha2-"), curve) != 0)
        return FALSE;
      if (strcmp (curve, "nistp256") == 0)
        self->bits = 256;
      else if (strcmp (curve, "nistp384") == 0)
        self->bits = 384;
      else if (strcmp (curve, "nistp521") == 0)
        self->bits = 521;
      else
        return FALSE;
    }
  else if (strcmp (self->key_type, "ssh-dss") == 0)
    {
      self->display_type = "DSA";
      if (!pas_wire_read_string (&r, &a, &alen))
        return FALSE;
      self->bits = mpint_bits (a, alen);
      /* q, g, y follow; only their presence matters here. */
      for (int i = 0; i < 3; i++)
        if (!pas_wire_read_string (&r, &a, &alen))
          return FALSE;
    }
  else
    {
      /* Unknown algorithms still get a fingerprint, as with ssh-keygen. */
      self->display_type = "UNKNOWN";
      self->bits = 0;
      return TRUE;
    }

  return pas_wire_reader_at_end (&r);
}

PasHostKey *
pas_host_key_new_from_blob (const guint8 *blob,
                            gsize         len,
                            GError      **error)
{
  g_autoptr(PasHostKey) self = g_new0 (PasHostKey, 1);

  if (len == 0 || len > MAX_BLOB_LEN || !parse_blob (self, blob, len))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_HOST_KEY,
                   _("The server’s key is malformed"));
      return NULL;
    }
  self->blob = g_bytes_new (blob, len);
  return g_steal_pointer (&self);
}

/**
 * pas_host_key_new_from_base64:
 * @type: the key type written before the key (e.g. in known_hosts)
 *
 * Refuses a key whose blob names a different type than @type.
 */
PasHostKey *
pas_host_key_new_from_base64 (const char *type,
                              const char *base64,
                              GError    **error)
{
  g_autofree guint8 *blob = NULL;
  gsize len = 0;
  PasHostKey *self;

  for (const char *p = base64; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      {
        g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_HOST_KEY, _("The key is not valid base64"));
        return NULL;
      }
  if (strlen (base64) % 4 != 0 || strlen (base64) > MAX_BLOB_LEN * 2)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_HOST_KEY, _("The key is not valid base64"));
      return NULL;
    }

  blob = g_base64_decode (base64, &len);
  self = pas_host_key_new_from_blob (blob, len, error);
  if (self != NULL && strcmp (self->key_type, type) != 0)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_HOST_KEY,
                   _("The key says it is “%s” but holds a “%s” key"), type, self->key_type);
      pas_host_key_free (self);
      return NULL;
    }
  return self;
}

PasHostKey *
pas_host_key_copy (const PasHostKey *self)
{
  PasHostKey *copy = g_new0 (PasHostKey, 1);

  copy->key_type = g_strdup (self->key_type);
  copy->display_type = self->display_type;
  copy->bits = self->bits;
  copy->blob = g_bytes_ref (self->blob);
  return copy;
}

void
pas_host_key_free (PasHostKey *self)
{
  if (self == NULL)
    return;
  g_free (self->key_type);
  g_clear_pointer (&self->blob, g_bytes_unref);
  g_free (self);
}

const char *
pas_host_key_get_key_type (const PasHostKey *self)
{
  return self->key_type;
}

const char *
pas_host_key_get_display_type (const PasHostKey *self)
{
  return self->display_type;
}

guint
pas_host_key_get_bits (const PasHostKey *self)
{
  return self->bits;
}

GBytes *
pas_host_key_get_blob (const PasHostKey *self)
{
  return self->blob;
}

gboolean
pas_host_key_equal (const PasHostKey *a,
                    const PasHostKey *b)
{
  return g_bytes_equal (a->blob, b->blob);
}

char *
pas_host_key_to_base64 (const PasHostKey *self)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (self->blob, &len);

  return g_base64_encode (data, len);
}

static void
sha256 (const PasHostKey *self,
        guint8            digest[32])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;
  gsize blob_len;
  const guint8 *blob = g_bytes_get_data (self->blob, &blob_len);

  g_checksum_update (checksum, blob, blob_len);
  g_checksum_get_digest (checksum, digest, &len);
}

char *
pas_host_key_get_fingerprint (const PasHostKey *self)
{
  guint8 digest[32];
  g_autofree char *b64 = NULL;
  char *end;

  sha256 (self, digest);
  b64 = g_base64_encode (digest, sizeof digest);
  /* OpenSSH prints SHA256 fingerprints without base64 padding. */
  end = b64 + strlen (b64);
  while (end > b64 && end[-1] == '=')
    *--end = '\0';
  return g_strconcat ("SHA256:", b64, NULL);
}

/* The "drunken bishop" walk from the OpenSSH visual host key paper (Loss,
 * Limmer, von Gernler): each 2-bit group of the digest moves a bishop
 * diagonally on a 17×9 board; squares count visits, drawn with rising symbols. */
#define ART_W 17
#define ART_H 9

static void
append_border (GString    *out,
               const char *label)
{
  gsize label_len = strlen (label);
  gsize left = label_len < ART_W ? (ART_W - label_len) / 2 : 0;
  gsize i;

  g_string_append_c (out, '+');
  for (i = 0; i < left; i++)
    g_string_append_c (out, '-');
  g_string_append (out, label);
  for (i += label_len; i < ART_W; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '+');
}

char *
pas_host_key_get_randomart (const PasHostKey *self)
{
  static const char symbols[] = " .o+=*BOX@%&#/^SE";
  const int top = (int) strlen (symbols) - 1;   /* 'E' */
  guint8 field[ART_W][ART_H] = { { 0 } };
  guint8 digest[32];
  int x = ART_W / 2, y = ART_H / 2;
  g_autofree char *title = NULL;
  GString *out;

  sha256 (self, digest);
  for (gsize i = 0; i < sizeof digest; i++)
    {
      guint8 input = digest[i];

      for (int step = 0; step < 4; step++)
        {
          x += (input & 1) ? 1 : -1;
          y += (input & 2) ? 1 : -1;
          x = CLAMP (x, 0, ART_W - 1);
          y = CLAMP (y, 0, ART_H - 1);
          if (field[x][y] < top - 2)
            field[x][y]++;
          input >>= 2;
        }
    }
  field[ART_W / 2][ART_H / 2] = top - 1;  /* 'S' */
  field[x][y] = top;                      /* 'E' */

  title = g_strdup_printf ("[%s %u]", self->display_type, self->bits);
  if (strlen (title) > ART_W)
    {
      g_free (title);
      title = g_strdup_printf ("[%s]", self->display_type);
    }

  out = g_string_new (NULL);
  append_border (out, title);
  g_string_append_c (out, '\n');
  for (int row = 0; row < ART_H; row++)
    {
      g_string_append_c (out, '|');
      for (int col = 0; col < ART_W; col++)
        g_string_append_c (out, symbols[MIN (field[col][row], top)]);
      g_string_append (out, "|\n");
    }
  append_border (out, "[SHA256]");

  return g_string_free (out, FALSE);
}
