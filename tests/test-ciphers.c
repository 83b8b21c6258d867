/* Every cipher and MAC that both the server and our libssh2 offer, forced
 * one pair at a time: the pair asked for is the pair agreed, and a 64 MiB
 * file comes back byte-identical after an upload and a download through it.
 * This is what guards the batched-crypto patch of the libssh2 we build
 * (subprojects/packagefiles/libssh2/): block ciphers (CTR, and CBC, which
 * the test server also offers) with classic and encrypt-then-MAC MACs take
 * the batched path; AES-GCM and chacha20-poly1305 must be unchanged.
 * Also: our default order agrees on AES-CTR, and ssh_config's list syntax. */
#include "config.h"

#include <string.h>
#include <libssh2.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-connection-private.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

static PasTestSshd *sshd;
static GPtrArray *pairs;
static char *source;        /* the random file every pair carries */
static gsize source_size;

typedef struct
{
  char *cipher;
  char *mac;
} Pair;

static void
pair_free (Pair *pair)
{
  g_free (pair->cipher);
  g_free (pair->mac);
  g_free (pair);
}

static char **
libssh2_names (int type)
{
  LIBSSH2_SESSION *session = libssh2_session_init ();
  const char **algs = NULL;
  int n = libssh2_session_supported_algs (session, type, &algs);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (int i = 0; i < n; i++)
    g_strv_builder_add (names, algs[i]);
  if (n > 0)
    libssh2_free (session, algs);
  libssh2_session_free (session);
  return g_strv_builder_end (names);
}

/* The server's list, in its order, keeping what libssh2 can speak. */
static char **
common (const char *keyword,
        int         type)
{
  g_autofree char *server = pas_test_sshd_query_config (sshd, keyword);
  g_auto(GStrv) ours = libssh2_names (type);
  g_auto(GStrv) offered = NULL;
  g_autoptr(GStrvBuilder) both = g_strv_builder_new ();

  g_assert_nonnull (server);
  offered = g_strsplit (server, ",", -1);
  for (guint i = 0; offered[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) ours, offered[i]))
      g_strv_builder_add (both, offered[i]);
  return g_strv_builder_end (both);
}

static PasConnection *
connect_with (const char *ciphers,
              const char *macs,
              GError    **error)
{
  g_autoptr(PasConnection) connection = pas_test_key_connection (sshd, NULL);

  pas_connection_set_algorithms (connection, ciphers, macs);
  if (!pas_test_connect (connection, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&connection);
}

static void
run_transfer (PasSftpSession      *sftp,
              PasTransferDirection direction,
              const char          *remote,
              const char          *local)
{
  g_autoptr(GFile) file = g_file_new_for_path (local);
  g_autoptr(PasTransfer) transfer = pas_transfer_new (direction, remote, file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PasSftpSession *sessions[] = { sftp };

  pas_transfer_run_on_async (transfer, sessions, 1, NULL, pas_test_store_result_cb, &result);
  g_assert_true (pas_transfer_run_on_finish (transfer, pas_test_wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
assert_same_as_source (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, source_size);
  g_assert_true (memcmp (contents, source, len) == 0);
}

static void
test_pair (gconstpointer data)
{
  const Pair *pair = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasConnection) connection = connect_with (pair->cipher, pair->mac, &error);
  g_autoptr(PasSftpSession) sftp = NULL;
  g_autofree char *dir = g_build_filename (pas_test_sshd_get_dir (sshd), "pair", NULL);
  g_autofree char *local = g_build_filename (dir, "source.bin", NULL);
  g_autofree char *remote = g_build_filename (dir, "on-server.bin", NULL);
  g_autofree char *back = g_build_filename (dir, "back.bin", NULL);
  const PasAlgorithms *agreed;

  g_assert_no_error (error);
  agreed = pas_connection_get_algorithms (connection);
  g_assert_cmpstr (agreed->cipher_out, ==, pair->cipher);
  g_assert_cmpstr (agreed->cipher_in, ==, pair->cipher);
  if (!pas_algorithms_cipher_is_aead (pair->cipher))
    {
      g_assert_cmpstr (agreed->mac_out, ==, pair->mac);
      g_assert_cmpstr (agreed->mac_in, ==, pair->mac);
    }

  g_assert_true (pas_test_rm_rf (dir, NULL));
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (local, source, (gssize) source_size, NULL));
  sftp = pas_test_open_sftp_on (connection, NULL, &error);
  g_assert_no_error (error);

  run_transfer (sftp, PAS_TRANSFER_UPLOAD, remote, local);
  assert_same_as_source (remote);
  run_transfer (sftp, PAS_TRANSFER_DOWNLOAD, remote, back);
  assert_same_as_source (back);
  pas_test_rm_rf (dir, NULL);
}

/* With nothing forced, the first cipher both sides know from our list:
 * AES-CTR (our libssh2: batched; the system's 1.10: no faster choice). */
static void
test_default_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasConnection) connection = connect_with (NULL, NULL, &error);
  const PasAlgorithms *agreed;

  g_assert_no_error (error);
  agreed = pas_connection_get_algorithms (connection);
  g_assert_cmpstr (agreed->cipher_out, ==, "aes128-ctr");
  g_assert_cmpstr (agreed->cipher_in, ==, "aes128-ctr");
#if LIBSSH2_VERSION_NUM >= 0x010b00
  g_assert_cmpstr (agreed->mac_out, ==, "hmac-sha2-256-etm@openssh.com");
#else
  g_assert_cmpstr (agreed->mac_out, ==, "hmac-sha2-256");
#endif
  g_assert_nonnull (agreed->kex);
  g_assert_nonnull (agreed->host_key);
}

