/* PasConnection against real OpenSSH servers and real misbehaving listeners. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

typedef struct
{
  GError   *error;
  guint     ticks;   /* counted by the caller's main loop while connecting */
} Result;

static gboolean
connect_and_wait (PasConnection *connection,
                  GCancellable  *cancellable,
                  Result        *r)
{
  return pas_test_connect (connection, cancellable, &r->ticks, &r->error);
}

static PasConnection *
new_connection (const char         *host,
                guint16             port,
                const char         *user,
                const char         *known_hosts,
                PasTestInteraction *interaction)
{
  PasConnection *connection = pas_connection_new (host, port, user);

  pas_connection_set_known_hosts_files (connection, known_hosts, NULL);
  pas_connection_set_timeout (connection, 5);
  if (interaction != NULL)
    pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  return connection;
}

static char *
temp_path (const char *name)
{
  static char *dir;

  if (dir == NULL)
    dir = g_dir_make_tmp ("pas-connection-XXXXXX", NULL);
  return g_build_filename (dir, name, NULL);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A socket that listens but never accepts: the kernel completes the TCP
 * handshake and then nothing is ever said. */
static GSocket *
silent_listener (guint16 *port)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

typedef struct
{
  GSocket    *listener;
  const char *reply;
  gboolean    read_first;
} OneShot;

static gpointer
one_shot_thread (gpointer data)
{
  g_autofree OneShot *shot = data;
  g_autoptr(GSocket) listener = shot->listener;
  g_autoptr(GSocket) client = g_socket_accept (listener, NULL, NULL);
  char buffer[256];

  if (client != NULL)
    {
      g_socket_set_timeout (client, 5);
      if (shot->read_first)
        g_socket_receive (client, buffer, sizeof buffer, NULL, NULL);
      g_socket_send (client, shot->reply, strlen (shot->reply), NULL, NULL);
      g_socket_close (client, NULL);
    }
  return NULL;
}

/* A listener that takes one connection, (optionally reads what the client
 * says,) answers @reply and hangs up. Join the thread when done. */
static GThread *
serve_once (const char *reply,
            gboolean    read_first,
            guint16    *port)
{
  OneShot *shot = g_new0 (OneShot, 1);

  shot->listener = silent_listener (port);
  shot->reply = reply;
  shot->read_first = read_first;
  return g_thread_new ("one-shot", one_shot_thread, shot);
}

static void
test_refused (void)
{
  g_autofree char *kh = temp_path ("kh-refused");
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", closed_port (), "nobody", kh, NULL);
  Result r = { 0 };

  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (pas_error_get_remedy (r.error));
  g_assert_false (pas_connection_is_connected (connection));
  g_clear_error (&r.error);
}

static void
test_name_not_resolved (void)
{
  g_autofree char *kh = temp_path ("kh-dns");
  g_autoptr(PasConnection) connection = new_connection ("no-such-host.invalid", 22, "nobody", kh, NULL);
  Result r = { 0 };

  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_NAME_NOT_RESOLVED);
  g_assert_nonnull (strstr (r.error->message, "no-such-host.invalid"));
  g_clear_error (&r.error);
}

static void
test_silent_listener_times_out_without_blocking (void)
{
  guint16 port;
  g_autoptr(GSocket) listener = silent_listener (&port);
  g_autofree char *kh = temp_path ("kh-silent");
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", port, "nobody", kh, NULL);
  Result r = { 0 };
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  pas_connection_set_timeout (connection, 1);
  g_assert_false (connect_and_wait (connection, NULL, &r));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%s (%.2f s, %u ticks)", r.error->message, elapsed / 1e6, r.ticks);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
  /* The caller's main loop kept running: a 10 ms timer fired throughout. */
  g_assert_cmpuint (r.ticks, >=, 50);
  g_clear_error (&r.error);
}

