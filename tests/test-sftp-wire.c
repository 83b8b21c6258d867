/* The SFTP v3 wire module: every request encodes as the draft says, every
 * reply type decodes, and hostile bytes give errors — never a crash, never an
 * allocation sized by a number the server chose. */
#include "config.h"

#include <string.h>

#include "pas-engine.h"

static GBytes *handle;

/* Strips and checks the length prefix, type and id of an encoded request. */
static void
open_request (GBytes        *packet,
              guint8         type,
              guint32        id,
              PasWireReader *r)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (packet, &len);
  guint32 length, got_id;
  guint8 got_type;

  pas_wire_reader_init (r, data, len);
  g_assert_true (pas_wire_read_u32 (r, &length));
  g_assert_cmpuint (length, ==, len - 4);
  g_assert_true (pas_wire_read_u8 (r, &got_type));
  g_assert_cmpuint (got_type, ==, type);
  if (type != PAS_SFTP_INIT)
    {
      g_assert_true (pas_wire_read_u32 (r, &got_id));
      g_assert_cmpuint (got_id, ==, id);
    }
}

static void
expect_string (PasWireReader *r,
               const char    *expected)
{
  g_autofree char *s = NULL;

  g_assert_true (pas_wire_read_cstring (r, &s));
  g_assert_cmpstr (s, ==, expected);
}

static void
expect_handle (PasWireReader *r)
{
  const guint8 *p;
  gsize n;

  g_assert_true (pas_wire_read_string (r, &p, &n));
  g_assert_cmpmem (p, n, g_bytes_get_data (handle, NULL), g_bytes_get_size (handle));
}

/* Field by field: the struct has padding that memcmp would compare. */
static void
assert_attrs_equal (const PasSftpAttrs *a,
                    const PasSftpAttrs *b)
{
  g_assert_cmpuint (a->flags, ==, b->flags);
  g_assert_cmpuint (a->size, ==, b->size);
  g_assert_cmpuint (a->uid, ==, b->uid);
  g_assert_cmpuint (a->gid, ==, b->gid);
  g_assert_cmpuint (a->permissions, ==, b->permissions);
  g_assert_cmpuint (a->atime, ==, b->atime);
  g_assert_cmpuint (a->mtime, ==, b->mtime);
}

