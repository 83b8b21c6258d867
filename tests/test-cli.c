/* passerelle-cli against a real sshd: commands, output formats, exit statuses. */
#include "config.h"

#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "pas-test-sshd.h"

static const char *cli;
static char *home;
static char *config_home;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs passerelle-cli with @env (NULL-terminated pairs) and arguments. */
static void
run_cli (Run                *r,
         const char * const *env,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) cli);
  va_start (args, env);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* A private home: no ~/.ssh/config or saved sessions but the test's. */
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (process);
  /* The start of each stream is enough to read a failure; megabytes of it
   * in the TAP log took longer than the test itself under ASan. */
  g_test_message ("exit %d\nstdout: %.2000s%s\nstderr: %.2000s%s", r->status,
                  r->out, strlen (r->out) > 2000 ? "…" : "", r->err, strlen (r->err) > 2000 ? "…" : "");
}

static char *
url (PasTestSshd *sshd,
     const char  *user,
     const char  *path)
{
  return pas_test_sshd_get_uri (sshd, user, path);
}

typedef struct
{
  PasTestSshd *sshd;
  char        *dir;
  char        *key_opt;
  char        *kh_opt;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->sshd = pas_test_sshd_new (NULL, &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (pas_test_sshd_get_dir (f->sshd), "files", NULL);
  g_assert_cmpint (g_mkdir (f->dir, 0755), ==, 0);
  f->key_opt = g_strdup_printf ("--identity=%s", pas_test_sshd_get_user_key (f->sshd));
  f->kh_opt = g_strdup_printf ("--known-hosts=%s", pas_test_sshd_get_known_hosts (f->sshd));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_pointer (&f->sshd, pas_test_sshd_free);
  g_free (f->dir);
  g_free (f->key_opt);
  g_free (f->kh_opt);
}

static void
test_listing (Fixture      *f,
              gconstpointer data)
{
  static const char *names[] = { "a.txt", "b dir", ".hidden", "new\nline" };
  g_autofree char *u = url (f->sshd, NULL, f->dir);
  g_auto(Run) plain = { 0 }, all = { 0 }, longf = { 0 }, json = { 0 };
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);
      g_assert_true (g_file_set_contents (path, "12345", -1, NULL));
    }

  run_cli (&plain, NULL, "--batch", f->key_opt, f->kh_opt, "ls", u, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpstr (plain.out, ==, "a.txt\nb dir\nnew\\u{000A}line\n");

  run_cli (&all, NULL, "--batch", f->key_opt, f->kh_opt, "ls", "-a", u, NULL);
  g_assert_nonnull (strstr (all.out, ".hidden\n"));

  run_cli (&longf, NULL, "--batch", f->key_opt, f->kh_opt, "ls", "-l", u, NULL);
  g_assert_cmpint (longf.status, ==, 0);
  g_assert_nonnull (strstr (longf.out, "-rw-r--r-- "));
  g_assert_nonnull (strstr (longf.out, " 5 "));

  run_cli (&json, NULL, "--batch", "--json", f->key_opt, f->kh_opt, "ls", u, NULL);
  lines = g_strsplit (g_strstrip (json.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "{\"name\":\"a.txt\","));
  g_assert_nonnull (strstr (lines[0], "\"size\":5"));
  g_assert_nonnull (strstr (lines[0], "\"type\":\"file\""));
}

