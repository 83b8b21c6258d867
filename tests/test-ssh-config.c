/* ~/.ssh/config resolution, with OpenSSH's own `ssh -G` as the oracle. */
#include "config.h"

#include <pwd.h>
#include <unistd.h>

#include <string.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-sshd.h"

static char *dir;

static char *
write_config (const char *name,
              const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* What ssh -G says about @alias: keyword -> list of values. */
static GHashTable *
ssh_g (const char *config,
       const char *alias)
{
  const char *argv[] = { "ssh", "-G", "-F", config, alias, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  int status;

  g_assert_true (pas_test_run (argv, NULL, &out, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *space = strchr (lines[i], ' ');
      GPtrArray *list;

      if (space == NULL)
        continue;
      *space = '\0';
      list = g_hash_table_lookup (values, lines[i]);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (values, g_strdup (lines[i]), list);
        }
      g_ptr_array_add (list, g_strdup (space + 1));
    }
  return values;
}

static const char *
first (GHashTable *values,
       const char *key)
{
  GPtrArray *list = g_hash_table_lookup (values, key);

  return list != NULL && list->len > 0 ? g_ptr_array_index (list, 0) : NULL;
}

/* Resolves @alias both ways and compares what Passerelle uses. */
static void
check_alias (const char *config_path,
             const char *alias)
{
  g_autoptr(GHashTable) want = ssh_g (config_path, alias);
  g_autoptr(PasSshConfig) config = pas_ssh_config_load (config_path, NULL);
  g_autoptr(PasSshHost) got = pas_ssh_config_resolve (config, alias, NULL, 0);
  g_autofree char *port = g_strdup_printf ("%u", got->port != 0 ? got->port : 22);
  GPtrArray *identities = g_hash_table_lookup (want, "identityfile");
  gboolean defaults_only = TRUE;

  g_test_message ("%s -> %s@%s:%s", alias, got->user, got->hostname, port);
  g_assert_cmpstr (got->hostname, ==, first (want, "hostname"));
  g_assert_cmpstr (got->user, ==, first (want, "user"));
  g_assert_cmpstr (port, ==, first (want, "port"));
  g_assert_cmpstr (got->identities_only ? "yes" : "no", ==, first (want, "identitiesonly"));
  g_assert_cmpstr (got->proxy_jump, ==, first (want, "proxyjump"));
  g_assert_cmpstr (got->proxy_command, ==, first (want, "proxycommand"));

  /* ssh -G lists its default keys when none is configured; we list none. */
  for (guint i = 0; identities != NULL && i < identities->len; i++)
    if (strstr (g_ptr_array_index (identities, i), "/.ssh/id_") == NULL)
      defaults_only = FALSE;
  if (defaults_only)
    g_assert_cmpuint (g_strv_length (got->identity_files), ==, 0);
  else
    {
      g_autofree char *home = g_strdup (g_get_home_dir ());

      g_assert_cmpuint (g_strv_length (got->identity_files), ==, identities->len);
      for (guint i = 0; i < identities->len; i++)
        {
          /* ssh -G prints IdentityFile as written: expand it with the
           * values ssh -G resolved. */
          g_autoptr(GString) expected = g_string_new (g_ptr_array_index (identities, i));
          if (expected->str[0] == '~')
            g_string_replace (expected, "~", home, 1);
          g_string_replace (expected, "%%", "\001", 0);
          g_string_replace (expected, "%r", first (want, "user"), 0);
          g_string_replace (expected, "%h", first (want, "hostname"), 0);
          g_string_replace (expected, "%p", first (want, "port"), 0);
          g_string_replace (expected, "%u", g_get_user_name (), 0);
          g_string_replace (expected, "%d", home, 0);
          g_string_replace (expected, "\001", "%", 0);
          g_assert_cmpstr (got->identity_files[i], ==, expected->str);
        }
    }
}

/* ProxyJump and ProxyCommand as ssh -G sees them: the first given wins,
 * "none" included, and a ProxyCommand keeps its quotes; the known_hosts
 * files expanded; Ciphers and MACs kept as written (our own list is not
 * OpenSSH's, so the +, - and ^ forms are applied when connecting). */
static void
test_proxies_and_algorithms (void)
{
  g_autofree char *path = write_config ("proxies.conf",
    "Host cmd-first\n"
    "  ProxyCommand ssh -W \"%h:%p\" bastion\n"
    "  ProxyJump ignored\n"
    "Host jump-first\n"
    "  ProxyJump u@j1:2222,j2\n"
    "  ProxyCommand ignored\n"
    "  Ciphers ^aes128-ctr\n"
    "  MACs -hmac-sha1\n"
    "  UserKnownHostsFile ~/kh1 %d/kh2\n"
    "  GlobalKnownHostsFile none\n"
    "Host direct\n"
    "  ProxyJump none\n"
    "Host *\n"
    "  ProxyJump fallback.example.com\n");
  g_autoptr(PasSshConfig) config = pas_ssh_config_load (path, NULL);
  const char *aliases[] = { "cmd-first", "jump-first", "direct", "other" };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    check_alias (path, aliases[i]);
  {
    g_autoptr(PasSshHost) host = pas_ssh_config_resolve (config, "jump-first", NULL, 0);
    g_autoptr(GHashTable) want = ssh_g (path, "jump-first");
    g_autofree char *files = g_strjoinv (" ", host->user_known_hosts_files);

    g_assert_cmpstr (host->ciphers, ==, "^aes128-ctr");
    g_assert_cmpstr (host->macs, ==, "-hmac-sha1");
    /* ssh expands ~ and %d from the password database; we use $HOME (a
     * Flatpak's, a test's private one), as GLib does. */
    g_autofree char *pw_home = g_strconcat (getpwuid (getuid ())->pw_dir, "/", NULL);
    g_autofree char *our_home = g_strconcat (g_get_home_dir (), "/", NULL);
    g_auto(GStrv) parts = g_strsplit (first (want, "userknownhostsfile"), pw_home, -1);
    g_autofree char *expected = g_strjoinv (our_home, parts);

    g_assert_cmpstr (files, ==, expected);
    g_assert_nonnull (host->global_known_hosts_files);
    g_assert_cmpuint (g_strv_length (host->global_known_hosts_files), ==, 0);
  }
  {
    g_autoptr(PasSshHost) host = pas_ssh_config_resolve (config, "direct", NULL, 0);

    g_assert_null (host->proxy_jump);
    g_assert_null (host->proxy_command);
    g_assert_null (host->user_known_hosts_files);
  }
}

static void
test_against_ssh (void)
{
  g_autofree char *included = write_config ("included.conf",
    "Host inc-*\n"
    "  User from-include\n"
    "  Port 2200\n");
  g_autofree char *text = g_strdup_printf (
    "# a comment\n"
    "Host web prod-?? !prod-99\n"
    "  HostName %%h.example.com\n"
    "  User deploy\n"
    "  IdentityFile ~/.ssh/deploy_ed25519\n"
    "  IdentityFile /keys/%%r@%%h:%%p\n"
    "  IdentitiesOnly yes\n"
    "\n"
    "Host backup\n"
    "    hostname=10.0.0.7\n"
    "    PORT = 2222\n"
    "    ProxyJump bastion.example.com\n"
    "    User \"back up\"\n"
    "\n"
    "Match originalhost matched user nobody-here\n"
    "  Port 1111\n"
    "Match originalhost matched !user nobody-here\n"
    "  HostName matched.example.org\n"
    "Match host matched.example.org\n"
    "  User matched-user\n"
    "Match exec \"false\" host *\n"
    "  Port 9999\n"
    "  Include %s\n"
    "Match all\n"
    "Include %s\n"
    "\n"
    "Host *\n"
    "  User everyone\n"
    "  Port 22\n"
    "  IdentityFile ~/.ssh/everyone_%%u\n", included, included);
  g_autofree char *path = write_config ("config", text);
  const char *aliases[] = { "web", "prod-01", "prod-99", "backup", "matched", "inc-a", "elsewhere", "WEB" };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    check_alias (path, aliases[i]);
}


/* Thirty small configs, one rule or a pair of rules each, every alias
 * checked against ssh -G. "@DIR@" is the test's folder. */
static const struct
{
  const char *name;
  const char *text;
  const char *aliases;   /* space-separated */
} configs[] = {
  { "first-wins", "Host a\n  User one\nHost a\n  User two\nHost *\n  User three\n", "a b" },
  { "hostname", "Host short\n  HostName long.example.com\n", "short other" },
  { "port", "Host p\n  Port 2222\nHost *\n  Port 22\n", "p q" },
  { "star", "Host *.example.com\n  User star\n", "www.example.com example.com x.example.org" },
  { "question", "Host db?\n  Port 5432\n", "db1 db12 db" },
  { "negation", "Host *.corp !gw.corp\n  User corp\n", "a.corp gw.corp" },
  { "pattern-list", "Host alpha,beta gamma\n  User listed\n", "alpha beta gamma delta" },
  { "case-keywords", "HOST k\n  hOsTnAmE k.example.net\n  USER Upper\n  pOrT 2022\n", "k" },
  { "equals", "Host e\n  HostName=e.example.com\n  User = eq\n  Port=2201\n", "e" },
  { "quoted", "Host q\n  User \"quoted user\"\n  IdentityFile \"/keys/with space\"\n", "q" },
  { "several-identities", "Host i\n  IdentityFile /k/one\n  IdentityFile /k/two\nHost *\n  IdentityFile /k/three\n", "i j" },
  { "identities-only", "Host o\n  IdentitiesOnly yes\n  IdentityFile /k/only\n", "o" },
  { "token-h", "Host th\n  HostName th.example.com\n  IdentityFile /k/%h\n", "th" },
  { "token-r-p", "Host tr\n  User ruth\n  Port 2345\n  IdentityFile /k/%r-%p\n", "tr" },
  { "token-u-d", "Host tu\n  IdentityFile %d/keys/%u\n", "tu" },
  { "token-percent", "Host tp\n  IdentityFile /k/100%%\n", "tp" },
  { "tilde", "Host tilde\n  IdentityFile ~/.ssh/tilde_key\n", "tilde" },
  { "match-host", "Host mh\n  HostName real.example.com\nMatch host real.example.com\n  User via-host\n", "mh other" },
  { "match-originalhost", "Match originalhost orig\n  User via-original\n  HostName changed.example.com\n", "orig nope" },
  { "match-user", "Host mu\n  User alice\nMatch user alice\n  Port 2020\n", "mu" },
  { "match-not-user", "Match !user bob\n  Port 2121\n", "any" },
  { "match-all", "Host ma\n  User first\nMatch all\n  User never\n  Port 2323\n", "ma zz" },
  /* exec is never run by us (a config must not run commands): only a
   * command that fails for ssh too can be compared. */
  { "match-exec", "Match exec \"false\"\n  User from-exec\nHost *\n  User plain\n", "x" },
  { "match-exec-and-host", "Match exec \"false\" host meh\n  Port 2424\n", "meh" },
  { "include-glob", "Include @DIR@/inc-*.conf\nHost *\n  User after\n", "inc1 inc2 none" },
  { "include-in-host", "Host ih\n  Include @DIR@/inc-1.conf\n", "ih inc1" },
  { "proxyjump", "Host pj\n  ProxyJump bastion.example.com\n  User pj-user\n", "pj" },
  { "comments-blank", "# top\n\nHost cb   # not a comment in ssh, part of the pattern list\n  User cb\n", "cb" },
  { "host-star-last", "Host *\n  Port 2525\nHost late\n  Port 2626\n", "late early" },
  { "mixed", "Host m1 m2\n  HostName %h.mixed.example\nHost m2\n  User m2-user\nMatch originalhost m1\n  User m1-user\n", "m1 m2 m3" },
  { "ipv6", "Host v6\n  HostName ::1\n  Port 2727\n", "v6" },
};

static void
test_thirty_configs (void)
{
  g_autofree char *inc1 = write_config ("inc-1.conf", "Host inc1\n  User inc-one\n  Port 2001\n");
  g_autofree char *inc2 = write_config ("inc-2.conf", "Host inc2\n  HostName inc2.example.com\n");

  g_assert_cmpuint (G_N_ELEMENTS (configs), >=, 30);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_auto(GStrv) parts = g_strsplit (configs[i].text, "@DIR@", -1);
      g_autofree char *text = g_strjoinv (dir, parts);
      g_autofree char *name = g_strconcat ("config-", configs[i].name, NULL);
      g_autofree char *path = write_config (name, text);
      g_auto(GStrv) aliases = g_strsplit (configs[i].aliases, " ", -1);

      g_test_message ("config %s", configs[i].name);
      for (guint j = 0; aliases[j] != NULL; j++)
        check_alias (path, aliases[j]);
    }
}

static void
test_hosts_and_warnings (void)
{
  g_autofree char *path = write_config ("config2",
    "Host alpha beta *.wild !neg\n"
    "  Port 70000\n"
    "  HostName \"unclosed\n"
    "Host gamma\n"
    "  User\n"
    "Host alpha\n");
  g_autoptr(PasSshConfig) config = pas_ssh_config_load (path, NULL);
  g_auto(GStrv) hosts = pas_ssh_config_list_hosts (config);
  const char * const *warnings = pas_ssh_config_get_warnings (config);
  g_autoptr(PasSshHost) alpha = pas_ssh_config_resolve (config, "alpha", "given", 2022);
  g_autoptr(PasSshHost) beta = pas_ssh_config_resolve (config, "beta", NULL, 0);

  g_assert_cmpuint (g_strv_length (hosts), ==, 3);
  g_assert_cmpstr (hosts[0], ==, "alpha");
  g_assert_cmpstr (hosts[1], ==, "beta");
  g_assert_cmpstr (hosts[2], ==, "gamma");
  for (guint i = 0; warnings[i] != NULL; i++)
    g_test_message ("warning: %s", warnings[i]);
  /* The unclosed quote and the empty User at load; the bad port when used. */
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 3);
  /* What the address gives wins over the config. */
  g_assert_cmpstr (alpha->user, ==, "given");
  g_assert_cmpuint (alpha->port, ==, 2022);
  g_assert_cmpstr (alpha->hostname, ==, "alpha");
  g_assert_cmpuint (beta->port, ==, 0);
}