static void
test_requests (void)
{
  PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_SIZE | PAS_SFTP_ATTR_PERMISSIONS | PAS_SFTP_ATTR_ACMODTIME |
                                  PAS_SFTP_ATTR_UIDGID,
                         .size = 1234567890123, .uid = 1000, .gid = 100, .permissions = 0100644,
                         .atime = 1700000000, .mtime = 1700000001 };
  static const PasSftpPacketType path_types[] = { PAS_SFTP_LSTAT, PAS_SFTP_STAT, PAS_SFTP_OPENDIR, PAS_SFTP_REMOVE,
                                                  PAS_SFTP_RMDIR, PAS_SFTP_REALPATH, PAS_SFTP_READLINK };
  static const PasSftpPacketType handle_types[] = { PAS_SFTP_CLOSE, PAS_SFTP_FSTAT, PAS_SFTP_READDIR };
  PasWireReader r;
  guint32 u32;
  guint64 u64;

  {
    g_autoptr(GBytes) p = pas_sftp_encode_init ();
    open_request (p, PAS_SFTP_INIT, 0, &r);
    g_assert_true (pas_wire_read_u32 (&r, &u32));
    g_assert_cmpuint (u32, ==, 3);
    g_assert_true (pas_wire_reader_at_end (&r));
  }
  for (guint i = 0; i < G_N_ELEMENTS (path_types); i++)
    {
      g_autoptr(GBytes) p = pas_sftp_encode_path (path_types[i], 7 + i, "/srv/été dir/a b");
      open_request (p, path_types[i], 7 + i, &r);
      expect_string (&r, "/srv/été dir/a b");
      g_assert_true (pas_wire_reader_at_end (&r));
    }
  for (guint i = 0; i < G_N_ELEMENTS (handle_types); i++)
    {
      g_autoptr(GBytes) p = pas_sftp_encode_handle (handle_types[i], 20 + i, handle);
      open_request (p, handle_types[i], 20 + i, &r);
      expect_handle (&r);
      g_assert_true (pas_wire_reader_at_end (&r));
    }
  {
    g_autoptr(GBytes) p = pas_sftp_encode_open (30, "f", PAS_SFTP_OPEN_WRITE | PAS_SFTP_OPEN_CREATE, &attrs);
    PasSftpAttrs back;
    gsize used;

    open_request (p, PAS_SFTP_OPEN, 30, &r);
    expect_string (&r, "f");
    g_assert_true (pas_wire_read_u32 (&r, &u32));
    g_assert_cmpuint (u32, ==, 0x0a);
    g_assert_true (pas_sftp_attrs_decode (r.data + r.pos, r.len - r.pos, &used, &back));
    g_assert_cmpuint (r.pos + used, ==, r.len);
    assert_attrs_equal (&back, &attrs);
  }
  {
    g_autoptr(GBytes) p = pas_sftp_encode_read (31, handle, G_GUINT64_CONSTANT (5000000000), 261120);
    open_request (p, PAS_SFTP_READ, 31, &r);
    expect_handle (&r);
    g_assert_true (pas_wire_read_u64 (&r, &u64));
    g_assert_cmpuint (u64, ==, G_GUINT64_CONSTANT (5000000000));
    g_assert_true (pas_wire_read_u32 (&r, &u32));
    g_assert_cmpuint (u32, ==, 261120);
    g_assert_true (pas_wire_reader_at_end (&r));
  }
  {
    const guint8 data[] = { 0, 1, 2, 255 };
    g_autoptr(GBytes) p = pas_sftp_encode_write (32, handle, 42, data, sizeof data);
    const guint8 *got;
    gsize n;

    open_request (p, PAS_SFTP_WRITE, 32, &r);
    expect_handle (&r);
    g_assert_true (pas_wire_read_u64 (&r, &u64));
    g_assert_cmpuint (u64, ==, 42);
    g_assert_true (pas_wire_read_string (&r, &got, &n));
    g_assert_cmpmem (got, n, data, sizeof data);
    g_assert_true (pas_wire_reader_at_end (&r));
  }
  {
    g_autoptr(GBytes) set = pas_sftp_encode_setstat (33, "p", &attrs);
    g_autoptr(GBytes) fset = pas_sftp_encode_fsetstat (34, handle, &attrs);
    g_autoptr(GBytes) mk = pas_sftp_encode_mkdir (35, "d", NULL);

    open_request (set, PAS_SFTP_SETSTAT, 33, &r);
    expect_string (&r, "p");
    open_request (fset, PAS_SFTP_FSETSTAT, 34, &r);
    expect_handle (&r);
    open_request (mk, PAS_SFTP_MKDIR, 35, &r);
    expect_string (&r, "d");
    g_assert_true (pas_wire_read_u32 (&r, &u32));
    g_assert_cmpuint (u32, ==, 0);   /* no attributes */
    g_assert_true (pas_wire_reader_at_end (&r));
  }
  {
    g_autoptr(GBytes) ren = pas_sftp_encode_rename (36, "old", "new");
    g_autoptr(GBytes) sym = pas_sftp_encode_symlink (37, "the-link", "the-target");
    g_autoptr(GBytes) ext = pas_sftp_encode_extended (38, "posix-rename@openssh.com", (const guint8 *) "\0\0\0\1a", 5);

    open_request (ren, PAS_SFTP_RENAME, 36, &r);
    expect_string (&r, "old");
    expect_string (&r, "new");
    /* OpenSSH's order: the target comes first. */
    open_request (sym, PAS_SFTP_SYMLINK, 37, &r);
    expect_string (&r, "the-target");
    expect_string (&r, "the-link");
    open_request (ext, PAS_SFTP_EXTENDED, 38, &r);
    expect_string (&r, "posix-rename@openssh.com");
    expect_string (&r, "a");
    g_assert_true (pas_wire_reader_at_end (&r));
  }
}

