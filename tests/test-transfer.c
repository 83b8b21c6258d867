/* PasTransfer against a real sshd: files and trees both ways, byte for byte;
 * times and modes; every conflict policy; resume after the server's session
 * process is killed mid-file; a full local disk. */
#include "config.h"

#include "transfer-fixture.h"

/* ---- files --------------------------------------------------------------- */

static void
test_download_file (Fixture      *f,
                    gconstpointer data)
{
  /* Not a multiple of any read size; the odd mode loses its setuid bit. */
  g_autofree char *source = path_in (f->remote, "data é.bin");
  g_autofree char *target = path_in (f->local, "copy.bin");
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;
  guint progress = 0;

  write_random (source, 5 * 1024 * 1024 + 123, 1);
  g_assert_cmpint (g_chmod (source, 04751), ==, 0);
  set_mtime (source, 1500000000);

  transfer = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);
  g_signal_connect (transfer, "progress", G_CALLBACK (count_cb), &progress);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);

  assert_same_file (source, target);
  assert_no_partial (target);
  st = stat_of (target);
  g_assert_cmpint (st.st_mtime, ==, 1500000000);
  g_assert_cmpint (st.st_mode & 07777, ==, 0751);
  g_assert_cmpuint (pas_transfer_get_bytes_done (transfer), ==, 5 * 1024 * 1024 + 123);
  g_assert_cmpuint (pas_transfer_get_bytes_total (transfer), ==, 5 * 1024 * 1024 + 123);
  g_assert_cmpuint (pas_transfer_get_files_done (transfer), ==, 1);
  /* At least the final report, at most ten a second. */
  g_assert_cmpuint (progress, >=, 1);
}

static void
test_upload_replaces_in_place (Fixture      *f,
                               gconstpointer data)
{
  g_autofree char *source = path_in (f->local, "report.pdf");
  g_autofree char *target = path_in (f->remote, "report.pdf");
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  write_random (source, 3 * 1024 * 1024 + 7, 2);
  g_assert_cmpint (g_chmod (source, 0640), ==, 0);
  set_mtime (source, 1600000000);
  /* An older version is there: posix-rename replaces it in one step. */
  g_assert_true (g_file_set_contents (target, "old version", -1, NULL));

  transfer = new_transfer (PAS_TRANSFER_UPLOAD, target, source);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);

  assert_same_file (source, target);
  assert_no_partial (target);
  st = stat_of (target);
  g_assert_cmpint (st.st_mtime, ==, 1600000000);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
}

/* A big upload split over three channels, joined on the server. */
static void
test_split_upload (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *source = path_in (f->local, "disk.img");
  g_autofree char *target = path_in (f->remote, "disk.img");
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;

  write_random (source, 40 * 1024 * 1024 + 4321, 9);
  set_mtime (source, 1550000000);
  transfer = new_transfer (PAS_TRANSFER_UPLOAD, target, source);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);
  assert_same_file (source, target);
  g_assert_cmpint (stat_of (target).st_mtime, ==, 1550000000);
  /* No part left behind. */
  g_assert_cmpuint (count_other_files (f->remote, "disk.img"), ==, 0);
}

typedef struct
{
  const char *path;
  gboolean    changed;
} Changer;

/* Rewrites the start of the source in place (same size, a new time) once
 * the copy is under way. */
static void
change_source_cb (PasTransfer *transfer,
                  gpointer     data)
{
  Changer *changer = data;
  int fd;

  if (changer->changed || pas_transfer_get_bytes_done (transfer) < 256 * 1024)
    return;
  changer->changed = TRUE;
  fd = open (changer->path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "changed", 7, 0), ==, 7);
  close (fd);
  set_mtime (changer->path, 1600000000);
}

/* A file edited while it is uploaded (as a sync may meet one): the mix of
 * two versions never takes the final name, the failure says why, and the
 * next copy takes the file as it now is. */
