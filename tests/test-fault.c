/* Fault tests: transfers cut off where nobody chose.
 *
 * Each "kill" run copies a file or a folder tree, one way or the other, from
 * or to a real sshd, and kills the server's session process once a random
 * number of bytes has gone by (random per run: the seed GLib prints repeats
 * it). Then every final name must hold either what it held before (or
 * nothing) or the whole source, byte for byte; only NAME.filepart may be
 * extra. A new connection resumes the copy, which must then be complete,
 * with nothing left over.
 *
 * Each "cut" run goes through a relay that closes the TCP connection after
 * exactly N bytes in one direction, from inside the version exchange to
 * deep into the data, with the same checks.
 *
 * PAS_FAULT_RUNS sets how many kill runs (default 24); scripts/fault runs
 * many more. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

typedef enum
{
  DOWNLOAD_FILE,
  UPLOAD_FILE,
  DOWNLOAD_TREE,
  UPLOAD_TREE,
  N_KINDS
} Kind;

static const char *kind_names[N_KINDS] = { "download-file", "upload-file", "download-tree", "upload-tree" };

static PasTestSshd *sshd;
/* This run's numbers. GLib gives every test case the same g_test_rand
 * sequence, so each run draws from its own generator, seeded by the suite's
 * seed and the run's index. */
static GRand *rand_;

static struct
{
  guint runs;
  guint cut_mid_transfer;     /* the first attempt failed */
  guint finished_first;       /* the cut came too late to matter */
  guint cut_while_connecting;
  guint files_verified;       /* one file checked once, after the cut or after the resume */
  guint64 bytes_resumed;
} stats;

typedef struct
{
  Kind        kind;
  char       *top;        /* this run's folder */
  char       *from;       /* a folder holding the source (one file, or a tree) */
  char       *to;         /* where it is copied */
  char       *name;       /* the source's name inside @from */
  GHashTable *before;     /* path relative to @to -> what it held before (GBytes) */
} Run;

static gboolean
is_download (Kind kind)
{
  return kind == DOWNLOAD_FILE || kind == DOWNLOAD_TREE;
}

static void
run_clear (Run *run)
{
  pas_test_rm_rf (run->top, NULL);
  g_free (run->top);
  g_free (run->from);
  g_free (run->to);
  g_free (run->name);
  g_hash_table_unref (run->before);
}

static void
write_random (const char *path,
              gsize       size)
{
  g_autofree guint8 *data = g_malloc (MAX (size, 1));
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i += 4)
    {
      guint32 r = g_rand_int (rand_);
      memcpy (data + i, &r, MIN (4, size - i));
    }
  g_file_set_contents (path, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);
}

/* Mostly small files, a few large ones: the cut lands in a walk, between
 * files, or inside one. */
static gsize
random_size (void)
{
  switch (g_rand_int_range (rand_, 0, 3))
    {
    case 0: return (gsize) g_rand_int_range (rand_, 0, 4096);
    case 1: return (gsize) g_rand_int_range (rand_, 4096, 256 * 1024);
    default: return (gsize) g_rand_int_range (rand_, 256 * 1024, 3 * 1024 * 1024);
    }
}

/* Sometimes the target already holds an older version, which a failed
 * attempt must leave alone. */
static void
maybe_put_before (Run        *run,
                  const char *relative)
{
  g_autofree char *path = g_build_filename (run->to, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  if (g_rand_int_range (rand_, 0, 3) != 0)
    return;
  text = g_strdup_printf ("the version of %s from before", relative);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_hash_table_insert (run->before, g_strdup (relative), g_bytes_new (text, strlen (text)));
}

static guint64
make_source (Run *run)
{
  const char *folders[] = { "", "docs", "docs/2026", "media", "empty" };
  guint64 total = 0;

  if (run->kind == DOWNLOAD_FILE || run->kind == UPLOAD_FILE)
    {
      g_autofree char *path = g_build_filename (run->from, run->name, NULL);
      gsize size = (gsize) g_rand_int_range (rand_, 1, 24 * 1024 * 1024);

      write_random (path, size);
      maybe_put_before (run, run->name);
      return size;
    }
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (run->from, run->name, folders[i], NULL);
      g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
    }
  for (guint i = 0, n = (guint) g_rand_int_range (rand_, 6, 16); i < n; i++)
    {
      const char *folder = folders[g_rand_int_range (rand_, 0, G_N_ELEMENTS (folders) - 1)];
      g_autofree char *name = g_strdup_printf ("file-%02u.bin", i);
      g_autofree char *relative = g_build_filename (run->name, folder, name, NULL);
      g_autofree char *path = g_build_filename (run->from, relative, NULL);
      gsize size = random_size ();

      write_random (path, size);
      maybe_put_before (run, relative);
      total += size;
    }
  return total;
}

