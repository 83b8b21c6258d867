#define G_LOG_DOMAIN "pas-connection"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-agent.h"
#include "pas-connection-private.h"
#include "pas-destination.h"
#include "pas-error.h"
#include "pas-host-key.h"
#include "pas-private-key.h"
#include "pas-secret.h"
#include "pas-wire.h"

static gboolean
allows (PasWorker     *w,
        PasAuthMethods method)
{
  return w->settings.auth_methods == 0 || (w->settings.auth_methods & method) != 0;
}

/* A key named for this server (a session's key, IdentityFile with
 * IdentitiesOnly, -i), rather than one of the ~/.ssh/id_* tried by default. */
static gboolean
is_named_key (PasWorker  *w,
              const char *path)
{
  return w->settings.identity_files != NULL &&
         g_strv_contains ((const char * const *) w->settings.identity_files, path);
}

/* The person said no to a question, the connection itself goes on. */
static gboolean
declined (PasWorker    *w,
          const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !g_cancellable_is_cancelled (w->cancel);
}

static gboolean
auth_failure (PasWorker  *w,
              int         rc,
              const char *tried,
              const char *allowed,
              GError    **error)
{
  g_autofree char *name = pas_worker_server_name (w);

  if (w->disconnect_message != NULL && strstr (w->disconnect_message, "Too many authentication failures"))
    g_set_error (error, PAS_ERROR, PAS_ERROR_TOO_MANY_AUTH_FAILURES,
                 _("%s ended the connection after too many failed logins for %s"), name, w->settings.user);
  else if (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED)
    g_set_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED,
                 _("The password of %s on %s has expired"), w->settings.user, name);
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
                 name, w->settings.user, tried[0] ? tried : _("nothing"), allowed);
  return FALSE;
}

static void
kbdint_cb (const char                           *name,
           int                                   name_len,
           const char                           *instruction,
           int                                   instruction_len,
           int                                   num_prompts,
           const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts,
           LIBSSH2_USERAUTH_KBDINT_RESPONSE     *responses,
           void                                **abstract)
{
  PasWorker *w = *abstract;
  PasWorkerAsk *ask;
  guint n;

  w->kbdint_round++;
  if (w->kbdint_error != NULL || num_prompts < 0 || num_prompts > MAX_KBDINT_PROMPTS ||
      w->kbdint_round > MAX_KBDINT_ROUNDS)
    return;   /* empty answers: the server refuses, and we stop */
  n = (guint) num_prompts;

  ask = pas_worker_ask_new (w, PAS_WORKER_ASK_PROMPTS);
  ask->name = name_len > 0 ? g_utf8_make_valid (name, MIN (name_len, 1024)) : NULL;
  ask->instruction = instruction_len > 0 ? g_utf8_make_valid (instruction, MIN (instruction_len, 4096)) : NULL;
  ask->prompt_texts = g_new0 (char *, n + 1);
  ask->echo = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    {
      /* char * in libssh2 1.10, unsigned char * since 1.11 */
      ask->prompt_texts[i] = g_utf8_make_valid ((const char *) prompts[i].text,
                                                (gssize) MIN (prompts[i].length, 1024u));
      ask->echo[i] = prompts[i].echo != 0;
    }
  ask->prompts = (PasPromptsQuery) {
    .host = w->settings.host, .user = w->settings.user, .name = ask->name, .instruction = ask->instruction,
    .prompts = (const char * const *) ask->prompt_texts, .echo = ask->echo, .round = w->kbdint_round,
  };

  if (!pas_worker_ask_and_wait (w, ask, &w->kbdint_error))
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

  pas_worker_ask_unref (ask);
}

