#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pas-error.h"
#include "pas-transfer-private.h"
#include "pas-transfer-queue-private.h"

#define TICK_MS 100
#define DEFAULT_MAX_RUNNING 2

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PasTransferQueue, pas_transfer_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  SIGNAL_PROGRESS,
  SIGNAL_ITEM_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void ended (PasTransferQueue *self, Item *item);

static GType
get_item_type (GListModel *model)
{
  return PAS_TYPE_TRANSFER;
}

static guint
get_n_items (GListModel *model)
{
  return PAS_TRANSFER_QUEUE (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PasTransferQueue *self = PAS_TRANSFER_QUEUE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (((Item *) g_ptr_array_index (self->items, position))->transfer);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
item_free (Item *item)
{
  if (item->cancellable != NULL)
    g_cancellable_cancel (item->cancellable);
  g_clear_object (&item->cancellable);
  g_clear_object (&item->transfer);
  g_free (item->server);
  g_free (item->saved_kept);
  g_free (item);
}

static void
pas_transfer_queue_dispose (GObject *object)
{
  PasTransferQueue *self = PAS_TRANSFER_QUEUE (object);

  if (self->tick != NULL)
    g_source_destroy (self->tick);
  g_clear_pointer (&self->tick, g_source_unref);
  /* At exit, what is due is written at once. */
  if (self->save_source != NULL)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
      pas_transfer_queue_write_now (self->saver, ++self->generation, pas_transfer_queue_snapshot (self));
    }
  G_OBJECT_CLASS (pas_transfer_queue_parent_class)->dispose (object);
}

static void
pas_transfer_queue_finalize (GObject *object)
{
  PasTransferQueue *self = PAS_TRANSFER_QUEUE (object);

  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->servers);
  g_free (self->state_file);
  g_clear_pointer (&self->saver, pas_transfer_queue_saver_unref);
  G_OBJECT_CLASS (pas_transfer_queue_parent_class)->finalize (object);
}

static void
pas_transfer_queue_class_init (PasTransferQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pas_transfer_queue_dispose;
  G_OBJECT_CLASS (klass)->finalize = pas_transfer_queue_finalize;

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* An item is done, failed or cancelled (transfer, its server's key):
   * listings of where it wrote may show something new. */
  signals[SIGNAL_ITEM_ENDED] = g_signal_new ("item-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                             PAS_TYPE_TRANSFER, G_TYPE_STRING);
}

static void
pas_transfer_queue_init (PasTransferQueue *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->servers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->max_running = DEFAULT_MAX_RUNNING;
}

/* ---- progress ------------------------------------------------------------ */

/* Unfinished work only: what is queued, running or paused. A finished item
 * leaves the totals, so they always say what is left to do. */
static gboolean
unfinished (PasTransfer *transfer)
{
  PasTransferState state = pas_transfer_get_state (transfer);

  return state == PAS_TRANSFER_QUEUED || state == PAS_TRANSFER_RUNNING || state == PAS_TRANSFER_PAUSED;
}

guint64
pas_transfer_queue_get_bytes_done (PasTransferQueue *self)
{
  guint64 sum = 0;

  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      if (unfinished (item->transfer))
        sum += pas_transfer_get_bytes_done (item->transfer);
    }
  return sum;
}

guint64
pas_transfer_queue_get_bytes_total (PasTransferQueue *self)
{
  guint64 sum = 0;

  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      if (unfinished (item->transfer))
        sum += pas_transfer_get_bytes_total (item->transfer);
    }
  return sum;
}

/* Unfinished items whose whole size is not known yet (a folder being
 * walked, a file not yet looked at): the total above leaves them out. */
guint
pas_transfer_queue_count_unsized (PasTransferQueue *self)
{
  guint n = 0;

  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      if (unfinished (item->transfer) && !pas_transfer_is_size_known (item->transfer))
        n++;
    }
  return n;
}

/* The sum of the running items' own rates: the header and the rows agree. */
double
pas_transfer_queue_get_rate (PasTransferQueue *self)
{
  double sum = 0;

  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      if (pas_transfer_get_state (item->transfer) == PAS_TRANSFER_RUNNING)
        sum += pas_transfer_get_rate (item->transfer);
    }
  return sum;
}

gint64
pas_transfer_queue_get_eta (PasTransferQueue *self)
{
  guint64 done = pas_transfer_queue_get_bytes_done (self);
  guint64 total = pas_transfer_queue_get_bytes_total (self);
  double rate = pas_transfer_queue_get_rate (self);

  if (rate < 1.0 || total < done || pas_transfer_queue_count_unsized (self) > 0)
    return -1;
  return (gint64) ((total - done) / rate);
}

