/* Logins that say what happened: a session whose method is its key file
 * names the key the server refused and asks no password; with password
 * allowed, the password question says the key was refused; declining the
 * passphrase of one of the default ~/.ssh/id_* keys moves on to the next
 * key (as ssh does), declining it for the key the server was given ends the
 * login. Against a real sshd, with a private HOME holding the default keys. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

static char *home;

/* Makes a key at @path, which it takes and returns. */
static char *
keygen (char       *path,
        const char *type,
        const char *passphrase)
{
  const char *argv[] = { "ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test", "-f", path, NULL };
  int status = -1;

  g_assert_true (pas_test_run (argv, NULL, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return path;
}

static char *
fingerprint_of (const char *path)
{
  g_autoptr(PasPrivateKey) key = pas_private_key_load (path, NULL);

  g_assert_nonnull (key);
  return pas_private_key_get_fingerprint (key);
}

/* Only these public keys may log in. */
static void
authorize (PasTestSshd        *sshd,
           const char * const *keys)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *authorized = g_build_filename (pas_test_sshd_get_dir (sshd), "authorized_keys", NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *pub_path = g_strconcat (keys[i], ".pub", NULL);
      g_autofree char *pub = NULL;

      g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
      g_string_append (lines, pub);
    }
  g_assert_true (g_file_set_contents (authorized, lines->str, -1, NULL));
}

static PasConnection *
connection_to (PasTestSshd        *sshd,
               const char         *user,
               const char * const *keys,
               guint               methods)
{
  PasConnection *connection = pas_connection_new ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                  user != NULL ? user : pas_test_sshd_get_user (sshd));

  pas_connection_set_known_hosts_files (connection, pas_test_sshd_get_known_hosts (sshd), NULL);
  pas_connection_set_agent_socket (connection, NULL);
  if (keys != NULL)
    pas_connection_set_identity_files (connection, keys, TRUE);
  pas_connection_set_auth_methods (connection, methods);
  pas_connection_set_timeout (connection, 10);
  return connection;
}

/* A saved session whose method is "key file": the refused key is named,
 * and no password is asked even though the server would take one. */
static void
test_key_only_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (&(PasTestSshdOptions) { .password_auth = TRUE }, &error);
  g_autofree char *stranger = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = NULL;

  g_assert_no_error (error);
  stranger = keygen (g_build_filename (home, "stranger_ed25519", NULL), "ed25519", "");
  fingerprint = fingerprint_of (stranger);
  connection = connection_to (sshd, NULL, (const char *[]) { stranger, NULL }, PAS_AUTH_METHOD_KEY_FILES);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  g_queue_push_tail (&interaction->passwords, g_strdup ("never used"));

  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "refused the key"));
  g_assert_nonnull (strstr (error->message, fingerprint));
  g_assert_nonnull (strstr (error->message, pas_test_sshd_get_user (sshd)));
  g_assert_cmpuint (interaction->n_password_asks, ==, 0);
}

/* The key is refused, the password is allowed: the password question says
 * first that the key did not work. */
static void
test_key_refused_then_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (&(PasTestSshdOptions) { .password_auth = TRUE }, &error);
  g_autofree char *stranger = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = NULL;

  g_assert_no_error (error);
  if (pas_test_sshd_get_password_user (sshd) == NULL)
    {
      g_test_skip ("password logins need root to set a test user's password (scripts/test does)");
      return;
    }
  stranger = keygen (g_build_filename (home, "stranger2_ed25519", NULL), "ed25519", "");
  fingerprint = fingerprint_of (stranger);
  connection = connection_to (sshd, pas_test_sshd_get_password_user (sshd), (const char *[]) { stranger, NULL }, 0);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  g_queue_push_tail (&interaction->passwords, g_strdup (pas_test_sshd_get_password (sshd)));

  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "password");
  g_assert_cmpuint (interaction->n_password_asks, ==, 1);
  g_assert_nonnull (strstr (interaction->last_password_message, "refused the key"));
  g_assert_nonnull (strstr (interaction->last_password_message, fingerprint));
}

/* ~/.ssh/id_ecdsa has a passphrase the person does not give: on to
 * ~/.ssh/id_ed25519, which logs in. For a named key, declining ends it. */
static void
test_declined_default_passphrase (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autofree char *ssh_dir = g_build_filename (home, ".ssh", NULL);
  g_autofree char *locked = NULL;
  g_autofree char *open_key = NULL;

  g_assert_no_error (error);
  g_mkdir_with_parents (ssh_dir, 0700);
  locked = keygen (g_build_filename (ssh_dir, "id_ecdsa", NULL), "ecdsa", "secret words");
  open_key = keygen (g_build_filename (ssh_dir, "id_ed25519", NULL), "ed25519", "");
  authorize (sshd, (const char *[]) { locked, open_key, NULL });

  {
    g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
    g_autoptr(PasConnection) connection = connection_to (sshd, NULL, NULL, 0);

    interaction->decline_passphrases = TRUE;
    pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
    g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (interaction->n_passphrase_asks, ==, 1);
    g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "publickey");
  }
  {
    g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
    g_autoptr(PasConnection) connection = connection_to (sshd, NULL, (const char *[]) { locked, NULL }, 0);

    interaction->decline_passphrases = TRUE;
    pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
    g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpstr (error->message, ==, "You cancelled the login");
  }
  g_unlink (locked);
  g_unlink (open_key);
}

/* A key path typed with ~ and given as its public half, through the
 * resolver as a saved session's: it logs in with the private half. */
static void
test_session_key_as_typed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autofree char *ssh_dir = g_build_filename (home, ".ssh", NULL);
  g_autofree char *key = NULL;
  g_autoptr(PasSession) session = pas_session_new ();
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autoptr(PasDestination) destination = NULL;
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();

  g_assert_no_error (error);
  g_mkdir_with_parents (ssh_dir, 0700);
  key = keygen (g_build_filename (ssh_dir, "work_ed25519", NULL), "ed25519", "");
  authorize (sshd, (const char *[]) { key, NULL });
  g_object_set (session, "name", "work", "host", "127.0.0.1", "port", (guint) pas_test_sshd_get_port (sshd),
                "user", pas_test_sshd_get_user (sshd), "auth", PAS_AUTH_KEY, "key-file", "~/.ssh/work_ed25519.pub",
                NULL);
  pas_resolver_set_ssh_config (resolver, "none");
  pas_resolver_set_known_hosts (resolver, pas_test_sshd_get_known_hosts (sshd));
  destination = pas_resolver_resolve_session (resolver, session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pas_destination_get_identity_files (destination)[0], ==, key);
  connection = pas_connection_new_for_destination (destination);
  pas_connection_set_agent_socket (connection, NULL);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* The default keys are looked for in $HOME/.ssh: a home of our own,
   * before anything reads it. */
  home = g_dir_make_tmp ("pas-login-home-XXXXXX", NULL);
  g_setenv ("HOME", home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/login/key-only-refused", test_key_only_refused);
  g_test_add_func ("/login/key-refused-then-password", test_key_refused_then_password);
  g_test_add_func ("/login/declined-default-passphrase", test_declined_default_passphrase);
  g_test_add_func ("/login/session-key-as-typed", test_session_key_as_typed);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  pas_test_rm_rf (home, NULL);
  g_free (home);
  return ret;
}
