#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pas-error.h"
#include "pas-names.h"
#include "pas-remote-file.h"
#include "pas-sftp-list.h"
#include "pas-transfer-run-private.h"

/* The walks of a tree transfer: the server's folders listed (streamed) into
 * local ones, local folders enumerated into the server's. Each folder met
 * becomes a DirItem, each file a PasFileJob of the run. */

/* ---- downloads: walking the server's folders ----------------------------- */

static gboolean
make_local_dir (GFile   *dir,
                guint32  mode,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (g_file_make_directory (dir, NULL, &local_error))
    {
      /* Keep it writable by us, whatever the source's mode, to fill it. */
      if (mode != 0)
        g_file_set_attribute_uint32 (dir, G_FILE_ATTRIBUTE_UNIX_MODE, (mode & 0777) | 0700,
                                     G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      return TRUE;
    }
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  info = g_file_query_info (dir, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *name = g_file_get_parse_name (dir);
      g_set_error (error, PAS_ERROR, PAS_ERROR_EXISTS, _("“%s” is in the way of a folder"), name);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  PasTransferRun *run;
  DirItem        *item;
} Walk;

static void
walk_free (Walk *walk)
{
  pas_transfer_dir_item_free (walk->item);
  g_free (walk);
}

static void
walk_done (PasTransferRun *run)
{
  run->walking--;
  pas_transfer_run_schedule (run);
}

/* A link met while walking, followed on request: where it is, what it
 * points to (job.source, once known), how deep. */
typedef struct
{
  PasFileJob  job;
  guint       depth;
} Link;

static void
link_free (Link *link)
{
  pas_file_job_clear (&link->job);
  g_free (link);
}

static void
link_realpath_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Link *link = data;
  PasTransferRun *run = link->job.run;
  g_autoptr(GError) error = NULL;
  g_autofree char *real = pas_sftp_session_realpath_finish (PAS_SFTP_SESSION (source), result, &error);

  if (real == NULL)
    pas_transfer_run_record_failure (run, g_error_new (error->domain, error->code, "%s: %s", link->job.name,
                                                       error->message));
  else if (g_hash_table_add (run->visited, g_steal_pointer (&real)))
    pas_transfer_run_add_dir (run, link->job.remote, link->job.local, link->depth, link->job.source.permissions,
                              link->job.name);
  else
    pas_transfer_run_count_skipped (run);   /* a loop */
  link_free (link);
  walk_done (run);
}

static void
link_stat_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Link *link = data;
  PasTransferRun *run = link->job.run;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_stat_finish (PAS_SFTP_SESSION (source), result, &link->job.source, &error))
    pas_transfer_run_record_failure (run, g_error_new (error->domain, error->code, "%s: %s", link->job.name,
                                                       error->message));
  else if ((link->job.source.permissions & 0170000) == 0040000)
    {
      pas_sftp_session_realpath_async (run->session, link->job.remote, run->cancellable, link_realpath_cb, link);
      return;
    }
  else if ((link->job.source.permissions & 0170000) == 0100000)
    pas_transfer_run_add_file (run, link->job.remote, link->job.local, &link->job.source, link->job.name);
  else
    pas_transfer_run_count_skipped (run);
  link_free (link);
  walk_done (run);
}

static void
list_batch_cb (GPtrArray *names,
               gpointer   data)
{
  Walk *walk = data;
  PasTransferRun *run = walk->run;

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(PasRemoteFile) file = pas_remote_file_new (walk->item->remote, g_ptr_array_index (names, i));
      const PasSftpName *name = g_ptr_array_index (names, i);
      const char *shown = pas_remote_file_get_display_name (file);
      g_autoptr(GFile) local = NULL;

      if (!pas_remote_file_is_name_safe (file))
        {
          pas_transfer_run_record_failure (run, g_error_new (PAS_ERROR, PAS_ERROR_UNSAFE_NAME,
                                            _("The server listed an unusable name, “%s”"), shown));
          continue;
        }
      local = g_file_get_child (walk->item->local, pas_remote_file_get_name (file));
      switch (pas_remote_file_get_file_type (file))
        {
        case G_FILE_TYPE_REGULAR:
          pas_transfer_run_add_file (run, pas_remote_file_get_path (file), local, &name->attrs, shown);
          break;
        case G_FILE_TYPE_DIRECTORY:
          pas_transfer_run_add_dir (run, pas_remote_file_get_path (file), local, walk->item->depth + 1,
                                    name->attrs.permissions, shown);
          break;
        case G_FILE_TYPE_SYMBOLIC_LINK:
          if (run->self->follow_symlinks)
            {
              Link *link = g_new0 (Link, 1);

              link->job.run = run;
              link->job.remote = g_strdup (pas_remote_file_get_path (file));
              link->job.local = g_steal_pointer (&local);
              link->job.name = g_strdup (shown);
              link->depth = walk->item->depth + 1;
              run->walking++;
              pas_sftp_session_stat_async (run->session, link->job.remote, TRUE, run->cancellable, link_stat_cb, link);
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          /* Links (unless followed), devices, sockets: not copied. */
          pas_transfer_run_count_skipped (run);
          break;
        }
    }
  g_atomic_int_set (&run->self->progress_dirty, TRUE);
  pas_transfer_run_schedule (run);
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Walk *walk = data;
  PasTransferRun *run = walk->run;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_list_finish (PAS_SFTP_SESSION (source), result, &error))
    pas_transfer_run_record_failure (run, g_steal_pointer (&error));
  walk_free (walk);
  walk_done (run);
}

