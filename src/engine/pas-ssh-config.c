#define G_LOG_DOMAIN "pas-ssh-config"

#include "config.h"

#include <glob.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-known-hosts.h"
#include "pas-ssh-config.h"

/* OpenSSH's own limits: Include nesting and line length. */
#define MAX_DEPTH 16
#define MAX_LINE 4096

typedef struct _ConfigFile ConfigFile;

typedef struct
{
  char       *keyword;     /* lower case */
  char      **args;
  char       *rest;        /* the line after the keyword, as written (ProxyCommand) */
  char       *where;       /* "file:line" */
  GPtrArray  *included;    /* Include: of ConfigFile */
} Line;

struct _ConfigFile
{
  GPtrArray *lines;        /* of Line */
};

struct _PasSshConfig
{
  ConfigFile *top;
  GPtrArray  *warnings;    /* of char*, NULL-terminated */
};

static void
line_free (Line *line)
{
  g_free (line->keyword);
  g_strfreev (line->args);
  g_free (line->rest);
  g_free (line->where);
  g_clear_pointer (&line->included, g_ptr_array_unref);
  g_free (line);
}

static void
config_file_free (ConfigFile *file)
{
  g_ptr_array_unref (file->lines);
  g_free (file);
}

static void
warn (PasSshConfig *self,
      const char   *where,
      const char   *why)
{
  g_ptr_array_insert (self->warnings, self->warnings->len - 1, g_strdup_printf ("%s: %s", where, why));
}

/* Splits a line as OpenSSH does: words separated by blanks, the first one
 * possibly by "=", double quotes keeping blanks. NULL for an unterminated
 * quote. */
static char **
split_words (const char *text)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  const char *p = text;
  gboolean first = TRUE;

  for (;;)
    {
      g_autoptr(GString) word = g_string_new (NULL);

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');
          if (end == NULL)
            return NULL;
          g_string_append_len (word, p + 1, end - p - 1);
          p = end + 1;
        }
      else
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '"' && !(first && *p == '='))
          g_string_append_c (word, *p++);
      g_strv_builder_add (words, word->str);
      /* keyword=value, keyword = value */
      if (first)
        {
          while (*p == ' ' || *p == '\t')
            p++;
          if (*p == '=')
            p++;
          first = FALSE;
        }
    }
  return g_strv_builder_end (words);
}

/* What follows the keyword and its separator ("Key value", "Key=value"),
 * untouched: ProxyCommand is a shell command, quotes and all. */
static const char *
rest_of_line (const char *text)
{
  const char *p = text + strcspn (text, " \t=");

  p += strspn (p, " \t");
  if (*p == '=')
    p += 1 + strspn (p + 1, " \t");
  return p;
}

static ConfigFile *read_file (PasSshConfig *self, const char *path, guint depth);

static void
read_include (PasSshConfig *self,
              Line         *line,
              guint         depth)
{
  line->included = g_ptr_array_new_with_free_func ((GDestroyNotify) config_file_free);
  if (depth + 1 > MAX_DEPTH)
    {
      warn (self, line->where, _("Include is nested too deeply"));
      return;
    }
  for (guint i = 0; line->args[i] != NULL; i++)
    {
      g_autofree char *pattern = NULL;
      glob_t found = { 0 };

      /* Relative to ~/.ssh, as for a user's own config. */
      if (line->args[i][0] == '~' && line->args[i][1] == '/')
        pattern = g_build_filename (g_get_home_dir (), line->args[i] + 2, NULL);
      else if (g_path_is_absolute (line->args[i]))
        pattern = g_strdup (line->args[i]);
      else
        pattern = g_build_filename (g_get_home_dir (), ".ssh", line->args[i], NULL);
      if (glob (pattern, 0, NULL, &found) == 0)
        for (gsize j = 0; j < found.gl_pathc; j++)
          {
            ConfigFile *file = read_file (self, found.gl_pathv[j], depth + 1);
            if (file != NULL)
              g_ptr_array_add (line->included, file);
          }
      globfree (&found);
    }
}

