/* FileZilla's Site Manager import: a realistic sitemanager.xml (folders,
 * nested folders, an FTP site, a base64 password, a key login, FileZilla's
 * encoded remote folder) and broken or hostile files. */
#include "config.h"

#include <string.h>

#include "pas-engine.h"

static PasSession *
site_named (GPtrArray         *sites,
            const char        *name,
            PasFilezillaSite **out)
{
  for (guint i = 0; i < sites->len; i++)
    {
      PasFilezillaSite *site = g_ptr_array_index (sites, i);

      if (g_strcmp0 (pas_session_get_name (site->session), name) == 0)
        {
          if (out != NULL)
            *out = site;
          return site->session;
        }
    }
  return NULL;
}

static void
test_fixture (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("PAS_TEST_SRCDIR"), "tests", "data", "sitemanager.xml", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sites = NULL;
  PasFilezillaSite *site = NULL;
  PasSession *session;
  guint skipped = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  sites = pas_filezilla_parse (text, -1, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sites->len, ==, 3);
  g_assert_cmpuint (skipped, ==, 1);   /* the FTP site */

  session = site_named (sites, "My VPS", &site);
  g_assert_nonnull (session);
  g_assert_cmpstr (pas_session_get_host (session), ==, "vps.example.com");
  g_assert_cmpuint (pas_session_get_port (session), ==, 22);
  g_assert_cmpstr (pas_session_get_user (session), ==, "root");
  g_assert_cmpint (pas_session_get_auth (session), ==, PAS_AUTH_PASSWORD);
  g_assert_cmpstr (pas_session_get_remote_folder (session), ==, "/var/www/site name");
  g_assert_cmpstr (pas_session_get_local_folder (session), ==, "/home/me/www");
  g_assert_null (pas_session_get_folder (session));
  /* The password comes back beside the session, never in it. */
  g_assert_cmpstr (site->password, ==, "hunter2 été");

  session = site_named (sites, "Database & backups", &site);
  g_assert_nonnull (session);
  g_assert_cmpstr (pas_session_get_folder (session), ==, "Work");
  g_assert_cmpuint (pas_session_get_port (session), ==, 2222);
  g_assert_cmpint (pas_session_get_auth (session), ==, PAS_AUTH_KEY);
  g_assert_cmpstr (pas_session_get_key_file (session), ==, "/home/me/.ssh/id_ed25519");
  g_assert_cmpstr (pas_session_get_notes (session), ==, "Rotate the keys in March");
  g_assert_null (site->password);

  session = site_named (sites, "Client site", &site);
  g_assert_nonnull (session);
  g_assert_cmpstr (pas_session_get_folder (session), ==, "Work/Clients");
  g_assert_null (site->password);   /* "ask" logon: nothing stored */
}

static void
test_broken_files (void)
{
  const char *cases[] = {
    "",
    "<html><body>not this</body></html>",
    "<FileZilla3><Servers><Server><Host>x</Host>",                       /* cut short */
    "<FileZilla3><Servers><Server><Host>x</Hst></Server></Servers></FileZilla3>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) sites = pas_filezilla_parse (cases[i], -1, NULL, &error);

      g_assert_null (sites);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "cannot be imported"));
    }
}

static void
test_hostile_values (void)
{
  g_autoptr(GString) deep = g_string_new ("<FileZilla3><Servers>");
  g_autoptr(GString) long_value = g_string_new ("<FileZilla3><Servers><Server><Protocol>1</Protocol><Host>");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sites = NULL;
  const char *odd =
    "<FileZilla3><Servers>"
    "<Server><Protocol>1</Protocol><Host>a.example</Host><Port>99999</Port>"
    "<RemoteDir>1 0 50 short</RemoteDir><Logontype>1</Logontype>"
    "<Pass encoding=\"base64\">AAEC</Pass><Name>odd</Name></Server>"
    "<Server><Protocol>1</Protocol><Host></Host><Name>no host</Name></Server>"
    /* Found by fuzzing: a second Pass leaked the first one's encoding. */
    "<Server><Protocol>1</Protocol><Host></Host><Pass encoding=\"base64\">cA==</Pass>"
    "<Pass encoding=\"base64\">cQ==</Pass></Server>"
    "</Servers></FileZilla3>";
  guint skipped = 0;

  /* Folders nested past any use: refused, not a stack overflow. */
  for (int i = 0; i < 100; i++)
    g_string_append (deep, "<Folder>f");
  sites = pas_filezilla_parse (deep->str, -1, NULL, &error);
  g_assert_null (sites);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A value of a megabyte: refused. */
  for (int i = 0; i < 100000; i++)
    g_string_append (long_value, "0123456789");
  g_string_append (long_value, "</Host></Server></Servers></FileZilla3>");
  sites = pas_filezilla_parse (long_value->str, -1, NULL, &error);
  g_assert_null (sites);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A bad port, a lying length, a password with a NUL, an empty host. */
  sites = pas_filezilla_parse (odd, -1, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sites->len, ==, 1);
  g_assert_cmpuint (skipped, ==, 2);
  {
    PasFilezillaSite *site = g_ptr_array_index (sites, 0);
    g_assert_cmpuint (pas_session_get_port (site->session), ==, 22);
    g_assert_null (pas_session_get_remote_folder (site->session));
    g_assert_null (site->password);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/filezilla/fixture", test_fixture);
  g_test_add_func ("/filezilla/broken-files", test_broken_files);
  g_test_add_func ("/filezilla/hostile-values", test_hostile_values);

  return g_test_run ();
}