static int
try_keyboard_interactive (PasWorker *w,
                          GError   **error)
{
  int rc;

  w->kbdint_round = 0;
  g_clear_error (&w->kbdint_error);
  pas_worker_start_deadline (w);
  while ((rc = libssh2_userauth_keyboard_interactive_ex (w->session, w->settings.user, strlen (w->settings.user),
                                                          kbdint_cb)) == LIBSSH2_ERROR_EAGAIN)
    {
      if (w->kbdint_error != NULL)
        break;
      pas_worker_start_deadline (w);
      if (!pas_worker_wait_session (w, _("The server stopped answering during login"), error))
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
try_password (PasWorker *w,
              GError   **error)
{
  /* Before any password question, the key that did not work is named. */
  g_autofree char *message = w->refused_key != NULL
                             ? g_strdup_printf (_("The server refused the key %s for %s."), w->refused_key,
                                                w->settings.user)
                             : NULL;
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  for (guint attempt = 1; attempt <= MAX_PASSWORD_ATTEMPTS; attempt++)
    {
      PasWorkerAsk *ask = pas_worker_ask_new (w, PAS_WORKER_ASK_PASSWORD);
      gboolean asked;

      ask->message = g_strdup (message);
      ask->password = (PasPasswordQuery) {
        .host = w->settings.host, .port = w->settings.port, .user = w->settings.user,
        .attempt = attempt, .message = ask->message,
      };
      asked = pas_worker_ask_and_wait (w, ask, error);
      if (!asked)
        {
          pas_worker_ask_unref (ask);
          return LIBSSH2_ERROR_TIMEOUT;
        }
      if (ask->error != NULL || ask->secret == NULL)
        {
          pas_worker_ask_unref (ask);
          return rc;   /* nobody to ask, or no answer: the method is over */
        }

      pas_worker_start_deadline (w);
      while ((rc = libssh2_userauth_password_ex (w->session, w->settings.user, strlen (w->settings.user),
                                                 ask->secret, strlen (ask->secret), NULL)) == LIBSSH2_ERROR_EAGAIN)
        if (!pas_worker_wait_session (w, _("The server stopped answering during login"), error))
          {
            pas_worker_ask_unref (ask);
            return LIBSSH2_ERROR_TIMEOUT;
          }
      pas_worker_ask_unref (ask);   /* wipes the password */
      g_debug ("password, try %u: %s", attempt, rc == 0 ? "accepted" : "refused");

      if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED)
        return rc;
      g_free (message);
      message = g_strdup (_("The password was not accepted. Please try again."));
    }
  return rc;
}

typedef struct
{
  PasWorker        *w;
  PasPrivateKey *key;       /* a key file, or */
  PasAgent      *agent;     /* an agent key */
  GBytes        *agent_blob;
  guint32        agent_flags;
  const char    *algorithm;
  GError        *error;
} KeyAttempt;

/* Asks for the passphrase until the key opens, at most three times. */
static gboolean
unlock_key (PasWorker     *w,
            PasPrivateKey *key,
            GError       **error)
{
  g_autofree char *fingerprint = pas_private_key_get_fingerprint (key);
  g_autofree char *message = NULL;

  for (guint attempt = 1; attempt <= MAX_PASSPHRASE_ATTEMPTS; attempt++)
    {
      PasWorkerAsk *ask = pas_worker_ask_new (w, PAS_WORKER_ASK_PASSPHRASE);
      g_autoptr(GError) unlock_error = NULL;
      gboolean opened;

      ask->message = g_strdup (message);
      ask->passphrase = (PasPassphraseQuery) {
        .key_path = pas_private_key_get_path (key), .comment = pas_private_key_get_comment (key),
        .fingerprint = fingerprint, .attempt = attempt, .message = ask->message,
      };
      if (!pas_worker_ask_and_wait (w, ask, error))
        {
          pas_worker_ask_unref (ask);
          return FALSE;
        }
      if (ask->error != NULL || ask->secret == NULL)
        {
          g_set_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE,
                       _("No passphrase was given for the key %s"), pas_private_key_get_path (key));
          pas_worker_ask_unref (ask);
          return FALSE;
        }
      opened = pas_private_key_unlock (key, ask->secret, &unlock_error);
      pas_worker_ask_unref (ask);   /* wipes the passphrase */
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
sign_cb (LIBSSH2_SESSION     *session,
         unsigned char      **sig,
         size_t              *sig_len,
         const unsigned char *data,
         size_t               data_len,
         void               **abstract)
{
  KeyAttempt *attempt = *abstract;
  g_autoptr(GBytes) signature = NULL;
  gsize len;

  if (attempt->agent != NULL)
    signature = pas_agent_sign (attempt->agent, attempt->agent_blob, data, data_len,
                                attempt->agent_flags, attempt->algorithm, &attempt->error);
  else if (!pas_private_key_is_loaded (attempt->key) && !unlock_key (attempt->w, attempt->key, &attempt->error))
    return -1;
  else
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
identity_files (PasWorker *w)
{
  static const char *defaults[] = { "id_rsa", "id_ecdsa", "id_ed25519", NULL };
  GPtrArray *files = g_ptr_array_new ();

  for (guint i = 0; w->settings.identity_files != NULL && w->settings.identity_files[i] != NULL; i++)
    g_ptr_array_add (files, g_strdup (w->settings.identity_files[i]));
  if (!w->settings.identities_only)
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

static gboolean
is_disconnect (int rc)
{
  return rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
         rc == LIBSSH2_ERROR_SOCKET_SEND;
}

static gboolean
already_offered (PasWorker *w,
                 GBytes    *public_blob)
{
  for (guint i = 0; i < w->offered_keys->len; i++)
    if (g_bytes_equal (g_ptr_array_index (w->offered_keys, i), public_blob))
      return TRUE;
  return FALSE;
}

/* One publickey attempt; a key that cannot sign is remembered in @key_error. */
static int
offer_key (PasWorker  *w,
           KeyAttempt *attempt,
           GBytes     *blob,
           GError    **key_error,
           GError    **error)
{
  void *abstract = attempt;
  GBytes *offered;
  int rc;

  offered = attempt->agent != NULL ? attempt->agent_blob : pas_private_key_get_public_blob (attempt->key);
  g_ptr_array_add (w->offered_keys, g_bytes_ref (offered));

  pas_worker_start_deadline (w);
  while ((rc = libssh2_userauth_publickey (w->session, w->settings.user,
                                           g_bytes_get_data (blob, NULL), g_bytes_get_size (blob),
                                           sign_cb, &abstract)) == LIBSSH2_ERROR_EAGAIN)
    {
      pas_worker_start_deadline (w);
      if (!pas_worker_wait_session (w, _("The server stopped answering during login"), error))
        {
          g_clear_error (&attempt->error);
          return LIBSSH2_ERROR_TIMEOUT;
        }
    }

  g_debug ("public key %s (%s): %s",
           attempt->key != NULL ? pas_private_key_get_path (attempt->key) : "from the agent",
           attempt->algorithm != NULL ? attempt->algorithm
                                      : attempt->key != NULL ? pas_private_key_get_key_type (attempt->key) : "?",
           rc == 0 ? "accepted" : "refused");
  if (rc == 0)
    {
      g_clear_error (&attempt->error);
      return 0;
    }
  /* A named key the server would not take: said before any password question. */
  if (attempt->error == NULL && attempt->key != NULL && w->refused_key == NULL &&
      is_named_key (w, pas_private_key_get_path (attempt->key)))
    w->refused_key = pas_private_key_get_fingerprint (attempt->key);
  if (attempt->error != NULL)
    {
      /* No passphrase for one of the default keys: on to the next, as ssh
       * does. For the key this server was given, it ends the login. */
      if (attempt->key != NULL && declined (w, attempt->error) &&
          !is_named_key (w, pas_private_key_get_path (attempt->key)))
        {
          g_debug ("no passphrase for %s: skipped", pas_private_key_get_path (attempt->key));
          g_clear_error (&attempt->error);
          return LIBSSH2_ERROR_AUTHENTICATION_FAILED;
        }
      if (g_error_matches (attempt->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, attempt->error);
          attempt->error = NULL;
          return LIBSSH2_ERROR_TIMEOUT;
        }
      if (*key_error == NULL)
        g_propagate_error (key_error, attempt->error);
      else
        g_error_free (attempt->error);
      attempt->error = NULL;
    }
  return rc;
}

/* Returns 0 when a key logged us in; a libssh2 code otherwise. A key that
 * cannot be used is skipped and remembered in @key_error. */
static int
try_public_keys (PasWorker *w,
                 GString   *tried,
                 GError   **key_error,
                 GError   **error)
{
  g_auto(GStrv) files = identity_files (w);
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(PasPrivateKey) key = NULL;
      g_autoptr(GBytes) blob = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *fingerprint = NULL;
      KeyAttempt attempt = { .w = w };

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
          if (declined (w, local_error) && !is_named_key (w, files[i]))
            continue;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return LIBSSH2_ERROR_TIMEOUT;
            }
          if (*key_error == NULL)
            g_propagate_error (key_error, g_steal_pointer (&local_error));
          continue;
        }

      if (already_offered (w, pas_private_key_get_public_blob (key)))
        continue;
      fingerprint = pas_private_key_get_fingerprint (key);
      g_string_append_printf (tried, "%spublickey (%s)", tried->len ? ", " : "", fingerprint);
      blob = pas_private_key_get_auth_blob (key);
      attempt.key = key;
      rc = offer_key (w, &attempt, blob, key_error, error);
      if (rc == 0 || rc == LIBSSH2_ERROR_TIMEOUT || is_disconnect (rc))
        return rc;
    }
  return rc;
}

/* Agent keys first, as OpenSSH does; with IdentitiesOnly, only the agent's
 * copies of the named keys. */
static int
try_agent_keys (PasWorker *w,
                GString   *tried,
                GError   **key_error,
                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PasAgent) agent = NULL;
  g_autoptr(GPtrArray) identities = NULL;
  g_autoptr(GPtrArray) named = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  if (w->settings.agent_socket == NULL || *w->settings.agent_socket == '\0')
    return rc;
  agent = pas_agent_connect (w->settings.agent_socket, &local_error);
  identities = agent != NULL ? pas_agent_list_identities (agent, &local_error) : NULL;
  if (identities == NULL)
    {
      g_message ("%s", local_error->message);
      return rc;
    }

  if (w->settings.identities_only)
    for (guint i = 0; w->settings.identity_files != NULL && w->settings.identity_files[i] != NULL; i++)
      {
        g_autoptr(PasPrivateKey) key = pas_private_key_load (w->settings.identity_files[i], NULL);
        if (key != NULL && pas_private_key_get_public_blob (key) != NULL)
          g_ptr_array_add (named, g_bytes_ref (pas_private_key_get_public_blob (key)));
      }

  for (guint i = 0; i < identities->len; i++)
    {
      PasAgentIdentity *identity = g_ptr_array_index (identities, i);
      g_autoptr(PasHostKey) parsed = pas_host_key_new_from_blob (g_bytes_get_data (identity->blob, NULL),
                                                                 g_bytes_get_size (identity->blob), NULL);
      g_autofree char *fingerprint = NULL;
      g_autoptr(GBytes) blob = NULL;
      KeyAttempt attempt = { .w = w, .agent = agent, .agent_blob = identity->blob };
      gboolean wanted = !w->settings.identities_only;

      for (guint j = 0; j < named->len && !wanted; j++)
        wanted = g_bytes_equal (g_ptr_array_index (named, j), identity->blob);
      if (!wanted || parsed == NULL)
        continue;

      if (strcmp (identity->key_type, "ssh-rsa") == 0)
        {
          attempt.algorithm = "rsa-sha2-512";
          attempt.agent_flags = PAS_AGENT_RSA_SHA2_512;
          blob = pas_wire_relabel_key_blob (identity->blob, attempt.algorithm);
        }
      else
        {
          attempt.algorithm = identity->key_type;
          blob = g_bytes_ref (identity->blob);
        }

      fingerprint = pas_host_key_get_fingerprint (parsed);
      g_string_append_printf (tried, "%spublickey (agent %s)", tried->len ? ", " : "", fingerprint);
      rc = offer_key (w, &attempt, blob, key_error, error);
      if (rc == 0 || rc == LIBSSH2_ERROR_TIMEOUT || is_disconnect (rc))
        return rc;
    }
  return rc;
}