static void
run_init (Run  *run,
          Kind  kind,
          guint index)
{
  g_autofree char *top = g_strdup_printf ("run-%03u", index);
  g_autofree char *server = NULL;
  g_autofree char *client = NULL;

  g_clear_pointer (&rand_, g_rand_free);
  rand_ = g_rand_new_with_seed ((guint32) g_test_rand_int () ^ (index * 2654435761u));
  run->kind = kind;
  run->top = g_build_filename (pas_test_sshd_get_dir (sshd), top, NULL);
  server = g_build_filename (run->top, "server", NULL);
  client = g_build_filename (run->top, "client", NULL);
  g_assert_cmpint (g_mkdir_with_parents (server, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (client, 0755), ==, 0);
  run->from = g_strdup (is_download (kind) ? server : client);
  run->to = g_strdup (is_download (kind) ? client : server);
  run->name = g_strdup (kind == DOWNLOAD_FILE || kind == UPLOAD_FILE ? "backup.tar" : "site");
  run->before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
}

static PasTransfer *
new_transfer (Run *run)
{
  g_autofree char *remote = g_build_filename (is_download (run->kind) ? run->from : run->to, run->name, NULL);
  g_autoptr(GFile) local = g_file_new_build_filename (is_download (run->kind) ? run->to : run->from,
                                                      run->name, NULL);
  PasTransfer *transfer = pas_transfer_new (is_download (run->kind) ? PAS_TRANSFER_DOWNLOAD : PAS_TRANSFER_UPLOAD,
                                            remote, local);

  pas_transfer_set_recursive (transfer, run->kind == DOWNLOAD_TREE || run->kind == UPLOAD_TREE);
  return transfer;
}

static gboolean
run_transfer (PasTransfer    *transfer,
              PasSftpSession *sftp,
              GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_transfer_run_async (transfer, sftp, NULL, pas_test_store_result_cb, &result);
  return pas_transfer_run_finish (transfer, pas_test_wait_for (&result), error);
}

/* ---- the checks ---------------------------------------------------------- */

static void
list_files (const char *top,
            const char *relative,
            GPtrArray  *out)
{
  g_autofree char *path = g_build_filename (top, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = relative[0] != '\0' ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child_path = g_build_filename (top, child, NULL);

      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        list_files (top, child, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&child));
    }
}

static GBytes *
contents_of (const char *top,
             const char *relative)
{
  g_autofree char *path = g_build_filename (top, relative, NULL);
  char *data;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return g_bytes_new_take (data, len);
}

/* After the cut (@complete FALSE): each final name holds the source or what
 * it held before (or nothing), and the only other files are .fileparts.
 * After the resume: each holds the source, and nothing else is there. */
static void
verify (Run     *run,
        gboolean complete)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  guint whole = 0, as_before = 0, absent = 0;

  list_files (run->from, "", sources);
  for (guint i = 0; i < sources->len; i++)
    {
      const char *relative = g_ptr_array_index (sources, i);
      g_autoptr(GBytes) source = contents_of (run->from, relative);
      g_autoptr(GBytes) target = contents_of (run->to, relative);
      GBytes *before = g_hash_table_lookup (run->before, relative);

      g_hash_table_add (expected, (gpointer) relative);
      if (target != NULL && g_bytes_equal (target, source))
        whole++;
      else if (complete)
        g_error ("%s: %s after the resume", relative, target == NULL ? "missing" : "different from the source");
      else if (before != NULL)
        {
          if (target == NULL || !g_bytes_equal (target, before))
            g_error ("%s: the version from before was touched (%s)", relative,
                     target == NULL ? "gone" : "other contents");
          as_before++;
        }
      else if (target != NULL)
        g_error ("%s: %" G_GSIZE_FORMAT " bytes under the final name, neither the source nor nothing",
                 relative, g_bytes_get_size (target));
      else
        absent++;
      stats.files_verified++;
    }

  list_files (run->to, "", targets);
  for (guint i = 0; i < targets->len; i++)
    {
      const char *relative = g_ptr_array_index (targets, i);
      g_autofree char *owner = g_str_has_suffix (relative, ".filepart")
                               ? g_strndup (relative, strlen (relative) - strlen (".filepart")) : NULL;

      if (g_hash_table_contains (expected, relative))
        continue;
      if (!complete && owner != NULL && g_hash_table_contains (expected, owner))
        continue;
      g_error ("%s: left in the target %s", relative, complete ? "after the resume" : "after the cut");
    }
  g_test_message ("%s: %u whole, %u as before, %u not there, %u files in the target",
                  complete ? "after the resume" : "after the cut", whole, as_before, absent, targets->len);
}

