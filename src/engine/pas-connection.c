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

#include "pas-connection.h"
#include "pas-error.h"
#include "pas-known-hosts.h"
#include "pas-private-key.h"
#include "pas-secret.h"

/* Limits against hostile keyboard-interactive servers. */
#define MAX_KBDINT_PROMPTS 32
#define MAX_KBDINT_ROUNDS 16
#define MAX_PASSWORD_ATTEMPTS 3
#define MAX_PASSPHRASE_ATTEMPTS 3
#define FIRST_BYTES_KEPT 256
#define TEARDOWN_TIMEOUT_MS 1000

/* Everything the worker thread touches. Refcounted: the PasConnection and the
 * worker thread each hold a reference, so closing never waits on the network. */
typedef struct
{
  /* Copied at connect; read-only afterwards. */
  char             *host;
  guint16           port;
  char             *user;
  guint             timeout_s;
  guint             keepalive_s;
  char             *user_known_hosts;
  char            **read_only_known_hosts;
  gboolean          hash_known_hosts;
  char            **identity_files;
  gboolean          identities_only;
  PasInteraction   *interaction;
  GMainContext     *caller_context;

  GMainContext     *context;
  GMainLoop        *loop;
  GCancellable     *cancel;        /* cancelled by the caller's cancellable and by close */
  gulong            cancel_handler;
  GCancellable     *caller_cancellable;

  GSocketConnection *socket;
  int               fd;
  LIBSSH2_SESSION  *session;
  gint64            deadline;      /* monotonic µs for the current network wait */
  gboolean          timed_out;

  GByteArray       *first_bytes;   /* what the server said first, to recognise non-SSH servers */
  char             *disconnect_message;
  guint             kbdint_round;
  GError           *kbdint_error;

  PasKnownHosts    *known_hosts;
  PasHostKey       *host_key;
  char             *auth_method;
  gint              connected;     /* atomic */
} Worker;

struct _PasConnection
{
  GObject         parent_instance;

  char           *host;
  guint16         port;
  char           *user;
  guint           timeout_s;
  guint           keepalive_s;
  char           *user_known_hosts;
  char          **read_only_known_hosts;
  gboolean        hash_known_hosts;
  char          **identity_files;
  gboolean        identities_only;
  PasInteraction *interaction;

  Worker         *worker;
  GThread        *thread;
};

G_DEFINE_FINAL_TYPE (PasConnection, pas_connection, G_TYPE_OBJECT)

static GOnce libssh2_once = G_ONCE_INIT;

static gpointer
init_libssh2 (gpointer data)
{
  return GINT_TO_POINTER (libssh2_init (0) == 0);
}

/* ---- worker lifetime ---------------------------------------------------- */

static void
worker_clear (Worker *w)
{
  g_free (w->host);
  g_free (w->user);
  g_free (w->user_known_hosts);
  g_strfreev (w->read_only_known_hosts);
  g_strfreev (w->identity_files);
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
  g_clear_pointer (&w->host_key, pas_host_key_free);
  g_free (w->auth_method);
}

static Worker *
worker_ref (Worker *w)
{
  return g_atomic_rc_box_acquire (w);
}

static void
worker_unref (Worker *w)
{
  g_atomic_rc_box_release_full (w, (GDestroyNotify) worker_clear);
}

/* ---- waiting on the worker's main context -------------------------------- */

typedef struct
{
  gboolean done;
} Flag;

static gboolean
fd_ready_cb (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  ((Flag *) data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  ((Flag *) data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
timed_out_cb (gpointer data)
{
  Worker *w = data;

  w->timed_out = TRUE;
  g_cancellable_cancel (w->cancel);
  return G_SOURCE_REMOVE;
}

static void
start_deadline (Worker *w)
{
  w->deadline = g_get_monotonic_time () + (gint64) w->timeout_s * G_USEC_PER_SEC;
}

static GSource *
attach (Worker *w, GSource *source)
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
 * or (when @use_deadline) the current deadline passes, which cancels it. */
static void
run_until (Worker   *w,
           Flag     *flag,
           gboolean  use_deadline)
{
  GSource *cancel_source = g_cancellable_source_new (w->cancel);
  GSource *timer = NULL;

  g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancelled_cb), flag, NULL);
  attach (w, cancel_source);
  if (use_deadline)
    {
      gint64 left_ms = MAX (0, (w->deadline - g_get_monotonic_time ()) / 1000);

      timer = g_timeout_source_new ((guint) MIN (left_ms, G_MAXUINT));
      g_source_set_callback (timer, timed_out_cb, w, NULL);
      attach (w, timer);
    }

  while (!flag->done && !g_cancellable_is_cancelled (w->cancel))
    g_main_context_iteration (w->context, TRUE);

  drop (timer);
  drop (cancel_source);
}

static gboolean
set_stopped_error (Worker  *w,
                   GError **error,
                   const char *timeout_message)
{
  if (w->timed_out)
    g_set_error_literal (error, PAS_ERROR, PAS_ERROR_TIMED_OUT, timeout_message);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The connection was cancelled"));
  return FALSE;
}

/* Waits for the socket in the directions libssh2 is blocked on. */
static gboolean
wait_session (Worker      *w,
              const char  *timeout_message,
              GError     **error)
{
  int directions = libssh2_session_block_directions (w->session);
  GIOCondition condition = G_IO_ERR | G_IO_HUP;
  Flag flag = { FALSE };
  GSource *source;

  if (directions & LIBSSH2_SESSION_BLOCK_INBOUND)
    condition |= G_IO_IN;
  if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND)
    condition |= G_IO_OUT;
  if (!(condition & (G_IO_IN | G_IO_OUT)))
    condition |= G_IO_IN;

  source = g_unix_fd_source_new (w->fd, condition);
  g_source_set_callback (source, G_SOURCE_FUNC (fd_ready_cb), &flag, NULL);
  attach (w, source);
  run_until (w, &flag, TRUE);
  drop (source);

  if (g_cancellable_is_cancelled (w->cancel))
    return set_stopped_error (w, error, timeout_message);
  return TRUE;
}

