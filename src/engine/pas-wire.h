#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bounds-checked reading and writing of SSH wire types (RFC 4251 §5): every
 * read checks the remaining length first, and a failed read poisons the
 * reader so callers can check once at the end. No I/O here. */
typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gboolean      failed;
} PasWireReader;

void     pas_wire_reader_init       (PasWireReader *reader,
                                     const guint8  *data,
                                     gsize          len);
gboolean pas_wire_read_u8           (PasWireReader *reader,
                                     guint8        *value);
gboolean pas_wire_read_u32          (PasWireReader *reader,
                                     guint32       *value);
gboolean pas_wire_read_u64          (PasWireReader *reader,
                                     guint64       *value);
/* Points into the reader's buffer; no copy, no NUL terminator. */
gboolean pas_wire_read_string       (PasWireReader *reader,
                                     const guint8 **data,
                                     gsize         *len);
/* Copies into a new NUL-terminated string; refuses embedded NULs. */
gboolean pas_wire_read_cstring      (PasWireReader *reader,
                                     char         **value);
gboolean pas_wire_read_bytes        (PasWireReader *reader,
                                     gsize          len,
                                     const guint8 **data);
gsize    pas_wire_reader_remaining  (const PasWireReader *reader);
gboolean pas_wire_reader_at_end     (const PasWireReader *reader);

void     pas_wire_put_u8            (GByteArray    *out,
                                     guint8         value);
void     pas_wire_put_u32           (GByteArray    *out,
                                     guint32        value);
void     pas_wire_put_u64           (GByteArray    *out,
                                     guint64        value);
void     pas_wire_put_string        (GByteArray    *out,
                                     const void    *data,
                                     gsize          len);
void     pas_wire_put_cstring       (GByteArray    *out,
                                     const char    *value);
/* An mpint from an unsigned big-endian magnitude (RFC 4251 §5). */
void     pas_wire_put_mpint         (GByteArray    *out,
                                     const guint8  *magnitude,
                                     gsize          len);

/* The same key blob with its leading type name replaced — how an RSA key is
 * offered as "rsa-sha2-512" through libssh2_userauth_publickey(). */
GBytes  *pas_wire_relabel_key_blob  (GBytes        *blob,
                                     const char    *name);

G_END_DECLS