/* Resumes on a fresh connection; everything must then be there. */
static void
resume_and_verify (Run *run)
{
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = pas_test_open_sftp (sshd, NULL, &connection);
  g_autoptr(PasTransfer) again = new_transfer (run);
  g_autoptr(GError) error = NULL;

  pas_transfer_set_resume (again, TRUE);
  run_transfer (again, sftp, &error);
  g_assert_no_error (error);
  g_test_message ("resumed: %" G_GUINT64_FORMAT " bytes kept from the first attempt",
                  pas_transfer_get_bytes_resumed (again));
  stats.bytes_resumed += pas_transfer_get_bytes_resumed (again);
  verify (run, TRUE);
}

static void
note_first_attempt (gboolean      ok,
                    const GError *error)
{
  stats.runs++;
  if (ok)
    {
      stats.finished_first++;
      return;
    }
  g_test_message ("first attempt: %s", error->message);
  stats.cut_mid_transfer++;
  /* A clear error of ours, naming the lost connection (a tree reports it
   * as the batch's error too). */
  g_assert_true (error->domain == PAS_ERROR);
  g_assert_true (error->code == PAS_ERROR_DISCONNECTED || error->code == PAS_ERROR_NETWORK);
}

/* ---- killing the server's session process -------------------------------- */

typedef struct
{
  PasTransfer *transfer;
  guint64      at;
  gboolean     killed;
} Killer;

static gboolean
kill_tick_cb (gpointer data)
{
  Killer *k = data;

  if (pas_transfer_get_bytes_done (k->transfer) < k->at)
    return G_SOURCE_CONTINUE;
  g_test_message ("killing the session at %" G_GUINT64_FORMAT " bytes", pas_transfer_get_bytes_done (k->transfer));
  k->killed = pas_test_sshd_kill_sessions (sshd) > 0;
  return G_SOURCE_REMOVE;
}

static void
test_kill (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  Run run = { 0 };
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = NULL;
  g_autoptr(PasTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  Killer killer = { 0 };
  guint64 total;
  guint tick;
  gboolean ok;

  run_init (&run, (Kind) (index % N_KINDS), index);
  total = make_source (&run);
  sftp = pas_test_open_sftp (sshd, NULL, &connection);
  transfer = new_transfer (&run);
  killer.transfer = transfer;
  killer.at = total > 0 ? (guint64) g_rand_double_range (rand_, 0, (double) total) : 0;
  g_test_message ("%s, %" G_GUINT64_FORMAT " bytes, kill at %" G_GUINT64_FORMAT,
                  kind_names[run.kind], total, killer.at);

  tick = g_timeout_add (1, kill_tick_cb, &killer);
  ok = run_transfer (transfer, sftp, &error);
  if (!killer.killed)
    g_source_remove (tick);
  note_first_attempt (ok, error);
  verify (&run, ok);
  if (!ok)
    resume_and_verify (&run);
  run_clear (&run);
}

/* ---- cutting the connection at an exact byte ----------------------------- */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  guint16           port;
  char             *known_hosts;
} Relay;

static void
relay_start (Relay      *relay,
             const char *cuts)
{
  g_autofree char *script = g_build_filename (g_getenv ("PAS_TEST_SRCDIR"), "tests", "fixtures", "cut-relay.py", NULL);
  g_autofree char *target = g_strdup_printf ("%u", pas_test_sshd_get_port (sshd));
  g_autofree char *line = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *from = g_strdup_printf ("[127.0.0.1]:%u ", pas_test_sshd_get_port (sshd));
  g_autofree char *to = NULL;
  g_autoptr(GString) rewritten = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, pas_test_die_with_parent, NULL, NULL);
  relay->process = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script, target, cuts, NULL);
  g_assert_no_error (error);
  relay->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay->process));
  line = g_data_input_stream_read_line (relay->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  relay->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);

  /* The relay's address must know the server's key, as a user's
   * known_hosts would after the first connection. */
  g_assert_true (g_file_get_contents (pas_test_sshd_get_known_hosts (sshd), &hosts, NULL, NULL));
  to = g_strdup_printf ("[127.0.0.1]:%u ", relay->port);
  rewritten = g_string_new (hosts);
  g_string_replace (rewritten, from, to, 0);
  relay->known_hosts = g_build_filename (pas_test_sshd_get_dir (sshd), "relay_known_hosts", NULL);
  g_assert_true (g_file_set_contents (relay->known_hosts, rewritten->str, -1, NULL));
}

static void
relay_stop (Relay *relay)
{
  g_subprocess_force_exit (relay->process);
  g_subprocess_wait (relay->process, NULL, NULL);
  g_clear_object (&relay->out);
  g_clear_object (&relay->process);
  g_unlink (relay->known_hosts);
  g_free (relay->known_hosts);
}

/* The relay's own report: which connection it cut, where. */
static void
expect_cut (Relay      *relay,
            guint       index,
            const char *direction,
            guint64     at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (relay->out, NULL, NULL, &error);
  g_autofree char *expected = g_strdup_printf ("CUT %u %s %" G_GUINT64_FORMAT, index, direction, at);

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
}

