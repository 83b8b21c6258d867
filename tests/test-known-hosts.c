/* Our known_hosts, fingerprints and randomart against OpenSSH's ssh-keygen on
 * the same files: ssh-keygen is the oracle for every answer here. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-sshd.h"

static char *tmpdir;

static char *
run_out (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (pas_test_run (argv, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  return out;
}

static char *
keygen (const char *type,
        const char *bits,
        const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) "ssh-keygen");
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "-t");
  g_ptr_array_add (argv, (char *) type);
  if (bits != NULL)
    {
      g_ptr_array_add (argv, (char *) "-b");
      g_ptr_array_add (argv, (char *) bits);
    }
  g_ptr_array_add (argv, (char *) "-N");
  g_ptr_array_add (argv, (char *) "");
  g_ptr_array_add (argv, (char *) "-C");
  g_ptr_array_add (argv, (char *) "c");
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);
  g_free (run_out ((const char * const *) argv->pdata));
  return g_strconcat (path, ".pub", NULL);
}

static PasHostKey *
load_pub (const char *pub_path,
          char      **line_out)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  PasHostKey *key;

  g_assert_true (g_file_get_contents (pub_path, &text, NULL, NULL));
  fields = g_strsplit (g_strstrip (text), " ", 3);
  key = pas_host_key_new_from_base64 (fields[0], fields[1], &error);
  g_assert_no_error (error);
  if (line_out != NULL)
    *line_out = g_strdup_printf ("%s %s", fields[0], fields[1]);
  return key;
}

static void
test_fingerprint_and_randomart (void)
{
  struct { const char *type; const char *bits; } cases[] = {
    { "ed25519", NULL }, { "rsa", "3072" }, { "rsa", "1024" },
    { "ecdsa", "256" }, { "ecdsa", "384" }, { "ecdsa", "521" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("fp-%s-%s", cases[i].type, cases[i].bits ? cases[i].bits : "x");
      g_autofree char *pub = keygen (cases[i].type, cases[i].bits, name);
      const char *argv[] = { "ssh-keygen", "-lv", "-E", "sha256", "-f", pub, NULL };
      g_autofree char *oracle = run_out (argv);
      g_autoptr(PasHostKey) key = load_pub (pub, NULL);
      g_autofree char *fp = pas_host_key_get_fingerprint (key);
      g_autofree char *art = pas_host_key_get_randomart (key);
      g_autofree char *ours = g_strdup_printf ("%u %s c (%s)\n%s\n", pas_host_key_get_bits (key), fp,
                                               pas_host_key_get_display_type (key), art);

      g_test_message ("ssh-keygen:\n%s", oracle);
      g_assert_cmpstr (ours, ==, oracle);
    }
}

static const char *queries[] = {
  "web.example.com", "10.0.0.1", "[web.example.com]:2222", "[web.example.com]:2223",
  "a.example.org", "example.org", "x.corp", "secret.corp", "bad.example.com",
  "z.ca.example", "host1.test", "host12.test", "[a.wild]:2200", "[a.wild]:2201",
  "WEB.EXAMPLE.COM", "[127.0.0.1]:2222", "127.0.0.1", "other.example.net",
};

static char *
write_sample_known_hosts (const char *name,
                          const char *key_line,
                          gboolean    with_bad_lines)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *text = g_strdup_printf (
    "# comment\n"
    "web.example.com,10.0.0.1 %1$s\n"
    "[web.example.com]:2222 %1$s\n"
    "*.example.org %1$s\n"
    "*.corp,!secret.corp %1$s\n"
    "@revoked bad.example.com %1$s\n"
    "@cert-authority *.ca.example %1$s\n"
    "%2$s"
    "host?.test %1$s\n"
    "[*.wild]:2200 %1$s\n"
    "\n"
    "   [127.0.0.1]:2222 %1$s trailing comment\n"
    "%3$s",
    key_line,
    with_bad_lines ? "garbage line\n" : "# (no garbage)\n",
    with_bad_lines ? "@bogus 127.0.0.1 x\n127.0.0.1 ssh-ed25519 AAAA!!!notbase64\n" : "");

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

/* ssh-keygen -F prints "# Host NAME found: line N"; collect the N, leaving
 * out lines @kh refused with a warning (ssh-keygen lists a matching host even
 * when the key on the line cannot be decoded; ssh could not use it either). */
