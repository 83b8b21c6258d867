#define G_LOG_DOMAIN "pas-connection"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <libssh2.h>
#include <openssl/crypto.h>

#include "pas-agent.h"
#include "pas-connection-private.h"
#include "pas-error.h"
#include "pas-known-hosts.h"
#include "pas-private-key.h"
#include "pas-secret.h"
#include "pas-wire.h"

#define TEARDOWN_TIMEOUT_MS 1000



struct _PasConnection
{
  GObject         parent_instance;

  PasConnectionSettings settings;
  gboolean        agent_socket_set;
  PasInteraction *interaction;

  PasConnection  *via;            /* the last jump host, which we own; NULL: direct */

  PasWorker         *worker;
  GThread        *thread;
  PasHostKeyChange *host_key_change;
};

G_DEFINE_FINAL_TYPE (PasConnection, pas_connection, G_TYPE_OBJECT)

static GOnce libssh2_once = G_ONCE_INIT;
static gint running_threads;

static gpointer
init_libssh2 (gpointer data)
{
  /* Connections end on their own threads, which may still be freeing a
   * session when the program exits: OpenSSL must not tear itself down in an
   * atexit handler under them (seen as a crash in RAND_bytes at exit). */
  OPENSSL_init_crypto (OPENSSL_INIT_NO_ATEXIT, NULL);
  return GINT_TO_POINTER (libssh2_init (0) == 0);
}

static gboolean
keepalive_cb (gpointer data)
{
  PasWorker *w = data;
  int next = 0;

  /* Not while another packet is half sent; a half-sent keepalive is
   * finished before anything else goes. */
  if (w->pending == PAS_PENDING_NONE &&
      libssh2_keepalive_send (w->session, &next) == LIBSSH2_ERROR_EAGAIN &&
      pas_worker_note_pending (w, NULL, PAS_PENDING_KEEPALIVE))
    pas_worker_pump (w);
  return G_SOURCE_CONTINUE;
}

static void
teardown (PasWorker *w)
{
  /* Whatever is still waiting on a channel learns the connection is gone. */
  if (w->channels != NULL && w->channels->len > 0)
    {
      g_autoptr(GError) gone = g_error_new (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                            _("The connection to %s was closed"), w->settings.host);
      for (guint i = 0; i < w->channels->len; i++)
        pas_worker_channel_abort (g_ptr_array_index (w->channels, i), gone);
      g_ptr_array_set_size (w->channels, 0);
    }
  if (w->again_source != NULL)
    {
      g_source_destroy (w->again_source);
      g_clear_pointer (&w->again_source, g_source_unref);
    }
  if (w->io_source != NULL)
    {
      g_source_destroy (w->io_source);
      g_clear_pointer (&w->io_source, g_source_unref);
    }
  if (w->session != NULL)
    {
      /* Short and blocking: the worker is leaving and nobody waits on it. */
      libssh2_session_set_timeout (w->session, TEARDOWN_TIMEOUT_MS);
      libssh2_session_set_blocking (w->session, 1);
      if (g_atomic_int_get (&w->connected))
        libssh2_session_disconnect_ex (w->session, SSH_DISCONNECT_BY_APPLICATION, "Closed by Passerelle", "");
      /* libssh2 frees nothing when it cannot close its channels, as when the
       * server froze with the TCP connection still open (it times out). Then
       * make every socket operation fail at once, and it frees everything. */
      if (libssh2_session_free (w->session) != 0)
        {
          int rc;

          shutdown (w->fd, SHUT_RDWR);
          /* Each call goes on from where the last one stopped (its channels
           * freed one after another); a call can still run out of time
           * before it reaches the socket's errors (seen once under ASan,
           * -9), so two more, each at most ~2 s: the teardown never hangs. */
          rc = libssh2_session_free (w->session);
          for (guint tries = 0; tries < 2 && (rc == LIBSSH2_ERROR_TIMEOUT || rc == LIBSSH2_ERROR_EAGAIN); tries++)
            rc = libssh2_session_free (w->session);
          if (rc != 0)
            g_warning ("libssh2 could not free a session (%d)", rc);
        }
      w->session = NULL;
    }
  g_atomic_int_set (&w->connected, 0);
  pas_worker_close_transport (w);
}

typedef struct
{
  PasWorker *worker;
  GTask  *task;
} ThreadData;

