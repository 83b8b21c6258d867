/* The resolver: every way of naming a server becomes one destination, with
 * one precedence — the caller's options > the address > the saved session >
 * ssh_config (first value wins) > defaults — and jump hosts resolved the
 * way ssh -J does. ssh_config files are the test's own (-F), never ~/.ssh. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-sshd.h"

static char *dir;

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static PasDestination *
resolve_text (PasResolver *resolver,
              const char  *text,
              GError     **error)
{
  g_autoptr(PasAddress) address = pas_address_parse (text, error);

  if (address == NULL)
    return NULL;
  return pas_resolver_resolve (resolver, address, error);
}

static char *
jump_labels (PasDestination *destination)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (PasDestination **hop = pas_destination_get_jumps (destination); *hop != NULL; hop++)
    g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "", pas_destination_get_key (*hop));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_address_forms (void)
{
  struct { const char *text, *user, *name; guint16 port; const char *path; } good[] = {
    { "example.com", NULL, "example.com", 0, NULL },
    { "root@example.com", "root", "example.com", 0, NULL },
    { "deploy@example.com:2222", "deploy", "example.com", 2222, NULL },
    { "[::1]:2200", NULL, "::1", 2200, NULL },
    { "u@fe80::1", "u", "fe80::1", 0, NULL },
    { "sftp://u@example.com:2201/var/www", "u", "example.com", 2201, "/var/www" },
    { "ssh://jumper@bastion:22", "jumper", "bastion", 22, NULL },
    { "  my-alias  ", NULL, "my-alias", 0, NULL },
    { "My Server", NULL, "My Server", 0, NULL },   /* a session's name; not a host */
  };
  const char *bad[] = { "", "-oProxyCommand=x", "host:port", "host:99999", "user@", "sftp://h?x=1", "h`id`" };
  const char *cli_bad[] = { "no-colon", "-x:path", "a/b:path" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasAddress) a = pas_address_parse (good[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (a->user, ==, good[i].user);
      g_assert_cmpstr (a->name, ==, good[i].name);
      g_assert_cmpuint (a->port, ==, good[i].port);
      g_assert_cmpstr (a->path, ==, good[i].path);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasAddress) a = pas_address_parse (bad[i], &error);

      g_assert_null (a);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PasAddress) a = pas_address_parse_cli ("deploy@web:www/site", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (a->user, ==, "deploy");
    g_assert_cmpstr (a->name, ==, "web");
    g_assert_cmpstr (a->path, ==, "www/site");
  }
  for (guint i = 0; i < G_N_ELEMENTS (cli_bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasAddress) a = pas_address_parse_cli (cli_bad[i], &error);

      g_assert_null (a);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
    }
}

