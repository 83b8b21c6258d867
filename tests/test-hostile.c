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
realpath_of (PasSftpSession *sftp,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sftp_session_realpath_async (sftp, ".", NULL, pas_test_store_result_cb, &result);
  return pas_sftp_session_realpath_finish (sftp, pas_test_wait_for (&result), error);
}

/* Lists /srv, each batch to @batch, and waits for the end. */
static gboolean
list_srv (PasSftpSession *sftp,
          PasSftpListFunc batch,
          gpointer        data,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sftp_session_list_async (sftp, "/srv", batch, data, cancellable, pas_test_store_result_cb, &result);
  return pas_sftp_session_list_finish (sftp, pas_test_wait_for (&result), error);
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
  g_autoptr(GError) error = NULL;
  g_autofree char *start = g_strnfill (64, 'n');
  g_autofree char *long_name = g_strconcat (start, "… (65536 bytes)", NULL);
  struct { const char *shown; gboolean safe; } expected[] = {
    { "ok.txt", TRUE }, { "../../etc/passwd", FALSE }, { "a/b", FALSE }, { "", FALSE },
    { "x\\u{0000}y", FALSE }, { "evil\\u{202E}txt.exe", TRUE }, { "line\\u{000A}break", TRUE },
    { long_name, FALSE },   /* no local file system takes 64 KiB names */
  };

  g_assert_true (list_srv (sftp, collect_cb, files, NULL, &error));
  g_assert_no_error (error);

  /* "." and ".." never reach the caller; the rest are judged one by one. */
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < files->len; i++)
    {
      PasRemoteFile *file = g_ptr_array_index (files, i);

      g_test_message ("%.40s: %s", pas_remote_file_get_display_name (file),
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
  guint no_space = 0;

  g_assert_cmpint (g_mkdir_with_parents (inside, 0700), ==, 0);
  pas_transfer_set_recursive (transfer, TRUE);
  pas_transfer_run_async (transfer, sftp, NULL, pas_test_store_result_cb, &result);
  g_assert_false (pas_transfer_run_finish (transfer, pas_test_wait_for (&result), &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PARTIAL);

  failures = pas_transfer_get_failures (transfer);
  for (guint i = 0; i < failures->len; i++)
    {
      const GError *failure = g_ptr_array_index (failures, i);
      g_test_message ("refused: %.100s", failure->message);
      if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          /* huge.bin claims 2^63 bytes: refused before a byte is written. */
          g_assert_true (g_str_has_prefix (failure->message, "huge.bin: "));
          g_assert_nonnull (strstr (failure->message, "EB"));
          no_space++;
        }
      else
        g_assert_true (g_error_matches (failure, PAS_ERROR, PAS_ERROR_UNSAFE_NAME));
    }
  /* ../../etc/passwd, a/b, "", x\0y, the 64 KiB name; huge.bin */
  g_assert_cmpuint (failures->len, ==, 6);
  g_assert_cmpuint (no_space, ==, 1);
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

/* A NAME entry whose long name claims 2 GiB in a 40-byte packet. */
static void
test_length_past_entry_end (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("inner", &connection);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  g_autofree char *path = NULL;

  g_assert_false (list_srv (sftp, collect_cb, files, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
  /* Not even the good first entry of a broken packet is passed on. */
  g_assert_cmpuint (files->len, ==, 0);
  /* The session is over and says so at once. */
  path = realpath_of (sftp, &again);
  g_assert_null (path);
  g_assert_error (again, PAS_ERROR, PAS_ERROR_PROTOCOL);
}

static void
count_cb (GPtrArray *names,
          gpointer   data)
{
  *(guint *) data += names->len;
}

/* READDIR never ends: the listing stops at the limit with a clear error,
 * closes its handle, and the session goes on working. */
static void
test_endless_listing (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("endless", &connection);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint count = 0;

  pas_sftp_session_set_max_listing (sftp, 20000);
  g_assert_false (list_srv (sftp, count_cb, &count, NULL, &error));
  g_test_message ("%s (%u entries passed on)", error->message, count);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "20000"));
  g_assert_cmpuint (count, <=, 20000);
  g_assert_cmpuint (count, >=, 19900);
  g_clear_error (&error);
  path = realpath_of (sftp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/");
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* The same listing under the default limit: the person stops it. */
static void
test_endless_listing_cancelled (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("endless", &connection);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint count = 0;

  g_timeout_add (500, cancel_cb, cancellable);
  g_assert_false (list_srv (sftp, count_cb, &count, cancellable, &error));
  g_test_message ("%s after %u entries", error->message, count);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count, >, 0);
  g_clear_error (&error);
  path = realpath_of (sftp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/");
}

static gsize
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static gboolean
still_loading (gpointer data)
{
  return pas_remote_directory_is_loading (data);
}

/* What the window's remote pane holds: a folder model fed by an endless
 * listing stops at its own limit (250,000), keeps what it has, says why,
 * and the memory it took is measured (it decided that limit). */
static void
test_endless_listing_model (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("endless", &connection);
  g_autoptr(PasRemoteDirectory) folder = NULL;
  const GError *error;
  gsize before, after;
  double per_entry;
  guint n;

  before = resident_kib ();
  folder = pas_remote_directory_new (sftp, "/srv");
  while (still_loading (folder))
    g_main_context_iteration (NULL, TRUE);
  after = resident_kib ();
  error = pas_remote_directory_get_error (folder);
  n = g_list_model_get_n_items (G_LIST_MODEL (folder));
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, PAS_ERROR, PAS_ERROR_PROTOCOL));
  g_assert_cmpuint (n, ==, 250000);
  g_assert_nonnull (strstr (error->message, "250000"));
  per_entry = (after - before) * 1024.0 / n;
  g_test_message ("%s; %u entries kept, %.0f bytes each (resident %zu -> %zu KiB)",
                  error->message, n, per_entry, before, after);
#if !defined (__SANITIZE_ADDRESS__)
  /* Some 200 MiB at the limit, not gigabytes. */
  g_assert_cmpfloat (per_entry, <, 1024);
#endif
  /* The session that served it goes on working. */
  {
    g_autoptr(GError) again = NULL;
    g_autofree char *path = NULL;

    while (g_main_context_iteration (NULL, FALSE))
      ;
    path = realpath_of (sftp, &again);
    g_assert_no_error (again);
    g_assert_cmpstr (path, ==, "/");
  }
}

static guint
count_tree (const char *path,
            gboolean   *outside)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        *outside = TRUE;   /* we never make links: one would lead out */
      else if (g_file_test (child, G_FILE_TEST_IS_DIR))
        n += count_tree (child, outside);
      else
        n++;
    }
  return n;
}