/* A reply body: type, id, then what @fill adds. */
static GByteArray *
reply (guint8  type,
       guint32 id)
{
  GByteArray *out = g_byte_array_new ();

  pas_wire_put_u8 (out, type);
  if (type != PAS_SFTP_VERSION_PACKET)
    pas_wire_put_u32 (out, id);
  return out;
}

static PasSftpReply *
decode_ok (GByteArray *body)
{
  g_autoptr(GError) error = NULL;
  PasSftpReply *r = pas_sftp_reply_decode (body->data, body->len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static void
decode_bad (GByteArray *body,
            const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) r = pas_sftp_reply_decode (body->data, body->len, &error);

  g_test_message ("%s: %s", label, error ? error->message : "(accepted!)");
  g_assert_null (r);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
}

static GByteArray *
sample_names (void)
{
  GByteArray *b = reply (PAS_SFTP_NAME, 9);
  PasSftpAttrs a = { .flags = PAS_SFTP_ATTR_SIZE | PAS_SFTP_ATTR_PERMISSIONS, .size = 10, .permissions = 040755 };

  pas_wire_put_u32 (b, 2);
  pas_wire_put_cstring (b, "file one");
  pas_wire_put_cstring (b, "-rw-r--r-- 1 u g 10 Jan 1 file one");
  pas_sftp_attrs_encode (b, &a);
  pas_wire_put_string (b, "bad\0name", 8);
  pas_wire_put_cstring (b, "");
  pas_wire_put_u32 (b, PAS_SFTP_ATTR_EXTENDED);   /* extended attributes are skipped */
  pas_wire_put_u32 (b, 1);
  pas_wire_put_cstring (b, "x@example.com");
  pas_wire_put_cstring (b, "y");
  return b;
}

static void
test_replies (void)
{
  {
    g_autoptr(GByteArray) b = reply (PAS_SFTP_VERSION_PACKET, 0);
    g_autoptr(PasSftpReply) r = NULL;
    PasSftpExtension *e;

    pas_wire_put_u32 (b, 3);
    pas_wire_put_cstring (b, "posix-rename@openssh.com");
    pas_wire_put_cstring (b, "1");
    pas_wire_put_cstring (b, "limits@openssh.com");
    pas_wire_put_cstring (b, "1");
    r = decode_ok (b);
    g_assert_cmpuint (r->version, ==, 3);
    g_assert_cmpuint (r->extensions->len, ==, 2);
    e = g_ptr_array_index (r->extensions, 1);
    g_assert_cmpstr (e->name, ==, "limits@openssh.com");
  }
  {
    g_autoptr(GByteArray) full = reply (PAS_SFTP_STATUS, 5);
    g_autoptr(GByteArray) bare = reply (PAS_SFTP_STATUS, 6);
    g_autoptr(PasSftpReply) a = NULL;
    g_autoptr(PasSftpReply) b = NULL;

    pas_wire_put_u32 (full, PAS_SFTP_NO_SUCH_FILE);
    pas_wire_put_cstring (full, "No such file");
    pas_wire_put_cstring (full, "en");
    pas_wire_put_u32 (bare, PAS_SFTP_OK);
    a = decode_ok (full);
    b = decode_ok (bare);
    g_assert_cmpuint (a->id, ==, 5);
    g_assert_cmpuint (a->status, ==, PAS_SFTP_NO_SUCH_FILE);
    g_assert_cmpstr (a->message, ==, "No such file");
    g_assert_cmpuint (b->status, ==, PAS_SFTP_OK);
    g_assert_null (b->message);
  }
  {
    g_autoptr(GByteArray) h = reply (PAS_SFTP_HANDLE, 1);
    g_autoptr(GByteArray) d = reply (PAS_SFTP_DATA, 2);
    g_autoptr(GByteArray) x = reply (PAS_SFTP_EXTENDED_REPLY, 3);
    g_autoptr(PasSftpReply) rh = NULL, rd = NULL, rx = NULL;

    pas_wire_put_cstring (h, "H1");
    pas_wire_put_string (d, "\0\1\2", 3);
    pas_wire_put_u64 (x, 99);
    rh = decode_ok (h);
    rd = decode_ok (d);
    rx = decode_ok (x);
    g_assert_cmpmem (g_bytes_get_data (rh->bytes, NULL), g_bytes_get_size (rh->bytes), "H1", 2);
    g_assert_cmpuint (g_bytes_get_size (rd->bytes), ==, 3);
    g_assert_cmpuint (g_bytes_get_size (rx->bytes), ==, 8);
  }
  {
    g_autoptr(GByteArray) b = sample_names ();
    g_autoptr(PasSftpReply) r = decode_ok (b);
    PasSftpName *one, *two;

    g_assert_cmpuint (r->names->len, ==, 2);
    one = g_ptr_array_index (r->names, 0);
    two = g_ptr_array_index (r->names, 1);
    g_assert_cmpstr (one->filename, ==, "file one");
    g_assert_cmpuint (one->attrs.size, ==, 10);
    g_assert_cmpuint (one->attrs.permissions, ==, 040755);
    /* The embedded NUL stays visible to the name validator. */
    g_assert_cmpuint (two->filename_len, ==, 8);
    g_assert_cmpuint (strlen (two->filename), ==, 3);
    g_assert_cmpmem (two->filename, two->filename_len, "bad\0name", 8);
  }
  {
    /* The smallest entries there are: a realpath of "/" with no attributes
     * (14 bytes), and an entry with every field empty (12 bytes). */
    g_autoptr(GByteArray) root = reply (PAS_SFTP_NAME, 7);
    g_autoptr(GByteArray) empty = reply (PAS_SFTP_NAME, 8);
    g_autoptr(PasSftpReply) r = NULL;
    g_autoptr(PasSftpReply) e = NULL;

    pas_wire_put_u32 (root, 1);
    pas_wire_put_cstring (root, "/");
    pas_wire_put_cstring (root, "/");
    pas_wire_put_u32 (root, 0);
    pas_wire_put_u32 (empty, 1);
    pas_wire_put_cstring (empty, "");
    pas_wire_put_cstring (empty, "");
    pas_wire_put_u32 (empty, 0);
    r = decode_ok (root);
    e = decode_ok (empty);
    g_assert_cmpstr (((PasSftpName *) g_ptr_array_index (r->names, 0))->filename, ==, "/");
    g_assert_cmpuint (((PasSftpName *) g_ptr_array_index (e->names, 0))->filename_len, ==, 0);
  }
  {
    g_autoptr(GByteArray) b = reply (PAS_SFTP_ATTRS, 4);
    PasSftpAttrs a = { .flags = 0xf, .size = G_MAXUINT64, .uid = 1, .gid = 2, .permissions = 0100600,
                       .atime = 3, .mtime = 4 };
    g_autoptr(PasSftpReply) r = NULL;

    pas_sftp_attrs_encode (b, &a);
    r = decode_ok (b);
    assert_attrs_equal (&r->attrs, &a);
  }
}

static void
test_hostile_replies (void)
{
  struct { const char *label; guint8 type; const guint8 *tail; gsize len; } cases[] = {
    { "STATUS without code", PAS_SFTP_STATUS, (const guint8 *) "", 0 },
    { "HANDLE past the end", PAS_SFTP_HANDLE, (const guint8 *) "\0\0\0\x10" "ab", 6 },
    { "empty HANDLE", PAS_SFTP_HANDLE, (const guint8 *) "\0\0\0\0", 4 },
    { "DATA of 4 GiB", PAS_SFTP_DATA, (const guint8 *) "\xff\xff\xff\xff", 4 },
    { "NAME claiming 4 billion entries", PAS_SFTP_NAME, (const guint8 *) "\xff\xff\xff\xff" "\0\0\0\0", 8 },
    { "NAME entry cut short", PAS_SFTP_NAME, (const guint8 *) "\0\0\0\1" "\0\0\0\1" "a\0\0\0\0", 13 },
    { "ATTRS claiming a size it lacks", PAS_SFTP_ATTRS, (const guint8 *) "\0\0\0\1" "\0\0", 6 },
    { "ATTRS with 4 billion extensions", PAS_SFTP_ATTRS, (const guint8 *) "\x80\0\0\0" "\xff\xff\xff\xff", 8 },
    { "unknown type", 99, (const guint8 *) "", 0 },
    { "a request type", PAS_SFTP_OPEN, (const guint8 *) "", 0 },
  };
  g_autoptr(GByteArray) trailing = sample_names ();
  g_autoptr(GByteArray) no_id = g_byte_array_new ();
  g_autoptr(GByteArray) empty = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint32 length = 0;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = reply (cases[i].type, 1);
      g_byte_array_append (b, cases[i].tail, (guint) cases[i].len);
      decode_bad (b, cases[i].label);
    }
  pas_wire_put_u8 (trailing, 0);
  decode_bad (trailing, "bytes left over");
  pas_wire_put_u8 (no_id, PAS_SFTP_STATUS);
  decode_bad (no_id, "no id");
  decode_bad (empty, "empty");
  /* None of that took time or memory in proportion to the numbers claimed. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_assert_false (pas_sftp_frame_length ((const guint8 *) "\xff\xff\xff\xff", 4, &length, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (pas_sftp_frame_length ((const guint8 *) "\0\0\0\0", 4, &length, &error));
  g_clear_error (&error);
  g_assert_false (pas_sftp_frame_length ((const guint8 *) "\0\0", 2, &length, &error));
  g_clear_error (&error);
  g_assert_true (pas_sftp_frame_length ((const guint8 *) "\0\x10\0\0", 4, &length, &error));
  g_assert_cmpuint (length, ==, 0x100000);
}

static void
test_every_truncation_fails (void)
{
  g_autoptr(GByteArray) b = sample_names ();

  for (guint cut = 0; cut < b->len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasSftpReply) r = pas_sftp_reply_decode (b->data, cut, &error);

      g_assert_null (r);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
    }
}

static void
test_random_bytes (void)
{
  /* A small deterministic fuzz; the real one is the libFuzzer target. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  guint8 buffer[512];
  guint accepted = 0;

  for (guint round = 0; round < 20000; round++)
    {
      gsize len = g_rand_int_range (rand, 0, sizeof buffer);
      g_autoptr(GError) error = NULL;
      g_autoptr(PasSftpReply) r = NULL;

      for (gsize i = 0; i < len; i++)
        buffer[i] = (guint8) g_rand_int (rand);
      /* Bias towards real types so that the decoders get exercised. */
      if (len > 0)
        buffer[0] = (guint8[]) { 2, 101, 102, 103, 104, 105, 201, 7 }[g_rand_int_range (rand, 0, 8)];
      r = pas_sftp_reply_decode (buffer, len, &error);
      g_assert_true ((r == NULL) == (error != NULL));
      accepted += r != NULL;
    }
  g_test_message ("%u of 20000 random packets decoded", accepted);
}

