#define G_LOG_DOMAIN "pas-known-hosts"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/rand.h>

#include "pas-error.h"
#include "pas-known-hosts.h"

/* Bigger than any real known_hosts, small enough that a hostile file can't eat memory. */
#define MAX_FILE_SIZE (64 * 1024 * 1024)
#define SHA1_LEN 20

typedef enum
{
  MARKER_NONE,
  MARKER_REVOKED,
  MARKER_CERT_AUTHORITY,
} Marker;

typedef struct
{
  Marker      marker;
  char       *patterns;       /* plain comma list, or NULL when hashed */
  GBytes     *salt;           /* hashed entries only */
  GBytes     *hash;
  PasHostKey *key;
  char       *where;          /* "file:line" */
} Entry;

struct _PasKnownHosts
{
  GPtrArray *entries;   /* of Entry */
  GPtrArray *warnings;  /* of char*, NULL-terminated */
};

static void
entry_free (Entry *entry)
{
  g_free (entry->patterns);
  g_clear_pointer (&entry->salt, g_bytes_unref);
  g_clear_pointer (&entry->hash, g_bytes_unref);
  g_clear_pointer (&entry->key, pas_host_key_free);
  g_free (entry->where);
  g_free (entry);
}

PasKnownHosts *
pas_known_hosts_new (void)
{
  PasKnownHosts *self = g_new0 (PasKnownHosts, 1);

  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
  return self;
}

void
pas_known_hosts_free (PasKnownHosts *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

const char * const *
pas_known_hosts_get_warnings (PasKnownHosts *self)
{
  return (const char * const *) self->warnings->pdata;
}

G_GNUC_PRINTF (2, 3)
static void
warn (PasKnownHosts *self,
      const char    *format,
      ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("%s", text);
  /* Keep the array NULL-terminated for get_warnings(). */
  g_ptr_array_index (self->warnings, self->warnings->len - 1) = text;
  g_ptr_array_add (self->warnings, NULL);
}

char *
pas_known_hosts_format_host (const char *host,
                             guint16     port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  if (port == 0 || port == 22)
    return g_steal_pointer (&lower);
  return g_strdup_printf ("[%s]:%u", lower, port);
}

static inline gboolean
same_char (char     a,
           char     b,
           gboolean fold)
{
  return fold ? g_ascii_tolower (a) == g_ascii_tolower (b) : a == b;
}

/* Glob match with '*' and '?', iterative with one backtrack point, so a
 * hostile pattern cannot make it exponential. */
static gboolean
match_glob (const char *name,
            const char *pattern,
            gboolean    fold)
{
  const char *star = NULL;
  const char *resume = NULL;

  while (*name != '\0')
    {
      if (*pattern == '*')
        {
          star = pattern++;
          resume = name;
        }
      else if (*pattern == '?' || same_char (*pattern, *name, fold))
        {
          pattern++;
          name++;
        }
      else if (star != NULL)
        {
          pattern = star + 1;
          name = ++resume;
        }
      else
        return FALSE;
    }
  while (*pattern == '*')
    pattern++;
  return *pattern == '\0';
}

/* Case-insensitive (ASCII), as host names are. */
gboolean
pas_known_hosts_match_pattern (const char *name,
                               const char *pattern)
{
  return match_glob (name, pattern, TRUE);
}

/* One pattern (commas are literal), case-sensitive unless @fold_case. */
gboolean
pas_pattern_match (const char *name,
                   const char *pattern,
                   gboolean    fold_case)
{
  return match_glob (name, pattern, fold_case);
}

static gboolean
hashed_matches (const Entry *entry,
                const char  *name)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[SHA1_LEN];
  gsize len = sizeof digest;
  gsize salt_len;
  const guint8 *salt = g_bytes_get_data (entry->salt, &salt_len);

  hmac = g_hmac_new (G_CHECKSUM_SHA1, salt, salt_len);
  g_hmac_update (hmac, (const guchar *) name, strlen (name));
  g_hmac_get_digest (hmac, digest, &len);
  return len == g_bytes_get_size (entry->hash) &&
         memcmp (digest, g_bytes_get_data (entry->hash, NULL), len) == 0;
}

static gboolean
entry_matches (const Entry *entry,
               const char  *name)
{
  if (entry->patterns == NULL)
    return hashed_matches (entry, name);
  return pas_known_hosts_match_list (entry->patterns, name, TRUE);
}

/* OpenSSH's rule: a comma list matches when some pattern matches and no
 * negated one does. */
