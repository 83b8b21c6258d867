/* Compare: while it is on, each pane marks its rows by how they stand
 * against the other pane's folder (only here, newer, older, not the same,
 * same). The two listings are compared in a thread whenever either
 * changes — a move into another folder, a file the monitor saw arrive —
 * a little after the last change, so a folder that fills in batches is
 * compared once it has settled. */
#define G_LOG_DOMAIN "pas-browser"

#include "config.h"

#include "pas-browser-private.h"
#include "pas-file-list.h"

/* After a listing changes: a loading folder changes many times a second. */
#define COMPARE_DELAY_MS 150

typedef struct
{
  GPtrArray  *local;    /* of GFileInfo */
  GPtrArray  *remote;
  GHashTable *local_marks;
  GHashTable *remote_marks;
  char       *local_at;   /* the folders compared */
  char       *remote_at;
} Comparison;

static void
comparison_free (Comparison *comparison)
{
  g_clear_pointer (&comparison->local, g_ptr_array_unref);
  g_clear_pointer (&comparison->remote, g_ptr_array_unref);
  g_clear_pointer (&comparison->local_marks, g_hash_table_unref);
  g_clear_pointer (&comparison->remote_marks, g_hash_table_unref);
  g_free (comparison->local_at);
  g_free (comparison->remote_at);
  g_free (comparison);
}

/* name → PasSyncEntry, from a listing. */
static GHashTable *
entries_of (GPtrArray *infos)
{
  GHashTable *entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < infos->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (infos, i);
      PasSyncEntry *entry;

      /* A copy in progress is not a file of either side yet. */
      if (pas_transfer_is_partial_name (g_file_info_get_name (info)))
        continue;
      entry = g_new0 (PasSyncEntry, 1);
      entry->type = g_file_info_get_file_type (info);
      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
        entry->size = (guint64) g_file_info_get_size (info);
      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
        entry->mtime = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
      g_hash_table_replace (entries, (gpointer) g_file_info_get_name (info), entry);
    }
  return entries;
}

/* name (copied) → PasSyncMark + 1 */
static GHashTable *
marks_of (GHashTable *here,
          GHashTable *there)
{
  GHashTable *marks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer name, entry;

  g_hash_table_iter_init (&iter, here);
  while (g_hash_table_iter_next (&iter, &name, &entry))
    g_hash_table_insert (marks, g_strdup (name),
                         GINT_TO_POINTER (pas_sync_mark (entry, g_hash_table_lookup (there, name)) + 1));
  return marks;
}

/* Names of that side that this one does not have. */
static guint
count_only_here (GHashTable *marks)
{
  GHashTableIter iter;
  gpointer mark;
  guint n = 0;

  g_hash_table_iter_init (&iter, marks);
  while (g_hash_table_iter_next (&iter, NULL, &mark))
    n += GPOINTER_TO_INT (mark) == PAS_SYNC_MARK_ONLY_HERE + 1;
  return n;
}

static void
compare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Comparison *comparison = task_data;
  g_autoptr(GHashTable) local = entries_of (comparison->local);
  g_autoptr(GHashTable) remote = entries_of (comparison->remote);

  comparison->local_marks = marks_of (local, remote);
  comparison->remote_marks = marks_of (remote, local);
  g_task_return_boolean (task, TRUE);
}

static void schedule (PasBrowser *self);

static void
compared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PasBrowser *self = PAS_BROWSER (source);
  Comparison *comparison = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || !self->compare)
    return;
  pas_file_pane_set_marks (self->local_pane, comparison->local_marks, count_only_here (comparison->remote_marks));
  pas_file_pane_set_marks (self->remote_pane, comparison->remote_marks, count_only_here (comparison->local_marks));
  /* The GFileInfos go in a thread: a big listing took milliseconds to free. */
  pas_drop_in_thread (g_steal_pointer (&comparison->local), (GDestroyNotify) g_ptr_array_unref);
  pas_drop_in_thread (g_steal_pointer (&comparison->remote), (GDestroyNotify) g_ptr_array_unref);
  /* A pane moved on meanwhile: its listing's end may have come before
   * this comparison did, and nothing else would compare it. */
  if (g_strcmp0 (comparison->local_at, pas_file_pane_get_location (self->local_pane)) != 0 ||
      g_strcmp0 (comparison->remote_at, pas_file_pane_get_location (self->remote_pane)) != 0)
    schedule (self);
}

/* The pending comparison, or the one under way, is given up. */
static void
stop_comparing (PasBrowser *self)
{
  g_clear_handle_id (&self->compare_source, g_source_remove);
  g_cancellable_cancel (self->compare_cancellable);
  g_clear_object (&self->compare_cancellable);
}

static gboolean
compare_cb (gpointer data)
{
  PasBrowser *self = data;
  g_autoptr(GTask) task = NULL;
  Comparison *comparison;

  self->compare_source = 0;
  stop_comparing (self);
  /* Only listings that have arrived: a folder still loading is compared
   * when it is done (looked at again until then: its end may be told
   * before the sorted list has it all). */
  if (pas_file_pane_is_loading (self->local_pane) || pas_file_pane_is_loading (self->remote_pane))
    {
      schedule (self);
      return G_SOURCE_REMOVE;
    }
  self->compare_cancellable = g_cancellable_new ();
  comparison = g_new0 (Comparison, 1);
  comparison->local = pas_file_pane_dup_listing (self->local_pane);
  comparison->remote = pas_file_pane_dup_listing (self->remote_pane);
  comparison->local_at = g_strdup (pas_file_pane_get_location (self->local_pane));
  comparison->remote_at = g_strdup (pas_file_pane_get_location (self->remote_pane));
  task = g_task_new (self, self->compare_cancellable, compared_cb, NULL);
  g_task_set_source_tag (task, compare_cb);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, comparison, (GDestroyNotify) comparison_free);
  g_task_run_in_thread (task, compare_in_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule (PasBrowser *self)
{
  if (!self->compare)
    return;
  g_clear_handle_id (&self->compare_source, g_source_remove);
  self->compare_source = g_timeout_add (COMPARE_DELAY_MS, compare_cb, self);
}

static void
listing_changed_cb (PasBrowser *self)
{
  schedule (self);
}

gboolean
pas_browser_get_compare (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), FALSE);

  return self->compare;
}

void
pas_browser_set_compare (PasBrowser *self,
                         gboolean    compare)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  compare = !!compare;
  if (compare == self->compare)
    return;
  self->compare = compare;
  if (compare)
    schedule (self);
  else
    {
      stop_comparing (self);
      pas_file_pane_set_marks (self->local_pane, NULL, 0);
      pas_file_pane_set_marks (self->remote_pane, NULL, 0);
    }
  g_object_notify (G_OBJECT (self), "compare");
}

void
pas_browser_init_compare (PasBrowser *self)
{
  PasFilePane *panes[] = { self->local_pane, self->remote_pane };

  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    {
      g_signal_connect_object (panes[i], "notify::loading", G_CALLBACK (listing_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (pas_file_pane_get_model (panes[i]), "items-changed",
                               G_CALLBACK (listing_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

void
pas_browser_dispose_compare (PasBrowser *self)
{
  self->compare = FALSE;
  stop_comparing (self);
}
