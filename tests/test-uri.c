#include "config.h"

#include <string.h>

#include "pas-engine.h"

typedef struct
{
  const char *text;
  const char *user;
  const char *host;
  guint16     port;
  const char *path;
} GoodCase;

static const GoodCase good_cases[] = {
  { "sftp://example.com", NULL, "example.com", 0, NULL },
  { "sftp://example.com/", NULL, "example.com", 0, "/" },
  { "sftp://root@203.0.113.7", "root", "203.0.113.7", 0, NULL },
  { "sftp://root@203.0.113.7:2222/var/www", "root", "203.0.113.7", 2222, "/var/www" },
  { "SFTP://Root@Example.COM:22/srv", "Root", "Example.COM", 22, "/srv" },
  { "sftp://deploy@[2001:db8::1]:2200/srv/app", "deploy", "2001:db8::1", 2200, "/srv/app" },
  { "sftp://me@host/~/projects", "me", "host", 0, "~/projects" },
  { "sftp://me@host/~", "me", "host", 0, "~" },
  { "sftp://me@host/My%20Files/%C3%A9t%C3%A9", "me", "host", 0, "/My Files/été" },
  { "sftp://user%40corp@host/x", "user@corp", "host", 0, "/x" },
  { "sftp://h_1.example-site.org:65535", NULL, "h_1.example-site.org", 65535, NULL },
};

static void
test_uri_parse_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      const GoodCase *c = &good_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(PasUri) uri = pas_uri_parse (c->text, &error);

      g_test_message ("%s", c->text);
      g_assert_no_error (error);
      g_assert_nonnull (uri);
      g_assert_cmpstr (uri->user, ==, c->user);
      g_assert_cmpstr (uri->host, ==, c->host);
      g_assert_cmpuint (uri->port, ==, c->port);
      g_assert_cmpstr (uri->path, ==, c->path);
    }
}

static void
test_uri_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autoptr(PasUri) uri = pas_uri_parse (good_cases[i].text, NULL);
      g_autofree char *text = pas_uri_to_string (uri);
      g_autoptr(GError) error = NULL;
      g_autoptr(PasUri) again = pas_uri_parse (text, &error);

      g_test_message ("%s -> %s", good_cases[i].text, text);
      g_assert_no_error (error);
      g_assert_cmpstr (again->user, ==, uri->user);
      g_assert_cmpstr (again->host, ==, uri->host);
      g_assert_cmpuint (again->port, ==, uri->port);
      g_assert_cmpstr (again->path, ==, uri->path);
    }
}

static void
test_uri_display (void)
{
  struct { const char *text; const char *shown; guint16 port; } cases[] = {
    { "sftp://root@example.com", "root@example.com", 22 },
    { "sftp://root@example.com:22", "root@example.com", 22 },
    { "sftp://example.com:2222/x", "example.com:2222", 2222 },
    { "sftp://u@[::1]:2200", "u@[::1]:2200", 2200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PasUri) uri = pas_uri_parse (cases[i].text, NULL);
      g_autofree char *shown = pas_uri_to_display_string (uri);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_cmpuint (pas_uri_get_effective_port (uri), ==, cases[i].port);
    }
}

static void
test_uri_parse_bad (void)
{
  static const char *bad[] = {
    "",
    "example.com",
    "http://example.com/",
    "ssh://example.com",
    "file:///etc/passwd",
    "sftp://",
    "sftp:///path",
    "sftp://root:secret@example.com/",          /* password in the link */
    "sftp://root;fingerprint=ssh-rsa-ab@host/", /* connection parameters */
    "sftp://host/path?ProxyCommand=evil",
    "sftp://host/path#frag",
    "sftp://-oProxyCommand=evil/",
    "sftp://-user@host/",
    "sftp://host:0/",
    "sftp://host:65536/",
    "sftp://host:99999999999/",
    "sftp://ho%20st/",
    "sftp://host/a%00b",
    "sftp://host/%FF%FE",
    "sftp://@host/",
    "sftp://[zz::1]/",
    "sftp://ex ample.com/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasUri) uri = pas_uri_parse (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (uri);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
      g_assert_nonnull (pas_error_get_remedy (error));
    }
}

static void
test_uri_password_never_shown (void)
{
  static const char *texts[] = {
    "sftp://root:hunter2@example.com/",
    "sftp://root:hunter2@example.com:2222/srv?x=1",
    "sftp://a:b:hunter2@example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasUri) uri = pas_uri_parse (texts[i], &error);

      g_assert_null (uri);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
      g_test_message ("%s", error->message);
      g_assert_null (strstr (error->message, "hunter2"));
      g_assert_nonnull (strstr (error->message, "example.com"));
    }
}

static void
test_uri_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasUri) uri = pas_uri_parse ("sftp://h\xff/", &error);

  g_assert_null (uri);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS);
  /* The message must itself be valid UTF-8 to reach a GTK label. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uri/parse-good", test_uri_parse_good);
  g_test_add_func ("/uri/round-trip", test_uri_round_trip);
  g_test_add_func ("/uri/display", test_uri_display);
  g_test_add_func ("/uri/parse-bad", test_uri_parse_bad);
  g_test_add_func ("/uri/password-never-shown", test_uri_password_never_shown);
  g_test_add_func ("/uri/invalid-utf8", test_uri_invalid_utf8);

  return g_test_run ();
}
