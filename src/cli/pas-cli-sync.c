#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-cli.h"

/* sync SOURCE DEST: both sides listed (the local one in a thread, the
 * remote one folders at a time), a plan made by the engine (pas-sync.c),
 * printed, then carried out: deletions, folders, then copies through
 * PasTransfer (so .filepart, times and modes as for get and put), several
 * at a time. */

#define COPIES_AT_ONCE 8

typedef struct
{
  Cli        *cli;
  gboolean    upload;       /* local → remote */
  GFile      *local;
  const char *remote;
  guint       failed;
} Sync;

static void
list_local_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  GHashTable *tree = pas_sync_list_local (G_FILE (source), data, cancellable, &error);

  if (tree == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tree, (GDestroyNotify) g_hash_table_unref);
}

static void
hash_local_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  char *hash = pas_sync_hash_local (G_FILE (source), cancellable, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

static char *
remote_child (const char *root,
              const char *path)
{
  if (path[0] == '\0')
    return g_strdup (root);
  return g_str_has_suffix (root, "/") ? g_strconcat (root, path, NULL) : g_strconcat (root, "/", path, NULL);
}

static GFile *
local_child (GFile      *root,
             const char *path)
{
  return path[0] == '\0' ? g_object_ref (root) : g_file_resolve_relative_path (root, path);
}

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
}

/* Both sides at once; a missing destination is an empty one. */
static gboolean
list_both (Sync                 *sync,
           const PasSyncOptions *options,
           GHashTable          **source,
           GHashTable          **destination,
           gboolean             *destination_exists)
{
  g_autoptr(GAsyncResult) local_result = NULL;
  g_autoptr(GAsyncResult) remote_result = NULL;
  g_autoptr(GTask) task = g_task_new (sync->local, NULL, pas_cli_store_cb, &local_result);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) remote_error = NULL;
  GHashTable *local_tree, *remote_tree;
  guint unsafe = 0;

  g_task_set_source_tag (task, list_both);
  g_task_set_task_data (task, (gpointer) options, NULL);
  g_task_run_in_thread (task, list_local_thread);
  pas_sync_list_remote_async (sync->cli->sftp, sync->remote, options, NULL, pas_cli_store_cb, &remote_result);
  local_tree = g_task_propagate_pointer (G_TASK (pas_cli_wait_for (&local_result)), &local_error);
  remote_tree = pas_sync_list_remote_finish (sync->cli->sftp, pas_cli_wait_for (&remote_result), &unsafe,
                                             &remote_error);
  if (unsafe > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "passerelle-cli: %u name on the server cannot name a local file; left out\n",
                             "passerelle-cli: %u names on the server cannot name a local file; left out\n", unsafe),
                unsafe);

  *destination_exists = TRUE;
  if (sync->upload ? local_error != NULL : remote_error != NULL)
    {
      pas_cli_print_error (sync->upload ? local_error : remote_error);
      g_clear_pointer (&local_tree, g_hash_table_unref);
      g_clear_pointer (&remote_tree, g_hash_table_unref);
      return FALSE;
    }
  if ((sync->upload ? remote_error : local_error) != NULL)
    {
      if (!is_not_found (sync->upload ? remote_error : local_error))
        {
          pas_cli_print_error (sync->upload ? remote_error : local_error);
          g_clear_pointer (&local_tree, g_hash_table_unref);
          g_clear_pointer (&remote_tree, g_hash_table_unref);
          return FALSE;
        }
      *destination_exists = FALSE;
      if (sync->upload)
        remote_tree = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      else
        local_tree = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  *source = sync->upload ? local_tree : remote_tree;
  *destination = sync->upload ? remote_tree : local_tree;
  return TRUE;
}

