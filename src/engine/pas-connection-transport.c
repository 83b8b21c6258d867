/* How a connection reaches its server's SSH port: a TCP connection (no
 * proxy: SSH does not go through HTTP proxies), the previous jump host's
 * tunnel (pas-connection-tunnel.c), or a ProxyCommand whose standard input
 * and output become the transport, as in OpenSSH. A jump or a proxy never
 * falls back to a direct connection. */
#define G_LOG_DOMAIN "pas-connection"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "pas-connection-private.h"
#include "pas-error.h"

#define PROXY_STDERR_KEPT 4096

typedef struct
{
  PasWorkerFlag          flag;
  GAsyncResult *result;
} AsyncWait;

static void
async_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  AsyncWait *wait = data;

  wait->result = g_object_ref (result);
  wait->flag.done = TRUE;
}

static gboolean
open_tcp (PasWorker *w,
          GError   **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = pas_worker_server_name (w);
  AsyncWait wait = { { FALSE }, NULL };
  GSocket *socket;

  g_socket_client_set_protocol (client, G_SOCKET_PROTOCOL_TCP);
  /* SSH does not go through HTTP proxies, and libproxy may look for one on the network. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, w->settings.host, w->settings.port, w->cancel, async_wait_cb, &wait);
  /* The callback must run before @wait leaves the stack, even when cancelled. */
  while (!wait.flag.done)
    {
      pas_worker_run_until (w, &wait.flag, TRUE);
      if (!wait.flag.done)
        g_main_context_iteration (w->context, TRUE);
    }

  w->socket = g_socket_client_connect_to_host_finish (client, wait.result, &local_error);
  g_clear_object (&wait.result);

  if (w->socket == NULL)
    {
      if (w->timed_out)
        g_set_error (error, PAS_ERROR, PAS_ERROR_TIMED_OUT,
                     g_dngettext (GETTEXT_PACKAGE, "%s did not answer within %u second",
                                  "%s did not answer within %u seconds", w->settings.timeout_s),
                     name, w->settings.timeout_s);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (local_error->domain == G_RESOLVER_ERROR)
        g_set_error (error, PAS_ERROR, PAS_ERROR_NAME_NOT_RESOLVED,
                     _("The server name “%s” could not be found"), w->settings.host);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        g_set_error (error, PAS_ERROR, PAS_ERROR_CONNECTION_REFUSED,
                     _("%s refused the connection"), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, PAS_ERROR, PAS_ERROR_TIMED_OUT,
                     g_dngettext (GETTEXT_PACKAGE, "%s did not answer within %u second",
                                  "%s did not answer within %u seconds", w->settings.timeout_s),
                     name, w->settings.timeout_s);
      else
        g_set_error (error, PAS_ERROR, PAS_ERROR_NETWORK,
                     _("Could not reach %s: %s"), name, local_error->message);
      return FALSE;
    }

  socket = g_socket_connection_get_socket (w->socket);
  w->fd = g_socket_get_fd (socket);
  /* libssh2 never sets it: without it small packets wait for delayed ACKs
   * (30 KB reads: 21.5 MB/s without, 250 MB/s with, measured here). */
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, &local_error))
    g_debug ("TCP_NODELAY: %s", local_error->message);
  return TRUE;
}

/* Puts the host-key types already on file first, so that a server offering
 * another type cannot pass itself off as a new host. */