gboolean
pas_known_hosts_match_list (const char *list,
                            const char *name,
                            gboolean    fold_case)
{
  g_auto(GStrv) patterns = NULL;
  gboolean matched = FALSE;

  patterns = g_strsplit (list, ",", -1);
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      const char *p = patterns[i];
      gboolean negated = p[0] == '!';

      if (negated)
        p++;
      if (*p == '\0')
        continue;
      if (match_glob (name, p, fold_case))
        {
          if (negated)
            return FALSE;
          matched = TRUE;
        }
    }
  return matched;
}

static gboolean
parse_hashed (Entry      *entry,
              const char *field)
{
  g_auto(GStrv) parts = g_strsplit (field, "|", -1);
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *hash = NULL;
  gsize salt_len = 0, hash_len = 0;

  /* "|1|salt|hash" splits into "", "1", salt, hash. */
  if (g_strv_length (parts) != 4 || strcmp (parts[1], "1") != 0 ||
      strlen (parts[2]) != 28 || strlen (parts[3]) != 28)
    return FALSE;
  salt = g_base64_decode (parts[2], &salt_len);
  hash = g_base64_decode (parts[3], &hash_len);
  if (salt_len != SHA1_LEN || hash_len != SHA1_LEN)
    return FALSE;
  entry->salt = g_bytes_new (salt, salt_len);
  entry->hash = g_bytes_new (hash, hash_len);
  return TRUE;
}

static void
parse_line (PasKnownHosts *self,
            const char    *path,
            guint          line_number,
            char          *line)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  Entry *entry;
  guint n, first = 0;
  char *p = line;

  while (*p == ' ' || *p == '\t')
    p++;
  g_strchomp (p);
  if (*p == '\0' || *p == '#')
    return;

  /* By hand, not with a regex: GRegex refuses text that is not UTF-8 (and
   * answered NULL for such a line — found by fuzzing), and a known_hosts
   * file is bytes. */
  {
    g_auto(GStrv) pieces = g_strsplit_set (p, " \t", -1);
    GPtrArray *kept = g_ptr_array_new ();

    for (guint i = 0; pieces[i] != NULL; i++)
      if (pieces[i][0] != '\0')
        g_ptr_array_add (kept, g_strdup (pieces[i]));
    g_ptr_array_add (kept, NULL);
    fields = (GStrv) g_ptr_array_free (kept, FALSE);
  }
  n = g_strv_length (fields);

  entry = g_new0 (Entry, 1);
  entry->where = g_strdup_printf ("%s:%u", path, line_number);

  if (fields[0][0] == '@')
    {
      if (strcmp (fields[0], "@revoked") == 0)
        entry->marker = MARKER_REVOKED;
      else if (strcmp (fields[0], "@cert-authority") == 0)
        entry->marker = MARKER_CERT_AUTHORITY;
      else
        {
          warn (self, "%s: unknown marker “%s”, line skipped", entry->where, fields[0]);
          entry_free (entry);
          return;
        }
      first = 1;
    }

  if (n < first + 3)
    {
      warn (self, "%s: expected “hosts key-type key”, line skipped", entry->where);
      entry_free (entry);
      return;
    }

  if (fields[first][0] == '|')
    {
      if (!parse_hashed (entry, fields[first]))
        {
          warn (self, "%s: malformed hashed host name, line skipped", entry->where);
          entry_free (entry);
          return;
        }
    }
  else
    entry->patterns = g_ascii_strdown (fields[first], -1);

  entry->key = pas_host_key_new_from_base64 (fields[first + 1], fields[first + 2], &error);
  if (entry->key == NULL)
    {
      warn (self, "%s: %s, line skipped", entry->where, error->message);
      entry_free (entry);
      return;
    }

  g_ptr_array_add (self->entries, entry);
}

/**
 * pas_known_hosts_load:
 *
 * Adds the entries of @path. A missing file is not an error (nothing is on
 * file yet); an unreadable one is.
 */
gboolean
pas_known_hosts_load (PasKnownHosts *self,
                      const char    *path,
                      GError       **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;
  gsize len;

  if (g_stat (path, &st) != 0)
    {
      if (errno == ENOENT || errno == ENOTDIR)
        return TRUE;
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot read the known hosts file %s: %s"), path, g_strerror (errno));
      return FALSE;
    }
  if (st.st_size > MAX_FILE_SIZE)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("The known hosts file %s is too large to be a known hosts file"), path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot read the known hosts file %s: %s"), path, local_error->message);
      return FALSE;
    }
  if (memchr (contents, '\0', len) != NULL)
    {
      warn (self, "%s: contains NUL bytes; only the text before the first one is read", path);
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    parse_line (self, path, i + 1, lines[i]);

  return TRUE;
}