static void
test_changes (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *deep = g_build_filename (f->dir, "x/y/z", NULL);
  g_autofree char *deep_url = url (f->sshd, NULL, deep);
  g_autofree char *x_url = NULL;
  g_autofree char *file = g_build_filename (f->dir, "doc.txt", NULL);
  g_autofree char *file_url = url (f->sshd, NULL, file);
  g_autofree char *renamed = g_build_filename (f->dir, "renamed.txt", NULL);
  g_autofree char *renamed_url = url (f->sshd, NULL, renamed);
  g_autofree char *x = g_build_filename (f->dir, "x", NULL);
  GStatBuf st;

  x_url = url (f->sshd, NULL, x);
  g_assert_true (g_file_set_contents (file, "hello", -1, NULL));

  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "mkdir", "-p", deep_url, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (deep, G_FILE_TEST_IS_DIR));
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "mv", file_url, "renamed.txt", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (renamed, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "chmod", "640", renamed_url, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (g_stat (renamed, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 07777, ==, 0640);
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "stat", renamed_url, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Size: 5"));
    g_assert_nonnull (strstr (r.out, "-rw-r-----"));
  }
  {
    /* A folder needs -r; with it, the whole tree goes. */
    g_auto(Run) no = { 0 };
    g_auto(Run) yes = { 0 };

    run_cli (&no, NULL, "--batch", f->key_opt, f->kh_opt, "rm", x_url, NULL);
    g_assert_cmpint (no.status, ==, 6);
    g_assert_true (g_file_test (deep, G_FILE_TEST_IS_DIR));
    run_cli (&yes, NULL, "--batch", f->key_opt, f->kh_opt, "rm", "-r", x_url, NULL);
    g_assert_cmpint (yes.status, ==, 0);
    g_assert_false (g_file_test (x, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "stat", x_url, NULL);
    g_assert_cmpint (r.status, ==, 6);
    g_assert_nonnull (strstr (r.err, "does not exist"));
  }
}

static void
test_rm_never_follows_links (Fixture      *f,
                             gconstpointer data)
{
  /* A link inside the tree that points outside it: the link goes, not its target. */
  g_autofree char *outside = g_build_filename (pas_test_sshd_get_dir (f->sshd), "precious", NULL);
  g_autofree char *keep = g_build_filename (outside, "keep.txt", NULL);
  g_autofree char *tree = g_build_filename (f->dir, "tree", NULL);
  g_autofree char *link = g_build_filename (tree, "escape", NULL);
  g_autofree char *tree_url = url (f->sshd, NULL, tree);
  g_auto(Run) r = { 0 };

  g_assert_cmpint (g_mkdir (outside, 0755), ==, 0);
  g_assert_true (g_file_set_contents (keep, "do not delete", -1, NULL));
  g_assert_cmpint (g_mkdir (tree, 0755), ==, 0);
  g_assert_cmpint (symlink (outside, link), ==, 0);

  run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "rm", "-r", tree_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (tree, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (keep, G_FILE_TEST_IS_REGULAR));
}

static void
test_exit_statuses (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *u = url (f->sshd, NULL, f->dir);
  g_autofree char *empty_kh = g_build_filename (pas_test_sshd_get_dir (f->sshd), "new_known_hosts", NULL);
  g_autofree char *empty_kh_opt = g_strdup_printf ("--known-hosts=%s", empty_kh);
  g_autofree char *other_key = g_build_filename (pas_test_sshd_get_dir (f->sshd), "other_key", NULL);
  g_autofree char *other_key_opt = g_strdup_printf ("--identity=%s", other_key);
  g_autofree char *query = g_strdup_printf ("[127.0.0.1]:%u", pas_test_sshd_get_port (f->sshd));
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other_key, NULL };
  const char *find[] = { "ssh-keygen", "-F", query, "-f", empty_kh, NULL };
  g_autofree char *found = NULL;

  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "frobnicate", u, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "ls", "http://example.com/", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", "ls", "sftp://nobody@127.0.0.1:1/", NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "refused"));
  }
  {
    /* --batch never accepts an unknown host key… */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, empty_kh_opt, "ls", u, NULL);
    g_assert_cmpint (r.status, ==, 4);
    g_assert_nonnull (strstr (r.err, "SHA256:"));
    g_assert_false (g_file_test (empty_kh, G_FILE_TEST_EXISTS));
  }
  {
    /* …unless told to accept new ones; the line lands where ssh-keygen finds it. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", "--accept-new-host-key", f->key_opt, empty_kh_opt, "ls", u, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (pas_test_run (find, NULL, &found, NULL, NULL, NULL));
    g_assert_nonnull (strstr (found, "found: line 1"));
  }
  {
    g_auto(Run) r = { 0 };
    g_assert_true (pas_test_run (keygen, NULL, NULL, NULL, NULL, NULL));
    run_cli (&r, NULL, "--batch", other_key_opt, f->kh_opt, "ls", u, NULL);
    g_assert_cmpint (r.status, ==, 5);
  }
}

static void
test_server_command_and_askpass (Fixture      *f,
                                 gconstpointer data)
{
  g_autofree char *u = url (f->sshd, NULL, f->dir);
  g_auto(Run) r = { 0 };

  run_cli (&r, NULL, "--batch", "--sftp-server=/usr/lib/openssh/sftp-server", f->key_opt, f->kh_opt, "ls", u, NULL);
  g_assert_cmpint (r.status, ==, 0);

  if (geteuid () != 0 || g_getenv ("PAS_TEST_PASSWORD_USER") == NULL)
    {
      g_test_skip ("password logins need root and the test user made by scripts/test");
      return;
    }
  {
    /* The password comes from $SSH_ASKPASS, never from the command line. */
    const char *extra[] = { NULL };
    PasTestSshdOptions options = { .password_auth = TRUE, .extra_config = extra };
    g_autoptr(GError) error = NULL;
    g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (&options, &error);
    g_autofree char *askpass = NULL;
    g_autofree char *kh_opt = NULL;
    g_autofree char *home_url = NULL;
    g_auto(Run) p = { 0 };
    const char *env[] = { "SSH_ASKPASS", NULL, "SSH_ASKPASS_REQUIRE", "force", "G_MESSAGES_DEBUG", "all", NULL };
    const char *password = g_getenv ("PAS_TEST_PASSWORD");
    g_autofree char *upload = g_build_filename (pas_test_sshd_get_dir (sshd), "note.txt", NULL);
    g_autofree char *uploaded = NULL;
    g_auto(Run) put = { 0 };
    g_auto(Run) rm = { 0 };

    g_assert_no_error (error);
    askpass = g_build_filename (pas_test_sshd_get_dir (sshd), "askpass.sh", NULL);
    g_assert_true (g_file_set_contents (askpass, "#!/bin/sh\nprintf '%s\\n' \"$PAS_TEST_PASSWORD\"\n", -1, NULL));
    g_chmod (askpass, 0700);
    env[1] = askpass;
    kh_opt = g_strdup_printf ("--known-hosts=%s", pas_test_sshd_get_known_hosts (sshd));
    home_url = url (sshd, pas_test_sshd_get_password_user (sshd), NULL);

    run_cli (&p, env, kh_opt, "ls", "-a", home_url, NULL);
    g_assert_cmpint (p.status, ==, 0);

    /* With every debug message on, through a transfer too: the login and
     * the copy are logged, the password is not. */
    g_assert_true (g_file_set_contents (upload, "a note\n", -1, NULL));
    {
      g_autofree char *home_path = g_build_filename (getpwnam (pas_test_sshd_get_password_user (sshd))->pw_dir,
                                                     "note.txt", NULL);
      uploaded = url (sshd, pas_test_sshd_get_password_user (sshd), home_path);
    }
    run_cli (&put, env, kh_opt, "put", upload, uploaded, NULL);
    g_assert_cmpint (put.status, ==, 0);
    run_cli (&rm, env, kh_opt, "rm", uploaded, NULL);
    g_assert_cmpint (rm.status, ==, 0);
    g_assert_nonnull (strstr (p.err, "password, try 1: accepted"));
    /* Debug lines never mix with the listing scripts read. */
    g_assert_null (strstr (p.out, "DEBUG"));
    g_assert_nonnull (strstr (put.err, "pas-transfer"));
    g_assert_nonnull (password);
    g_assert_null (strstr (p.out, password));
    g_assert_null (strstr (p.err, password));
    g_assert_null (strstr (put.out, password));
    g_assert_null (strstr (put.err, password));
    g_assert_null (strstr (rm.err, password));
  }
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, len);
}

