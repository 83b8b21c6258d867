#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-sftp-file.h"
#include "pas-sftp-session-private.h"
#include "pas-wire.h"

/* Requests on open files: the building blocks of transfers. */

struct _PasSftpFile
{
  GBytes *handle;
  char   *path;
};

static void
file_clear (PasSftpFile *file)
{
  g_bytes_unref (file->handle);
  g_free (file->path);
}

PasSftpFile *
pas_sftp_file_ref (PasSftpFile *file)
{
  return g_atomic_rc_box_acquire (file);
}

void
pas_sftp_file_unref (PasSftpFile *file)
{
  g_atomic_rc_box_release_full (file, (GDestroyNotify) file_clear);
}

const char *
pas_sftp_file_get_path (PasSftpFile *file)
{
  return file->path;
}

static void
open_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply != NULL && reply->type == PAS_SFTP_HANDLE)
    {
      PasSftpFile *file = g_atomic_rc_box_new0 (PasSftpFile);

      file->handle = g_bytes_ref (reply->bytes);
      file->path = g_strdup (g_task_get_task_data (task));
      g_task_return_pointer (task, file, (GDestroyNotify) pas_sftp_file_unref);
      return;
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pas_sftp_session_open_file_async (PasSftpSession     *self,
                                  const char         *path,
                                  PasSftpOpenFlags    flags,
                                  const PasSftpAttrs *attrs,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  PasSftpAttrs none = { 0 };
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  pas_sftp_send_request (self, id, pas_sftp_encode_open (id, path, flags, attrs != NULL ? attrs : &none), cancellable,
                         open_reply_cb, pas_sftp_outer_task (self, path, pas_sftp_session_open_file_async, cancellable,
                                                             callback, user_data));
}

PasSftpFile *
pas_sftp_session_open_file_finish (PasSftpSession *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), NULL);

  return pas_sftp_finish_pointer (self, result, pas_sftp_session_open_file_async, error);
}

typedef struct
{
  char    *path;
  guint32  length;
} ReadData;

static void
read_data_free (ReadData *rd)
{
  g_free (rd->path);
  g_free (rd);
}

static void
read_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  ReadData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (reply->type == PAS_SFTP_DATA && g_bytes_get_size (reply->bytes) <= rd->length)
    g_task_return_pointer (task, g_bytes_ref (reply->bytes), (GDestroyNotify) g_bytes_unref);
  else if (reply->type == PAS_SFTP_DATA)
    g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_PROTOCOL,
                             _("The server sent more data than was asked for"));
  else if (reply->type == PAS_SFTP_STATUS && reply->status == PAS_SFTP_EOF)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      pas_sftp_refuse_reply (reply, rd->path, &error);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

void
pas_sftp_session_read_async (PasSftpSession     *self,
                             PasSftpFile        *file,
                             guint64             offset,
                             guint32             length,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task;
  ReadData *rd = g_new0 (ReadData, 1);
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  id = pas_sftp_next_id (self);
  g_task_set_source_tag (task, pas_sftp_session_read_async);

  rd->path = g_strdup (file->path);
  rd->length = length;
  g_task_set_task_data (task, rd, (GDestroyNotify) read_data_free);
  pas_sftp_send_request (self, id, pas_sftp_encode_read (id, file->handle, offset, length), cancellable,
                         read_reply_cb, task);
}

GBytes *
pas_sftp_session_read_finish (PasSftpSession *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), NULL);

  return pas_sftp_finish_pointer (self, result, pas_sftp_session_read_async, error);
}

void
pas_sftp_session_write_async (PasSftpSession     *self,
                              PasSftpFile        *file,
                              guint64             offset,
                              const guint8       *data,
                              gsize               len,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  pas_sftp_send_request (self, id, pas_sftp_encode_write (id, file->handle, offset, data, len), cancellable,
                         pas_sftp_status_reply_cb, pas_sftp_outer_task (self, file->path, pas_sftp_session_write_async,
                                                                        cancellable, callback, user_data));
}

gboolean
pas_sftp_session_write_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_write_async, error);
}