static gboolean
tick_cb (gpointer data)
{
  PasTransferQueue *self = data;

  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  /* An answer kept by a transfer ("Replace", or the name "Keep Both"
   * chose) is saved before a crash could make the restarted queue ask
   * again. */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      g_autofree char *kept = pas_transfer_dup_kept_name (item->transfer);

      if (pas_transfer_get_conflict_policy (item->transfer) != item->saved_policy ||
          g_strcmp0 (kept, item->saved_kept) != 0)
        {
          pas_transfer_queue_save (self);
          break;
        }
    }
  if (self->running > 0)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->tick, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
start_ticking (PasTransferQueue *self)
{
  if (self->tick != NULL)
    return;
  self->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (self->tick, tick_cb, self, NULL);
  g_source_attach (self->tick, g_main_context_get_thread_default ());
}

/* ---- running ------------------------------------------------------------- */

static Item *
find_item (PasTransferQueue *self,
           PasTransfer      *transfer)
{
  for (guint i = 0; i < self->items->len; i++)
    if (((Item *) g_ptr_array_index (self->items, i))->transfer == transfer)
      return g_ptr_array_index (self->items, i);
  return NULL;
}

/* The speed limit is shared evenly by what runs. */
static void
share_speed_limit (PasTransferQueue *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      pas_transfer_set_rate_limit (item->transfer, self->speed_limit / MAX (self->running, 1));
    }
}

typedef struct
{
  PasTransferQueue *self;
  PasTransfer      *transfer;
} Run;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autofree Run *run = data;
  g_autoptr(PasTransferQueue) self = run->self;
  g_autoptr(PasTransfer) transfer = run->transfer;
  g_autoptr(GError) error = NULL;
  Item *item;

  self->running--;
  item = find_item (self, transfer);
  if (pas_transfer_run_on_finish (transfer, result, &error))
    pas_transfer_set_state (transfer, PAS_TRANSFER_DONE, NULL);
  else if (item != NULL && g_cancellable_is_cancelled (item->cancellable))
    pas_transfer_set_state (transfer, item->after_stop, NULL);
  else
    pas_transfer_set_state (transfer, PAS_TRANSFER_FAILED, error);
  if (item != NULL)
    g_clear_object (&item->cancellable);
  if (item != NULL && pas_transfer_get_state (transfer) == PAS_TRANSFER_CANCELLED)
    {
      /* What earlier (paused) runs left and this one did not reach. */
      GPtrArray *sessions = g_hash_table_lookup (self->servers, item->server);

      pas_transfer_remove_partials (transfer, sessions != NULL && sessions->len > 0
                                              ? g_ptr_array_index (sessions, 0) : NULL);
    }
  if (item != NULL && pas_transfer_get_state (transfer) != PAS_TRANSFER_PAUSED &&
      pas_transfer_get_state (transfer) != PAS_TRANSFER_QUEUED)
    ended (self, item);
  share_speed_limit (self);
  pas_transfer_queue_save (self);
  pas_transfer_queue_pump (self);
  /* The last word, even when everything ended between two ticks. */
  if (self->running == 0)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

/* Where an item writes: its local path, or its server and remote path. */
static char *
target_of (Item *item)
{
  PasTransfer *t = item->transfer;
  g_autofree char *kept = pas_transfer_dup_kept_name (t);
  g_autofree char *local = NULL;

  if (pas_transfer_get_direction (t) == PAS_TRANSFER_DOWNLOAD)
    {
      local = kept != NULL ? g_strdup (kept) : g_file_get_path (pas_transfer_get_local (t));
      return g_strconcat ("L", local, NULL);
    }
  return g_strconcat ("R", item->server, "\n", kept != NULL ? kept : pas_transfer_get_remote_path (t), NULL);
}

/* Two copies to the same place would write the same .filepart at once
 * (seen in a trial: F5 twice, one copy failed, the file came out whole
 * by luck): the second waits for the first, then meets its result as any
 * existing file. */
static gboolean
target_busy (PasTransferQueue *self,
             Item             *item)
{
  g_autofree char *mine = target_of (item);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *other = g_ptr_array_index (self->items, i);
      g_autofree char *theirs = NULL;

      if (other == item || pas_transfer_get_state (other->transfer) != PAS_TRANSFER_RUNNING)
        continue;
      theirs = target_of (other);
      if (g_strcmp0 (mine, theirs) == 0)
        return TRUE;
    }
  return FALSE;
}