PasHostKeyStatus
pas_known_hosts_check (PasKnownHosts    *self,
                       const char       *host,
                       guint16           port,
                       const PasHostKey *key,
                       char            **where)
{
  g_autofree char *name = pas_known_hosts_format_host (host, port);
  const Entry *known = NULL, *changed = NULL, *other = NULL;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);
      gboolean same_type;

      if (entry->marker == MARKER_CERT_AUTHORITY || !entry_matches (entry, name))
        continue;

      if (entry->marker == MARKER_REVOKED)
        {
          if (pas_host_key_equal (entry->key, key))
            {
              if (where != NULL)
                *where = g_strdup (entry->where);
              return PAS_HOST_KEY_STATUS_REVOKED;
            }
          continue;
        }

      same_type = strcmp (pas_host_key_get_key_type (entry->key), pas_host_key_get_key_type (key)) == 0;
      if (same_type && pas_host_key_equal (entry->key, key))
        known = known != NULL ? known : entry;
      else if (same_type)
        changed = changed != NULL ? changed : entry;
      else
        other = other != NULL ? other : entry;
    }

  if (known != NULL)
    {
      if (where != NULL)
        *where = g_strdup (known->where);
      return PAS_HOST_KEY_STATUS_KNOWN;
    }
  if (changed != NULL)
    {
      if (where != NULL)
        *where = g_strdup (changed->where);
      return PAS_HOST_KEY_STATUS_CHANGED;
    }
  if (other != NULL)
    {
      if (where != NULL)
        *where = g_strdup (other->where);
      return PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN;
    }
  if (where != NULL)
    *where = NULL;
  return PAS_HOST_KEY_STATUS_NEW;
}

char **
pas_known_hosts_get_key_types (PasKnownHosts *self,
                               const char    *host,
                               guint16        port)
{
  g_autofree char *name = pas_known_hosts_format_host (host, port);
  GPtrArray *types = g_ptr_array_new ();

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);
      const char *type = pas_host_key_get_key_type (entry->key);
      gboolean seen = FALSE;

      if (entry->marker != MARKER_NONE || !entry_matches (entry, name))
        continue;
      for (guint j = 0; j < types->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (types, j), type) == 0;
      if (!seen)
        g_ptr_array_add (types, g_strdup (type));
    }
  g_ptr_array_add (types, NULL);
  return (char **) g_ptr_array_free (types, FALSE);
}

char **
pas_known_hosts_lookup (PasKnownHosts *self,
                        const char    *host,
                        guint16        port)
{
  g_autofree char *name = pas_known_hosts_format_host (host, port);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry_matches (entry, name))
        g_ptr_array_add (found, g_strdup (entry->where));
    }
  g_ptr_array_add (found, NULL);
  return (char **) g_ptr_array_free (found, FALSE);
}

const PasHostKey *
pas_known_hosts_get_stored_key (PasKnownHosts *self,
                                const char    *host,
                                guint16        port,
                                const char    *key_type,
                                const char   **where)
{
  g_autofree char *name = pas_known_hosts_format_host (host, port);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->marker == MARKER_NONE && entry_matches (entry, name) &&
          strcmp (pas_host_key_get_key_type (entry->key), key_type) == 0)
        {
          if (where != NULL)
            *where = entry->where;
          return entry->key;
        }
    }
  return NULL;
}

/* Whether ssh-keygen -R would remove @line for @name: a key line (not a
 * marker line, not a comment) whose host field matches. */
static gboolean
line_names_host (const char *line,
                 const char *name)
{
  g_autoptr(PasKnownHosts) one = pas_known_hosts_new ();
  g_autofree char *copy = g_strdup (line);
  const Entry *entry;

  parse_line (one, "", 0, copy);
  if (one->entries->len != 1)
    return FALSE;
  entry = g_ptr_array_index (one->entries, 0);
  return entry->marker == MARKER_NONE && entry_matches (entry, name);
}

