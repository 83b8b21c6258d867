#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-transfer-upload-private.h"

/* One local file to a remote one: writes pipelined up to the file's share of
 * the run's budget into a remote NAME.filepart; then, in one round trip, its
 * times and mode, its size (FSTAT) and its close; then posix-rename into
 * place. The server runs requests in order, so a failed write shows as a
 * wrong size and the rename is never sent. */


void
pas_upload_free (Upload *u)
{
  g_free (u->target);
  g_free (u->partial);
  g_clear_pointer (&u->file, pas_sftp_file_unref);
  g_clear_object (&u->in);
  g_clear_pointer (&u->writers, g_ptr_array_unref);
  g_free (u->local_tail);
  g_clear_error (&u->error);
  g_free (u);
}

void
pas_upload_finish (Upload *u,
                   GError *error)
{
  PasFileJob *job = u->job;

  if (u->file != NULL)
    pas_sftp_session_close_file_async (u->session, u->file, NULL, NULL, NULL);
  /* Parts of a split upload cannot be continued: don't leave them behind. */
  for (guint i = 1; error != NULL && u->writers != NULL && i < u->writers->len; i++)
    pas_sftp_session_remove_async (u->session, ((Writer *) g_ptr_array_index (u->writers, i))->path,
                                   NULL, NULL, NULL);
  if (u->wrote_partial && pas_file_job_settle_partial (job, TRUE, u->partial, error, !u->resume_this))
    pas_sftp_session_remove_async (u->session, u->partial, NULL, NULL, NULL);
  pas_upload_free (u);
  pas_file_job_done (job, error, FALSE);
}

void
pas_upload_fail (Upload *u,
                 GError *error)
{
  if (u->error == NULL)
    u->error = error;
  else
    g_error_free (error);
}

GCancellable *
pas_upload_cancellable (Upload *u)
{
  return pas_file_job_get_cancellable (u->job);
}

/* ---- put in place -------------------------------------------------------- */

static void
removed_old_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_remove_finish (PAS_SFTP_SESSION (source), result, &error))
    g_message ("could not remove the previous version of %s: %s", u->job->name, error->message);
  pas_upload_finish (u, NULL);
}

static void
renamed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *old = g_strconcat (u->target, OLD_SUFFIX, NULL);

  if (pas_sftp_session_rename_finish (u->session, result, &error))
    {
      if (u->rename_try == 2)
        pas_sftp_session_remove_async (u->session, old, NULL, removed_old_cb, u);
      else
        pas_upload_finish (u, NULL);
      return;
    }
  /* Without posix-rename a v3 RENAME cannot replace: move the old file
   * aside, put the new one in place, then delete the old one. */
  if (u->rename_try == 0 && !pas_sftp_session_has_extension (u->session, "posix-rename@openssh.com"))
    {
      u->rename_try = 1;
      g_clear_error (&error);
      pas_sftp_session_rename_async (u->session, u->target, old, FALSE, pas_upload_cancellable (u), renamed_cb, u);
      return;
    }
  if (u->rename_try == 1)
    {
      u->rename_try = 2;
      pas_sftp_session_rename_async (u->session, u->partial, u->target, FALSE, pas_upload_cancellable (u), renamed_cb,
                                     u);
      return;
    }
  if (u->rename_try == 2)
    /* Put the old file back where it was. */
    pas_sftp_session_rename_async (u->session, old, u->target, FALSE, NULL, NULL, NULL);
  pas_upload_finish (u, g_steal_pointer (&error));
}

/* Whether the local file is still as it was when the copy began: one
 * changed while it was read may be a mix of two versions, which must not
 * take the final name (a sync would then trust its time). */
static gboolean
source_unchanged (Upload *u)
{
  const PasSftpAttrs *source = &u->job->source;
  g_autoptr(GFileInfo) info = g_file_query_info (u->job->local,
                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info == NULL)
    return FALSE;
  if ((source->flags & PAS_SFTP_ATTR_SIZE) != 0 && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      (guint64) g_file_info_get_size (info) != source->size)
    return FALSE;
  if ((source->flags & PAS_SFTP_ATTR_ACMODTIME) != 0 &&
      g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) &&
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) != source->mtime)
    return FALSE;
  return TRUE;
}