static void
test_cancel_while_waiting (void)
{
  guint16 port;
  g_autoptr(GSocket) listener = silent_listener (&port);
  g_autofree char *kh = temp_path ("kh-cancel");
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", port, "nobody", kh, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };
  gint64 start = g_get_monotonic_time ();

  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_false (connect_and_wait (connection, cancellable, &r));
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&r.error);
}

static void
test_not_ssh (void)
{
  guint16 port;
  /* An HTTP server answers what libssh2 says first, then hangs up. */
  g_autoptr(GThread) thread = serve_once ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                                          "Connection: close\r\n\r\n", TRUE, &port);
  g_autofree char *kh = temp_path ("kh-http");
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", port, "nobody", kh, NULL);
  Result r = { 0 };

  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_NOT_SSH);
  g_assert_nonnull (strstr (r.error->message, "HTTP/1.1 400 Bad Request"));
  g_clear_error (&r.error);
  g_thread_join (g_steal_pointer (&thread));
}

static char *
ssh_keygen_fingerprint (const char *pub)
{
  const char *argv[] = { "ssh-keygen", "-lv", "-f", pub, NULL };
  g_autofree char *out = NULL;

  g_assert_true (pas_test_run (argv, NULL, &out, NULL, NULL, NULL));
  return g_steal_pointer (&out);
}

static PasTestSshd *
start_sshd (gboolean            password,
            const char         *log_level,
            const char * const *host_key_types)
{
  g_autofree char *level = g_strdup_printf ("LogLevel %s", log_level ? log_level : "VERBOSE");
  const char *extra[] = { level, NULL };
  PasTestSshdOptions options = { .password_auth = password, .extra_config = extra,
                                 .host_key_types = host_key_types };
  g_autoptr(GError) error = NULL;
  PasTestSshd *sshd = pas_test_sshd_new (&options, &error);

  g_assert_no_error (error);
  return sshd;
}

static void
test_new_host_key_rejected (void)
{
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, NULL, NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *kh = temp_path ("kh-new-rejected");
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                         pas_test_sshd_get_user (sshd), kh, interaction);
  g_autofree char *pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
  g_autofree char *oracle = ssh_keygen_fingerprint (pub);
  g_autofree char *log = NULL;
  Result r = { 0 };

  interaction->host_key_decision = PAS_HOST_KEY_DECISION_REJECT;
  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_HOST_KEY_UNKNOWN);
  g_clear_error (&r.error);

  /* Asked once, in this (the caller's) thread, with what ssh-keygen shows. */
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 1);
  g_assert_true (interaction->asked_in == g_thread_self ());
  g_assert_cmpint (interaction->last_status, ==, PAS_HOST_KEY_STATUS_NEW);
  g_assert_nonnull (strstr (oracle, interaction->last_fingerprint));
  g_assert_nonnull (strstr (oracle, interaction->last_randomart));
  g_assert_false (g_file_test (kh, G_FILE_TEST_EXISTS));

  log = pas_test_sshd_read_log (sshd);
  g_assert_null (strstr (log, "Accepted"));
}

static void
test_new_host_key_saved (void)
{
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, "DEBUG1", NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *kh = temp_path ("kh-new-saved");
  g_autofree char *query = g_strdup_printf ("[127.0.0.1]:%u", pas_test_sshd_get_port (sshd));
  const char *argv[] = { "ssh-keygen", "-F", query, "-f", kh, NULL };
  g_autofree char *found = NULL;
  g_autofree char *log = NULL;

  interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE;
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                             pas_test_sshd_get_user (sshd), kh, interaction);
      Result r = { 0 };

      /* No key login yet and no password offered: the login itself fails, after the key was taken. */
      g_assert_false (connect_and_wait (connection, NULL, &r));
      g_test_message ("%s", r.error->message);
      g_assert_error (r.error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
      g_assert_nonnull (strstr (r.error->message, "publickey"));
      g_clear_error (&r.error);
    }
  /* Asked the first time only: the second time the key was on file. */
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 1);

  g_assert_true (pas_test_run (argv, NULL, &found, NULL, NULL, NULL));
  g_assert_nonnull (strstr (found, "found: line 1"));

  /* The login attempt only came after the key was accepted — and it did come. */
  log = pas_test_sshd_wait_for_log (sshd, "userauth-request");
  g_assert_nonnull (strstr (log, "userauth-request"));
}

