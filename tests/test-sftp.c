/* Our SFTP client against OpenSSH's own SFTP server (internal-sftp and the
 * sftp-server binary), on a real sshd. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

typedef struct
{
  PasTestSshd    *sshd;
  PasConnection  *connection;
  PasSftpSession *sftp;
  char           *dir;      /* a private folder on the "server" */
} Fixture;

/* The server knows the account's home from passwd, not from $HOME (which the
 * test suite makes private). */
static const char *
account_home (void)
{
  return getpwuid (geteuid ())->pw_dir;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->sshd = pas_test_sshd_new (NULL, &error);
  g_assert_no_error (error);
  f->sftp = pas_test_open_sftp (f->sshd, data, &f->connection);
  f->dir = g_build_filename (pas_test_sshd_get_dir (f->sshd), "files", NULL);
  g_assert_cmpint (g_mkdir (f->dir, 0755), ==, 0);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->sftp);
  g_clear_object (&f->connection);
  g_clear_pointer (&f->sshd, pas_test_sshd_free);
  g_free (f->dir);
}

typedef gboolean (*FinishFunc) (PasSftpSession *sftp,
                                GAsyncResult   *result,
                                GError        **error);

/* Waits for the answer in @slot and finishes it with @finish, the _finish
 * of the _async that was called. */
static gboolean
finish_simple (PasSftpSession *sftp,
               FinishFunc      finish,
               GAsyncResult  **slot,
               GError        **error)
{
  gboolean ok = finish (sftp, pas_test_wait_for (slot), error);

  g_clear_object (slot);
  return ok;
}