/* ssh_config's Ciphers syntax, and a list nothing in which can be spoken. */
static void
test_list_syntax (void)
{
  const char *ours = "a,b,c";
  struct { const char *setting, *expected; } cases[] = {
    { NULL, "a,b,c" }, { "", "a,b,c" }, { "x,b", "x,b" }, { "+x,a", "a,b,c,x" },
    { "-b", "a,c" }, { "-?", "" }, { "^c,x", "c,x,a,b" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PasConnection) connection = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = pas_algorithms_apply (ours, cases[i].setting);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }

  connection = connect_with ("blowfish-ctr-no-such-thing", NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NO_COMMON_ALGORITHM);
  g_assert_nonnull (strstr (error->message, "blowfish-ctr-no-such-thing"));
}

int
main (int   argc,
      char *argv[])
{
  const char *extra[] = { "Ciphers +aes128-cbc,aes256-cbc", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ciphers = NULL;
  g_auto(GStrv) macs = NULL;
  const char *mib = g_getenv ("PAS_TEST_CIPHER_MIB");
  int ret;

  g_test_init (&argc, &argv, NULL);
  sshd = pas_test_sshd_new (&(PasTestSshdOptions) { .extra_config = extra }, &error);
  g_assert_no_error (error);

  source_size = (gsize) (mib != NULL ? g_ascii_strtoull (mib, NULL, 10) : 64) * 1024 * 1024;
  source = g_malloc (source_size);
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (20261204);
    for (gsize i = 0; i + 4 <= source_size; i += 4)
      {
        guint32 word = g_rand_int (rand);
        memcpy (source + i, &word, 4);
      }
  }

  ciphers = common ("ciphers", LIBSSH2_METHOD_CRYPT_CS);
  macs = common ("macs", LIBSSH2_METHOD_MAC_CS);
  g_test_message ("server and libssh2 %s share %u ciphers and %u MACs", libssh2_version (0),
                  g_strv_length (ciphers), g_strv_length (macs));
  g_assert_cmpuint (g_strv_length (ciphers), >=, 5);
  g_assert_cmpuint (g_strv_length (macs), >=, 3);

  pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  g_test_add_func ("/ciphers/default-order", test_default_order);
  g_test_add_func ("/ciphers/list-syntax", test_list_syntax);
  for (guint c = 0; ciphers[c] != NULL; c++)
    for (guint m = 0; macs[m] != NULL; m++)
      {
        gboolean aead = pas_algorithms_cipher_is_aead (ciphers[c]);
        Pair *pair;
        g_autofree char *name = NULL;

        /* The MAC of an AEAD cipher is not used: one run each. */
        if (aead && m > 0)
          continue;
        pair = g_new0 (Pair, 1);
        pair->cipher = g_strdup (ciphers[c]);
        pair->mac = g_strdup (macs[m]);
        g_ptr_array_add (pairs, pair);
        name = aead ? g_strdup_printf ("/ciphers/pair/%s", pair->cipher)
                    : g_strdup_printf ("/ciphers/pair/%s/%s", pair->cipher, pair->mac);
        g_test_add_data_func (name, pair, test_pair);
      }

  ret = g_test_run ();
  g_ptr_array_unref (pairs);
  pas_test_sshd_free (sshd);
  g_free (source);
  pas_test_wait_for_connection_threads ();
  return ret;
}
