#define G_LOG_DOMAIN "pas-file-list"

#include "config.h"

#include <string.h>

#include "pas-file-list-private.h"

/* Why not GtkSortListModel: with GTK 4.8's column view sorter (which has no
 * sort keys) it compared every new entry through two sorters and a custom
 * one, on the main thread; a 50,000-entry folder arriving in batches held
 * the main loop for 145–254 ms per batch. Here a worker makes the keys and
 * sorts; the main thread swaps in the result and says what changed. */

struct _PasFileList
{
  GObject      parent_instance;

  GListModel  *source;
  GPtrArray   *source_entries;   /* parallel to the source */
  GPtrArray   *sorted;           /* what the list shows; replaced, never changed, while a job runs */
  Order        order;
  Filter       filter;
  guint        n_hidden;         /* hidden files in the source */
  guint        generation;       /* a new source: older jobs' results are dropped */
  gboolean     running;          /* a job, or the showing of its result */
  gboolean     busy;

  /* A result being shown in steps: self->sorted is a borrowed mix of its
   * first shown_new entries and @old from shown_old on. */
  struct _Result *showing;
  GPtrArray   *old;
  guint        shown_old;
  guint        shown_new;
  guint        next_cut;
  guint        step_id;
  GdkFrameClock *clock;
  gulong       update_id;        /* a step waiting for a frame */

  /* Since the running job started. */
  GHashTable  *next_added;
  GHashTable  *next_removed;
  gboolean     next_resort;
  gboolean     next_refilter;    /* the whole source again */
};

/* Entries to key and sort on the main thread: ~1 ms of work (1.1–1.3 ms
 * for 1,000 keys with Debian 12's and 13's GLib and glibc). */
#define INLINE_MAX 1000

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PasFileList, pas_file_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (PasFileList *self);

static void
sort_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  g_task_return_pointer (task, pas_file_list_run_job (data), (GDestroyNotify) pas_file_list_result_free);
}