static void
test_get_and_put (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *local = g_build_filename (pas_test_sshd_get_dir (f->sshd), "local", NULL);
  g_autofree char *remote_file = g_build_filename (f->dir, "site.tar.gz", NULL);
  g_autofree char *local_file = g_build_filename (local, "site.tar.gz", NULL);
  g_autofree char *u_file = url (f->sshd, NULL, remote_file);
  g_autofree char *u_missing = url (f->sshd, NULL, "/no/such/file");
  g_autofree char *u_dir = url (f->sshd, NULL, f->dir);
  g_autofree char *tree = g_build_filename (local, "www", NULL);
  g_autofree char *tree_file = g_build_filename (tree, "css", "main.css", NULL);
  g_autofree char *remote_tree_file = g_build_filename (f->dir, "www", "css", "main.css", NULL);
  g_autofree char *back = g_build_filename (local, "back", NULL);
  g_autofree char *back_file = g_build_filename (back, "www", "css", "main.css", NULL);
  g_autofree char *blob = g_malloc (3 * 1024 * 1024 + 1);
  g_autofree char *sum = NULL;
  g_autofree char *css_dir = g_path_get_dirname (tree_file);

  for (gsize i = 0; i < 3 * 1024 * 1024 + 1; i++)
    blob[i] = (char) (i * 7 + i / 4099);
  g_assert_true (g_file_set_contents (remote_file, blob, 3 * 1024 * 1024 + 1, NULL));
  g_assert_cmpint (g_mkdir_with_parents (local, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (css_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (tree_file, "body { margin: 0 }\n", -1, NULL));
  sum = file_sha256 (remote_file);

  {
    /* get into a folder keeps the name; JSON tells what happened. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "--json", "get", u_file, local, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "{\"event\":\"done\""));
    g_assert_nonnull (strstr (r.out, "\"ok\":true,\"files\":1,\"skipped\":0,\"bytes\":3145729"));
    g_autofree char *got = file_sha256 (local_file);
    g_assert_cmpstr (got, ==, sum);
  }
  {
    /* put -r of a tree; then get -r brings the same bytes back. */
    g_auto(Run) r = { 0 };
    g_auto(Run) r2 = { 0 };
    g_autofree char *remote_www = g_build_filename (f->dir, "www", NULL);
    g_autofree char *u_www = url (f->sshd, NULL, remote_www);
    g_autofree char *sum_back = NULL;
    g_autofree char *sum_tree = NULL;

    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "put", "-r", tree, u_dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (remote_tree_file, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint (g_mkdir (back, 0755), ==, 0);
    run_cli (&r2, NULL, "--batch", f->key_opt, f->kh_opt, "get", "-r", u_www, back, NULL);
    g_assert_cmpint (r2.status, ==, 0);
    sum_back = file_sha256 (back_file);
    sum_tree = file_sha256 (tree_file);
    g_assert_cmpstr (sum_back, ==, sum_tree);
  }
  {
    /* A folder without -r is refused. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "get", u_dir, back, NULL);
    g_assert_cmpint (r.status, ==, 6);
    g_assert_nonnull (strstr (r.err, "folder"));
  }
  {
    /* 6: the server has no such file; 8: one of two sources failed. */
    g_auto(Run) r = { 0 };
    g_auto(Run) r2 = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "get", u_missing, local, NULL);
    g_assert_cmpint (r.status, ==, 6);
    run_cli (&r2, NULL, "--batch", f->key_opt, f->kh_opt, "get", u_file, u_missing, local, NULL);
    g_assert_cmpint (r2.status, ==, 8);
  }
  {
    /* 7: the local side fails (its folder does not exist). */
    g_auto(Run) r = { 0 };
    g_autofree char *nowhere = g_build_filename (local, "missing", "x.bin", NULL);
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "get", u_file, nowhere, NULL);
    g_assert_cmpint (r.status, ==, 7);
  }
  {
    /* --conflict=skip keeps what is there; a bad policy is a usage error. */
    g_auto(Run) r = { 0 };
    g_auto(Run) r2 = { 0 };
    g_autofree char *contents = NULL;

    g_assert_true (g_file_set_contents (local_file, "mine", -1, NULL));
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "--conflict=skip", "get", u_file, local, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (local_file, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "mine");
    run_cli (&r2, NULL, "--batch", f->key_opt, f->kh_opt, "--conflict=sometimes", "get", u_file, local, NULL);
    g_assert_cmpint (r2.status, ==, 2);
  }
  {
    /* --conflict=ask under --batch: nobody to ask, so the file is kept. */
    g_auto(Run) r = { 0 };
    g_autofree char *contents = NULL;

    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "--conflict=ask", "--json", "get", u_file, local, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\"skipped\":1"));
    g_assert_true (g_file_get_contents (local_file, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "mine");
  }
}

