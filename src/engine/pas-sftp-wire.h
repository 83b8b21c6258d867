#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SFTP version 3 (draft-ietf-secsh-filexfer-02) plus the OpenSSH extensions
 * we use: encoding requests and decoding replies. No I/O here, so that every
 * byte a server can send goes through code that is unit-tested and fuzzed.
 * Every length and count is checked against what is left before use. */

#define PAS_SFTP_VERSION 3

/* Largest packet accepted from a server: OpenSSH sends at most 256 KiB; other
 * servers a little more. A length field above this is refused, not allocated. */
#define PAS_SFTP_MAX_PACKET (1024 * 1024)

typedef enum
{
  PAS_SFTP_INIT = 1,
  PAS_SFTP_VERSION_PACKET = 2,
  PAS_SFTP_OPEN = 3,
  PAS_SFTP_CLOSE = 4,
  PAS_SFTP_READ = 5,
  PAS_SFTP_WRITE = 6,
  PAS_SFTP_LSTAT = 7,
  PAS_SFTP_FSTAT = 8,
  PAS_SFTP_SETSTAT = 9,
  PAS_SFTP_FSETSTAT = 10,
  PAS_SFTP_OPENDIR = 11,
  PAS_SFTP_READDIR = 12,
  PAS_SFTP_REMOVE = 13,
  PAS_SFTP_MKDIR = 14,
  PAS_SFTP_RMDIR = 15,
  PAS_SFTP_REALPATH = 16,
  PAS_SFTP_STAT = 17,
  PAS_SFTP_RENAME = 18,
  PAS_SFTP_READLINK = 19,
  PAS_SFTP_SYMLINK = 20,
  PAS_SFTP_STATUS = 101,
  PAS_SFTP_HANDLE = 102,
  PAS_SFTP_DATA = 103,
  PAS_SFTP_NAME = 104,
  PAS_SFTP_ATTRS = 105,
  PAS_SFTP_EXTENDED = 200,
  PAS_SFTP_EXTENDED_REPLY = 201,
} PasSftpPacketType;

typedef enum
{
  PAS_SFTP_OK = 0,
  PAS_SFTP_EOF = 1,
  PAS_SFTP_NO_SUCH_FILE = 2,
  PAS_SFTP_PERMISSION_DENIED = 3,
  PAS_SFTP_FAILURE = 4,
  PAS_SFTP_BAD_MESSAGE = 5,
  PAS_SFTP_NO_CONNECTION = 6,
  PAS_SFTP_CONNECTION_LOST = 7,
  PAS_SFTP_OP_UNSUPPORTED = 8,
} PasSftpStatus;

typedef enum
{
  PAS_SFTP_OPEN_READ = 0x01,
  PAS_SFTP_OPEN_WRITE = 0x02,
  PAS_SFTP_OPEN_APPEND = 0x04,
  PAS_SFTP_OPEN_CREATE = 0x08,
  PAS_SFTP_OPEN_TRUNCATE = 0x10,
  PAS_SFTP_OPEN_EXCLUSIVE = 0x20,
} PasSftpOpenFlags;

typedef enum
{
  PAS_SFTP_ATTR_SIZE = 0x00000001,
  PAS_SFTP_ATTR_UIDGID = 0x00000002,
  PAS_SFTP_ATTR_PERMISSIONS = 0x00000004,
  PAS_SFTP_ATTR_ACMODTIME = 0x00000008,
  PAS_SFTP_ATTR_EXTENDED = 0x80000000,
} PasSftpAttrFlags;

typedef struct
{
  guint32 flags;        /* which fields below are set */
  guint64 size;
  guint32 uid;
  guint32 gid;
  guint32 permissions;  /* full st_mode: type bits and permission bits */
  guint32 atime;
  guint32 mtime;
} PasSftpAttrs;

typedef struct
{
  char         *filename;      /* NUL-terminated copy; may be shorter than filename_len */
  gsize         filename_len;  /* the length the server sent: differs if it holds a NUL */
  char         *longname;
  PasSftpAttrs  attrs;
} PasSftpName;

typedef struct
{
  char   *name;
  GBytes *data;
} PasSftpExtension;