/* One setting at each level, and what wins. */
static void
test_precedence (void)
{
  g_autofree char *config = write_file ("precedence.conf",
    "Host srv\n"
    "  HostName Real.Example.COM\n"
    "  User cfguser\n"
    "  Port 2201\n"
    "  IdentityFile ~/cfgkey\n"
    "  ConnectTimeout 7\n"
    "  ServerAliveInterval 9\n"
    "  Ciphers ^aes256-ctr\n"
    "  ProxyJump j1\n"
    "  UserKnownHostsFile ~/cfg_known_hosts\n"
    "Host j1\n"
    "  HostName jump.example.com\n"
    "  User jumper\n");
  g_autofree char *home_key = g_build_filename (g_get_home_dir (), "cfgkey", NULL);
  g_autofree char *home_kh = g_build_filename (g_get_home_dir (), "cfg_known_hosts", NULL);
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autofree char *sessions = write_file ("sessions.ini", "");
  g_autoptr(PasSessionStore) store = pas_session_store_new (sessions);
  g_autoptr(PasSession) session = pas_session_new ();
  g_autoptr(GError) error = NULL;

  pas_resolver_set_ssh_config (resolver, config);

  /* ssh_config alone, as ssh -G would say it. */
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "srv", &error);
    g_autofree char *jumps = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_host (d), ==, "real.example.com");
    g_assert_cmpstr (pas_destination_get_user (d), ==, "cfguser");
    g_assert_cmpuint (pas_destination_get_port (d), ==, 2201);
    g_assert_cmpstr (pas_destination_get_identity_files (d)[0], ==, home_key);
    g_assert_false (pas_destination_get_identities_only (d));
    g_assert_cmpuint (pas_destination_get_timeout (d), ==, 7);
    g_assert_cmpuint (pas_destination_get_keepalive (d), ==, 9);
    g_assert_cmpstr (pas_destination_get_ciphers (d), ==, "^aes256-ctr");
    g_assert_cmpstr (pas_destination_get_user_known_hosts (d), ==, home_kh);
    g_assert_cmpstr (pas_destination_get_label (d), ==, "srv");
    jumps = jump_labels (d);
    g_assert_cmpstr (jumps, ==, "jumper@jump.example.com:22");
    g_assert_cmpstr (pas_destination_get_key (d), ==, "cfguser@real.example.com:2201 via jumper@jump.example.com:22");
  }
  /* The address wins over ssh_config. */
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "other@srv:2300", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_user (d), ==, "other");
    g_assert_cmpuint (pas_destination_get_port (d), ==, 2300);
  }
  /* A saved session whose host is the alias: its values win over
   * ssh_config's, ssh_config fills the rest; found by its name too. */
  g_object_set (session, "name", "My Server", "host", "srv", "user", "sessuser", "key-file", "~/sesskey",
                "auth", PAS_AUTH_KEY, "connect-timeout", 20, "remote-folder", "/srv/www", NULL);
  pas_session_store_add (store, session);
  pas_resolver_set_sessions (resolver, store);
  {
    g_autoptr(PasDestination) by_object = pas_resolver_resolve_session (resolver, session, &error);
    g_autoptr(PasDestination) by_name = resolve_text (resolver, "My Server", &error);
    g_autofree char *session_key = g_build_filename (g_get_home_dir (), "sesskey", NULL);

    g_assert_no_error (error);
    g_assert_true (pas_destination_equal (by_object, by_name));
    g_assert_cmpstr (pas_destination_get_host (by_object), ==, "real.example.com");
    g_assert_cmpstr (pas_destination_get_user (by_object), ==, "sessuser");
    g_assert_cmpuint (pas_destination_get_port (by_object), ==, 2201);
    g_assert_cmpstr (pas_destination_get_identity_files (by_object)[0], ==, session_key);
    g_assert_true (pas_destination_get_identities_only (by_object));
    g_assert_cmpuint (pas_destination_get_auth_methods (by_object), ==, PAS_AUTH_METHOD_KEY_FILES);
    g_assert_cmpuint (pas_destination_get_timeout (by_object), ==, 20);
    g_assert_cmpuint (pas_destination_get_keepalive (by_object), ==, 9);
    g_assert_cmpstr (pas_destination_get_remote_folder (by_object), ==, "/srv/www");
    g_assert_cmpstr (pas_destination_get_label (by_object), ==, "My Server");
  }
  /* Default keys (the app's --identity) come after the session's and
   * ssh_config's, and serve a server that names none. */
  pas_resolver_set_default_identity_files (resolver, (const char *[]) { "/keys/app_ed25519", NULL });
  {
    g_autoptr(PasDestination) from_session = pas_resolver_resolve_session (resolver, session, &error);
    g_autoptr(PasDestination) from_config = resolve_text (resolver, "srv", &error);
    g_autoptr(PasDestination) plain = resolve_text (resolver, "root@plain.example.com", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_identity_files (from_session)[0], !=, "/keys/app_ed25519");
    g_assert_cmpstr (pas_destination_get_identity_files (from_config)[0], ==, home_key);
    g_assert_cmpstr (pas_destination_get_identity_files (plain)[0], ==, "/keys/app_ed25519");
    g_assert_true (pas_destination_get_identities_only (plain));
    /* Not for the jump hosts: they are not the server the caller named. */
    g_assert_cmpstr (pas_destination_get_identity_files (pas_destination_get_jumps (from_config)[0])[0], !=,
                     "/keys/app_ed25519");
  }
  pas_resolver_set_default_identity_files (resolver, NULL);

  /* The caller's options win over everything; jump hosts too. */
  pas_resolver_set_identity_files (resolver, (const char *[]) { "/keys/cli_ed25519", NULL });
  pas_resolver_set_known_hosts (resolver, "/tmp/cli_known_hosts");
  pas_resolver_set_jump (resolver, "none");
  {
    g_autoptr(PasDestination) d = pas_resolver_resolve_session (resolver, session, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_identity_files (d)[0], ==, "/keys/cli_ed25519");
    g_assert_cmpuint (g_strv_length ((char **) pas_destination_get_identity_files (d)), ==, 1);
    g_assert_cmpstr (pas_destination_get_user_known_hosts (d), ==, "/tmp/cli_known_hosts");
    g_assert_null (pas_destination_get_jumps (d)[0]);
    g_assert_cmpstr (pas_destination_get_key (d), ==, "sessuser@real.example.com:2201");
  }
  /* Relative paths start in the session's folder. */
  {
    g_autoptr(PasAddress) a = pas_address_parse_cli ("My Server:logs", &error);
    g_autoptr(PasDestination) d = pas_resolver_resolve (resolver, a, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_remote_folder (d), ==, "/srv/www/logs");
  }
}

/* ssh -J a,b: a's own ProxyJump comes first; b is reached through a (its
 * own ProxyJump does not count); each hop is resolved like any host;
 * a loop is refused; ProxyCommand's tokens are expanded. */
