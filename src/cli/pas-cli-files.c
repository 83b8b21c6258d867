/* The file commands of passerelle-cli (ls, stat, mkdir, rm, mv, chmod) and
 * what they print, as text or JSON. */

#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-cli.h"

typedef struct
{
  const char *folder;
  GPtrArray  *files;   /* of PasRemoteFile */
} Collect;

static void
collect_cb (GPtrArray *names,
            gpointer   data)
{
  Collect *collect = data;

  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (collect->files, pas_remote_file_new (collect->folder, g_ptr_array_index (names, i)));
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  return strcmp (pas_remote_file_get_name (*(PasRemoteFile **) a), pas_remote_file_get_name (*(PasRemoteFile **) b));
}

/* The whole folder, sorted by name. */
static GPtrArray *
remote_list (Cli        *cli,
             const char *path,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  Collect collect = { path, files };

  pas_sftp_session_list_async (cli->sftp, path, collect_cb, &collect, NULL, pas_cli_store_cb, &result);
  if (!pas_sftp_session_list_finish (cli->sftp, pas_cli_wait_for (&result), error))
    return NULL;
  g_ptr_array_sort (files, compare_files);
  return g_steal_pointer (&files);
}

/* ---- output -------------------------------------------------------------- */

void
pas_cli_json_string (GString    *out,
                     const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/* Ends a JSON object and writes it as one line. GLib's inline
 * g_string_append() tests its string for NULL, so GCC 14 believes `out` may
 * be NULL after one and warns on out->str unless told otherwise here. */
void
pas_cli_json_print (GString *out)
{
  g_return_if_fail (out != NULL);

  g_string_append (out, "}\n");
  fputs (out->str, stdout);
}

static const char *
type_name (GFileType type)
{
  switch (type)
    {
    case G_FILE_TYPE_REGULAR:
      return "file";
    case G_FILE_TYPE_DIRECTORY:
      return "directory";
    case G_FILE_TYPE_SYMBOLIC_LINK:
      return "symlink";
    case G_FILE_TYPE_SPECIAL:
      return "special";
    default:
      return "unknown";
    }
}

static char *
mode_string (PasRemoteFile *file)
{
  static const char kinds[] = "?pc?d?b?-?l?s???";
  guint32 mode = pas_remote_file_get_mode (file);
  char s[11];

  if (!pas_remote_file_has_mode (file))
    return g_strdup ("??????????");
  s[0] = kinds[(mode >> 12) & 0xf];
  for (int i = 0; i < 9; i++)
    s[1 + i] = (mode & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
  if (mode & 04000)
    s[3] = (mode & 0100) ? 's' : 'S';
  if (mode & 02000)
    s[6] = (mode & 010) ? 's' : 'S';
  if (mode & 01000)
    s[9] = (mode & 01) ? 't' : 'T';
  s[10] = '\0';
  return g_strdup (s);
}

static void
print_file (Cli           *cli,
            PasRemoteFile *file,
            gboolean       long_format)
{
  if (cli->json)
    {
      g_autoptr(GString) out = g_string_new ("{\"name\":");

      pas_cli_json_string (out, pas_remote_file_get_display_name (file));
      g_string_append (out, ",\"path\":");
      pas_cli_json_string (out, pas_remote_file_get_path (file));
      g_string_append_printf (out, ",\"type\":\"%s\"", type_name (pas_remote_file_get_file_type (file)));
      if (pas_remote_file_has_size (file))
        g_string_append_printf (out, ",\"size\":%" G_GUINT64_FORMAT, pas_remote_file_get_size (file));
      if (pas_remote_file_has_mtime (file))
        g_string_append_printf (out, ",\"mtime\":%" G_GINT64_FORMAT, pas_remote_file_get_mtime (file));
      if (pas_remote_file_has_mode (file))
        g_string_append_printf (out, ",\"mode\":\"%04o\"", pas_remote_file_get_mode (file) & 07777);
      pas_cli_json_print (out);
    }
  else if (long_format)
    {
      g_autofree char *mode = mode_string (file);
      g_autoptr(GDateTime) mtime = g_date_time_new_from_unix_local (pas_remote_file_get_mtime (file));
      g_autofree char *when = mtime != NULL ? g_date_time_format (mtime, "%Y-%m-%d %H:%M") : g_strdup ("?");
      g_autofree char *owner = pas_remote_file_get_owner_name (file) != NULL
                               ? g_strdup (pas_remote_file_get_owner_name (file))
                               : g_strdup_printf ("%u", pas_remote_file_get_uid (file));
      g_autofree char *group = pas_remote_file_get_group_name (file) != NULL
                               ? g_strdup (pas_remote_file_get_group_name (file))
                               : g_strdup_printf ("%u", pas_remote_file_get_gid (file));

      g_print ("%s %-8s %-8s %12" G_GUINT64_FORMAT " %s %s\n", mode, owner, group,
               pas_remote_file_get_size (file), when, pas_remote_file_get_display_name (file));
    }
  else
    g_print ("%s\n", pas_remote_file_get_display_name (file));
}

static PasRemoteFile *
file_from_stat (const char         *path,
                const PasSftpAttrs *attrs)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  PasSftpName name = { base, strlen (base), NULL, *attrs };

  return pas_remote_file_new (dir, &name);
}

/* ---- commands ------------------------------------------------------------ */

int
pas_cli_ls (Cli        *cli,
            const char *path,
            gboolean    long_format,
            gboolean    all)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  PasSftpAttrs attrs;

  if (!pas_cli_remote_stat (cli, path, TRUE, &attrs, &error))
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  if ((attrs.permissions & 0170000) != 0040000)
    {
      g_autoptr(PasRemoteFile) file = file_from_stat (path, &attrs);
      print_file (cli, file, long_format);
      return EXIT_OK;
    }
  files = remote_list (cli, path, &error);
  if (files == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  for (guint i = 0; i < files->len; i++)
    {
      PasRemoteFile *file = g_ptr_array_index (files, i);
      if (all || pas_remote_file_get_name (file)[0] != '.')
        print_file (cli, file, long_format);
    }
  return EXIT_OK;
}

int
pas_cli_stat (Cli        *cli,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasRemoteFile) file = NULL;
  PasSftpAttrs attrs;

  if (!pas_cli_remote_stat (cli, path, FALSE, &attrs, &error))
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  file = file_from_stat (path, &attrs);
  if (cli->json)
    print_file (cli, file, TRUE);
  else
    {
      g_autofree char *mode = mode_string (file);

      /* One translated label per line: a G_*_FORMAT macro cannot sit in a translated string. */
      g_print ("%s %s\n", _("Path:"), pas_remote_file_get_display_name (file));
      g_print ("%s %s\n", _("Type:"), type_name (pas_remote_file_get_file_type (file)));
      g_print ("%s %" G_GUINT64_FORMAT "\n", _("Size:"), pas_remote_file_get_size (file));
      g_print ("%s %s (%04o)\n", _("Mode:"), mode, pas_remote_file_get_mode (file) & 07777);
      g_print ("%s %u %s %u\n", _("Owner:"), pas_remote_file_get_uid (file), _("Group:"),
               pas_remote_file_get_gid (file));
      g_print ("%s %" G_GINT64_FORMAT "\n", _("Modified:"), pas_remote_file_get_mtime (file));
    }
  return EXIT_OK;
}