static char *
oracle_lines_except (const char    *file,
                     const char    *name,
                     PasKnownHosts *kh)
{
  const char *argv[] = { "ssh-keygen", "-F", name, "-f", file, NULL };
  g_autofree char *out = run_out (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GString *found = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = strstr (lines[i], "found: line ");
      guint n;
      gboolean refused = FALSE;

      if (lines[i][0] != '#' || p == NULL)
        continue;
      n = (guint) g_ascii_strtoull (p + strlen ("found: line "), NULL, 10);
      if (kh != NULL)
        {
          g_autofree char *tag = g_strdup_printf ("%s:%u:", file, n);
          for (const char * const *w = pas_known_hosts_get_warnings (kh); *w != NULL; w++)
            refused |= g_str_has_prefix (*w, tag);
        }
      if (!refused)
        g_string_append_printf (found, "%u ", n);
    }
  return g_string_free (found, FALSE);
}

static char *
oracle_lines (const char *file,
              const char *name)
{
  return oracle_lines_except (file, name, NULL);
}

static char *
our_lines (PasKnownHosts *kh,
           const char    *query)
{
  g_autofree char *host = NULL;
  guint16 port = 22;
  g_auto(GStrv) where = NULL;
  GString *found = g_string_new (NULL);

  if (query[0] == '[')
    {
      const char *close = strstr (query, "]:");
      host = g_strndup (query + 1, close - query - 1);
      port = (guint16) g_ascii_strtoull (close + 2, NULL, 10);
    }
  else
    host = g_strdup (query);

  where = pas_known_hosts_lookup (kh, host, port);
  for (guint i = 0; where[i] != NULL; i++)
    g_string_append_printf (found, "%s ", strrchr (where[i], ':') + 1);
  return g_string_free (found, FALSE);
}

static void
compare_with_ssh_keygen (const char *file)
{
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pas_known_hosts_load (kh, file, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      /* ssh lowercases the host name before looking it up; ssh-keygen -F
       * hashes the query as typed, so give it what ssh would look up. */
      g_autofree char *lower = g_ascii_strdown (queries[i], -1);
      g_autofree char *expected = oracle_lines_except (file, lower, kh);
      g_autofree char *got = our_lines (kh, queries[i]);

      g_test_message ("%s: ssh-keygen [%s] ours [%s]", queries[i], expected, got);
      g_assert_cmpstr (got, ==, expected);
    }
}

static void
test_lookup_matches_ssh_keygen (void)
{
  g_autofree char *pub = keygen ("ed25519", NULL, "lookup");
  g_autofree char *key_line = NULL;
  g_autoptr(PasHostKey) key = load_pub (pub, &key_line);
  g_autofree char *plain = write_sample_known_hosts ("kh-plain", key_line, TRUE);
  /* ssh-keygen -H refuses to hash a file that has invalid lines. */
  g_autofree char *hashed = write_sample_known_hosts ("kh-hashed", key_line, FALSE);
  const char *hash_argv[] = { "ssh-keygen", "-H", "-f", hashed, NULL };
  g_autofree char *hashed_text = NULL;

  compare_with_ssh_keygen (plain);

  /* ssh-keygen -H hashes every plain name it can (not wildcards); same answers. */
  g_free (run_out (hash_argv));
  g_assert_true (g_file_get_contents (hashed, &hashed_text, NULL, NULL));
  g_assert_nonnull (strstr (hashed_text, "|1|"));
  compare_with_ssh_keygen (hashed);
}

