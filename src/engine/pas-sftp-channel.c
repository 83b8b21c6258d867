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

/* The channel under a PasSftpSession (or a command), on the connection's
 * worker thread: opening it, writing requests, reading and dispatching
 * replies, the stall watchdog, and its end. */

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
  g_clear_pointer (&c->sink, pas_sftp_output_sink_unref);
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

          libssh2_session_last_error (pas_worker_get_ssh_session (c->w), &why, NULL, 0);
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
  g_source_attach (c->watchdog, pas_worker_get_context (c->w));
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
      pas_sftp_output_sink_deliver (c->sink, 2, buffer, n);
    else
      keep_output (err, buffer, n, c);
  if (err->len > 0)
    g_string_append_len (c->stderr_text, (const char *) err->data,
                         (gssize) MIN (err->len, MAX_COMMAND_OUTPUT - MIN (c->stderr_text->len, MAX_COMMAND_OUTPUT)));
  if (n == LIBSSH2_ERROR_EAGAIN && pas_worker_note_pending (c->w, &c->base, PAS_PENDING_READ))
    return TRUE;
  while ((n = libssh2_channel_read (c->channel, buffer, sizeof buffer)) > 0)
    if (c->sink != NULL)
      pas_sftp_output_sink_deliver (c->sink, 1, buffer, n);
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
      libssh2_free (pas_worker_get_ssh_session (c->w), signal_name);
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
  LIBSSH2_SESSION *session = pas_worker_get_ssh_session (c->w);
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
      if (pas_worker_is_write_pending (c->w))
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
      g_autoptr(GError) closed = g_error_new_literal (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                                      _("The SFTP session is closed"));
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

/* From the owner's thread: @packet (consumed) goes out with @id, and @task
 * (consumed) gets its reply. */
void
pas_sftp_channel_submit (PasSftpChannel *c,
                         guint32         id,
                         GBytes         *packet,
                         GTask          *task)
{
  Submit *s = g_new0 (Submit, 1);

  s->channel = pas_sftp_channel_ref (c);
  s->id = id;
  s->packet = packet;
  s->task = task;
  g_main_context_invoke_full (pas_worker_get_context (c->w), G_PRIORITY_DEFAULT, submit_cb, s,
                              (GDestroyNotify) submit_free);
}

/* From the owner's thread, when the session goes: @c (consumed) answers
 * what waits and closes. */
void
pas_sftp_channel_close (PasSftpChannel *c)
{
  g_main_context_invoke_full (pas_worker_get_context (c->w), G_PRIORITY_DEFAULT, close_cb, c,
                              (GDestroyNotify) pas_sftp_channel_unref);
}

/* A channel for an SFTP server, or for a command run for its output. */
PasSftpChannel *
pas_sftp_channel_new (PasWorker  *w,
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