int
pas_cli_mkdir (Cli        *cli,
               const char *path,
               gboolean    parents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  if (parents)
    {
      pas_sftp_session_make_directories_async (cli->sftp, path, 0777, NULL, pas_cli_store_cb, &result);
      ok = pas_sftp_session_make_directories_finish (cli->sftp, pas_cli_wait_for (&result), &error);
    }
  else
    {
      pas_sftp_session_mkdir_async (cli->sftp, path, 0777, NULL, pas_cli_store_cb, &result);
      ok = pas_sftp_session_mkdir_finish (cli->sftp, pas_cli_wait_for (&result), &error);
    }
  if (!ok)
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  return EXIT_OK;
}

int
pas_cli_rm (Cli        *cli,
            const char *path,
            gboolean    recursive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PasSftpAttrs attrs;

  if (!pas_cli_remote_stat (cli, path, FALSE, &attrs, &error))
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  if ((attrs.permissions & 0170000) == 0040000 && !recursive)
    {
      g_printerr (_("passerelle-cli: “%s” is a folder; use rm -r\n"), path);
      return EXIT_REMOTE;
    }
  pas_sftp_session_remove_tree_async (cli->sftp, path, NULL, pas_cli_store_cb, &result);
  if (!pas_sftp_session_remove_tree_finish (cli->sftp, pas_cli_wait_for (&result), &error))
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  return EXIT_OK;
}

int
pas_cli_mv (Cli        *cli,
            const char *from,
            const char *to_arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = g_path_get_dirname (from);
  g_autofree char *to = to_arg[0] == '/' ? g_strdup (to_arg) : g_build_filename (dir, to_arg, NULL);

  pas_sftp_session_rename_async (cli->sftp, from, to, TRUE, NULL, pas_cli_store_cb, &result);
  if (!pas_sftp_session_rename_finish (cli->sftp, pas_cli_wait_for (&result), &error))
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  return EXIT_OK;
}

int
pas_cli_chmod (Cli        *cli,
               const char *mode_text,
               const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_PERMISSIONS };
  guint64 mode;

  if (!g_ascii_string_to_unsigned (mode_text, 8, 0, 07777, &mode, NULL))
    {
      g_printerr (_("passerelle-cli: “%s” is not an octal mode such as 644\n"), mode_text);
      return EXIT_USAGE;
    }
  attrs.permissions = (guint32) mode;
  pas_sftp_session_setstat_async (cli->sftp, path, &attrs, NULL, pas_cli_store_cb, &result);
  if (!pas_sftp_session_setstat_finish (cli->sftp, pas_cli_wait_for (&result), &error))
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  return EXIT_OK;
}