static void
test_warnings_do_not_hide_lines (void)
{
  g_autofree char *pub = keygen ("ed25519", NULL, "warn");
  g_autofree char *key_line = NULL;
  g_autoptr(PasHostKey) key = load_pub (pub, &key_line);
  g_autofree char *file = write_sample_known_hosts ("kh-warn", key_line, TRUE);
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  const char * const *warnings;
  g_autofree char *where = NULL;

  g_assert_true (pas_known_hosts_load (kh, file, NULL));
  warnings = pas_known_hosts_get_warnings (kh);
  /* garbage line, @bogus marker, bad base64 */
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 3);
  g_assert_nonnull (strstr (warnings[0], ":8:"));
  g_assert_nonnull (strstr (warnings[1], "@bogus"));
  g_assert_nonnull (strstr (warnings[2], ":14:"));
  /* The valid line between the bad ones is still used. */
  g_assert_cmpint (pas_known_hosts_check (kh, "127.0.0.1", 2222, key, &where), ==,
                   PAS_HOST_KEY_STATUS_KNOWN);
  g_assert_true (g_str_has_suffix (where, ":12"));
}

/* Found by fuzzing: a line that is not UTF-8 made the field splitter return
 * NULL and the loader crash. It is now a line like any other. */
static void
test_bytes_that_are_not_utf8 (void)
{
  g_autofree char *pub = keygen ("ed25519", NULL, "bytes");
  g_autofree char *key_line = NULL;
  g_autoptr(PasHostKey) key = load_pub (pub, &key_line);
  g_autofree char *path = g_build_filename (tmpdir, "kh-bytes", NULL);
  g_autofree char *text = g_strdup_printf ("h\xff\xfe.example %s\n\xc3\n[127.0.0.1]:2222 %s\n", key_line, key_line);
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  g_autofree char *where = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_true (pas_known_hosts_load (kh, path, NULL));
  g_assert_cmpint (pas_known_hosts_check (kh, "127.0.0.1", 2222, key, &where), ==, PAS_HOST_KEY_STATUS_KNOWN);
  g_assert_true (g_str_has_suffix (where, ":3"));
}

static void
test_check_outcomes (void)
{
  g_autofree char *ed_pub = keygen ("ed25519", NULL, "out-ed");
  g_autofree char *ed2_pub = keygen ("ed25519", NULL, "out-ed2");
  g_autofree char *ec_pub = keygen ("ecdsa", "256", "out-ec");
  g_autofree char *ed_line = NULL, *ed2_line = NULL, *ec_line = NULL;
  g_autoptr(PasHostKey) ed = load_pub (ed_pub, &ed_line);
  g_autoptr(PasHostKey) ed2 = load_pub (ed2_pub, &ed2_line);
  g_autoptr(PasHostKey) ec = load_pub (ec_pub, &ec_line);
  g_autofree char *path = g_build_filename (tmpdir, "kh-outcomes", NULL);
  g_autofree char *text = g_strdup_printf (
    "known.example %1$s\n"
    "[known.example]:2222 %2$s\n"
    "onlyec.example %3$s\n"
    "@revoked revoked.example %1$s\n"
    "revoked.example %1$s\n"
    "@cert-authority ca.example %1$s\n"
    "both.example %2$s\n"
    "both.example %1$s\n"
    "*.wild,!no.wild %1$s\n",
    ed_line, ed2_line, ec_line);
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  struct { const char *host; guint16 port; PasHostKey *key; PasHostKeyStatus status; const char *line; } cases[] = {
    { "known.example", 22, ed, PAS_HOST_KEY_STATUS_KNOWN, ":1" },
    { "KNOWN.example", 22, ed, PAS_HOST_KEY_STATUS_KNOWN, ":1" },
    { "known.example", 22, ed2, PAS_HOST_KEY_STATUS_CHANGED, ":1" },
    { "known.example", 2222, ed2, PAS_HOST_KEY_STATUS_KNOWN, ":2" },
    { "known.example", 2222, ed, PAS_HOST_KEY_STATUS_CHANGED, ":2" },
    { "known.example", 2223, ed, PAS_HOST_KEY_STATUS_NEW, NULL },
    { "known.example", 22, ec, PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN, ":1" },
    { "onlyec.example", 22, ed, PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN, ":3" },
    { "onlyec.example", 22, ec, PAS_HOST_KEY_STATUS_KNOWN, ":3" },
    { "revoked.example", 22, ed, PAS_HOST_KEY_STATUS_REVOKED, ":4" },
    { "ca.example", 22, ed, PAS_HOST_KEY_STATUS_NEW, NULL },
    { "both.example", 22, ed, PAS_HOST_KEY_STATUS_KNOWN, ":8" },
    { "a.wild", 22, ed, PAS_HOST_KEY_STATUS_KNOWN, ":9" },
    { "no.wild", 22, ed, PAS_HOST_KEY_STATUS_NEW, NULL },
    { "new.example", 22, ed, PAS_HOST_KEY_STATUS_NEW, NULL },
  };

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_true (pas_known_hosts_load (kh, path, NULL));
  g_assert_cmpuint (g_strv_length ((char **) pas_known_hosts_get_warnings (kh)), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *where = NULL;
      PasHostKeyStatus status = pas_known_hosts_check (kh, cases[i].host, cases[i].port, cases[i].key, &where);

      g_test_message ("%s:%u -> %d at %s", cases[i].host, cases[i].port, status, where);
      g_assert_cmpint (status, ==, cases[i].status);
      if (cases[i].line == NULL)
        g_assert_null (where);
      else
        g_assert_true (g_str_has_suffix (where, cases[i].line));
    }

  {
    g_auto(GStrv) types = pas_known_hosts_get_key_types (kh, "known.example", 22);
    g_auto(GStrv) none = pas_known_hosts_get_key_types (kh, "ca.example", 22);
    g_auto(GStrv) ec_types = pas_known_hosts_get_key_types (kh, "onlyec.example", 22);

    g_assert_cmpuint (g_strv_length (types), ==, 1);
    g_assert_cmpstr (types[0], ==, "ssh-ed25519");
    g_assert_cmpuint (g_strv_length (none), ==, 0);
    g_assert_cmpstr (ec_types[0], ==, "ecdsa-sha2-nistp256");
  }
}

