/* New ed25519 keys, checked by ssh-keygen itself and by a real login. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

static char *
public_half_by_ssh_keygen (const char *path,
                           const char *passphrase,
                           int        *status)
{
  const char *argv[] = { "ssh-keygen", "-y", "-P", passphrase, "-f", path, NULL };
  char *out = NULL;

  g_assert_true (pas_test_run (argv, NULL, &out, NULL, status, NULL));
  return g_strstrip (out);
}

static void
test_plain_key_logs_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autofree char *path = g_build_filename (pas_test_sshd_get_dir (sshd), "new_ed25519", NULL);
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *authorized = g_build_filename (pas_test_sshd_get_dir (sshd), "authorized_keys", NULL);
  g_autofree char *line = NULL;
  g_autofree char *by_keygen = NULL;
  g_autofree char *pub_file = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *more_keys = NULL;
  g_autoptr(PasConnection) connection = NULL;
  GStatBuf st;
  int status;

  g_assert_no_error (error);
  line = pas_key_generate_ed25519 (path, NULL, "me@laptop", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "ssh-ed25519 "));
  g_assert_true (g_str_has_suffix (line, " me@laptop"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (pub_path, &pub_file, NULL, NULL));
  g_assert_cmpstr (g_strstrip (pub_file), ==, line);

  /* OpenSSH reads it and finds the same public half. */
  by_keygen = public_half_by_ssh_keygen (path, "", &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (line, by_keygen));

  /* And the server lets it in. */
  g_assert_true (g_file_get_contents (authorized, &keys, NULL, NULL));
  more_keys = g_strconcat (keys, line, "\n", NULL);
  g_assert_true (g_file_set_contents (authorized, more_keys, -1, NULL));
  connection = pas_test_key_connection (sshd, path);
  pas_connection_set_agent_socket (connection, NULL);
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Never over an existing key. */
  g_assert_null (pas_key_generate_ed25519 (path, NULL, NULL, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_EXISTS);
}

static void
test_encrypted_key (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pas-key-gen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "secret_ed25519", NULL);
  g_autofree char *line = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasPrivateKey) key = NULL;
  int status;

  line = pas_key_generate_ed25519 (path, "correct horse", NULL, &error);
  g_assert_no_error (error);
  good = public_half_by_ssh_keygen (path, "correct horse", &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (line, good));
  bad = public_half_by_ssh_keygen (path, "wrong", &status);
  g_assert_cmpint (status, !=, 0);

  /* Our own loader agrees. */
  key = pas_private_key_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (pas_private_key_is_encrypted (key));
  g_assert_false (pas_private_key_unlock (key, "wrong", &error));
  g_clear_error (&error);
  g_assert_true (pas_private_key_unlock (key, "correct horse", &error));
  g_assert_no_error (error);
  pas_test_rm_rf (dir, NULL);
}

static gboolean
install (PasSftpSession *sftp,
         const char     *line,
         const char     *dir,
         gboolean       *added,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sftp_session_install_public_key_async (sftp, line, dir, NULL, pas_test_store_result_cb, &result);
  return pas_sftp_session_install_public_key_finish (sftp, pas_test_wait_for (&result), added, error);
}

/* "Install my public key": appended once, folder and file made private
 * when new, and the server then lets the new key in. */
static void
test_install_public_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasConnection) connection = NULL;
  g_autoptr(PasSftpSession) sftp = NULL;
  g_autoptr(PasConnection) with_new_key = NULL;
  g_autofree char *key = g_build_filename (pas_test_sshd_get_dir (sshd), "laptop_ed25519", NULL);
  g_autofree char *fresh = g_build_filename (pas_test_sshd_get_dir (sshd), "home", ".ssh", NULL);
  g_autofree char *fresh_file = g_build_filename (fresh, "authorized_keys", NULL);
  g_autofree char *served = g_build_filename (pas_test_sshd_get_dir (sshd), "authorized_keys", NULL);
  g_autofree char *line = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  g_autofree char *expected = NULL;
  gboolean added = FALSE;
  GStatBuf st;

  g_assert_no_error (error);
  line = pas_key_generate_ed25519 (key, NULL, "laptop", &error);
  g_assert_no_error (error);
  sftp = pas_test_open_sftp (sshd, NULL, &connection);

  /* A home without ~/.ssh. */
  g_assert_true (install (sftp, line, fresh, &added, &error));
  g_assert_no_error (error);
  g_assert_true (added);
  g_assert_cmpint (g_stat (fresh, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fresh_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (fresh_file, &after, NULL, NULL));
  expected = g_strconcat (line, "\n", NULL);
  g_assert_cmpstr (after, ==, expected);

  /* The file the server reads, whose last line has no newline. */
  g_assert_true (g_file_get_contents (served, &before, NULL, NULL));
  g_strchomp (before);
  g_assert_true (g_file_set_contents (served, before, -1, NULL));
  g_assert_true (install (sftp, line, pas_test_sshd_get_dir (sshd), &added, &error));
  g_assert_true (added);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (served, &after, NULL, NULL));
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat (before, "\n", line, "\n", NULL);
  g_assert_cmpstr (after, ==, expected);

  /* Never twice. */
  g_assert_true (install (sftp, line, pas_test_sshd_get_dir (sshd), &added, &error));
  g_assert_false (added);
  g_assert_true (g_file_get_contents (served, &again, NULL, NULL));
  g_assert_cmpstr (again, ==, after);

  /* The server lets the new key in. */
  with_new_key = pas_test_key_connection (sshd, key);
  pas_connection_set_agent_socket (with_new_key, NULL);
  g_assert_true (pas_test_connect (with_new_key, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Not a key line: refused before anything is touched. */
  g_assert_false (install (sftp, "ssh-ed25519 AAAA\nevil", NULL, &added, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  pas_test_use_local_resolver ();
  g_test_add_func ("/key-gen/plain-key-logs-in", test_plain_key_logs_in);
  g_test_add_func ("/key-gen/encrypted-key", test_encrypted_key);
  g_test_add_func ("/key-gen/install-public-key", test_install_public_key);
  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  return ret;
}