static void
send_handle_request (PasSftpSession     *self,
                     PasSftpPacketType   type,
                     PasSftpFile        *file,
                     GAsyncReadyCallback reply_cb,
                     gpointer            source_tag,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  guint32 id = pas_sftp_next_id (self);

  pas_sftp_send_request (self, id, pas_sftp_encode_handle (type, id, file->handle), cancellable, reply_cb,
                         pas_sftp_outer_task (self, file->path, source_tag, cancellable, callback, user_data));
}

void
pas_sftp_session_close_file_async (PasSftpSession     *self,
                                   PasSftpFile        *file,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_handle_request (self, PAS_SFTP_CLOSE, file, pas_sftp_status_reply_cb, pas_sftp_session_close_file_async,
                       cancellable, callback, user_data);
}

gboolean
pas_sftp_session_close_file_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_close_file_async, error);
}

void
pas_sftp_session_fstat_async (PasSftpSession     *self,
                              PasSftpFile        *file,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_handle_request (self, PAS_SFTP_FSTAT, file, pas_sftp_attrs_reply_cb, pas_sftp_session_fstat_async,
                       cancellable, callback, user_data);
}

gboolean
pas_sftp_session_fstat_finish (PasSftpSession *self,
GAsyncResult   *result,
PasSftpAttrs   *attrs,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_attrs (self, result, pas_sftp_session_fstat_async, attrs, error);
}

void
pas_sftp_session_fsetstat_async (PasSftpSession     *self,
                                 PasSftpFile        *file,
                                 const PasSftpAttrs *attrs,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  PasSftpAttrs safe = pas_sftp_attrs_for_setstat (attrs);
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  pas_sftp_send_request (self, id, pas_sftp_encode_fsetstat (id, file->handle, &safe), cancellable,
                         pas_sftp_status_reply_cb,
                         pas_sftp_outer_task (self, file->path, pas_sftp_session_fsetstat_async, cancellable, callback,
                                              user_data));
}

gboolean
pas_sftp_session_fsetstat_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_fsetstat_async, error);
}

void
pas_sftp_session_fsync_async (PasSftpSession     *self,
                              PasSftpFile        *file,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  GTask *task;
  g_autoptr(GByteArray) args = g_byte_array_new ();
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = pas_sftp_outer_task (self, file->path, pas_sftp_session_fsync_async, cancellable, callback, user_data);
  if (!pas_sftp_session_has_extension (self, "fsync@openssh.com"))
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED,
                               _("The server does not support this operation"));
      g_object_unref (task);
      return;
    }
  id = pas_sftp_next_id (self);
  pas_wire_put_string (args, g_bytes_get_data (file->handle, NULL), g_bytes_get_size (file->handle));
  pas_sftp_send_request (self, id, pas_sftp_encode_extended (id, "fsync@openssh.com", args->data, args->len),
                         cancellable, pas_sftp_status_reply_cb, task);
}

gboolean
pas_sftp_session_fsync_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_fsync_async, error);
}

/* ---- server-side copy ---------------------------------------------------- */

typedef struct
{
  PasSftpSession *self;
  char           *from;
  char           *to;
  PasSftpFile    *source;
  PasSftpFile    *target;
  PasSftpOpenFlags write_flags;
  guint           closing;
  GError         *error;
} Copy;

static void
copy_free (Copy *copy)
{
  g_free (copy->from);
  g_free (copy->to);
  g_clear_pointer (&copy->source, pas_sftp_file_unref);
  g_clear_pointer (&copy->target, pas_sftp_file_unref);
  g_clear_error (&copy->error);
  g_free (copy);
}

static void
copy_keep_error (Copy   *copy,
                 GError *error)
{
  if (copy->error == NULL)
    copy->error = error;
  else
    g_error_free (error);
}