typedef struct
{
  const char *direction;
  guint64     at;
} Cut;

/* From the version string to deep inside the data; a download's data flows
 * server to client, an upload's the other way, and each also gets a cut in
 * the direction that carries only requests or acknowledgements. */
static const Cut cuts[] = {
  { "s2c", 5 },            /* inside the server's version line */
  { "s2c", 900 },          /* inside the server's KEXINIT */
  { "s2c", 2500 },         /* key exchange */
  { "c2s", 1800 },
  { "c2s", 4000 },         /* authentication */
  { "s2c", 200000 },
  { "s2c", 1048577 },
  { "s2c", 5242883 },
  { "c2s", 200000 },
  { "c2s", 1048577 },
  { "c2s", 5242883 },
  { "c2s", 3000 },         /* a download's read requests (4.4 kB in all) */
  { "s2c", 4000 },         /* an upload's acknowledgements (~2 kB a MiB) */
};

static void
test_cut (void)
{
  g_autoptr(GString) spec = g_string_new (NULL);
  Relay relay = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    g_string_append_printf (spec, "%s%s:%" G_GUINT64_FORMAT, i > 0 ? "," : "", cuts[i].direction, cuts[i].at);
  relay_start (&relay, spec->str);

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      /* Data flows in the cut's direction, except for the last two. */
      gboolean down = (strcmp (cuts[i].direction, "s2c") == 0) == (i < G_N_ELEMENTS (cuts) - 2);
      Run run = { 0 };
      const char *files[2] = { pas_test_sshd_get_user_key (sshd), NULL };
      g_autoptr(PasConnection) connection = pas_connection_new ("127.0.0.1", relay.port, pas_test_sshd_get_user (sshd));
      g_autoptr(PasSftpSession) sftp = NULL;
      g_autoptr(PasTransfer) transfer = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      run_init (&run, down ? DOWNLOAD_FILE : UPLOAD_FILE, 900 + i);
      {
        g_autofree char *path = g_build_filename (run.from, run.name, NULL);
        write_random (path, 6 * 1024 * 1024 + 17);
        maybe_put_before (&run, run.name);
      }
      g_test_message ("cut %s after %" G_GUINT64_FORMAT " bytes, %s", cuts[i].direction, cuts[i].at,
                      kind_names[run.kind]);
      pas_connection_set_known_hosts_files (connection, relay.known_hosts, NULL);
      pas_connection_set_identity_files (connection, files, TRUE);
      pas_connection_set_agent_socket (connection, NULL);

      if (!pas_test_connect (connection, NULL, NULL, &error) ||
          (sftp = pas_test_open_sftp_on (connection, NULL, &error)) == NULL)
        {
          g_test_message ("while connecting: %s", error->message);
          g_assert_true (error->domain == PAS_ERROR);
          stats.cut_while_connecting++;
          expect_cut (&relay, i, cuts[i].direction, cuts[i].at);
          verify (&run, FALSE);
          resume_and_verify (&run);
          run_clear (&run);
          continue;
        }
      transfer = new_transfer (&run);
      ok = run_transfer (transfer, sftp, &error);
      g_assert_false (ok);   /* every cut comes before the end of 6 MiB */
      note_first_attempt (ok, error);
      expect_cut (&relay, i, cuts[i].direction, cuts[i].at);
      verify (&run, FALSE);
      resume_and_verify (&run);
      run_clear (&run);
    }
  relay_stop (&relay);
}

static void
test_summary (void)
{
  g_test_message ("%u transfers cut (%u mid-transfer, %u finished first), %u cut while connecting, "
                  "%u files verified, %" G_GUINT64_FORMAT " bytes resumed",
                  stats.runs, stats.cut_mid_transfer, stats.finished_first, stats.cut_while_connecting,
                  stats.files_verified, stats.bytes_resumed);
  /* The suite proves something only if most cuts land inside a transfer. */
  if (stats.runs >= 20)
    g_assert_cmpuint (stats.cut_mid_transfer, >=, stats.runs / 2);
}

int
main (int   argc,
      char *argv[])
{
  const char *env = g_getenv ("PAS_FAULT_RUNS");
  guint runs = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 24;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  pas_test_use_local_resolver ();
  sshd = pas_test_sshd_new (NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *path = g_strdup_printf ("/fault/kill/%03u-%s", i, kind_names[i % N_KINDS]);
      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_kill);
    }
  /* GLib runs a suite's own cases before its sub-suites: all are sub-suites. */
  g_test_add_func ("/fault/cut/exact-bytes", test_cut);
  g_test_add_func ("/fault/summary/figures", test_summary);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  pas_test_sshd_free (sshd);
  g_clear_pointer (&rand_, g_rand_free);
  return ret;
}