/* Links followed on request through a server that lies about them: a link
 * back to the top is a loop and is skipped; a link whose real path is new
 * every time ends at the depth limit; a link "out" of the tree is a plain
 * file here, copied inside the chosen folder like any other. */
static void
test_symlink_loops (void)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = open_mode ("links", &connection);
  g_autofree char *base = g_dir_make_tmp ("pas-hostile-XXXXXX", NULL);
  g_autofree char *inside = g_build_filename (base, "chosen", NULL);
  g_autoptr(GFile) target = g_file_new_build_filename (inside, "srv", NULL);
  g_autoptr(PasTransfer) transfer = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, "/srv", target);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *failures;
  gboolean link_found = FALSE;
  guint files;

  g_assert_cmpint (g_mkdir (inside, 0700), ==, 0);
  pas_transfer_set_recursive (transfer, TRUE);
  pas_transfer_set_follow_symlinks (transfer, TRUE);
  pas_transfer_run_async (transfer, sftp, NULL, pas_test_store_result_cb, &result);
  g_assert_false (pas_transfer_run_finish (transfer, pas_test_wait_for (&result), &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PARTIAL);
  failures = pas_transfer_get_failures (transfer);
  g_assert_cmpuint (failures->len, ==, 1);
  g_test_message ("%s", ((GError *) g_ptr_array_index (failures, 0))->message);
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (failures, 0))->message, "deeper than 64"));

  /* file.txt and out at the top and in each of the 64 "deeper" levels. */
  files = count_tree (inside, &link_found);
  g_test_message ("%u files copied, %u skipped", files, pas_transfer_get_files_skipped (transfer));
  g_assert_cmpuint (files, ==, 2 * 65);
  g_assert_cmpuint (pas_transfer_get_files_done (transfer), ==, files);
  g_assert_false (link_found);
  /* The folder holds only what was chosen: nothing beside "srv". */
  {
    g_autoptr(GDir) dir = g_dir_open (inside, 0, NULL);
    g_assert_cmpstr (g_dir_read_name (dir), ==, "srv");
    g_assert_null (g_dir_read_name (dir));
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
  g_test_add_func ("/hostile/length-past-entry-end", test_length_past_entry_end);
  g_test_add_func ("/hostile/endless-listing", test_endless_listing);
  g_test_add_func ("/hostile/endless-listing-cancelled", test_endless_listing_cancelled);
  g_test_add_func ("/hostile/endless-listing-model", test_endless_listing_model);
  g_test_add_func ("/hostile/symlink-loops", test_symlink_loops);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_unlink (known_hosts);
  g_rmdir (dir);
  g_free (known_hosts);
  return ret;
}