static void
copy_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  Copy *copy = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_close_file_finish (copy->self, result, &error))
    copy_keep_error (copy, g_steal_pointer (&error));
  if (--copy->closing > 0)
    return;
  if (copy->error != NULL)
    g_task_return_error (task, g_steal_pointer (&copy->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
copy_close (GTask *task)
{
  Copy *copy = g_task_get_task_data (task);
  PasSftpFile *files[] = { copy->source, copy->target };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (files[i] != NULL)
      {
        copy->closing++;
        pas_sftp_session_close_file_async (copy->self, files[i], NULL, copy_closed_cb, task);
      }
  if (copy->closing == 0)
    {
      g_task_return_error (task, g_steal_pointer (&copy->error));
      g_object_unref (task);
    }
}

static void
copied_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GTask *task = data;
  Copy *copy = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_copy_data_finish (copy->self, result, &error))
    copy_keep_error (copy, g_steal_pointer (&error));
  copy_close (task);
}

static void
copy_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  Copy *copy = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PasSftpFile *file = pas_sftp_session_open_file_finish (copy->self, result, &error);

  if (file == NULL)
    copy_keep_error (copy, g_steal_pointer (&error));
  else if (copy->source == NULL)
    {
      /* Only now the target: opening it first would truncate it even when
       * the source cannot be read. */
      copy->source = file;
      pas_sftp_session_open_file_async (copy->self, copy->to, copy->write_flags, &(PasSftpAttrs) {
                                          .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = 0644 },
                                        g_task_get_cancellable (task), copy_opened_cb, task);
      return;
    }
  else
    copy->target = file;
  if (copy->error != NULL)
    {
      copy_close (task);
      return;
    }
  /* Length 0: to the end of the source. */
  pas_sftp_session_copy_data_async (copy->self, copy->source, 0, 0, copy->target, 0, g_task_get_cancellable (task),
                                    copied_cb, task);
}

void
pas_sftp_session_copy_data_async (PasSftpSession     *self,
                                  PasSftpFile        *from,
                                  guint64             from_offset,
                                  guint64             length,
                                  PasSftpFile        *to,
                                  guint64             to_offset,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autoptr(GByteArray) args = g_byte_array_new ();
  GTask *task;
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = pas_sftp_outer_task (self, to->path, pas_sftp_session_copy_data_async, cancellable, callback, user_data);
  if (!pas_sftp_session_has_extension (self, "copy-data"))
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED,
                               _("The server does not support this operation"));
      g_object_unref (task);
      return;
    }
  id = pas_sftp_next_id (self);
  pas_wire_put_string (args, g_bytes_get_data (from->handle, NULL), g_bytes_get_size (from->handle));
  pas_wire_put_u64 (args, from_offset);
  pas_wire_put_u64 (args, length);
  pas_wire_put_string (args, g_bytes_get_data (to->handle, NULL), g_bytes_get_size (to->handle));
  pas_wire_put_u64 (args, to_offset);
  pas_sftp_send_request (self, id, pas_sftp_encode_extended (id, "copy-data", args->data, args->len), cancellable,
                         pas_sftp_status_reply_cb, task);
}

gboolean
pas_sftp_session_copy_data_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_copy_data_async, error);
}

void
pas_sftp_session_copy_async (PasSftpSession     *self,
                             const char         *from,
                             const char         *to,
                             gboolean            overwrite,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task;
  Copy *copy = g_new0 (Copy, 1);

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sftp_session_copy_async);

  copy->self = self;
  copy->from = g_strdup (from);
  copy->to = g_strdup (to);
  g_task_set_task_data (task, copy, (GDestroyNotify) copy_free);
  if (!pas_sftp_session_has_extension (self, "copy-data"))
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED,
                               _("The server does not support this operation"));
      g_object_unref (task);
      return;
    }
  /* Truncating the source itself would lose it. */
  if (strcmp (from, to) == 0)
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_EXISTS, _("A file cannot be copied onto itself"));
      g_object_unref (task);
      return;
    }
  copy->write_flags = PAS_SFTP_OPEN_WRITE | PAS_SFTP_OPEN_CREATE | PAS_SFTP_OPEN_TRUNCATE;
  if (!overwrite)
    copy->write_flags |= PAS_SFTP_OPEN_EXCLUSIVE;
  pas_sftp_session_open_file_async (self, from, PAS_SFTP_OPEN_READ, NULL, cancellable, copy_opened_cb, task);
}

gboolean
pas_sftp_session_copy_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_copy_async, error);
}
