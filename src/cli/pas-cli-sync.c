#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-cli.h"

/* sync SOURCE DEST: the engine compares both sides and makes the plan
 * (pas-sync.c), which is printed, then carried out: deletions and folders
 * by the engine, then copies through PasTransfer (so .filepart, times and
 * modes as for get and put), several at a time. */

typedef struct
{
  Cli        *cli;
  gboolean    upload;       /* local → remote */
  GFile      *local;
  const char *remote;
  guint       failed;
} Sync;

static void
print_action (Sync                *sync,
              const PasSyncAction *action)
{
  if (sync->cli->json)
    {
      static const char *kinds[] = { "delete", "mkdir", "copy" };
      g_autoptr(GString) out = g_string_new ("{\"action\":");

      g_string_append_printf (out, "\"%s\",\"path\":", kinds[action->kind]);
      pas_cli_json_string (out, action->path);
      g_string_append_printf (out, ",\"folder\":%s,\"reason\":\"%s\"", action->folder ? "true" : "false",
                              pas_sync_reason_to_string (action->reason));
      if (action->kind == PAS_SYNC_COPY)
        g_string_append_printf (out, ",\"bytes\":%" G_GUINT64_FORMAT, action->size);
      pas_cli_json_print (out);
    }
  else if (!sync->cli->quiet)
    {
      const char *slash = action->folder ? "/" : "";

      if (action->kind == PAS_SYNC_DELETE)
        /* TRANSLATORS: a line of the sync plan; %s%s is a path (and a / for a folder) */
        g_print (_("delete  %s%s\n"), action->path, slash);
      else if (action->kind == PAS_SYNC_MKDIR)
        /* TRANSLATORS: a line of the sync plan: a folder to make */
        g_print (_("mkdir   %s/\n"), action->path);
      else
        {
          /* TRANSLATORS: why a file is copied by sync: not there yet, its
           * size, its time or its content differs, or a folder is where it
           * goes */
          const char *reasons[] = { C_("sync", "new"), C_("sync", "size"), C_("sync", "time"),
                                    C_("sync", "content"), C_("sync", "type"), C_("sync", "extra"),
                                    C_("sync", "replaces a newer file") };
          g_autofree char *size = g_format_size (action->size);

          /* TRANSLATORS: a line of the sync plan: a file to copy, why and
           * its size */
          g_print (_("copy    %s (%s, %s)\n"), action->path, reasons[action->reason], size);
        }
    }
}

/* @message names the path. */
static void
failed (Sync       *sync,
        const char *message)
{
  sync->failed++;
  if (sync->cli->json)
    {
      g_autoptr(GString) out = g_string_new ("{\"event\":\"failed\",\"error\":");

      pas_cli_json_string (out, message);
      pas_cli_json_print (out);
    }
  else
    g_printerr ("passerelle-cli: %s\n", message);
}

/* The plan's copies, as one transfer of a list: a file is a few round
 * trips of its own, so they overlap (PAS_SYNC_COPIES_AT_ONCE, or
 * --parallel) under one look-up of the server's limits. */
static void
copy_files (Sync      *sync,
            GPtrArray *actions)
{
  g_autoptr(PasTransfer) transfer = pas_sync_plan_new_transfer (actions, sync->upload, sync->local, sync->remote);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *failures;

  if (transfer == NULL)
    return;
  pas_transfer_set_fsync (transfer, sync->cli->fsync);
  if (sync->cli->parallel > 0)
    pas_transfer_set_max_files (transfer, (guint) sync->cli->parallel);
  pas_transfer_run_async (transfer, sync->cli->sftp, NULL, pas_cli_store_cb, &result);
  if (pas_transfer_run_finish (transfer, pas_cli_wait_for (&result), &error))
    return;
  /* Each failed file names itself; a lost connection ends them all. */
  failures = pas_transfer_get_failures (transfer);
  for (guint i = 0; i < failures->len; i++)
    failed (sync, ((const GError *) g_ptr_array_index (failures, i))->message);
  if (!g_error_matches (error, PAS_ERROR, PAS_ERROR_PARTIAL))
    failed (sync, error->message);
}

int
pas_cli_sync (Cli        *cli,
              gboolean    upload,
              GFile      *local,
              const char *remote)
{
  Sync sync = { cli, upload, local, remote, 0 };
  PasSyncOptions options = { cli->delete_extras, cli->checksum, cli->excludes };
  g_autoptr(PasSyncComparison) comparison = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) applied = NULL;
  g_autoptr(GError) error = NULL;
  guint files = 0, folders = 0, deletions = 0;
  guint64 bytes = 0;

  pas_sync_compare_async (cli->sftp, local, remote, upload, &options, NULL, pas_cli_store_cb, &result);
  comparison = pas_sync_compare_finish (cli->sftp, pas_cli_wait_for (&result), &error);
  if (comparison == NULL)
    {
      pas_cli_print_error (error);
      return error->domain == PAS_ERROR ? EXIT_REMOTE : EXIT_LOCAL;
    }
  if (comparison->n_unsafe > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "passerelle-cli: %u name on the server cannot name a local file; left out\n",
                             "passerelle-cli: %u names on the server cannot name a local file; left out\n",
                             comparison->n_unsafe), comparison->n_unsafe);
  actions = pas_sync_plan (comparison->source, comparison->destination, &options, comparison->differing, NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      PasSyncAction *action = g_ptr_array_index (actions, i);

      print_action (&sync, action);
      files += action->kind == PAS_SYNC_COPY;
      folders += action->kind == PAS_SYNC_MKDIR;
      deletions += action->kind == PAS_SYNC_DELETE;
      bytes += action->kind == PAS_SYNC_COPY ? action->size : 0;
    }
  if (!cli->json && !cli->quiet)
    {
      g_autofree char *size = g_format_size (bytes);

      if (actions->len == 0 && comparison->destination_exists)
        g_print (_("Already in sync.\n"));
      else
        /* TRANSLATORS: the sync plan's last line */
        g_print (_("%u to copy (%s), %u folders to make, %u to delete%s\n"), files, size, folders, deletions,
                 cli->dry_run ? _(" — nothing done (--dry-run)") : "");
    }
  if (cli->dry_run)
    return EXIT_OK;

  pas_sync_apply_async (cli->sftp, local, remote, upload, !comparison->destination_exists, actions, NULL,
                        pas_cli_store_cb, &applied);
  failures = pas_sync_apply_finish (cli->sftp, pas_cli_wait_for (&applied), &error);
  if (failures == NULL)
    {
      pas_cli_print_error (error);
      return upload ? EXIT_REMOTE : EXIT_LOCAL;
    }
  for (guint i = 0; i < failures->len; i++)
    failed (&sync, g_ptr_array_index (failures, i));
  copy_files (&sync, actions);

  if (cli->json)
    {
      g_autoptr(GString) out = g_string_new ("{\"event\":\"done\"");

      g_string_append_printf (out, ",\"ok\":%s,\"copied\":%u,\"folders\":%u,\"deleted\":%u,\"failed\":%u",
                              sync.failed == 0 ? "true" : "false", files, folders, deletions, sync.failed);
      pas_cli_json_print (out);
    }
  return sync.failed == 0 ? EXIT_OK : EXIT_PARTIAL;
}
