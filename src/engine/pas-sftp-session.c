#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-connection-private.h"
#include "pas-error.h"
#include "pas-names.h"
#include "pas-sftp-session-private.h"
#include "pas-wire.h"

/* A deep read pipeline needs a wide channel window: the window over the
 * round trip bounds the rate (16 MiB at 40 ms is 400 MiB/s). */
#define CHANNEL_WINDOW (16 * 1024 * 1024)
#define READ_CHUNK (64 * 1024)
#define MAX_STDERR_KEPT 4096
/* What a command may print before the rest is dropped (and counted). */
#define MAX_COMMAND_OUTPUT (1024 * 1024)

typedef enum
{
  CHANNEL_OPENING,
  CHANNEL_STARTING,
  CHANNEL_READY,
  CHANNEL_CLOSING,
  CHANNEL_DEAD,
} ChannelStep;

/* The worker-side half: touched only on the worker thread, except the
 * version and extensions, which are written before the open task returns. */
/* Where a streamed command's output goes: the caller's function, called in
 * the caller's context, in order, and not at all once the run is cancelled
 * (a closed dialog cancels before it goes). */
typedef struct
{
  gatomicrefcount       ref;
  PasCommandOutputFunc  func;
  gpointer              data;
  GDestroyNotify        destroy;
  GMainContext         *context;
  GCancellable         *cancellable;
} OutputSink;

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

static OutputSink *
sink_ref (OutputSink *sink)
{
  g_atomic_ref_count_inc (&sink->ref);
  return sink;
}

/* The caller's data is let go in the caller's context, after the output. */
static void
sink_unref (OutputSink *sink)
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
  sink_unref (d->sink);
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

static void
deliver (OutputSink *sink,
         int         stream,
         const char *data,
         gssize      n)
{
  Delivery *d = g_new (Delivery, 1);

  d->sink = sink_ref (sink);
  d->stream = stream;
  d->bytes = g_bytes_new (data, (gsize) n);
  g_main_context_invoke_full (sink->context, G_PRIORITY_DEFAULT, deliver_cb, d, (GDestroyNotify) delivery_free);
}

struct _PasSftpChannel
{
  PasWorkerChannel base;         /* first: the worker sees this */
  PasWorker       *w;
  LIBSSH2_CHANNEL *channel;
  ChannelStep      step;
  char            *command;
  GByteArray      *in;
  GQueue           out;          /* of GBytes */
  gsize            out_offset;
  GHashTable      *pending;      /* request id -> GTask */
  GTask           *open_task;
  GString         *stderr_text;
  GError          *error;        /* why it died */
  guint32          version;
  GHashTable      *extensions;   /* name -> GBytes */
  /* A DATA packet being received straight into its own buffer. */
  guint8          *data;
  guint32          data_id;
  gsize            data_len;
  gsize            data_have;
  gboolean         window_full;   /* the server's window is closed: wait for input, not for output */
  gint             stall_timeout; /* seconds (atomic: the owner may change it) */
  gint64           last_heard;    /* monotonic µs: the server's last reply, or the oldest request since */
  GSource         *watchdog;
  /* A command run for its output ("Run command"), not an SFTP server. */
  gboolean         exec_only;
  GTask           *run_task;
  GByteArray      *stdout_data;
  gboolean         truncated;
  OutputSink      *sink;         /* streamed output: nothing is kept */
  GCancellable    *cancellable;  /* "Stop": closes the channel */
  gulong           cancel_id;
  gboolean         stopped;
  gboolean         signalled;
};

struct _PasSftpSession
{
  GObject         parent_instance;
  PasConnection  *connection;
  PasSftpChannel *channel;
  GMainContext   *worker_context;
  gint            next_id;
  guint           max_listing;
};

G_DEFINE_FINAL_TYPE (PasSftpSession, pas_sftp_session, G_TYPE_OBJECT)

/* ---- worker side --------------------------------------------------------- */

static void
channel_clear (PasSftpChannel *c)
{
  g_free (c->command);
  g_clear_pointer (&c->in, g_byte_array_unref);
  g_queue_clear_full (&c->out, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&c->pending, g_hash_table_unref);
  g_clear_object (&c->open_task);
  g_clear_object (&c->run_task);
  g_clear_pointer (&c->stdout_data, g_byte_array_unref);
  if (c->cancel_id != 0)
    g_cancellable_disconnect (c->cancellable, c->cancel_id);
  g_clear_object (&c->cancellable);
  g_clear_pointer (&c->sink, sink_unref);
  if (c->stderr_text != NULL)
    g_string_free (c->stderr_text, TRUE);
  g_clear_error (&c->error);
  g_clear_pointer (&c->extensions, g_hash_table_unref);
  g_free (c->data);
  if (c->watchdog != NULL)
    g_source_destroy (c->watchdog);
  g_clear_pointer (&c->watchdog, g_source_unref);
  pas_worker_unref (c->w);
}

PasSftpChannel *
pas_sftp_channel_ref (PasSftpChannel *c)
{
  return g_atomic_rc_box_acquire (c);
}

void
pas_sftp_channel_unref (PasSftpChannel *c)
{
  g_atomic_rc_box_release_full (c, (GDestroyNotify) channel_clear);
}

