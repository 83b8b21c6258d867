#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pas-error.h"
#include "pas-transfer-private.h"
#include "pas-transfer-queue-private.h"

/* The queue's state file, $XDG_STATE_HOME/passerelle/queue.ini: unfinished
 * items written in a GTask thread (beside, then renamed; a newer snapshot
 * never replaced by an older one), and read back at start. */

/* Changes of a second are written together. */
#define SAVE_INTERVAL_MS 1000

/* Indexed by PasConflictPolicy: every policy, "ask" included, is saved. */
static const char *policy_names[] = {
  [PAS_CONFLICT_OVERWRITE] = "overwrite",
  [PAS_CONFLICT_SKIP] = "skip",
  [PAS_CONFLICT_RESUME] = "resume",
  [PAS_CONFLICT_RENAME] = "rename",
  [PAS_CONFLICT_NEWER] = "newer",
  [PAS_CONFLICT_ASK] = "ask",
};
G_STATIC_ASSERT (G_N_ELEMENTS (policy_names) == PAS_CONFLICT_ASK + 1);

/* Unfinished items only. */
GBytes *
pas_transfer_queue_snapshot (PasTransferQueue *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  guint n = 0;
  gsize len;
  char *data;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      PasTransfer *t = item->transfer;
      PasTransferState state = pas_transfer_get_state (t);
      g_autofree char *group = NULL;
      g_autofree char *local = NULL;

      if (state == PAS_TRANSFER_DONE || state == PAS_TRANSFER_CANCELLED)
        continue;
      group = g_strdup_printf ("Transfer %u", n++);
      local = g_file_get_path (pas_transfer_get_local (t));
      g_key_file_set_string (file, group, "Direction",
                             pas_transfer_get_direction (t) == PAS_TRANSFER_DOWNLOAD ? "download" : "upload");
      g_key_file_set_string (file, group, "Server", item->server);
      g_key_file_set_string (file, group, "Remote", pas_transfer_get_remote_path (t));
      g_key_file_set_string (file, group, "Local", local != NULL ? local : "");
      g_key_file_set_boolean (file, group, "Recursive", pas_transfer_get_recursive (t));
      {
        /* A sync's list: what is left of it, so a restart does not walk
         * (and copy) the whole folder. */
        g_auto(GStrv) files = pas_transfer_dup_files (t);

        if (files != NULL)
          g_key_file_set_string_list (file, group, "Files", (const char * const *) files, g_strv_length (files));
      }
      item->saved_policy = pas_transfer_get_conflict_policy (t);
      g_key_file_set_string (file, group, "Conflict", policy_names[item->saved_policy]);
      g_free (item->saved_kept);
      item->saved_kept = pas_transfer_dup_kept_name (t);
      if (item->saved_kept != NULL)
        g_key_file_set_string (file, group, "KeptName", item->saved_kept);
      g_key_file_set_boolean (file, group, "Paused", state == PAS_TRANSFER_PAUSED);
      /* A failure stays one after a restart, with its reason. */
      if (state == PAS_TRANSFER_FAILED)
        g_key_file_set_string (file, group, "Failed", pas_transfer_get_error (t) != NULL
                                                      ? pas_transfer_get_error (t)->message : "");
    }
  data = g_key_file_to_data (file, &len, NULL);
  return g_bytes_new_take (data, len);
}

Saver *
pas_transfer_queue_saver_new (const char *path)
{
  Saver *saver = g_new0 (Saver, 1);

  g_atomic_ref_count_init (&saver->ref);
  g_mutex_init (&saver->lock);
  saver->path = g_strdup (path);
  return saver;
}

static Saver *
saver_ref (Saver *saver)
{
  g_atomic_ref_count_inc (&saver->ref);
  return saver;
}

void
pas_transfer_queue_saver_unref (Saver *saver)
{
  if (!g_atomic_ref_count_dec (&saver->ref))
    return;
  g_mutex_clear (&saver->lock);
  g_free (saver->path);
  g_free (saver);
}

/* Written beside and renamed (never half a file), unless a newer snapshot
 * got there first. Any thread. */
void
pas_transfer_queue_write_now (Saver  *saver,
                              guint64 generation,
                              GBytes *data)
{
  g_autoptr(GBytes) bytes = data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&saver->lock);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (saver->path);
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);

  if (generation <= saver->written)
    return;
  saver->written = generation;
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (saver->path, text != NULL ? text : "", len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_warning ("the transfer queue could not be saved in %s: %s", saver->path,
               error != NULL ? error->message : g_strerror (errno));
}

typedef struct
{
  Saver   *saver;
  guint64  generation;
  GBytes  *data;
} Write;

static void
write_free (Write *w)
{
  pas_transfer_queue_saver_unref (w->saver);
  g_clear_pointer (&w->data, g_bytes_unref);
  g_free (w);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Write *w = data;

  pas_transfer_queue_write_now (w->saver, w->generation, g_steal_pointer (&w->data));
}

