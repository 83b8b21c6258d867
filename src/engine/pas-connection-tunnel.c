/* Jump hosts: a connection reaches its server through the connection to
 * the previous hop. libssh2 runs a session on a socket, so the previous
 * hop's worker opens a direct-tcpip channel to the next host and bridges it
 * to one end of a socket pair; the next hop's connection makes its whole SSH
 * session (its own key exchange, host-key check and login) on the other
 * end. The bridge is one more channel of that worker's round: bytes are
 * copied in 256 KiB runs each way, and each hop's encryption runs on its own
 * worker thread. */
#define G_LOG_DOMAIN "pas-connection"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "pas-connection-private.h"
#include "pas-error.h"

#define TUNNEL_BUFFER (256 * 1024)
/* What the previous hop may send us ahead: libssh2 keeps a channel's
 * window near 2 MiB, one round trip's worth at 50 MB/s over 40 ms, which
 * capped a download through a jump host below OpenSSH's (`ssh -W` has the
 * same 2 MiB but refills it sooner). 16 MiB, as for our SFTP channels. */
#define TUNNEL_WINDOW (16u * 1024 * 1024)

typedef enum
{
  TUNNEL_OPENING,
  TUNNEL_OPEN,
  TUNNEL_CLOSING,
  TUNNEL_DEAD,
} TunnelStep;

typedef struct
{
  PasWorkerChannel  base;          /* first: the worker sees this */
  PasWorker        *w;
  LIBSSH2_CHANNEL  *channel;
  TunnelStep        step;
  char             *host;
  guint16           port;
  GTask            *open_task;     /* answered with the next hop's end */
  int               fd;            /* our end, non-blocking; -1 when closed */
  GSource          *fd_source;
  gpointer          fd_tag;
  guint8           *up;            /* read from the next hop, for the channel */
  gsize             up_len;
  gboolean          fd_eof;        /* the next hop closed its end */
  gboolean          eof_sent;
  guint8           *down;          /* read from the channel, for the next hop */
  gsize             down_len;
  gsize             down_off;
  gboolean          channel_eof;
  gboolean          window_full;   /* the server's window is closed: wait for input */
  guint32           adjusting;     /* a window adjustment half sent: repeat it as it was */
} PasTunnel;

/* ---- the next hop's end -------------------------------------------------- */

typedef struct
{
  GSource    source;
  PasWorker *w;
} FdSource;