/* ---- asking the caller's interaction ------------------------------------- */

typedef enum { ASK_HOST_KEY, ASK_PASSWORD, ASK_PASSPHRASE, ASK_PROMPTS } AskKind;

typedef struct
{
  Worker             *w;
  AskKind             kind;
  Flag                flag;
  PasHostKeyQuery     host_key;
  PasPasswordQuery    password;
  PasPassphraseQuery  passphrase;
  PasPromptsQuery     prompts;
  /* owned storage behind the queries */
  char               *fingerprint;
  char               *randomart;
  char              **known_types;
  char               *message;
  char              **prompt_texts;
  gboolean           *echo;
  char               *name;
  char               *instruction;
  /* answers */
  PasHostKeyDecision  decision;
  char               *secret;
  char              **answers;
  GError             *error;
} Ask;

static void
ask_clear (Ask *ask)
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
  worker_unref (ask->w);
}

static void
ask_unref (gpointer ask)
{
  g_atomic_rc_box_release_full (ask, (GDestroyNotify) ask_clear);
}

static gboolean
ask_mark_done_cb (gpointer data)
{
  Ask *ask = data;

  ask->flag.done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
ask_finished_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Ask *ask = data;
  PasInteraction *interaction = PAS_INTERACTION (source);

  switch (ask->kind)
    {
    case ASK_HOST_KEY:
      ask->decision = pas_interaction_ask_host_key_finish (interaction, result, &ask->error);
      break;
    case ASK_PASSWORD:
      ask->secret = pas_interaction_ask_password_finish (interaction, result, &ask->error);
      break;
    case ASK_PASSPHRASE:
      ask->secret = pas_interaction_ask_passphrase_finish (interaction, result, &ask->error);
      break;
    case ASK_PROMPTS:
      ask->answers = pas_interaction_ask_prompts_finish (interaction, result, &ask->error);
      break;
    default:
      g_assert_not_reached ();
    }

  /* The flag belongs to the worker thread: set it there. */
  g_main_context_invoke_full (ask->w->context, G_PRIORITY_DEFAULT, ask_mark_done_cb, ask, ask_unref);
}