static void
write_known_hosts_with (const char *path,
                        guint16     port,
                        const char *marker,
                        const char *pub_path)
{
  g_autofree char *pub = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
  fields = g_strsplit (g_strstrip (pub), " ", 3);
  line = g_strdup_printf ("%s%s[127.0.0.1]:%u %s %s\n", marker ? marker : "", marker ? " " : "",
                          port, fields[0], fields[1]);
  g_assert_true (g_file_set_contents (path, line, -1, NULL));
}

static void
test_changed_host_key_never_authenticates (void)
{
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, "DEBUG1", NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *kh = temp_path ("kh-changed");
  g_autofree char *other = temp_path ("other_ed25519");
  g_autofree char *other_pub = g_strconcat (other, ".pub", NULL);
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other, NULL };
  g_autoptr(PasConnection) connection = NULL;
  g_autofree char *log = NULL;
  g_autoptr(PasHostKeyChange) change = NULL;
  g_autoptr(GAsyncResult) replaced = NULL;
  Result r = { 0 };

  g_assert_true (pas_test_run (keygen, NULL, NULL, NULL, NULL, NULL));
  write_known_hosts_with (kh, pas_test_sshd_get_port (sshd), NULL, other_pub);
  interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE;
  g_queue_push_tail (&interaction->passwords, g_strdup ("must-never-be-sent"));

  connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                               kh, interaction);
  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED);
  g_assert_nonnull (strstr (r.error->message, kh));
  /* The exact command for this host, as OpenSSH names it (this known_hosts
   * is not ~/.ssh/known_hosts, so with -f). */
  {
    g_autofree char *quoted = g_shell_quote (kh);
    g_autofree char *command = g_strdup_printf ("ssh-keygen -f %s -R '[127.0.0.1]:%u'", quoted,
                                                pas_test_sshd_get_port (sshd));
    g_assert_nonnull (strstr (r.error->message, command));
  }
  g_clear_error (&r.error);
  /* What it saw, for the window's "Replace the Stored Key…": both
   * fingerprints as ssh-keygen -l prints them, and the file and line. */
  change = pas_host_key_change_copy (pas_connection_get_host_key_change (connection));
  g_assert_nonnull (change);
  {
    g_autofree char *host_pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
    g_autofree char *where = g_strconcat (kh, ":1", NULL);
    const char *list_old[] = { "ssh-keygen", "-l", "-E", "sha256", "-f", other_pub, NULL };
    const char *list_new[] = { "ssh-keygen", "-l", "-E", "sha256", "-f", host_pub, NULL };
    g_autofree char *old_out = NULL;
    g_autofree char *new_out = NULL;
    g_auto(GStrv) old_fields = NULL;
    g_auto(GStrv) new_fields = NULL;

    g_assert_true (pas_test_run (list_old, NULL, &old_out, NULL, NULL, NULL));
    g_assert_true (pas_test_run (list_new, NULL, &new_out, NULL, NULL, NULL));
    old_fields = g_strsplit (old_out, " ", 3);
    new_fields = g_strsplit (new_out, " ", 3);
    g_assert_cmpstr (change->stored_fingerprint, ==, old_fields[1]);
    g_assert_cmpstr (change->offered_fingerprint, ==, new_fields[1]);
    g_assert_cmpstr (change->where, ==, where);
    g_assert_cmpstr (change->known_hosts, ==, kh);
  }

  /* Nobody was asked anything, and the server saw no login attempt at all. */
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
  g_assert_cmpuint (interaction->n_password_asks, ==, 0);
  g_clear_object (&connection);
  log = pas_test_sshd_wait_for_log (sshd, "KEX done");
  g_usleep (200 * 1000);
  g_free (log);
  log = pas_test_sshd_read_log (sshd);
  g_assert_nonnull (strstr (log, "KEX done"));
  g_assert_null (strstr (log, "userauth-request"));

  /* Replaced (as after "Replace the Stored Key…"), the same server is
   * known: no question, no refusal, on to the login. */
  pas_host_key_change_replace_async (change, NULL, pas_test_store_result_cb, &replaced);
  g_assert_true (pas_host_key_change_replace_finish (pas_test_wait_for (&replaced), NULL));
  connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                               kh, interaction);
  connect_and_wait (connection, NULL, &r);
  g_test_message ("after replacing: %s", r.error != NULL ? r.error->message : "connected");
  g_assert_false (g_error_matches (r.error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED));
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
  g_clear_error (&r.error);
  g_clear_object (&connection);
  g_free (log);
  log = pas_test_sshd_wait_for_log (sshd, "userauth-request");
  g_assert_nonnull (log);
}

