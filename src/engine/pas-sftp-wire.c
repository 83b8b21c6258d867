#define G_LOG_DOMAIN "pas-sftp-wire"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-sftp-wire.h"
#include "pas-wire.h"

/* The smallest a NAME entry can be (filename and long name empty, attr flags
 * 0), and an extension (two empty strings): counts above remaining/that are
 * lies. */
#define MIN_NAME_ENTRY 12
#define MIN_EXTENSION 8

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL,
               _("The server sent a malformed SFTP message (%s)"), what);
  return FALSE;
}

gboolean
pas_sftp_frame_length (const guint8 *data,
                       gsize         available,
                       guint32      *length,
                       GError      **error)
{
  PasWireReader r;

  pas_wire_reader_init (&r, data, available);
  if (!pas_wire_read_u32 (&r, length))
    return malformed (error, "short length");
  if (*length == 0 || *length > PAS_SFTP_MAX_PACKET)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL,
                   _("The server sent an SFTP message of %u bytes, which is not acceptable"), *length);
      return FALSE;
    }
  return TRUE;
}

gboolean
pas_sftp_attrs_decode (const guint8 *data,
                       gsize         len,
                       gsize        *consumed,
                       PasSftpAttrs *attrs)
{
  PasWireReader r;

  memset (attrs, 0, sizeof *attrs);
  pas_wire_reader_init (&r, data, len);
  if (!pas_wire_read_u32 (&r, &attrs->flags))
    return FALSE;
  if ((attrs->flags & PAS_SFTP_ATTR_SIZE) && !pas_wire_read_u64 (&r, &attrs->size))
    return FALSE;
  if ((attrs->flags & PAS_SFTP_ATTR_UIDGID) &&
      (!pas_wire_read_u32 (&r, &attrs->uid) || !pas_wire_read_u32 (&r, &attrs->gid)))
    return FALSE;
  if ((attrs->flags & PAS_SFTP_ATTR_PERMISSIONS) && !pas_wire_read_u32 (&r, &attrs->permissions))
    return FALSE;
  if ((attrs->flags & PAS_SFTP_ATTR_ACMODTIME) &&
      (!pas_wire_read_u32 (&r, &attrs->atime) || !pas_wire_read_u32 (&r, &attrs->mtime)))
    return FALSE;
  if (attrs->flags & PAS_SFTP_ATTR_EXTENDED)
    {
      guint32 count;

      if (!pas_wire_read_u32 (&r, &count) || count > pas_wire_reader_remaining (&r) / MIN_EXTENSION)
        return FALSE;
      /* Extended attributes are skipped: nothing we do depends on them. */
      for (guint32 i = 0; i < count; i++)
        {
          const guint8 *p;
          gsize n;
          if (!pas_wire_read_string (&r, &p, &n) || !pas_wire_read_string (&r, &p, &n))
            return FALSE;
        }
    }
  *consumed = r.pos;
  return TRUE;
}

void
pas_sftp_attrs_encode (GByteArray         *out,
                       const PasSftpAttrs *attrs)
{
  /* We never send extended attributes. */
  guint32 flags = attrs != NULL ? attrs->flags & ~PAS_SFTP_ATTR_EXTENDED : 0;

  pas_wire_put_u32 (out, flags);
  if (flags & PAS_SFTP_ATTR_SIZE)
    pas_wire_put_u64 (out, attrs->size);
  if (flags & PAS_SFTP_ATTR_UIDGID)
    {
      pas_wire_put_u32 (out, attrs->uid);
      pas_wire_put_u32 (out, attrs->gid);
    }
  if (flags & PAS_SFTP_ATTR_PERMISSIONS)
    pas_wire_put_u32 (out, attrs->permissions);
  if (flags & PAS_SFTP_ATTR_ACMODTIME)
    {
      pas_wire_put_u32 (out, attrs->atime);
      pas_wire_put_u32 (out, attrs->mtime);
    }
}

static void
name_free (PasSftpName *name)
{
  g_free (name->filename);
  g_free (name->longname);
  g_free (name);
}

static void
extension_free (PasSftpExtension *extension)
{
  g_free (extension->name);
  g_clear_pointer (&extension->data, g_bytes_unref);
  g_free (extension);
}

void
pas_sftp_reply_free (PasSftpReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->extensions, g_ptr_array_unref);
  g_free (reply->message);
  g_clear_pointer (&reply->bytes, g_bytes_unref);
  g_clear_pointer (&reply->names, g_ptr_array_unref);
  g_free (reply);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

gboolean
pas_sftp_data_header (const guint8 *packet,
                      gsize         available,
                      guint32      *id,
                      guint32      *data_len)
{
  guint32 frame, len;

  if (available < PAS_SFTP_DATA_HEADER || packet[4] != PAS_SFTP_DATA)
    return FALSE;
  frame = be32 (packet);
  len = be32 (packet + 9);
  /* type + id + length field: 9 bytes; the data must fill the rest exactly. */
  if (frame < 9 || frame > PAS_SFTP_MAX_PACKET || len != frame - 9)
    return FALSE;
  *id = be32 (packet + 5);
  *data_len = len;
  return TRUE;
}