static gboolean
ask_start_cb (gpointer data)
{
  Ask *ask = g_atomic_rc_box_acquire (data);
  PasInteraction *interaction = ask->w->interaction;

  switch (ask->kind)
    {
    case ASK_HOST_KEY:
      pas_interaction_ask_host_key_async (interaction, &ask->host_key, ask->w->cancel, ask_finished_cb, ask);
      break;
    case ASK_PASSWORD:
      pas_interaction_ask_password_async (interaction, &ask->password, ask->w->cancel, ask_finished_cb, ask);
      break;
    case ASK_PASSPHRASE:
      pas_interaction_ask_passphrase_async (interaction, &ask->passphrase, ask->w->cancel, ask_finished_cb, ask);
      break;
    case ASK_PROMPTS:
      pas_interaction_ask_prompts_async (interaction, &ask->prompts, ask->w->cancel, ask_finished_cb, ask);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static Ask *
ask_new (Worker  *w,
         AskKind  kind)
{
  Ask *ask = g_atomic_rc_box_new0 (Ask);

  ask->w = worker_ref (w);
  ask->kind = kind;
  return ask;
}

/* Asks in the caller's main context and waits, without a deadline: people
 * take the time they need. Returns FALSE if the connection was cancelled. */
static gboolean
ask_and_wait (Worker  *w,
              Ask     *ask,
              GError **error)
{
  g_main_context_invoke_full (w->caller_context, G_PRIORITY_DEFAULT, ask_start_cb,
                              g_atomic_rc_box_acquire (ask), ask_unref);
  run_until (w, &ask->flag, FALSE);
  if (!ask->flag.done)
    return set_stopped_error (w, error, "");
  if (ask->error != NULL && g_error_matches (ask->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&ask->error));
      return FALSE;
    }
  return TRUE;
}

/* ---- libssh2 callbacks --------------------------------------------------- */

static ssize_t
recv_cb (libssh2_socket_t socket,
         void            *buffer,
         size_t           length,
         int              flags,
         void           **abstract)
{
  Worker *w = *abstract;
  ssize_t n = recv (socket, buffer, length, flags);

  if (n < 0)
    return -errno;
  if (n > 0 && w->first_bytes->len < FIRST_BYTES_KEPT)
    g_byte_array_append (w->first_bytes, buffer,
                         (guint) MIN ((gsize) n, FIRST_BYTES_KEPT - w->first_bytes->len));
  return n;
}

static void
disconnect_cb (LIBSSH2_SESSION *session,
               int              reason,
               const char      *message,
               int              message_len,
               const char      *language,
               int              language_len,
               void           **abstract)
{
  Worker *w = *abstract;

  g_free (w->disconnect_message);
  w->disconnect_message = message_len > 0 ? g_utf8_make_valid (message, MIN (message_len, 1024)) : NULL;
}

/* ---- errors -------------------------------------------------------------- */

static char *
server_name (Worker *w)
{
  if (w->port == 22)
    return g_strdup (w->host);
  return g_strdup_printf (strchr (w->host, ':') ? "[%s]:%u" : "%s:%u", w->host, w->port);
}

/* The first line a server sent, made safe to show. */
static char *
first_line (Worker *w)
{
  g_autofree char *text = g_utf8_make_valid ((const char *) w->first_bytes->data, w->first_bytes->len);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p && *p != '\n' && *p != '\r' && out->len < 80; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
server_spoke_ssh (Worker *w)
{
  const guint8 *data = w->first_bytes->data;
  gsize len = w->first_bytes->len;

  for (gsize i = 0; i + 4 <= len; i++)
    if ((i == 0 || data[i - 1] == '\n') && memcmp (data + i, "SSH-", 4) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
handshake_error (Worker  *w,
                 int      rc,
                 GError **error)
{
  g_autofree char *name = server_name (w);
  char *detail = NULL;

  libssh2_session_last_error (w->session, &detail, NULL, 0);

  if (w->first_bytes->len > 0 && !server_spoke_ssh (w))
    {
      g_autofree char *said = first_line (w);
      g_set_error (error, PAS_ERROR, PAS_ERROR_NOT_SSH,
                   _("%s answered, but it is not an SSH server (it said “%s”)"), name, said);
    }
  else if (rc == LIBSSH2_ERROR_KEX_FAILURE || rc == LIBSSH2_ERROR_METHOD_NOT_SUPPORTED)
    g_set_error (error, PAS_ERROR, PAS_ERROR_NO_COMMON_ALGORITHM,
                 _("%s and Passerelle have no encryption method in common (%s)"), name,
                 detail != NULL ? detail : "");
  else if (w->first_bytes->len == 0)
    g_set_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED,
                 _("%s closed the connection without saying anything"), name);
  else
    g_set_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED,
                 _("%s closed the connection during the handshake (%s)"), name,
                 w->disconnect_message != NULL ? w->disconnect_message : (detail != NULL ? detail : ""));
  return FALSE;
}

/* ---- connect steps ------------------------------------------------------- */

typedef struct
{
  Flag          flag;
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
step_tcp_connect (Worker  *w,
                  GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = server_name (w);
  AsyncWait wait = { { FALSE }, NULL };
  GSocket *socket;

  g_socket_client_set_protocol (client, G_SOCKET_PROTOCOL_TCP);
  /* SSH does not go through HTTP proxies, and libproxy may look for one on the network. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, w->host, w->port, w->cancel, async_wait_cb, &wait);
  /* The callback must run before @wait leaves the stack, even when cancelled. */
  while (!wait.flag.done)
    {
      run_until (w, &wait.flag, TRUE);
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
                                  "%s did not answer within %u seconds", w->timeout_s),
                     name, w->timeout_s);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (local_error->domain == G_RESOLVER_ERROR)
        g_set_error (error, PAS_ERROR, PAS_ERROR_NAME_NOT_RESOLVED,
                     _("The server name “%s” could not be found"), w->host);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        g_set_error (error, PAS_ERROR, PAS_ERROR_CONNECTION_REFUSED,
                     _("%s refused the connection"), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, PAS_ERROR, PAS_ERROR_TIMED_OUT,
                     g_dngettext (GETTEXT_PACKAGE, "%s did not answer within %u second",
                                  "%s did not answer within %u seconds", w->timeout_s),
                     name, w->timeout_s);
      else
        g_set_error (error, PAS_ERROR, PAS_ERROR_NETWORK,
                     _("Could not reach %s: %s"), name, local_error->message);
      return FALSE;
    }

  socket = g_socket_connection_get_socket (w->socket);
  w->fd = g_socket_get_fd (socket);
  /* libssh2 never sets it; without it small packets wait for delayed ACKs (design brief §1). */
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, &local_error))
    g_debug ("TCP_NODELAY: %s", local_error->message);
  return TRUE;
}

/* Puts the host-key types already on file first, so that a server offering
 * another type cannot pass itself off as a new host. */
static void
prefer_known_host_key_types (Worker *w)
{
  g_auto(GStrv) known = pas_known_hosts_get_key_types (w->known_hosts, w->host, w->port);
  g_autoptr(GString) prefs = g_string_new (NULL);
  const char **supported = NULL;
  int n;

  if (known[0] == NULL)
    return;

  n = libssh2_session_supported_algs (w->session, LIBSSH2_METHOD_HOSTKEY, &supported);
  for (guint i = 0; known[i] != NULL; i++)
    for (int j = 0; j < n; j++)
      if (strcmp (known[i], supported[j]) == 0)
        g_string_append_printf (prefs, "%s%s", prefs->len ? "," : "", supported[j]);
  for (int j = 0; j < n; j++)
    if (!g_strv_contains ((const char * const *) known, supported[j]))
      g_string_append_printf (prefs, "%s%s", prefs->len ? "," : "", supported[j]);
  if (n > 0)
    libssh2_free (w->session, supported);

  if (prefs->len > 0 && libssh2_session_method_pref (w->session, LIBSSH2_METHOD_HOSTKEY, prefs->str) != 0)
    g_debug ("could not set host key preferences %s", prefs->str);
}