static void
test_jumps (void)
{
  g_autofree char *config = write_file ("jumps.conf",
    "Host target\n"
    "  ProxyJump j1,deploy@j2:2022\n"
    "Host j1\n"
    "  HostName first.example.com\n"
    "  ProxyJump j0\n"
    "Host j2\n"
    "  HostName second.example.com\n"
    "  ProxyJump never-used\n"
    "  IdentityFile /keys/j2\n"
    "Host j0\n"
    "  User zero\n"
    "Host loop-a\n"
    "  ProxyJump loop-b\n"
    "Host loop-b\n"
    "  ProxyJump loop-a\n"
    "Host via-command\n"
    "  HostName 10.1.2.3\n"
    "  User pc\n"
    "  ProxyCommand nc -X connect -x proxy:3128 %h %p # %r %n %%\n");
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autoptr(GError) error = NULL;

  pas_resolver_set_ssh_config (resolver, config);
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "me@target", &error);
    g_autofree char *jumps = NULL;
    /* The address's user is the target's; a hop's is its own (or ours). */
    g_autofree char *expected = g_strdup_printf ("zero@j0:22,%s@first.example.com:22,deploy@second.example.com:2022",
                                                 g_get_user_name ());
    PasDestination **hops;

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_user (d), ==, "me");
    jumps = jump_labels (d);
    g_assert_cmpstr (jumps, ==, expected);
    hops = pas_destination_get_jumps (d);
    g_assert_cmpstr (pas_destination_get_identity_files (hops[2])[0], ==, "/keys/j2");
    /* The hops themselves carry no chain: the target's list is the path. */
    g_assert_null (pas_destination_get_jumps (hops[1])[0]);
  }
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "loop-a", &error);

    g_assert_null (d);
    g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
    g_assert_nonnull (strstr (error->message, "loop"));
    g_clear_error (&error);
  }
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "via-command", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pas_destination_get_proxy_command (d), ==,
                     "nc -X connect -x proxy:3128 10.1.2.3 22 # pc via-command %");
    g_assert_null (pas_destination_get_jumps (d)[0]);
  }
  /* --jump on the command line wins over ssh_config's, and "none" goes direct. */
  pas_resolver_set_jump (resolver, "ssh://jumpy@10.9.9.9:2200");
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "target", &error);
    g_autofree char *jumps = jump_labels (d);

    g_assert_cmpstr (jumps, ==, "jumpy@10.9.9.9:2200");
  }
  pas_resolver_set_jump (resolver, "none");
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "via-command", &error);

    g_assert_null (pas_destination_get_proxy_command (d));
  }
  pas_resolver_set_jump (resolver, "bad host name");
  {
    g_autoptr(PasDestination) d = resolve_text (resolver, "target", &error);

    g_assert_null (d);
    g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
    g_assert_nonnull (strstr (error->message, "bad host name"));
  }
}

/* Key paths as people type them. */
static void
test_key_paths (void)
{
  g_autofree char *private_key = write_file ("id_test", "private");
  g_autofree char *public_key = write_file ("id_test.pub", "public");
  g_autofree char *lonely = write_file ("lonely.pub", "public");
  g_autofree char *expected = g_build_filename (g_get_home_dir (), ".ssh", "id_x", NULL);
  g_autoptr(GError) error = NULL;
  char *path;

  path = pas_resolver_expand_key_path ("~/.ssh/id_x", NULL);
  g_assert_cmpstr (path, ==, expected);
  g_free (path);
  path = pas_resolver_expand_key_path ("$HOME/.ssh/id_x", NULL);
  g_assert_cmpstr (path, ==, expected);
  g_free (path);
  path = pas_resolver_expand_key_path ("${HOME}/.ssh/id_x", NULL);
  g_assert_cmpstr (path, ==, expected);
  g_free (path);
  /* The public half leads to the private one beside it. */
  path = pas_resolver_expand_key_path (public_key, NULL);
  g_assert_cmpstr (path, ==, private_key);
  g_free (path);
  path = pas_resolver_expand_key_path (lonely, &error);
  g_assert_null (path);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY);
  g_assert_nonnull (strstr (error->message, "public key"));
}

/* The async form, as the window uses it, gives what the sync one gives. */
static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  *(PasDestination **) data = pas_resolver_resolve_finish (PAS_RESOLVER (source), result, NULL);
}

static void
test_async (void)
{
  g_autofree char *config = write_file ("async.conf", "Host a\n  HostName b.example.com\n  Port 2\n");
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autoptr(PasAddress) address = pas_address_parse ("a", NULL);
  g_autoptr(PasDestination) sync = NULL;
  PasDestination *async = NULL;

  pas_resolver_set_ssh_config (resolver, config);
  sync = pas_resolver_resolve (resolver, address, NULL);
  pas_resolver_resolve_async (resolver, address, NULL, async_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pas_destination_equal (sync, async));
  {
    g_autofree char *key = g_strdup_printf ("%s@b.example.com:2", g_get_user_name ());
    g_assert_cmpstr (pas_destination_get_key (async), ==, key);
  }
  pas_destination_unref (async);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pas-resolver-XXXXXX", NULL);

  g_test_add_func ("/resolver/address-forms", test_address_forms);
  g_test_add_func ("/resolver/precedence", test_precedence);
  g_test_add_func ("/resolver/jumps", test_jumps);
  g_test_add_func ("/resolver/key-paths", test_key_paths);
  g_test_add_func ("/resolver/async", test_async);

  ret = g_test_run ();
  pas_test_rm_rf (dir, NULL);
  g_free (dir);
  return ret;
}
