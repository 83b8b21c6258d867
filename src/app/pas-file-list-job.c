/* A PasFileList's job, pure data and no GObject: entries and their sort
 * keys (folders first, case-folded, numbers as numbers), the filter, and
 * the merge of a change into the sorted list, with the cuts where it
 * may be shown in steps. Safe in a worker: it reads only copies. */

#define G_LOG_DOMAIN "pas-file-list"

#include "config.h"

#include <string.h>

#include "pas-file-list-private.h"

/* A server may leave a size out (GLib 2.84 warns when it is read then). */
gint64
pas_file_info_sort_size (GFileInfo *info)
{
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY ||
      !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return -1;
  return g_file_info_get_size (info);
}

Entry *
pas_file_entry_new (GFileInfo *info)
{
  Entry *entry = g_new0 (Entry, 1);

  g_atomic_ref_count_init (&entry->ref);
  entry->info = g_object_ref (info);
  entry->name = g_strdup (g_file_info_get_display_name (info));
  entry->folder = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
  /* (GLib 2.84 warns when a missing attribute is read.) */
  entry->hidden = g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN) &&
                  g_file_info_get_is_hidden (info);
  entry->size = pas_file_info_sort_size (info);
  entry->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  return entry;
}

Entry *
pas_file_entry_ref (Entry *entry)
{
  g_atomic_ref_count_inc (&entry->ref);
  return entry;
}

void
pas_file_entry_unref (gpointer data)
{
  Entry *entry = data;

  if (!g_atomic_ref_count_dec (&entry->ref))
    return;
  g_object_unref (entry->info);
  g_free (entry->name);
  g_free (entry->folded);
  g_free (entry->key);
  g_free (entry);
}

static void
make_key (Entry *entry)
{
  if (entry->key != NULL)
    return;
  entry->folded = g_utf8_casefold (entry->name != NULL ? entry->name : "", -1);
  entry->key = g_utf8_collate_key_for_filename (entry->folded, -1);
}

static gboolean
filter_keeps (const Filter *filter,
              const Entry  *entry)
{
  if (entry->hidden && !filter->show_hidden)
    return FALSE;
  return filter->needle == NULL || strstr (entry->folded, filter->needle) != NULL;
}

/* Folders first whatever the order; ties by name, ascending. */
static int
compare (const Entry *a,
         const Entry *b,
         const Order *order)
{
  int r = 0;

  if (a->folder != b->folder)
    return a->folder ? -1 : 1;
  if (order->column == PAS_FILE_ORDER_SIZE)
    r = (a->size > b->size) - (a->size < b->size);
  else if (order->column == PAS_FILE_ORDER_MODIFIED)
    r = (a->mtime > b->mtime) - (a->mtime < b->mtime);
  if (order->column != PAS_FILE_ORDER_NAME && r != 0)
    return order->descending ? -r : r;
  r = strcmp (a->key, b->key);
  if (r == 0)
    r = g_strcmp0 (a->name, b->name);
  if (order->column == PAS_FILE_ORDER_NAME && order->descending)
    r = -r;
  return r;
}

static int
compare_cb (gconstpointer a,
            gconstpointer b,
            gpointer      order)
{
  return compare (*(Entry * const *) a, *(Entry * const *) b, order);
}

/* Measured with GTK 4.8: a step of 1,000 entries costs the column view
 * 0.1–10 ms (most at the top, where it keeps ~200 rows made and binds them
 * again); 40-entry steps there measured worse overall (more layouts). */
#define STEP 1000

void
pas_file_list_result_free (Result *result)
{
  g_clear_pointer (&result->sorted, g_ptr_array_unref);
  g_clear_pointer (&result->cuts, g_array_unref);
  g_free (result);
}

void
pas_file_list_job_free (Job *job)
{
  g_clear_pointer (&job->sorted, g_ptr_array_unref);
  g_clear_pointer (&job->removed, g_hash_table_unref);
  g_clear_pointer (&job->added, g_ptr_array_unref);
  g_free (job->filter.needle);
  g_free (job);
}

Result *
pas_file_list_run_job (Job *job)
{
  Result *result = g_new0 (Result, 1);
  GPtrArray *kept = g_ptr_array_sized_new (job->sorted->len);
  GArray *kept_index = g_array_sized_new (FALSE, FALSE, sizeof (guint), job->sorted->len);
  guint i = 0, j = 0, last_cut = 0, fresh = 0;
  Cut cut;

  result->sorted = g_ptr_array_new_full (job->sorted->len + job->added->len, pas_file_entry_unref);
  result->cuts = g_array_new (FALSE, FALSE, sizeof (Cut));
  for (guint k = 0; k < job->added->len; k++)
    make_key (g_ptr_array_index (job->added, k));
  for (guint k = job->added->len; k-- > 0;)
    if (!filter_keeps (&job->filter, g_ptr_array_index (job->added, k)))
      g_ptr_array_remove_index_fast (job->added, k);
  g_ptr_array_sort_with_data (job->added, compare_cb, &job->order);
  for (guint k = 0; k < (job->rebuild ? 0 : job->sorted->len); k++)
    {
      Entry *entry = g_ptr_array_index (job->sorted, k);

      if (!g_hash_table_contains (job->removed, entry))
        {
          g_ptr_array_add (kept, entry);
          g_array_append_val (kept_index, k);
        }
    }
  if (job->resort)
    {
      /* A new order moves everything: one step. */
      g_ptr_array_sort_with_data (kept, compare_cb, &job->order);
      g_array_set_size (kept_index, 0);
    }
  /* Both sorted: one merge, cut every STEP entries, and at the top every
   * FILL_ROWS new ones (rows GTK has to make). */
  while (i < kept->len || j < job->added->len)
    {
      gboolean from_kept = j == job->added->len ||
                           (i < kept->len && compare (g_ptr_array_index (kept, i), g_ptr_array_index (job->added, j),
                                                      &job->order) <= 0);
      guint length = result->sorted->len;

      if (!job->resort && length > last_cut &&
          (from_kept ? length - last_cut >= STEP : length < VIEW_ROWS && fresh >= FILL_ROWS))
        {
          cut.old_index = i < kept->len ? g_array_index (kept_index, guint, i) : job->sorted->len;
          cut.new_index = last_cut = length;
          g_array_append_val (result->cuts, cut);
          fresh = 0;
        }
      if (from_kept)
        g_ptr_array_add (result->sorted, pas_file_entry_ref (g_ptr_array_index (kept, i++)));
      else
        {
          g_ptr_array_add (result->sorted, pas_file_entry_ref (g_ptr_array_index (job->added, j++)));
          fresh++;
        }
    }
  cut.old_index = job->sorted->len;
  cut.new_index = result->sorted->len;
  g_array_append_val (result->cuts, cut);
  g_ptr_array_unref (kept);
  g_array_unref (kept_index);
  return result;
}
