#define G_LOG_DOMAIN "pas-remote-drag"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-remote-drag.h"

struct _PasRemoteDrag
{
  GdkContentProvider  parent_instance;

  PasTransferQueue   *queue;
  char               *server;
  GPtrArray          *infos;      /* of GFileInfo */
  char               *folder;     /* where the copies go */
  GPtrArray          *copies;     /* of GFile, in the order of infos */
  GPtrArray          *waiting;    /* of GTask: write requests before the copies are ready */
  guint               left;       /* downloads not finished */
  GError             *error;      /* the first download that failed */
  gboolean            started;
};

G_DEFINE_FINAL_TYPE (PasRemoteDrag, pas_remote_drag, GDK_TYPE_CONTENT_PROVIDER)

static GBytes *
uri_list (PasRemoteDrag *self)
{
  GString *text = g_string_new (NULL);

  /* RFC 2483: one URI per line, CRLF. */
  for (guint i = 0; i < self->copies->len; i++)
    {
      g_autofree char *uri = g_file_get_uri (g_ptr_array_index (self->copies, i));
      g_string_append_printf (text, "%s\r\n", uri);
    }
  return g_string_free_to_bytes (text);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
answer (PasRemoteDrag *self,
        GTask         *task)
{
  GOutputStream *stream = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  gconstpointer data;

  if (self->error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->error));
      g_object_unref (task);
      return;
    }
  bytes = uri_list (self);
  data = g_bytes_get_data (bytes, &length);
  /* The bytes live as long as the task. */
  g_object_set_data_full (G_OBJECT (task), "pas-bytes", g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (stream, data, length, g_task_get_priority (task),
                                   g_task_get_cancellable (task), written_cb, task);
}

static void
copy_state_cb (PasTransfer   *transfer,
               GParamSpec    *pspec,
               PasRemoteDrag *self)
{
  PasTransferState state = pas_transfer_get_state (transfer);

  if (state != PAS_TRANSFER_DONE && state != PAS_TRANSFER_FAILED && state != PAS_TRANSFER_CANCELLED)
    return;
  g_signal_handlers_disconnect_by_data (transfer, self);
  if (state != PAS_TRANSFER_DONE && self->error == NULL)
    self->error = pas_transfer_get_error (transfer) != NULL
                    ? g_error_copy (pas_transfer_get_error (transfer))
                    : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The copy was cancelled"));
  if (--self->left > 0)
    return;
  while (self->waiting->len > 0)
    answer (self, g_ptr_array_steal_index (self->waiting, 0));
}

static void
start_copies (PasRemoteDrag *self)
{
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "passerelle", "drag", "XXXXXX", NULL);
  g_autofree char *parent = g_path_get_dirname (folder);

  self->started = TRUE;
  if (g_mkdir_with_parents (parent, 0700) != 0 || g_mkdtemp_full (folder, 0700) == NULL)
    {
      int saved = errno;
      self->error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved),
                                 /* Translators: %s is a folder, then why it could not be made */
                                 _("Could not make the folder %s: %s"), parent, g_strerror (saved));
      return;
    }
  self->folder = g_steal_pointer (&folder);

  for (guint i = 0; i < self->infos->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (self->infos, i);
      GFile *copy = g_file_new_build_filename (self->folder, g_file_info_get_name (info), NULL);
      const char *path = g_file_info_get_attribute_string (info, PAS_FILE_ATTRIBUTE_PATH);
      g_autoptr(PasTransfer) transfer = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, path, copy);

      g_ptr_array_add (self->copies, copy);
      pas_transfer_set_recursive (transfer, g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY);
      pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_OVERWRITE);
      g_signal_connect_object (transfer, "notify::state", G_CALLBACK (copy_state_cb), self, 0);
      self->left++;
      pas_transfer_queue_add (self->queue, transfer, self->server);
    }
}

static GdkContentFormats *
pas_remote_drag_ref_formats (GdkContentProvider *provider)
{
  return gdk_content_formats_new ((const char *[]) { "text/uri-list" }, 1);
}

static void
pas_remote_drag_write_mime_type_async (GdkContentProvider *provider,
                                       const char         *mime_type,
                                       GOutputStream      *stream,
                                       int                 io_priority,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  PasRemoteDrag *self = PAS_REMOTE_DRAG (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, pas_remote_drag_write_mime_type_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);
  if (!g_str_equal (mime_type, "text/uri-list"))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot provide the files as %s"), mime_type);
      g_object_unref (task);
      return;
    }
  if (!self->started)
    start_copies (self);
  if (self->left > 0)
    g_ptr_array_add (self->waiting, task);
  else
    answer (self, task);
}

static gboolean
pas_remote_drag_write_mime_type_finish (GdkContentProvider *provider,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_remote_drag_write_mime_type_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GdkContentProvider *
pas_remote_drag_new (PasTransferQueue *queue,
                     const char       *server,
                     GPtrArray        *infos)
{
  PasRemoteDrag *self = g_object_new (PAS_TYPE_REMOTE_DRAG, NULL);

  self->queue = g_object_ref (queue);
  self->server = g_strdup (server);
  self->infos = g_ptr_array_ref (infos);
  return GDK_CONTENT_PROVIDER (self);
}

static void
pas_remote_drag_finalize (GObject *object)
{
  PasRemoteDrag *self = PAS_REMOTE_DRAG (object);

  g_clear_object (&self->queue);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->copies, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_free (self->server);
  g_free (self->folder);

  G_OBJECT_CLASS (pas_remote_drag_parent_class)->finalize (object);
}

static void
pas_remote_drag_class_init (PasRemoteDragClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GdkContentProviderClass *provider_class = GDK_CONTENT_PROVIDER_CLASS (klass);

  object_class->finalize = pas_remote_drag_finalize;

  provider_class->ref_formats = pas_remote_drag_ref_formats;
  provider_class->write_mime_type_async = pas_remote_drag_write_mime_type_async;
  provider_class->write_mime_type_finish = pas_remote_drag_write_mime_type_finish;
}

static void
pas_remote_drag_init (PasRemoteDrag *self)
{
  self->copies = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting = g_ptr_array_new ();
}
