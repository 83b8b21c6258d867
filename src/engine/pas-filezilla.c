#define G_LOG_DOMAIN "pas-filezilla"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-error.h"
#include "pas-filezilla.h"
#include "pas-secret.h"

/* FileZilla's Protocol and Logontype values (its server.h). */
#define FZ_PROTOCOL_SFTP   1
#define FZ_LOGON_NORMAL    1
#define FZ_LOGON_ASK       2
#define FZ_LOGON_INTERACTIVE 3
#define FZ_LOGON_KEY       5

/* Everything in the file is bounded: a hostile or broken file cannot make
 * us hold more than this. */
#define MAX_FIELD 4096
#define MAX_DEPTH 32

typedef struct
{
  GPtrArray  *sites;
  GPtrArray  *folders;   /* of char*: the Folder names above */
  GString    *text;      /* the current element's text */
  GHashTable *fields;    /* of the current Server: element -> text */
  char       *pass_encoding;
  gboolean    in_server;
  guint       depth;
  guint       skipped;
} Parse;

void
pas_filezilla_site_free (PasFilezillaSite *site)
{
  g_clear_object (&site->session);
  pas_secret_free (site->password);
  g_free (site);
}

/* "1 0 3 var 3 www" is /var/www: a server type, a prefix, then segments,
 * each preceded by its length (so a segment may hold spaces). */
static char *
decode_remote_dir (const char *text)
{
  const char *p = text;
  g_autoptr(GString) path = g_string_new (NULL);
  char *end;
  guint64 n;

  for (int header = 0; header < 2; header++)
    {
      n = g_ascii_strtoull (p, &end, 10);
      if (end == p)
        return NULL;
      p = end;
      if (header == 1 && n > 0)   /* a prefix (e.g. a VMS device): skip it */
        {
          if (*p != ' ' || strlen (p + 1) < n)
            return NULL;
          p += 1 + n;
        }
    }
  while (*p == ' ')
    {
      n = g_ascii_strtoull (p + 1, &end, 10);
      if (end == p + 1 || *end != ' ' || n == 0 || strlen (end + 1) < n)
        return NULL;
      g_string_append_c (path, '/');
      g_string_append_len (path, end + 1, (gssize) n);
      p = end + 1 + n;
    }
  if (*p != '\0')
    return NULL;
  return path->len > 0 ? g_string_free (g_steal_pointer (&path), FALSE) : g_strdup ("/");
}

static void
start_cb (GMarkupParseContext *context,
          const char          *element,
          const char         **names,
          const char         **values,
          gpointer             user_data,
          GError             **error)
{
  Parse *parse = user_data;

  if (++parse->depth > MAX_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "nested too deep");
      return;
    }
  /* A Folder's name is its text before its first child element. */
  if (parse->folders->len > 0 && g_ptr_array_index (parse->folders, parse->folders->len - 1) == NULL &&
      !parse->in_server)
    parse->folders->pdata[parse->folders->len - 1] = g_strdup (g_strstrip (parse->text->str));
  if (strcmp (element, "Folder") == 0)
    g_ptr_array_add (parse->folders, NULL);

  if (strcmp (element, "Server") == 0)
    {
      parse->in_server = TRUE;
      g_hash_table_remove_all (parse->fields);
      g_clear_pointer (&parse->pass_encoding, g_free);
    }
  else if (parse->in_server && strcmp (element, "Pass") == 0)
    for (guint i = 0; names[i] != NULL; i++)
      if (strcmp (names[i], "encoding") == 0)
        {
          /* A second Pass (or attribute) replaces the first: found by fuzzing. */
          g_free (parse->pass_encoding);
          parse->pass_encoding = g_strdup (values[i]);
        }
  g_string_truncate (parse->text, 0);
}

static const char *
field (Parse      *parse,
       const char *name)
{
  return g_hash_table_lookup (parse->fields, name);
}