static void
test_source_changes_while_uploaded (Fixture      *f,
                                    gconstpointer data)
{
  g_autofree char *source = path_in (f->local, "edited.bin");
  g_autofree char *target = path_in (f->remote, "edited.bin");
  g_autoptr(PasTransfer) slow = new_transfer (PAS_TRANSFER_UPLOAD, target, source);
  g_autoptr(PasTransfer) again = new_transfer (PAS_TRANSFER_UPLOAD, target, source);
  g_autoptr(GError) error = NULL;
  GPtrArray *failures;
  Changer changer = { source, FALSE };
  const char *message;

  write_random (source, 2 * 1024 * 1024, 7);
  set_mtime (source, 1500000000);
  pas_transfer_set_rate_limit (slow, 1024 * 1024);
  g_signal_connect (slow, "progress", G_CALLBACK (change_source_cb), &changer);
  g_assert_false (run (f, slow, &error));
  g_assert_true (changer.changed);
  g_assert_nonnull (error);
  failures = pas_transfer_get_failures (slow);
  message = failures->len > 0 ? ((GError *) g_ptr_array_index (failures, 0))->message : error->message;
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "changed while it was copied"));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  g_clear_error (&error);
  g_assert_true (run (f, again, &error));
  g_assert_no_error (error);
  assert_same_file (source, target);
  g_assert_cmpint (stat_of (target).st_mtime, ==, 1600000000);
}