/* Ends the channel: everything waiting on it gets @error. */
static void
channel_abort (PasWorkerChannel *base,
               const GError     *error)
{
  PasSftpChannel *c = (PasSftpChannel *) base;
  GHashTableIter iter;
  gpointer task;

  if (c->step == CHANNEL_DEAD)
    return;
  c->step = CHANNEL_DEAD;
  c->error = g_error_copy (error);
  if (c->watchdog != NULL)
    g_source_destroy (c->watchdog);
  g_clear_pointer (&c->watchdog, g_source_unref);
  /* libssh2 frees its channels with the session. */
  c->channel = NULL;

  if (c->open_task != NULL)
    {
      g_task_return_error (c->open_task, g_error_copy (error));
      g_clear_object (&c->open_task);
    }
  if (c->run_task != NULL)
    {
      g_task_return_error (c->run_task, g_error_copy (error));
      g_clear_object (&c->run_task);
    }
  g_hash_table_iter_init (&iter, c->pending);
  while (g_hash_table_iter_next (&iter, NULL, &task))
    g_task_return_error (task, g_error_copy (error));
  g_hash_table_remove_all (c->pending);
  g_queue_clear_full (&c->out, (GDestroyNotify) g_bytes_unref);
}

static char *
server_words (PasSftpChannel *c)
{
  return c->stderr_text->len > 0 ? g_utf8_make_valid (c->stderr_text->str, c->stderr_text->len) : NULL;
}

static PasChannelState
channel_fail (PasSftpChannel *c,
              int             code,
              const char     *message)
{
  g_autoptr(GError) error = g_error_new_literal (PAS_ERROR, code, message);

  channel_abort (&c->base, error);
  return PAS_CHANNEL_FINISHED;
}

static void
dispatch (PasSftpChannel *c,
          PasSftpReply   *reply)
{
  GTask *task;

  if (reply->type == PAS_SFTP_VERSION_PACKET)
    {
      if (c->open_task == NULL)
        {
          g_message ("ignoring an unexpected SFTP VERSION message");
          pas_sftp_reply_free (reply);
          return;
        }
      c->version = reply->version;
      for (guint i = 0; i < reply->extensions->len; i++)
        {
          PasSftpExtension *e = g_ptr_array_index (reply->extensions, i);
          g_hash_table_replace (c->extensions, g_strdup (e->name), g_bytes_ref (e->data));
        }
      pas_sftp_reply_free (reply);
      g_task_return_boolean (c->open_task, TRUE);
      g_clear_object (&c->open_task);
      return;
    }

  /* An id we never sent, or one already answered: nobody to give it to. */
  if (!g_hash_table_steal_extended (c->pending, GUINT_TO_POINTER (reply->id), NULL, (gpointer *) &task))
    {
      g_message ("ignoring an SFTP reply to unknown request %u", reply->id);
      pas_sftp_reply_free (reply);
      return;
    }
  g_task_return_pointer (task, reply, (GDestroyNotify) pas_sftp_reply_free);
  g_object_unref (task);
}

/* Decodes the whole packets at the start of c->in; a DATA packet that is not
 * all there yet gets its own buffer, which the next reads fill directly. */
static gboolean
parse_replies (PasSftpChannel *c)
{
  gsize used = 0;

  while (c->in->len - used >= 4)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *packet = c->in->data + used;
      gsize available = c->in->len - used;
      guint32 length, id, data_len;
      PasSftpReply *reply;

      if (!pas_sftp_frame_length (packet, available, &length, &error))
        {
          channel_abort (&c->base, error);
          return FALSE;
        }
      if (available < 4 + (gsize) length)
        {
          if (pas_sftp_data_header (packet, available, &id, &data_len))
            {
              gsize have = available - PAS_SFTP_DATA_HEADER;

              c->data_id = id;
              c->data_len = data_len;
              c->data_have = have;
              c->data = g_malloc (data_len);
              memcpy (c->data, packet + PAS_SFTP_DATA_HEADER, have);
              used += available;
            }
          break;
        }
      reply = pas_sftp_reply_decode (packet + 4, length, &error);
      if (reply == NULL)
        {
          /* Framing can't be trusted after a malformed packet. */
          channel_abort (&c->base, error);
          return FALSE;
        }
      used += 4 + length;
      dispatch (c, reply);
      if (c->step == CHANNEL_DEAD)
        return FALSE;
    }
  g_byte_array_remove_range (c->in, 0, (guint) used);
  return TRUE;
}

/* libssh2's answers that mean the TCP connection itself is gone, not the
 * SFTP server: the cable, the relay, the server machine. */
static gboolean
connection_lost (int rc)
{
  return rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
         rc == LIBSSH2_ERROR_SOCKET_SEND;
}

static gboolean
read_replies (PasSftpChannel *c)
{
  char err[512];
  ssize_t n;

  /* What an exec'd server command says on stderr explains its failures. */
  while ((n = libssh2_channel_read_stderr (c->channel, err, sizeof err)) > 0)
    if (c->stderr_text->len < MAX_STDERR_KEPT)
      g_string_append_len (c->stderr_text, err, MIN ((gsize) n, MAX_STDERR_KEPT - c->stderr_text->len));
  if (n == LIBSSH2_ERROR_EAGAIN && pas_worker_note_pending (c->w, &c->base, PAS_PENDING_READ))
    return TRUE;

  for (;;)
    {
      if (c->data != NULL)
        {
          n = libssh2_channel_read (c->channel, (char *) c->data + c->data_have, c->data_len - c->data_have);
          if (n <= 0)
            break;
          c->last_heard = g_get_monotonic_time ();
          c->data_have += n;
          if (c->data_have == c->data_len)
            {
              GBytes *bytes = g_bytes_new_take (g_steal_pointer (&c->data), c->data_len);

              dispatch (c, pas_sftp_reply_new_data (c->data_id, bytes));
              if (c->step == CHANNEL_DEAD)
                return FALSE;
            }
        }
      else
        {
          guint old = c->in->len;

          g_byte_array_set_size (c->in, old + READ_CHUNK);
          n = libssh2_channel_read (c->channel, (char *) c->in->data + old, READ_CHUNK);
          g_byte_array_set_size (c->in, old + MAX (n, 0));
          if (n <= 0)
            break;
          c->last_heard = g_get_monotonic_time ();
          if (!parse_replies (c))
            return FALSE;
        }
    }

  if (n == LIBSSH2_ERROR_EAGAIN)
    {
      pas_worker_note_pending (c->w, &c->base, PAS_PENDING_READ);
      return TRUE;
    }
  if (n == 0 && !libssh2_channel_eof (c->channel))
    return TRUE;
  if (connection_lost (n))
    {
      channel_fail (c, PAS_ERROR_DISCONNECTED, _("The connection to the server was lost"));
      return FALSE;
    }
  {
    g_autofree char *said = server_words (c);
    g_autofree char *message = NULL;

    if (said != NULL)
      message = g_strdup_printf (_("The SFTP server stopped: %s"), g_strstrip (said));
    else
      message = g_strdup (_("The SFTP server stopped"));
    channel_fail (c, PAS_ERROR_DISCONNECTED, message);
  }
  return FALSE;
}