void
pas_upload_closed (Upload *u)
{
  if (u->error != NULL)
    {
      pas_upload_finish (u, g_steal_pointer (&u->error));
      return;
    }
  if (!source_unchanged (u))
    {
      pas_upload_finish (u, g_error_new (PAS_ERROR, PAS_ERROR_INCOMPLETE,
                              _("“%s” changed while it was copied: the copy was not put in place; copy it again"),
                              u->job->name));
      return;
    }
  if (!u->have_remote_size || u->remote_size != u->sent_size)
    {
      g_autofree char *has = g_strdup_printf ("%" G_GUINT64_FORMAT, u->remote_size);
      g_autofree char *should = g_strdup_printf ("%" G_GUINT64_FORMAT, u->sent_size);

      pas_upload_finish (u, g_error_new (PAS_ERROR, PAS_ERROR_INCOMPLETE,
                                         _("“%s” has %s bytes on the server instead of %s"),
                              u->job->name, has, should));
      return;
    }
  pas_sftp_session_rename_async (u->session, u->partial, u->target, TRUE, pas_upload_cancellable (u), renamed_cb, u);
}

/* One of the steps that end the file on the server; @error (taken) is set
 * when it failed. The last one to end goes on. */
static void
closing_done (Upload *u,
              GError *error)
{
  if (error != NULL)
    pas_upload_fail (u, error);
  if (--u->closing == 0)
    pas_upload_check_writers (u);
}

static void
fsetstat_cb (GObject      *source,
GAsyncResult *result,
gpointer      data)
{
  GError *error = NULL;

  pas_sftp_session_fsetstat_finish (PAS_SFTP_SESSION (source), result, &error);
  closing_done (data, error);
}

static void
fsync_cb (GObject      *source,
GAsyncResult *result,
gpointer      data)
{
  GError *error = NULL;

  pas_sftp_session_fsync_finish (PAS_SFTP_SESSION (source), result, &error);
  closing_done (data, error);
}

static void
close_file_cb (GObject      *source,
GAsyncResult *result,
gpointer      data)
{
  GError *error = NULL;

  pas_sftp_session_close_file_finish (PAS_SFTP_SESSION (source), result, &error);
  closing_done (data, error);
}

static void
fstat_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_fstat_finish (u->session, result, &attrs, &error))
    pas_upload_fail (u, g_steal_pointer (&error));
  else if ((attrs.flags & PAS_SFTP_ATTR_SIZE) != 0)
    {
      u->have_remote_size = TRUE;
      u->remote_size = attrs.size;
    }
  if (--u->closing == 0)
    pas_upload_check_writers (u);
}

/* The local end is reached: send the closing requests behind the writes. */
void
pas_upload_send_closing (Upload *u)
{
  const PasCopyOptions *options = pas_file_job_get_options (u->job);
  PasSftpFile *file = g_steal_pointer (&u->file);

  for (guint i = 0; i < u->writers->len; i++)
    u->sent_size = MAX (u->sent_size, ((Writer *) g_ptr_array_index (u->writers, i))->offset);
  if (options->preserve)
    {
      PasSftpAttrs attrs = u->job->source;

      attrs.flags &= PAS_SFTP_ATTR_ACMODTIME | PAS_SFTP_ATTR_PERMISSIONS;
      attrs.permissions &= 0777;
      attrs.atime = attrs.mtime;
      u->closing++;
      pas_sftp_session_fsetstat_async (u->session, file, &attrs, pas_upload_cancellable (u), fsetstat_cb, u);
    }
  if (options->fsync && pas_sftp_session_has_extension (u->session, "fsync@openssh.com"))
    {
      u->closing++;
      pas_sftp_session_fsync_async (u->session, file, pas_upload_cancellable (u), fsync_cb, u);
    }
  u->closing += 2;
  pas_sftp_session_fstat_async (u->session, file, pas_upload_cancellable (u), fstat_cb, u);
  pas_sftp_session_close_file_async (u->session, file, pas_upload_cancellable (u), close_file_cb, u);
  pas_sftp_file_unref (file);
}

/* ---- opening, resuming --------------------------------------------------- */

static void open_partial (Upload *u, gboolean truncate);

static void
tail_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) remote = pas_sftp_session_read_finish (u->session, result, &error);

  if (error != NULL)
    {
      pas_upload_finish (u, g_steal_pointer (&error));
      return;
    }
  if (remote != NULL && g_bytes_get_size (remote) == u->local_tail_len &&
      memcmp (g_bytes_get_data (remote, NULL), u->local_tail, u->local_tail_len) == 0)
    {
      pas_upload_start_writing (u);
      return;
    }
  g_debug ("%s: the partial copy on the server does not match; starting over", u->job->name);
  pas_sftp_session_close_file_async (u->session, u->file, NULL, NULL, NULL);
  g_clear_pointer (&u->file, pas_sftp_file_unref);
  u->start = 0;
  open_partial (u, TRUE);
}