static gboolean
write_whole (const char *path,
             const char *contents,
             gsize       len,
             GError    **error)
{
  return g_file_set_contents_full (path, contents, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Writes all of @data to @fd, syncs and closes it (always). FALSE with
 * errno telling why. */
static gboolean
write_sync_close (int         fd,
                  const char *data,
                  gsize       len)
{
  gsize written = 0;
  int saved;

  while (written < len)
    {
      gssize n = write (fd, data + written, len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved = n < 0 ? errno : EIO;
          close (fd);
          errno = saved;
          return FALSE;
        }
      written += n;
    }
  if (fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      errno = saved;
      return FALSE;
    }
  return close (fd) == 0;
}

static gboolean
rewrite_in_place (const char *path,
                  const char *contents,
                  gsize       len)
{
  int fd = g_open (path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0);

  return fd >= 0 && write_sync_close (fd, contents, len);
}

/**
 * pas_known_hosts_remove_host:
 * @n_removed: (out) (optional): how many lines went
 *
 * What `ssh-keygen -R` does to @path: removes every key line whose host
 * field matches @host:@port (plain, wildcard or hashed), keeps @revoked and
 * @cert-authority lines, comments and lines it cannot read, and keeps the
 * previous file as @path.old when it can. The file is replaced atomically
 * where the folder is writable, else rewritten in place. Blocks: call it
 * from a thread.
 */
gboolean
pas_known_hosts_remove_host (const char *path,
                             const char *host,
                             guint16     port,
                             guint      *n_removed,
                             GError    **error)
{
  g_autofree char *name = pas_known_hosts_format_host (host, port);
  g_autofree char *contents = NULL;
  /* A known_hosts that is a link (dotfiles kept elsewhere) stays one: its
   * target is rewritten. */
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *old = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  guint removed = 0;
  gsize len = 0;

  if (n_removed != NULL)
    *n_removed = 0;
  if (real != NULL)
    path = real;
  old = g_strconcat (path, ".old", NULL);
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot read the known hosts file %s: %s"), path, local_error->message);
      return FALSE;
    }
  if (len > MAX_FILE_SIZE || memchr (contents, '\0', len) != NULL)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("The known hosts file %s is not a text file Passerelle can rewrite"), path);
      return FALSE;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (line_names_host (lines[i], name))
        {
          removed++;
          continue;
        }
      g_string_append (kept, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (kept, '\n');
    }
  if (n_removed != NULL)
    *n_removed = removed;
  if (removed == 0)
    return TRUE;

  /* The copy is a courtesy: in the Flatpak only known_hosts itself is
   * writable in ~/.ssh. */
  if (!write_whole (old, contents, len, &local_error))
    {
      g_debug ("no %s: %s", old, local_error->message);
      g_clear_error (&local_error);
    }
  /* Atomically when the folder allows it; else in place (a file granted
   * alone to a sandbox cannot be replaced by a rename). */
  if (!write_whole (path, kept->str, kept->len, &local_error) &&
      !rewrite_in_place (path, kept->str, kept->len))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot write to the known hosts file %s: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
hash_name (const char *name)
{
  guint8 salt[SHA1_LEN];
  guint8 digest[SHA1_LEN];
  gsize len = sizeof digest;
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;

  if (RAND_bytes (salt, sizeof salt) != 1)
    return NULL;
  hmac = g_hmac_new (G_CHECKSUM_SHA1, salt, sizeof salt);
  g_hmac_update (hmac, (const guchar *) name, strlen (name));
  g_hmac_get_digest (hmac, digest, &len);
  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (digest, sizeof digest);
  return g_strdup_printf ("|1|%s|%s", salt64, hash64);
}

static gboolean
ends_without_newline (int fd)
{
  char last = '\n';
  off_t size = lseek (fd, 0, SEEK_END);

  if (size <= 0)
    return FALSE;
  if (pread (fd, &last, 1, size - 1) != 1)
    return FALSE;
  return last != '\n';
}

/**
 * pas_known_hosts_add:
 * @hash: write the host name hashed, as `HashKnownHosts yes` does
 *
 * Appends one line to @path — never rewrites it, so lines written by other
 * tools and comments stay as they are — creating the file (and a missing
 * parent folder, mode 0700) when needed, then adds the entry to @self.
 */
gboolean
pas_known_hosts_add (PasKnownHosts    *self,
                     const char       *path,
                     const char       *host,
                     guint16           port,
                     const PasHostKey *key,
                     gboolean          hash,
                     GError          **error)
{
  g_autofree char *name = pas_known_hosts_format_host (host, port);
  g_autofree char *field = hash ? hash_name (name) : g_strdup (name);
  g_autofree char *key64 = pas_host_key_to_base64 (key);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *line = NULL;
  g_autofree char *stored_line = NULL;
  int fd;

  if (field == NULL)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS, _("Could not make a random salt"));
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (errno));
      return FALSE;
    }

  /* O_RDWR: ends_without_newline() reads the last byte back. */
  fd = g_open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot write to the known hosts file %s: %s"), path, g_strerror (errno));
      return FALSE;
    }

  line = g_strdup_printf ("%s%s %s %s\n", ends_without_newline (fd) ? "\n" : "",
                          field, pas_host_key_get_key_type (key), key64);
  if (!write_sync_close (fd, line, strlen (line)))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                   _("Cannot write to the known hosts file %s: %s"), path, g_strerror (errno));
      return FALSE;
    }

  stored_line = g_strdup (line[0] == '\n' ? line + 1 : line);
  parse_line (self, path, 0, stored_line);
  return TRUE;
}