static void
test_revoked_host_key (void)
{
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, NULL, NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *kh = temp_path ("kh-revoked");
  g_autofree char *pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
  g_autoptr(PasConnection) connection = NULL;
  Result r = { 0 };

  write_known_hosts_with (kh, pas_test_sshd_get_port (sshd), "@revoked", pub);
  interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE;
  connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                               kh, interaction);
  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_HOST_KEY_REVOKED);
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
  g_clear_error (&r.error);
}

static void
test_known_type_is_preferred (void)
{
  /* The server has ecdsa and ed25519 keys; libssh2 on its own prefers ecdsa.
   * With only the ed25519 key on file, the engine must ask for ed25519 and
   * find it known, rather than see an unknown ecdsa key. */
  const char *types[] = { "ecdsa", "ed25519", NULL };
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, NULL, types);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *kh = temp_path ("kh-prefer");
  g_autofree char *kh_other = temp_path ("kh-other-type");
  g_autofree char *ed_pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
  g_autofree char *rsa = temp_path ("other_rsa");
  g_autofree char *rsa_pub = g_strconcat (rsa, ".pub", NULL);
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", rsa, NULL };

  write_known_hosts_with (kh, pas_test_sshd_get_port (sshd), NULL, ed_pub);
  {
    g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                           pas_test_sshd_get_user (sshd), kh, interaction);
    Result r = { 0 };

    g_assert_false (connect_and_wait (connection, NULL, &r));
    g_assert_error (r.error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
    g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
    g_clear_error (&r.error);
  }

  /* Only an RSA key on file, which this server does not have: ask, and say so. */
  g_assert_true (pas_test_run (keygen, NULL, NULL, NULL, NULL, NULL));
  write_known_hosts_with (kh_other, pas_test_sshd_get_port (sshd), NULL, rsa_pub);
  interaction->host_key_decision = PAS_HOST_KEY_DECISION_REJECT;
  {
    g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                           pas_test_sshd_get_user (sshd), kh_other, interaction);
    Result r = { 0 };

    g_assert_false (connect_and_wait (connection, NULL, &r));
    g_assert_error (r.error, PAS_ERROR, PAS_ERROR_HOST_KEY_UNKNOWN);
    g_assert_cmpuint (interaction->n_host_key_asks, ==, 1);
    g_assert_cmpint (interaction->last_status, ==, PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN);
    g_clear_error (&r.error);
  }
}

static void
test_no_common_algorithm (void)
{
  const char *extra[] = { "KexAlgorithms sntrup761x25519-sha512@openssh.com", NULL };
  PasTestSshdOptions options = { .extra_config = extra };
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (&options, &error);
  g_autofree char *kh = temp_path ("kh-kex");
  g_autoptr(PasConnection) connection = NULL;
  Result r = { 0 };

  g_assert_no_error (error);
  connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                               kh, NULL);
  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_NO_COMMON_ALGORITHM);
  g_clear_error (&r.error);
}