PasSftpReply *
pas_sftp_reply_new_data (guint32 id,
                         GBytes *data)
{
  PasSftpReply *reply = g_new0 (PasSftpReply, 1);

  reply->type = PAS_SFTP_DATA;
  reply->id = id;
  reply->bytes = data;
  return reply;
}

/* A string that may hold anything; the copy is NUL-terminated for C. */
static gboolean
read_text (PasWireReader *r,
           char         **text,
           gsize         *len)
{
  const guint8 *p;
  gsize n;

  if (!pas_wire_read_string (r, &p, &n))
    return FALSE;
  /* Every byte, even after a NUL (g_strndup would stop there): the validator
   * and the display must see what the server really sent. */
  *text = g_malloc (n + 1);
  memcpy (*text, p, n);
  (*text)[n] = '\0';
  if (len != NULL)
    *len = n;
  return TRUE;
}

static gboolean
read_attrs (PasWireReader *r,
            PasSftpAttrs  *attrs)
{
  gsize consumed = 0;

  if (r->failed || !pas_sftp_attrs_decode (r->data + r->pos, r->len - r->pos, &consumed, attrs))
    {
      r->failed = TRUE;
      return FALSE;
    }
  r->pos += consumed;
  return TRUE;
}

static gboolean
decode_version (PasWireReader *r,
                PasSftpReply  *reply,
                GError       **error)
{
  if (!pas_wire_read_u32 (r, &reply->version))
    return malformed (error, "VERSION");
  reply->extensions = g_ptr_array_new_with_free_func ((GDestroyNotify) extension_free);
  while (pas_wire_reader_remaining (r) > 0)
    {
      PasSftpExtension *extension = g_new0 (PasSftpExtension, 1);
      const guint8 *p;
      gsize n;

      g_ptr_array_add (reply->extensions, extension);
      if (!read_text (r, &extension->name, NULL) || !pas_wire_read_string (r, &p, &n))
        return malformed (error, "VERSION extensions");
      extension->data = g_bytes_new (p, n);
    }
  return TRUE;
}

static gboolean
decode_names (PasWireReader *r,
              PasSftpReply  *reply,
              GError       **error)
{
  guint32 count;

  if (!pas_wire_read_u32 (r, &count) || count > pas_wire_reader_remaining (r) / MIN_NAME_ENTRY)
    return malformed (error, "NAME count");
  reply->names = g_ptr_array_new_full (count, (GDestroyNotify) name_free);
  for (guint32 i = 0; i < count; i++)
    {
      PasSftpName *name = g_new0 (PasSftpName, 1);

      g_ptr_array_add (reply->names, name);
      if (!read_text (r, &name->filename, &name->filename_len) ||
          !read_text (r, &name->longname, NULL) ||
          !read_attrs (r, &name->attrs))
        return malformed (error, "NAME entry");
    }
  return TRUE;
}

PasSftpReply *
pas_sftp_reply_decode (const guint8 *data,
                       gsize         len,
                       GError      **error)
{
  g_autoptr(PasSftpReply) reply = g_new0 (PasSftpReply, 1);
  PasWireReader r;
  const guint8 *p;
  gsize n;
  gboolean ok;

  if (len > PAS_SFTP_MAX_PACKET)
    return malformed (error, "too long"), NULL;
  pas_wire_reader_init (&r, data, len);
  if (!pas_wire_read_u8 (&r, &reply->type))
    return malformed (error, "empty"), NULL;
  if (reply->type == PAS_SFTP_VERSION_PACKET)
    ok = decode_version (&r, reply, error);
  else
    {
      if (!pas_wire_read_u32 (&r, &reply->id))
        return malformed (error, "no request id"), NULL;

      switch (reply->type)
        {
        case PAS_SFTP_STATUS:
          /* SFTP v3 servers may omit the message and language tag. */
          ok = pas_wire_read_u32 (&r, &reply->status);
          if (ok && pas_wire_reader_remaining (&r) > 0)
            ok = read_text (&r, &reply->message, NULL) &&
                 (pas_wire_reader_remaining (&r) == 0 || pas_wire_read_string (&r, &p, &n));
          if (!ok)
            malformed (error, "STATUS");
          break;

        case PAS_SFTP_HANDLE:
        case PAS_SFTP_DATA:
          ok = pas_wire_read_string (&r, &p, &n);
          /* SFTP handles are at most 256 bytes long (draft §7). */
          if (ok && reply->type == PAS_SFTP_HANDLE && (n == 0 || n > 256))
            ok = FALSE;
          if (ok)
            reply->bytes = g_bytes_new (p, n);
          else
            malformed (error, reply->type == PAS_SFTP_HANDLE ? "HANDLE" : "DATA");
          break;

        case PAS_SFTP_NAME:
          ok = decode_names (&r, reply, error);
          break;

        case PAS_SFTP_ATTRS:
          ok = read_attrs (&r, &reply->attrs) || malformed (error, "ATTRS");
          break;

        case PAS_SFTP_EXTENDED_REPLY:
          reply->bytes = g_bytes_new (data + r.pos, len - r.pos);
          r.pos = len;
          ok = TRUE;
          break;

        default:
          g_set_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL,
                       _("The server sent an SFTP message of unknown type %u"), reply->type);
          ok = FALSE;
          break;
        }
    }

  if (!ok)
    return NULL;
  if (!pas_wire_reader_at_end (&r))
    return malformed (error, "bytes left over"), NULL;
  return g_steal_pointer (&reply);
}