static ConfigFile *
read_file (PasSshConfig *self,
           const char   *path,
           guint         depth)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  ConfigFile *file;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_autofree char *why = g_strdup_printf (_("cannot be read: %s"), error->message);
      warn (self, path, why);
      return NULL;
    }
  file = g_new0 (ConfigFile, 1);
  file->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u", path, i + 1);
      g_auto(GStrv) words = NULL;
      char *text = g_strstrip (lines[i]);
      Line *line;

      if (*text == '\0' || *text == '#')
        continue;
      if (strlen (text) > MAX_LINE)
        {
          warn (self, where, _("the line is too long"));
          continue;
        }
      words = split_words (text);
      if (words == NULL)
        {
          warn (self, where, _("a quote is not closed"));
          continue;
        }
      if (words[0] == NULL || words[1] == NULL)
        {
          warn (self, where, _("the keyword has no value"));
          continue;
        }
      line = g_new0 (Line, 1);
      line->keyword = g_ascii_strdown (words[0], -1);
      line->args = g_strdupv (words + 1);
      line->rest = g_strdup (rest_of_line (text));
      line->where = g_steal_pointer (&where);
      g_ptr_array_add (file->lines, line);
      if (strcmp (line->keyword, "include") == 0)
        read_include (self, line, depth);
    }
  return file;
}

PasSshConfig *
pas_ssh_config_load (const char *path,
                     GError    **error)
{
  g_autofree char *default_path = g_build_filename (g_get_home_dir (), ".ssh", "config", NULL);
  PasSshConfig *self;

  if (path == NULL)
    path = default_path;
  if (g_file_test (path, G_FILE_TEST_EXISTS) && access (path, R_OK) != 0)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED, _("“%s” cannot be read"), path);
      return NULL;
    }
  self = g_new0 (PasSshConfig, 1);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    self->top = read_file (self, path, 0);
  if (self->top == NULL)
    {
      self->top = g_new0 (ConfigFile, 1);
      self->top->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
    }
  for (guint i = 0; i + 1 < self->warnings->len; i++)
    g_message ("ignoring %s", (const char *) g_ptr_array_index (self->warnings, i));
  return self;
}

void
pas_ssh_config_free (PasSshConfig *self)
{
  if (self == NULL)
    return;
  config_file_free (self->top);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

const char * const *
pas_ssh_config_get_warnings (PasSshConfig *self)
{
  return (const char * const *) self->warnings->pdata;
}

static void
collect_hosts (ConfigFile   *file,
               GStrvBuilder *out,
               GHashTable   *seen)
{
  for (guint i = 0; i < file->lines->len; i++)
    {
      Line *line = g_ptr_array_index (file->lines, i);

      if (strcmp (line->keyword, "host") == 0)
        {
          for (guint j = 0; line->args[j] != NULL; j++)
            if (strpbrk (line->args[j], "*?!") == NULL && g_hash_table_add (seen, line->args[j]))
              g_strv_builder_add (out, line->args[j]);
        }
      else if (line->included != NULL)
        for (guint j = 0; j < line->included->len; j++)
          collect_hosts (g_ptr_array_index (line->included, j), out, seen);
    }
}

char **
pas_ssh_config_list_hosts (PasSshConfig *self)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  collect_hosts (self->top, out, seen);
  return g_strv_builder_end (out);
}

/* ---- resolving ----------------------------------------------------------- */

typedef struct
{
  PasSshConfig *config;
  PasSshHost   *host;
  const char   *default_user;
  GPtrArray    *identities;    /* unexpanded */
  gboolean      identities_only_set;
  gboolean      proxy_set;     /* ProxyJump or ProxyCommand: the first one wins */
  char        **user_known_hosts;    /* unexpanded */
  char        **global_known_hosts;
} Resolve;

static gboolean
host_line_matches (Resolve *r,
                   char   **patterns)
{
  gboolean matched = FALSE;

  /* As OpenSSH: each whitespace-separated argument is one pattern (a comma
   * is literal here, unlike in Match), compared case-sensitively with the
   * alias; a negated pattern that matches rejects the whole line. */
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      gboolean negated = patterns[i][0] == '!';

      if (pas_pattern_match (r->host->alias, patterns[i] + (negated ? 1 : 0), FALSE))
        {
          if (negated)
            return FALSE;
          matched = TRUE;
        }
    }
  return matched;
}

/* Match criteria; "exec" is never run (a config must not run commands for
 * us), and neither it nor "canonical"/"final" ever match. */
