/* The transfer tests' fixture and helpers: see transfer-fixture.h. */

#include "config.h"

#include "transfer-fixture.h"

PasTransferDirection
direction_of (gconstpointer data)
{
  return data == UPLOAD_SPLIT ? PAS_TRANSFER_UPLOAD : (PasTransferDirection) GPOINTER_TO_INT (data);
}

void
connect_fixture (Fixture *f)
{
  g_clear_object (&f->sftp);
  g_clear_object (&f->connection);
  f->sftp = pas_test_open_sftp (f->sshd, NULL, &f->connection);
}

void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->sshd = pas_test_sshd_new (NULL, &error);
  g_assert_no_error (error);
  connect_fixture (f);
  f->channels = data == SPLIT || data == UPLOAD_SPLIT ? 3 : 1;
  f->remote = g_build_filename (pas_test_sshd_get_dir (f->sshd), "server", NULL);
  f->local = g_build_filename (pas_test_sshd_get_dir (f->sshd), "client", NULL);
  g_assert_cmpint (g_mkdir (f->remote, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (f->local, 0755), ==, 0);
}

void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->sftp);
  g_clear_object (&f->connection);
  g_clear_pointer (&f->sshd, pas_test_sshd_free);
  g_free (f->remote);
  g_free (f->local);
}

/* ---- helpers ------------------------------------------------------------- */

char *
path_in (const char *dir,
         const char *name)
{
  return g_build_filename (dir, name, NULL);
}

void
write_random (const char *path,
              gsize       size,
              guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
}

char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, len);
}

void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *sa = sha256_of (a);
  g_autofree char *sb = sha256_of (b);

  g_assert_nonnull (sa);
  g_assert_cmpstr (sa, ==, sb);
}

void
assert_no_partial (const char *path)
{
  g_autofree char *partial = g_strconcat (path, ".filepart", NULL);

  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
}

void
set_mtime (const char *path,
           time_t      when)
{
  struct utimbuf times = { when, when };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

struct stat
stat_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_lstat (path, (GStatBuf *) &st), ==, 0);
  return st;
}

PasTransfer *
new_transfer (PasTransferDirection direction,
              const char          *remote,
              const char          *local)
{
  g_autoptr(GFile) file = g_file_new_for_path (local);

  return pas_transfer_new (direction, remote, file);
}

gboolean
run (Fixture     *f,
     PasTransfer *transfer,
     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);

  /* With channels > 1, files spread over several SFTP channels, and big
   * uploads are split even on loopback, where it would not pay. */
  g_ptr_array_add (sessions, g_object_ref (f->sftp));
  if (f->channels > 1)
    pas_transfer_set_split_round_trip (transfer, 0);
  for (guint i = 1; i < f->channels; i++)
    {
      g_autoptr(GError) open_error = NULL;
      g_ptr_array_add (sessions, pas_test_open_sftp_on (f->connection, NULL, &open_error));
      g_assert_no_error (open_error);
    }
  pas_transfer_run_on_async (transfer, (PasSftpSession * const *) sessions->pdata, sessions->len, NULL,
                             pas_test_store_result_cb, &result);
  return pas_transfer_run_on_finish (transfer, pas_test_wait_for (&result), error);
}

/* Names in @dir other than @except. */
guint
count_other_files (const char *dir,
                   const char *except)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (strcmp (name, except) != 0)
      {
        g_test_message ("left over: %s", name);
        n++;
      }
  return n;
}

void
count_cb (PasTransfer *transfer,
          guint       *count)
{
  (*count)++;
}

void
item_ended_cb (PasTransferQueue *queue,
               PasTransfer      *transfer,
               const char       *server,
               guint            *count)
{
  g_assert_cmpstr (server, ==, "server");
  (*count)++;
}

/* Source and destination roots of a list in @direction, with the folders
 * the list needs on the destination (a sync makes them first). */
void
list_roots (Fixture             *f,
            PasTransferDirection direction,
            const char         **source,
            const char         **destination)
{
  *source = direction == PAS_TRANSFER_UPLOAD ? f->local : f->remote;
  *destination = direction == PAS_TRANSFER_UPLOAD ? f->remote : f->local;
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *in_source = path_in (*source, i == 0 ? "deux mots" : "sub");
      g_autofree char *in_destination = path_in (*destination, i == 0 ? "deux mots" : "sub");

      g_assert_cmpint (g_mkdir_with_parents (in_source, 0755), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (in_destination, 0755), ==, 0);
    }
}

PasTransfer *
new_list_transfer (Fixture             *f,
                   PasTransferDirection direction)
{
  return new_transfer (direction, f->remote, f->local);
}