static void
test_add_found_by_ssh_keygen (void)
{
  g_autofree char *pub = keygen ("ed25519", NULL, "add");
  g_autoptr(PasHostKey) key = load_pub (pub, NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "new-ssh-dir", NULL);
  g_autofree char *path = g_build_filename (dir, "known_hosts", NULL);
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  struct { const char *host; guint16 port; gboolean hash; const char *query; } cases[] = {
    { "203.0.113.9", 22, FALSE, "203.0.113.9" },
    { "127.0.0.1", 2222, FALSE, "[127.0.0.1]:2222" },
    { "Hashed.Example", 22, TRUE, "hashed.example" },
    { "127.0.0.1", 40022, TRUE, "[127.0.0.1]:40022" },
  };
  GStatBuf st;

  /* The parent folder is created private; an existing last line without a
   * newline is not glued to ours, and is kept as it was. */
  g_assert_true (pas_known_hosts_add (kh, path, "first.example", 22, key, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  before[strlen (before) - 1] = '\0';
  g_assert_true (g_file_set_contents (path, before, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *lines = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(PasKnownHosts) reread = pas_known_hosts_new ();

      g_assert_true (pas_known_hosts_add (kh, path, cases[i].host, cases[i].port, key, cases[i].hash, &error));
      g_assert_no_error (error);
      lines = oracle_lines (path, cases[i].query);
      g_test_message ("%s found by ssh-keygen at lines [%s]", cases[i].query, lines);
      expected = g_strdup_printf ("%u ", i + 2);
      g_assert_cmpstr (lines, ==, expected);

      g_assert_cmpint (pas_known_hosts_check (kh, cases[i].host, cases[i].port, key, NULL), ==,
                       PAS_HOST_KEY_STATUS_KNOWN);
      g_assert_true (pas_known_hosts_load (reread, path, NULL));
      g_assert_cmpint (pas_known_hosts_check (reread, cases[i].host, cases[i].port, key, NULL), ==,
                       PAS_HOST_KEY_STATUS_KNOWN);
      g_assert_cmpuint (g_strv_length ((char **) pas_known_hosts_get_warnings (reread)), ==, 0);
    }

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, before));
  g_assert_cmpint (after[strlen (before)], ==, '\n');
}

static gboolean
replace_done (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return pas_host_key_change_replace_finish (*result, NULL);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* ssh-keygen -R is the oracle: the same file, the same host, the same lines
 * left (plain, comma list, wildcard and hashed lines go, @revoked stays);
 * then "Replace the Stored Key" leaves exactly one key on file for it. */
static void
test_remove_host_as_ssh_keygen (void)
{
  g_autofree char *old_pub = keygen ("ed25519", NULL, "remove-old");
  g_autofree char *new_pub = keygen ("ed25519", NULL, "remove-new");
  g_autofree char *old_line = NULL;
  g_autofree char *new_line = NULL;
  g_autoptr(PasHostKey) old_key = load_pub (old_pub, &old_line);
  g_autoptr(PasHostKey) new_key = load_pub (new_pub, &new_line);
  g_autofree char *ours = g_build_filename (tmpdir, "remove-ours", NULL);
  g_autofree char *theirs = g_build_filename (tmpdir, "remove-theirs", NULL);
  g_autofree char *hashed = g_build_filename (tmpdir, "remove-hashed", NULL);
  g_autofree char *hashed_text = NULL;
  g_autofree char *ours_text = NULL;
  g_autofree char *theirs_text = NULL;
  g_autofree char *old_copy = NULL;
  g_autofree char *old_path = g_strconcat (ours, ".old", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint removed = 0;

  /* A hashed line for the host, as ssh-keygen -H writes it. */
  {
    g_autofree char *line = g_strdup_printf ("[127.0.0.1]:2222 %s\n", old_line);
    const char *argv[] = { "ssh-keygen", "-H", "-f", hashed, NULL };

    g_assert_true (g_file_set_contents (hashed, line, -1, NULL));
    g_free (run_out (argv));
    g_assert_true (g_file_get_contents (hashed, &hashed_text, NULL, NULL));
    g_assert_true (g_str_has_prefix (hashed_text, "|1|"));
  }
  contents = g_strdup_printf ("# a comment\n"
                              "[127.0.0.1]:2222 %s\n"
                              "other.example %s\n"
                              "example.org,[127.0.0.1]:2222 %s\n"
                              "@revoked [127.0.0.1]:2222 %s\n"
                              "[127.0.0.1]:* %s\n"
                              "[127.0.0.1]:2223 %s\n"
                              "%s",
                              old_line, old_line, old_line, old_line, old_line, old_line, hashed_text);
  g_assert_true (g_file_set_contents (ours, contents, -1, NULL));
  g_assert_true (g_file_set_contents (theirs, contents, -1, NULL));
  {
    const char *argv[] = { "ssh-keygen", "-f", theirs, "-R", "[127.0.0.1]:2222", NULL };

    g_free (run_out (argv));
  }
  g_assert_true (pas_known_hosts_remove_host (ours, "127.0.0.1", 2222, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 4);
  g_assert_true (g_file_get_contents (ours, &ours_text, NULL, NULL));
  g_assert_true (g_file_get_contents (theirs, &theirs_text, NULL, NULL));
  g_assert_cmpstr (ours_text, ==, theirs_text);
  g_assert_true (g_file_get_contents (old_path, &old_copy, NULL, NULL));
  g_assert_cmpstr (old_copy, ==, contents);

  /* A line ssh-keygen calls invalid makes it refuse the whole file; we keep
   * that line as it is and still remove the host's. */
  {
    g_autofree char *broken = g_strdup_printf ("this line is broken\n[127.0.0.1]:2222 %s\n", old_line);
    g_autofree char *left = NULL;

    g_assert_true (g_file_set_contents (ours, broken, -1, NULL));
    g_assert_true (pas_known_hosts_remove_host (ours, "127.0.0.1", 2222, &removed, &error));
    g_assert_cmpuint (removed, ==, 1);
    g_assert_true (g_file_get_contents (ours, &left, NULL, NULL));
    g_assert_cmpstr (left, ==, "this line is broken\n");
  }

  /* A known_hosts that is a link stays a link: its target is rewritten. */
  {
    g_autofree char *target = g_build_filename (tmpdir, "remove-target", NULL);
    g_autofree char *link = g_build_filename (tmpdir, "remove-link", NULL);
    g_autofree char *one = g_strdup_printf ("[127.0.0.1]:2222 %s\nother.example %s\n", old_line, old_line);
    g_autofree char *left = NULL;
    g_autofree char *expected = g_strdup_printf ("other.example %s\n", old_line);

    g_assert_true (g_file_set_contents (target, one, -1, NULL));
    g_assert_cmpint (symlink (target, link), ==, 0);
    g_assert_true (pas_known_hosts_remove_host (link, "127.0.0.1", 2222, &removed, &error));
    g_assert_cmpuint (removed, ==, 1);
    g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
    g_assert_true (g_file_get_contents (target, &left, NULL, NULL));
    g_assert_cmpstr (left, ==, expected);
  }

  /* Replace: the old key's lines go, the new one is found by ssh-keygen. */
  g_assert_true (g_file_set_contents (ours, contents, -1, NULL));
  g_assert_true (pas_known_hosts_load (kh, ours, &error));
  g_assert_cmpint (pas_known_hosts_check (kh, "127.0.0.1", 2222, new_key, NULL), ==, PAS_HOST_KEY_STATUS_CHANGED);
  {
    PasHostKeyChange change = {
      .host = (char *) "127.0.0.1", .port = 2222, .offered = new_key,
      .where = (char *) "x:2", .known_hosts = ours, .hash = TRUE,
    };
    g_autofree char *command = pas_host_key_change_dup_command (&change);
    g_autofree char *expected = g_strdup_printf ("ssh-keygen -f '%s' -R '[127.0.0.1]:2222'", ours);
    g_autoptr(PasKnownHosts) reread = pas_known_hosts_new ();
    g_autofree char *lines = NULL;

    g_assert_cmpstr (command, ==, expected);
    pas_host_key_change_replace_async (&change, NULL, got_result_cb, &result);
    g_assert_true (replace_done (&result));
    g_assert_true (pas_known_hosts_load (reread, ours, &error));
    g_assert_cmpint (pas_known_hosts_check (reread, "127.0.0.1", 2222, new_key, NULL), ==, PAS_HOST_KEY_STATUS_KNOWN);
    g_assert_cmpint (pas_known_hosts_check (reread, "127.0.0.1", 2222, old_key, NULL), ==, PAS_HOST_KEY_STATUS_REVOKED);
    lines = oracle_lines (ours, "[127.0.0.1]:2222");
    /* The @revoked line (5 -> 3) and the new hashed line at the end. */
    g_assert_cmpstr (lines, ==, "3 5 ");
    g_clear_object (&result);

    /* A stored key in a file we do not write is not replaced. */
    change.known_hosts = NULL;
    pas_host_key_change_replace_async (&change, NULL, got_result_cb, &result);
    g_assert_false (replace_done (&result));
  }
}

static void
test_entries_written_by_ssh (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autofree char *host_pub = NULL;
  g_autoptr(PasHostKey) host_key = NULL;

  g_assert_no_error (error);
  host_pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
  host_key = load_pub (host_pub, NULL);

  for (int hashed = 0; hashed <= 1; hashed++)
    {
      g_autofree char *file = g_build_filename (tmpdir, hashed ? "kh-ssh-hashed" : "kh-ssh-plain", NULL);
      g_autofree char *opt_file = g_strdup_printf ("UserKnownHostsFile=%s", file);
      g_autofree char *port = g_strdup_printf ("%u", pas_test_sshd_get_port (sshd));
      const char *argv[] = { "ssh", "-F", "/dev/null", "-p", port, "-o", opt_file,
                             "-o", "GlobalKnownHostsFile=/dev/null",
                             "-o", "StrictHostKeyChecking=accept-new",
                             "-o", hashed ? "HashKnownHosts=yes" : "HashKnownHosts=no",
                             "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                             "-i", pas_test_sshd_get_user_key (sshd),
                             "127.0.0.1", "true", NULL };
      g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
      g_autofree char *contents = NULL;

      g_free (run_out (argv));
      g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
      g_test_message ("ssh wrote: %s", contents);
      g_assert_true (hashed ? g_str_has_prefix (contents, "|1|") : g_str_has_prefix (contents, "[127.0.0.1]:"));

      g_assert_true (pas_known_hosts_load (kh, file, NULL));
      g_assert_cmpint (pas_known_hosts_check (kh, "127.0.0.1", pas_test_sshd_get_port (sshd), host_key, NULL), ==,
                       PAS_HOST_KEY_STATUS_KNOWN);
      g_assert_cmpint (pas_known_hosts_check (kh, "127.0.0.1", 22, host_key, NULL), ==,
                       PAS_HOST_KEY_STATUS_NEW);
    }
}

static void
test_missing_and_unreadable_files (void)
{
  g_autoptr(PasKnownHosts) kh = pas_known_hosts_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (tmpdir, "does-not-exist", NULL);

  g_assert_true (pas_known_hosts_load (kh, missing, &error));
  g_assert_no_error (error);

  /* A directory where the file should be is an error, with a remedy. */
  g_assert_false (pas_known_hosts_load (kh, tmpdir, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS);
  g_assert_nonnull (pas_error_get_remedy (error));
}

static void
test_patterns (void)
{
  struct { const char *name; const char *pattern; gboolean match; } cases[] = {
    { "a.example.com", "*.example.com", TRUE },
    { "example.com", "*.example.com", FALSE },
    { "host1", "host?", TRUE },
    { "host12", "host?", FALSE },
    { "HoSt", "host", TRUE },
    { "anything", "*", TRUE },
    { "", "*", TRUE },
    { "abc", "a*c", TRUE },
    { "abcd", "a*c", FALSE },
    { "[h]:22", "[h]:2?", TRUE },
  };
  g_autofree char *long_name = g_strnfill (5000, 'a');
  gint64 start;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (pas_known_hosts_match_pattern (cases[i].name, cases[i].pattern), ==, cases[i].match);

  /* A hostile pattern must not take exponential time. */
  start = g_get_monotonic_time ();
  g_assert_false (pas_known_hosts_match_pattern (long_name, "*a*a*a*a*a*a*a*a*a*a*a*a*b"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_bad_blobs (void)
{
  /* Blobs a hostile server or file might send: none may crash or be accepted. */
  static const guint8 truncated_len[] = { 0, 0, 0, 11, 's', 's', 'h' };
  static const guint8 huge_len[] = { 0xff, 0xff, 0xff, 0xff, 's' };
  static const guint8 ed_short[] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9',
                                     0, 0, 0, 4, 1, 2, 3, 4 };
  static const guint8 nul_type[] = { 0, 0, 0, 3, 'a', 0, 'b' };
  struct { const guint8 *data; gsize len; } cases[] = {
    { truncated_len, sizeof truncated_len },
    { huge_len, sizeof huge_len },
    { ed_short, sizeof ed_short },
    { nul_type, sizeof nul_type },
    { truncated_len, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasHostKey) key = pas_host_key_new_from_blob (cases[i].data, cases[i].len, &error);

      g_assert_null (key);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_HOST_KEY);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pas-known-hosts-XXXXXX", NULL);

  g_test_add_func ("/known-hosts/fingerprint-and-randomart", test_fingerprint_and_randomart);
  g_test_add_func ("/known-hosts/lookup-matches-ssh-keygen", test_lookup_matches_ssh_keygen);
  g_test_add_func ("/known-hosts/warnings-do-not-hide-lines", test_warnings_do_not_hide_lines);
  g_test_add_func ("/known-hosts/bytes-that-are-not-utf8", test_bytes_that_are_not_utf8);
  g_test_add_func ("/known-hosts/check-outcomes", test_check_outcomes);
  g_test_add_func ("/known-hosts/add-found-by-ssh-keygen", test_add_found_by_ssh_keygen);
  g_test_add_func ("/known-hosts/remove-host-as-ssh-keygen", test_remove_host_as_ssh_keygen);
  g_test_add_func ("/known-hosts/entries-written-by-ssh", test_entries_written_by_ssh);
  g_test_add_func ("/known-hosts/missing-and-unreadable", test_missing_and_unreadable_files);
  g_test_add_func ("/known-hosts/patterns", test_patterns);
  g_test_add_func ("/known-hosts/bad-blobs", test_bad_blobs);

  ret = g_test_run ();
  pas_test_rm_rf (tmpdir, NULL);
  g_free (tmpdir);
  return ret;
}