void
pas_transfer_queue_pump (PasTransferQueue *self)
{
  for (guint i = 0; i < self->items->len && self->running < self->max_running; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      GPtrArray *sessions = g_hash_table_lookup (self->servers, item->server);
      Run *run;

      if (pas_transfer_get_state (item->transfer) != PAS_TRANSFER_QUEUED || sessions == NULL ||
          target_busy (self, item))
        continue;
      self->running++;
      item->cancellable = g_cancellable_new ();
      item->after_stop = PAS_TRANSFER_PAUSED;
      pas_transfer_set_state (item->transfer, PAS_TRANSFER_RUNNING, NULL);
      share_speed_limit (self);
      run = g_new0 (Run, 1);
      run->self = g_object_ref (self);
      run->transfer = g_object_ref (item->transfer);
      pas_transfer_run_on_async (item->transfer, (PasSftpSession * const *) sessions->pdata, sessions->len,
                                 item->cancellable, run_done_cb, run);
      start_ticking (self);
    }
}

/* ---- public -------------------------------------------------------------- */

/**
 * pas_transfer_queue_new:
 * @state_file: (nullable): where unfinished items are kept; NULL for
 *   $XDG_STATE_HOME/passerelle/queue.ini
 */
PasTransferQueue *
pas_transfer_queue_new (const char *state_file)
{
  PasTransferQueue *self = g_object_new (PAS_TYPE_TRANSFER_QUEUE, NULL);

  self->state_file = state_file != NULL ? g_strdup (state_file)
                                        : g_build_filename (g_get_user_state_dir (), "passerelle", "queue.ini", NULL);
  self->saver = pas_transfer_queue_saver_new (self->state_file);
  return self;
}

guint
pas_transfer_queue_count_sessions (PasTransferQueue *self,
                                   const char       *server)
{
  GPtrArray *sessions;

  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), 0);

  sessions = g_hash_table_lookup (self->servers, server);
  return sessions != NULL ? sessions->len : 0;
}

gboolean
pas_transfer_queue_has_pending (PasTransferQueue *self,
                                const char       *server)
{
  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), FALSE);
  g_return_val_if_fail (server != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      PasTransferState state = pas_transfer_get_state (item->transfer);

      if ((state == PAS_TRANSFER_QUEUED || state == PAS_TRANSFER_RUNNING) && g_str_equal (item->server, server))
        return TRUE;
    }
  return FALSE;
}

void
pas_transfer_queue_set_sessions (PasTransferQueue       *self,
                                 const char             *server,
                                 PasSftpSession * const *sessions,
                                 guint                   n_sessions)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  if (sessions == NULL || n_sessions == 0)
    {
      g_hash_table_remove (self->servers, server);
      /* Gone: what runs there waits for the server to come back. */
      for (guint i = 0; i < self->items->len; i++)
        {
          Item *item = g_ptr_array_index (self->items, i);
          if (g_strcmp0 (item->server, server) == 0 && item->cancellable != NULL)
            {
              item->after_stop = PAS_TRANSFER_QUEUED;
              pas_transfer_set_resume (item->transfer, TRUE);
              g_cancellable_cancel (item->cancellable);
            }
        }
      return;
    }
  {
    GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n_sessions; i++)
      g_ptr_array_add (list, g_object_ref (sessions[i]));
    g_hash_table_replace (self->servers, g_strdup (server), list);
  }
  pas_transfer_queue_pump (self);
}

void
pas_transfer_queue_add (PasTransferQueue *self,
                        PasTransfer      *transfer,
                        const char       *server)
{
  Item *item = g_new0 (Item, 1);

  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  item->transfer = g_object_ref (transfer);
  item->server = g_strdup (server);
  pas_transfer_set_state (transfer, PAS_TRANSFER_QUEUED, NULL);
  g_ptr_array_add (self->items, item);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  pas_transfer_queue_save (self);
  pas_transfer_queue_pump (self);
}

const char *
pas_transfer_queue_get_server (PasTransferQueue *self,
                               PasTransfer      *transfer)
{
  Item *item = find_item (self, transfer);

  return item != NULL ? item->server : NULL;
}

void
pas_transfer_queue_set_max_running (PasTransferQueue *self,
                                    guint             max_running)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  self->max_running = MAX (max_running, 1);
  pas_transfer_queue_pump (self);
}

