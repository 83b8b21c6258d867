#define G_LOG_DOMAIN "pas-opened-file"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "pas-opened-file.h"

/* Editors save in several writes (or write a new file and rename it): wait
 * this long after the last change before asking. */
#define SETTLE_MS 700

struct _PasOpenedFile
{
  GObject           parent_instance;

  PasTransferQueue *queue;
  char             *server;
  char             *remote_path;
  GFile            *local;
  GFileMonitor     *monitor;
  guint             settle_id;
  gboolean          uploading;
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_FAILED,
  SIGNAL_UPLOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PasOpenedFile, pas_opened_file, G_TYPE_OBJECT)

static gboolean
settled_cb (gpointer user_data)
{
  PasOpenedFile *self = user_data;

  self->settle_id = 0;
  if (!self->uploading)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
monitor_changed_cb (GFileMonitor     *monitor,
                    GFile            *file,
                    GFile            *other,
                    GFileMonitorEvent event,
                    PasOpenedFile    *self)
{
  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_CREATED &&
      event != G_FILE_MONITOR_EVENT_RENAMED && event != G_FILE_MONITOR_EVENT_MOVED_IN &&
      event != G_FILE_MONITOR_EVENT_CHANGED)
    return;
  if (!g_file_equal (file, self->local) && (other == NULL || !g_file_equal (other, self->local)))
    return;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, settled_cb, self);
}

static void
launch_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PasOpenedFile) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

static void
downloaded_cb (PasTransfer   *transfer,
               GParamSpec    *pspec,
               PasOpenedFile *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  switch (pas_transfer_get_state (transfer))
    {
    case PAS_TRANSFER_DONE:
      break;
    case PAS_TRANSFER_FAILED:
      if (pas_transfer_get_error (transfer) != NULL)
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, pas_transfer_get_error (transfer));
      G_GNUC_FALLTHROUGH;
    case PAS_TRANSFER_CANCELLED:
      g_signal_handlers_disconnect_by_data (transfer, self);
      return;
    default:
      return;
    }
  g_signal_handlers_disconnect_by_data (transfer, self);

  /* The folder, not the file: editors often save by renaming a new file over it. */
  folder = g_file_get_parent (self->local);
  self->monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    g_warning ("changes to %s will not be noticed: %s", g_file_peek_path (self->local), error->message);
  else
    g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);

  uri = g_file_get_uri (self->local);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launch_cb, g_object_ref (self));
}

PasOpenedFile *
pas_opened_file_new (PasTransferQueue *queue,
                     const char       *server,
                     const char       *remote_path)
{
  PasOpenedFile *self = g_object_new (PAS_TYPE_OPENED_FILE, NULL);
  g_autofree char *base = g_path_get_basename (remote_path);
  g_autofree char *dir = NULL;

  self->queue = g_object_ref (queue);
  self->server = g_strdup (server);
  self->remote_path = g_strdup (remote_path);
  /* A private folder per opened file: two files of the same name never meet. */
  dir = g_build_filename (g_get_user_cache_dir (), "passerelle", "open", "XXXXXX", NULL);
  if (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) == 0)
    {
      g_autofree char *parent = g_path_get_dirname (dir);
      g_mkdir_with_parents (parent, 0700);
    }
  if (g_mkdtemp_full (dir, 0700) == NULL)
    g_warning ("no cache folder for opened files: %s", g_strerror (errno));
  self->local = g_file_new_build_filename (dir, base, NULL);
  return self;
}

void
pas_opened_file_start (PasOpenedFile *self)
{
  g_autoptr(PasTransfer) transfer = NULL;

  g_return_if_fail (PAS_IS_OPENED_FILE (self));

  transfer = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, self->remote_path, self->local);

  pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_OVERWRITE);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (downloaded_cb), self);
  pas_transfer_queue_add (self->queue, transfer, self->server);
}

static void
uploaded_cb (PasTransfer   *transfer,
             GParamSpec    *pspec,
             PasOpenedFile *self)
{
  PasTransferState state = pas_transfer_get_state (transfer);

  if (state != PAS_TRANSFER_DONE && state != PAS_TRANSFER_FAILED && state != PAS_TRANSFER_CANCELLED)
    return;
  self->uploading = FALSE;
  if (state == PAS_TRANSFER_FAILED && pas_transfer_get_error (transfer) != NULL)
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, pas_transfer_get_error (transfer));
  g_signal_handlers_disconnect_by_data (transfer, self);
  if (state == PAS_TRANSFER_DONE)
    g_signal_emit (self, signals[SIGNAL_UPLOADED], 0);
}

/* Puts the saved copy back in place of the remote file (through the queue,
 * so a .filepart and a rename: the old file stays whole until then). */
void
pas_opened_file_upload (PasOpenedFile *self)
{
  g_autoptr(PasTransfer) transfer = NULL;

  g_return_if_fail (PAS_IS_OPENED_FILE (self));

  transfer = pas_transfer_new (PAS_TRANSFER_UPLOAD, self->remote_path, self->local);

  self->uploading = TRUE;
  pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_OVERWRITE);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (uploaded_cb), self);
  pas_transfer_queue_add (self->queue, transfer, self->server);
}

const char *
pas_opened_file_get_remote_path (PasOpenedFile *self)
{
  g_return_val_if_fail (PAS_IS_OPENED_FILE (self), NULL);

  return self->remote_path;
}

GFile *
pas_opened_file_get_local (PasOpenedFile *self)
{
  g_return_val_if_fail (PAS_IS_OPENED_FILE (self), NULL);

  return self->local;
}

/* No more watching (the tab closes). The copy stays in the cache folder. */
void
pas_opened_file_stop (PasOpenedFile *self)
{
  g_return_if_fail (PAS_IS_OPENED_FILE (self));

  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
    }
  g_clear_object (&self->monitor);
}

static void
pas_opened_file_dispose (GObject *object)
{
  PasOpenedFile *self = PAS_OPENED_FILE (object);

  pas_opened_file_stop (self);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (pas_opened_file_parent_class)->dispose (object);
}

static void
pas_opened_file_finalize (GObject *object)
{
  PasOpenedFile *self = PAS_OPENED_FILE (object);

  g_clear_object (&self->local);
  g_free (self->server);
  g_free (self->remote_path);

  G_OBJECT_CLASS (pas_opened_file_parent_class)->finalize (object);
}

static void
pas_opened_file_class_init (PasOpenedFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pas_opened_file_dispose;
  object_class->finalize = pas_opened_file_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_UPLOADED] =
    g_signal_new ("uploaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pas_opened_file_init (PasOpenedFile *self)
{
}