static gboolean
save_due_cb (gpointer data)
{
  PasTransferQueue *self = data;
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  Write *w = g_new0 (Write, 1);

  g_clear_pointer (&self->save_source, g_source_unref);
  w->saver = saver_ref (self->saver);
  w->generation = ++self->generation;
  w->data = pas_transfer_queue_snapshot (self);
  g_task_set_task_data (task, w, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_thread);
  return G_SOURCE_REMOVE;
}

/* Every change asks for a save; they are written together, off this thread,
 * at most once a second (and at once when the queue goes). */
void
pas_transfer_queue_save (PasTransferQueue *self)
{
  if (self->saver == NULL || self->save_source != NULL)
    return;
  self->save_source = g_timeout_source_new (SAVE_INTERVAL_MS);
  g_source_set_callback (self->save_source, save_due_cb, self, NULL);
  g_source_attach (self->save_source, NULL);
}

gboolean
pas_transfer_queue_load (PasTransferQueue *self,
                         GError          **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  guint skipped = 0;

  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), FALSE);

  if (!g_key_file_load_from_file (file, self->state_file, G_KEY_FILE_NONE, &local_error))
    {
      g_autofree char *aside = NULL;

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      aside = g_strconcat (self->state_file, ".damaged", NULL);
      g_rename (self->state_file, aside);
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED,
                   _("The saved transfer queue could not be read (%s); it was moved to “%s”"),
                   local_error->message, aside);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *direction = g_key_file_get_string (file, groups[i], "Direction", NULL);
      g_autofree char *server = g_key_file_get_string (file, groups[i], "Server", NULL);
      g_autofree char *remote = g_key_file_get_string (file, groups[i], "Remote", NULL);
      g_autofree char *local = g_key_file_get_string (file, groups[i], "Local", NULL);
      g_autofree char *conflict = g_key_file_get_string (file, groups[i], "Conflict", NULL);
      g_autofree char *kept = g_key_file_get_string (file, groups[i], "KeptName", NULL);
      g_autofree char *failed = g_key_file_get_string (file, groups[i], "Failed", NULL);
      g_autoptr(PasTransfer) transfer = NULL;
      g_autoptr(GFile) local_file = NULL;
      Item *item;

      if (direction == NULL || server == NULL || remote == NULL || local == NULL || *local != '/' ||
          (g_strcmp0 (direction, "download") != 0 && g_strcmp0 (direction, "upload") != 0))
        {
          skipped++;
          continue;
        }
      local_file = g_file_new_for_path (local);
      transfer = pas_transfer_new (g_strcmp0 (direction, "download") == 0 ? PAS_TRANSFER_DOWNLOAD : PAS_TRANSFER_UPLOAD,
                                   remote, local_file);
      pas_transfer_set_recursive (transfer, g_key_file_get_boolean (file, groups[i], "Recursive", NULL));
      if (g_key_file_has_key (file, groups[i], "Files", NULL))
        {
          g_auto(GStrv) files = g_key_file_get_string_list (file, groups[i], "Files", NULL, NULL);
          const char *none[] = { NULL };

          if (!pas_transfer_set_files (transfer, files != NULL ? (const char * const *) files : none))
            {
              skipped++;
              continue;
            }
        }
      for (guint p = 0; p < G_N_ELEMENTS (policy_names); p++)
        if (g_strcmp0 (conflict, policy_names[p]) == 0)
          pas_transfer_set_conflict_policy (transfer, (PasConflictPolicy) p);
      /* A local name must be a full path, as Local is. */
      if (kept != NULL && *kept != '\0' && (g_strcmp0 (direction, "upload") == 0 || *kept == '/'))
        pas_transfer_set_kept_name (transfer, kept);
      /* What was copied before the restart waits in .filepart files. */
      pas_transfer_set_resume (transfer, TRUE);
      if (failed != NULL)
        {
          g_autoptr(GError) reason = g_error_new_literal (PAS_ERROR, PAS_ERROR_FAILED,
                                                          *failed != '\0' ? failed : _("Failed"));
          pas_transfer_set_state (transfer, PAS_TRANSFER_FAILED, reason);
        }
      else
        pas_transfer_set_state (transfer, g_key_file_get_boolean (file, groups[i], "Paused", NULL)
                                          ? PAS_TRANSFER_PAUSED : PAS_TRANSFER_QUEUED, NULL);
      item = g_new0 (Item, 1);
      item->saved_policy = pas_transfer_get_conflict_policy (transfer);
      item->saved_kept = g_strdup (kept);
      item->transfer = g_steal_pointer (&transfer);
      item->server = g_steal_pointer (&server);
      g_ptr_array_add (self->items, item);
      g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
    }
  pas_transfer_queue_pump (self);
  if (skipped > 0)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE, "%u saved transfer could not be restored",
                                "%u saved transfers could not be restored", skipped), skipped);
      return FALSE;
    }
  return TRUE;
}