static gboolean
step_handshake (Worker  *w,
                GError **error)
{
  g_autofree char *name = server_name (w);
  g_autofree char *timeout_message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "%s accepted the connection but did not answer within %u second",
                                  "%s accepted the connection but did not answer within %u seconds",
                                  w->timeout_s),
                     name, w->timeout_s);
  int rc;

  w->session = libssh2_session_init_ex (NULL, NULL, NULL, w);
  if (w->session == NULL)
    {
      g_set_error_literal (error, PAS_ERROR, PAS_ERROR_FAILED, _("Could not start an SSH session"));
      return FALSE;
    }
  libssh2_session_set_blocking (w->session, 0);
  libssh2_session_callback_set (w->session, LIBSSH2_CALLBACK_RECV, (void *) recv_cb);
  libssh2_session_callback_set (w->session, LIBSSH2_CALLBACK_DISCONNECT, (void *) disconnect_cb);
  prefer_known_host_key_types (w);

  while ((rc = libssh2_session_handshake (w->session, w->fd)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_session (w, timeout_message, error))
      {
        if (w->timed_out && w->first_bytes->len > 0 && !server_spoke_ssh (w))
          {
            g_autofree char *said = first_line (w);
            g_clear_error (error);
            g_set_error (error, PAS_ERROR, PAS_ERROR_NOT_SSH,
                         _("%s answered, but it is not an SSH server (it said “%s”)"), name, said);
          }
        return FALSE;
      }

  if (rc != 0)
    return handshake_error (w, rc, error);
  return TRUE;
}

static gboolean
load_known_hosts (Worker  *w,
                  GError **error)
{
  w->known_hosts = pas_known_hosts_new ();

  if (!pas_known_hosts_load (w->known_hosts, w->user_known_hosts, error))
    return FALSE;
  for (guint i = 0; w->read_only_known_hosts != NULL && w->read_only_known_hosts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      /* A broken system file must not lock people out of every server. */
      if (!pas_known_hosts_load (w->known_hosts, w->read_only_known_hosts[i], &local_error))
        g_message ("%s", local_error->message);
    }
  for (const char * const *warning = pas_known_hosts_get_warnings (w->known_hosts); *warning; warning++)
    g_message ("known_hosts: %s", *warning);
  return TRUE;
}

/* Decides about the server's key before anything is sent that identifies us:
 * no user name, no password, no signature. */
static gboolean
step_check_host_key (Worker  *w,
                     GError **error)
{
  g_autofree char *name = server_name (w);
  g_autofree char *where = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GError) key_error = NULL;
  const char *blob;
  size_t len = 0;
  int type = 0;
  PasHostKeyStatus status;
  Ask *ask;
  gboolean ok;

  blob = libssh2_session_hostkey (w->session, &len, &type);
  if (blob == NULL)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("%s sent no host key"), name);
      return FALSE;
    }
  w->host_key = pas_host_key_new_from_blob ((const guint8 *) blob, len, &key_error);
  if (w->host_key == NULL)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_HOST_KEY, "%s: %s", name, key_error->message);
      return FALSE;
    }
  fingerprint = pas_host_key_get_fingerprint (w->host_key);
  status = pas_known_hosts_check (w->known_hosts, w->host, w->port, w->host_key, &where);

  switch (status)
    {
    case PAS_HOST_KEY_STATUS_KNOWN:
      return TRUE;

    case PAS_HOST_KEY_STATUS_CHANGED:
      g_set_error (error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED,
                   _("The key of %s has changed: it is now %s %s, but %s holds another one. "
                     "Someone may be intercepting the connection."),
                   name, pas_host_key_get_display_type (w->host_key), fingerprint, where);
      return FALSE;

    case PAS_HOST_KEY_STATUS_REVOKED:
      g_set_error (error, PAS_ERROR, PAS_ERROR_HOST_KEY_REVOKED,
                   _("The key of %s (%s %s) is marked as revoked in %s"),
                   name, pas_host_key_get_display_type (w->host_key), fingerprint, where);
      return FALSE;

    case PAS_HOST_KEY_STATUS_NEW:
    case PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN:
    default:
      break;
    }

  ask = ask_new (w, ASK_HOST_KEY);
  ask->fingerprint = g_strdup (fingerprint);
  ask->randomart = pas_host_key_get_randomart (w->host_key);
  ask->known_types = pas_known_hosts_get_key_types (w->known_hosts, w->host, w->port);
  ask->host_key = (PasHostKeyQuery) {
    .host = w->host, .port = w->port, .status = status, .key = w->host_key,
    .fingerprint = ask->fingerprint, .randomart = ask->randomart,
    .known_types = (const char * const *) ask->known_types,
  };

  ok = ask_and_wait (w, ask, error);
  if (ok && (ask->error != NULL || ask->decision == PAS_HOST_KEY_DECISION_REJECT))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_HOST_KEY_UNKNOWN,
                   _("The key of %s (%s %s) is not known, and it was not accepted"),
                   name, pas_host_key_get_display_type (w->host_key), fingerprint);
      ok = FALSE;
    }
  else if (ok && ask->decision == PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE)
    {
      g_autoptr(GError) save_error = NULL;

      /* Not being able to remember the key is no reason to refuse a key the person accepted. */
      if (!pas_known_hosts_add (w->known_hosts, w->user_known_hosts, w->host, w->port, w->host_key,
                                w->hash_known_hosts, &save_error))
        g_message ("%s", save_error->message);
    }

  ask_unref (ask);
  return ok;
}

