#define G_LOG_DOMAIN "pas-uri"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-uri.h"

static gboolean
has_control_or_space (const char *s)
{
  for (const guchar *p = (const guchar *) s; *p; p++)
    if (*p <= 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
host_is_valid (const char *host)
{
  gsize len = strlen (host);

  if (len == 0 || len > 253 || has_control_or_space (host))
    return FALSE;

  /* A leading '-' would be read as an option by any tool we hand it to. */
  if (host[0] == '-')
    return FALSE;

  if (strchr (host, ':') != NULL)
    {
      /* IPv6 literal (GUri removed the brackets): hex digits, ':' and '.' only. */
      for (const char *p = host; *p; p++)
        if (!g_ascii_isxdigit (*p) && *p != ':' && *p != '.')
          return FALSE;
      return TRUE;
    }

  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_' && !((guchar) *p & 0x80))
      return FALSE;

  return g_utf8_validate (host, -1, NULL);
}

/* "sftp://root:hunter2@host" must not put the password on screen or in a log. */
static char *
redact_password (const char *text)
{
  const char *start = strstr (text, "://");
  const char *end;
  const char *at = NULL;
  const char *colon;

  if (start == NULL)
    return g_strdup (text);
  start += 3;
  end = start + strcspn (start, "/?#");
  for (const char *p = start; p < end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL)
    return g_strdup (text);
  colon = memchr (start, ':', at - start);
  if (colon == NULL)
    return g_strdup (text);

  return g_strdup_printf ("%.*s:***%s", (int) (colon - text), text, at);
}

static PasUri *
invalid (GError **error, const char *text, const char *why)
{
  g_autofree char *redacted = redact_password (text);
  g_autofree char *shown = g_strescape (redacted, NULL);

  g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS,
               /* Translators: the first %s is the address, the second the reason */
               _("“%s” is not a valid SFTP address: %s"), shown, why);
  return NULL;
}

/**
 * pas_uri_parse:
 * @text: an address such as `sftp://user@host:2222/srv/www`
 * @error: return location for a #PAS_ERROR_INVALID_ADDRESS error
 *
 * Returns: (transfer full) (nullable): the parsed address
 */
PasUri *
pas_uri_parse (const char *text,
               GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PasUri) self = NULL;
  const char *user;
  const char *path;
  int port;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, text, _("it is not valid UTF-8"));

  uri = g_uri_parse (text, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_PATH, &local_error);
  if (uri == NULL)
    return invalid (error, text, _("it cannot be read as an address"));

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "sftp") != 0)
    return invalid (error, text, _("only sftp:// addresses are supported"));

  if (g_uri_get_password (uri) != NULL)
    return invalid (error, text, _("passwords are never taken from an address; Passerelle asks for them"));

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return invalid (error, text, _("an address may not carry options"));

  if (g_uri_get_host (uri) == NULL || !host_is_valid (g_uri_get_host (uri)))
    return invalid (error, text, _("the host name is missing or invalid"));

  self = g_new0 (PasUri, 1);
  self->host = g_strdup (g_uri_get_host (uri));

  port = g_uri_get_port (uri);
  if (port == 0 || port > G_MAXUINT16)
    return invalid (error, text, _("the port must be between 1 and 65535"));
  self->port = port < 0 ? 0 : (guint16) port;

  user = g_uri_get_user (uri);
  if (user != NULL)
    {
      /* ";fingerprint=…" and other connection parameters from the draft URI spec. */
      if (strchr (user, ';') != NULL)
        return invalid (error, text, _("an address may not carry options"));
      if (*user == '\0' || has_control_or_space (user) || user[0] == '-' ||
          !g_utf8_validate (user, -1, NULL))
        return invalid (error, text, _("the user name is invalid"));
      self->user = g_strdup (user);
    }

  path = g_uri_get_path (uri);
  if (path != NULL && *path != '\0' && strcmp (path, "/") != 0)
    {
      g_autofree char *decoded = g_uri_unescape_string (path, NULL);

      /* %00 would truncate the path when it reaches C strings. */
      if (decoded == NULL || strlen (decoded) == 0 || !g_utf8_validate (decoded, -1, NULL))
        return invalid (error, text, _("the folder path is invalid"));

      if (g_str_has_prefix (decoded, "/~/") || strcmp (decoded, "/~") == 0)
        self->path = g_strconcat ("~", decoded + 2, NULL);
      else
        self->path = g_steal_pointer (&decoded);
    }
  else if (path != NULL && strcmp (path, "/") == 0)
    {
      self->path = g_strdup ("/");
    }

  return g_steal_pointer (&self);
}

PasUri *
pas_uri_copy (const PasUri *self)
{
  PasUri *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (PasUri, 1);
  copy->user = g_strdup (self->user);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->path = g_strdup (self->path);
  return copy;
}

void
pas_uri_free (PasUri *self)
{
  if (self == NULL)
    return;
  g_free (self->user);
  g_free (self->host);
  g_free (self->path);
  g_free (self);
}

guint16
pas_uri_get_effective_port (const PasUri *self)
{
  return self->port != 0 ? self->port : PAS_URI_DEFAULT_PORT;
}

/**
 * pas_uri_to_string:
 *
 * Returns: (transfer full): the canonical `sftp://` form, which
 *   pas_uri_parse() reads back to an equal #PasUri
 */
char *
pas_uri_to_string (const PasUri *self)
{
  g_autofree char *path = NULL;
  g_autofree char *escaped_path = NULL;
  g_return_val_if_fail (self != NULL, NULL);

  if (self->path == NULL)
    path = g_strdup ("");
  else if (self->path[0] == '~')
    path = g_strconcat ("/", self->path, NULL);
  else
    path = g_strdup (self->path);

  escaped_path = g_uri_escape_string (path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);
  /* g_uri_join() brackets IPv6 literals and escapes the user itself. */
  return g_uri_join (G_URI_FLAGS_ENCODED_PATH, "sftp", self->user, self->host,
                     self->port != 0 ? self->port : -1, escaped_path, NULL, NULL);
}

/**
 * pas_uri_to_display_string:
 *
 * Returns: (transfer full): `user@host:port` as people write it, for titles
 */
char *
pas_uri_to_display_string (const PasUri *self)
{
  GString *s = g_string_new (NULL);

  if (self->user != NULL)
    g_string_append_printf (s, "%s@", self->user);
  if (strchr (self->host, ':') != NULL)
    g_string_append_printf (s, "[%s]", self->host);
  else
    g_string_append (s, self->host);
  if (self->port != 0 && self->port != PAS_URI_DEFAULT_PORT)
    g_string_append_printf (s, ":%u", self->port);

  return g_string_free (s, FALSE);
}