static void
test_cancel_during_host_key_question (void)
{
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, NULL, NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *kh = temp_path ("kh-cancel-question");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                         pas_test_sshd_get_user (sshd), kh, interaction);
  Result r = { 0 };

  interaction->never_answer = TRUE;
  g_timeout_add_once (500, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_false (connect_and_wait (connection, cancellable, &r));
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 1);
  g_clear_error (&r.error);
}

static PasConnection *
password_connection (PasTestSshd        *sshd,
                     PasTestInteraction *interaction,
                     const char         *kh_name)
{
  g_autofree char *kh = temp_path (kh_name);
  g_autofree char *pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);

  write_known_hosts_with (kh, pas_test_sshd_get_port (sshd), NULL, pub);
  return new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_password_user (sshd),
                         kh, interaction);
}

static gboolean
have_password_user (void)
{
  if (geteuid () != 0 || g_getenv ("PAS_TEST_PASSWORD_USER") == NULL)
    {
      g_test_skip ("password logins need root and the test user made by scripts/test");
      return FALSE;
    }
  return TRUE;
}

static void
test_password_login (void)
{
  g_autoptr(PasTestSshd) sshd = NULL;
  g_autoptr(PasTestInteraction) interaction = NULL;
  g_autoptr(PasConnection) connection = NULL;
  g_autofree char *log = NULL;
  Result r = { 0 };

  if (!have_password_user ())
    return;
  sshd = start_sshd (TRUE, NULL, NULL);
  interaction = pas_test_interaction_new ();
  g_queue_push_tail (&interaction->passwords, g_strdup ("wrong-password"));
  g_queue_push_tail (&interaction->passwords, g_strdup (pas_test_sshd_get_password (sshd)));
  connection = password_connection (sshd, interaction, "kh-password");

  g_assert_true (connect_and_wait (connection, NULL, &r));
  g_assert_no_error (r.error);
  g_assert_true (pas_connection_is_connected (connection));
  g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "password");
  g_assert_cmpuint (interaction->n_password_asks, ==, 2);
  g_assert_nonnull (interaction->last_password_message);
  g_assert_nonnull (pas_connection_get_host_key (connection));

  log = pas_test_sshd_wait_for_log (sshd, "Accepted password for");
  g_assert_nonnull (strstr (log, "Failed password for"));
  g_assert_nonnull (strstr (log, "Accepted password for"));

  /* Closing ends the session on the server too. */
  pas_connection_close (connection);
  g_assert_false (pas_connection_is_connected (connection));
  for (int i = 0; i < 100; i++)
    {
      g_free (log);
      log = pas_test_sshd_read_log (sshd);
      if (strstr (log, "Disconnected from user") || strstr (log, "Received disconnect"))
        break;
      g_usleep (20 * 1000);
    }
  g_assert_true (strstr (log, "Disconnected from user") || strstr (log, "Received disconnect"));
}

static void
test_password_refused (void)
{
  g_autoptr(PasTestSshd) sshd = NULL;
  g_autoptr(PasTestInteraction) interaction = NULL;
  g_autoptr(PasConnection) connection = NULL;
  Result r = { 0 };

  if (!have_password_user ())
    return;
  sshd = start_sshd (TRUE, NULL, NULL);
  interaction = pas_test_interaction_new ();
  for (int i = 0; i < 5; i++)
    g_queue_push_tail (&interaction->passwords, g_strdup_printf ("wrong-%d", i));
  connection = password_connection (sshd, interaction, "kh-password-refused");

  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (r.error->message, "Tried: password"));
  g_assert_nonnull (strstr (r.error->message, "publickey,password"));
  /* Three tries, as OpenSSH's NumberOfPasswordPrompts. */
  g_assert_cmpuint (interaction->n_password_asks, ==, 3);
  g_clear_error (&r.error);
}