/* NAME:path: a saved session, a Host of ssh_config (-F), the config's
 * values losing to what the address says. */
static void
test_names (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *sessions_dir = g_build_filename (config_home, "passerelle", NULL);
  g_autofree char *sessions = g_build_filename (sessions_dir, "sessions.ini", NULL);
  g_autofree char *ini = g_strdup_printf ("[5f0c]\nName=demo box\nHost=127.0.0.1\nPort=%u\nUser=%s\nAuth=key\n"
                                          "KeyFile=%s\nRemoteFolder=%s\n",
                                          pas_test_sshd_get_port (f->sshd), pas_test_sshd_get_user (f->sshd),
                                          pas_test_sshd_get_user_key (f->sshd), f->dir);
  g_autofree char *ssh_config = g_build_filename (pas_test_sshd_get_dir (f->sshd), "ssh_config", NULL);
  g_autofree char *ssh_text = g_strdup_printf ("Host box\n  HostName 127.0.0.1\n  Port %u\n  User %s\n"
                                               "  IdentityFile %s\n  IdentitiesOnly yes\n",
                                               pas_test_sshd_get_port (f->sshd), pas_test_sshd_get_user (f->sshd),
                                               pas_test_sshd_get_user_key (f->sshd));
  g_autofree char *config_opt = g_strdup_printf ("--config=%s", ssh_config);
  g_autofree char *marker = g_build_filename (f->dir, "marker.txt", NULL);
  g_autofree char *box_path = g_strdup_printf ("box:%s", f->dir);

  g_assert_cmpint (g_mkdir_with_parents (sessions_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (sessions, ini, -1, NULL));
  g_assert_true (g_file_set_contents (ssh_config, ssh_text, -1, NULL));
  g_assert_true (g_file_set_contents (marker, "here", -1, NULL));
  {
    /* The session's folder is where a relative path starts. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->kh_opt, "ls", "demo box:", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "marker.txt"));
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->kh_opt, config_opt, "ls", box_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "marker.txt"));
  }
  {
    /* -F none: "box" is then just a host name nobody knows. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->kh_opt, "-F", "none", "ls", box_path, NULL);
    g_assert_cmpint (r.status, ==, 3);
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->kh_opt, "ls", "no colon here", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
}

/* Through a jump host named in ssh_config (ProxyJump) and with --jump:
 * ls, put and get work, the jump sshd shows the forwarding, resolve says
 * the way; a jump host that is not there fails with exit 3, names itself,
 * and the server sees no connection (never a direct one). */
static void
test_jumps (Fixture      *f,
            gconstpointer data)
{
  const char *debug[] = { "LogLevel DEBUG1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) jump = pas_test_sshd_new (&(PasTestSshdOptions) { .extra_config = debug }, &error);
  g_autofree char *config = g_build_filename (f->dir, "..", "ssh_config", NULL);
  g_autofree char *config_opt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *local = g_build_filename (f->dir, "..", "to-send.txt", NULL);
  g_autofree char *back = g_build_filename (f->dir, "..", "came-back.txt", NULL);
  g_autofree char *remote_dir = g_strdup_printf ("target:%s/", f->dir);
  g_autofree char *remote_file = g_strdup_printf ("target:%s/to-send.txt", f->dir);
  g_autofree char *forwarded = g_strdup_printf ("target 127.0.0.1 port %u", pas_test_sshd_get_port (f->sshd));
  g_autofree char *log = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  text = g_strdup_printf ("Host jumphost\n  HostName 127.0.0.1\n  Port %u\n  User %s\n  IdentityFile %s\n"
                          "  UserKnownHostsFile %s\n"
                          "Host target\n  HostName 127.0.0.1\n  Port %u\n  User %s\n  IdentityFile %s\n"
                          "  UserKnownHostsFile %s\n  ProxyJump jumphost\n",
                          pas_test_sshd_get_port (jump), pas_test_sshd_get_user (jump),
                          pas_test_sshd_get_user_key (jump),
                          pas_test_sshd_get_known_hosts (jump),
                          pas_test_sshd_get_port (f->sshd), pas_test_sshd_get_user (f->sshd),
                          pas_test_sshd_get_user_key (f->sshd), pas_test_sshd_get_known_hosts (f->sshd));
  g_assert_true (g_file_set_contents (config, text, -1, NULL));
  config_opt = g_strdup_printf ("--config=%s", config);
  g_assert_true (g_file_set_contents (local, "through the bastion\n", -1, NULL));

  {
    g_auto (Run) r = { 0 };
    g_autofree char *via = g_strdup_printf ("via %s@127.0.0.1:%u", pas_test_sshd_get_user (jump),
                                            pas_test_sshd_get_port (jump));

    run_cli (&r, NULL, config_opt, "resolve", "target", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, via));
    g_assert_nonnull (strstr (r.out, "\nproxyjump "));
  }
  {
    g_auto (Run) r = { 0 };

    run_cli (&r, NULL, config_opt, "--batch", "put", local, remote_dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto (Run) r = { 0 };

    run_cli (&r, NULL, config_opt, "--batch", "ls", remote_dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "to-send.txt"));
  }
  {
    g_auto (Run) r = { 0 };

    run_cli (&r, NULL, config_opt, "--batch", "get", remote_file, back, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (back, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "through the bastion\n");
  }
  log = pas_test_sshd_wait_for_log (jump, forwarded);
  g_assert_nonnull (strstr (log, forwarded));

  /* --jump wins over ssh_config's ProxyJump: a jump host that is not there. */
  {
    g_auto (Run) r = { 0 };
    g_autofree char *before = pas_test_sshd_read_log (f->sshd);
    g_autofree char *after = NULL;
    guint before_n = 0, after_n = 0;

    run_cli (&r, NULL, config_opt, "--batch", "--jump", "nobody@127.0.0.1:1", "ls", remote_dir, NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "jump host"));
    g_assert_nonnull (strstr (r.err, "127.0.0.1:1"));
    g_usleep (200 * 1000);
    after = pas_test_sshd_read_log (f->sshd);
    for (const char *p = before; (p = strstr (p, "Connection from")) != NULL; p++)
      before_n++;
    for (const char *p = after; (p = strstr (p, "Connection from")) != NULL; p++)
      after_n++;
    g_assert_cmpuint (after_n, ==, before_n);
  }
  /* --jump none goes straight to the server. */
  {
    g_auto (Run) r = { 0 };

    run_cli (&r, NULL, config_opt, "--batch", "--jump", "none", "ls", remote_dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
}

/* run: like `ssh host command` — both streams where they belong, the
 * command's exit status as ours, big output streamed, 255 when the
 * connection or login fails. */
static void
test_run (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *target = url (f->sshd, NULL, f->dir);
  g_autofree char *made = g_build_filename (f->dir, "made-by-run", NULL);
  g_autofree char *touch = g_strdup_printf ("touch '%s'", made);

  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "run", target,
             "echo bonjour; echo erreur >&2; exit 3", NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_cmpstr (r.out, ==, "bonjour\n");
    g_assert_cmpstr (r.err, ==, "erreur\n");
  }
  {
    /* Several words make one command line, as with ssh. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "run", target, touch, "&&", "echo", "done", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "done\n");
    g_assert_true (g_file_test (made, G_FILE_TEST_IS_REGULAR));
  }
  {
    /* 3 MB, more than the 1 MiB a buffered run keeps: all of it arrives. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "run", target,
             "yes 0123456789 | head -c 3000000", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (strlen (r.out), ==, 3000000);
    /* 272,727 whole lines of 11 bytes, then 3 bytes. */
    g_assert_true (g_str_has_suffix (r.out, "0123456789\n012"));
  }
  {
    /* Killed by a signal: 128 + its number, as a shell says it. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "run", target, "kill -TERM $$", NULL);
    g_assert_cmpint (r.status, ==, 128 + 15);
    g_assert_nonnull (strstr (r.err, "signal TERM"));
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", "run", "sftp://nobody@127.0.0.1:1/", "true", NULL);
    g_assert_cmpint (r.status, ==, 255);
    g_assert_nonnull (strstr (r.err, "refused"));
  }
  {
    g_auto(Run) r = { 0 };
    /* No command: a usage error, 2 as for every command. */
    run_cli (&r, NULL, "--batch", "run", target, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every entry under @root: "folder/" lines, and "path sha256 mtime" for
 * files, sorted. */
static void
describe_tree (GString    *out,
               const char *root,
               const char *relative)
{
  g_autofree char *dir_path = relative[0] == '\0' ? g_strdup (root) : g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = relative[0] == '\0' ? g_strdup (g_ptr_array_index (names, i))
                                                  : g_build_filename (relative, g_ptr_array_index (names, i), NULL);
      g_autofree char *path = g_build_filename (root, child, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_string_append_printf (out, "%s/\n", child);
          describe_tree (out, root, child);
        }
      else
        {
          g_autofree char *sum = file_sha256 (path);
          GStatBuf buf;

          g_assert_cmpint (g_stat (path, &buf), ==, 0);
          g_string_append_printf (out, "%s %s %ld\n", child, sum, (long) buf.st_mtime);
        }
    }
}

static char *
tree_of (const char *root)
{
  GString *out = g_string_new (NULL);

  describe_tree (out, root, "");
  return g_string_free (out, FALSE);
}

static guint64
inode_of (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_ino;
}

static void
write_file (const char *root,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* sync, both ways, as rsync -rt: mirrors end byte for byte (and time) the
 * same, a second run rewrites nothing, --dry-run changes nothing, --delete
 * removes only extras (never excluded names), --checksum finds an edit
 * that kept size and time, a file where a folder is. */
static void
test_sync (Fixture      *f,
           gconstpointer data)
{
  g_autofree char *local = g_build_filename (pas_test_sshd_get_dir (f->sshd), "site", NULL);
  g_autofree char *remote = g_build_filename (f->dir, "www", NULL);
  g_autofree char *u_remote = url (f->sshd, NULL, remote);
  g_autofree char *back = g_build_filename (pas_test_sshd_get_dir (f->sshd), "back", NULL);
  g_autofree char *local_tree = NULL;
  g_autofree char *remote_tree = NULL;
  g_autofree char *remote_index = g_build_filename (remote, "index.html", NULL);
  g_autofree char *remote_extra = g_build_filename (remote, "old", "gone.txt", NULL);
  g_autofree char *remote_kept_log = g_build_filename (remote, "server.log", NULL);
  guint64 inode;

  write_file (local, "index.html", "<h1>Bonjour</h1>\n");
  write_file (local, "css/main.css", "body { margin: 0 }\n");
  write_file (local, "deux mots/café crème.txt", "é\n");
  write_file (local, "debug.log", "not copied\n");
  write_file (local, "node_modules/left/out.js", "not copied\n");
  {
    g_autofree char *big = g_malloc (300000);

    for (guint i = 0; i < 300000; i++)
      big[i] = (char) ('a' + i % 23);
    big[299999] = '\0';
    write_file (local, "img/big.bin", big);
  }

  {
    /* Up, into a folder that does not exist yet. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", "--exclude=*.log", "--exclude=node_modules/",
             local, u_remote, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "copy    deux mots/café crème.txt (new"));
    g_assert_null (strstr (r.out, "debug.log"));
  }
  g_assert_false (g_file_test (remote_kept_log, G_FILE_TEST_EXISTS));
  {
    g_autofree char *excluded = g_build_filename (local, "node_modules", NULL);
    g_autofree char *excluded_log = g_build_filename (local, "debug.log", NULL);

    pas_test_rm_rf (excluded, NULL);
    g_assert_cmpint (g_unlink (excluded_log), ==, 0);
  }
  local_tree = tree_of (local);
  remote_tree = tree_of (remote);
  g_assert_cmpstr (remote_tree, ==, local_tree);
  g_free (remote_tree);

  {
    /* Again: nothing to do, nothing rewritten. */
    g_auto(Run) r = { 0 };
    inode = inode_of (remote_index);
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", local, u_remote, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Already in sync."));
    g_assert_cmpuint (inode_of (remote_index), ==, inode);
  }

  /* Changes on both sides; a log on the server, excluded, stays. */
  write_file (local, "index.html", "<h1>Bonjour, le monde</h1>\n");
  write_file (remote, "old/gone.txt", "extra\n");
  write_file (remote, "old/keep.log", "kept, inside a folder that goes\n");
  write_file (remote, "server.log", "kept\n");
  {
    /* A link on the server is never a sync's to delete. */
    g_autofree char *link = g_build_filename (remote, "shortcut", NULL);

    g_assert_cmpint (symlink ("index.html", link), ==, 0);
  }
  {
    /* --dry-run says it all and does nothing. */
    g_auto(Run) r = { 0 };
    g_autofree char *before = tree_of (remote);
    g_autofree char *after = NULL;

    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "--json", "sync", "--dry-run", "--delete",
             "--exclude=*.log", local, u_remote, NULL);
    g_assert_cmpint (r.status, ==, 0);
    /* Not the folder whole: it holds an excluded name. */
    g_assert_nonnull (strstr (r.out,
                              "{\"action\":\"delete\",\"path\":\"old/gone.txt\",\"folder\":false,\"reason\":\"extra\"}"));
    g_assert_null (strstr (r.out, "\"path\":\"old\","));
    g_assert_nonnull (strstr (r.out,
                              "{\"action\":\"copy\",\"path\":\"index.html\",\"folder\":false,\"reason\":\"size\""));
    g_assert_null (strstr (r.out, "server.log"));
    /* Deletions first. */
    g_assert_true (strstr (r.out, "\"delete\"") < strstr (r.out, "\"copy\""));
    after = tree_of (remote);
    g_assert_cmpstr (after, ==, before);
  }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", "--delete", "--exclude=*.log", local, u_remote, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_false (g_file_test (remote_extra, G_FILE_TEST_EXISTS));
    {
      g_autofree char *link = g_build_filename (remote, "shortcut", NULL);

      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
      g_assert_cmpint (g_unlink (link), ==, 0);
    }
    g_assert_true (g_file_test (remote_kept_log, G_FILE_TEST_EXISTS));
    g_assert_cmpint (g_unlink (remote_kept_log), ==, 0);
    {
      g_autofree char *old = g_build_filename (remote, "old", NULL);
      g_autofree char *inner_log = g_build_filename (old, "keep.log", NULL);

      g_assert_true (g_file_test (inner_log, G_FILE_TEST_EXISTS));
      pas_test_rm_rf (old, NULL);
    }
    remote_tree = tree_of (remote);
    g_free (local_tree);
    local_tree = tree_of (local);
    g_assert_cmpstr (remote_tree, ==, local_tree);
    g_free (remote_tree);
  }

  /* An edit on the server that kept size and time: only --checksum sees it. */
  {
    g_auto(Run) r = { 0 };
    g_auto(Run) r2 = { 0 };
    g_autofree char *edited = g_build_filename (remote, "css", "main.css", NULL);
    g_autofree char *source = g_build_filename (local, "css", "main.css", NULL);
    GStatBuf buf;
    struct utimbuf times;

    g_assert_cmpint (g_stat (edited, &buf), ==, 0);
    g_assert_true (g_file_set_contents (edited, "body { margin: 9 }\n", -1, NULL));
    times.actime = buf.st_atime;
    times.modtime = buf.st_mtime;
    g_assert_cmpint (g_utime (edited, &times), ==, 0);
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", local, u_remote, NULL);
    g_assert_nonnull (strstr (r.out, "Already in sync."));
    run_cli (&r2, NULL, "--batch", f->key_opt, f->kh_opt, "sync", "--checksum", local, u_remote, NULL);
    g_assert_cmpint (r2.status, ==, 0);
    g_assert_nonnull (strstr (r2.out, "copy    css/main.css (content"));
    g_autofree char *sum_edited = file_sha256 (edited);
    g_autofree char *sum_source = file_sha256 (source);
    g_assert_cmpstr (sum_edited, ==, sum_source);
  }

  /* Only the time differs: copied, and the time comes along; the copy
   * there being newer, the plan says so (as rsync -rt, it is still made
   * like the source). */
  {
    g_auto(Run) r = { 0 };
    g_autofree char *touched = g_build_filename (local, "index.html", NULL);
    g_autofree char *before = tree_of (remote);
    g_autofree char *after = NULL;
    struct utimbuf times = { 1700000000, 1700000000 };

    g_assert_cmpint (g_utime (touched, &times), ==, 0);
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", local, u_remote, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "copy    index.html (replaces a newer file"));
    after = tree_of (remote);
    g_assert_cmpstr (after, !=, before);
    g_assert_nonnull (strstr (after, " 1700000000\n"));
  }

  /* A file where the source has a folder, and the reverse. */
  {
    g_auto(Run) r = { 0 };
    g_autofree char *css = g_build_filename (local, "css", NULL);

    g_autofree char *big = g_build_filename (local, "img", "big.bin", NULL);

    pas_test_rm_rf (css, NULL);
    write_file (local, "css", "now a file\n");
    g_assert_cmpint (g_unlink (big), ==, 0);
    write_file (local, "img/big.bin/inside.txt", "now a folder\n");
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", local, u_remote, NULL);
    g_assert_cmpint (r.status, ==, 0);
    remote_tree = tree_of (remote);
    g_free (local_tree);
    local_tree = tree_of (local);
    g_assert_cmpstr (remote_tree, ==, local_tree);
  }

  /* Down, into a new local folder: the same tree comes back. */
  {
    g_auto(Run) r = { 0 };
    g_autofree char *back_tree = NULL;

    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", u_remote, back, NULL);
    g_assert_cmpint (r.status, ==, 0);
    back_tree = tree_of (back);
    g_assert_cmpstr (back_tree, ==, remote_tree);
  }
  {
    /* One side must be a server, the other not. */
    g_auto(Run) r = { 0 };
    run_cli (&r, NULL, "--batch", f->key_opt, f->kh_opt, "sync", local, back, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli = argv[1];
  home = g_dir_make_tmp ("pas-cli-home-XXXXXX", NULL);
  config_home = g_build_filename (home, ".config", NULL);

  g_test_add ("/cli/listing", Fixture, NULL, fixture_set_up, test_listing, fixture_tear_down);
  g_test_add ("/cli/changes", Fixture, NULL, fixture_set_up, test_changes, fixture_tear_down);
  g_test_add ("/cli/rm-never-follows-links", Fixture, NULL, fixture_set_up, test_rm_never_follows_links,
              fixture_tear_down);
  g_test_add ("/cli/names", Fixture, NULL, fixture_set_up, test_names, fixture_tear_down);
  g_test_add ("/cli/get-and-put", Fixture, NULL, fixture_set_up, test_get_and_put, fixture_tear_down);
  g_test_add ("/cli/exit-statuses", Fixture, NULL, fixture_set_up, test_exit_statuses, fixture_tear_down);
  g_test_add ("/cli/server-command-and-askpass", Fixture, NULL, fixture_set_up, test_server_command_and_askpass,
              fixture_tear_down);
  g_test_add ("/cli/jumps", Fixture, NULL, fixture_set_up, test_jumps, fixture_tear_down);
  g_test_add ("/cli/run", Fixture, NULL, fixture_set_up, test_run, fixture_tear_down);
  g_test_add ("/cli/sync", Fixture, NULL, fixture_set_up, test_sync, fixture_tear_down);

  ret = g_test_run ();
  pas_test_rm_rf (home, NULL);
  g_free (home);
  g_free (config_home);
  return ret;
}
