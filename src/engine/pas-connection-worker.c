#define G_LOG_DOMAIN "pas-connection"

#include "config.h"

#include <string.h>
#include <sys/ioctl.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "pas-connection-private.h"
#include "pas-error.h"
#include "pas-host-key.h"
#include "pas-secret.h"

/* ---- worker lifetime ---------------------------------------------------- */

static void
worker_clear (PasWorker *w)
{
  pas_connection_settings_clear (&w->settings);
  g_mutex_clear (&w->lock);
  g_clear_object (&w->interaction);
  g_clear_pointer (&w->caller_context, g_main_context_unref);
  g_clear_pointer (&w->loop, g_main_loop_unref);
  g_clear_pointer (&w->context, g_main_context_unref);
  g_clear_object (&w->cancel);
  g_clear_object (&w->caller_cancellable);
  g_clear_object (&w->socket);
  g_clear_pointer (&w->first_bytes, g_byte_array_unref);
  g_free (w->disconnect_message);
  g_clear_error (&w->kbdint_error);
  g_clear_pointer (&w->known_hosts, pas_known_hosts_free);
  g_clear_pointer (&w->offered_keys, g_ptr_array_unref);
  g_clear_pointer (&w->pending_channel, pas_worker_channel_unref);
  g_clear_pointer (&w->channels, g_ptr_array_unref);
  g_clear_pointer (&w->host_key, pas_host_key_free);
  g_clear_pointer (&w->host_key_change, pas_host_key_change_free);
  g_free (w->auth_method);
  g_free (w->refused_key);
  pas_algorithms_clear (&w->algorithms);
  g_clear_pointer (&w->via, pas_worker_unref);
}

void
pas_connection_settings_copy (PasConnectionSettings       *dest,
                              const PasConnectionSettings *src)
{
  *dest = *src;
  dest->host = g_strdup (src->host);
  dest->user = g_strdup (src->user);
  dest->user_known_hosts = g_strdup (src->user_known_hosts);
  dest->read_only_known_hosts = g_strdupv (src->read_only_known_hosts);
  dest->identity_files = g_strdupv (src->identity_files);
  dest->agent_socket = g_strdup (src->agent_socket);
  dest->ciphers = g_strdup (src->ciphers);
  dest->macs = g_strdup (src->macs);
  dest->proxy_command = g_strdup (src->proxy_command);
}

void
pas_connection_settings_clear (PasConnectionSettings *settings)
{
  g_clear_pointer (&settings->host, g_free);
  g_clear_pointer (&settings->user, g_free);
  g_clear_pointer (&settings->user_known_hosts, g_free);
  g_clear_pointer (&settings->read_only_known_hosts, g_strfreev);
  g_clear_pointer (&settings->identity_files, g_strfreev);
  g_clear_pointer (&settings->agent_socket, g_free);
  g_clear_pointer (&settings->ciphers, g_free);
  g_clear_pointer (&settings->macs, g_free);
  g_clear_pointer (&settings->proxy_command, g_free);
}

PasWorker *
pas_worker_ref (PasWorker *w)
{
  return g_atomic_rc_box_acquire (w);
}

void
pas_worker_unref (PasWorker *w)
{
  g_atomic_rc_box_release_full (w, (GDestroyNotify) worker_clear);
}

/* ---- waiting on the worker's main context -------------------------------- */