static void
test_version_and_realpath (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;

  g_assert_cmpuint (pas_sftp_session_get_version (f->sftp), ==, 3);
  g_assert_true (pas_sftp_session_has_extension (f->sftp, "posix-rename@openssh.com"));
  g_assert_true (pas_sftp_session_has_extension (f->sftp, "statvfs@openssh.com"));

  pas_sftp_session_realpath_async (f->sftp, ".", NULL, pas_test_store_result_cb, &result);
  home = pas_sftp_session_realpath_finish (f->sftp, pas_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (home, ==, account_home ());
  g_clear_object (&result);

  pas_sftp_session_realpath_async (f->sftp, "/no/such/place", NULL, pas_test_store_result_cb, &result);
  g_assert_null (pas_sftp_session_realpath_finish (f->sftp, pas_test_wait_for (&result), &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
}

static void
test_operations (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *sub = g_build_filename (f->dir, "new folder é", NULL);
  g_autofree char *moved = g_build_filename (f->dir, "moved folder", NULL);
  g_autofree char *a = g_build_filename (f->dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;

  pas_sftp_session_mkdir_async (f->sftp, sub, 0750, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_mkdir_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (sub, G_FILE_TEST_IS_DIR));

  pas_sftp_session_stat_async (f->sftp, sub, TRUE, NULL, pas_test_store_result_cb, &result);
  g_assert_true (pas_sftp_session_stat_finish (f->sftp, pas_test_wait_for (&result), &attrs, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (attrs.flags & PAS_SFTP_ATTR_PERMISSIONS);
  g_assert_cmpuint (attrs.permissions & 0170000, ==, 0040000);
  g_assert_cmpuint (attrs.permissions & 0777, ==, 0750);

  /* A second mkdir fails with the server's own words. */
  pas_sftp_session_mkdir_async (f->sftp, sub, 0755, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_mkdir_finish, &result, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
  g_clear_error (&error);

  pas_sftp_session_rename_async (f->sftp, sub, moved, FALSE, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_rename_finish, &result, &error));
  g_assert_true (g_file_test (moved, G_FILE_TEST_IS_DIR));

  /* Renaming onto an existing file: refused unless overwriting, then atomic. */
  g_assert_true (g_file_set_contents (a, "new contents", -1, NULL));
  g_assert_true (g_file_set_contents (b, "old contents", -1, NULL));
  pas_sftp_session_rename_async (f->sftp, a, b, FALSE, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_rename_finish, &result, &error));
  /* Said as such, not as SFTP v3's bare "Failure". */
  g_assert_error (error, PAS_ERROR, PAS_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (b, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old contents");
  g_clear_pointer (&contents, g_free);
  pas_sftp_session_rename_async (f->sftp, a, b, TRUE, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_rename_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (b, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new contents");
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));

  pas_sftp_session_remove_async (f->sftp, b, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_remove_finish, &result, &error));
  pas_sftp_session_rmdir_async (f->sftp, moved, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_rmdir_finish, &result, &error));
  g_assert_false (g_file_test (moved, G_FILE_TEST_EXISTS));

  pas_sftp_session_stat_async (f->sftp, b, FALSE, NULL, pas_test_store_result_cb, &result);
  g_assert_false (pas_sftp_session_stat_finish (f->sftp, pas_test_wait_for (&result), &attrs, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
  g_assert_nonnull (pas_error_get_remedy (error));
}

static char *
finish_name (PasSftpSession *sftp,
             char          *(*finish) (PasSftpSession *, GAsyncResult *, GError **),
             GAsyncResult  **slot,
             GError        **error)
{
  char *name = finish (sftp, pas_test_wait_for (slot), error);

  g_clear_object (slot);
  return name;
}

static void
test_more_operations (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "data.bin", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link", NULL);
  g_autofree char *hard = g_build_filename (f->dir, "hard", NULL);
  g_autofree char *got = NULL;
  g_autofree char *expected_home = g_build_filename (account_home (), "x", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_PERMISSIONS | PAS_SFTP_ATTR_ACMODTIME,
                         /* the file-type bits must not travel; an explicit chmod may set any of 07777 */
                         .permissions = 0100640, .atime = 1000000000, .mtime = 1234567890 };
  PasSftpStatvfs vfs;
  PasSftpLimits limits;
  struct statvfs local_vfs;
  GStatBuf st, st2;

  g_assert_true (g_file_set_contents (file, "0123456789", -1, NULL));

  pas_sftp_session_setstat_async (f->sftp, file, &attrs, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_setstat_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, 0640);
  g_assert_cmpint (st.st_mtime, ==, 1234567890);

  pas_sftp_session_symlink_async (f->sftp, link, "data.bin", NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_symlink_finish, &result, &error));
  got = g_file_read_link (link, NULL);
  g_assert_cmpstr (got, ==, "data.bin");
  g_clear_pointer (&got, g_free);
  pas_sftp_session_readlink_async (f->sftp, link, NULL, pas_test_store_result_cb, &result);
  got = finish_name (f->sftp, pas_sftp_session_readlink_finish, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, "data.bin");
  g_clear_pointer (&got, g_free);
  pas_sftp_session_stat_async (f->sftp, link, FALSE, NULL, pas_test_store_result_cb, &result);
  g_assert_true (pas_sftp_session_stat_finish (f->sftp, pas_test_wait_for (&result), &attrs, &error));
  g_clear_object (&result);
  g_assert_cmpuint (attrs.permissions & 0170000, ==, 0120000);

  pas_sftp_session_hardlink_async (f->sftp, file, hard, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_hardlink_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (g_stat (hard, &st2), ==, 0);
  g_assert_cmpuint (st.st_ino, ==, st2.st_ino);

  pas_sftp_session_statvfs_async (f->sftp, f->dir, NULL, pas_test_store_result_cb, &result);
  g_assert_true (pas_sftp_session_statvfs_finish (f->sftp, pas_test_wait_for (&result), &vfs, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (statvfs (f->dir, &local_vfs), ==, 0);
  g_assert_cmpuint (vfs.blocks, ==, local_vfs.f_blocks);
  g_assert_cmpuint (vfs.fragment_size, ==, local_vfs.f_frsize);

  pas_sftp_session_expand_path_async (f->sftp, "~/x", NULL, pas_test_store_result_cb, &result);
  got = finish_name (f->sftp, pas_sftp_session_expand_path_finish, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected_home);

  pas_sftp_session_limits_async (f->sftp, NULL, pas_test_store_result_cb, &result);
  g_assert_true (pas_sftp_session_limits_finish (f->sftp, pas_test_wait_for (&result), &limits, &error));
  g_assert_no_error (error);
  g_test_message ("limits: packet %" G_GUINT64_FORMAT ", read %" G_GUINT64_FORMAT ", write %" G_GUINT64_FORMAT,
                  limits.max_packet, limits.max_read, limits.max_write);
  g_assert_cmpuint (limits.max_packet, ==, 256 * 1024);
  g_assert_cmpuint (limits.max_read, >, 32 * 1024);
}

typedef struct
{
  guint       batches;
  GHashTable *seen;
} Listing;

static void
batch_cb (GPtrArray *names,
          gpointer   data)
{
  Listing *l = data;

  l->batches++;
  for (guint i = 0; i < names->len; i++)
    {
      PasSftpName *name = g_ptr_array_index (names, i);
      g_assert_cmpuint (strlen (name->filename), ==, name->filename_len);
      g_hash_table_add (l->seen, g_strdup (name->filename));
    }
}

static void
test_streamed_listing (Fixture      *f,
                       gconstpointer data)
{
  static const char *odd[] = { "with space", "été ☀", "new\nline", "-dash", ".hidden" };
  Listing l = { 0, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const guint count = 2000;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/file-%04u", f->dir, i);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, odd[i], NULL);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }

  pas_sftp_session_list_async (f->sftp, f->dir, batch_cb, &l, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_list_finish, &result, &error));
  g_assert_no_error (error);

  g_test_message ("%u names in %u batches", g_hash_table_size (l.seen), l.batches);
  g_assert_cmpuint (g_hash_table_size (l.seen), ==, count + G_N_ELEMENTS (odd));
  /* Streamed: the first rows arrive long before the last. */
  g_assert_cmpuint (l.batches, >, 10);
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    g_assert_true (g_hash_table_contains (l.seen, odd[i]));
  g_assert_false (g_hash_table_contains (l.seen, "."));
  g_assert_false (g_hash_table_contains (l.seen, ".."));
  g_hash_table_unref (l.seen);

  /* Listing something that is not there. */
  {
    Listing none = { 0, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
    g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);

    pas_sftp_session_list_async (f->sftp, missing, batch_cb, &none, NULL, pas_test_store_result_cb, &result);
    g_assert_false (finish_simple (f->sftp, pas_sftp_session_list_finish, &result, &error));
    g_assert_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
    g_hash_table_unref (none.seen);
  }
}

typedef struct
{
  guint  count;
  guint  batches;
  gint64 first;
} BigListing;

static void
big_batch_cb (GPtrArray *names,
              gpointer   data)
{
  BigListing *l = data;

  if (l->batches++ == 0)
    l->first = g_get_monotonic_time ();
  l->count += names->len;
}

static void
test_fifty_thousand_entries (Fixture      *f,
                             gconstpointer data)
{
  BigListing l = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const guint count = 50000;
  gint64 start, end;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/entry-%05u", f->dir, i);
      int fd = g_open (path, O_CREAT | O_WRONLY, 0644);
      g_assert_cmpint (fd, >=, 0);
      close (fd);
    }

  start = g_get_monotonic_time ();
  pas_sftp_session_list_async (f->sftp, f->dir, big_batch_cb, &l, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_list_finish, &result, &error));
  end = g_get_monotonic_time ();
  g_assert_no_error (error);

  g_test_message ("%u entries in %u batches; first batch after %.1f ms, all after %.1f ms",
                  l.count, l.batches, (l.first - start) / 1000.0, (end - start) / 1000.0);
  g_assert_cmpuint (l.count, ==, count);
  /* The first rows could be shown long before the listing ends. */
  g_assert_cmpuint (l.batches, >, 100);
  g_assert_cmpint (l.first - start, <, (end - start) / 10);
}

typedef struct
{
  guint done;
  guint failed;
} Counter;

static void
counted_stat_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Counter *c = data;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_stat_finish (PAS_SFTP_SESSION (source), result, &attrs, NULL))
    c->failed++;
  c->done++;
}

static void
test_many_requests_in_flight (Fixture      *f,
                              gconstpointer data)
{
  Counter c = { 0, 0 };
  const guint n = 200;

  /* All sent before any reply is read: replies are matched by id. */
  for (guint i = 0; i < n; i++)
    pas_sftp_session_stat_async (f->sftp, i % 2 ? f->dir : "/nonexistent", TRUE, NULL, counted_stat_cb, &c);
  while (c.done < n)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (c.failed, ==, n / 2);
}

static void
test_dropped_connection (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  Counter c = { 0, 0 };
  gint64 start;

  /* Requests in flight when the server's session dies end with DISCONNECTED… */
  for (guint i = 0; i < 20; i++)
    pas_sftp_session_stat_async (f->sftp, f->dir, TRUE, NULL, counted_stat_cb, &c);
  g_assert_cmpuint (pas_test_sshd_kill_sessions (f->sshd), >=, 1);
  start = g_get_monotonic_time ();
  while (c.done < 20)
    g_main_context_iteration (NULL, TRUE);

  /* …and so does the next one, at once, instead of hanging. */
  pas_sftp_session_realpath_async (f->sftp, ".", NULL, pas_test_store_result_cb, &result);
  home = pas_sftp_session_realpath_finish (f->sftp, pas_test_wait_for (&result), &error);
  g_assert_null (home);
  g_test_message ("%u of 20 answered before the cut; then: %s", 20 - c.failed, error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED);
  g_assert_nonnull (pas_error_get_remedy (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  *(gboolean *) data = pas_connection_close_finish (PAS_CONNECTION (source), result, NULL);
}

static void
test_close_with_frozen_server (Fixture      *f,
                               gconstpointer data)
{
  /* The server's session stops answering but its TCP stays open: closing must
   * still end, and free the whole session (LeakSanitizer checks the latter). */
  gboolean closed = FALSE;
  gint64 start;

  g_assert_cmpuint (pas_test_sshd_signal_sessions (f->sshd, SIGSTOP), >=, 1);
  g_clear_object (&f->sftp);
  start = g_get_monotonic_time ();
  pas_connection_close_async (f->connection, close_done_cb, &closed);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("closed after %.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  pas_test_sshd_kill_sessions (f->sshd);
}

static void
test_server_side_copy (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *a = g_build_filename (f->dir, "a.bin", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.bin", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *blob = g_strnfill (3 * 1024 * 1024, 'z');
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pas_sftp_session_has_extension (f->sftp, "copy-data"));
  g_assert_true (g_file_set_contents (a, blob, -1, NULL));
  pas_sftp_session_copy_async (f->sftp, a, b, FALSE, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_copy_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (b, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, blob);

  /* Not over an existing file unless asked… */
  g_assert_true (g_file_set_contents (b, "keep me", -1, NULL));
  pas_sftp_session_copy_async (f->sftp, a, b, FALSE, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_copy_finish, &result, &error));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (b, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");

  /* …and a missing source never truncates the target. */
  pas_sftp_session_copy_async (f->sftp, missing, b, TRUE, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_copy_finish, &result, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (b, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");

  pas_sftp_session_copy_async (f->sftp, a, b, TRUE, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_copy_finish, &result, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (b, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, blob);

  pas_sftp_session_copy_async (f->sftp, a, a, TRUE, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_copy_finish, &result, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_EXISTS);
}

static void
test_trees (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *deep = g_build_filename (f->dir, "x", "y y", "z", NULL);
  g_autofree char *top = g_build_filename (f->dir, "x", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "outside", NULL);
  g_autofree char *outside_file = g_build_filename (outside, "precious", NULL);
  g_autofree char *link = g_build_filename (f->dir, "x", "y y", "link", NULL);
  g_autofree char *in_the_way = g_build_filename (f->dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (f->dir, "file", "sub", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* mkdir -p: missing parents made, existing ones fine, a file in the way refused. */
  pas_sftp_session_make_directories_async (f->sftp, deep, 0755, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_make_directories_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (deep, G_FILE_TEST_IS_DIR));
  pas_sftp_session_make_directories_async (f->sftp, deep, 0755, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_make_directories_finish, &result, &error));
  g_assert_true (g_file_set_contents (in_the_way, "", -1, NULL));
  pas_sftp_session_make_directories_async (f->sftp, in_the_way, 0755, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_make_directories_finish, &result, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_EXISTS);
  g_clear_error (&error);
  pas_sftp_session_make_directories_async (f->sftp, under_file, 0755, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_make_directories_finish, &result, &error));
  g_clear_error (&error);

  /* rm -r: everything under x goes; the link goes, not what it points to. */
  g_assert_cmpint (g_mkdir (outside, 0755), ==, 0);
  g_assert_true (g_file_set_contents (outside_file, "mine", -1, NULL));
  g_assert_cmpint (symlink (outside, link), ==, 0);
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/f%u", i % 2 ? top : deep, i);
      g_assert_true (g_file_set_contents (name, "x", -1, NULL));
    }
  pas_sftp_session_remove_tree_async (f->sftp, top, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_remove_tree_finish, &result, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (top, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (outside_file, G_FILE_TEST_IS_REGULAR));

  /* A single file, and something missing. */
  pas_sftp_session_remove_tree_async (f->sftp, in_the_way, NULL, pas_test_store_result_cb, &result);
  g_assert_true (finish_simple (f->sftp, pas_sftp_session_remove_tree_finish, &result, &error));
  g_assert_false (g_file_test (in_the_way, G_FILE_TEST_EXISTS));
  pas_sftp_session_remove_tree_async (f->sftp, in_the_way, NULL, pas_test_store_result_cb, &result);
  g_assert_false (finish_simple (f->sftp, pas_sftp_session_remove_tree_finish, &result, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
}

/* "Run command": stdout, stderr and the exit status, each kept apart; a
 * flood of output is cut at 1 MiB and says so; the SFTP channel is untouched. */
static void
test_run_command (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasCommandResult) ran = NULL;
  g_autoptr(PasCommandResult) flood = NULL;
  g_autofree char *home = NULL;

  pas_connection_run_command_async (f->connection, "echo out; echo err >&2; exit 3", NULL,
                                    pas_test_store_result_cb, &result);
  ran = pas_connection_run_command_finish (f->connection, pas_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (ran->out, NULL), g_bytes_get_size (ran->out), "out\n", 4);
  g_assert_cmpmem (g_bytes_get_data (ran->err, NULL), g_bytes_get_size (ran->err), "err\n", 4);
  g_assert_cmpint (ran->exit_status, ==, 3);
  g_assert_false (ran->truncated);
  g_clear_object (&result);

  pas_connection_run_command_async (f->connection, "head -c 3000000 /dev/zero", NULL,
                                    pas_test_store_result_cb, &result);
  flood = pas_connection_run_command_finish (f->connection, pas_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (flood->out), ==, 1024 * 1024);
  g_assert_true (flood->truncated);
  g_assert_cmpint (flood->exit_status, ==, 0);
  g_clear_object (&result);

  /* The SFTP channel on the same connection still answers. */
  pas_sftp_session_realpath_async (f->sftp, ".", NULL, pas_test_store_result_cb, &result);
  home = pas_sftp_session_realpath_finish (f->sftp, pas_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (home);
}

static void
test_server_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *home = NULL;

  g_assert_no_error (error);
  connection = pas_test_key_connection (sshd, NULL);
  pas_connection_set_agent_socket (connection, NULL);
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));

  /* The configured command instead of the subsystem — how sudo setups work. */
  sftp = pas_test_open_sftp_on (connection, "/usr/lib/openssh/sftp-server", &error);
  g_assert_no_error (error);
  pas_sftp_session_realpath_async (sftp, ".", NULL, pas_test_store_result_cb, &result);
  home = pas_sftp_session_realpath_finish (sftp, pas_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (home, ==, account_home ());
  g_clear_object (&sftp);

  /* A command that does not exist: its complaint reaches the error. */
  sftp = pas_test_open_sftp_on (connection, "/nonexistent/sftp-server", &error);
  g_assert_null (sftp);
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (error->message, "No such file"));
}

/* The window reloads a folder while its last listing still runs: the old
 * one is cancelled at any point and the new one must always end. (A
 * test-browser run under ASan once saw a listing that never ended.) */
static void
test_listing_cancelled_and_repeated (Fixture      *f,
                                     gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u", i);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_assert_true (g_file_set_contents (path, "x", -1, NULL));
    }
  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(PasRemoteDirectory) old = pas_remote_directory_new (f->sftp, f->dir);
      g_autoptr(PasRemoteDirectory) fresh = NULL;
      guint spins = (guint) g_rand_int_range (rand, 0, 6);
      gint64 deadline;

      for (guint s = 0; s < spins; s++)
        g_main_context_iteration (NULL, FALSE);
      if (g_rand_boolean (rand))
        g_usleep ((gulong) g_rand_int_range (rand, 0, 2000));
      pas_remote_directory_cancel (old);
      fresh = pas_remote_directory_new (f->sftp, f->dir);
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while ((pas_remote_directory_is_loading (fresh) || pas_remote_directory_is_loading (old)) &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      if (pas_remote_directory_is_loading (fresh) || pas_remote_directory_is_loading (old))
        g_error ("round %u: a listing never ended (old %d, new %d with %u items)", round,
                 pas_remote_directory_is_loading (old), pas_remote_directory_is_loading (fresh),
                 g_list_model_get_n_items (G_LIST_MODEL (fresh)));
      g_assert_null (pas_remote_directory_get_error (fresh));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 4);
    }
}

typedef struct
{
  PasSftpSession *sftp;
  guint           left;
  guint           done;
  GError         *error;
} PingPong;

static void
ping_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data);

static void
ping (PingPong *p)
{
  pas_sftp_session_realpath_async (p->sftp, ".", NULL, ping_cb, p);
}

static void
ping_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  PingPong *p = data;
  g_autofree char *path = pas_sftp_session_realpath_finish (p->sftp, result, p->error == NULL ? &p->error : NULL);

  p->done++;
  if (--p->left > 0 && p->error == NULL)
    ping (p);
}

/* Channels of one connection, each with one request in flight at a time:
 * a reply that another channel's read takes off the socket must still
 * reach its channel without waiting for more traffic. */
static void
test_channels_take_turns (Fixture      *f,
                          gconstpointer data)
{
  PingPong p[3] = { { 0 } };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 slowest = 0;

  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    {
      g_autoptr(GError) error = NULL;

      p[i].sftp = i == 0 ? g_object_ref (f->sftp) : pas_test_open_sftp_on (f->connection, NULL, &error);
      g_assert_no_error (error);
      p[i].left = 1500;
    }
  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    ping (&p[i]);
  while ((p[0].left > 0 || p[1].left > 0 || p[2].left > 0) && g_get_monotonic_time () < deadline)
    {
      gint64 before = g_get_monotonic_time ();

      g_main_context_iteration (NULL, TRUE);
      slowest = MAX (slowest, g_get_monotonic_time () - before);
    }
  g_test_message ("%u + %u + %u answers; longest wait %.0f ms", p[0].done, p[1].done, p[2].done, slowest / 1000.0);
  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    {
      g_assert_no_error (p[i].error);
      g_assert_cmpuint (p[i].left, ==, 0);
      g_object_unref (p[i].sftp);
    }
  /* Nothing else happens on the connection: a lost reply waits for ever
   * (or for the 60 s stall timeout), not a few milliseconds. */
  g_assert_cmpint (slowest, <, 5 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sftp/version-and-realpath", Fixture, NULL, fixture_set_up, test_version_and_realpath,
              fixture_tear_down);
  g_test_add ("/sftp/operations", Fixture, NULL, fixture_set_up, test_operations, fixture_tear_down);
  g_test_add ("/sftp/more-operations", Fixture, NULL, fixture_set_up, test_more_operations, fixture_tear_down);
  g_test_add ("/sftp/streamed-listing", Fixture, NULL, fixture_set_up, test_streamed_listing, fixture_tear_down);
  g_test_add ("/sftp/listing-cancelled-and-repeated", Fixture, NULL, fixture_set_up,
              test_listing_cancelled_and_repeated, fixture_tear_down);
  g_test_add ("/sftp/channels-take-turns", Fixture, NULL, fixture_set_up,
              test_channels_take_turns, fixture_tear_down);
  g_test_add ("/sftp/fifty-thousand-entries", Fixture, NULL, fixture_set_up, test_fifty_thousand_entries,
              fixture_tear_down);
  g_test_add ("/sftp/many-requests-in-flight", Fixture, NULL, fixture_set_up, test_many_requests_in_flight,
              fixture_tear_down);
  g_test_add ("/sftp/dropped-connection", Fixture, NULL, fixture_set_up, test_dropped_connection, fixture_tear_down);
  g_test_add ("/sftp/close-with-frozen-server", Fixture, NULL, fixture_set_up, test_close_with_frozen_server,
              fixture_tear_down);
  g_test_add ("/sftp/server-side-copy", Fixture, NULL, fixture_set_up, test_server_side_copy, fixture_tear_down);
  g_test_add ("/sftp/trees", Fixture, NULL, fixture_set_up, test_trees, fixture_tear_down);
  g_test_add_func ("/sftp/server-command", test_server_command);
  g_test_add ("/sftp/run-command", Fixture, NULL, fixture_set_up, test_run_command, fixture_tear_down);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  return ret;
}