static void
partial_stat_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Upload *u = data;
  PasSftpAttrs attrs;
  g_autoptr(GError) error = NULL;
  guint64 size;

  if (!pas_sftp_session_fstat_finish (u->session, result, &attrs, &error))
    {
      pas_upload_finish (u, g_steal_pointer (&error));
      return;
    }
  size = (attrs.flags & PAS_SFTP_ATTR_SIZE) != 0 ? attrs.size : 0;
  u->local_tail_len = MIN (size, PAS_RESUME_CHECK);
  u->local_tail = g_malloc (u->local_tail_len);
  if (size == 0 || size > u->job->source.size ||
      !g_seekable_seek (G_SEEKABLE (u->in), size - u->local_tail_len, G_SEEK_SET, NULL, NULL) ||
      !g_input_stream_read_all (u->in, u->local_tail, u->local_tail_len, NULL, NULL, NULL))
    {
      u->start = 0;
      if (size > 0)
        {
          /* Not ours to continue: truncate it by opening again. */
          pas_sftp_session_close_file_async (u->session, u->file, NULL, NULL, NULL);
          g_clear_pointer (&u->file, pas_sftp_file_unref);
          open_partial (u, TRUE);
          return;
        }
      pas_upload_start_writing (u);
      return;
    }
  u->start = size;
  pas_sftp_session_read_async (u->session, u->file, size - u->local_tail_len, (guint32) u->local_tail_len,
                               pas_upload_cancellable (u), tail_cb, u);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;

  u->file = pas_sftp_session_open_file_finish (u->session, result, &error);
  if (u->file == NULL)
    {
      pas_upload_finish (u, g_steal_pointer (&error));
      return;
    }
  u->wrote_partial = TRUE;
  if (u->start == G_MAXUINT64)
    {
      /* Opened without truncating to continue it: how much is there? */
      pas_sftp_session_fstat_async (u->session, u->file, pas_upload_cancellable (u), partial_stat_cb, u);
      return;
    }
  u->start = 0;
  pas_upload_start_writing (u);
}

static void
open_partial (Upload  *u,
              gboolean truncate)
{
  /* Private while partial; the source's mode comes with the closing requests. */
  PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = 0600 };
  PasSftpOpenFlags flags = PAS_SFTP_OPEN_WRITE | PAS_SFTP_OPEN_CREATE;

  if (truncate)
    flags |= PAS_SFTP_OPEN_TRUNCATE;
  else
    {
      flags |= PAS_SFTP_OPEN_READ;
      u->start = G_MAXUINT64;    /* to be found out */
    }
  pas_sftp_session_open_file_async (u->session, u->partial, flags, &attrs, pas_upload_cancellable (u), opened_cb, u);
}

static void
read_input (Upload *u)
{
  g_autoptr(GError) error = NULL;
  const PasCopyOptions *options = pas_file_job_get_options (u->job);

  u->in = G_INPUT_STREAM (g_file_read (u->job->local, NULL, &error));
  if (u->in == NULL)
    {
      pas_upload_finish (u, g_steal_pointer (&error));
      return;
    }
  open_partial (u, !(options->resume || u->resume_this));
}

/* Only big files are checked: a round trip costs nothing next to them, and
 * a small file that does not fit fails on a write soon enough. */
#define ROOM_CHECK_MIN (16 * 1024 * 1024)

static void
room_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;
  PasSftpStatvfs fs;

  if (pas_sftp_session_statvfs_finish (u->session, result, &fs, &error))
    {
      /* Free blocks, not those left to unprivileged users: a root login may
       * use the reserve, and a refusal here must never be wrong. */
      guint64 room = pas_upload_statvfs_bytes (&fs, MAX (fs.blocks_free, fs.blocks_available));

      if (room < u->job->source.size)
        {
          g_autofree char *need = g_format_size (u->job->source.size);
          g_autofree char *room_text = g_format_size (room);

          pas_upload_finish (u, g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                  _("The file is %s, but only %s are free on the server"), need, room_text));
          return;
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pas_upload_finish (u, g_steal_pointer (&error));
      return;
    }
  else
    g_debug ("%s: the server's free space is unknown: %s", u->job->name, error->message);
  read_input (u);
}

/* A fresh copy of a big file first asks the server for room (statvfs). */
static void
open_input (Upload *u)
{
  const PasCopyOptions *options = pas_file_job_get_options (u->job);

  if (g_strcmp0 (u->target, u->job->remote) != 0)
    pas_file_job_set_destination (u->job, u->target);
  if (!(options->resume || u->resume_this) && u->job->source.size >= ROOM_CHECK_MIN &&
      pas_upload_ask_room (u, pas_upload_cancellable (u), room_cb))
    return;
  read_input (u);
}

/* ---- conflicts ----------------------------------------------------------- */

static void target_stat_cb (GObject *source, GAsyncResult *result, gpointer data);
static void apply_policy (Upload *u);