/* Through the previous hop: its worker opens the way, we get a socket. */
static gboolean
open_tunnel (PasWorker *w,
             GError   **error)
{
  AsyncWait wait = { { FALSE }, NULL };
  g_autoptr(GError) local_error = NULL;
  int fd;

  pas_worker_open_tunnel_async (w->via, w->settings.host, w->settings.port, w->cancel, async_wait_cb, &wait);
  while (!wait.flag.done)
    {
      pas_worker_run_until (w, &wait.flag, TRUE);
      if (!wait.flag.done)
        g_main_context_iteration (w->context, TRUE);
    }
  fd = pas_worker_open_tunnel_finish (wait.result, &local_error);
  g_clear_object (&wait.result);
  if (fd < 0)
    {
      g_autofree char *name = pas_worker_server_name (w);

      if (w->timed_out)
        g_set_error (error, PAS_ERROR, PAS_ERROR_TIMED_OUT,
                     g_dngettext (GETTEXT_PACKAGE, "%s did not answer within %u second",
                                  "%s did not answer within %u seconds", w->settings.timeout_s),
                     name, w->settings.timeout_s);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  w->fd = fd;
  w->fd_owned = TRUE;
  return TRUE;
}

static gboolean
proxy_stderr_cb (int          fd,
                 GIOCondition condition,
                 gpointer     data)
{
  PasWorker *w = data;
  char buffer[1024];
  ssize_t n = read (fd, buffer, sizeof buffer);

  if (n <= 0)
    {
      g_clear_pointer (&w->proxy_stderr_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  g_string_append_len (w->proxy_stderr, buffer, n);
  if (w->proxy_stderr->len > PROXY_STDERR_KEPT)
    g_string_erase (w->proxy_stderr, 0, (gssize) (w->proxy_stderr->len - PROXY_STDERR_KEPT));
  return G_SOURCE_CONTINUE;
}

/* ProxyCommand: run by /bin/sh, as OpenSSH does, its standard input and
 * output one end of a socket pair, its errors kept for the message. */
static gboolean
open_proxy_command (PasWorker *w,
                    GError   **error)
{
  const char *argv[] = { "/bin/sh", "-c", w->settings.proxy_command, NULL };
  g_autoptr(GError) local_error = NULL;
  int pair[2];
  int err_fd = -1;
  GPid pid;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, "socketpair: %s", g_strerror (errno));
      return FALSE;
    }
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                         pair[1], pair[1], -1, NULL, NULL, 0, &pid, NULL, NULL, &err_fd,
                                         &local_error))
    {
      close (pair[0]);
      close (pair[1]);
      /* Translators: %s is the ProxyCommand of ~/.ssh/config */
      g_set_error (error, PAS_ERROR, PAS_ERROR_NETWORK, _("The ProxyCommand “%s” could not be started: %s"),
                   w->settings.proxy_command, local_error->message);
      return FALSE;
    }
  close (pair[1]);
  g_debug ("ProxyCommand %s: process %d", w->settings.proxy_command, (int) pid);
  w->proxy_pid = pid;
  w->proxy_stderr = g_string_new (NULL);
  g_unix_set_fd_nonblocking (err_fd, TRUE, NULL);
  w->proxy_stderr_fd = err_fd;
  w->proxy_stderr_source = g_unix_fd_source_new (err_fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (w->proxy_stderr_source, G_SOURCE_FUNC (proxy_stderr_cb), w, NULL);
  g_source_attach (w->proxy_stderr_source, w->context);
  g_unix_set_fd_nonblocking (pair[0], TRUE, NULL);
  w->fd = pair[0];
  w->fd_owned = TRUE;
  return TRUE;
}

gboolean
pas_worker_open_transport (PasWorker *w,
                           GError   **error)
{
  if (w->via != NULL)
    return open_tunnel (w, error);
  if (w->settings.proxy_command != NULL)
    return open_proxy_command (w, error);
  return open_tcp (w, error);
}

/* Why a ProxyCommand's connection ended, when it did: its exit and its
 * last words. NULL when there is none or it still runs. */
char *
pas_worker_describe_proxy_end (PasWorker *w)
{
  g_autofree char *said = NULL;
  int status = 0;
  pid_t ended = 0;

  if (w->proxy_pid <= 0)
    return NULL;
  /* Its output closes a moment before it can be reaped: a failing command
   * gets 300 ms to finish (this runs on the worker, only on a failure). */
  for (int i = 0; i < 30 && (ended = waitpid (w->proxy_pid, &status, WNOHANG)) == 0; i++)
    g_usleep (10 * 1000);
  if (ended != w->proxy_pid)
    return NULL;
  w->proxy_pid = 0;
  /* What it still had to say. */
  if (w->proxy_stderr_source != NULL)
    while (proxy_stderr_cb (w->proxy_stderr_fd, G_IO_IN, w) == G_SOURCE_CONTINUE)
      ;
  said = g_utf8_make_valid (g_strstrip (w->proxy_stderr->str), -1);
  if (WIFEXITED (status))
    /* Translators: the command, its exit status, then what it printed */
    return g_strdup_printf (_("The ProxyCommand “%s” ended with status %d: %s"), w->settings.proxy_command,
                            WEXITSTATUS (status), said[0] != '\0' ? said : _("(it printed nothing)"));
  return g_strdup_printf (_("The ProxyCommand “%s” was stopped by signal %d: %s"), w->settings.proxy_command,
                          WIFSIGNALED (status) ? WTERMSIG (status) : 0, said[0] != '\0' ? said : _("(it printed nothing)"));
}

void
pas_worker_close_transport (PasWorker *w)
{
  if (w->socket != NULL)
    g_io_stream_close (G_IO_STREAM (w->socket), NULL, NULL);
  else if (w->fd_owned && w->fd >= 0)
    close (w->fd);
  w->fd_owned = FALSE;
  if (w->proxy_stderr_source != NULL)
    {
      g_source_destroy (w->proxy_stderr_source);
      g_clear_pointer (&w->proxy_stderr_source, g_source_unref);
    }
  if (w->proxy_stderr_fd >= 0)
    close (w->proxy_stderr_fd);
  w->proxy_stderr_fd = -1;
  if (w->proxy_pid > 0)
    {
      /* It saw its input close; give it a moment, then insist. */
      for (int i = 0; i < 50 && waitpid (w->proxy_pid, NULL, WNOHANG) == 0; i++)
        {
          if (i == 10)
            kill (w->proxy_pid, SIGTERM);
          g_usleep (10 * 1000);
        }
      if (waitpid (w->proxy_pid, NULL, WNOHANG) == 0)
        {
          kill (w->proxy_pid, SIGKILL);
          waitpid (w->proxy_pid, NULL, 0);
        }
      w->proxy_pid = 0;
    }
  if (w->proxy_stderr != NULL)
    g_string_free (g_steal_pointer (&w->proxy_stderr), TRUE);
}