static void
finish_server (Parse *parse)
{
  const char *protocol = field (parse, "Protocol");
  const char *host = field (parse, "Host");
  const char *port = field (parse, "Port");
  const char *logon = field (parse, "Logontype");
  g_autoptr(GString) folder = g_string_new (NULL);
  PasFilezillaSite *site;
  guint64 port_value = 22;
  guint64 logon_value = 0;

  if (protocol == NULL || g_ascii_strtoull (protocol, NULL, 10) != FZ_PROTOCOL_SFTP || host == NULL || host[0] == '\0')
    {
      parse->skipped++;
      return;
    }
  if (port != NULL && (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &port_value, NULL)))
    port_value = 22;
  if (logon != NULL)
    g_ascii_string_to_unsigned (logon, 10, 0, 100, &logon_value, NULL);

  for (guint i = 0; i < parse->folders->len; i++)
    {
      const char *name = g_ptr_array_index (parse->folders, i);
      if (name == NULL || name[0] == '\0')
        continue;
      if (folder->len > 0)
        g_string_append_c (folder, '/');
      g_string_append (folder, name);
    }

  site = g_new0 (PasFilezillaSite, 1);
  site->session = pas_session_new ();
  g_object_set (site->session,
                "name", field (parse, "Name") != NULL ? field (parse, "Name") : host,
                "host", host,
                "port", (guint) port_value,
                "user", field (parse, "User"),
                "folder", folder->len > 0 ? folder->str : NULL,
                "local-folder", field (parse, "LocalDir"),
                "notes", field (parse, "Comments"),
                NULL);
  switch (logon_value)
    {
    case FZ_LOGON_KEY:
      g_object_set (site->session, "auth", (guint) PAS_AUTH_KEY, "key-file", field (parse, "Keyfile"), NULL);
      break;
    case FZ_LOGON_NORMAL:
    case FZ_LOGON_ASK:
      g_object_set (site->session, "auth", (guint) PAS_AUTH_PASSWORD, NULL);
      break;
    case FZ_LOGON_INTERACTIVE:
      g_object_set (site->session, "auth", (guint) PAS_AUTH_KEYBOARD_INTERACTIVE, NULL);
      break;
    default:
      break;
    }
  if (field (parse, "RemoteDir") != NULL)
    {
      g_autofree char *dir = decode_remote_dir (field (parse, "RemoteDir"));
      if (dir != NULL)
        g_object_set (site->session, "remote-folder", dir, NULL);
    }
  /* Only a "normal" logon keeps a password; base64 is FileZilla's plain
   * storage (a master-password "crypt" one cannot be read without it). */
  if (logon_value == FZ_LOGON_NORMAL && field (parse, "Pass") != NULL &&
      g_strcmp0 (parse->pass_encoding, "base64") == 0)
    {
      gsize len = 0;
      guchar *decoded = g_base64_decode (field (parse, "Pass"), &len);

      if (len > 0 && memchr (decoded, '\0', len) == NULL && g_utf8_validate ((char *) decoded, (gssize) len, NULL))
        site->password = g_strndup ((char *) decoded, len);
      pas_secret_wipe (decoded, len);
      g_free (decoded);
    }
  g_ptr_array_add (parse->sites, site);
}

static void
end_cb (GMarkupParseContext *context,
        const char          *element,
        gpointer             user_data,
        GError             **error)
{
  Parse *parse = user_data;

  parse->depth--;
  if (strcmp (element, "Server") == 0 && parse->in_server)
    {
      finish_server (parse);
      parse->in_server = FALSE;
      g_hash_table_remove_all (parse->fields);
    }
  else if (strcmp (element, "Folder") == 0 && parse->folders->len > 0)
    {
      /* An empty folder's name was all its text. */
      g_free (g_ptr_array_steal_index (parse->folders, parse->folders->len - 1));
    }
  else if (parse->in_server)
    {
      g_hash_table_replace (parse->fields, g_strdup (element), g_strdup (g_strstrip (parse->text->str)));
      if (strcmp (element, "Pass") == 0)
        pas_secret_wipe (parse->text->str, parse->text->len);
    }
  g_string_truncate (parse->text, 0);
}

static void
text_cb (GMarkupParseContext *context,
         const char          *text,
         gsize                length,
         gpointer             user_data,
         GError             **error)
{
  Parse *parse = user_data;

  if (parse->text->len + length > MAX_FIELD)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "a value is too long");
      return;
    }
  g_string_append_len (parse->text, text, (gssize) length);
}

GPtrArray *
pas_filezilla_parse (const char *text,
                     gssize      length,
                     guint      *n_skipped,
                     GError    **error)
{
  static const GMarkupParser parser = { start_cb, end_cb, text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  Parse parse = { 0 };
  GPtrArray *sites;

  parse.sites = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_filezilla_site_free);
  parse.folders = g_ptr_array_new_with_free_func (g_free);
  parse.text = g_string_new (NULL);
  parse.fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  context = g_markup_parse_context_new (&parser, 0, &parse, NULL);

  if (strstr (text, "<FileZilla3") == NULL)
    g_set_error_literal (&local_error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                         _("it is not a FileZilla file"));
  else if (g_markup_parse_context_parse (context, text, length, &local_error))
    g_markup_parse_context_end_parse (context, &local_error);

  pas_secret_wipe (parse.text->str, parse.text->allocated_len);
  g_string_free (parse.text, TRUE);
  g_ptr_array_unref (parse.folders);
  g_hash_table_unref (parse.fields);
  g_free (parse.pass_encoding);
  if (local_error != NULL)
    {
      g_ptr_array_unref (parse.sites);
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED,
                   /* Translators: %s says why, e.g. "it is not a FileZilla file" */
                   _("This Site Manager file cannot be imported: %s"), local_error->message);
      return NULL;
    }
  if (n_skipped != NULL)
    *n_skipped = parse.skipped;
  sites = parse.sites;
  return sites;
}
