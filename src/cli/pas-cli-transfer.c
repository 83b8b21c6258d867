#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pas-cli.h"

/* get and put: one PasTransfer per source, run one after another on the
 * session, with a progress line on a terminal or JSON progress events. */

typedef struct
{
  Cli        *cli;
  gint64      started;
  gboolean    tty;
  gboolean    line_shown;
} Progress;

static char *
format_eta (double seconds)
{
  guint s = seconds < 0 || seconds > 359999 ? 0 : (guint) seconds;

  return g_strdup_printf ("%u:%02u:%02u", s / 3600, (s / 60) % 60, s % 60);
}

static void
progress_cb (PasTransfer *transfer,
             gpointer     data)
{
  Progress *p = data;
  guint64 done = pas_transfer_get_bytes_done (transfer);
  guint64 total = pas_transfer_get_bytes_total (transfer);
  double elapsed = (g_get_monotonic_time () - p->started) / 1e6;
  double rate = elapsed > 0 ? done / elapsed : 0;

  if (p->cli->json)
    {
      g_autoptr(GString) out = g_string_new ("{\"event\":\"progress\",\"name\":");

      g_autofree char *name = pas_transfer_dup_current_name (transfer);

      pas_cli_json_string (out, name != NULL ? name : "");
      g_string_append_printf (out, ",\"bytes_done\":%" G_GUINT64_FORMAT ",\"bytes_total\":%" G_GUINT64_FORMAT
                              ",\"files_done\":%u,\"files_total\":%u,\"bytes_per_second\":%.0f",
                              done, total, pas_transfer_get_files_done (transfer),
                              pas_transfer_get_files_total (transfer), rate);
      pas_cli_json_print (out);
      fflush (stdout);
    }
  else if (p->tty && !p->cli->quiet)
    {
      g_autofree char *done_text = g_format_size (done);
      g_autofree char *total_text = g_format_size (total);
      g_autofree char *rate_text = g_format_size ((guint64) rate);
      g_autofree char *eta = format_eta (rate > 0 && total > done ? (total - done) / rate : 0);

      /* TRANSLATORS: progress line: files done/total, bytes done/total, speed, time left */
      g_printerr ("\r\033[K%s", "");
      g_printerr (_("%u/%u files  %s of %s  %s/s  %s left"), pas_transfer_get_files_done (transfer),
                  pas_transfer_get_files_total (transfer), done_text, total_text, rate_text, eta);
      p->line_shown = TRUE;
    }
}

static int
exit_status_for (const GError *error)
{
  if (error->domain == PAS_ERROR)
    switch (error->code)
      {
      case PAS_ERROR_PARTIAL:
        return EXIT_PARTIAL;
      case PAS_ERROR_DISCONNECTED:
      case PAS_ERROR_TIMED_OUT:
      case PAS_ERROR_NETWORK:
        return EXIT_CONNECTION;
      default:
        return EXIT_REMOTE;
      }
  return EXIT_LOCAL;
}

static int
run_transfer (Cli         *cli,
              PasTransfer *transfer,
              const char  *source,
              const char  *destination)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Progress p = { cli, g_get_monotonic_time (), isatty (STDERR_FILENO), FALSE };
  PasConflictPolicy policy = PAS_CONFLICT_OVERWRITE;
  GPtrArray *failures;
  gulong handler;
  gboolean ok;

  if (cli->conflict != NULL)
    {
      static const char *names[] = { "overwrite", "skip", "resume", "rename", "newer", "ask" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (strcmp (cli->conflict, names[i]) == 0)
          policy = (PasConflictPolicy) i;
    }
  pas_transfer_set_conflict_policy (transfer, policy);
  pas_transfer_set_interaction (transfer, cli->interaction);
  pas_transfer_set_resume (transfer, cli->resume);
  pas_transfer_set_fsync (transfer, cli->fsync);
  pas_transfer_set_follow_symlinks (transfer, cli->follow_symlinks);
  pas_transfer_set_preserve (transfer, !cli->no_preserve);
  if (cli->parallel > 0)
    pas_transfer_set_max_files (transfer, (guint) cli->parallel);

  handler = g_signal_connect (transfer, "progress", G_CALLBACK (progress_cb), &p);
  pas_transfer_run_on_async (transfer, (PasSftpSession * const *) cli->sessions->pdata, cli->sessions->len,
                             NULL, pas_cli_store_cb, &result);
  ok = pas_transfer_run_on_finish (transfer, pas_cli_wait_for (&result), &error);
  g_signal_handler_disconnect (transfer, handler);
  if (p.line_shown)
    g_printerr ("\n");

  failures = pas_transfer_get_failures (transfer);
  for (guint i = 0;
       i < failures->len && (error == NULL || error->domain != PAS_ERROR || error->code == PAS_ERROR_PARTIAL);
       i++)
    {
      const GError *failure = g_ptr_array_index (failures, i);

      if (cli->json)
        {
          g_autoptr(GString) out = g_string_new ("{\"event\":\"failed\",\"error\":");
          pas_cli_json_string (out, failure->message);
          pas_cli_json_print (out);
        }
      else if (error != NULL && error->code == PAS_ERROR_PARTIAL)
        g_printerr ("passerelle-cli: %s\n", failure->message);
    }

  if (cli->json)
    {
      g_autoptr(GString) out = g_string_new ("{\"event\":\"done\",\"source\":");

      pas_cli_json_string (out, source);
      g_string_append (out, ",\"destination\":");
      pas_cli_json_string (out, destination);
      g_string_append_printf (out, ",\"ok\":%s,\"files\":%u,\"skipped\":%u,\"bytes\":%" G_GUINT64_FORMAT
                              ",\"seconds\":%.3f", ok ? "true" : "false", pas_transfer_get_files_done (transfer),
                              pas_transfer_get_files_skipped (transfer), pas_transfer_get_bytes_done (transfer),
                              (g_get_monotonic_time () - p.started) / 1e6);
      if (error != NULL)
        {
          g_string_append (out, ",\"error\":");
          pas_cli_json_string (out, error->message);
        }
      pas_cli_json_print (out);
    }
  if (ok)
    return EXIT_OK;
  pas_cli_print_error (error);
  return exit_status_for (error);
}