static void
test_missing_source (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *source = path_in (f->remote, "nothing-here");
  g_autofree char *target = path_in (f->local, "nothing-here");
  g_autoptr(PasTransfer) transfer = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);
  g_autoptr(GError) error = NULL;

  g_assert_false (run (f, transfer, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  assert_no_partial (target);
}

/* ---- trees --------------------------------------------------------------- */

static void
make_tree (const char *root)
{
  g_autofree char *many = path_in (root, "many");
  g_autofree char *deeper = g_build_filename (root, "sub dir", "deeper", NULL);
  g_autofree char *empty_dir = path_in (root, "empty dir");
  const char *files[] = { "a.txt", "sub dir/é ü.txt", "sub dir/deeper/line\nbreak", "empty" };

  g_assert_cmpint (g_mkdir_with_parents (many, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (deeper, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (empty_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = path_in (root, files[i]);
      write_random (path, strcmp (files[i], "empty") == 0 ? 0 : 1000 + i * 70000, 10 + i);
    }
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%03u.dat", i);
      g_autofree char *path = path_in (many, name);
      write_random (path, 8192, 100 + i);
    }
  /* Links are not copied unless asked; a loop is never followed twice. */
  {
    g_autofree char *link = path_in (root, "link");
    g_autofree char *loop = path_in (root, "loop");
    g_assert_cmpint (symlink ("a.txt", link), ==, 0);
    g_assert_cmpint (symlink (".", loop), ==, 0);
  }
}

/* Every regular file and folder of @a is in @b with the same bytes;
 * returns how many files were compared. */
static guint
compare_trees (const char *a,
               const char *b)
{
  g_autoptr(GDir) dir = g_dir_open (a, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pa = path_in (a, name);
      g_autofree char *pb = path_in (b, name);

      if (g_file_test (pa, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (pa, G_FILE_TEST_IS_DIR))
        {
          g_assert_true (g_file_test (pb, G_FILE_TEST_IS_DIR));
          n += compare_trees (pa, pb);
        }
      else
        {
          assert_same_file (pa, pb);
          assert_no_partial (pb);
          n++;
        }
    }
  return n;
}

static void
test_trees_both_ways (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *tree = path_in (f->local, "tree");
  g_autofree char *up = path_in (f->remote, "tree");
  g_autofree char *back = path_in (f->local, "back");
  g_autofree char *up_link = path_in (up, "link");
  g_autoptr(PasTransfer) upload = new_transfer (PAS_TRANSFER_UPLOAD, up, tree);
  g_autoptr(PasTransfer) download = new_transfer (PAS_TRANSFER_DOWNLOAD, up, back);
  g_autoptr(GError) error = NULL;

  make_tree (tree);
  pas_transfer_set_recursive (upload, TRUE);
  g_assert_false (pas_transfer_is_size_known (upload));
  g_assert_true (run (f, upload, &error));
  g_assert_no_error (error);
  /* Walked to the end: its total is the whole tree's. */
  g_assert_true (pas_transfer_is_size_known (upload));
  g_assert_cmpuint (pas_transfer_get_bytes_total (upload), ==, pas_transfer_get_bytes_done (upload));
  g_assert_cmpuint (pas_transfer_get_bytes_total (upload), >, 0);
  g_assert_cmpuint (compare_trees (tree, up), ==, 304);
  g_assert_cmpuint (pas_transfer_get_files_done (upload), ==, 304);
  g_assert_cmpuint (pas_transfer_get_files_skipped (upload), ==, 2);   /* the two links */
  g_assert_false (g_file_test (up_link, G_FILE_TEST_EXISTS));
  {
    g_autofree char *private_dir = g_build_filename (up, "sub dir", "deeper", NULL);
    g_assert_cmpint (stat_of (private_dir).st_mode & 0777, ==, 0700);
  }

  pas_transfer_set_recursive (download, TRUE);
  g_assert_true (run (f, download, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (compare_trees (tree, back), ==, 304);
  g_assert_cmpuint (compare_trees (back, tree), ==, 304);

  /* Without -r a folder is refused, with a reason. */
  {
    g_autoptr(PasTransfer) flat = new_transfer (PAS_TRANSFER_DOWNLOAD, up, back);
    g_assert_false (run (f, flat, &error));
    g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
  }
}

static void
test_follow_symlinks (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *tree = path_in (f->remote, "tree");
  g_autofree char *copy = path_in (f->local, "copy");
  g_autofree char *source_a = path_in (tree, "a.txt");
  g_autofree char *copied_link = path_in (copy, "link");
  g_autofree char *copied_loop = path_in (copy, "loop");
  g_autoptr(PasTransfer) transfer = new_transfer (PAS_TRANSFER_DOWNLOAD, tree, copy);
  g_autoptr(GError) error = NULL;

  make_tree (tree);
  pas_transfer_set_recursive (transfer, TRUE);
  pas_transfer_set_follow_symlinks (transfer, TRUE);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);
  /* The link to a file became that file; the loop back to the top was not followed. */
  g_assert_false (g_file_test (copied_link, G_FILE_TEST_IS_SYMLINK));
  assert_same_file (source_a, copied_link);
  g_assert_false (g_file_test (copied_loop, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (pas_transfer_get_files_done (transfer), ==, 305);
}

/* ---- conflicts ----------------------------------------------------------- */

typedef struct
{
  PasConflictPolicy policy;
  gboolean          source_newer;
  const char       *expect;      /* "source", "old" or "both" */
} ConflictCase;

static void
conflict_case (Fixture             *f,
               PasTransferDirection direction,
               const ConflictCase  *c,
               guint                index)
{
  const char *from_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->remote : f->local;
  const char *to_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->local : f->remote;
  g_autofree char *name = g_strdup_printf ("case%u.txt", index);
  g_autofree char *other_name = g_strdup_printf ("case%u (2).txt", index);
  g_autofree char *source = path_in (from_dir, name);
  g_autofree char *target = path_in (to_dir, name);
  g_autofree char *other = path_in (to_dir, other_name);
  g_autofree char *contents = NULL;
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (source, "the new contents", -1, NULL));
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  set_mtime (source, c->source_newer ? 1700000000 : 1600000000);
  set_mtime (target, 1650000000);

  transfer = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, source, target)
                                                : new_transfer (direction, target, source);
  pas_transfer_set_conflict_policy (transfer, c->policy);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_test_message ("policy %d, source newer %d: target holds “%s”", c->policy, c->source_newer, contents);
  if (strcmp (c->expect, "source") == 0)
    g_assert_cmpstr (contents, ==, "the new contents");
  else
    g_assert_cmpstr (contents, ==, "old");
  if (strcmp (c->expect, "both") == 0)
    assert_same_file (source, other);
  else
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (pas_transfer_get_files_skipped (transfer), ==, strcmp (c->expect, "old") == 0 ? 1 : 0);
  assert_no_partial (target);
}

static void
test_conflicts (Fixture      *f,
                gconstpointer data)
{
  PasTransferDirection direction = GPOINTER_TO_INT (data);
  const ConflictCase cases[] = {
    { PAS_CONFLICT_OVERWRITE, FALSE, "source" },
    { PAS_CONFLICT_SKIP, TRUE, "old" },
    { PAS_CONFLICT_RENAME, TRUE, "both" },
    { PAS_CONFLICT_NEWER, FALSE, "old" },
    { PAS_CONFLICT_NEWER, TRUE, "source" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    conflict_case (f, direction, &cases[i], i);
}

/* RESUME: the existing file is the first part of the source. */
static void
test_conflict_resume (Fixture      *f,
                      gconstpointer data)
{
  PasTransferDirection direction = GPOINTER_TO_INT (data);
  const char *from_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->remote : f->local;
  const char *to_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->local : f->remote;
  g_autofree char *source = path_in (from_dir, "video.mkv");
  g_autofree char *target = path_in (to_dir, "video.mkv");
  g_autofree char *contents = NULL;
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  write_random (source, 2 * 1024 * 1024, 7);
  g_assert_true (g_file_get_contents (source, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (target, contents, 1234567, NULL));

  transfer = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, source, target)
                                                : new_transfer (direction, target, source);
  pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_RESUME);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);
  assert_same_file (source, target);
  assert_no_partial (target);
  g_assert_cmpuint (pas_transfer_get_bytes_resumed (transfer), ==, 1234567);

  /* A "partial" copy that is not the start of the source is not continued. */
  {
    g_autoptr(PasTransfer) again = NULL;

    g_assert_true (g_file_set_contents (target, "something else entirely", -1, NULL));
    again = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, source, target)
                                               : new_transfer (direction, target, source);
    pas_transfer_set_conflict_policy (again, PAS_CONFLICT_RESUME);
    g_assert_true (run (f, again, &error));
    g_assert_no_error (error);
    assert_same_file (source, target);
    g_assert_cmpuint (pas_transfer_get_bytes_resumed (again), ==, 0);
  }
}

/* PAS_CONFLICT_ASK: one question at a time; "for all" answers the rest;
 * nobody to ask means skip. */
static void
test_conflict_ask (Fixture      *f,
                   gconstpointer data)
{
  PasTransferDirection direction = direction_of (data);
  const char *from_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->remote : f->local;
  const char *to_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->local : f->remote;
  g_autofree char *from = path_in (from_dir, "site");
  g_autofree char *to = path_in (to_dir, "site");
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(PasTransfer) nobody = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (from, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (to, 0755), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("page%u.html", i);
      g_autofree char *a = path_in (from, name);
      g_autofree char *b = path_in (to, name);

      g_assert_true (g_file_set_contents (a, "new", -1, NULL));
      g_assert_true (g_file_set_contents (b, "old", -1, NULL));
    }
  /* One file by itself, then "skip all". */
  g_queue_push_tail (&interaction->conflict_answers, GINT_TO_POINTER (PAS_CONFLICT_RENAME));
  g_queue_push_tail (&interaction->conflict_answers, GINT_TO_POINTER (PAS_CONFLICT_SKIP | PAS_CONFLICT_FOR_ALL));
  transfer = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, from, to)
                                                : new_transfer (direction, to, from);
  pas_transfer_set_recursive (transfer, TRUE);
  pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_ASK);
  pas_transfer_set_interaction (transfer, PAS_INTERACTION (interaction));
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (interaction->n_conflict_asks, ==, 2);
  g_assert_cmpuint (pas_transfer_get_files_skipped (transfer), ==, 4);
  g_assert_cmpuint (pas_transfer_get_files_done (transfer), ==, 1);
  g_assert_cmpuint (count_other_files (to, "page0.html") + 1, ==, 6);   /* five pages and one "(2)" */

  nobody = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, from, to) : new_transfer (direction, to, from);
  pas_transfer_set_recursive (nobody, TRUE);
  pas_transfer_set_conflict_policy (nobody, PAS_CONFLICT_ASK);
  g_assert_true (run (f, nobody, &error));
  g_assert_cmpuint (pas_transfer_get_files_skipped (nobody), ==, 5);
}

/* ---- interruptions ------------------------------------------------------- */

static void
kill_sessions_cb (PasTransfer *transfer,
                  Fixture     *f)
{
  if (pas_transfer_get_bytes_done (transfer) > 0 &&
      pas_transfer_get_bytes_done (transfer) < pas_transfer_get_bytes_total (transfer))
    {
      g_test_message ("killing the session at %" G_GUINT64_FORMAT " bytes", pas_transfer_get_bytes_done (transfer));
      g_assert_cmpuint (pas_test_sshd_kill_sessions (f->sshd), >, 0);
      g_signal_handlers_disconnect_by_func (transfer, kill_sessions_cb, f);
    }
}

static void
test_resume_after_kill (Fixture      *f,
                        gconstpointer data)
{
  PasTransferDirection direction = direction_of (data);
  const char *from_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->remote : f->local;
  const char *to_dir = direction == PAS_TRANSFER_DOWNLOAD ? f->local : f->remote;
  g_autofree char *source = path_in (from_dir, "backup.tar");
  g_autofree char *target = path_in (to_dir, "backup.tar");
  g_autofree char *partial = g_strconcat (target, ".filepart", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(PasTransfer) first = NULL;
  g_autoptr(PasTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  guint64 kept;

  write_random (source, 96 * 1024 * 1024, 3);
  /* The previous version must survive the failed attempt untouched. */
  g_assert_true (g_file_set_contents (target, "previous version", -1, NULL));

  first = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, source, target)
                                             : new_transfer (direction, target, source);
  g_signal_connect (first, "progress", G_CALLBACK (kill_sessions_cb), f);
  g_assert_false (run (f, first, &error));
  g_test_message ("first attempt: %s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous version");
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  kept = stat_of (partial).st_size;
  g_test_message ("%" G_GUINT64_FORMAT " bytes kept in the .filepart", kept);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <, 96 * 1024 * 1024);

  connect_fixture (f);
  second = direction == PAS_TRANSFER_DOWNLOAD ? new_transfer (direction, source, target)
                                              : new_transfer (direction, target, source);
  pas_transfer_set_resume (second, TRUE);
  run (f, second, &error);
  g_assert_no_error (error);
  assert_same_file (source, target);
  assert_no_partial (target);
  /* It went on from the kept bytes rather than starting over. */
  g_assert_cmpuint (pas_transfer_get_bytes_resumed (second), ==, kept);
  /* Nothing left beside it: no .filepart, no parts of a split upload. */
  g_assert_cmpuint (count_other_files (to_dir, "backup.tar"), ==, 0);
}

/* ---- a full disk --------------------------------------------------------- */

/* Makes @path a 1 MiB tmpfs (needs root); skips the test otherwise. */
static gboolean
mount_small_disk (const char *path)
{
  g_autofree char *why = NULL;

  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  if (mount ("pas-test", path, "tmpfs", 0, "size=1m") == 0)
    return TRUE;
  why = g_strdup_printf ("cannot mount a small tmpfs here: %s", g_strerror (errno));
  g_test_skip (why);
  return FALSE;
}

/* Takes what is left of the small file system once bytes flow. */
static void
fill_disk_cb (PasTransfer *transfer,
              const char  *filler)
{
  g_autoptr(GFile) file = g_file_new_for_path (filler);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree guint8 *block = g_malloc0 (4096);

  if (pas_transfer_get_bytes_done (transfer) == 0 || g_file_test (filler, G_FILE_TEST_EXISTS))
    return;
  out = g_file_create (file, G_FILE_CREATE_NONE, NULL, NULL);
  g_assert_nonnull (out);
  while (g_output_stream_write_all (G_OUTPUT_STREAM (out), block, 4096, NULL, NULL, NULL))
    ;
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
}

static void
test_full_disk (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *small = path_in (f->local, "small");
  g_autofree char *source = path_in (f->remote, "big.iso");
  g_autofree char *target = path_in (small, "big.iso");
  g_autofree char *partial = path_in (small, "big.iso.filepart");
  g_autofree char *fits = path_in (f->remote, "fits.bin");
  g_autofree char *fits_target = path_in (small, "fits.bin");
  g_autofree char *filler = path_in (small, "filler");
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;

  if (!mount_small_disk (small))
    return;
  write_random (source, 4 * 1024 * 1024, 4);
  /* Too big from the start: refused before a byte is written. */
  transfer = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);
  g_assert_false (run (f, transfer, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_object (&transfer);

  /* Fits when it starts; something else takes the space while it runs. */
  write_random (fits, 768 * 1024, 5);
  transfer = new_transfer (PAS_TRANSFER_DOWNLOAD, fits, fits_target);
  pas_transfer_set_rate_limit (transfer, 1024 * 1024);
  g_signal_connect (transfer, "progress", G_CALLBACK (fill_disk_cb), filler);
  g_assert_false (run (f, transfer, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (g_file_test (filler, G_FILE_TEST_EXISTS));
  /* Nothing under the final name; the session is still usable. */
  g_assert_false (g_file_test (fits_target, G_FILE_TEST_EXISTS));
  g_assert_cmpint (umount (small), ==, 0);
  g_clear_error (&error);
  {
    g_autoptr(PasTransfer) again = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);
    g_assert_true (run (f, again, &error));
    g_assert_no_error (error);
    assert_same_file (source, target);
  }
}

/* The server's disk: a big file that cannot fit is refused before it is
 * sent (statvfs@openssh.com); one that runs out of room on the way fails
 * with the server's words, leaves the old file alone, and resumes once
 * there is room again. */
static void
test_server_full_disk (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *small = path_in (f->remote, "small");
  g_autofree char *big = path_in (f->local, "big.iso");
  g_autofree char *big_target = path_in (small, "big.iso");
  g_autofree char *big_partial = path_in (small, "big.iso.filepart");
  g_autofree char *fits = path_in (f->local, "fits.bin");
  g_autofree char *fits_target = path_in (small, "fits.bin");
  g_autofree char *filler = path_in (small, "filler");
  g_autofree char *contents = NULL;
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;

  if (!mount_small_disk (small))
    return;
  write_random (big, 20 * 1024 * 1024, 6);
  transfer = new_transfer (PAS_TRANSFER_UPLOAD, big_target, big);
  g_assert_false (run (f, transfer, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "on the server"));
  g_assert_false (g_file_test (big_target, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (big_partial, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_object (&transfer);

  write_random (fits, 768 * 1024, 7);
  g_assert_true (g_file_set_contents (fits_target, "the old version", -1, NULL));
  transfer = new_transfer (PAS_TRANSFER_UPLOAD, fits_target, fits);
  pas_transfer_set_rate_limit (transfer, 1024 * 1024);
  g_signal_connect (transfer, "progress", G_CALLBACK (fill_disk_cb), filler);
  g_assert_false (run (f, transfer, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_true (g_file_test (filler, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (fits_target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old version");
  g_clear_error (&error);
  g_clear_object (&transfer);

  /* Room again: the copy goes on from what the server kept. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  transfer = new_transfer (PAS_TRANSFER_UPLOAD, fits_target, fits);
  pas_transfer_set_resume (transfer, TRUE);
  g_assert_true (run (f, transfer, &error));
  g_assert_no_error (error);
  assert_same_file (fits, fits_target);
  assert_no_partial (fits_target);
  g_assert_cmpint (umount (small), ==, 0);
}

/* ---- lists (a sync's copies) ---------------------------------------------- */

static void
test_lists (Fixture      *f,
            gconstpointer data)
{
  PasTransferDirection direction = direction_of (data);
  const char *source, *destination;
  const char *listed[] = { "a.txt", "deux mots/café crème.txt", "sub/b.bin", "gone.txt", "link", NULL };
  g_autoptr(PasTransfer) t = new_list_transfer (f, direction);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) left = NULL;
  GPtrArray *failures;
  struct stat first;

  list_roots (f, direction, &source, &destination);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = path_in (source, listed[i]);

      write_random (path, i == 2 ? 300000 : 1000 + i, 70 + i);
      set_mtime (path, 1500000000 + i);
    }
  {
    g_autofree char *not_listed = path_in (source, "not-listed.txt");
    g_autofree char *link = path_in (source, "link");

    write_random (not_listed, 10, 80);
    g_assert_cmpint (symlink ("a.txt", link), ==, 0);
  }

  /* Paths that would leave the two folders are refused, whole. */
  g_assert_null (pas_transfer_dup_files (t));
  g_assert_false (pas_transfer_set_files (t, (const char *[]) { "a.txt", "../escape", NULL }));
  g_assert_false (pas_transfer_set_files (t, (const char *[]) { "/etc/passwd", NULL }));
  g_assert_false (pas_transfer_set_files (t, (const char *[]) { "sub//b.bin", NULL }));
  g_assert_false (pas_transfer_set_files (t, (const char *[]) { "sub/./b.bin", NULL }));
  g_assert_false (pas_transfer_set_files (t, (const char *[]) { "", NULL }));
  g_assert_null (pas_transfer_dup_files (t));
  g_assert_true (pas_transfer_set_files (t, listed));

  /* A listed file gone since the plan, and one now a link, fail alone. */
  g_assert_false (run (f, t, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PARTIAL);
  failures = pas_transfer_get_failures (t);
  g_assert_cmpuint (failures->len, ==, 2);
  for (guint i = 0; i < failures->len; i++)
    g_test_message ("failed: %s", ((GError *) g_ptr_array_index (failures, i))->message);
  g_assert_cmpstr (((GError *) g_ptr_array_index (failures, 0))->message, ==, "gone.txt: no longer there");
  g_assert_cmpstr (((GError *) g_ptr_array_index (failures, 1))->message, ==, "link: no longer a file");
  g_assert_cmpuint (pas_transfer_get_files_done (t), ==, 3);
  g_assert_cmpuint (pas_transfer_get_bytes_total (t), ==, 1000 + 1001 + 300000);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *from = path_in (source, listed[i]);
      g_autofree char *to = path_in (destination, listed[i]);

      assert_same_file (from, to);
      assert_no_partial (to);
      g_assert_cmpint (stat_of (to).st_mtime, ==, 1500000000 + i);
    }
  {
    g_autofree char *not_listed = path_in (destination, "not-listed.txt");
    g_autofree char *link = path_in (destination, "link");

    g_assert_false (g_file_test (not_listed, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (link, G_FILE_TEST_EXISTS));
  }
  left = pas_transfer_dup_files (t);
  g_assert_cmpstrv (left, ((const char *[]) { "gone.txt", "link", NULL }));
  g_clear_pointer (&left, g_strfreev);

  /* Put right, a second run copies only those two. */
  {
    g_autofree char *gone = path_in (source, "gone.txt");
    g_autofree char *link = path_in (source, "link");
    g_autofree char *copied = path_in (destination, "a.txt");

    write_random (gone, 500, 90);
    g_assert_cmpint (g_unlink (link), ==, 0);
    write_random (link, 600, 91);
    first = stat_of (copied);
    g_clear_error (&error);
    g_assert_true (run (f, t, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (pas_transfer_get_files_done (t), ==, 2);
    g_assert_cmpuint (stat_of (copied).st_ino, ==, first.st_ino);
  }
  for (guint i = 3; i < 5; i++)
    {
      g_autofree char *from = path_in (source, listed[i]);
      g_autofree char *to = path_in (destination, listed[i]);

      assert_same_file (from, to);
    }
  left = pas_transfer_dup_files (t);
  g_assert_cmpuint (g_strv_length (left), ==, 0);

  /* Nothing left (a list paused after its last copy, then resumed): the
   * run ends at once, having copied nothing. */
  g_assert_true (run (f, t, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pas_transfer_get_files_done (t), ==, 0);
}

/* Our copies in progress by their names, and nothing else. */
static void
test_partial_names (void)
{
  g_assert_true (pas_transfer_is_partial_name ("report.pdf.filepart"));
  g_assert_true (pas_transfer_is_partial_name ("big.iso.filepart.2"));
  g_assert_true (pas_transfer_is_partial_name (".filepart"));
  g_assert_false (pas_transfer_is_partial_name ("report.pdf"));
  g_assert_false (pas_transfer_is_partial_name ("notes.filepart.txt"));
  g_assert_false (pas_transfer_is_partial_name ("big.iso.filepart."));
  g_assert_false (pas_transfer_is_partial_name ("filepart"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  pas_test_use_local_resolver ();

  g_test_add_func ("/transfer/partial-names", test_partial_names);
#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/transfer/download-file", test_download_file, NULL);
  ADD ("/transfer/upload-replaces-in-place", test_upload_replaces_in_place, NULL);
  ADD ("/transfer/missing-source", test_missing_source, NULL);
  ADD ("/transfer/source-changes-while-uploaded", test_source_changes_while_uploaded, NULL);
  ADD ("/transfer/split-upload", test_split_upload, SPLIT);
  ADD ("/transfer/trees-both-ways", test_trees_both_ways, NULL);
  ADD ("/transfer/follow-symlinks", test_follow_symlinks, NULL);
  ADD ("/transfer/lists/download", test_lists, GINT_TO_POINTER (PAS_TRANSFER_DOWNLOAD));
  ADD ("/transfer/lists/upload", test_lists, GINT_TO_POINTER (PAS_TRANSFER_UPLOAD));
  ADD ("/transfer/conflicts/download", test_conflicts, GINT_TO_POINTER (PAS_TRANSFER_DOWNLOAD));
  ADD ("/transfer/conflicts/upload", test_conflicts, GINT_TO_POINTER (PAS_TRANSFER_UPLOAD));
  ADD ("/transfer/conflict-ask/download", test_conflict_ask, GINT_TO_POINTER (PAS_TRANSFER_DOWNLOAD));
  ADD ("/transfer/conflict-ask/upload", test_conflict_ask, GINT_TO_POINTER (PAS_TRANSFER_UPLOAD));
  ADD ("/transfer/conflict-resume/download", test_conflict_resume, GINT_TO_POINTER (PAS_TRANSFER_DOWNLOAD));
  ADD ("/transfer/conflict-resume/upload", test_conflict_resume, GINT_TO_POINTER (PAS_TRANSFER_UPLOAD));
  ADD ("/transfer/resume-after-kill/download", test_resume_after_kill, GINT_TO_POINTER (PAS_TRANSFER_DOWNLOAD));
  ADD ("/transfer/resume-after-kill/upload", test_resume_after_kill, GINT_TO_POINTER (PAS_TRANSFER_UPLOAD));
  ADD ("/transfer/resume-after-kill/upload-split", test_resume_after_kill, UPLOAD_SPLIT);
  ADD ("/transfer/full-disk", test_full_disk, NULL);
  ADD ("/transfer/server-full-disk", test_server_full_disk, NULL);
#undef ADD

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  return ret;
}