static void
set_busy (PasFileList *self,
          gboolean     busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Shows the result up to its next cut; TRUE when all of it is shown. */
static gboolean
show_step (PasFileList *self)
{
  Result *result = self->showing;
  Cut *cut = &g_array_index (result->cuts, Cut, self->next_cut);
  guint from = self->shown_old, position = self->shown_new;
  guint removed = cut->old_index - from, added = cut->new_index - position;
  gboolean last = self->next_cut + 1 == result->cuts->len;
  GPtrArray *shown;

  if (last)
    {
      shown = g_ptr_array_ref (result->sorted);
      /* Only the stretch between the first and the last difference changed. */
      while (removed > 0 && added > 0 &&
             g_ptr_array_index (self->old, from + removed - 1) ==
               g_ptr_array_index (result->sorted, position + added - 1))
        {
          removed--;
          added--;
        }
      while (removed > 0 && added > 0 &&
             g_ptr_array_index (self->old, from) == g_ptr_array_index (result->sorted, position))
        {
          from++;
          position++;
          removed--;
          added--;
        }
    }
  else
    {
      /* Borrowed pointers: the old list and the result hold the entries. */
      shown = g_ptr_array_sized_new (cut->new_index + self->old->len - cut->old_index);
      for (guint k = 0; k < cut->new_index; k++)
        g_ptr_array_add (shown, g_ptr_array_index (result->sorted, k));
      for (guint k = cut->old_index; k < self->old->len; k++)
        g_ptr_array_add (shown, g_ptr_array_index (self->old, k));
    }
  g_ptr_array_unref (self->sorted);
  self->sorted = shown;
  self->shown_old = cut->old_index;
  self->shown_new = cut->new_index;
  self->next_cut++;
  if (last)
    {
      g_clear_pointer (&self->old, g_ptr_array_unref);
      g_clear_pointer (&self->showing, pas_file_list_result_free);
    }
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  return last;
}

static void
stop_showing (PasFileList *self)
{
  g_clear_handle_id (&self->step_id, g_source_remove);
  g_clear_signal_handler (&self->update_id, self->clock);
  g_clear_pointer (&self->old, g_ptr_array_unref);
  g_clear_pointer (&self->showing, pas_file_list_result_free);
}

static void schedule_step (PasFileList *self);

static void
step (PasFileList *self)
{
  if (!show_step (self))
    {
      schedule_step (self);
      return;
    }
  self->running = FALSE;
  schedule (self);
}

static gboolean
step_cb (gpointer data)
{
  PasFileList *self = data;

  self->step_id = 0;
  g_clear_signal_handler (&self->update_id, self->clock);
  step (self);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                PasFileList   *self)
{
  g_clear_handle_id (&self->step_id, g_source_remove);
  g_clear_signal_handler (&self->update_id, self->clock);
  self->step_id = g_idle_add_full (G_PRIORITY_DEFAULT, step_cb, self, NULL);
}

static void
schedule_step (PasFileList *self)
{
  /* A handler of the step's items-changed may have replaced the source
   * (and started showing the new one): nothing is left to step here. */
  if (self->showing == NULL || self->step_id != 0)
    return;
  if (self->clock != NULL && self->shown_new < VIEW_ROWS)
    {
      /* At the top: once the frame that lays out the last step is painted
       * (or after 100 ms if the window draws no frames, hidden). Not in the
       * frame itself: making rows and laying them out would add up. */
      self->update_id = g_signal_connect (self->clock, "after-paint", G_CALLBACK (after_paint_cb), self);
      gdk_frame_clock_request_phase (self->clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
      self->step_id = g_timeout_add (100, step_cb, self);
      return;
    }
  /* At default priority, like input: a window redrawing every frame cannot
   * starve it (GTK's frames come at a lower one; see ARCHITECTURE.md). */
  self->step_id = g_idle_add_full (G_PRIORITY_DEFAULT, step_cb, self, NULL);
}

/* Starts showing @result, the work of @job; TRUE when it is all shown. */
static gboolean
show (PasFileList *self,
      Job         *job,
      Result      *result)
{
  if (job->generation != self->generation)
    {
      pas_file_list_result_free (result);
      return TRUE;
    }
  self->showing = result;
  self->old = g_ptr_array_ref (self->sorted);
  self->shown_old = self->shown_new = 0;
  self->next_cut = 0;
  if (show_step (self))
    return TRUE;
  schedule_step (self);
  return FALSE;
}

static void
sorted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  PasFileList *self = PAS_FILE_LIST (object);

  if (!show (self, g_task_get_task_data (G_TASK (result)), g_task_propagate_pointer (G_TASK (result), NULL)))
    return;
  self->running = FALSE;
  schedule (self);
}

static void
schedule (PasFileList *self)
{
  g_autoptr(GTask) task = NULL;
  GHashTableIter iter;
  gpointer key;
  Job *job;

  if (self->running)
    return;
  if (g_hash_table_size (self->next_added) == 0 && g_hash_table_size (self->next_removed) == 0 &&
      !self->next_resort && !self->next_refilter)
    {
      set_busy (self, FALSE);
      return;
    }
  job = g_new0 (Job, 1);
  job->generation = self->generation;
  job->order = self->order;
  job->filter.show_hidden = self->filter.show_hidden;
  job->filter.needle = g_strdup (self->filter.needle);
  if (self->next_refilter)
    {
      /* Every entry of the source, against the new filter: one step. */
      job->resort = job->rebuild = TRUE;
      job->sorted = g_ptr_array_ref (self->sorted);
      job->removed = g_hash_table_new (NULL, NULL);
      job->added = g_ptr_array_new_full (self->source_entries->len, pas_file_entry_unref);
      for (guint i = 0; i < self->source_entries->len; i++)
        g_ptr_array_add (job->added, pas_file_entry_ref (g_ptr_array_index (self->source_entries, i)));
      g_hash_table_remove_all (self->next_removed);
    }
  else
    {
      job->resort = self->next_resort;
      job->sorted = g_ptr_array_ref (self->sorted);
      job->removed = g_steal_pointer (&self->next_removed);
      job->added = g_ptr_array_new_full (g_hash_table_size (self->next_added), pas_file_entry_unref);
      g_hash_table_iter_init (&iter, self->next_added);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (job->added, pas_file_entry_ref (key));
      self->next_removed = g_hash_table_new_full (NULL, NULL, pas_file_entry_unref, NULL);
    }
  g_hash_table_remove_all (self->next_added);
  self->next_resort = FALSE;
  self->next_refilter = FALSE;

  self->running = TRUE;
  set_busy (self, TRUE);
  /* A usual folder, or a change of a few entries, is sorted here and now
   * (the list is never behind the source); only big work goes to a worker. */
  if (job->added->len + (job->resort ? job->sorted->len : 0) <= INLINE_MAX)
    {
      gboolean done = show (self, job, pas_file_list_run_job (job));

      pas_file_list_job_free (job);
      if (done)
        {
          /* Again: a handler of the change may have asked for more. */
          self->running = FALSE;
          schedule (self);
        }
      return;
    }
  task = g_task_new (self, NULL, sorted_cb, NULL);
  g_task_set_source_tag (task, schedule);
  g_task_set_task_data (task, job, (GDestroyNotify) pas_file_list_job_free);
  g_task_run_in_thread (task, sort_thread);
}

/* ---- following the source ------------------------------------------------- */

static void
forget (PasFileList *self,
        Entry       *entry)
{
  if (entry->hidden)
    self->n_hidden--;
  if (!g_hash_table_remove (self->next_added, entry))
    g_hash_table_add (self->next_removed, pas_file_entry_ref (entry));
}

static Entry *
add_entry (PasFileList *self,
           GListModel  *source,
           guint        position)
{
  g_autoptr(GFileInfo) info = g_list_model_get_item (source, position);
  Entry *entry = pas_file_entry_new (info);

  if (entry->hidden)
    self->n_hidden++;
  g_hash_table_add (self->next_added, pas_file_entry_ref (entry));
  return entry;
}

static void
source_changed_cb (GListModel  *source,
                   guint        position,
                   guint        removed,
                   guint        added,
                   PasFileList *self)
{
  g_autoptr(GPtrArray) entries = NULL;

  for (guint i = 0; i < removed; i++)
    forget (self, g_ptr_array_index (self->source_entries, position + i));
  g_ptr_array_remove_range (self->source_entries, position, removed);
  if (position == self->source_entries->len)
    {
      /* A listing arriving: appended in place. */
      for (guint i = 0; i < added; i++)
        g_ptr_array_add (self->source_entries, add_entry (self, source, position + i));
      schedule (self);
      return;
    }
  /* Anywhere else (a filter change, a link found to be a folder): rebuilt,
   * GLib 2.74 has no splice. */
  entries = g_ptr_array_new_full (self->source_entries->len + added, pas_file_entry_unref);
  for (guint i = 0; i < position; i++)
    g_ptr_array_add (entries, pas_file_entry_ref (g_ptr_array_index (self->source_entries, i)));
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (entries, add_entry (self, source, position + i));
  for (guint i = position; i < self->source_entries->len; i++)
    g_ptr_array_add (entries, pas_file_entry_ref (g_ptr_array_index (self->source_entries, i)));
  g_ptr_array_unref (self->source_entries);
  self->source_entries = g_steal_pointer (&entries);
  schedule (self);
}

void
pas_file_list_set_model (PasFileList *self,
                         GListModel  *model)
{
  guint shown;

  g_return_if_fail (PAS_IS_FILE_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->source == model)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_changed_cb, self);
  g_set_object (&self->source, model);
  self->generation++;
  if (self->showing != NULL)
    {
      /* The new source's entries are shown from scratch. */
      stop_showing (self);
      self->running = FALSE;
    }
  /* Freeing 50,000 entries (and GFileInfos) took ~20 ms. */
  pas_drop_in_thread (g_steal_pointer (&self->source_entries), (GDestroyNotify) g_ptr_array_unref);
  pas_drop_in_thread (g_steal_pointer (&self->next_added), (GDestroyNotify) g_hash_table_unref);
  pas_drop_in_thread (g_steal_pointer (&self->next_removed), (GDestroyNotify) g_hash_table_unref);
  self->source_entries = g_ptr_array_new_with_free_func (pas_file_entry_unref);
  self->next_added = g_hash_table_new_full (NULL, NULL, pas_file_entry_unref, NULL);
  self->next_removed = g_hash_table_new_full (NULL, NULL, pas_file_entry_unref, NULL);
  self->n_hidden = 0;
  self->next_refilter = FALSE;
  shown = self->sorted->len;
  pas_drop_in_thread (g_steal_pointer (&self->sorted), (GDestroyNotify) g_ptr_array_unref);
  self->sorted = g_ptr_array_new_with_free_func (pas_file_entry_unref);
  if (shown > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, shown, 0);
  if (model != NULL)
    {
      g_signal_connect (model, "items-changed", G_CALLBACK (source_changed_cb), self);
      source_changed_cb (model, 0, 0, g_list_model_get_n_items (model), self);
    }
  else
    schedule (self);
}