static gboolean
write_requests (PasSftpChannel *c)
{
  GBytes *head;

  c->window_full = FALSE;
  while ((head = g_queue_peek_head (&c->out)) != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (head, &len);
      ssize_t n = libssh2_channel_write (c->channel, (const char *) data + c->out_offset, len - c->out_offset);

      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          /* Blocked by the window, not the socket: G_IO_OUT would spin. */
          c->window_full = libssh2_channel_window_write (c->channel) == 0;
          pas_worker_note_pending (c->w, &c->base, PAS_PENDING_WRITE);
          return TRUE;
        }
      if (n < 0)
        {
          char *why = NULL;

          libssh2_session_last_error (c->w->session, &why, NULL, 0);
          g_debug ("channel write failed (%zd): %s", n, why);
          channel_fail (c, PAS_ERROR_DISCONNECTED, _("The connection to the server was lost"));
          return FALSE;
        }
      c->out_offset += n;
      if (c->out_offset == len)
        {
          g_bytes_unref (g_queue_pop_head (&c->out));
          c->out_offset = 0;
        }
    }
  return TRUE;
}

/* A server that stops answering (a dropped link without a reset, a frozen
 * disk) would leave requests waiting forever: after stall_timeout seconds
 * without a byte while something waits, the channel gives up. */