static void
aside_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;

  /* When a partial copy is there already, it is the one continued. */
  if (!pas_sftp_session_rename_finish (u->session, result, &error))
    g_debug ("%s stays where it is: %s", u->job->name, error->message);
  u->resume_this = TRUE;
  open_input (u);
}

static void
target_stat_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Upload *u = data;
  PasFileJob *job = u->job;
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_stat_finish (u->session, result, &attrs, &error))
    {
      if (!g_error_matches (error, PAS_ERROR, PAS_ERROR_NOT_FOUND))
        {
          pas_upload_finish (u, g_steal_pointer (&error));
          return;
        }
      /* Free: under the RENAME policy this is the name we were looking for. */
      open_input (u);
      return;
    }
  if ((attrs.flags & PAS_SFTP_ATTR_PERMISSIONS) != 0 && (attrs.permissions & 0170000) == 0040000)
    {
      pas_upload_finish (u, g_error_new (PAS_ERROR, PAS_ERROR_EXISTS, _("A folder named “%s” is in the way"),
                                         job->name));
      return;
    }
  u->target_attrs = attrs;
  apply_policy (u);
}

static void
answered_cb (PasConflictPolicy policy,
             gpointer          data)
{
  Upload *u = data;

  u->policy = policy;
  apply_policy (u);
}

/* The destination exists (its attributes in u->target_attrs). */
static void
apply_policy (Upload *u)
{
  PasFileJob *job = u->job;
  PasSftpAttrs attrs = u->target_attrs;

  switch (u->policy)
    {
    case PAS_CONFLICT_ASK:
      {
        PasConflictQuery query = {
          .direction = PAS_TRANSFER_UPLOAD,
          .name = job->name,
          .destination = u->target,
          .source_size = job->source.size,
          .source_mtime = job->source.mtime,
          .target_size = attrs.size,
          .target_mtime = (attrs.flags & PAS_SFTP_ATTR_ACMODTIME) != 0 ? attrs.mtime : 0,
          .can_resume = (attrs.flags & PAS_SFTP_ATTR_SIZE) != 0 && attrs.size < job->source.size,
        };
        pas_file_job_ask_conflict (job, &query, answered_cb, u);
        return;
      }
    case PAS_CONFLICT_SKIP:
      pas_upload_free (u);
      pas_file_job_done (job, NULL, TRUE);
      return;
    case PAS_CONFLICT_NEWER:
      if ((attrs.flags & PAS_SFTP_ATTR_ACMODTIME) != 0 && attrs.mtime >= job->source.mtime)
        {
          pas_upload_free (u);
          pas_file_job_done (job, NULL, TRUE);
          return;
        }
      break;
    case PAS_CONFLICT_RENAME:
      {
        g_autofree char *dir = g_path_get_dirname (job->remote);
        g_autofree char *base = g_path_get_basename (job->remote);
        g_autofree char *name = NULL;

        if (++u->name_try > 1000)
          {
            pas_upload_finish (u, g_error_new (PAS_ERROR, PAS_ERROR_EXISTS, _("No free name was found beside “%s”"),
                                               job->name));
            return;
          }
        name = pas_transfer_keep_both_name (base, u->name_try + 1);
        g_free (u->target);
        u->target = g_build_path ("/", dir, name, NULL);
        g_free (u->partial);
        u->partial = g_strconcat (u->target, PAS_PARTIAL_SUFFIX, NULL);
        pas_sftp_session_stat_async (u->session, u->target, FALSE, pas_upload_cancellable (u), target_stat_cb, u);
        return;
      }
    case PAS_CONFLICT_RESUME:
      /* Continue the existing file itself: it becomes the partial copy. */
      pas_sftp_session_rename_async (u->session, u->target, u->partial, FALSE, pas_upload_cancellable (u), aside_cb, u);
      return;
    case PAS_CONFLICT_OVERWRITE:
    default:
      break;
    }
  open_input (u);
}

void
pas_upload_start (PasFileJob *job)
{
  Upload *u = g_new0 (Upload, 1);

  u->job = job;
  u->session = pas_file_job_get_session (job);
  u->target = g_strdup (job->remote);
  u->partial = g_strconcat (u->target, PAS_PARTIAL_SUFFIX, NULL);
  u->writers = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_upload_writer_free);
  u->next_join = G_MAXUINT;
  u->policy = pas_file_job_get_options (job)->policy;

  /* Overwriting needs no look first: posix-rename replaces a file and
   * refuses a folder. */
  if (pas_file_job_get_options (job)->policy == PAS_CONFLICT_OVERWRITE)
    open_input (u);
  else
    pas_sftp_session_stat_async (u->session, u->target, FALSE, pas_file_job_get_cancellable (job), target_stat_cb, u);
}