void
pas_file_list_set_order (PasFileList *self,
                         PasFileOrder order,
                         gboolean     descending)
{
  g_return_if_fail (PAS_IS_FILE_LIST (self));

  if (self->order.column == order && self->order.descending == descending)
    return;
  self->order.column = order;
  self->order.descending = descending;
  self->next_resort = TRUE;
  schedule (self);
}

void
pas_file_list_set_filter (PasFileList *self,
                          gboolean     show_hidden,
                          const char  *text)
{
  g_autofree char *needle = NULL;

  g_return_if_fail (PAS_IS_FILE_LIST (self));

  if (text != NULL && text[0] != '\0')
    needle = g_utf8_casefold (text, -1);
  if (self->filter.show_hidden == show_hidden && g_strcmp0 (self->filter.needle, needle) == 0)
    return;
  self->filter.show_hidden = show_hidden;
  g_free (self->filter.needle);
  self->filter.needle = g_steal_pointer (&needle);
  self->next_refilter = TRUE;
  schedule (self);
}

guint
pas_file_list_get_n_hidden (PasFileList *self)
{
  g_return_val_if_fail (PAS_IS_FILE_LIST (self), 0);

  return self->n_hidden;
}

PasFileOrder
pas_file_list_get_order (PasFileList *self,
                         gboolean    *descending)
{
  g_return_val_if_fail (PAS_IS_FILE_LIST (self), PAS_FILE_ORDER_NAME);

  if (descending != NULL)
    *descending = self->order.descending;
  return self->order.column;
}