static void
test_too_many_auth_failures (void)
{
  const char *extra[] = { "MaxAuthTries 2", NULL };
  PasTestSshdOptions options = { .password_auth = TRUE, .extra_config = extra };
  g_autoptr(PasTestSshd) sshd = NULL;
  g_autoptr(PasTestInteraction) interaction = NULL;
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  if (!have_password_user ())
    return;
  sshd = pas_test_sshd_new (&options, &error);
  g_assert_no_error (error);
  interaction = pas_test_interaction_new ();
  for (int i = 0; i < 5; i++)
    g_queue_push_tail (&interaction->passwords, g_strdup_printf ("wrong-%d", i));
  connection = password_connection (sshd, interaction, "kh-too-many");

  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_TOO_MANY_AUTH_FAILURES);
  g_clear_error (&r.error);
}

static GSubprocess *
start_kbdint_server (guint16 *port,
                     char   **known_hosts)
{
  *known_hosts = temp_path ("kh-kbdint");
  return pas_test_start_python_server ("kbdint-server.py", port, *known_hosts);
}

static void
test_keyboard_interactive_two_rounds (void)
{
  guint16 port;
  g_autofree char *kh = NULL;
  g_autoptr(GSubprocess) server = start_kbdint_server (&port, &kh);

  for (int good = 1; good >= 0; good--)
    {
      g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
      g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", port, "alice", kh, interaction);
      Result r = { 0 };

      g_queue_push_tail (&interaction->prompt_answers, g_strdup ("s3cret"));
      g_queue_push_tail (&interaction->prompt_answers, g_strdup ("yes"));
      g_queue_push_tail (&interaction->prompt_answers, g_strdup (good ? "123456" : "000000"));

      if (good)
        {
          g_assert_true (connect_and_wait (connection, NULL, &r));
          g_assert_no_error (r.error);
          g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "keyboard-interactive");
        }
      else
        {
          g_assert_false (connect_and_wait (connection, NULL, &r));
          g_test_message ("%s", r.error->message);
          g_assert_error (r.error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
          g_assert_nonnull (strstr (r.error->message, "keyboard-interactive"));
          g_clear_error (&r.error);
        }

      /* Both rounds, in order, with the server's echo flags. */
      g_assert_cmpuint (interaction->prompts_seen->len, ==, 3);
      g_assert_cmpstr (g_ptr_array_index (interaction->prompts_seen, 0), ==, "1:Password: :0");
      g_assert_cmpstr (g_ptr_array_index (interaction->prompts_seen, 1), ==, "1:Are you sure? :1");
      g_assert_cmpstr (g_ptr_array_index (interaction->prompts_seen, 2), ==, "2:Verification code: :1");
      g_assert_true (interaction->asked_in == g_thread_self ());
    }

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

static void
test_keyboard_interactive_pam (void)
{
  /* OpenSSH on Linux offers keyboard-interactive only through PAM. */
  const char *extra[] = { "UsePAM yes", "KbdInteractiveAuthentication yes", "PasswordAuthentication no", NULL };
  PasTestSshdOptions options = { .password_auth = TRUE, .extra_config = extra };
  g_autoptr(PasTestSshd) sshd = NULL;
  g_autoptr(PasTestInteraction) interaction = NULL;
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  if (!have_password_user ())
    return;
  sshd = pas_test_sshd_new (&options, &error);
  g_assert_no_error (error);
  interaction = pas_test_interaction_new ();
  g_queue_push_tail (&interaction->prompt_answers, g_strdup (pas_test_sshd_get_password (sshd)));
  connection = password_connection (sshd, interaction, "kh-pam");

  g_assert_true (connect_and_wait (connection, NULL, &r));
  g_assert_no_error (r.error);
  g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "keyboard-interactive");
  g_assert_cmpuint (interaction->prompts_seen->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (interaction->prompts_seen, 0), "assword"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (interaction->prompts_seen, 0), ":0"));
  g_assert_cmpuint (interaction->n_password_asks, ==, 0);
}