void
pas_transfer_queue_set_speed_limit (PasTransferQueue *self,
                                    guint64           bytes_per_second)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  self->speed_limit = bytes_per_second;
  share_speed_limit (self);
}

guint64
pas_transfer_queue_get_speed_limit (PasTransferQueue *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (self), 0);
  return self->speed_limit;
}

/* Applies @change to @transfer, or to every item when it is NULL. */
static void
for_items (PasTransferQueue *self,
           PasTransfer      *transfer,
           void            (*change) (Item *item))
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      if (transfer == NULL || item->transfer == transfer)
        change (item);
    }
  pas_transfer_queue_save (self);
  pas_transfer_queue_pump (self);
}

static void
stop_as (Item            *item,
         PasTransferState state)
{
  if (item->cancellable != NULL)
    {
      item->after_stop = state;
      g_cancellable_cancel (item->cancellable);
    }
  else
    pas_transfer_set_state (item->transfer, state, pas_transfer_get_error (item->transfer));
}

static void
pause_item (Item *item)
{
  PasTransferState state = pas_transfer_get_state (item->transfer);

  if (state == PAS_TRANSFER_RUNNING || state == PAS_TRANSFER_QUEUED)
    stop_as (item, PAS_TRANSFER_PAUSED);
}

static void
resume_item (Item *item)
{
  if (pas_transfer_get_state (item->transfer) == PAS_TRANSFER_PAUSED)
    {
      pas_transfer_set_resume (item->transfer, TRUE);
      pas_transfer_set_state (item->transfer, PAS_TRANSFER_QUEUED, NULL);
    }
}

static void
ended (PasTransferQueue *self,
       Item             *item)
{
  g_signal_emit (self, signals[SIGNAL_ITEM_ENDED], 0, item->transfer, item->server);
}

/* Cancelled for good: the .filepart files go too (a pause keeps them). */
static void
cancel_item (PasTransferQueue *self,
             Item             *item)
{
  PasTransferState state = pas_transfer_get_state (item->transfer);
  GPtrArray *sessions;

  if (state == PAS_TRANSFER_DONE || state == PAS_TRANSFER_CANCELLED)
    return;
  pas_transfer_set_keep_partial (item->transfer, FALSE);
  if (item->cancellable != NULL)
    {
      /* The run removes what it wrote as it ends. */
      stop_as (item, PAS_TRANSFER_CANCELLED);
      return;
    }
  sessions = g_hash_table_lookup (self->servers, item->server);
  pas_transfer_remove_partials (item->transfer, sessions != NULL && sessions->len > 0
                                                ? g_ptr_array_index (sessions, 0) : NULL);
  pas_transfer_set_state (item->transfer, PAS_TRANSFER_CANCELLED, NULL);
  ended (self, item);
}

static void
retry_item (Item *item)
{
  PasTransferState state = pas_transfer_get_state (item->transfer);

  if (state == PAS_TRANSFER_FAILED || state == PAS_TRANSFER_CANCELLED)
    {
      pas_transfer_set_keep_partial (item->transfer, TRUE);
      pas_transfer_set_resume (item->transfer, TRUE);
      pas_transfer_set_state (item->transfer, PAS_TRANSFER_QUEUED, NULL);
    }
}

void
pas_transfer_queue_pause (PasTransferQueue *self,
                          PasTransfer      *transfer)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  for_items (self, transfer, pause_item);
}

void
pas_transfer_queue_resume (PasTransferQueue *self,
                           PasTransfer      *transfer)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  for_items (self, transfer, resume_item);
}

void
pas_transfer_queue_cancel (PasTransferQueue *self,
                           PasTransfer      *transfer)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (transfer == NULL || item->transfer == transfer)
        cancel_item (self, item);
    }
  pas_transfer_queue_save (self);
  pas_transfer_queue_pump (self);
}

void
pas_transfer_queue_retry (PasTransferQueue *self,
                          PasTransfer      *transfer)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  for_items (self, transfer, retry_item);
}

void
pas_transfer_queue_clear_finished (PasTransferQueue *self)
{
  g_return_if_fail (PAS_IS_TRANSFER_QUEUE (self));

  for (guint i = self->items->len; i-- > 0;)
    {
      Item *item = g_ptr_array_index (self->items, i);
      PasTransferState state = pas_transfer_get_state (item->transfer);

      if ((state == PAS_TRANSFER_DONE || state == PAS_TRANSFER_CANCELLED) && item->cancellable == NULL)
        {
          g_ptr_array_remove_index (self->items, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
        }
    }
  pas_transfer_queue_save (self);
}

