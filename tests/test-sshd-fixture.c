/* Proves the sshd fixture every later test relies on: OpenSSH's own client
 * logs in with the fixture's key and known_hosts, and with the test password. */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pas-test-sshd.h"

static char *
run_sftp (PasTestSshd *sshd,
          const char  *user,
          const char  *batch,
          gboolean     use_password,
          int         *status)
{
  g_autofree char *port = g_strdup_printf ("%u", pas_test_sshd_get_port (sshd));
  g_autofree char *known = g_strdup_printf ("UserKnownHostsFile=%s", pas_test_sshd_get_known_hosts (sshd));
  g_autofree char *target = g_strdup_printf ("%s@127.0.0.1", user);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *askpass = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (char *) "sftp");
  g_ptr_array_add (argv, (char *) "-F");
  g_ptr_array_add (argv, (char *) "/dev/null");
  g_ptr_array_add (argv, (char *) "-P");
  g_ptr_array_add (argv, port);
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, known);
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) "GlobalKnownHostsFile=/dev/null");
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) "StrictHostKeyChecking=yes");
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) "IdentitiesOnly=yes");

  if (use_password)
    {
      g_autofree char *script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$PAS_TEST_PASSWORD\"\n");

      askpass = g_build_filename (pas_test_sshd_get_dir (sshd), "askpass.sh", NULL);
      g_assert_true (g_file_set_contents (askpass, script, -1, NULL));
      g_chmod (askpass, 0700);
      g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS", askpass, TRUE);
      g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS_REQUIRE", "force", TRUE);
      g_ptr_array_add (argv, (char *) "-o");
      g_ptr_array_add (argv, (char *) "PreferredAuthentications=password");
      g_ptr_array_add (argv, (char *) "-o");
      g_ptr_array_add (argv, (char *) "PubkeyAuthentication=no");
    }
  else
    {
      g_ptr_array_add (argv, (char *) "-o");
      g_ptr_array_add (argv, (char *) "BatchMode=yes");
      g_ptr_array_add (argv, (char *) "-i");
      g_ptr_array_add (argv, (char *) pas_test_sshd_get_user_key (sshd));
    }

  /* sftp -b implies BatchMode, which disables passwords: with a password the
   * commands come on stdin instead. */
  if (!use_password)
    {
      g_ptr_array_add (argv, (char *) "-b");
      g_ptr_array_add (argv, (char *) "-");
    }
  g_ptr_array_add (argv, target);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, batch, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  return out;
}

static void
test_key_login (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autofree char *files = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  int status = -1;

  g_assert_no_error (error);
  g_assert_cmpuint (pas_test_sshd_get_port (sshd), >, 0);

  files = g_build_filename (pas_test_sshd_get_dir (sshd), "files", NULL);
  g_assert_cmpint (g_mkdir (files, 0755), ==, 0);
  sample = g_build_filename (files, "fixture-sample.txt", NULL);
  g_assert_true (g_file_set_contents (sample, "hello\n", -1, NULL));

  batch = g_strdup_printf ("ls -1 %s\n", files);
  out = run_sftp (sshd, pas_test_sshd_get_user (sshd), batch, FALSE, &status);
  g_test_message ("sftp said: %s", out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "fixture-sample.txt"));

  log = pas_test_sshd_wait_for_log (sshd, "Accepted publickey for");
  g_assert_nonnull (strstr (log, "Accepted publickey for"));
}

static void
test_wrong_host_key_refused (void)
{
  /* The known_hosts file must pin this server's key: a second server's
   * known_hosts line must not let the client in. */
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) a = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasTestSshd) b = pas_test_sshd_new (NULL, &error);
  g_autofree char *a_known = NULL;
  g_autofree char *rewritten = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pas_test_sshd_get_known_hosts (a), &a_known, NULL, NULL));
  g_assert_nonnull (strchr (a_known, ' '));
  /* a's host key, filed under b's address. */
  rewritten = g_strdup_printf ("[127.0.0.1]:%u%s", pas_test_sshd_get_port (b), strchr (a_known, ' '));
  g_assert_true (g_file_set_contents (pas_test_sshd_get_known_hosts (b), rewritten, -1, NULL));

  out = run_sftp (b, pas_test_sshd_get_user (b), "pwd\n", FALSE, &status);
  g_test_message ("sftp said: %s", out);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (out, "REMOTE HOST IDENTIFICATION HAS CHANGED"));
}

static void
test_password_login (void)
{
  PasTestSshdOptions options = { .password_auth = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  int status = -1;

  if (geteuid () != 0 || g_getenv ("PAS_TEST_PASSWORD_USER") == NULL)
    {
      g_test_skip ("password logins need root and the test user made by scripts/test");
      return;
    }

  sshd = pas_test_sshd_new (&options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pas_test_sshd_get_password_user (sshd));

  out = run_sftp (sshd, pas_test_sshd_get_password_user (sshd), "pwd\n", TRUE, &status);
  g_test_message ("sftp said: %s", out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Remote working directory: /"));

  log = pas_test_sshd_wait_for_log (sshd, "Accepted password for");
  g_assert_nonnull (strstr (log, "Accepted password for"));
}

static void
test_stop_closes_port (void)
{
  g_autoptr(GError) error = NULL;
  PasTestSshd *sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *dir = NULL;
  guint16 port;

  g_assert_no_error (error);
  port = pas_test_sshd_get_port (sshd);
  dir = g_strdup (pas_test_sshd_get_dir (sshd));
  pas_test_sshd_free (sshd);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fixture/sshd/key-login", test_key_login);
  g_test_add_func ("/fixture/sshd/wrong-host-key-refused", test_wrong_host_key_refused);
  g_test_add_func ("/fixture/sshd/password-login", test_password_login);
  g_test_add_func ("/fixture/sshd/stop-closes-port", test_stop_closes_port);

  return g_test_run ();
}