static gboolean
match_line_matches (Resolve *r,
                    Line    *line)
{
  const char *current_host = r->host->hostname != NULL ? r->host->hostname : r->host->alias;
  const char *current_user = r->host->user != NULL ? r->host->user : r->default_user;

  for (guint i = 0; line->args[i] != NULL; i++)
    {
      const char *criterion = line->args[i];
      gboolean negate = criterion[0] == '!';
      g_autofree char *name = g_ascii_strdown (criterion + negate, -1);
      const char *value = line->args[i + 1];
      gboolean result;

      if (strcmp (name, "all") == 0)
        result = TRUE;
      else if (strcmp (name, "canonical") == 0 || strcmp (name, "final") == 0)
        result = FALSE;
      else if (value == NULL)
        {
          warn (r->config, line->where, _("Match criterion without a value"));
          return FALSE;
        }
      else
        {
          i++;
          if (strcmp (name, "host") == 0)
            result = pas_known_hosts_match_list (value, current_host, TRUE);
          else if (strcmp (name, "originalhost") == 0)
            result = pas_known_hosts_match_list (value, r->host->alias, TRUE);
          else if (strcmp (name, "user") == 0)
            result = pas_known_hosts_match_list (value, current_user, FALSE);
          else if (strcmp (name, "localuser") == 0)
            result = pas_known_hosts_match_list (value, g_get_user_name (), FALSE);
          else
            result = FALSE;   /* exec and anything unknown */
        }
      if (result == negate)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_yes_no (const char *value,
              gboolean   *out)
{
  if (g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "true") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "false") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_number (const char *value,
              guint64     max,
              guint64    *out)
{
  return g_ascii_string_to_unsigned (value, 10, 0, max, out, NULL);
}

/* First value wins, except IdentityFile, which adds up. */
static void
apply (Resolve *r,
       Line    *line)
{
  PasSshHost *h = r->host;
  const char *value = line->args[0];
  const char *k = line->keyword;
  guint64 n;

  if (strcmp (k, "hostname") == 0 && h->hostname == NULL)
    {
      g_autoptr(GString) expanded = g_string_new (value);
      /* HostName knows only %h and %%. */
      g_string_replace (expanded, "%%", "\001", 0);
      g_string_replace (expanded, "%h", h->alias, 0);
      g_string_replace (expanded, "\001", "%", 0);
      h->hostname = g_ascii_strdown (expanded->str, -1);
    }
  else if (strcmp (k, "user") == 0 && h->user == NULL)
    h->user = g_strdup (value);
  else if (strcmp (k, "port") == 0 && h->port == 0)
    {
      if (parse_number (value, 65535, &n) && n > 0)
        h->port = (guint16) n;
      else
        warn (r->config, line->where, _("the port is not a number from 1 to 65535"));
    }
  else if (strcmp (k, "identityfile") == 0)
    g_ptr_array_add (r->identities, g_strdup (value));
  else if (strcmp (k, "identitiesonly") == 0 && !r->identities_only_set)
    {
      if (parse_yes_no (value, &h->identities_only))
        r->identities_only_set = TRUE;
      else
        warn (r->config, line->where, _("expected yes or no"));
    }
  else if (strcmp (k, "proxyjump") == 0 && !r->proxy_set)
    {
      r->proxy_set = TRUE;
      /* "ProxyJump none" stops a later, wider Host from setting one. */
      if (g_ascii_strcasecmp (value, "none") != 0)
        h->proxy_jump = g_strdup (value);
    }
  else if (strcmp (k, "proxycommand") == 0 && !r->proxy_set)
    {
      r->proxy_set = TRUE;
      if (g_ascii_strcasecmp (value, "none") != 0)
        h->proxy_command = g_strdup (line->rest);
    }
  else if (strcmp (k, "ciphers") == 0 && h->ciphers == NULL)
    h->ciphers = g_strdup (value);
  else if (strcmp (k, "macs") == 0 && h->macs == NULL)
    h->macs = g_strdup (value);
  else if (strcmp (k, "userknownhostsfile") == 0 && r->user_known_hosts == NULL)
    r->user_known_hosts = g_strdupv (line->args);
  else if (strcmp (k, "globalknownhostsfile") == 0 && r->global_known_hosts == NULL)
    r->global_known_hosts = g_strdupv (line->args);
  else if (strcmp (k, "hashknownhosts") == 0 && !h->hash_known_hosts_set)
    {
      if (parse_yes_no (value, &h->hash_known_hosts))
        h->hash_known_hosts_set = TRUE;
      else
        warn (r->config, line->where, _("expected yes or no"));
    }
  else if (strcmp (k, "connecttimeout") == 0 && h->connect_timeout == 0)
    {
      if (parse_number (value, 3600, &n))
        h->connect_timeout = (guint) n;
    }
  else if (strcmp (k, "serveraliveinterval") == 0 && h->server_alive_interval == 0)
    {
      if (parse_number (value, 86400, &n))
        h->server_alive_interval = (guint) n;
    }
}

static void
walk (Resolve    *r,
      ConfigFile *file,
      gboolean    active)
{
  for (guint i = 0; i < file->lines->len; i++)
    {
      Line *line = g_ptr_array_index (file->lines, i);

      if (strcmp (line->keyword, "host") == 0)
        active = host_line_matches (r, line->args);
      else if (strcmp (line->keyword, "match") == 0)
        active = match_line_matches (r, line);
      else if (!active)
        continue;
      else if (line->included != NULL)
        /* Host and Match inside an included file end with it. */
        for (guint j = 0; j < line->included->len; j++)
          walk (r, g_ptr_array_index (line->included, j), active);
      else
        apply (r, line);
    }
}

/* %h %p %r %u %d %% %n %l and a leading ~ in a path; NULL for an unknown token. */
static char *
expand_path (PasSshHost *h,
             const char *path)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *port = g_strdup_printf ("%u", h->port != 0 ? h->port : 22);
  char local_host[256] = "";

  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    {
      g_string_append (out, g_get_home_dir ());
      path++;
    }
  gethostname (local_host, sizeof local_host - 1);
  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      switch (*++p)
        {
        case '%': g_string_append_c (out, '%'); break;
        case 'h': g_string_append (out, h->hostname); break;
        case 'n': g_string_append (out, h->alias); break;
        case 'p': g_string_append (out, port); break;
        case 'r': g_string_append (out, h->user); break;
        case 'u': g_string_append (out, g_get_user_name ()); break;
        case 'd': g_string_append (out, g_get_home_dir ()); break;
        case 'l': g_string_append_len (out, local_host, strcspn (local_host, ".")); break;
        default: return NULL;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* UserKnownHostsFile and GlobalKnownHostsFile: NULL when not set, and
 * empty for "none". */
static char **
expand_paths (PasSshHost *h,
              char      **paths)
{
  g_autoptr(GStrvBuilder) out = NULL;

  if (paths == NULL)
    return NULL;
  out = g_strv_builder_new ();
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (g_ascii_strcasecmp (paths[i], "none") == 0)
        continue;
      path = expand_path (h, paths[i]);
      if (path != NULL)
        g_strv_builder_add (out, path);
    }
  return g_strv_builder_end (out);
}

PasSshHost *
pas_ssh_config_resolve (PasSshConfig *self,
                        const char   *alias,
                        const char   *user,
                        guint16       port)
{
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) expanded = g_strv_builder_new ();
  PasSshHost *h = g_new0 (PasSshHost, 1);
  Resolve r = { self, h, g_get_user_name (), identities, FALSE, FALSE, NULL, NULL };

  h->alias = g_strdup (alias);
  /* Given on the command line: set first, so the config's value loses. */
  h->user = g_strdup (user);
  h->port = port;
  walk (&r, self->top, TRUE);
  if (h->hostname == NULL)
    h->hostname = g_ascii_strdown (alias, -1);
  if (h->user == NULL)
    h->user = g_strdup (r.default_user);
  for (guint i = 0; i < identities->len; i++)
    {
      g_autofree char *path = expand_path (h, g_ptr_array_index (identities, i));

      if (path != NULL)
        g_strv_builder_add (expanded, path);
      else
        g_message ("ignoring IdentityFile %s: unknown %% token", (const char *) g_ptr_array_index (identities, i));
    }
  h->identity_files = g_strv_builder_end (expanded);
  h->user_known_hosts_files = expand_paths (h, r.user_known_hosts);
  h->global_known_hosts_files = expand_paths (h, r.global_known_hosts);
  g_strfreev (r.user_known_hosts);
  g_strfreev (r.global_known_hosts);
  return h;
}

void
pas_ssh_host_free (PasSshHost *host)
{
  if (host == NULL)
    return;
  g_free (host->alias);
  g_free (host->hostname);
  g_free (host->user);
  g_strfreev (host->identity_files);
  g_free (host->proxy_jump);
  g_free (host->proxy_command);
  g_free (host->ciphers);
  g_free (host->macs);
  g_strfreev (host->user_known_hosts_files);
  g_strfreev (host->global_known_hosts_files);
  g_free (host);
}