static gpointer
worker_thread (gpointer data)
{
  ThreadData *td = data;
  PasWorker *w = td->worker;
  g_autoptr(GTask) task = td->task;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_free (td);
  g_main_context_push_thread_default (w->context);

  pas_worker_start_deadline (w);
  ok = pas_worker_load_known_hosts (w, &error) &&
       pas_worker_open_transport (w, &error) &&
       pas_worker_handshake (w, &error) &&
       pas_worker_check_host_key (w, &error) &&
       pas_worker_authenticate (w, &error);

  if (w->cancel_handler != 0)
    g_cancellable_disconnect (w->caller_cancellable, w->cancel_handler);
  w->cancel_handler = 0;

  if (ok)
    {
      g_autoptr(GSource) keepalive = NULL;

      g_atomic_int_set (&w->connected, 1);
      g_debug ("connected to %s:%u as %s (%s, %s)", w->settings.host, w->settings.port, w->settings.user,
               w->auth_method, w->algorithms.cipher_out);
      g_task_return_boolean (task, TRUE);
      g_clear_object (&task);

      if (w->settings.keepalive_s > 0)
        {
          libssh2_keepalive_config (w->session, 1, w->settings.keepalive_s);
          keepalive = g_timeout_source_new_seconds (w->settings.keepalive_s);
          g_source_set_callback (keepalive, keepalive_cb, w, NULL);
          g_source_attach (keepalive, w->context);
        }
      if (!g_cancellable_is_cancelled (w->cancel))
        g_main_loop_run (w->loop);
      if (keepalive != NULL)
        g_source_destroy (keepalive);
    }
  else
    g_debug ("connect to %s failed: %s", w->settings.host, error->message);

  teardown (w);
  /* OpenSSL keeps per-thread state (its random generators); free it now, not
   * whenever this thread happens to end relative to the program's exit. */
  OPENSSL_thread_stop ();

  /* From here on nobody runs this context: answer what was asked until now. */
  g_mutex_lock (&w->lock);
  w->finished = TRUE;
  g_mutex_unlock (&w->lock);
  while (g_main_context_pending (w->context))
    g_main_context_iteration (w->context, FALSE);

  /* A failed connect is answered only now, with nothing of it left running:
   * the caller may exit at once (the CLI does). */
  if (task != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  if (w->close_task != NULL)
    {
      g_task_return_boolean (w->close_task, TRUE);
      g_clear_object (&w->close_task);
    }
  g_main_context_pop_thread_default (w->context);
  pas_worker_unref (w);
  g_atomic_int_dec_and_test (&running_threads);
  return NULL;
}

guint
pas_connection_count_running_threads (void)
{
  return (guint) g_atomic_int_get (&running_threads);
}

/* ---- public API ---------------------------------------------------------- */

PasConnection *
pas_connection_new (const char *host,
                    guint16     port,
                    const char *user)
{
  PasConnection *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (PAS_TYPE_CONNECTION, NULL);
  self->settings.host = g_strdup (host);
  self->settings.port = port != 0 ? port : 22;
  self->settings.user = g_strdup (user != NULL ? user : g_get_user_name ());
  return self;
}

static PasConnection *
new_for_one (PasDestination *destination)
{
  PasConnection *self = pas_connection_new (pas_destination_get_host (destination),
                                            pas_destination_get_port (destination),
                                            pas_destination_get_user (destination));
  const char * const *identities = pas_destination_get_identity_files (destination);

  if (identities[0] != NULL || pas_destination_get_identities_only (destination))
    pas_connection_set_identity_files (self, identities, pas_destination_get_identities_only (destination));
  if (pas_destination_get_user_known_hosts (destination) != NULL ||
      pas_destination_get_global_known_hosts (destination) != NULL)
    {
      const char * const system_files[] = { "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2", NULL };
      const char * const *global = pas_destination_get_global_known_hosts (destination);
      g_autofree char *user_file = pas_destination_get_user_known_hosts (destination) != NULL
                                   ? g_strdup (pas_destination_get_user_known_hosts (destination))
                                   : g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);

      pas_connection_set_known_hosts_files (self, user_file, global != NULL ? global : system_files);
    }
  pas_connection_set_hash_known_hosts (self, pas_destination_get_hash_known_hosts (destination));
  if (pas_destination_get_timeout (destination) != 0)
    pas_connection_set_timeout (self, pas_destination_get_timeout (destination));
  if (pas_destination_get_keepalive (destination) != 0)
    pas_connection_set_keepalive_interval (self, pas_destination_get_keepalive (destination));
  pas_connection_set_algorithms (self, pas_destination_get_ciphers (destination),
                                 pas_destination_get_macs (destination));
  pas_connection_set_proxy_command (self, pas_destination_get_proxy_command (destination));
  pas_connection_set_auth_methods (self, pas_destination_get_auth_methods (destination));
  return self;
}