static gboolean
fd_ready_cb (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  ((PasWorkerFlag *) data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs in whichever thread cancels: only wakes the worker's loop. */
static void
wake_cb (GCancellable *cancellable,
         gpointer      data)
{
  g_main_context_wakeup (data);
}

static gboolean
timed_out_cb (gpointer data)
{
  PasWorker *w = data;

  w->timed_out = TRUE;
  g_cancellable_cancel (w->cancel);
  return G_SOURCE_REMOVE;
}

void
pas_worker_start_deadline (PasWorker *w)
{
  w->deadline = g_get_monotonic_time () + (gint64) w->settings.timeout_s * G_USEC_PER_SEC;
}

GSource *
pas_worker_attach (PasWorker *w, GSource *source)
{
  g_source_attach (source, w->context);
  return source;
}

static void
drop (GSource *source)
{
  if (source != NULL)
    {
      g_source_destroy (source);
      g_source_unref (source);
    }
}

/* Runs the worker's context until @flag is set, the connection is cancelled,
 * or (when @use_deadline) the current deadline passes, which cancels it.
 * A cancel does not set @flag: that stays the sign that what was waited for
 * happened (a callback writing into the caller's stack, say).
 *
 * Not a GCancellableSource: cancelled from the caller's thread while the
 * worker disposed of it, GLib 2.74 leaked it now and then (LeakSanitizer,
 * test-connection under load). */
void
pas_worker_run_until (PasWorker     *w,
                      PasWorkerFlag *flag,
                      gboolean       use_deadline)
{
  gulong handler = g_cancellable_connect (w->cancel, G_CALLBACK (wake_cb), w->context, NULL);
  GSource *timer = NULL;

  if (use_deadline)
    {
      gint64 left_ms = MAX (0, (w->deadline - g_get_monotonic_time ()) / 1000);

      timer = g_timeout_source_new ((guint) MIN (left_ms, G_MAXUINT));
      g_source_set_callback (timer, timed_out_cb, w, NULL);
      pas_worker_attach (w, timer);
    }

  while (!flag->done && !g_cancellable_is_cancelled (w->cancel))
    g_main_context_iteration (w->context, TRUE);

  drop (timer);
  g_cancellable_disconnect (w->cancel, handler);
}

gboolean
pas_worker_set_stopped_error (PasWorker  *w,
                              GError    **error,
                              const char *timeout_message)
{
  if (w->timed_out)
    g_set_error_literal (error, PAS_ERROR, PAS_ERROR_TIMED_OUT, timeout_message);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The connection was cancelled"));
  return FALSE;
}

/* Waits for the socket in the directions libssh2 is blocked on. */
gboolean
pas_worker_wait_session (PasWorker  *w,
                         const char *timeout_message,
                         GError    **error)
{
  int directions = libssh2_session_block_directions (w->session);
  GIOCondition condition = G_IO_ERR | G_IO_HUP;
  PasWorkerFlag flag = { FALSE };
  GSource *source;

  if (directions & LIBSSH2_SESSION_BLOCK_INBOUND)
    condition |= G_IO_IN;
  if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND)
    condition |= G_IO_OUT;
  if (!(condition & (G_IO_IN | G_IO_OUT)))
    condition |= G_IO_IN;

  source = g_unix_fd_source_new (w->fd, condition);
  g_source_set_callback (source, G_SOURCE_FUNC (fd_ready_cb), &flag, NULL);
  pas_worker_attach (w, source);
  pas_worker_run_until (w, &flag, TRUE);
  drop (source);

  if (g_cancellable_is_cancelled (w->cancel))
    return pas_worker_set_stopped_error (w, error, timeout_message);
  return TRUE;
}

/* ---- asking the caller's interaction ------------------------------------- */



static void
ask_clear (PasWorkerAsk *ask)
{
  g_free (ask->fingerprint);
  g_free (ask->randomart);
  g_strfreev (ask->known_types);
  g_free (ask->message);
  g_strfreev (ask->prompt_texts);
  g_free (ask->echo);
  g_free (ask->name);
  g_free (ask->instruction);
  pas_secret_free (ask->secret);
  if (ask->answers != NULL)
    {
      for (guint i = 0; ask->answers[i] != NULL; i++)
        pas_secret_wipe (ask->answers[i], strlen (ask->answers[i]));
      g_strfreev (ask->answers);
    }
  g_clear_error (&ask->error);
  pas_worker_unref (ask->w);
}

void
pas_worker_ask_unref (gpointer ask)
{
  g_atomic_rc_box_release_full (ask, (GDestroyNotify) ask_clear);
}

static gboolean
ask_mark_done_cb (gpointer data)
{
  PasWorkerAsk *ask = data;

  ask->flag.done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
ask_finished_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  PasWorkerAsk *ask = data;
  PasInteraction *interaction = PAS_INTERACTION (source);

  switch (ask->kind)
    {
    case PAS_WORKER_ASK_HOST_KEY:
      ask->decision = pas_interaction_ask_host_key_finish (interaction, result, &ask->error);
      break;
    case PAS_WORKER_ASK_PASSWORD:
      ask->secret = pas_interaction_ask_password_finish (interaction, result, &ask->error);
      break;
    case PAS_WORKER_ASK_PASSPHRASE:
      ask->secret = pas_interaction_ask_passphrase_finish (interaction, result, &ask->error);
      break;
    case PAS_WORKER_ASK_PROMPTS:
      ask->answers = pas_interaction_ask_prompts_finish (interaction, result, &ask->error);
      break;
    default:
      g_assert_not_reached ();
    }

  /* The flag belongs to the worker thread: set it there. */
  g_main_context_invoke_full (ask->w->context, G_PRIORITY_DEFAULT, ask_mark_done_cb, ask, pas_worker_ask_unref);
}

static gboolean
ask_start_cb (gpointer data)
{
  PasWorkerAsk *ask = g_atomic_rc_box_acquire (data);
  PasInteraction *interaction = ask->w->interaction;

  switch (ask->kind)
    {
    case PAS_WORKER_ASK_HOST_KEY:
      pas_interaction_ask_host_key_async (interaction, &ask->host_key, ask->w->cancel, ask_finished_cb, ask);
      break;
    case PAS_WORKER_ASK_PASSWORD:
      pas_interaction_ask_password_async (interaction, &ask->password, ask->w->cancel, ask_finished_cb, ask);
      break;
    case PAS_WORKER_ASK_PASSPHRASE:
      pas_interaction_ask_passphrase_async (interaction, &ask->passphrase, ask->w->cancel, ask_finished_cb, ask);
      break;
    case PAS_WORKER_ASK_PROMPTS:
      pas_interaction_ask_prompts_async (interaction, &ask->prompts, ask->w->cancel, ask_finished_cb, ask);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

PasWorkerAsk *
pas_worker_ask_new (PasWorker       *w,
                    PasWorkerAskKind kind)
{
  PasWorkerAsk *ask = g_atomic_rc_box_new0 (PasWorkerAsk);

  ask->w = pas_worker_ref (w);
  ask->kind = kind;
  return ask;
}

/* Asks in the caller's main context and waits, without a deadline: people
 * take the time they need. Returns FALSE if the connection was cancelled. */
gboolean
pas_worker_ask_and_wait (PasWorker    *w,
                         PasWorkerAsk *ask,
                         GError      **error)
{
  g_main_context_invoke_full (w->caller_context, G_PRIORITY_DEFAULT, ask_start_cb,
                              g_atomic_rc_box_acquire (ask), pas_worker_ask_unref);
  pas_worker_run_until (w, &ask->flag, FALSE);
  if (!ask->flag.done)
    return pas_worker_set_stopped_error (w, error, "");
  if (ask->error != NULL && g_error_matches (ask->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&ask->error));
      return FALSE;
    }
  return TRUE;
}

char *
pas_worker_server_name (PasWorker *w)
{
  if (w->settings.port == 22)
    return g_strdup (w->settings.host);
  return g_strdup_printf (strchr (w->settings.host, ':') ? "[%s]:%u" : "%s:%u", w->settings.host, w->settings.port);
}


/* ---- after login: the socket source every channel shares ------------------ */

typedef struct
{
  GSource    source;
  PasWorker *w;
  gpointer   tag;
} IoSource;

static gboolean
io_dispatch (GSource    *source,
             GSourceFunc callback,
             gpointer    user_data)
{
  pas_worker_pump (((IoSource *) source)->w);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs io_source_funcs = { NULL, NULL, io_dispatch, NULL, NULL, NULL };

static gpointer
copy_channel (gconstpointer channel,
              gpointer      data)
{
  return pas_worker_channel_ref ((PasWorkerChannel *) channel);
}

#define MAX_ROUNDS 8

static gboolean
pump_again_cb (gpointer data)
{
  PasWorker *w = data;

  g_clear_pointer (&w->again_source, g_source_unref);
  pas_worker_pump (w);
  return G_SOURCE_REMOVE;
}

/* Runs every channel as far as the socket allows, then waits for what they
 * need next: always input (replies, window adjustments), output only when
 * something is queued or libssh2 is blocked sending. */
gboolean
pas_worker_note_pending (PasWorker        *w,
                         PasWorkerChannel *channel,
                         PasPendingKind    kind)
{
  if ((libssh2_session_block_directions (w->session) & LIBSSH2_SESSION_BLOCK_OUTBOUND) == 0)
    return FALSE;
  g_clear_pointer (&w->pending_channel, pas_worker_channel_unref);
  w->pending = kind;
  w->pending_channel = channel != NULL ? pas_worker_channel_ref (channel) : NULL;
  return TRUE;
}

/* Finishes the half-sent packet first; FALSE while it still waits. */
static gboolean
finish_pending (PasWorker *w)
{
  PasPendingKind kind = w->pending;
  g_autoptr(PasWorkerChannel) channel = g_steal_pointer (&w->pending_channel);

  w->pending = PAS_PENDING_NONE;
  if (kind == PAS_PENDING_KEEPALIVE)
    {
      int next = 0;

      if (libssh2_keepalive_send (w->session, &next) == LIBSSH2_ERROR_EAGAIN)
        pas_worker_note_pending (w, NULL, PAS_PENDING_KEEPALIVE);
    }
  else if (kind != PAS_PENDING_NONE &&
           pas_worker_channel_retry (channel, kind) == PAS_CHANNEL_FINISHED)
    g_ptr_array_remove (w->channels, channel);
  return w->pending == PAS_PENDING_NONE;
}

void
pas_worker_pump (PasWorker *w)
{
  GIOCondition condition = G_IO_IN | G_IO_ERR | G_IO_HUP;
  gboolean want_out = FALSE;

  if (w->session == NULL || w->channels == NULL)
    return;
  if (w->io_source == NULL)
    {
      IoSource *io = (IoSource *) g_source_new (&io_source_funcs, sizeof (IoSource));

      io->w = w;
      io->tag = g_source_add_unix_fd ((GSource *) io, w->fd, condition);
      g_source_attach ((GSource *) io, w->context);
      w->io_source = (GSource *) io;
    }

  /* One channel's libssh2 call reads every packet waiting on the socket,
   * other channels' too; a channel pumped earlier in the round would then
   * wait for a socket event that never comes. So rounds go on while some
   * channel has work libssh2 already holds. */
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      gboolean again = FALSE;

      if (!(w->pending == PAS_PENDING_NONE || finish_pending (w)))
        break;
      {
        /* Walk a referenced snapshot: whatever a channel's pump leads to, the
         * list we iterate cannot change under us; finished ones leave by pointer. */
        g_autoptr(GPtrArray) snapshot = g_ptr_array_copy (w->channels, copy_channel, NULL);

        g_ptr_array_set_free_func (snapshot, (GDestroyNotify) pas_worker_channel_unref);
        for (guint i = 0; i < snapshot->len && w->pending == PAS_PENDING_NONE; i++)
          {
            PasWorkerChannel *channel = g_ptr_array_index (snapshot, i);

            switch (pas_worker_channel_pump (channel))
              {
              case PAS_CHANNEL_FINISHED:
                g_ptr_array_remove (w->channels, channel);
                break;
              case PAS_CHANNEL_WRITING:
                want_out = TRUE;
                break;
              case PAS_CHANNEL_IDLE:
              default:
                break;
              }
          }
      }
      if (w->pending != PAS_PENDING_NONE || w->session == NULL || w->channels == NULL)
        break;
      for (guint i = 0; i < w->channels->len && !again; i++)
        again = pas_worker_channel_has_work (g_ptr_array_index (w->channels, i));
      if (!again)
        break;
      /* Still work after the last round: come back from the loop, not from
       * the socket. */
      if (round + 1 == MAX_ROUNDS && w->again_source == NULL)
        {
          w->again_source = g_idle_source_new ();
          g_source_set_callback (w->again_source, pump_again_cb, w, NULL);
          g_source_attach (w->again_source, w->context);
        }
    }
  if (w->io_source == NULL)
    return;
  want_out |= (libssh2_session_block_directions (w->session) & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0;

  if (want_out)
    condition |= G_IO_OUT;
  g_source_modify_unix_fd (w->io_source, ((IoSource *) w->io_source)->tag, condition);
}

static void
abort_gone (PasWorker        *w,
            PasWorkerChannel *channel)
{
  g_autoptr(GError) gone = g_error_new (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                        _("The connection to %s is closed"), w->settings.host);

  pas_worker_channel_abort (channel, gone);
}

typedef struct
{
  PasWorker        *w;
  PasWorkerChannel *channel;
} AddChannel;

static void
add_channel_free (AddChannel *add)
{
  pas_worker_unref (add->w);
  pas_worker_channel_unref (add->channel);
  g_free (add);
}

static gboolean
add_channel_cb (gpointer data)
{
  AddChannel *add = data;
  PasWorker *w = add->w;

  /* Teardown aborted the channels it knew; this one came after. */
  if (w->session == NULL || !g_atomic_int_get (&w->connected))
    abort_gone (w, add->channel);
  else
    {
      if (w->channels == NULL)
        w->channels = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_worker_channel_unref);
      g_ptr_array_add (w->channels, pas_worker_channel_ref (add->channel));
      pas_worker_pump (w);
    }
  return G_SOURCE_REMOVE;
}

void
pas_worker_start_channel (PasWorker        *w,
                          PasWorkerChannel *channel)
{
  /* Nobody runs a finished worker's context: a channel left there would never
   * answer, and its task, holding the caller's objects, would never be freed. */
  g_mutex_lock (&w->lock);
  if (w->finished)
    abort_gone (w, channel);
  else
    {
      AddChannel *add = g_new (AddChannel, 1);

      add->w = pas_worker_ref (w);
      add->channel = pas_worker_channel_ref (channel);
      g_main_context_invoke_full (w->context, G_PRIORITY_DEFAULT, add_channel_cb, add,
                                  (GDestroyNotify) add_channel_free);
    }
  g_mutex_unlock (&w->lock);
}

GMainContext *
pas_worker_get_context (PasWorker *w)
{
  return w->context;
}

LIBSSH2_SESSION *
pas_worker_get_ssh_session (PasWorker *w)
{
  return w->session;
}

gboolean
pas_worker_is_write_pending (PasWorker *w)
{
  return w->pending != PAS_PENDING_NONE;
}

/* For a failing test's log: whether the socket holds bytes nobody read, what
 * the worker waits for, and what libssh2 is blocked on. A snapshot read from
 * another thread, without locking. */
char *
pas_worker_describe (PasWorker *w)
{
  int unread = -1;
  GIOCondition waiting = 0;

  if (w->fd >= 0)
    ioctl (w->fd, FIONREAD, &unread);
  if (w->io_source != NULL)
    waiting = g_source_query_unix_fd (w->io_source, ((IoSource *) w->io_source)->tag);
  return g_strdup_printf ("socket %d with %d bytes unread, waiting for%s%s, pending %d, libssh2 blocked%s%s, "
                          "%u channels", w->fd, unread, (waiting & G_IO_IN) != 0 ? " input" : "",
                          (waiting & G_IO_OUT) != 0 ? " output" : "", (int) w->pending,
                          w->session != NULL && (libssh2_session_block_directions (w->session) &
                                                 LIBSSH2_SESSION_BLOCK_INBOUND) != 0 ? " in" : "",
                          w->session != NULL && (libssh2_session_block_directions (w->session) &
                                                 LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0 ? " out" : "",
                          w->channels != NULL ? w->channels->len : 0);
}