/* The zero-copy path reads a DATA header alone; it must accept exactly the
 * packets the decoder would, and leave everything else to the decoder. */
static void
test_data_header (void)
{
  /* length 9 + 5, DATA, id 42, 5 bytes of data (only the header is here) */
  const guint8 good[] = { 0, 0, 0, 14, 103, 0, 0, 0, 42, 0, 0, 0, 5 };
  const guint8 short_by_one[] = { 0, 0, 0, 14, 103, 0, 0, 0, 42, 0, 0, 0 };
  const guint8 too_long[] = { 0, 0, 0, 14, 103, 0, 0, 0, 42, 0, 0, 0, 6 };     /* data past the packet */
  const guint8 too_short[] = { 0, 0, 0, 14, 103, 0, 0, 0, 42, 0, 0, 0, 4 };    /* leftover bytes */
  const guint8 not_data[] = { 0, 0, 0, 14, 104, 0, 0, 0, 42, 0, 0, 0, 5 };
  const guint8 huge[] = { 0x7f, 0xff, 0xff, 0xff, 103, 0, 0, 0, 42, 0x7f, 0xff, 0xff, 0xf6 };
  guint32 id = 0, len = 0;
  g_autoptr(PasSftpReply) reply = NULL;

  g_assert_true (pas_sftp_data_header (good, sizeof good, &id, &len));
  g_assert_cmpuint (id, ==, 42);
  g_assert_cmpuint (len, ==, 5);
  g_assert_false (pas_sftp_data_header (short_by_one, sizeof short_by_one, &id, &len));
  g_assert_false (pas_sftp_data_header (too_long, sizeof too_long, &id, &len));
  g_assert_false (pas_sftp_data_header (too_short, sizeof too_short, &id, &len));
  g_assert_false (pas_sftp_data_header (not_data, sizeof not_data, &id, &len));
  /* A length past the frame limit is never a buffer size. */
  g_assert_false (pas_sftp_data_header (huge, sizeof huge, &id, &len));

  reply = pas_sftp_reply_new_data (7, g_bytes_new_static ("hello", 5));
  g_assert_cmpuint (reply->type, ==, PAS_SFTP_DATA);
  g_assert_cmpuint (reply->id, ==, 7);
  g_assert_cmpuint (g_bytes_get_size (reply->bytes), ==, 5);
}