static gboolean
auth_failure (Worker      *w,
              int          rc,
              const char  *tried,
              const char  *allowed,
              GError     **error)
{
  g_autofree char *name = server_name (w);

  if (w->disconnect_message != NULL && strstr (w->disconnect_message, "Too many authentication failures"))
    g_set_error (error, PAS_ERROR, PAS_ERROR_TOO_MANY_AUTH_FAILURES,
                 _("%s ended the connection after too many failed logins for %s"), name, w->user);
  else if (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED)
    g_set_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED,
                 _("The password of %s on %s has expired"), w->user, name);
  else if (rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
           rc == LIBSSH2_ERROR_SOCKET_SEND)
    {
      if (w->disconnect_message != NULL)
        g_set_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED,
                     _("%s closed the connection during login: %s"), name, w->disconnect_message);
      else
        g_set_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED,
                     _("%s closed the connection during login"), name);
    }
  else
    g_set_error (error, PAS_ERROR, PAS_ERROR_AUTH_FAILED,
                 /* Translators: the lists are SSH method names such as "password, publickey" */
                 _("Could not log in to %s as %s. Tried: %s. The server accepts: %s."),
                 name, w->user, tried[0] ? tried : _("nothing"), allowed);
  return FALSE;
}

static void
kbdint_cb (const char                            *name,
           int                                    name_len,
           const char                            *instruction,
           int                                    instruction_len,
           int                                    num_prompts,
           const LIBSSH2_USERAUTH_KBDINT_PROMPT  *prompts,
           LIBSSH2_USERAUTH_KBDINT_RESPONSE      *responses,
           void                                 **abstract)
{
  Worker *w = *abstract;
  Ask *ask;
  guint n;

  w->kbdint_round++;
  if (w->kbdint_error != NULL || num_prompts < 0 || num_prompts > MAX_KBDINT_PROMPTS ||
      w->kbdint_round > MAX_KBDINT_ROUNDS)
    return;   /* empty answers: the server refuses, and we stop */
  n = (guint) num_prompts;

  ask = ask_new (w, ASK_PROMPTS);
  ask->name = name_len > 0 ? g_utf8_make_valid (name, MIN (name_len, 1024)) : NULL;
  ask->instruction = instruction_len > 0 ? g_utf8_make_valid (instruction, MIN (instruction_len, 4096)) : NULL;
  ask->prompt_texts = g_new0 (char *, n + 1);
  ask->echo = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    {
      ask->prompt_texts[i] = g_utf8_make_valid (prompts[i].text, MIN (prompts[i].length, 1024u));
      ask->echo[i] = prompts[i].echo != 0;
    }
  ask->prompts = (PasPromptsQuery) {
    .host = w->host, .user = w->user, .name = ask->name, .instruction = ask->instruction,
    .prompts = (const char * const *) ask->prompt_texts, .echo = ask->echo, .round = w->kbdint_round,
  };

  if (!ask_and_wait (w, ask, &w->kbdint_error))
    {
      /* cancelled: kbdint_error says so */
    }
  else if (ask->error != NULL)
    g_propagate_error (&w->kbdint_error, g_steal_pointer (&ask->error));
  else if (ask->answers == NULL || g_strv_length (ask->answers) != n)
    g_set_error_literal (&w->kbdint_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "wrong number of answers");
  else
    for (guint i = 0; i < n; i++)
      {
        /* libssh2 frees the responses with its allocator, which is malloc here. */
        gsize len = strlen (ask->answers[i]);
        responses[i].text = malloc (len + 1);
        if (responses[i].text == NULL)
          break;
        memcpy (responses[i].text, ask->answers[i], len + 1);
        responses[i].length = (unsigned int) len;
      }

  ask_unref (ask);
}

static int
try_keyboard_interactive (Worker  *w,
                          GError **error)
{
  int rc;

  w->kbdint_round = 0;
  g_clear_error (&w->kbdint_error);
  start_deadline (w);
  while ((rc = libssh2_userauth_keyboard_interactive_ex (w->session, w->user, strlen (w->user),
                                                          kbdint_cb)) == LIBSSH2_ERROR_EAGAIN)
    {
      if (w->kbdint_error != NULL)
        break;
      start_deadline (w);
      if (!wait_session (w, _("The server stopped answering during login"), error))
        return LIBSSH2_ERROR_TIMEOUT;
    }
  if (w->kbdint_error != NULL && g_error_matches (w->kbdint_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&w->kbdint_error));
      return LIBSSH2_ERROR_TIMEOUT;
    }
  return rc;
}

static int
try_password (Worker  *w,
              GError **error)
{
  g_autofree char *message = NULL;
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  for (guint attempt = 1; attempt <= MAX_PASSWORD_ATTEMPTS; attempt++)
    {
      Ask *ask = ask_new (w, ASK_PASSWORD);
      gboolean asked;

      ask->message = g_strdup (message);
      ask->password = (PasPasswordQuery) {
        .host = w->host, .port = w->port, .user = w->user, .attempt = attempt, .message = ask->message,
      };
      asked = ask_and_wait (w, ask, error);
      if (!asked)
        {
          ask_unref (ask);
          return LIBSSH2_ERROR_TIMEOUT;
        }
      if (ask->error != NULL || ask->secret == NULL)
        {
          ask_unref (ask);
          return rc;   /* nobody to ask, or no answer: the method is over */
        }

      start_deadline (w);
      while ((rc = libssh2_userauth_password_ex (w->session, w->user, strlen (w->user),
                                                 ask->secret, strlen (ask->secret), NULL)) == LIBSSH2_ERROR_EAGAIN)
        if (!wait_session (w, _("The server stopped answering during login"), error))
          {
            ask_unref (ask);
            return LIBSSH2_ERROR_TIMEOUT;
          }
      ask_unref (ask);   /* wipes the password */

      if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED)
        return rc;
      g_free (message);
      message = g_strdup (_("The password was not accepted. Please try again."));
    }
  return rc;
}