/* --checksum: the files that look the same, read on both sides. */
static GHashTable *
compare_contents (Sync      *sync,
                  GPtrArray *same_looking)
{
  GHashTable *differing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < same_looking->len; i++)
    {
      const char *path = g_ptr_array_index (same_looking, i);
      g_autoptr(GFile) file = local_child (sync->local, path);
      g_autofree char *remote = remote_child (sync->remote, path);
      g_autoptr(GAsyncResult) local_result = NULL;
      g_autoptr(GAsyncResult) remote_result = NULL;
      g_autoptr(GTask) task = g_task_new (file, NULL, pas_cli_store_cb, &local_result);
      g_autofree char *local_hash = NULL;
      g_autofree char *remote_hash = NULL;
      g_autoptr(GError) error = NULL;

      g_task_set_source_tag (task, compare_contents);
      g_task_run_in_thread (task, hash_local_thread);
      pas_sync_hash_remote_async (sync->cli->sftp, remote, NULL, pas_cli_store_cb, &remote_result);
      local_hash = g_task_propagate_pointer (G_TASK (pas_cli_wait_for (&local_result)), &error);
      remote_hash = pas_sync_hash_remote_finish (sync->cli->sftp, pas_cli_wait_for (&remote_result),
                                                 error == NULL ? &error : NULL);
      /* A file that cannot be read is copied: the copy says why if it fails. */
      if (local_hash == NULL || remote_hash == NULL || strcmp (local_hash, remote_hash) != 0)
        g_hash_table_add (differing, g_strdup (path));
    }
  return differing;
}

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
                                    C_("sync", "content"), C_("sync", "type"), C_("sync", "extra") };
          g_autofree char *size = g_format_size (action->size);

          /* TRANSLATORS: a line of the sync plan: a file to copy, why and
           * its size */
          g_print (_("copy    %s (%s, %s)\n"), action->path, reasons[action->reason], size);
        }
    }
}

static void
failed (Sync          *sync,
        const char    *path,
        const GError  *error)
{
  sync->failed++;
  if (sync->cli->json)
    {
      g_autoptr(GString) out = g_string_new ("{\"event\":\"failed\",\"path\":");

      pas_cli_json_string (out, path);
      g_string_append (out, ",\"error\":");
      pas_cli_json_string (out, error->message);
      pas_cli_json_print (out);
    }
  else
    g_printerr ("passerelle-cli: %s: %s\n", path, error->message);
}

static gboolean
delete_local (GFile    *file,
              GError  **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
      if (children == NULL)
        return FALSE;
      while ((info = g_file_enumerator_next_file (children, NULL, error)) != NULL)
        {
          g_autoptr(GFileInfo) owned = info;
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          if (!delete_local (child, error))
            return FALSE;
        }
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  return g_file_delete (file, NULL, error);
}

/* Deletions and folders, one after another, in the plan's order. */
static void
change_structure (Sync          *sync,
                  PasSyncAction *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *remote = remote_child (sync->remote, action->path);
  g_autoptr(GFile) local = local_child (sync->local, action->path);

  if (sync->upload && action->kind == PAS_SYNC_DELETE)
    {
      if (action->folder)
        pas_sftp_session_remove_tree_async (sync->cli->sftp, remote, NULL, pas_cli_store_cb, &result);
      else
        pas_sftp_session_remove_async (sync->cli->sftp, remote, NULL, pas_cli_store_cb, &result);
      pas_sftp_session_finish (sync->cli->sftp, pas_cli_wait_for (&result), &error);
    }
  else if (sync->upload)
    {
      pas_sftp_session_mkdir_async (sync->cli->sftp, remote, 0755, NULL, pas_cli_store_cb, &result);
      pas_sftp_session_finish (sync->cli->sftp, pas_cli_wait_for (&result), &error);
    }
  else if (action->kind == PAS_SYNC_DELETE)
    delete_local (local, &error);
  else
    g_file_make_directory (local, NULL, &error);
  if (error != NULL)
    failed (sync, action->path, error);
}

typedef struct
{
  Sync          *sync;
  PasSyncAction *action;
  guint         *running;
} Copy;