/**
 * pas_connection_new_for_destination:
 *
 * A connection made as @destination says, with its jump hosts: one
 * connection per hop, each through the one before.
 */
PasConnection *
pas_connection_new_for_destination (PasDestination *destination)
{
  PasConnection *via = NULL;
  PasConnection *self;

  g_return_val_if_fail (destination != NULL, NULL);

  for (PasDestination **hop = pas_destination_get_jumps (destination); *hop != NULL; hop++)
    {
      PasConnection *next = new_for_one (*hop);

      pas_connection_set_jump (next, via);
      g_clear_object (&via);
      via = next;
    }
  self = new_for_one (destination);
  pas_connection_set_jump (self, via);
  g_clear_object (&via);
  return self;
}

const char *
pas_connection_get_host (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);

  return self->settings.host;
}

guint16
pas_connection_get_port (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), 0);

  return self->settings.port;
}

const char *
pas_connection_get_user (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);

  return self->settings.user;
}

void
pas_connection_set_interaction (PasConnection  *self,
                                PasInteraction *interaction)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));
  g_set_object (&self->interaction, interaction);
  /* The jump hosts ask the same person. */
  if (self->via != NULL)
    pas_connection_set_interaction (self->via, interaction);
}

void
pas_connection_set_jump (PasConnection *self,
                         PasConnection *via)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));
  g_return_if_fail (via == NULL || PAS_IS_CONNECTION (via));

  g_set_object (&self->via, via);
  if (via != NULL && self->interaction != NULL)
    pas_connection_set_interaction (via, self->interaction);
}

PasConnection *
pas_connection_get_jump (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);
  return self->via;
}

void
pas_connection_set_proxy_command (PasConnection *self,
                                  const char    *command)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));
  g_free (self->settings.proxy_command);
  self->settings.proxy_command = g_strdup (command);
}

void
pas_connection_set_auth_methods (PasConnection *self,
                                 guint          methods)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));
  self->settings.auth_methods = methods;
}

/**
 * pas_connection_set_known_hosts_files:
 * @user_file: read, and where accepted keys are appended
 * @read_only_files: (nullable): also read, never written (e.g. /etc/ssh/ssh_known_hosts)
 */
void
pas_connection_set_known_hosts_files (PasConnection      *self,
                                      const char         *user_file,
                                      const char * const *read_only_files)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));
  g_return_if_fail (user_file != NULL);

  g_free (self->settings.user_known_hosts);
  self->settings.user_known_hosts = g_strdup (user_file);
  g_strfreev (self->settings.read_only_known_hosts);
  self->settings.read_only_known_hosts = g_strdupv ((char **) read_only_files);
}

/**
 * pas_connection_set_identity_files:
 * @files: (nullable): private key files to offer, in order
 * @only: offer only these (IdentitiesOnly), not also the default ~/.ssh/id_* keys
 *
 * Naming the key a server wants, with @only, is what keeps servers that allow
 * few attempts (MaxAuthTries) from refusing the login before the right key.
 */
void
pas_connection_set_identity_files (PasConnection      *self,
                                   const char * const *files,
                                   gboolean            only)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  g_strfreev (self->settings.identity_files);
  self->settings.identity_files = g_strdupv ((char **) files);
  self->settings.identities_only = only;
}

void
pas_connection_set_agent_socket (PasConnection *self,
                                 const char    *path)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  g_free (self->settings.agent_socket);
  self->settings.agent_socket = g_strdup (path);
  self->agent_socket_set = TRUE;
}

void
pas_connection_set_hash_known_hosts (PasConnection *self,
                                     gboolean       hash)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  self->settings.hash_known_hosts = hash;
}

void
pas_connection_set_timeout (PasConnection *self,
                            guint          seconds)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  self->settings.timeout_s = seconds > 0 ? seconds : PAS_CONNECTION_DEFAULT_TIMEOUT;
}

void
pas_connection_set_keepalive_interval (PasConnection *self,
                                       guint          seconds)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  self->settings.keepalive_s = seconds;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void start_worker (PasConnection *self,
                          GTask         *task);