static gboolean
watchdog_cb (gpointer data)
{
  PasSftpChannel *c = data;
  gint timeout = g_atomic_int_get (&c->stall_timeout);

  /* Nothing asked, nothing to watch: an idle connection's worker sleeps. */
  if (c->step != CHANNEL_READY || g_hash_table_size (c->pending) == 0)
    {
      g_clear_pointer (&c->watchdog, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (timeout > 0 && g_get_monotonic_time () - c->last_heard > (gint64) timeout * G_USEC_PER_SEC)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "The server did not answer for %d second",
                                                               "The server did not answer for %d seconds", timeout),
                                                  timeout);
      channel_fail (c, PAS_ERROR_TIMED_OUT, message);   /* destroys this source */
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Armed while requests wait for answers. */
static void
arm_watchdog (PasSftpChannel *c)
{
  if (c->watchdog != NULL || c->step != CHANNEL_READY || g_hash_table_size (c->pending) == 0)
    return;
  c->watchdog = g_timeout_source_new_seconds (1);
  /* No reference: the channel destroys it before it goes. */
  g_source_set_callback (c->watchdog, watchdog_cb, c, NULL);
  g_source_attach (c->watchdog, c->w->context);
}

static void
keep_output (GByteArray     *into,
             const char     *data,
             gssize          n,
             PasSftpChannel *c)
{
  gsize room = into->len < MAX_COMMAND_OUTPUT ? MAX_COMMAND_OUTPUT - into->len : 0;

  g_byte_array_append (into, (const guint8 *) data, (guint) MIN ((gsize) n, room));
  if ((gsize) n > room)
    c->truncated = TRUE;
}

/* A command's stdout and stderr, read to the end (then the channel closes
 * and its exit status is taken). FALSE when the channel is gone. */
static gboolean
read_command (PasSftpChannel *c)
{
  char buffer[16 * 1024];
  ssize_t n;
  g_autoptr(GByteArray) err = g_byte_array_new ();

  while ((n = libssh2_channel_read_stderr (c->channel, buffer, sizeof buffer)) > 0)
    if (c->sink != NULL)
      deliver (c->sink, 2, buffer, n);
    else
      keep_output (err, buffer, n, c);
  if (err->len > 0)
    g_string_append_len (c->stderr_text, (const char *) err->data,
                         (gssize) MIN (err->len, MAX_COMMAND_OUTPUT - MIN (c->stderr_text->len, MAX_COMMAND_OUTPUT)));
  if (n == LIBSSH2_ERROR_EAGAIN && pas_worker_note_pending (c->w, &c->base, PAS_PENDING_READ))
    return TRUE;
  while ((n = libssh2_channel_read (c->channel, buffer, sizeof buffer)) > 0)
    if (c->sink != NULL)
      deliver (c->sink, 1, buffer, n);
    else
      keep_output (c->stdout_data, buffer, n, c);
  if (n == LIBSSH2_ERROR_EAGAIN)
    {
      pas_worker_note_pending (c->w, &c->base, PAS_PENDING_READ);
      return TRUE;
    }
  if (n < 0)
    {
      channel_fail (c, PAS_ERROR_DISCONNECTED, _("The connection was lost while the command ran"));
      return FALSE;
    }
  if (libssh2_channel_eof (c->channel))
    c->step = CHANNEL_CLOSING;
  return TRUE;
}

static void
command_finished (PasSftpChannel *c)
{
  PasCommandResult *result = g_new0 (PasCommandResult, 1);
  char *signal_name = NULL;
  size_t signal_len = 0;

  result->exit_status = libssh2_channel_get_exit_status (c->channel);
  if (libssh2_channel_get_exit_signal (c->channel, &signal_name, &signal_len, NULL, NULL, NULL, NULL) == 0 &&
      signal_name != NULL)
    {
      result->exit_signal = g_strndup (signal_name, signal_len);
      libssh2_free (c->w->session, signal_name);
    }
  result->out = g_byte_array_free_to_bytes (g_steal_pointer (&c->stdout_data));
  result->err = g_bytes_new (c->stderr_text->str, c->stderr_text->len);
  result->truncated = c->truncated;
  g_task_return_pointer (c->run_task, result, (GDestroyNotify) pas_command_result_free);
  g_clear_object (&c->run_task);
}

static PasChannelState channel_pump (PasWorkerChannel *base);

static PasChannelState
pas_sftp_channel_pump (PasSftpChannel *c)
{
  return channel_pump (&c->base);
}

static PasChannelState
channel_pump (PasWorkerChannel *base)
{
  PasSftpChannel *c = (PasSftpChannel *) base;
  LIBSSH2_SESSION *session = c->w->session;
  int rc;

  switch (c->step)
    {
    case CHANNEL_OPENING:
      c->channel = libssh2_channel_open_ex (session, "session", 7, CHANNEL_WINDOW,
                                            LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
      if (c->channel == NULL)
        {
          if (libssh2_session_last_errno (session) == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (c->w, &c->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          if (connection_lost (libssh2_session_last_errno (session)))
            return channel_fail (c, PAS_ERROR_DISCONNECTED, _("The connection to the server was lost"));
          return channel_fail (c, PAS_ERROR_FAILED, _("The server refused to open a channel for SFTP"));
        }
      c->step = CHANNEL_STARTING;
      G_GNUC_FALLTHROUGH;

    case CHANNEL_STARTING:
      if (c->exec_only)
        {
          rc = libssh2_channel_process_startup (c->channel, "exec", 4, c->command, (unsigned int) strlen (c->command));
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (c->w, &c->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          if (rc != 0)
            return channel_fail (c, PAS_ERROR_PERMISSION_DENIED, _("The server refused to run the command"));
          c->step = CHANNEL_READY;
          return pas_sftp_channel_pump (c);
        }
      if (c->command != NULL)
        rc = libssh2_channel_process_startup (c->channel, "exec", 4, c->command, (unsigned int) strlen (c->command));
      else
        rc = libssh2_channel_process_startup (c->channel, "subsystem", 9, "sftp", 4);
      if (rc == LIBSSH2_ERROR_EAGAIN)
        {
          pas_worker_note_pending (c->w, &c->base, PAS_PENDING_STEP);
          return PAS_CHANNEL_IDLE;
        }
      if (rc != 0)
        return channel_fail (c, PAS_ERROR_NOT_SUPPORTED,
                             c->command != NULL ? _("The server refused to run the SFTP server command")
                                                : _("The server does not offer SFTP"));
      g_queue_push_tail (&c->out, pas_sftp_encode_init ());
      c->step = CHANNEL_READY;
      arm_watchdog (c);
      G_GNUC_FALLTHROUGH;

    case CHANNEL_READY:
      if (c->exec_only && c->stopped)
        {
#if LIBSSH2_VERSION_NUM >= 0x010b00
          /* Closing the channel only closes the command's pipes: a command
           * that does not write (sleep) runs on. sshd delivers a "signal"
           * request to it (libssh2 1.10 cannot send one). */
          if (!c->signalled)
            {
              rc = libssh2_channel_signal_ex (c->channel, "TERM", 4);
              if (rc == LIBSSH2_ERROR_EAGAIN)
                {
                  pas_worker_note_pending (c->w, &c->base, PAS_PENDING_STEP);
                  return PAS_CHANNEL_IDLE;
                }
              c->signalled = TRUE;
            }
#endif
          c->step = CHANNEL_CLOSING;
          return pas_sftp_channel_pump (c);
        }
      if (c->exec_only)
        {
          if (!read_command (c))
            return PAS_CHANNEL_FINISHED;
          return c->step == CHANNEL_CLOSING ? pas_sftp_channel_pump (c) : PAS_CHANNEL_IDLE;
        }
      if (!write_requests (c))
        return PAS_CHANNEL_FINISHED;
      if (c->w->pending != PAS_PENDING_NONE)
        return PAS_CHANNEL_WRITING;
      if (!read_replies (c))
        return PAS_CHANNEL_FINISHED;
      return g_queue_is_empty (&c->out) || c->window_full ? PAS_CHANNEL_IDLE : PAS_CHANNEL_WRITING;

    case CHANNEL_CLOSING:
      if (c->channel != NULL)
        {
          rc = libssh2_channel_close (c->channel);
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (c->w, &c->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          /* The exit status arrives before the close: read it now. */
          if (c->run_task != NULL)
            command_finished (c);
          rc = libssh2_channel_free (c->channel);
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (c->w, &c->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          c->channel = NULL;
        }
      return PAS_CHANNEL_FINISHED;

    case CHANNEL_DEAD:
    default:
      return PAS_CHANNEL_FINISHED;
    }
}

static gboolean
channel_has_work (PasWorkerChannel *base)
{
  PasSftpChannel *c = (PasSftpChannel *) base;

  if (c->step != CHANNEL_READY || c->channel == NULL)
    return FALSE;
  if (libssh2_poll_channel_read (c->channel, 0) > 0 ||
      (c->exec_only && libssh2_poll_channel_read (c->channel, 1) > 0))
    return TRUE;
  return c->window_full && !g_queue_is_empty (&c->out) && libssh2_channel_window_write (c->channel) > 0;
}

static PasChannelState
channel_retry (PasWorkerChannel *base,
               PasPendingKind    kind)
{
  PasSftpChannel *c = (PasSftpChannel *) base;

  if (c->step == CHANNEL_DEAD)
    return PAS_CHANNEL_FINISHED;
  if (kind == PAS_PENDING_WRITE && c->step == CHANNEL_READY)
    return write_requests (c) ? PAS_CHANNEL_WRITING : PAS_CHANNEL_FINISHED;
  if (kind == PAS_PENDING_READ && c->step == CHANNEL_READY && c->exec_only)
    return pas_sftp_channel_pump (c);
  if (kind == PAS_PENDING_READ && c->step == CHANNEL_READY)
    return read_replies (c) ? PAS_CHANNEL_IDLE : PAS_CHANNEL_FINISHED;
  return pas_sftp_channel_pump (c);
}

static PasWorkerChannel *
channel_ref (PasWorkerChannel *base)
{
  return &pas_sftp_channel_ref ((PasSftpChannel *) base)->base;
}

static void
channel_unref (PasWorkerChannel *base)
{
  pas_sftp_channel_unref ((PasSftpChannel *) base);
}

static const PasWorkerChannelClass sftp_channel_class = {
  channel_pump, channel_retry, channel_has_work, channel_abort, channel_ref, channel_unref,
};

typedef struct
{
  PasSftpChannel *channel;
  guint32         id;
  GBytes         *packet;
  GTask          *task;
} Submit;

static void
submit_free (Submit *s)
{
  pas_sftp_channel_unref (s->channel);
  g_clear_pointer (&s->packet, g_bytes_unref);
  g_clear_object (&s->task);
  g_free (s);
}

static gboolean
submit_cb (gpointer data)
{
  Submit *s = data;
  PasSftpChannel *c = s->channel;

  if (c->step == CHANNEL_DEAD || c->step == CHANNEL_CLOSING)
    {
      g_task_return_error (s->task, c->error != NULL ? g_error_copy (c->error)
                                                     : g_error_new_literal (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                                                            _("The SFTP session is closed")));
      return G_SOURCE_REMOVE;
    }
  /* The clock starts with the first request waiting for an answer. */
  if (g_hash_table_size (c->pending) == 0)
    c->last_heard = g_get_monotonic_time ();
  g_hash_table_insert (c->pending, GUINT_TO_POINTER (s->id), g_steal_pointer (&s->task));
  arm_watchdog (c);
  g_queue_push_tail (&c->out, g_steal_pointer (&s->packet));
  pas_worker_pump (c->w);
  return G_SOURCE_REMOVE;
}

static gboolean
close_cb (gpointer data)
{
  PasSftpChannel *c = data;

  if (c->step == CHANNEL_DEAD)
    return G_SOURCE_REMOVE;
  if (c->step == CHANNEL_READY || c->step == CHANNEL_STARTING)
    {
      g_autoptr(GError) closed = g_error_new_literal (PAS_ERROR, PAS_ERROR_DISCONNECTED, _("The SFTP session is closed"));
      GHashTableIter iter;
      gpointer task;

      g_hash_table_iter_init (&iter, c->pending);
      while (g_hash_table_iter_next (&iter, NULL, &task))
        g_task_return_error (task, g_error_copy (closed));
      g_hash_table_remove_all (c->pending);
      c->step = CHANNEL_CLOSING;
    }
  else
    c->step = CHANNEL_DEAD;
  pas_worker_pump (c->w);
  return G_SOURCE_REMOVE;
}

/* ---- owner side ---------------------------------------------------------- */

static void
pas_sftp_session_dispose (GObject *object)
{
  PasSftpSession *self = PAS_SFTP_SESSION (object);

  if (self->channel != NULL)
    g_main_context_invoke_full (self->worker_context, G_PRIORITY_DEFAULT, close_cb,
                                g_steal_pointer (&self->channel), (GDestroyNotify) pas_sftp_channel_unref);
  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (pas_sftp_session_parent_class)->dispose (object);
}

static void
pas_sftp_session_class_init (PasSftpSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pas_sftp_session_dispose;
}

static void
pas_sftp_session_init (PasSftpSession *self)
{
  self->next_id = 1;
  self->max_listing = PAS_SFTP_DEFAULT_MAX_LISTING;
}

/* A channel for an SFTP server, or for a command run for its output. */
static PasSftpChannel *
channel_new (PasWorker  *w,
             const char *command)
{
  PasSftpChannel *c = g_atomic_rc_box_new0 (PasSftpChannel);

  c->base.klass = &sftp_channel_class;
  c->w = pas_worker_ref (w);
  c->command = g_strdup (command);
  c->in = g_byte_array_new ();
  g_queue_init (&c->out);
  c->pending = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  c->stderr_text = g_string_new (NULL);
  c->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  return c;
}

/**
 * pas_sftp_session_open_async:
 * @server_command: (nullable): run this instead of the "sftp" subsystem, e.g.
 *   "sudo -n /usr/lib/openssh/sftp-server"
 */
void
pas_sftp_session_open_async (PasConnection       *connection,
                             const char          *server_command,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PasWorker *w = pas_connection_get_worker (connection);
  g_autoptr(PasSftpSession) self = g_object_new (PAS_TYPE_SFTP_SESSION, NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PasSftpChannel *c;

  g_task_set_source_tag (task, pas_sftp_session_open_async);
  if (w == NULL)
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("Not connected"));
      g_object_unref (task);
      return;
    }

  c = channel_new (w, server_command);
  c->stall_timeout = 60;
  c->open_task = task;

  self->connection = g_object_ref (connection);
  self->worker_context = g_main_context_ref (w->context);
  self->channel = c;
  pas_worker_start_channel (w, &c->base);
}

PasSftpSession *
pas_sftp_session_open_finish (GAsyncResult  *result,
                              GError       **error)
{
  GObject *self = g_task_get_source_object (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_object_ref (PAS_SFTP_SESSION (self));
}

void
pas_sftp_session_set_stall_timeout (PasSftpSession *self,
                                    guint           seconds)
{
  if (self->channel != NULL)
    g_atomic_int_set (&self->channel->stall_timeout, (gint) MIN (seconds, G_MAXINT));
}

void
pas_sftp_session_set_max_listing (PasSftpSession *self,
                                  guint           entries)
{
  self->max_listing = entries;
}

guint32
pas_sftp_session_get_version (PasSftpSession *self)
{
  return self->channel != NULL ? self->channel->version : 0;
}

gboolean
pas_sftp_session_has_extension (PasSftpSession *self,
                                const char     *name)
{
  return self->channel != NULL && g_hash_table_contains (self->channel->extensions, name);
}

guint32
pas_sftp_next_id (PasSftpSession *self)
{
  return (guint32) g_atomic_int_add (&self->next_id, 1);
}

/* Sends @packet (built with @id); @callback gets the raw reply. */
void
pas_sftp_send_request (PasSftpSession      *self,
              guint32              id,
              GBytes              *packet,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  Submit *s = g_new0 (Submit, 1);

  s->channel = pas_sftp_channel_ref (self->channel);
  s->id = id;
  s->packet = packet;
  s->task = g_task_new (self, cancellable, callback, user_data);
  g_main_context_invoke_full (self->worker_context, G_PRIORITY_DEFAULT, submit_cb, s, (GDestroyNotify) submit_free);
}

PasSftpReply *
pas_sftp_reply_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Turns a STATUS (or an unexpected reply) into TRUE for OK, or an error. */
gboolean
pas_sftp_check_status (PasSftpReply  *reply,
              const char    *path,
              GError       **error)
{
  g_autofree char *shown = pas_name_escape_for_display (path, -1);

  if (reply->type != PAS_SFTP_STATUS)
    {
      pas_sftp_refuse_reply (reply, path, error);
      return FALSE;
    }
  switch (reply->status)
    {
    case PAS_SFTP_OK:
      return TRUE;
    case PAS_SFTP_NO_SUCH_FILE:
      g_set_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND, _("“%s” does not exist on the server"), shown);
      return FALSE;
    case PAS_SFTP_PERMISSION_DENIED:
      g_set_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED,
                   _("The server does not allow this on “%s”"), shown);
      return FALSE;
    case PAS_SFTP_OP_UNSUPPORTED:
      g_set_error (error, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED, _("The server does not support this operation"));
      return FALSE;
    case PAS_SFTP_NO_CONNECTION:
    case PAS_SFTP_CONNECTION_LOST:
      g_set_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("The server lost its connection"));
      return FALSE;
    default:
      {
        g_autofree char *message = reply->message != NULL ? g_utf8_make_valid (reply->message, -1) : NULL;
        g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("The server could not do this on “%s”: %s"), shown,
                     message != NULL && *message ? message : _("it gave no reason"));
      }
      return FALSE;
    }
}

/* For a reply that is not the answer asked for: the server's refusal when it
 * is one, a protocol error otherwise (a STATUS OK where data was due too). */
void
pas_sftp_refuse_reply (PasSftpReply  *reply,
              const char    *path,
              GError       **error)
{
  if (reply->type == PAS_SFTP_STATUS && reply->status != PAS_SFTP_OK)
    pas_sftp_check_status (reply, path, error);
  else
    g_set_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL,
                 _("The server sent an unexpected answer (type %u)"), reply->type);
}

/* For requests answered by a plain STATUS; the task data is the path. */
void
pas_sftp_status_reply_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply == NULL || !pas_sftp_check_status (reply, g_task_get_task_data (task), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

GTask *
pas_sftp_outer_task (PasSftpSession      *self,
            const char          *path,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (path), g_free);
  return task;
}

/* A request whose only argument is @path; @reply_cb interprets the answer. */
static void
send_path_request (PasSftpSession      *self,
                   PasSftpPacketType    type,
                   const char          *path,
                   GAsyncReadyCallback  reply_cb,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  guint32 id = pas_sftp_next_id (self);

  pas_sftp_send_request (self, id, pas_sftp_encode_path (type, id, path), cancellable, reply_cb,
                pas_sftp_outer_task (self, path, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_finish (PasSftpSession  *self,
                         GAsyncResult    *result,
                         GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
realpath_reply_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply != NULL && reply->type == PAS_SFTP_NAME && reply->names->len == 1)
    {
      PasSftpName *name = g_ptr_array_index (reply->names, 0);
      g_task_return_pointer (task, g_strdup (name->filename), g_free);
      return;
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pas_sftp_session_realpath_async (PasSftpSession      *self,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  send_path_request (self, PAS_SFTP_REALPATH, path, realpath_reply_cb, cancellable, callback, user_data);
}

char *
pas_sftp_session_realpath_finish (PasSftpSession  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pas_sftp_attrs_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply != NULL && reply->type == PAS_SFTP_ATTRS)
    {
      g_task_return_pointer (task, g_memdup2 (&reply->attrs, sizeof reply->attrs), g_free);
      return;
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pas_sftp_session_stat_async (PasSftpSession      *self,
                             const char          *path,
                             gboolean             follow_links,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  send_path_request (self, follow_links ? PAS_SFTP_STAT : PAS_SFTP_LSTAT, path, pas_sftp_attrs_reply_cb,
                     cancellable, callback, user_data);
}

gboolean
pas_sftp_session_stat_finish (PasSftpSession  *self,
                              GAsyncResult    *result,
                              PasSftpAttrs    *attrs,
                              GError         **error)
{
  g_autofree PasSftpAttrs *got = g_task_propagate_pointer (G_TASK (result), error);

  if (got == NULL)
    return FALSE;
  *attrs = *got;
  return TRUE;
}

void
pas_sftp_session_mkdir_async (PasSftpSession      *self,
                              const char          *path,
                              guint32              mode,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = mode & 0777 };
  guint32 id = pas_sftp_next_id (self);

  pas_sftp_send_request (self, id, pas_sftp_encode_mkdir (id, path, &attrs), cancellable, pas_sftp_status_reply_cb,
                pas_sftp_outer_task (self, path, cancellable, callback, user_data));
}

void
pas_sftp_session_rmdir_async (PasSftpSession      *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  send_path_request (self, PAS_SFTP_RMDIR, path, pas_sftp_status_reply_cb, cancellable, callback, user_data);
}

void
pas_sftp_session_remove_async (PasSftpSession      *self,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  send_path_request (self, PAS_SFTP_REMOVE, path, pas_sftp_status_reply_cb, cancellable, callback, user_data);
}

/* SFTP v3 answers a rename onto an existing name with a bare "Failure":
 * a look at the target says what it was. */
typedef struct
{
  GTask  *task;
  char   *to;
  GError *error;
} Rename;

static void
rename_free (Rename *r)
{
  g_clear_object (&r->task);
  g_free (r->to);
  g_clear_error (&r->error);
  g_free (r);
}

static void
rename_target_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Rename *r = data;
  PasSftpAttrs attrs;

  if (pas_sftp_session_stat_finish (PAS_SFTP_SESSION (source), result, &attrs, NULL))
    {
      g_autofree char *base = g_path_get_basename (r->to);
      g_autofree char *shown = pas_name_escape_for_display (base, -1);

      g_task_return_new_error (r->task, PAS_ERROR, PAS_ERROR_EXISTS, _("“%s” already exists"), shown);
    }
  else
    g_task_return_error (r->task, g_steal_pointer (&r->error));
  rename_free (r);
}

static void
rename_reply_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Rename *r = data;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &r->error);

  if (reply != NULL && pas_sftp_check_status (reply, g_task_get_task_data (r->task), &r->error))
    {
      g_task_return_boolean (r->task, TRUE);
      rename_free (r);
    }
  else if (g_error_matches (r->error, PAS_ERROR, PAS_ERROR_FAILED))
    pas_sftp_session_stat_async (PAS_SFTP_SESSION (g_task_get_source_object (r->task)), r->to, FALSE, NULL,
                                 rename_target_cb, r);
  else
    {
      g_task_return_error (r->task, g_steal_pointer (&r->error));
      rename_free (r);
    }
}

void
pas_sftp_session_rename_async (PasSftpSession      *self,
                               const char          *from,
                               const char          *to,
                               gboolean             overwrite,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  guint32 id = pas_sftp_next_id (self);
  GBytes *packet;

  if (overwrite && pas_sftp_session_has_extension (self, "posix-rename@openssh.com"))
    {
      g_autoptr(GByteArray) args = g_byte_array_new ();

      pas_wire_put_cstring (args, from);
      pas_wire_put_cstring (args, to);
      packet = pas_sftp_encode_extended (id, "posix-rename@openssh.com", args->data, args->len);
    }
  else
    /* SFTP v3 RENAME never replaces an existing file (OpenSSH's sftp-server). */
    packet = pas_sftp_encode_rename (id, from, to);

  {
    Rename *r = g_new0 (Rename, 1);

    r->task = pas_sftp_outer_task (self, from, cancellable, callback, user_data);
    r->to = g_strdup (to);
    pas_sftp_send_request (self, id, packet, cancellable, rename_reply_cb, r);
  }
}

void
pas_sftp_session_readlink_async (PasSftpSession      *self,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  send_path_request (self, PAS_SFTP_READLINK, path, realpath_reply_cb, cancellable, callback, user_data);
}

static gboolean
need_extension (PasSftpSession *self,
                const char     *name,
                GTask          *task)
{
  if (pas_sftp_session_has_extension (self, name))
    return TRUE;
  g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED,
                           _("The server does not support this operation"));
  g_object_unref (task);
  return FALSE;
}

/* An OpenSSH extension whose arguments are strings. */
void
pas_sftp_send_extended (PasSftpSession      *self,
               const char          *name,
               const char * const  *strings,
               GAsyncReadyCallback  reply_cb,
               GTask               *task)
{
  g_autoptr(GByteArray) args = g_byte_array_new ();
  guint32 id = pas_sftp_next_id (self);

  if (!need_extension (self, name, task))
    return;
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    pas_wire_put_cstring (args, strings[i]);
  pas_sftp_send_request (self, id, pas_sftp_encode_extended (id, name, args->data, args->len),
                g_task_get_cancellable (task), reply_cb, task);
}

void
pas_sftp_session_expand_path_async (PasSftpSession      *self,
                                    const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  const char *args[] = { path, NULL };

  pas_sftp_send_extended (self, "expand-path@openssh.com", args, realpath_reply_cb,
                 pas_sftp_outer_task (self, path, cancellable, callback, user_data));
}

/* An explicit chmod may set setuid/setgid/sticky (07777), never a file type
 * or a size. (Modes a server gives us are masked to 0777 where we apply them
 * locally, in the transfer code.) */
PasSftpAttrs
pas_sftp_attrs_for_setstat (const PasSftpAttrs *attrs)
{
  PasSftpAttrs safe = *attrs;

  safe.flags &= PAS_SFTP_ATTR_UIDGID | PAS_SFTP_ATTR_PERMISSIONS | PAS_SFTP_ATTR_ACMODTIME;
  safe.permissions &= 07777;
  return safe;
}

void
pas_sftp_session_setstat_async (PasSftpSession      *self,
                                const char          *path,
                                const PasSftpAttrs  *attrs,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PasSftpAttrs safe = pas_sftp_attrs_for_setstat (attrs);
  guint32 id = pas_sftp_next_id (self);

  pas_sftp_send_request (self, id, pas_sftp_encode_setstat (id, path, &safe), cancellable, pas_sftp_status_reply_cb,
                pas_sftp_outer_task (self, path, cancellable, callback, user_data));
}

void
pas_sftp_session_symlink_async (PasSftpSession      *self,
                                const char          *link_path,
                                const char          *target,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  guint32 id = pas_sftp_next_id (self);

  pas_sftp_send_request (self, id, pas_sftp_encode_symlink (id, link_path, target), cancellable, pas_sftp_status_reply_cb,
                pas_sftp_outer_task (self, link_path, cancellable, callback, user_data));
}

void
pas_sftp_session_hardlink_async (PasSftpSession      *self,
                                 const char          *existing,
                                 const char          *new_path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  const char *args[] = { existing, new_path, NULL };

  pas_sftp_send_extended (self, "hardlink@openssh.com", args, pas_sftp_status_reply_cb,
                 pas_sftp_outer_task (self, new_path, cancellable, callback, user_data));
}

/* EXTENDED_REPLY bodies made of u64 fields (statvfs: 11, limits: 4). */
static void
u64_reply_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);
  guint count = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "u64-count"));

  if (reply != NULL && reply->type == PAS_SFTP_EXTENDED_REPLY)
    {
      PasWireReader r;
      guint64 *values = g_new0 (guint64, count);

      pas_wire_reader_init (&r, g_bytes_get_data (reply->bytes, NULL), g_bytes_get_size (reply->bytes));
      for (guint i = 0; i < count; i++)
        pas_wire_read_u64 (&r, &values[i]);
      if (pas_wire_reader_at_end (&r))
        {
          g_task_return_pointer (task, values, g_free);
          return;
        }
      g_free (values);
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

static GTask *
u64_task (PasSftpSession      *self,
          const char          *path,
          guint                count,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = pas_sftp_outer_task (self, path, cancellable, callback, user_data);

  g_object_set_data (G_OBJECT (task), "u64-count", GUINT_TO_POINTER (count));
  return task;
}

void
pas_sftp_session_statvfs_async (PasSftpSession      *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  const char *args[] = { path, NULL };

  pas_sftp_send_extended (self, "statvfs@openssh.com", args, u64_reply_cb,
                 u64_task (self, path, 11, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_statvfs_finish (PasSftpSession  *self,
                                 GAsyncResult    *result,
                                 PasSftpStatvfs  *statvfs,
                                 GError         **error)
{
  g_autofree guint64 *v = g_task_propagate_pointer (G_TASK (result), error);

  if (v == NULL)
    return FALSE;
  *statvfs = (PasSftpStatvfs) { v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10] };
  return TRUE;
}

void
pas_sftp_session_limits_async (PasSftpSession      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  pas_sftp_send_extended (self, "limits@openssh.com", NULL, u64_reply_cb,
                 u64_task (self, "", 4, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_limits_finish (PasSftpSession  *self,
                                GAsyncResult    *result,
                                PasSftpLimits   *limits,
                                GError         **error)
{
  g_autofree guint64 *v = g_task_propagate_pointer (G_TASK (result), error);

  if (v == NULL)
    return FALSE;
  *limits = (PasSftpLimits) { v[0], v[1], v[2], v[3] };
  return TRUE;
}

/* ---- listing: OPENDIR, READDIRs until EOF, CLOSE ------------------------- */

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

      for (guint i = 0; i < reply->names->len; i++)
        {
          PasSftpName *name = g_ptr_array_index (reply->names, i);
          if (strcmp (name->filename, ".") != 0 && strcmp (name->filename, "..") != 0)
            g_ptr_array_add (names, name);
        }
      /* A server can answer READDIR forever; memory would follow. */
      job->n_names += reply->names->len;
      if (job->self->max_listing > 0 && job->n_names > job->self->max_listing)
        {
          g_set_error (&job->error, PAS_ERROR, PAS_ERROR_PROTOCOL,
                       _("The server listed more than %u entries in “%s”; the listing was stopped there"),
                       job->self->max_listing, job->path);
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
pas_sftp_session_list_async (PasSftpSession      *self,
                             const char          *path,
                             PasSftpListFunc      batch,
                             gpointer             batch_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListJob *job = g_new0 (ListJob, 1);
  guint32 id = pas_sftp_next_id (self);

  job->self = self;
  job->path = g_strdup (path);
  job->batch = batch;
  job->batch_data = batch_data;
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  pas_sftp_send_request (self, id, pas_sftp_encode_path (PAS_SFTP_OPENDIR, id, path), NULL, list_opened_cb, task);
}

/* ---- running a command ----------------------------------------------------- */

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
  g_main_context_invoke_full (c->w->context, G_PRIORITY_DEFAULT, stop_command_cb, pas_sftp_channel_ref (c),
                              (GDestroyNotify) pas_sftp_channel_unref);
}

/**
 * pas_connection_run_command_async:
 *
 * Runs @command on the server in a channel of its own (exec) and answers
 * with what it printed on stdout and stderr (1 MiB of each at most) and its
 * exit status, once it has ended. Cancelling stops it.
 */
void
pas_connection_run_command_async (PasConnection       *connection,
                                  const char          *command,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  pas_connection_run_command_streaming_async (connection, command, NULL, NULL, NULL, cancellable, callback,
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
pas_connection_run_command_streaming_async (PasConnection        *connection,
                                            const char           *command,
                                            PasCommandOutputFunc  output,
                                            gpointer              output_data,
                                            GDestroyNotify        output_destroy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  PasWorker *w = pas_connection_get_worker (connection);
  GTask *task = g_task_new (connection, cancellable, callback, user_data);
  PasSftpChannel *c;

  g_task_set_source_tag (task, pas_connection_run_command_async);
  if (w == NULL)
    {
      if (output_destroy != NULL)
        output_destroy (output_data);
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("Not connected"));
      g_object_unref (task);
      return;
    }
  c = channel_new (w, command);
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

PasCommandResult *
pas_connection_run_command_finish (PasConnection  *connection,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