/* A decoded server packet. Only the fields of its type are set. */
typedef struct
{
  guint8        type;
  guint32       id;                 /* not for VERSION */
  /* VERSION */
  guint32       version;
  GPtrArray    *extensions;         /* of PasSftpExtension */
  /* STATUS */
  guint32       status;
  char         *message;
  /* HANDLE, DATA, EXTENDED_REPLY: the bytes */
  GBytes       *bytes;
  /* NAME */
  GPtrArray    *names;              /* of PasSftpName */
  /* ATTRS */
  PasSftpAttrs  attrs;
} PasSftpReply;

/* Framing: how long the packet starting at @data is, once 4 bytes are there.
 * Returns FALSE (with an error) for a length that is zero or too large. */
gboolean      pas_sftp_frame_length   (const guint8  *data,
                                       gsize          available,
                                       guint32       *length,
                                       GError       **error);
/* Decodes one packet body (what follows the length field). */
PasSftpReply *pas_sftp_reply_decode   (const guint8  *data,
                                       gsize          len,
                                       GError       **error);
void          pas_sftp_reply_free     (PasSftpReply  *reply);

/* Bulk data without a copy: when @packet (its first @available bytes, length
 * field included) starts a well-formed DATA packet, gives its id and how many
 * data bytes follow its 13-byte header, so the reader can receive them
 * straight into their own buffer. FALSE for anything else, which the
 * decoder then handles (and refuses, when malformed) once whole. */
gboolean      pas_sftp_data_header    (const guint8  *packet,
                                       gsize          available,
                                       guint32       *id,
                                       guint32       *data_len);
#define PAS_SFTP_DATA_HEADER 13
/* The reply for such a packet once its data is in: takes @data. */
PasSftpReply *pas_sftp_reply_new_data (guint32        id,
                                       GBytes        *data);

gboolean      pas_sftp_attrs_decode   (const guint8  *data,
                                       gsize          len,
                                       gsize         *consumed,
                                       PasSftpAttrs  *attrs);
void          pas_sftp_attrs_encode   (GByteArray         *out,
                                       const PasSftpAttrs *attrs);

/* Requests, each a complete packet with its length field. */
GBytes *pas_sftp_encode_init      (void);
GBytes *pas_sftp_encode_path      (PasSftpPacketType   type,   /* LSTAT STAT OPENDIR REMOVE RMDIR REALPATH READLINK */
                                   guint32             id,
                                   const char         *path);
GBytes *pas_sftp_encode_handle    (PasSftpPacketType   type,   /* CLOSE FSTAT READDIR */
                                   guint32             id,
                                   GBytes             *handle);
GBytes *pas_sftp_encode_open      (guint32             id,
                                   const char         *path,
                                   guint32             flags,
                                   const PasSftpAttrs *attrs);
GBytes *pas_sftp_encode_read      (guint32             id,
                                   GBytes             *handle,
                                   guint64             offset,
                                   guint32             length);
GBytes *pas_sftp_encode_write     (guint32             id,
                                   GBytes             *handle,
                                   guint64             offset,
                                   const guint8       *data,
                                   gsize               len);
GBytes *pas_sftp_encode_setstat   (guint32             id,
                                   const char         *path,
                                   const PasSftpAttrs *attrs);
GBytes *pas_sftp_encode_fsetstat  (guint32             id,
                                   GBytes             *handle,
                                   const PasSftpAttrs *attrs);
GBytes *pas_sftp_encode_mkdir     (guint32             id,
                                   const char         *path,
                                   const PasSftpAttrs *attrs);
GBytes *pas_sftp_encode_rename    (guint32             id,
                                   const char         *from,
                                   const char         *to);
/* OpenSSH's argument order (target first), as its PROTOCOL file documents. */
GBytes *pas_sftp_encode_symlink   (guint32             id,
                                   const char         *link_path,
                                   const char         *target);
/* posix-rename, hardlink, statvfs, fsync, expand-path, limits…: the request
 * name, then already-encoded arguments. */
GBytes *pas_sftp_encode_extended  (guint32             id,
                                   const char         *request,
                                   const guint8       *arguments,
                                   gsize               len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSftpReply, pas_sftp_reply_free)

G_END_DECLS