typedef struct
{
  Worker        *w;
  PasPrivateKey *key;
  GError        *error;
} KeyAttempt;

/* Asks for the passphrase until the key opens, at most three times. */
static gboolean
unlock_key (Worker         *w,
            PasPrivateKey  *key,
            GError        **error)
{
  g_autofree char *fingerprint = pas_private_key_get_fingerprint (key);
  g_autofree char *message = NULL;

  for (guint attempt = 1; attempt <= MAX_PASSPHRASE_ATTEMPTS; attempt++)
    {
      Ask *ask = ask_new (w, ASK_PASSPHRASE);
      g_autoptr(GError) unlock_error = NULL;
      gboolean opened;

      ask->message = g_strdup (message);
      ask->passphrase = (PasPassphraseQuery) {
        .key_path = pas_private_key_get_path (key), .comment = pas_private_key_get_comment (key),
        .fingerprint = fingerprint, .attempt = attempt, .message = ask->message,
      };
      if (!ask_and_wait (w, ask, error))
        {
          ask_unref (ask);
          return FALSE;
        }
      if (ask->error != NULL || ask->secret == NULL)
        {
          g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE,
                       _("No passphrase was given for the key %s"), pas_private_key_get_path (key));
          ask_unref (ask);
          return FALSE;
        }
      opened = pas_private_key_unlock (key, ask->secret, &unlock_error);
      ask_unref (ask);   /* wipes the passphrase */
      if (opened)
        return TRUE;
      if (!g_error_matches (unlock_error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE))
        {
          g_propagate_error (error, g_steal_pointer (&unlock_error));
          return FALSE;
        }
      g_free (message);
      message = g_strdup (_("The passphrase was not right. Please try again."));
    }

  g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE,
               _("The passphrase of the key %s was not right"), pas_private_key_get_path (key));
  return FALSE;
}

/* libssh2 calls this only after the server said it would accept the key
 * (SSH_MSG_USERAUTH_PK_OK), so passphrases are asked only for useful keys. */
static int
sign_cb (LIBSSH2_SESSION      *session,
         unsigned char       **sig,
         size_t               *sig_len,
         const unsigned char  *data,
         size_t                data_len,
         void                **abstract)
{
  KeyAttempt *attempt = *abstract;
  g_autoptr(GBytes) signature = NULL;
  gsize len;

  if (!pas_private_key_is_loaded (attempt->key) && !unlock_key (attempt->w, attempt->key, &attempt->error))
    return -1;
  signature = pas_private_key_sign (attempt->key, data, data_len, &attempt->error);
  if (signature == NULL)
    return -1;

  /* libssh2 frees it with its allocator, which is malloc here. */
  len = g_bytes_get_size (signature);
  *sig = malloc (len);
  if (*sig == NULL)
    return -1;
  memcpy (*sig, g_bytes_get_data (signature, NULL), len);
  *sig_len = len;
  return 0;
}

static char **
identity_files (Worker *w)
{
  static const char *defaults[] = { "id_rsa", "id_ecdsa", "id_ed25519", NULL };
  GPtrArray *files = g_ptr_array_new ();

  for (guint i = 0; w->identity_files != NULL && w->identity_files[i] != NULL; i++)
    g_ptr_array_add (files, g_strdup (w->identity_files[i]));
  if (!w->identities_only)
    for (guint i = 0; defaults[i] != NULL; i++)
      {
        char *path = g_build_filename (g_get_home_dir (), ".ssh", defaults[i], NULL);

        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          g_ptr_array_add (files, path);
        else
          g_free (path);
      }
  g_ptr_array_add (files, NULL);
  return (char **) g_ptr_array_free (files, FALSE);
}

/* Returns 0 when a key logged us in; a libssh2 code otherwise. A key that
 * cannot be used is skipped and remembered in @key_error. */
static int
try_public_keys (Worker     *w,
                 GString    *tried,
                 GError    **key_error,
                 GError    **error)
{
  g_auto(GStrv) files = identity_files (w);
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(PasPrivateKey) key = NULL;
      g_autoptr(GBytes) blob = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *fingerprint = NULL;
      KeyAttempt attempt = { w, NULL, NULL };
      void *abstract = &attempt;

      key = pas_private_key_load (files[i], &local_error);
      if (key == NULL)
        {
          g_message ("%s", local_error->message);
          if (*key_error == NULL)
            g_propagate_error (key_error, g_steal_pointer (&local_error));
          continue;
        }
      /* An encrypted PEM key without NAME.pub hides even its public half. */
      if (pas_private_key_get_public_blob (key) == NULL && !unlock_key (w, key, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return LIBSSH2_ERROR_TIMEOUT;
            }
          if (*key_error == NULL)
            g_propagate_error (key_error, g_steal_pointer (&local_error));
          continue;
        }

      fingerprint = pas_private_key_get_fingerprint (key);
      g_string_append_printf (tried, "%spublickey (%s)", tried->len ? ", " : "", fingerprint);
      blob = pas_private_key_get_auth_blob (key);
      attempt.key = key;

      start_deadline (w);
      while ((rc = libssh2_userauth_publickey (w->session, w->user,
                                               g_bytes_get_data (blob, NULL), g_bytes_get_size (blob),
                                               sign_cb, &abstract)) == LIBSSH2_ERROR_EAGAIN)
        {
          start_deadline (w);
          if (!wait_session (w, _("The server stopped answering during login"), error))
            {
              g_clear_error (&attempt.error);
              return LIBSSH2_ERROR_TIMEOUT;
            }
        }

      if (rc == 0)
        {
          g_clear_error (&attempt.error);
          return 0;
        }
      if (attempt.error != NULL)
        {
          if (g_error_matches (attempt.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, attempt.error);
              return LIBSSH2_ERROR_TIMEOUT;
            }
          if (*key_error == NULL)
            g_propagate_error (key_error, attempt.error);
          else
            g_error_free (attempt.error);
        }
      if (rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
          rc == LIBSSH2_ERROR_SOCKET_SEND)
        return rc;
    }
  return rc;
}