/* Several sources, or -r: the status says whether all, some or none failed. */
static int
combine (int   status,
         int   next,
         guint index)
{
  if (index == 0)
    return next;
  if (status == next)
    return status;
  return EXIT_PARTIAL;
}

static gboolean
valid_conflict (Cli *cli)
{
  if (cli->conflict == NULL || g_strv_contains ((const char *[]) { "overwrite", "skip", "resume", "rename", "newer",
                                                                   "ask", NULL }, cli->conflict))
    return TRUE;
  g_printerr (_("passerelle-cli: --conflict takes overwrite, skip, resume, rename, newer or ask\n"));
  return FALSE;
}

/* More SFTP channels on the same connection, opened together: each has its
 * own window on the server, which is what limits a single upload. A channel
 * the server refuses (MaxSessions) is simply not used. */
static void
open_channels (Cli     *cli,
               gboolean useful)
{
  /* One download has all it needs on one channel (our window is wide);
   * opening more would only cost round trips. */
  guint wanted = cli->channels > 0 ? (guint) cli->channels : useful ? 4 : 1;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree GAsyncResult **slots = g_new0 (GAsyncResult *, wanted);

  cli->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (cli->sessions, g_object_ref (cli->sftp));
  for (guint i = 1; i < wanted; i++)
    pas_sftp_session_open_async (cli->connection, cli->sftp_server, NULL, pas_cli_store_cb, &slots[i]);
  for (guint i = 1; i < wanted; i++)
    {
      g_autoptr(GError) error = NULL;
      PasSftpSession *extra = pas_sftp_session_open_finish (pas_cli_wait_for (&slots[i]), &error);

      g_object_unref (slots[i]);
      if (extra != NULL)
        g_ptr_array_add (cli->sessions, extra);
      else
        g_debug ("channel %u not opened: %s", i, error->message);
    }
}

int
pas_cli_get (Cli        *cli,
             char      **remote_paths,
             const char *local_arg,
             gboolean    recursive)
{
  g_autoptr(GFile) local = g_file_new_for_commandline_arg (local_arg);
  gboolean into = g_file_query_file_type (local, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY;
  guint n = g_strv_length (remote_paths);
  int status = EXIT_OK;

  if (!valid_conflict (cli))
    return EXIT_USAGE;
  if (n > 1 && !into)
    {
      g_printerr (_("passerelle-cli: “%s” must be an existing folder to receive several files\n"), local_arg);
      return EXIT_USAGE;
    }
  open_channels (cli, recursive || n > 1);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *base = g_path_get_basename (remote_paths[i]);
      g_autoptr(GFile) target = NULL;
      g_autoptr(PasTransfer) transfer = NULL;

      /* The server's name becomes a local name only once proven harmless. */
      if (into && (strcmp (base, "/") == 0 || strcmp (base, ".") == 0 || strcmp (base, "..") == 0))
        {
          g_printerr (_("passerelle-cli: “%s” has no name to give a local copy\n"), remote_paths[i]);
          status = combine (status, EXIT_USAGE, i);
          continue;
        }
      target = into ? g_file_get_child (local, base) : g_object_ref (local);
      transfer = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, remote_paths[i], target);
      pas_transfer_set_recursive (transfer, recursive);
      status = combine (status, run_transfer (cli, transfer, remote_paths[i], g_file_peek_path (target)), i);
    }
  return status;
}

int
pas_cli_put (Cli        *cli,
             char      **local_paths,
             const char *remote,
             gboolean    recursive)
{
  PasSftpAttrs attrs;
  gboolean into = pas_cli_remote_stat (cli, remote, TRUE, &attrs, NULL) && (attrs.permissions & 0170000) == 0040000;
  guint n = g_strv_length (local_paths);
  int status = EXIT_OK;

  if (!valid_conflict (cli))
    return EXIT_USAGE;
  if (n > 1 && !into)
    {
      g_printerr (_("passerelle-cli: “%s” must be an existing folder to receive several files\n"), remote);
      return EXIT_USAGE;
    }
  open_channels (cli, TRUE);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) local = g_file_new_for_commandline_arg (local_paths[i]);
      g_autofree char *base = g_file_get_basename (local);
      g_autofree char *target = into ? g_build_path ("/", remote, base, NULL) : g_strdup (remote);
      g_autoptr(PasTransfer) transfer = pas_transfer_new (PAS_TRANSFER_UPLOAD, target, local);

      pas_transfer_set_recursive (transfer, recursive);
      status = combine (status, run_transfer (cli, transfer, local_paths[i], target), i);
    }
  return status;
}