static void
test_display_escaping (void)
{
  struct { const char *in; gssize len; const char *out; } cases[] = {
    { "plain été ☀.txt", -1, "plain été ☀.txt" },
    { "evil\xe2\x80\xaetxt.exe", -1, "evil\\u{202E}txt.exe" },   /* RIGHT-TO-LEFT OVERRIDE */
    { "new\nline\ttab", -1, "new\\u{000A}line\\u{0009}tab" },
    { "esc\x1b[31mred", -1, "esc\\u{001B}[31mred" },
    { "back\\slash", -1, "back\\\\slash" },
    { "bad\xff\xfeutf8", -1, "bad\xef\xbf\xbd\xef\xbf\xbdutf8" },
    { "nul\0hidden", 10, "nul\\u{0000}hidden" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = pas_name_escape_for_display (cases[i].in, cases[i].len);
      g_assert_cmpstr (shown, ==, cases[i].out);
      g_assert_true (g_utf8_validate (shown, -1, NULL));
    }
}

static void
test_remote_files (void)
{
  /* len 0 means "as long as the C string"; the NUL case gives its real length. */
  struct { const char *name; gsize len; gboolean safe; const char *shown; } names[] = {
    { "report.pdf", 0, TRUE, "report.pdf" },
    { "été ☀", 0, TRUE, "été ☀" },
    { "with space", 0, TRUE, "with space" },
    { "..", 0, FALSE, ".." },
    { ".", 0, FALSE, "." },
    { "", 0, FALSE, "" },
    { "../../etc/passwd", 0, FALSE, "../../etc/passwd" },
    { "a/b", 0, FALSE, "a/b" },
    { "x\0y", 3, FALSE, "x\\u{0000}y" },
    { "line\nbreak", 0, TRUE, "line\\u{000A}break" },
  };
  struct { guint32 mode; GFileType type; } types[] = {
    { 0100644, G_FILE_TYPE_REGULAR }, { 0040755, G_FILE_TYPE_DIRECTORY }, { 0120777, G_FILE_TYPE_SYMBOLIC_LINK },
    { 0060660, G_FILE_TYPE_SPECIAL }, { 0010600, G_FILE_TYPE_SPECIAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      PasSftpName n = { (char *) names[i].name, names[i].len ? names[i].len : strlen (names[i].name), NULL, { 0 } };
      g_autoptr(PasRemoteFile) file = pas_remote_file_new ("/srv", &n);

      g_test_message ("%s", names[i].shown);
      g_assert_cmpint (pas_remote_file_is_name_safe (file), ==, names[i].safe);
      g_assert_cmpstr (pas_remote_file_get_display_name (file), ==, names[i].shown);
      g_assert_cmpint (pas_remote_file_get_file_type (file), ==, G_FILE_TYPE_UNKNOWN);
    }

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      PasSftpName n = { (char *) "f", 1, NULL, { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = types[i].mode } };
      g_autoptr(PasRemoteFile) file = pas_remote_file_new ("/srv/", &n);

      g_assert_cmpint (pas_remote_file_get_file_type (file), ==, types[i].type);
      g_assert_cmpstr (pas_remote_file_get_path (file), ==, "/srv/f");
    }

  {
    /* A setuid file keeps its mode on the server, never in a local copy. */
    PasSftpName n = { (char *) "tool", 4, (char *) "-rwsr-x---    1 alice    staff     10 Jan  1 00:00 tool",
                      { .flags = PAS_SFTP_ATTR_PERMISSIONS | PAS_SFTP_ATTR_UIDGID | PAS_SFTP_ATTR_SIZE,
                        .permissions = 0104750, .uid = 1000, .gid = 50, .size = 10 } };
    g_autoptr(PasRemoteFile) file = pas_remote_file_new ("/srv", &n);

    g_assert_cmpuint (pas_remote_file_get_mode (file), ==, 0104750);
    g_assert_cmpuint (pas_remote_file_get_local_mode (file), ==, 0750);
    g_assert_cmpstr (pas_remote_file_get_owner_name (file), ==, "alice");
    g_assert_cmpstr (pas_remote_file_get_group_name (file), ==, "staff");
    g_assert_true (pas_remote_file_has_owner (file));
    g_assert_cmpuint (pas_remote_file_get_uid (file), ==, 1000);
    g_assert_cmpuint (pas_remote_file_get_size (file), ==, 10);
    g_assert_false (pas_remote_file_has_mtime (file));
  }
  {
    /* A long name that is not "ls -l" output gives no owner names. */
    PasSftpName n = { (char *) "x", 1, (char *) "x", { 0 } };
    g_autoptr(PasRemoteFile) file = pas_remote_file_new ("/", &n);

    g_assert_null (pas_remote_file_get_owner_name (file));
    g_assert_cmpstr (pas_remote_file_get_path (file), ==, "/x");
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  handle = g_bytes_new_static ("\0\0\0\x2a", 4);

  g_test_add_func ("/sftp-wire/requests", test_requests);
  g_test_add_func ("/sftp-wire/replies", test_replies);
  g_test_add_func ("/sftp-wire/hostile-replies", test_hostile_replies);
  g_test_add_func ("/sftp-wire/every-truncation-fails", test_every_truncation_fails);
  g_test_add_func ("/sftp-wire/random-bytes", test_random_bytes);
  g_test_add_func ("/sftp-wire/data-header", test_data_header);
  g_test_add_func ("/names/display-escaping", test_display_escaping);
  g_test_add_func ("/names/remote-files", test_remote_files);

  ret = g_test_run ();
  g_bytes_unref (handle);
  return ret;
}