void
pas_file_list_set_frame_clock (PasFileList   *self,
                               GdkFrameClock *clock)
{
  g_return_if_fail (PAS_IS_FILE_LIST (self));
  g_return_if_fail (clock == NULL || GDK_IS_FRAME_CLOCK (clock));

  if (self->clock == clock)
    return;
  if (self->update_id != 0)
    {
      /* The waiting step goes by the timeout. */
      g_clear_signal_handler (&self->update_id, self->clock);
      g_clear_handle_id (&self->step_id, g_source_remove);
      self->step_id = g_idle_add_full (G_PRIORITY_DEFAULT, step_cb, self, NULL);
    }
  g_set_object (&self->clock, clock);
}

GPtrArray *
pas_file_list_dup_source_infos (PasFileList *self)
{
  GPtrArray *infos;

  g_return_val_if_fail (PAS_IS_FILE_LIST (self), NULL);

  infos = g_ptr_array_new_full (self->source_entries->len, g_object_unref);
  for (guint i = 0; i < self->source_entries->len; i++)
    g_ptr_array_add (infos, g_object_ref (((Entry *) g_ptr_array_index (self->source_entries, i))->info));
  return infos;
}

gboolean
pas_file_list_is_busy (PasFileList *self)
{
  g_return_val_if_fail (PAS_IS_FILE_LIST (self), FALSE);

  return self->busy;
}

PasFileList *
pas_file_list_new (void)
{
  return g_object_new (PAS_TYPE_FILE_LIST, NULL);
}

typedef struct
{
  gpointer       data;
  GDestroyNotify free_func;
} Drop;

static void
drop_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Drop *drop = data;

  drop->free_func (g_steal_pointer (&drop->data));
}

void
pas_drop_in_thread (gpointer       data,
                    GDestroyNotify free_func)
{
  g_autoptr(GTask) task = NULL;
  Drop *drop;

  if (data == NULL)
    return;
  drop = g_new0 (Drop, 1);
  drop->data = data;
  drop->free_func = free_func;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, pas_drop_in_thread);
  g_task_set_task_data (task, drop, g_free);
  g_task_run_in_thread (task, drop_thread);
}

/* ---- GListModel, GObject -------------------------------------------------- */

static GType
get_item_type (GListModel *model)
{
  return G_TYPE_FILE_INFO;
}

static guint
get_n_items (GListModel *model)
{
  return PAS_FILE_LIST (model)->sorted->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PasFileList *self = PAS_FILE_LIST (model);

  if (position >= self->sorted->len)
    return NULL;
  return g_object_ref (((Entry *) g_ptr_array_index (self->sorted, position))->info);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
pas_file_list_dispose (GObject *object)
{
  PasFileList *self = PAS_FILE_LIST (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_changed_cb, self);
  g_clear_object (&self->source);
  stop_showing (self);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pas_file_list_parent_class)->dispose (object);
}

static void
pas_file_list_finalize (GObject *object)
{
  PasFileList *self = PAS_FILE_LIST (object);

  g_ptr_array_unref (self->source_entries);
  g_ptr_array_unref (self->sorted);
  g_hash_table_unref (self->next_added);
  g_hash_table_unref (self->next_removed);
  g_free (self->filter.needle);

  G_OBJECT_CLASS (pas_file_list_parent_class)->finalize (object);
}

static void
pas_file_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PasFileList *self = PAS_FILE_LIST (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_file_list_class_init (PasFileListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pas_file_list_dispose;
  object_class->finalize = pas_file_list_finalize;
  object_class->get_property = pas_file_list_get_property;

  /* Changes of the source or the order not shown yet. */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pas_file_list_init (PasFileList *self)
{
  self->source_entries = g_ptr_array_new_with_free_func (pas_file_entry_unref);
  self->sorted = g_ptr_array_new_with_free_func (pas_file_entry_unref);
  self->next_added = g_hash_table_new_full (NULL, NULL, pas_file_entry_unref, NULL);
  self->next_removed = g_hash_table_new_full (NULL, NULL, pas_file_entry_unref, NULL);
}
