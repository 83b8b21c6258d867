/* Our SFTP client against a deliberately hostile server (python3-paramiko):
 * no crash, no allocation sized by the server, a clear error, no unsafe name
 * passed off as safe. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

static guint16 port;
static char *known_hosts;

/* The user name chooses the server's misbehaviour. */
static PasSftpSession *
open_mode (const char     *mode,
           PasConnection **connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PasSftpSession *sftp;

  *connection = pas_connection_new ("127.0.0.1", port, mode);
  pas_connection_set_known_hosts_files (*connection, known_hosts, NULL);
  pas_connection_set_agent_socket (*connection, NULL);
  g_assert_true (pas_test_connect (*connection, NULL, NULL, &error));
  g_assert_no_error (error);
  pas_sftp_session_open_async (*connection, NULL, NULL, pas_test_store_result_cb, &result);
  sftp = pas_sftp_session_open_finish (pas_test_wait_for (&result), &error);
  g_assert_no_error (error);
  return sftp;
}

static char *
realpath_of (PasSftpSession  *sftp,
             GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sftp_session_realpath_async (sftp, ".", NULL, pas_test_store_result_cb, &result);
  return pas_sftp_session_realpath_finish (sftp, pas_test_wait_for (&result), error);
}

static void
collect_cb (GPtrArray *names,
            gpointer   data)
{
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (data, pas_remote_file_new ("/srv", g_ptr_array_index (names, i)));
}

static void
test_dangerous_names (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("names", &connection);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  struct { const char *shown; gboolean safe; } expected[] = {
    { "ok.txt", TRUE }, { "../../etc/passwd", FALSE }, { "a/b", FALSE }, { "", FALSE },
    { "x\\u{0000}y", FALSE }, { "evil\\u{202E}txt.exe", TRUE }, { "line\\u{000A}break", TRUE },
  };

  pas_sftp_session_list_async (sftp, "/srv", collect_cb, files, NULL, pas_test_store_result_cb, &result);
  g_assert_true (pas_sftp_session_finish (sftp, pas_test_wait_for (&result), &error));
  g_assert_no_error (error);

  /* "." and ".." never reach the caller; the rest are judged one by one. */
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < files->len; i++)
    {
      PasRemoteFile *file = g_ptr_array_index (files, i);

      g_test_message ("%s: %s", pas_remote_file_get_display_name (file),
                      pas_remote_file_is_name_safe (file) ? "safe" : "refused");
      g_assert_cmpstr (pas_remote_file_get_display_name (file), ==, expected[i].shown);
      g_assert_cmpint (pas_remote_file_is_name_safe (file), ==, expected[i].safe);
    }
}

static void
test_packet_of_four_gigabytes (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("huge", &connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  g_autofree char *path = realpath_of (sftp, &error);
  g_autofree char *path2 = NULL;

  g_assert_null (path);
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "4294967295"));
  /* The session is over, and says so, rather than hanging. */
  path2 = realpath_of (sftp, &again);
  g_assert_null (path2);
  g_assert_error (again, PAS_ERROR, PAS_ERROR_PROTOCOL);
}

static void
test_lying_count (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("lies", &connection);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = realpath_of (sftp, &error);

  g_assert_null (path);
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
}

static void
test_unknown_and_duplicate_ids (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("ids", &connection);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = realpath_of (sftp, &error);
  g_autofree char *second = NULL;

  /* The stray reply is ignored, the real one answers, the duplicate is ignored… */
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "/real");
  /* …and the session stays usable. */
  second = realpath_of (sftp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "/real");
}

/* A server that starts an answer and never finishes it: the request fails
 * with a timeout instead of waiting forever. */
static void
test_stall_mid_reply (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("stall", &connection);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  g_autofree char *path = NULL;

  pas_sftp_session_set_stall_timeout (sftp, 1);
  path = realpath_of (sftp, &error);
  g_assert_null (path);
  g_test_message ("%s after %.1f s", error->message, (g_get_monotonic_time () - started) / 1e6);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

/* A recursive download from a server whose listing holds "../../etc/passwd",
 * "a/b" and friends: those are refused one by one, the harmless names are
 * copied, and nothing is written outside the chosen folder. */
static void
test_download_stays_inside (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("tree", &connection);
  g_autofree char *base = g_dir_make_tmp ("pas-hostile-XXXXXX", NULL);
  g_autofree char *inside = g_build_filename (base, "a", "b", "c", NULL);
  g_autoptr(GFile) target = g_file_new_build_filename (inside, "srv", NULL);
  g_autoptr(PasTransfer) transfer = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, "/srv", target);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  GPtrArray *failures;

  g_assert_cmpint (g_mkdir_with_parents (inside, 0700), ==, 0);
  pas_transfer_set_recursive (transfer, TRUE);
  pas_transfer_run_async (transfer, sftp, NULL, pas_test_store_result_cb, &result);
  g_assert_false (pas_transfer_run_finish (transfer, pas_test_wait_for (&result), &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PARTIAL);

  failures = pas_transfer_get_failures (transfer);
  for (guint i = 0; i < failures->len; i++)
    {
      const GError *failure = g_ptr_array_index (failures, i);
      g_test_message ("refused: %s", failure->message);
      g_assert_true (g_error_matches (failure, PAS_ERROR, PAS_ERROR_UNSAFE_NAME));
    }
  g_assert_cmpuint (failures->len, ==, 4);   /* ../../etc/passwd, a/b, "", x\0y */
  g_assert_cmpuint (pas_transfer_get_files_done (transfer), ==, 3);

  dir = g_dir_open (g_file_peek_path (target), 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (found, g_strdup (name));
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_true (g_ptr_array_find_with_equal_func (found, "ok.txt", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (found, "line\nbreak", g_str_equal, NULL));
  /* Nothing landed beside or above the target. */
  {
    g_autofree char *beside = g_build_filename (inside, "etc", NULL);
    g_autofree char *above = g_build_filename (base, "a", "b", "etc", NULL);
    g_autofree char *slash = g_build_filename (inside, "b", NULL);

    g_assert_false (g_file_test (beside, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (above, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (slash, G_FILE_TEST_EXISTS));
  }
  g_assert_true (pas_test_rm_rf (base, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *dir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pas-hostile-XXXXXX", NULL);
  known_hosts = g_build_filename (dir, "known_hosts", NULL);
  server = pas_test_start_python_server ("hostile-sftp-server.py", &port, known_hosts);

  g_test_add_func ("/hostile/dangerous-names", test_dangerous_names);
  g_test_add_func ("/hostile/packet-of-four-gigabytes", test_packet_of_four_gigabytes);
  g_test_add_func ("/hostile/lying-count", test_lying_count);
  g_test_add_func ("/hostile/unknown-and-duplicate-ids", test_unknown_and_duplicate_ids);
  g_test_add_func ("/hostile/download-stays-inside", test_download_stays_inside);
  g_test_add_func ("/hostile/stall-mid-reply", test_stall_mid_reply);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_unlink (known_hosts);
  g_rmdir (dir);
  g_free (known_hosts);
  return ret;
}
