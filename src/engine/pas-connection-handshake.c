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

/* A connection's first steps on its worker thread: known_hosts read, the
 * SSH handshake (with what the server said first, to explain a server that
 * does not speak SSH), and the server's key checked the way OpenSSH does. */

/* ---- libssh2 callbacks --------------------------------------------------- */

static ssize_t
recv_cb (libssh2_socket_t socket,
         void            *buffer,
         size_t           length,
         int              flags,
         void           **abstract)
{
  PasWorker *w = *abstract;
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
  PasWorker *w = *abstract;

  g_free (w->disconnect_message);
  w->disconnect_message = message_len > 0 ? g_utf8_make_valid (message, MIN (message_len, 1024)) : NULL;
}

/* libssh2 1.11.1 deprecates libssh2_session_callback_set() (a data pointer
 * carrying a function) for callback_set2(), which 1.10 does not have. A cast
 * to void (*)(void) is the one function-pointer cast GCC never warns about. */
typedef void (*PasLibssh2Callback) (void);

static void
set_callback (LIBSSH2_SESSION   *session,
              int                type,
              PasLibssh2Callback callback)
{
#if LIBSSH2_VERSION_NUM >= 0x010b01
  libssh2_session_callback_set2 (session, type, callback);
#else
  libssh2_session_callback_set (session, type, (void *) callback);
#endif
}

/* ---- errors -------------------------------------------------------------- */

/* The first line a server sent, made safe to show. */
static char *
first_line (PasWorker *w)
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
server_spoke_ssh (PasWorker *w)
{
  const guint8 *data = w->first_bytes->data;
  gsize len = w->first_bytes->len;

  for (gsize i = 0; i + 4 <= len; i++)
    if ((i == 0 || data[i - 1] == '\n') && memcmp (data + i, "SSH-", 4) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
handshake_error (PasWorker *w,
                 int        rc,
                 GError   **error)
{
  g_autofree char *name = pas_worker_server_name (w);
  g_autofree char *proxy_end = pas_worker_describe_proxy_end (w);
  char *detail = NULL;

  libssh2_session_last_error (w->session, &detail, NULL, 0);

  if (proxy_end != NULL)
    g_set_error_literal (error, PAS_ERROR, PAS_ERROR_NETWORK, proxy_end);
  else if (w->first_bytes->len > 0 && !server_spoke_ssh (w))
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

gboolean
pas_worker_handshake (PasWorker *w,
                      GError   **error)
{
  g_autofree char *name = pas_worker_server_name (w);
  g_autofree char *timeout_message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "%s accepted the connection but did not answer within %u second",
                                  "%s accepted the connection but did not answer within %u seconds",
                                  w->settings.timeout_s),
                     name, w->settings.timeout_s);
  int rc;

  w->session = libssh2_session_init_ex (NULL, NULL, NULL, w);
  if (w->session == NULL)
    {
      g_set_error_literal (error, PAS_ERROR, PAS_ERROR_FAILED, _("Could not start an SSH session"));
      return FALSE;
    }
  libssh2_session_set_blocking (w->session, 0);
  set_callback (w->session, LIBSSH2_CALLBACK_RECV, (PasLibssh2Callback) recv_cb);
  set_callback (w->session, LIBSSH2_CALLBACK_DISCONNECT, (PasLibssh2Callback) disconnect_cb);
  if (!pas_worker_set_algorithms (w, error))
    return FALSE;

  while ((rc = libssh2_session_handshake (w->session, w->fd)) == LIBSSH2_ERROR_EAGAIN)
    if (!pas_worker_wait_session (w, timeout_message, error))
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
  pas_worker_note_algorithms (w);
  return TRUE;
}

gboolean
pas_worker_load_known_hosts (PasWorker *w,
                             GError   **error)
{
  w->known_hosts = pas_known_hosts_new ();

  if (!pas_known_hosts_load (w->known_hosts, w->settings.user_known_hosts, error))
    return FALSE;
  for (guint i = 0; w->settings.read_only_known_hosts != NULL && w->settings.read_only_known_hosts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      /* A broken system file must not lock people out of every server. */
      if (!pas_known_hosts_load (w->known_hosts, w->settings.read_only_known_hosts[i], &local_error))
        g_message ("%s", local_error->message);
    }
  for (const char * const *warning = pas_known_hosts_get_warnings (w->known_hosts); *warning; warning++)
    g_message ("known_hosts: %s", *warning);
  return TRUE;
}

/* Decides about the server's key before anything is sent that identifies us:
 * no user name, no password, no signature. */
gboolean
pas_worker_check_host_key (PasWorker *w,
                           GError   **error)
{
  g_autofree char *name = pas_worker_server_name (w);
  g_autofree char *where = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GError) key_error = NULL;
  const char *blob;
  size_t len = 0;
  int type = 0;
  PasHostKeyStatus status;
  PasWorkerAsk *ask;
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
  status = pas_known_hosts_check (w->known_hosts, w->settings.host, w->settings.port, w->host_key, &where);

  switch (status)
    {
    case PAS_HOST_KEY_STATUS_KNOWN:
      return TRUE;

    case PAS_HOST_KEY_STATUS_CHANGED:
      {
        g_autofree char *command = NULL;
        g_autofree char *in_user_file = g_strconcat (w->settings.user_known_hosts, ":", NULL);
        const char *stored_where = NULL;
        const PasHostKey *stored = pas_known_hosts_get_stored_key (w->known_hosts, w->settings.host, w->settings.port,
                                                                   pas_host_key_get_key_type (w->host_key),
                                                                   &stored_where);
        PasHostKeyChange *change = g_new0 (PasHostKeyChange, 1);

        change->host = g_strdup (w->settings.host);
        change->port = w->settings.port;
        change->offered = pas_host_key_copy (w->host_key);
        change->offered_fingerprint = g_strdup (fingerprint);
        change->stored_fingerprint = stored != NULL ? pas_host_key_get_fingerprint (stored) : NULL;
        change->where = g_strdup (stored_where != NULL ? stored_where : where);
        /* Only the file we write is ours to change; a system file is not. */
        if (g_str_has_prefix (change->where, in_user_file))
          change->known_hosts = g_strdup (w->settings.user_known_hosts);
        change->hash = w->settings.hash_known_hosts;
        w->host_key_change = change;
        command = pas_host_key_change_dup_command (change);

        g_set_error (error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED,
                     _("The key of %s has changed: it is now %s %s, but %s holds another one. "
                       "Someone may be intercepting the connection. The old key is removed with: %s"),
                     name, pas_host_key_get_display_type (w->host_key), fingerprint, change->where, command);
        return FALSE;
      }

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

  ask = pas_worker_ask_new (w, PAS_WORKER_ASK_HOST_KEY);
  ask->fingerprint = g_strdup (fingerprint);
  ask->randomart = pas_host_key_get_randomart (w->host_key);
  ask->known_types = pas_known_hosts_get_key_types (w->known_hosts, w->settings.host, w->settings.port);
  ask->host_key = (PasHostKeyQuery) {
    .host = w->settings.host, .port = w->settings.port, .status = status, .key = w->host_key,
    .fingerprint = ask->fingerprint, .randomart = ask->randomart,
    .known_types = (const char * const *) ask->known_types,
  };

  ok = pas_worker_ask_and_wait (w, ask, error);
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
      if (!pas_known_hosts_add (w->known_hosts, w->settings.user_known_hosts, w->settings.host, w->settings.port,
                                w->host_key,
                                w->settings.hash_known_hosts, &save_error))
        g_message ("%s", save_error->message);
    }

  pas_worker_ask_unref (ask);
  return ok;
}

