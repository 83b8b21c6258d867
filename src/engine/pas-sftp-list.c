#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-names.h"
#include "pas-sftp-list.h"
#include "pas-sftp-session-private.h"
#include "pas-wire.h"

/* Listing a folder: OPENDIR, READDIRs until EOF, CLOSE; the names reach
 * the caller batch by batch as they arrive. */

/* READDIRs in flight: the server answers them in order, each with the next
 * batch (then EOF), so a long listing costs a round trip per few batches
 * instead of per batch. */
#define LIST_DEPTH 32

typedef struct
{
  PasSftpSession  *self;
  char            *path;
  GBytes          *handle;
  PasSftpListFunc  batch;
  gpointer         batch_data;
  guint            inflight;
  guint            n_names;
  gboolean         done;        /* EOF, an error or a cancel: ask no more */
  GError          *error;
} ListJob;

static void
list_job_free (ListJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->handle, g_bytes_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void list_fill (GTask *task);

static void
list_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  ListJob *job = g_task_get_task_data (task);
  PasSftpReply *reply = pas_sftp_reply_finish (result, NULL);

  /* How the close went does not matter: the listing is complete. */
  if (reply != NULL)
    pas_sftp_reply_free (reply);
  if (job->error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
list_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  GTask *task = data;
  ListJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  job->inflight--;
  if (job->done)
    ;   /* answers to the READDIRs sent before the end: nothing more to learn */
  else if (reply != NULL && reply->type == PAS_SFTP_NAME)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      guint max = pas_sftp_session_get_max_listing (job->self);

      for (guint i = 0; i < reply->names->len; i++)
        {
          PasSftpName *name = g_ptr_array_index (reply->names, i);
          if (strcmp (name->filename, ".") != 0 && strcmp (name->filename, "..") != 0)
            g_ptr_array_add (names, name);
        }
      /* A server can answer READDIR forever; memory would follow. */
      job->n_names += reply->names->len;
      if (max > 0 && job->n_names > max)
        {
          g_set_error (&job->error, PAS_ERROR, PAS_ERROR_PROTOCOL,
                       _("The server listed more than %u entries in “%s”; the listing was stopped there"),
                       max, job->path);
          job->done = TRUE;
        }
      else if (names->len > 0)
        job->batch (names, job->batch_data);
      /* Cancelled between batches: stop asking, but still close the handle. */
      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The listing was cancelled"));
          job->done = TRUE;
        }
    }
  else
    {
      job->done = TRUE;
      if (reply == NULL)
        job->error = g_steal_pointer (&error);
      else if (!(reply->type == PAS_SFTP_STATUS && reply->status == PAS_SFTP_EOF))
        pas_sftp_check_status (reply, job->path, &job->error);
    }
  list_fill (task);
}

/* Keeps LIST_DEPTH READDIRs in flight until the end; then, once all are
 * answered, closes the handle. */
static void
list_fill (GTask *task)
{
  ListJob *job = g_task_get_task_data (task);

  while (!job->done && job->inflight < LIST_DEPTH)
    {
      guint32 id = pas_sftp_next_id (job->self);

      job->inflight++;
      pas_sftp_send_request (job->self, id, pas_sftp_encode_handle (PAS_SFTP_READDIR, id, job->handle), NULL,
                             list_batch_cb, task);
    }
  if (job->done && job->inflight == 0)
    {
      guint32 id = pas_sftp_next_id (job->self);

      pas_sftp_send_request (job->self, id, pas_sftp_encode_handle (PAS_SFTP_CLOSE, id, job->handle), NULL,
                             list_closed_cb, task);
    }
}

static void
list_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  ListJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply != NULL && reply->type == PAS_SFTP_HANDLE)
    {
      job->handle = g_bytes_ref (reply->bytes);
      list_fill (task);
      return;
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, job->path, &error);
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

void
pas_sftp_session_list_async (PasSftpSession     *self,
                             const char         *path,
                             PasSftpListFunc     batch,
                             gpointer            batch_data,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task;
  ListJob *job = g_new0 (ListJob, 1);
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  id = pas_sftp_next_id (self);
  g_task_set_source_tag (task, pas_sftp_session_list_async);

  job->self = self;
  job->path = g_strdup (path);
  job->batch = batch;
  job->batch_data = batch_data;
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  pas_sftp_send_request (self, id, pas_sftp_encode_path (PAS_SFTP_OPENDIR, id, path), NULL, list_opened_cb, task);
}

gboolean
pas_sftp_session_list_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_list_async, error);
}