gboolean
pas_worker_authenticate (PasWorker *w,
                         GError   **error)
{
  g_autoptr(GString) tried = g_string_new (NULL);
  g_autoptr(GError) key_error = NULL;
  g_auto(GStrv) allowed = NULL;
  g_autofree char *allowed_text = NULL;
  char *list;
  int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

  pas_worker_start_deadline (w);
  while ((list = libssh2_userauth_list (w->session, w->settings.user, strlen (w->settings.user))) == NULL &&
         libssh2_session_last_errno (w->session) == LIBSSH2_ERROR_EAGAIN)
    if (!pas_worker_wait_session (w, _("The server stopped answering during login"), error))
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
  g_debug ("%s@%s offers %s", w->settings.user, w->settings.host, allowed_text);

  if (g_strv_contains ((const char * const *) allowed, "publickey") &&
      (allows (w, PAS_AUTH_METHOD_AGENT) || allows (w, PAS_AUTH_METHOD_KEY_FILES)))
    {
      /* The agent's copy of a key named for this server counts as that key. */
      if (allows (w, PAS_AUTH_METHOD_AGENT) || w->settings.identities_only)
        rc = try_agent_keys (w, tried, &key_error, error);
      if (rc != 0 && rc != LIBSSH2_ERROR_TIMEOUT && !is_disconnect (rc) && allows (w, PAS_AUTH_METHOD_KEY_FILES))
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

  if (g_strv_contains ((const char * const *) allowed, "keyboard-interactive") &&
      allows (w, PAS_AUTH_METHOD_KEYBOARD_INTERACTIVE))
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
      if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && rc != LIBSSH2_ERROR_METHOD_NOT_SUPPORTED)
        return auth_failure (w, rc, tried->str, allowed_text, error);
    }

  if (g_strv_contains ((const char * const *) allowed, "password") && allows (w, PAS_AUTH_METHOD_PASSWORD))
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

  /* The key this server was given, refused: that is the whole story when
   * nothing else may be tried (a session whose method is its key file). */
  if (w->refused_key != NULL && !allows (w, PAS_AUTH_METHOD_PASSWORD) &&
      !allows (w, PAS_AUTH_METHOD_KEYBOARD_INTERACTIVE))
    {
      g_autofree char *name = pas_worker_server_name (w);

      g_set_error (error, PAS_ERROR, PAS_ERROR_AUTH_FAILED,
                   _("%s refused the key %s for %s. Check that its public half is in that user's "
                     "~/.ssh/authorized_keys on the server."), name, w->refused_key, w->settings.user);
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

