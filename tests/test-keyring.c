/* Proves the keyring fixture: a real gnome-keyring on a private D-Bus session
 * stores, finds and forgets a secret through libsecret. */
#include <libsecret/secret.h>

static const SecretSchema test_schema = {
  "io.github.passerelle.Passerelle.Test", SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

static gboolean
have_session_bus (void)
{
  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL;
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nonce = g_uuid_string_random ();
  g_autofree char *host = g_strdup_printf ("test-%s.invalid", nonce);
  char *found;
  gboolean ok;

  if (!have_session_bus ())
    {
      if (g_getenv ("PAS_TEST_REQUIRE_SESSION") != NULL)
        g_error ("no D-Bus session bus, but scripts/test should have started one");
      g_test_skip ("no D-Bus session bus (run through scripts/test)");
      return;
    }

  ok = secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "Passerelle test",
                                   "s3cret-value", NULL, &error,
                                   "host", host, "port", 2222, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  found = secret_password_lookup_sync (&test_schema, NULL, &error, "host", host, "port", 2222, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "s3cret-value");
  secret_password_free (found);

  /* A different port is a different secret. */
  found = secret_password_lookup_sync (&test_schema, NULL, &error, "host", host, "port", 22, NULL);
  g_assert_no_error (error);
  g_assert_null (found);

  ok = secret_password_clear_sync (&test_schema, NULL, &error, "host", host, "port", 2222, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  found = secret_password_lookup_sync (&test_schema, NULL, &error, "host", host, "port", 2222, NULL);
  g_assert_no_error (error);
  g_assert_null (found);

  /* libsecret keeps a shared SecretService; release it so LeakSanitizer sees no leak. */
  secret_service_disconnect ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fixture/keyring/round-trip", test_keyring_round_trip);

  return g_test_run ();
}
