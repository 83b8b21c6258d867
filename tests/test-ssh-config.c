/* ~/.ssh/config resolution, with OpenSSH's own `ssh -G` as the oracle. */
#include "config.h"

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
  g_test_add_func ("/ssh-config/hosts-and-warnings", test_hosts_and_warnings);
  g_test_add_func ("/ssh-config/missing-and-unreadable", test_missing_and_unreadable);
  ret = g_test_run ();
  pas_test_rm_rf (dir, NULL);
  g_free (dir);
  return ret;
}