/* ---- requests ------------------------------------------------------------ */

static GByteArray *
begin (guint8  type,
       guint32 id)
{
  GByteArray *out = g_byte_array_new ();

  pas_wire_put_u32 (out, 0);   /* length, filled by finish() */
  pas_wire_put_u8 (out, type);
  if (type != PAS_SFTP_INIT)
    pas_wire_put_u32 (out, id);
  return out;
}

static GBytes *
finish (GByteArray *out)
{
  guint32 len = out->len - 4;

  out->data[0] = len >> 24;
  out->data[1] = len >> 16;
  out->data[2] = len >> 8;
  out->data[3] = len;
  return g_byte_array_free_to_bytes (out);
}

static void
put_bytes (GByteArray *out,
           GBytes     *bytes)
{
  pas_wire_put_string (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

GBytes *
pas_sftp_encode_init (void)
{
  GByteArray *out = begin (PAS_SFTP_INIT, 0);

  pas_wire_put_u32 (out, PAS_SFTP_VERSION);
  return finish (out);
}

GBytes *
pas_sftp_encode_path (PasSftpPacketType type,
                      guint32           id,
                      const char       *path)
{
  GByteArray *out = begin (type, id);

  pas_wire_put_cstring (out, path);
  return finish (out);
}

GBytes *
pas_sftp_encode_handle (PasSftpPacketType type,
                        guint32           id,
                        GBytes           *handle)
{
  GByteArray *out = begin (type, id);

  put_bytes (out, handle);
  return finish (out);
}

GBytes *
pas_sftp_encode_open (guint32             id,
                      const char         *path,
                      guint32             flags,
                      const PasSftpAttrs *attrs)
{
  GByteArray *out = begin (PAS_SFTP_OPEN, id);

  pas_wire_put_cstring (out, path);
  pas_wire_put_u32 (out, flags);
  pas_sftp_attrs_encode (out, attrs);
  return finish (out);
}

GBytes *
pas_sftp_encode_read (guint32 id,
                      GBytes *handle,
                      guint64 offset,
                      guint32 length)
{
  GByteArray *out = begin (PAS_SFTP_READ, id);

  put_bytes (out, handle);
  pas_wire_put_u64 (out, offset);
  pas_wire_put_u32 (out, length);
  return finish (out);
}

GBytes *
pas_sftp_encode_write (guint32       id,
                       GBytes       *handle,
                       guint64       offset,
                       const guint8 *data,
                       gsize         len)
{
  GByteArray *out = begin (PAS_SFTP_WRITE, id);

  put_bytes (out, handle);
  pas_wire_put_u64 (out, offset);
  pas_wire_put_string (out, data, len);
  return finish (out);
}

GBytes *
pas_sftp_encode_setstat (guint32             id,
                         const char         *path,
                         const PasSftpAttrs *attrs)
{
  GByteArray *out = begin (PAS_SFTP_SETSTAT, id);

  pas_wire_put_cstring (out, path);
  pas_sftp_attrs_encode (out, attrs);
  return finish (out);
}

GBytes *
pas_sftp_encode_fsetstat (guint32             id,
                          GBytes             *handle,
                          const PasSftpAttrs *attrs)
{
  GByteArray *out = begin (PAS_SFTP_FSETSTAT, id);

  put_bytes (out, handle);
  pas_sftp_attrs_encode (out, attrs);
  return finish (out);
}

GBytes *
pas_sftp_encode_mkdir (guint32             id,
                       const char         *path,
                       const PasSftpAttrs *attrs)
{
  GByteArray *out = begin (PAS_SFTP_MKDIR, id);

  pas_wire_put_cstring (out, path);
  pas_sftp_attrs_encode (out, attrs);
  return finish (out);
}

GBytes *
pas_sftp_encode_rename (guint32     id,
                        const char *from,
                        const char *to)
{
  GByteArray *out = begin (PAS_SFTP_RENAME, id);

  pas_wire_put_cstring (out, from);
  pas_wire_put_cstring (out, to);
  return finish (out);
}

GBytes *
pas_sftp_encode_symlink (guint32     id,
                         const char *link_path,
                         const char *target)
{
  GByteArray *out = begin (PAS_SFTP_SYMLINK, id);

  /* OpenSSH reversed the draft's order; every common server follows it. */
  pas_wire_put_cstring (out, target);
  pas_wire_put_cstring (out, link_path);
  return finish (out);
}

GBytes *
pas_sftp_encode_extended (guint32       id,
                          const char   *request,
                          const guint8 *arguments,
                          gsize         len)
{
  GByteArray *out = begin (PAS_SFTP_EXTENDED, id);

  pas_wire_put_cstring (out, request);
  if (len > 0)
    g_byte_array_append (out, arguments, (guint) len);
  return finish (out);
}