void
pas_transfer_run_walk_download (PasTransferRun *run,
                                DirItem        *item)
{
  g_autoptr(GError) error = NULL;
  Walk *walk;

  if (!make_local_dir (item->local, run->options.preserve ? item->mode : 0, &error))
    {
      pas_transfer_run_record_failure (run, g_steal_pointer (&error));
      pas_transfer_dir_item_free (item);
      walk_done (run);
      return;
    }
  walk = g_new0 (Walk, 1);
  walk->run = run;
  walk->item = item;
  pas_sftp_session_list_async (run->session, item->remote, list_batch_cb, walk, run->cancellable, list_done_cb, walk);
}

/* ---- uploads: walking local folders -------------------------------------- */

PasSftpAttrs
pas_transfer_attrs_from_info (GFileInfo *info)
{
  PasSftpAttrs attrs = { 0 };

  attrs.flags = PAS_SFTP_ATTR_SIZE;
  attrs.size = g_file_info_get_size (info);
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    {
      attrs.flags |= PAS_SFTP_ATTR_ACMODTIME;
      attrs.mtime = attrs.atime = (guint32) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE))
    {
      attrs.flags |= PAS_SFTP_ATTR_PERMISSIONS;
      attrs.permissions = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE);
    }
  return attrs;
}

/* A folder reached twice (through links) would loop. */
gboolean
pas_transfer_run_first_visit (PasTransferRun *run,
                              GFileInfo      *info)
{
  return g_hash_table_add (run->visited, g_strdup_printf ("%u:%" G_GUINT64_FORMAT,
                           g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_DEVICE),
                           g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE)));
}

/* Sorts one local entry into files, folders and what is not copied. */
static void
add_local_entry (PasTransferRun *run,
                 DirItem        *parent,
                 GFile          *child,
                 GFileInfo      *info)
{
  g_autofree char *remote = g_build_path ("/", parent->remote, g_file_info_get_name (info), NULL);
  g_autofree char *shown = pas_name_escape_for_display (g_file_info_get_display_name (info), -1);
  g_autoptr(GFileInfo) followed = NULL;
  PasSftpAttrs attrs;

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_SYMBOLIC_LINK)
    {
      if (!run->self->follow_symlinks ||
          (followed = g_file_query_info (child, LOCAL_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, NULL)) == NULL)
        {
          pas_transfer_run_count_skipped (run);
          return;
        }
      info = followed;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && !pas_transfer_run_first_visit (run, info))
        {
          pas_transfer_run_count_skipped (run);
          return;
        }
    }
  attrs = pas_transfer_attrs_from_info (info);
  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
      pas_transfer_run_add_file (run, remote, child, &attrs, shown);
      break;
    case G_FILE_TYPE_DIRECTORY:
      pas_transfer_run_add_dir (run, remote, child, parent->depth + 1, attrs.permissions, shown);
      break;
    default:
      pas_transfer_run_count_skipped (run);
      break;
    }
}

static void
enumerate_local (PasTransferRun *run,
                 DirItem        *item)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (item->local, LOCAL_ATTRIBUTES,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                   run->cancellable, &error);

  while (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      if (!g_file_enumerator_iterate (children, &info, &child, run->cancellable, &error) || info == NULL)
        break;
      add_local_entry (run, item, child, info);
    }
  if (error != NULL)
    pas_transfer_run_record_failure (run, g_steal_pointer (&error));
  g_atomic_int_set (&run->self->progress_dirty, TRUE);
}

static void
remote_dir_checked_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  Walk *walk = data;
  PasTransferRun *run = walk->run;
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_stat_finish (PAS_SFTP_SESSION (source), result, &attrs, &error))
    pas_transfer_run_record_failure (run, g_steal_pointer (&error));
  else if ((attrs.permissions & 0170000) != 0040000)
    {
      g_autofree char *shown = pas_name_escape_for_display (walk->item->remote, -1);
      pas_transfer_run_record_failure (run, g_error_new (PAS_ERROR, PAS_ERROR_EXISTS,
                                                         _("“%s” is in the way of a folder"), shown));
    }
  else
    enumerate_local (run, walk->item);
  walk_free (walk);
  walk_done (run);
}

static void
remote_mkdir_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Walk *walk = data;
  PasTransferRun *run = walk->run;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_mkdir_finish (PAS_SFTP_SESSION (source), result, &error))
    {
      /* Usually: it exists already. Is it a folder? */
      if (pas_transfer_is_fatal (error))
        {
          pas_transfer_run_record_failure (run, g_steal_pointer (&error));
          walk_free (walk);
          walk_done (run);
          return;
        }
      pas_sftp_session_stat_async (run->session, walk->item->remote, TRUE, run->cancellable, remote_dir_checked_cb,
                                   walk);
      return;
    }
  enumerate_local (run, walk->item);
  walk_free (walk);
  walk_done (run);
}

void
pas_transfer_run_walk_upload (PasTransferRun *run,
                              DirItem        *item)
{
  Walk *walk = g_new0 (Walk, 1);
  guint32 mode = run->options.preserve && item->mode != 0 ? (item->mode & 0777) | 0700 : 0755;

  walk->run = run;
  walk->item = item;
  pas_sftp_session_mkdir_async (run->session, item->remote, mode, run->cancellable, remote_mkdir_cb, walk);
}