/* The jump host is connected (or could not be): our own connection next,
 * through it and never around it. */
static void
via_connected_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PasConnection *via = PAS_CONNECTION (source);
  g_autoptr(GTask) task = user_data;
  PasConnection *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!pas_connection_connect_finish (via, result, &error))
    {
      g_autofree char *name = via->settings.port == 22
                              ? g_strdup (via->settings.host)
                              : g_strdup_printf ("%s:%u", via->settings.host, via->settings.port);

      /* Translators: a jump host (ProxyJump), then why it failed */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Through the jump host %s: "), name);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  start_worker (self, g_steal_pointer (&task));
}

void
pas_connection_connect_async (PasConnection      *self,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAS_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_connection_connect_async);

  if (self->worker != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("This connection is already open or opening"));
      return;
    }
  if (!GPOINTER_TO_INT (g_once (&libssh2_once, init_libssh2, NULL)))
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_FAILED, _("Could not start libssh2"));
      return;
    }
  if (self->via != NULL && !pas_connection_is_connected (self->via))
    {
      if (self->via->interaction == NULL)
        pas_connection_set_interaction (self->via, self->interaction);
      pas_connection_connect_async (self->via, cancellable, via_connected_cb, g_steal_pointer (&task));
      return;
    }
  start_worker (self, g_steal_pointer (&task));
}

static void
start_worker (PasConnection *self,
              GTask         *task_in)
{
  g_autoptr(GTask) task = task_in;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  ThreadData *td;
  PasWorker *w;

  w = g_atomic_rc_box_new0 (PasWorker);
  g_mutex_init (&w->lock);
  pas_connection_settings_copy (&w->settings, &self->settings);
  if (!self->agent_socket_set)
    {
      g_free (w->settings.agent_socket);
      w->settings.agent_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
    }
  w->interaction = self->interaction != NULL ? g_object_ref (self->interaction)
                                             : g_object_new (PAS_TYPE_INTERACTION, NULL);
  w->caller_context = g_main_context_ref_thread_default ();
  w->context = g_main_context_new ();
  w->loop = g_main_loop_new (w->context, FALSE);
  w->cancel = g_cancellable_new ();
  w->first_bytes = g_byte_array_new ();
  w->offered_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  w->fd = -1;
  w->proxy_stderr_fd = -1;
  if (self->via != NULL)
    w->via = pas_worker_ref (self->via->worker);
  if (cancellable != NULL)
    {
      w->caller_cancellable = g_object_ref (cancellable);
      w->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                 g_object_ref (w->cancel), g_object_unref);
    }
  self->worker = w;

  td = g_new0 (ThreadData, 1);
  td->worker = pas_worker_ref (w);
  td->task = g_steal_pointer (&task);
  g_atomic_int_inc (&running_threads);
  self->thread = g_thread_try_new ("pas-connection", worker_thread, td, &error);
  if (self->thread == NULL)
    {
      g_atomic_int_dec_and_test (&running_threads);
      task = td->task;
      pas_worker_unref (td->worker);
      g_free (td);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

gboolean
pas_connection_connect_finish (PasConnection *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_connection_connect_async), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* The worker has ended; forget it so that connecting again is possible. */
      g_clear_pointer (&self->host_key_change, pas_host_key_change_free);
      if (self->worker != NULL)
        self->host_key_change = g_steal_pointer (&self->worker->host_key_change);
      g_clear_pointer (&self->thread, g_thread_unref);
      g_clear_pointer (&self->worker, pas_worker_unref);
      return FALSE;
    }
  return TRUE;
}

static void request_close (PasConnection *self,
                           GTask         *task);

void
pas_connection_close (PasConnection *self)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  request_close (self, NULL);
  if (self->via != NULL)
    pas_connection_close (self->via);
}

PasWorker *
pas_connection_get_worker (PasConnection *self)
{
  return pas_connection_is_connected (self) ? self->worker : NULL;
}

typedef struct
{
  PasWorker *worker;
  GTask     *task;
} CloseRequest;

static void
close_request_free (CloseRequest *request)
{
  pas_worker_unref (request->worker);
  g_clear_object (&request->task);
  g_free (request);
}

static gboolean
close_request_cb (gpointer data)
{
  CloseRequest *request = data;

  if (request->task != NULL)
    request->worker->close_task = g_steal_pointer (&request->task);
  g_main_loop_quit (request->worker->loop);
  return G_SOURCE_REMOVE;
}