static void
test_disconnected_during_handshake (void)
{
  guint16 port;
  g_autoptr(GThread) thread = serve_once ("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", FALSE, &port);
  g_autofree char *kh = temp_path ("kh-hangup");
  g_autoptr(PasConnection) connection = new_connection ("127.0.0.1", port, "nobody", kh, NULL);
  Result r = { 0 };

  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_test_message ("%s", r.error->message);
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_DISCONNECTED);
  g_assert_nonnull (pas_error_get_remedy (r.error));
  g_clear_error (&r.error);
  g_thread_join (g_steal_pointer (&thread));
}

static void
test_read_only_known_hosts (void)
{
  /* A key known only from a read-only file (like /etc/ssh/ssh_known_hosts) is
   * trusted, and nothing is written anywhere. */
  g_autoptr(PasTestSshd) sshd = start_sshd (FALSE, NULL, NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *user_file = temp_path ("kh-user-empty");
  g_autofree char *system_file = temp_path ("kh-system");
  g_autofree char *pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
  g_autoptr(PasConnection) connection = NULL;
  const char *read_only[] = { system_file, NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Result r = { 0 };

  write_known_hosts_with (system_file, pas_test_sshd_get_port (sshd), NULL, pub);
  g_assert_true (g_file_get_contents (system_file, &before, NULL, NULL));
  interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE;
  connection = new_connection ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                               user_file, interaction);
  pas_connection_set_known_hosts_files (connection, user_file, read_only);

  /* Key logins are not offered here, so the login fails — after the key was found known. */
  g_assert_false (connect_and_wait (connection, NULL, &r));
  g_assert_error (r.error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
  g_clear_error (&r.error);
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
  g_assert_false (g_file_test (user_file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (system_file, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
}

static void
test_cancel_during_password_question (void)
{
  g_autoptr(PasTestSshd) sshd = NULL;
  g_autoptr(PasTestInteraction) interaction = NULL;
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  if (!have_password_user ())
    return;
  sshd = start_sshd (TRUE, NULL, NULL);
  interaction = pas_test_interaction_new ();
  interaction->never_answer = TRUE;
  connection = password_connection (sshd, interaction, "kh-cancel-password");

  g_timeout_add_once (500, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_false (connect_and_wait (connection, cancellable, &r));
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (interaction->n_password_asks, ==, 1);
  g_clear_error (&r.error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  pas_test_use_local_resolver ();

  g_test_add_func ("/connection/refused", test_refused);
  g_test_add_func ("/connection/name-not-resolved", test_name_not_resolved);
  g_test_add_func ("/connection/silent-listener-times-out-without-blocking",
                   test_silent_listener_times_out_without_blocking);
  g_test_add_func ("/connection/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/connection/not-ssh", test_not_ssh);
  g_test_add_func ("/connection/new-host-key-rejected", test_new_host_key_rejected);
  g_test_add_func ("/connection/new-host-key-saved", test_new_host_key_saved);
  g_test_add_func ("/connection/changed-host-key-never-authenticates", test_changed_host_key_never_authenticates);
  g_test_add_func ("/connection/revoked-host-key", test_revoked_host_key);
  g_test_add_func ("/connection/known-type-is-preferred", test_known_type_is_preferred);
  g_test_add_func ("/connection/no-common-algorithm", test_no_common_algorithm);
  g_test_add_func ("/connection/cancel-during-host-key-question", test_cancel_during_host_key_question);
  g_test_add_func ("/connection/password-login", test_password_login);
  g_test_add_func ("/connection/password-refused", test_password_refused);
  g_test_add_func ("/connection/too-many-auth-failures", test_too_many_auth_failures);
  g_test_add_func ("/connection/keyboard-interactive-two-rounds", test_keyboard_interactive_two_rounds);
  g_test_add_func ("/connection/keyboard-interactive-pam", test_keyboard_interactive_pam);
  g_test_add_func ("/connection/disconnected-during-handshake", test_disconnected_during_handshake);
  g_test_add_func ("/connection/read-only-known-hosts", test_read_only_known_hosts);
  g_test_add_func ("/connection/cancel-during-password-question", test_cancel_during_password_question);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  return ret;
}