static gboolean
step_authenticate (Worker  *w,
                   GError **error)
{
  g_autoptr(GString) tried = g_string_new (NULL);
  g_autoptr(GError) key_error = NULL;
  g_auto(GStrv) allowed = NULL;
  g_autofree char *allowed_text = NULL;
  char *list;
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  start_deadline (w);
  while ((list = libssh2_userauth_list (w->session, w->user, strlen (w->user))) == NULL &&
         libssh2_session_last_errno (w->session) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_session (w, _("The server stopped answering during login"), error))
      return FALSE;

  if (list == NULL)
    {
      if (libssh2_userauth_authenticated (w->session))
        {
          w->auth_method = g_strdup ("none");
          return TRUE;
        }
      return auth_failure (w, libssh2_session_last_errno (w->session), "", "", error);
    }

  allowed_text = g_strdup (list);
  allowed = g_strsplit (list, ",", -1);

  if (g_strv_contains ((const char * const *) allowed, "publickey"))
    {
      rc = try_public_keys (w, tried, &key_error, error);
      if (rc == 0)
        {
          w->auth_method = g_strdup ("publickey");
          return TRUE;
        }
      if (error != NULL && *error != NULL)
        return FALSE;
      if (rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
          rc == LIBSSH2_ERROR_SOCKET_SEND)
        return auth_failure (w, rc, tried->str, allowed_text, error);
    }

  if (g_strv_contains ((const char * const *) allowed, "keyboard-interactive"))
    {
      g_string_append (tried, "keyboard-interactive");
      rc = try_keyboard_interactive (w, error);
      if (rc == 0)
        {
          w->auth_method = g_strdup ("keyboard-interactive");
          return TRUE;
        }
      if (error != NULL && *error != NULL)
        return FALSE;
      if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && rc != LIBSSH2_ERROR_METHOD_NOT_SUPPORTED &&
          rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED)
        return auth_failure (w, rc, tried->str, allowed_text, error);
    }

  if (g_strv_contains ((const char * const *) allowed, "password"))
    {
      g_string_append_printf (tried, "%spassword", tried->len ? ", " : "");
      rc = try_password (w, error);
      if (rc == 0)
        {
          w->auth_method = g_strdup ("password");
          return TRUE;
        }
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  /* A key that could not be opened explains the failure better than "denied". */
  if (key_error != NULL && tried->len == 0)
    {
      g_propagate_error (error, g_steal_pointer (&key_error));
      return FALSE;
    }
  if (key_error != NULL && g_error_matches (key_error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE))
    {
      g_propagate_error (error, g_steal_pointer (&key_error));
      return FALSE;
    }
  return auth_failure (w, rc, tried->str, allowed_text, error);
}

static gboolean
keepalive_cb (gpointer data)
{
  Worker *w = data;
  int next = 0;

  /* EAGAIN only means the packet goes out with the next write. */
  libssh2_keepalive_send (w->session, &next);
  return G_SOURCE_CONTINUE;
}

static void
teardown (Worker *w)
{
  if (w->session != NULL)
    {
      /* Short and blocking: the worker is leaving and nobody waits on it. */
      libssh2_session_set_timeout (w->session, TEARDOWN_TIMEOUT_MS);
      libssh2_session_set_blocking (w->session, 1);
      if (g_atomic_int_get (&w->connected))
        libssh2_session_disconnect_ex (w->session, SSH_DISCONNECT_BY_APPLICATION, "Closed by Passerelle", "");
      libssh2_session_free (w->session);
      w->session = NULL;
    }
  g_atomic_int_set (&w->connected, 0);
  if (w->socket != NULL)
    g_io_stream_close (G_IO_STREAM (w->socket), NULL, NULL);
}

typedef struct
{
  Worker *worker;
  GTask  *task;
} ThreadData;

