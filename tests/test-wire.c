#include "config.h"

#include <string.h>

#include "pas-engine.h"

static void
test_wire_round_trip (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  static const guint8 big[] = { 0x80, 0x01 };
  static const guint8 leading_zeros[] = { 0, 0, 0x7f };
  PasWireReader r;
  guint8 u8;
  guint32 u32;
  guint64 u64;
  const guint8 *data;
  gsize len;
  g_autofree char *s = NULL;

  pas_wire_put_u8 (out, 0xab);
  pas_wire_put_u32 (out, 0xdeadbeef);
  pas_wire_put_u64 (out, G_GUINT64_CONSTANT (0x0123456789abcdef));
  pas_wire_put_cstring (out, "ssh-ed25519");
  pas_wire_put_mpint (out, big, sizeof big);
  pas_wire_put_mpint (out, leading_zeros, sizeof leading_zeros);
  pas_wire_put_string (out, NULL, 0);

  pas_wire_reader_init (&r, out->data, out->len);
  g_assert_true (pas_wire_read_u8 (&r, &u8));
  g_assert_cmpuint (u8, ==, 0xab);
  g_assert_true (pas_wire_read_u32 (&r, &u32));
  g_assert_cmpuint (u32, ==, 0xdeadbeef);
  g_assert_true (pas_wire_read_u64 (&r, &u64));
  g_assert_cmpuint (u64, ==, G_GUINT64_CONSTANT (0x0123456789abcdef));
  g_assert_true (pas_wire_read_cstring (&r, &s));
  g_assert_cmpstr (s, ==, "ssh-ed25519");
  /* RFC 4251: a set top bit gets a zero byte in front. */
  g_assert_true (pas_wire_read_string (&r, &data, &len));
  g_assert_cmpuint (len, ==, 3);
  g_assert_cmpmem (data, 3, "\x00\x80\x01", 3);
  /* Leading zeros are dropped. */
  g_assert_true (pas_wire_read_string (&r, &data, &len));
  g_assert_cmpmem (data, len, "\x7f", 1);
  g_assert_true (pas_wire_read_string (&r, &data, &len));
  g_assert_cmpuint (len, ==, 0);
  g_assert_true (pas_wire_reader_at_end (&r));
}

static void
test_wire_refuses_overreads (void)
{
  /* A string claiming 4 GiB, one claiming one byte past the end, a short u32. */
  static const guint8 huge[] = { 0xff, 0xff, 0xff, 0xff, 'x' };
  static const guint8 past_end[] = { 0, 0, 0, 3, 'a', 'b' };
  static const guint8 short_u32[] = { 0, 0, 1 };
  static const guint8 embedded_nul[] = { 0, 0, 0, 3, 'a', 0, 'b' };
  PasWireReader r;
  const guint8 *data = NULL;
  gsize len = 0;
  guint32 u32;
  guint8 u8;
  char *s = NULL;

  pas_wire_reader_init (&r, huge, sizeof huge);
  g_assert_false (pas_wire_read_string (&r, &data, &len));
  /* Once failed, a reader stays failed: callers may check only at the end. */
  g_assert_false (pas_wire_read_u8 (&r, &u8));
  g_assert_cmpuint (pas_wire_reader_remaining (&r), ==, 0);
  g_assert_false (pas_wire_reader_at_end (&r));

  pas_wire_reader_init (&r, past_end, sizeof past_end);
  g_assert_false (pas_wire_read_string (&r, &data, &len));

  pas_wire_reader_init (&r, short_u32, sizeof short_u32);
  g_assert_false (pas_wire_read_u32 (&r, &u32));

  pas_wire_reader_init (&r, embedded_nul, sizeof embedded_nul);
  g_assert_false (pas_wire_read_cstring (&r, &s));
  g_assert_null (s);

  pas_wire_reader_init (&r, NULL, 10);
  g_assert_false (pas_wire_read_u8 (&r, &u8));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/round-trip", test_wire_round_trip);
  g_test_add_func ("/wire/refuses-overreads", test_wire_refuses_overreads);

  return g_test_run ();
}
