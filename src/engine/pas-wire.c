#define G_LOG_DOMAIN "pas-wire"

#include "config.h"

#include <string.h>

#include "pas-wire.h"

void
pas_wire_reader_init (PasWireReader *reader,
                      const guint8  *data,
                      gsize          len)
{
  reader->data = data;
  reader->len = data != NULL ? len : 0;
  reader->pos = 0;
  reader->failed = FALSE;
}

gsize
pas_wire_reader_remaining (const PasWireReader *reader)
{
  return reader->failed ? 0 : reader->len - reader->pos;
}

gboolean
pas_wire_reader_at_end (const PasWireReader *reader)
{
  return !reader->failed && reader->pos == reader->len;
}

gboolean
pas_wire_read_bytes (PasWireReader *reader,
                     gsize          len,
                     const guint8 **data)
{
  if (reader->failed || len > reader->len - reader->pos)
    {
      reader->failed = TRUE;
      return FALSE;
    }
  if (data != NULL)
    *data = reader->data + reader->pos;
  reader->pos += len;
  return TRUE;
}

gboolean
pas_wire_read_u8 (PasWireReader *reader,
                  guint8        *value)
{
  const guint8 *p;

  if (!pas_wire_read_bytes (reader, 1, &p))
    return FALSE;
  *value = p[0];
  return TRUE;
}

gboolean
pas_wire_read_u32 (PasWireReader *reader,
                   guint32       *value)
{
  const guint8 *p;

  if (!pas_wire_read_bytes (reader, 4, &p))
    return FALSE;
  *value = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  return TRUE;
}

gboolean
pas_wire_read_u64 (PasWireReader *reader,
                   guint64       *value)
{
  guint32 hi, lo;

  if (!pas_wire_read_u32 (reader, &hi) || !pas_wire_read_u32 (reader, &lo))
    return FALSE;
  *value = ((guint64) hi << 32) | lo;
  return TRUE;
}

gboolean
pas_wire_read_string (PasWireReader *reader,
                      const guint8 **data,
                      gsize         *len)
{
  guint32 n;

  if (!pas_wire_read_u32 (reader, &n) || !pas_wire_read_bytes (reader, n, data))
    return FALSE;
  *len = n;
  return TRUE;
}

gboolean
pas_wire_read_cstring (PasWireReader *reader,
                       char         **value)
{
  const guint8 *data;
  gsize len;

  if (!pas_wire_read_string (reader, &data, &len))
    return FALSE;
  if (memchr (data, '\0', len) != NULL)
    {
      reader->failed = TRUE;
      return FALSE;
    }
  *value = g_strndup ((const char *) data, len);
  return TRUE;
}

void
pas_wire_put_u8 (GByteArray *out,
                 guint8      value)
{
  g_byte_array_append (out, &value, 1);
}

void
pas_wire_put_u32 (GByteArray *out,
                  guint32     value)
{
  guint8 b[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, b, 4);
}

void
pas_wire_put_u64 (GByteArray *out,
                  guint64     value)
{
  pas_wire_put_u32 (out, (guint32) (value >> 32));
  pas_wire_put_u32 (out, (guint32) value);
}

void
pas_wire_put_string (GByteArray *out,
                     const void *data,
                     gsize       len)
{
  g_return_if_fail (len <= G_MAXUINT32);

  pas_wire_put_u32 (out, (guint32) len);
  if (len > 0)
    g_byte_array_append (out, data, (guint) len);
}

void
pas_wire_put_cstring (GByteArray *out,
                      const char *value)
{
  pas_wire_put_string (out, value, strlen (value));
}

void
pas_wire_put_mpint (GByteArray   *out,
                    const guint8 *magnitude,
                    gsize         len)
{
  while (len > 0 && magnitude[0] == 0)
    {
      magnitude++;
      len--;
    }
  /* A set top bit would read as negative: prefix a zero byte. */
  if (len > 0 && (magnitude[0] & 0x80))
    {
      pas_wire_put_u32 (out, (guint32) len + 1);
      pas_wire_put_u8 (out, 0);
      g_byte_array_append (out, magnitude, (guint) len);
    }
  else
    pas_wire_put_string (out, magnitude, len);
}

GBytes *
pas_wire_relabel_key_blob (GBytes     *blob,
                           const char *name)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  PasWireReader r;
  const guint8 *type;
  gsize type_len, len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  pas_wire_reader_init (&r, data, len);
  if (!pas_wire_read_string (&r, &type, &type_len))
    return NULL;
  pas_wire_put_cstring (out, name);
  g_byte_array_append (out, data + r.pos, (guint) (len - r.pos));
  return g_bytes_new (out->data, out->len);
}