/* Cancels what the worker is doing and asks it to leave its loop; @task
 * (nullable) is answered once it has torn the session down. */
static void
request_close (PasConnection *self,
               GTask         *task)
{
  CloseRequest *request;

  if (self->worker == NULL)
    {
      if (task != NULL)
        g_task_return_boolean (task, TRUE);
      return;
    }

  g_cancellable_cancel (self->worker->cancel);
  g_mutex_lock (&self->worker->lock);
  if (self->worker->finished)
    {
      if (task != NULL)
        g_task_return_boolean (task, TRUE);
    }
  else
    {
      request = g_new0 (CloseRequest, 1);
      request->worker = pas_worker_ref (self->worker);
      request->task = task != NULL ? g_object_ref (task) : NULL;
      g_main_context_invoke_full (self->worker->context, G_PRIORITY_HIGH, close_request_cb, request,
                                  (GDestroyNotify) close_request_free);
    }
  g_mutex_unlock (&self->worker->lock);
  g_clear_pointer (&self->thread, g_thread_unref);
  g_clear_pointer (&self->worker, pas_worker_unref);
}

static void
via_closed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  pas_connection_close_finish (PAS_CONNECTION (source), result, NULL);
  g_task_return_boolean (task, TRUE);
}

/* Ours closed: then the jump hosts', last hop first. */
static void
own_closed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PasConnection *self = g_task_get_source_object (task);

  if (self->via != NULL)
    pas_connection_close_async (self->via, via_closed_cb, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

void
pas_connection_close_async (PasConnection      *self,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask *task;
  g_autoptr(GTask) own = NULL;

  g_return_if_fail (PAS_IS_CONNECTION (self));

  task = g_task_new (self, NULL, callback, user_data);
  own = g_task_new (self, NULL, own_closed_cb, task);
  g_task_set_source_tag (task, pas_connection_close_async);
  request_close (self, own);
}

gboolean
pas_connection_close_finish (PasConnection *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_connection_close_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pas_connection_is_connected (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), FALSE);

  return self->worker != NULL && g_atomic_int_get (&self->worker->connected);
}

const PasHostKey *
pas_connection_get_host_key (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);

  return pas_connection_is_connected (self) ? self->worker->host_key : NULL;
}

/* After a connect refused with PAS_ERROR_HOST_KEY_CHANGED. */
const PasHostKeyChange *
pas_connection_get_host_key_change (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);
  return self->host_key_change;
}

const char *
pas_connection_get_auth_method (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);

  return pas_connection_is_connected (self) ? self->worker->auth_method : NULL;
}

const PasAlgorithms *
pas_connection_get_algorithms (PasConnection *self)
{
  g_return_val_if_fail (PAS_IS_CONNECTION (self), NULL);

  return pas_connection_is_connected (self) ? &self->worker->algorithms : NULL;
}

void
pas_connection_set_algorithms (PasConnection *self,
                               const char    *ciphers,
                               const char    *macs)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  g_free (self->settings.ciphers);
  self->settings.ciphers = g_strdup (ciphers);
  g_free (self->settings.macs);
  self->settings.macs = g_strdup (macs);
}

static void
pas_connection_dispose (GObject *object)
{
  PasConnection *self = PAS_CONNECTION (object);

  pas_connection_close (self);
  g_clear_object (&self->interaction);
  g_clear_object (&self->via);

  G_OBJECT_CLASS (pas_connection_parent_class)->dispose (object);
}

static void
pas_connection_finalize (GObject *object)
{
  PasConnection *self = PAS_CONNECTION (object);

  pas_connection_settings_clear (&self->settings);
  g_clear_pointer (&self->host_key_change, pas_host_key_change_free);

  G_OBJECT_CLASS (pas_connection_parent_class)->finalize (object);
}

static void
pas_connection_class_init (PasConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pas_connection_dispose;
  object_class->finalize = pas_connection_finalize;
}

static void
pas_connection_init (PasConnection *self)
{
  const char *system_files[] = { "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2", NULL };
  g_autofree char *user_file = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
  g_autofree char *user_file2 = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts2", NULL);
  const char *read_only[] = { user_file2, system_files[0], system_files[1], NULL };

  self->settings.timeout_s = PAS_CONNECTION_DEFAULT_TIMEOUT;
  self->settings.keepalive_s = 30;
  self->settings.user_known_hosts = g_steal_pointer (&user_file);
  self->settings.read_only_known_hosts = g_strdupv ((char **) read_only);
}