static gboolean
fd_dispatch (GSource    *source,
             GSourceFunc callback,
             gpointer    user_data)
{
  pas_worker_pump (((FdSource *) source)->w);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs fd_source_funcs = { NULL, NULL, fd_dispatch, NULL, NULL, NULL };

static void
close_fd (PasTunnel *t)
{
  if (t->fd_source != NULL)
    {
      g_source_destroy (t->fd_source);
      g_clear_pointer (&t->fd_source, g_source_unref);
    }
  if (t->fd >= 0)
    close (t->fd);
  t->fd = -1;
}

static void
watch_fd (PasTunnel *t)
{
  GIOCondition condition = G_IO_ERR | G_IO_HUP;

  if (t->fd_source == NULL)
    return;
  /* Gone: its hang-up would wake the worker for ever. */
  if (t->fd_eof)
    {
      g_source_destroy (t->fd_source);
      g_clear_pointer (&t->fd_source, g_source_unref);
      return;
    }
  if (!t->fd_eof && t->up_len < TUNNEL_BUFFER)
    condition |= G_IO_IN;
  if (t->down_off < t->down_len)
    condition |= G_IO_OUT;
  g_source_modify_unix_fd (t->fd_source, t->fd_tag, condition);
}

/* ---- the channel's life -------------------------------------------------- */

static void
tunnel_clear (PasTunnel *t)
{
  close_fd (t);
  g_clear_object (&t->open_task);
  g_free (t->host);
  g_free (t->up);
  g_free (t->down);
  pas_worker_unref (t->w);
}

static PasWorkerChannel *
tunnel_ref (PasWorkerChannel *base)
{
  return g_atomic_rc_box_acquire (base);
}

static void
tunnel_unref (PasWorkerChannel *base)
{
  g_atomic_rc_box_release_full (base, (GDestroyNotify) tunnel_clear);
}

static void
tunnel_abort (PasWorkerChannel *base,
              const GError     *error)
{
  PasTunnel *t = (PasTunnel *) base;

  if (t->step == TUNNEL_DEAD)
    return;
  t->step = TUNNEL_DEAD;
  /* libssh2 frees its channels with the session. */
  t->channel = NULL;
  if (t->open_task != NULL)
    {
      g_task_return_error (t->open_task, g_error_copy (error));
      g_clear_object (&t->open_task);
    }
  /* The next hop's session sees its socket close. */
  close_fd (t);
}

static PasChannelState
tunnel_fail (PasTunnel *t,
             GError    *error)
{
  g_debug ("tunnel to %s:%u: %s", t->host, t->port, error->message);
  tunnel_abort (&t->base, error);
  g_error_free (error);
  return PAS_CHANNEL_FINISHED;
}

/* The channel's data, for the next hop. FALSE when the channel failed. */
static gboolean
read_channel (PasTunnel *t)
{
  ssize_t n;

  /* Keep our window wide; an adjustment half sent is repeated alone,
   * before anything else. */
  if (t->adjusting == 0 && !t->channel_eof && libssh2_channel_window_read (t->channel) < TUNNEL_WINDOW / 2)
    t->adjusting = TUNNEL_WINDOW - (guint32) libssh2_channel_window_read (t->channel);
  if (t->adjusting != 0)
    {
      unsigned int window = 0;
      int rc = libssh2_channel_receive_window_adjust2 (t->channel, t->adjusting, 0, &window);

      if (rc == LIBSSH2_ERROR_EAGAIN)
        {
          pas_worker_note_pending (t->w, &t->base, PAS_PENDING_READ);
          return TRUE;
        }
      t->adjusting = 0;
      if (rc != 0)
        return FALSE;
    }
  if (t->down_off < t->down_len || t->channel_eof)
    return TRUE;
  n = libssh2_channel_read (t->channel, (char *) t->down, TUNNEL_BUFFER);
  if (n > 0)
    {
      t->down_len = (gsize) n;
      t->down_off = 0;
      return TRUE;
    }
  if (n == LIBSSH2_ERROR_EAGAIN)
    {
      /* A read may send a window adjustment: it may be the half-sent packet. */
      pas_worker_note_pending (t->w, &t->base, PAS_PENDING_READ);
      return TRUE;
    }
  if (n == 0 && libssh2_channel_eof (t->channel))
    {
      /* The far end closed: so does the next hop's socket, for writing. */
      t->channel_eof = TRUE;
      shutdown (t->fd, SHUT_WR);
      return TRUE;
    }
  return n == 0;
}

/* What the next hop sent, to the channel. FALSE when the channel failed. */
static gboolean
write_channel (PasTunnel *t)
{
  ssize_t n;

  if (t->up_len == 0)
    return TRUE;
  n = libssh2_channel_write (t->channel, (const char *) t->up, t->up_len);
  if (n > 0)
    {
      memmove (t->up, t->up + n, t->up_len - (gsize) n);
      t->up_len -= (gsize) n;
      t->window_full = FALSE;
      return TRUE;
    }
  if (n == LIBSSH2_ERROR_EAGAIN || n == 0)
    {
      /* Either a half-sent packet (the same call must finish it) or a closed
       * window (a window adjustment will come as input). */
      if (!pas_worker_note_pending (t->w, &t->base, PAS_PENDING_WRITE))
        t->window_full = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* Moves what it can between the next hop's socket and the buffers. */
static gboolean
shuttle (PasTunnel *t,
         gboolean  *progress)
{
  if (t->down_off < t->down_len)
    {
      ssize_t n = send (t->fd, t->down + t->down_off, t->down_len - t->down_off, MSG_NOSIGNAL);

      if (n > 0)
        {
          t->down_off += (gsize) n;
          *progress = TRUE;
        }
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        return FALSE;   /* the next hop went away */
    }
  if (!t->fd_eof && t->up_len < TUNNEL_BUFFER)
    {
      ssize_t n = recv (t->fd, t->up + t->up_len, TUNNEL_BUFFER - t->up_len, 0);

      if (n > 0)
        {
          t->up_len += (gsize) n;
          *progress = TRUE;
        }
      else if (n == 0)
        {
          t->fd_eof = TRUE;
          *progress = TRUE;
        }
      else if (errno != EAGAIN && errno != EINTR)
        t->fd_eof = TRUE;
    }
  return TRUE;
}

static gboolean
open_channel (PasTunnel *t)
{
  LIBSSH2_SESSION *session = t->w->session;
  int pair[2];
  char *message = NULL;
  int rc;

  t->channel = libssh2_channel_direct_tcpip_ex (session, t->host, t->port, "127.0.0.1", 22);
  if (t->channel != NULL)
    {
      if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        {
          tunnel_fail (t, g_error_new (PAS_ERROR, PAS_ERROR_FAILED, "socketpair: %s", g_strerror (errno)));
          return FALSE;
        }
      t->fd = pair[0];
      g_unix_set_fd_nonblocking (t->fd, TRUE, NULL);
      t->fd_source = g_source_new (&fd_source_funcs, sizeof (FdSource));
      ((FdSource *) t->fd_source)->w = t->w;
      t->fd_tag = g_source_add_unix_fd (t->fd_source, t->fd, G_IO_IN | G_IO_ERR | G_IO_HUP);
      g_source_attach (t->fd_source, t->w->context);
      t->step = TUNNEL_OPEN;
      g_debug ("tunnel to %s:%u open", t->host, t->port);
      g_task_return_int (t->open_task, pair[1]);
      g_clear_object (&t->open_task);
      return TRUE;
    }
  rc = libssh2_session_last_error (session, &message, NULL, 0);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    {
      pas_worker_note_pending (t->w, &t->base, PAS_PENDING_STEP);
      return TRUE;
    }
  /* Translators: a jump host, then the next host and port, then libssh2's reason */
  tunnel_fail (t, g_error_new (PAS_ERROR, PAS_ERROR_NETWORK,
                               _("The jump host %s could not open a connection to %s:%u (%s)"),
                               t->w->settings.host, t->host, t->port, message != NULL ? message : "?"));
  return FALSE;
}

static PasChannelState
tunnel_pump (PasWorkerChannel *base)
{
  PasTunnel *t = (PasTunnel *) base;
  gboolean progress = TRUE;
  int rc;

  switch (t->step)
    {
    case TUNNEL_OPENING:
      if (!open_channel (t))
        return PAS_CHANNEL_FINISHED;
      if (t->step == TUNNEL_OPENING)
        return PAS_CHANNEL_IDLE;
      G_GNUC_FALLTHROUGH;

    case TUNNEL_OPEN:
      for (guint i = 0; progress && i < 64 && t->w->pending == PAS_PENDING_NONE; i++)
        {
          gsize up = t->up_len, down = t->down_len - t->down_off;

          progress = FALSE;
          if (!read_channel (t) || !write_channel (t))
            return tunnel_fail (t, g_error_new (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                                _("The jump host %s closed the way to %s"),
                                                t->w->settings.host, t->host));
          if (!shuttle (t, &progress))
            break;
          progress |= up != t->up_len || down != t->down_len - t->down_off;
        }
      if (t->w->pending != PAS_PENDING_NONE)
        return PAS_CHANNEL_WRITING;
      if (t->fd_eof && t->up_len == 0 && !t->eof_sent)
        {
          rc = libssh2_channel_send_eof (t->channel);
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (t->w, &t->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          t->eof_sent = TRUE;
        }
      /* Done when the next hop has gone, or both ends have said all. */
      if ((t->fd_eof && t->eof_sent) || (t->channel_eof && t->down_off == t->down_len && t->fd_eof))
        {
          t->step = TUNNEL_CLOSING;
          return tunnel_pump (base);
        }
      watch_fd (t);
      return t->up_len > 0 && !t->window_full ? PAS_CHANNEL_WRITING : PAS_CHANNEL_IDLE;

    case TUNNEL_CLOSING:
      if (t->channel != NULL)
        {
          rc = libssh2_channel_close (t->channel);
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (t->w, &t->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          rc = libssh2_channel_free (t->channel);
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              pas_worker_note_pending (t->w, &t->base, PAS_PENDING_STEP);
              return PAS_CHANNEL_IDLE;
            }
          t->channel = NULL;
        }
      close_fd (t);
      t->step = TUNNEL_DEAD;
      g_debug ("tunnel to %s:%u closed", t->host, t->port);
      return PAS_CHANNEL_FINISHED;

    case TUNNEL_DEAD:
    default:
      return PAS_CHANNEL_FINISHED;
    }
}

static PasChannelState
tunnel_retry (PasWorkerChannel *base,
              PasPendingKind    kind)
{
  PasTunnel *t = (PasTunnel *) base;

  if (t->step == TUNNEL_DEAD)
    return PAS_CHANNEL_FINISHED;
  if (t->step == TUNNEL_OPEN && kind == PAS_PENDING_WRITE)
    return write_channel (t) ? PAS_CHANNEL_WRITING
                             : tunnel_fail (t, g_error_new (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                                            _("The jump host %s closed the way to %s"),
                                                            t->w->settings.host, t->host));
  if (t->step == TUNNEL_OPEN && kind == PAS_PENDING_READ)
    return read_channel (t) ? PAS_CHANNEL_IDLE
                            : tunnel_fail (t, g_error_new (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                                           _("The jump host %s closed the way to %s"),
                                                           t->w->settings.host, t->host));
  return tunnel_pump (base);
}

static gboolean
tunnel_has_work (PasWorkerChannel *base)
{
  PasTunnel *t = (PasTunnel *) base;

  if (t->step != TUNNEL_OPEN || t->channel == NULL)
    return FALSE;
  if (t->down_off == t->down_len && !t->channel_eof && libssh2_poll_channel_read (t->channel, 0) > 0)
    return TRUE;
  return t->window_full && t->up_len > 0 && libssh2_channel_window_write (t->channel) > 0;
}

static const PasWorkerChannelClass tunnel_class = {
  tunnel_pump, tunnel_retry, tunnel_has_work, tunnel_abort, tunnel_ref, tunnel_unref,
};

/* ---- asked from the next hop's worker ------------------------------------ */

void
pas_worker_open_tunnel_async (PasWorker          *w,
                              const char         *host,
                              guint16             port,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PasTunnel *t;

  g_task_set_source_tag (task, pas_worker_open_tunnel_async);

  t = g_atomic_rc_box_new0 (PasTunnel);
  t->base.klass = &tunnel_class;
  t->w = pas_worker_ref (w);
  t->host = g_strdup (host);
  t->port = port;
  t->fd = -1;
  t->up = g_malloc (TUNNEL_BUFFER);
  t->down = g_malloc (TUNNEL_BUFFER);
  t->open_task = task;

  pas_worker_start_channel (w, &t->base);
  tunnel_unref (&t->base);
}

int
pas_worker_open_tunnel_finish (GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_worker_open_tunnel_async, -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}