static void
test_missing_and_unreadable (void)
{
  g_autofree char *missing = g_build_filename (dir, "no-such-config", NULL);
  g_autoptr(PasSshConfig) empty = pas_ssh_config_load (missing, NULL);
  g_autoptr(PasSshHost) host = pas_ssh_config_resolve (empty, "Example.COM", NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *locked = write_config ("locked", "Host x\n");

  g_assert_cmpstr (host->hostname, ==, "example.com");
  g_assert_cmpstr (host->user, ==, g_get_user_name ());
  g_assert_cmpuint (host->port, ==, 0);

  if (geteuid () == 0)
    {
      g_test_skip ("root reads every file");
      return;
    }
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  g_assert_null (pas_ssh_config_load (locked, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pas-ssh-config-XXXXXX", NULL);
  g_test_add_func ("/ssh-config/against-ssh", test_against_ssh);
  g_test_add_func ("/ssh-config/proxies-and-algorithms", test_proxies_and_algorithms);
  g_test_add_func ("/ssh-config/thirty-configs", test_thirty_configs);
  g_test_add_func ("/ssh-config/hosts-and-warnings", test_hosts_and_warnings);
  g_test_add_func ("/ssh-config/missing-and-unreadable", test_missing_and_unreadable);
  ret = g_test_run ();
  pas_test_rm_rf (dir, NULL);
  g_free (dir);
  return ret;
}
