#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-connection-private.h"
#include "pas-error.h"
#include "pas-names.h"
#include "pas-remote-command.h"
#include "pas-sftp-channel-private.h"
#include "pas-sftp-session-private.h"
#include "pas-wire.h"

/* Running a command on the server for its output (Run a Command, the
 * key tools): an exec channel of its own, its output kept or streamed to
 * the caller as it comes. */

static gboolean
sink_free_cb (gpointer user_data)
{
  OutputSink *sink = user_data;

  if (sink->destroy != NULL)
    sink->destroy (sink->data);
  g_main_context_unref (sink->context);
  g_clear_object (&sink->cancellable);
  g_free (sink);
  return G_SOURCE_REMOVE;
}

OutputSink *
pas_sftp_output_sink_ref (OutputSink *sink)
{
  g_atomic_ref_count_inc (&sink->ref);
  return sink;
}

/* The caller's data is let go in the caller's context, after the output. */
void
pas_sftp_output_sink_unref (OutputSink *sink)
{
  if (g_atomic_ref_count_dec (&sink->ref))
    g_main_context_invoke (sink->context, sink_free_cb, sink);
}

typedef struct
{
  OutputSink *sink;
  int         stream;
  GBytes     *bytes;
} Delivery;

static void
delivery_free (Delivery *d)
{
  pas_sftp_output_sink_unref (d->sink);
  g_bytes_unref (d->bytes);
  g_free (d);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Delivery *d = user_data;

  if (d->sink->cancellable == NULL || !g_cancellable_is_cancelled (d->sink->cancellable))
    d->sink->func (d->stream, d->bytes, d->sink->data);
  return G_SOURCE_REMOVE;
}

void
pas_sftp_output_sink_deliver (OutputSink *sink,
                              int         stream,
                              const char *data,
                              gssize      n)
{
  Delivery *d = g_new (Delivery, 1);

  d->sink = pas_sftp_output_sink_ref (sink);
  d->stream = stream;
  d->bytes = g_bytes_new (data, (gsize) n);
  g_main_context_invoke_full (sink->context, G_PRIORITY_DEFAULT, deliver_cb, d, (GDestroyNotify) delivery_free);
}

void
pas_command_result_free (PasCommandResult *result)
{
  g_clear_pointer (&result->out, g_bytes_unref);
  g_clear_pointer (&result->err, g_bytes_unref);
  g_free (result->exit_signal);
  g_free (result);
}

/* In the worker: "Stop" answers at once and closes the channel (sshd then
 * closes the command's pipes). */
static gboolean
stop_command_cb (gpointer data)
{
  PasSftpChannel *c = data;

  if (c->run_task == NULL || c->step == CHANNEL_DEAD || c->step == CHANNEL_CLOSING)
    return G_SOURCE_REMOVE;
  c->stopped = TRUE;
  g_task_return_new_error (c->run_task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The command was stopped"));
  g_clear_object (&c->run_task);
  if (c->step == CHANNEL_READY)
    pas_worker_pump (c->w);
  return G_SOURCE_REMOVE;
}

static void
command_cancelled_cb (GCancellable   *cancellable,
                      PasSftpChannel *c)
{
  g_main_context_invoke_full (pas_worker_get_context (c->w), G_PRIORITY_DEFAULT, stop_command_cb,
                              pas_sftp_channel_ref (c),
                              (GDestroyNotify) pas_sftp_channel_unref);
}

/**
 * pas_connection_run_command_async:
 *
 * Runs @command on the server in a channel of its own (exec) and answers
 * with what it printed on stdout and stderr (1 MiB of each at most) and its
 * exit status, once it has ended. Cancelling stops it.
 */
static void
run_command (PasConnection       *connection,
             const char          *command,
             PasCommandOutputFunc output,
             gpointer             output_data,
             GDestroyNotify       output_destroy,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  PasWorker *w = pas_connection_get_worker (connection);
  GTask *task = g_task_new (connection, cancellable, callback, user_data);
  PasSftpChannel *c;

  g_task_set_source_tag (task, source_tag);
  if (w == NULL)
    {
      if (output_destroy != NULL)
        output_destroy (output_data);
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("Not connected"));
      g_object_unref (task);
      return;
    }
  c = pas_sftp_channel_new (w, command);
  c->exec_only = TRUE;
  c->stdout_data = g_byte_array_new ();
  c->run_task = task;
  if (output != NULL)
    {
      OutputSink *sink = g_new0 (OutputSink, 1);

      g_atomic_ref_count_init (&sink->ref);
      sink->func = output;
      sink->data = output_data;
      sink->destroy = output_destroy;
      sink->context = g_main_context_ref_thread_default ();
      sink->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
      c->sink = sink;
    }
  if (cancellable != NULL)
    {
      c->cancellable = g_object_ref (cancellable);
      /* The channel (and its reference) goes when the command is over:
       * disconnected in channel_clear. */
      c->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (command_cancelled_cb), c, NULL);
    }
  pas_worker_start_channel (w, &c->base);
  pas_sftp_channel_unref (c);
}

void
pas_connection_run_command_async (PasConnection      *connection,
                                  const char         *command,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  run_command (connection, command, NULL, NULL, NULL, pas_connection_run_command_async, cancellable, callback,
               user_data);
}

/**
 * pas_connection_run_command_streaming_async:
 * @output: (nullable): called in the caller's context with each piece of
 *   stdout and stderr as it arrives, in order, before the answer; nothing is
 *   kept then, whatever the size
 * @output_destroy: frees @output_data in the caller's context, after the last
 *   piece
 *
 * Like pas_connection_run_command_async(), streaming. The answer's
 * exit_signal says when the command was killed rather than exiting.
 */
void
pas_connection_run_command_streaming_async (PasConnection       *connection,
                                            const char          *command,
                                            PasCommandOutputFunc output,
                                            gpointer             output_data,
                                            GDestroyNotify       output_destroy,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  run_command (connection, command, output, output_data, output_destroy, pas_connection_run_command_streaming_async,
               cancellable, callback, user_data);
}

PasCommandResult *
pas_connection_run_command_streaming_finish (PasConnection *connection,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_connection_run_command_streaming_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PasCommandResult *
pas_connection_run_command_finish (PasConnection *connection,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_connection_run_command_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