static void
copied_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Copy *copy = data;
  g_autoptr(GError) error = NULL;

  (*copy->running)--;
  if (!pas_transfer_run_finish (PAS_TRANSFER (source), result, &error))
    failed (copy->sync, copy->action->path, error);
  g_object_unref (source);
  g_free (copy);
}

static void
copy_files (Sync      *sync,
            GPtrArray *actions)
{
  guint running = 0;
  PasSftpSession *sessions[] = { sync->cli->sftp };

  for (guint i = 0; i < actions->len || running > 0;)
    {
      PasSyncAction *action = i < actions->len ? g_ptr_array_index (actions, i) : NULL;

      if (action != NULL && action->kind != PAS_SYNC_COPY)
        {
          i++;
          continue;
        }
      if (action != NULL && running < COPIES_AT_ONCE)
        {
          g_autofree char *remote = remote_child (sync->remote, action->path);
          g_autoptr(GFile) local = local_child (sync->local, action->path);
          PasTransfer *transfer = pas_transfer_new (sync->upload ? PAS_TRANSFER_UPLOAD : PAS_TRANSFER_DOWNLOAD,
                                                    remote, local);
          Copy *copy = g_new0 (Copy, 1);

          copy->sync = sync;
          copy->action = action;
          copy->running = &running;
          pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_OVERWRITE);
          pas_transfer_set_fsync (transfer, sync->cli->fsync);
          pas_transfer_set_preserve (transfer, TRUE);
          running++;
          i++;
          pas_transfer_run_on_async (transfer, sessions, 1, NULL, copied_cb, copy);
          continue;
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

int
pas_cli_sync (Cli        *cli,
              gboolean    upload,
              GFile      *local,
              const char *remote)
{
  Sync sync = { cli, upload, local, remote, 0 };
  PasSyncOptions options = { cli->delete_extras, cli->checksum, cli->excludes };
  g_autoptr(GHashTable) source = NULL;
  g_autoptr(GHashTable) destination = NULL;
  g_autoptr(GHashTable) differing = NULL;
  g_autoptr(GPtrArray) same_looking = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) actions = NULL;
  gboolean destination_exists;
  guint files = 0, folders = 0, deletions = 0;
  guint64 bytes = 0;

  if (!list_both (&sync, &options, &source, &destination, &destination_exists))
    return upload ? EXIT_LOCAL : EXIT_REMOTE;
  actions = pas_sync_plan (source, destination, &options, NULL, same_looking);
  if (same_looking->len > 0)
    {
      differing = compare_contents (&sync, same_looking);
      g_ptr_array_unref (actions);
      actions = pas_sync_plan (source, destination, &options, differing, NULL);
    }

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

      if (actions->len == 0 && destination_exists)
        g_print (_("Already in sync.\n"));
      else
        /* TRANSLATORS: the sync plan's last line */
        g_print (_("%u to copy (%s), %u folders to make, %u to delete%s\n"), files, size, folders, deletions,
                 cli->dry_run ? _(" — nothing done (--dry-run)") : "");
    }
  if (cli->dry_run)
    return EXIT_OK;

  if (!destination_exists)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      if (upload)
        {
          pas_sftp_session_make_directories_async (cli->sftp, remote, 0755, NULL, pas_cli_store_cb, &result);
          pas_sftp_session_finish (cli->sftp, pas_cli_wait_for (&result), &error);
        }
      else
        g_file_make_directory_with_parents (local, NULL, &error);
      if (error != NULL)
        {
          pas_cli_print_error (error);
          return upload ? EXIT_REMOTE : EXIT_LOCAL;
        }
    }
  for (guint i = 0; i < actions->len; i++)
    {
      PasSyncAction *action = g_ptr_array_index (actions, i);

      if (action->kind != PAS_SYNC_COPY)
        change_structure (&sync, action);
    }
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