static gpointer
worker_thread (gpointer data)
{
  ThreadData *td = data;
  Worker *w = td->worker;
  g_autoptr(GTask) task = td->task;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_free (td);
  g_main_context_push_thread_default (w->context);

  start_deadline (w);
  ok = load_known_hosts (w, &error) &&
       step_tcp_connect (w, &error) &&
       step_handshake (w, &error) &&
       step_check_host_key (w, &error) &&
       step_authenticate (w, &error);

  if (w->cancel_handler != 0)
    g_cancellable_disconnect (w->caller_cancellable, w->cancel_handler);
  w->cancel_handler = 0;

  if (ok)
    {
      g_autoptr(GSource) keepalive = NULL;

      g_atomic_int_set (&w->connected, 1);
      g_task_return_boolean (task, TRUE);
      g_clear_object (&task);

      if (w->keepalive_s > 0)
        {
          libssh2_keepalive_config (w->session, 1, w->keepalive_s);
          keepalive = g_timeout_source_new_seconds (w->keepalive_s);
          g_source_set_callback (keepalive, keepalive_cb, w, NULL);
          g_source_attach (keepalive, w->context);
        }
      if (!g_cancellable_is_cancelled (w->cancel))
        g_main_loop_run (w->loop);
      if (keepalive != NULL)
        g_source_destroy (keepalive);
    }
  else
    {
      g_debug ("connect to %s failed: %s", w->host, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_clear_object (&task);
    }

  teardown (w);
  g_main_context_pop_thread_default (w->context);
  worker_unref (w);
  return NULL;
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
  self->host = g_strdup (host);
  self->port = port != 0 ? port : 22;
  self->user = g_strdup (user != NULL ? user : g_get_user_name ());
  return self;
}

const char *
pas_connection_get_host (PasConnection *self)
{
  return self->host;
}

guint16
pas_connection_get_port (PasConnection *self)
{
  return self->port;
}

const char *
pas_connection_get_user (PasConnection *self)
{
  return self->user;
}

void
pas_connection_set_interaction (PasConnection  *self,
                                PasInteraction *interaction)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));
  g_set_object (&self->interaction, interaction);
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

  g_free (self->user_known_hosts);
  self->user_known_hosts = g_strdup (user_file);
  g_strfreev (self->read_only_known_hosts);
  self->read_only_known_hosts = g_strdupv ((char **) read_only_files);
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

  g_strfreev (self->identity_files);
  self->identity_files = g_strdupv ((char **) files);
  self->identities_only = only;
}

void
pas_connection_set_hash_known_hosts (PasConnection *self,
                                     gboolean       hash)
{
  self->hash_known_hosts = hash;
}

void
pas_connection_set_timeout (PasConnection *self,
                            guint          seconds)
{
  self->timeout_s = seconds > 0 ? seconds : PAS_CONNECTION_DEFAULT_TIMEOUT;
}

void
pas_connection_set_keepalive_interval (PasConnection *self,
                                       guint          seconds)
{
  self->keepalive_s = seconds;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

void
pas_connection_connect_async (PasConnection       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ThreadData *td;
  Worker *w;

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

  w = g_atomic_rc_box_new0 (Worker);
  w->host = g_strdup (self->host);
  w->port = self->port;
  w->user = g_strdup (self->user);
  w->timeout_s = self->timeout_s;
  w->keepalive_s = self->keepalive_s;
  w->user_known_hosts = g_strdup (self->user_known_hosts);
  w->read_only_known_hosts = g_strdupv (self->read_only_known_hosts);
  w->hash_known_hosts = self->hash_known_hosts;
  w->identity_files = g_strdupv (self->identity_files);
  w->identities_only = self->identities_only;
  w->interaction = self->interaction != NULL ? g_object_ref (self->interaction)
                                             : g_object_new (PAS_TYPE_INTERACTION, NULL);
  w->caller_context = g_main_context_ref_thread_default ();
  w->context = g_main_context_new ();
  w->loop = g_main_loop_new (w->context, FALSE);
  w->cancel = g_cancellable_new ();
  w->first_bytes = g_byte_array_new ();
  w->fd = -1;
  if (cancellable != NULL)
    {
      w->caller_cancellable = g_object_ref (cancellable);
      w->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                 g_object_ref (w->cancel), g_object_unref);
    }
  self->worker = w;

  td = g_new0 (ThreadData, 1);
  td->worker = worker_ref (w);
  td->task = g_steal_pointer (&task);
  self->thread = g_thread_try_new ("pas-connection", worker_thread, td, &error);
  if (self->thread == NULL)
    {
      task = td->task;
      worker_unref (td->worker);
      g_free (td);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

gboolean
pas_connection_connect_finish (PasConnection  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
quit_loop_cb (gpointer data)
{
  Worker *w = data;

  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

void
pas_connection_close (PasConnection *self)
{
  g_return_if_fail (PAS_IS_CONNECTION (self));

  if (self->worker == NULL)
    return;

  g_cancellable_cancel (self->worker->cancel);
  g_main_context_invoke_full (self->worker->context, G_PRIORITY_HIGH, quit_loop_cb,
                              worker_ref (self->worker), (GDestroyNotify) worker_unref);
  g_clear_pointer (&self->thread, g_thread_unref);
  g_clear_pointer (&self->worker, worker_unref);
}

gboolean
pas_connection_is_connected (PasConnection *self)
{
  return self->worker != NULL && g_atomic_int_get (&self->worker->connected);
}

const PasHostKey *
pas_connection_get_host_key (PasConnection *self)
{
  return pas_connection_is_connected (self) ? self->worker->host_key : NULL;
}

const char *
pas_connection_get_auth_method (PasConnection *self)
{
  return pas_connection_is_connected (self) ? self->worker->auth_method : NULL;
}

static void
pas_connection_dispose (GObject *object)
{
  PasConnection *self = PAS_CONNECTION (object);

  pas_connection_close (self);
  g_clear_object (&self->interaction);

  G_OBJECT_CLASS (pas_connection_parent_class)->dispose (object);
}

static void
pas_connection_finalize (GObject *object)
{
  PasConnection *self = PAS_CONNECTION (object);

  g_free (self->host);
  g_free (self->user);
  g_free (self->user_known_hosts);
  g_strfreev (self->read_only_known_hosts);
  g_strfreev (self->identity_files);

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

  self->timeout_s = PAS_CONNECTION_DEFAULT_TIMEOUT;
  self->keepalive_s = 30;
  self->user_known_hosts = g_steal_pointer (&user_file);
  self->read_only_known_hosts = g_strdupv ((char **) read_only);
}
