#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-transfer-private.h"

/* One local file to a remote one: writes pipelined up to the file's share of
 * the run's budget into a remote NAME.filepart; then, in one round trip, its
 * times and mode, its size (FSTAT) and its close; then posix-rename into
 * place. The server runs requests in order, so a failed write shows as a
 * wrong size and the rename is never sent. */

#define OLD_SUFFIX ".passerelle-old"

typedef struct
{
  PasFileJob     *job;
  PasSftpSession *session;
  char           *target;
  char           *partial;
  PasSftpFile    *file;
  GInputStream   *in;
  guint8         *buffer;
  gboolean        resume_this;
  guint64         start;
  guint64         offset;          /* next byte to send */
  guint64         sent_size;       /* what the file must hold: known once the local end is reached */
  gboolean        local_eof;
  guint           inflight;
  guint64         inflight_bytes;
  guint           closing;         /* FSETSTAT/FSYNC/FSTAT/CLOSE still to answer */
  guint64         remote_size;
  gboolean        have_remote_size;
  guint8         *local_tail;
  gsize           local_tail_len;
  guint           rename_try;
  GError         *error;
} Upload;

static void send_writes (Upload *u);

static void
upload_free (Upload *u)
{
  g_free (u->target);
  g_free (u->partial);
  g_clear_pointer (&u->file, pas_sftp_file_unref);
  g_clear_object (&u->in);
  g_free (u->buffer);
  g_free (u->local_tail);
  g_clear_error (&u->error);
  g_free (u);
}

static void
finish (Upload *u,
        GError *error)
{
  PasFileJob *job = u->job;

  if (u->file != NULL)
    pas_sftp_session_close_file_async (u->session, u->file, NULL, NULL, NULL);
  upload_free (u);
  pas_file_job_done (job, error, FALSE);
}

static void
fail (Upload *u,
      GError *error)
{
  if (u->error == NULL)
    u->error = error;
  else
    g_error_free (error);
}

static GCancellable *
cancellable (Upload *u)
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

  if (!pas_sftp_session_finish (PAS_SFTP_SESSION (source), result, &error))
    g_message ("could not remove the previous version of %s: %s", u->job->name, error->message);
  finish (u, NULL);
}

static void
renamed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *old = g_strconcat (u->target, OLD_SUFFIX, NULL);

  if (pas_sftp_session_finish (u->session, result, &error))
    {
      if (u->rename_try == 2)
        pas_sftp_session_remove_async (u->session, old, NULL, removed_old_cb, u);
      else
        finish (u, NULL);
      return;
    }
  /* Without posix-rename a v3 RENAME cannot replace: move the old file
   * aside, put the new one in place, then delete the old one. */
  if (u->rename_try == 0 && !pas_sftp_session_has_extension (u->session, "posix-rename@openssh.com"))
    {
      u->rename_try = 1;
      g_clear_error (&error);
      pas_sftp_session_rename_async (u->session, u->target, old, FALSE, cancellable (u), renamed_cb, u);
      return;
    }
  if (u->rename_try == 1)
    {
      u->rename_try = 2;
      pas_sftp_session_rename_async (u->session, u->partial, u->target, FALSE, cancellable (u), renamed_cb, u);
      return;
    }
  if (u->rename_try == 2)
    /* Put the old file back where it was. */
    pas_sftp_session_rename_async (u->session, old, u->target, FALSE, NULL, NULL, NULL);
  finish (u, g_steal_pointer (&error));
}

static void
closed (Upload *u)
{
  if (u->error != NULL)
    {
      finish (u, g_steal_pointer (&u->error));
      return;
    }
  if (!u->have_remote_size || u->remote_size != u->sent_size)
    {
      g_autofree char *has = g_strdup_printf ("%" G_GUINT64_FORMAT, u->remote_size);
      g_autofree char *should = g_strdup_printf ("%" G_GUINT64_FORMAT, u->sent_size);

      finish (u, g_error_new (PAS_ERROR, PAS_ERROR_INCOMPLETE, _("“%s” has %s bytes on the server instead of %s"),
                              u->job->name, has, should));
      return;
    }
  pas_sftp_session_rename_async (u->session, u->partial, u->target, TRUE, cancellable (u), renamed_cb, u);
}

static void
closing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_finish (u->session, result, &error))
    fail (u, g_steal_pointer (&error));
  if (--u->closing == 0 && u->inflight == 0)
    closed (u);
}

static void
fstat_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_stat_finish (u->session, result, &attrs, &error))
    fail (u, g_steal_pointer (&error));
  else if ((attrs.flags & PAS_SFTP_ATTR_SIZE) != 0)
    {
      u->have_remote_size = TRUE;
      u->remote_size = attrs.size;
    }
  if (--u->closing == 0 && u->inflight == 0)
    closed (u);
}

/* The local end is reached: send the closing requests behind the writes. */
static void
send_closing (Upload *u)
{
  const PasCopyOptions *options = pas_file_job_get_options (u->job);
  PasSftpFile *file = g_steal_pointer (&u->file);

  u->sent_size = u->offset;
  if (options->preserve)
    {
      PasSftpAttrs attrs = u->job->source;

      attrs.flags &= PAS_SFTP_ATTR_ACMODTIME | PAS_SFTP_ATTR_PERMISSIONS;
      attrs.permissions &= 0777;
      attrs.atime = attrs.mtime;
      u->closing++;
      pas_sftp_session_fsetstat_async (u->session, file, &attrs, cancellable (u), closing_cb, u);
    }
  if (options->fsync && pas_sftp_session_has_extension (u->session, "fsync@openssh.com"))
    {
      u->closing++;
      pas_sftp_session_fsync_async (u->session, file, cancellable (u), closing_cb, u);
    }
  u->closing += 2;
  pas_sftp_session_fstat_async (u->session, file, cancellable (u), fstat_cb, u);
  pas_sftp_session_close_file_async (u->session, file, cancellable (u), closing_cb, u);
  pas_sftp_file_unref (file);
}

/* ---- the data ------------------------------------------------------------ */

typedef struct
{
  Upload *u;
  gsize   length;
} Write;

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autofree Write *w = data;
  Upload *u = w->u;
  g_autoptr(GError) error = NULL;

  u->inflight--;
  u->inflight_bytes -= w->length;
  if (!pas_sftp_session_finish (u->session, result, &error))
    fail (u, g_steal_pointer (&error));
  else
    pas_file_job_progress (u->job, w->length);

  if (u->file != NULL && u->error == NULL)
    send_writes (u);
  else if (u->file != NULL && u->inflight == 0)
    finish (u, g_steal_pointer (&u->error));
  else if (u->file == NULL && u->closing == 0 && u->inflight == 0)
    closed (u);
}

static void
send_writes (Upload *u)
{
  guint32 chunk = pas_file_job_get_options (u->job)->write_size;
  guint64 budget = pas_file_job_get_budget (u->job);

  while (!u->local_eof && (u->inflight == 0 || u->inflight_bytes + chunk <= budget))
    {
      g_autoptr(GError) error = NULL;
      gsize n;
      Write *w;

      if (!g_input_stream_read_all (u->in, u->buffer, chunk, &n, NULL, &error))
        {
          fail (u, g_steal_pointer (&error));
          if (u->inflight == 0)
            finish (u, g_steal_pointer (&u->error));
          return;
        }
      if (n == 0)
        {
          u->local_eof = TRUE;
          break;
        }
      w = g_new0 (Write, 1);
      w->u = u;
      w->length = n;
      u->inflight++;
      u->inflight_bytes += n;
      pas_sftp_session_write_async (u->session, u->file, u->offset, u->buffer, n, cancellable (u), write_cb, w);
      u->offset += n;
      if (n < chunk)
        u->local_eof = TRUE;
    }
  if (u->local_eof && u->file != NULL)
    send_closing (u);
}

static void
start_writing (Upload *u)
{
  g_autoptr(GError) error = NULL;

  /* Always: checking a partial copy's tail moved the stream. */
  if (!g_seekable_seek (G_SEEKABLE (u->in), u->start, G_SEEK_SET, NULL, &error))
    {
      finish (u, g_steal_pointer (&error));
      return;
    }
  u->offset = u->start;
  u->buffer = g_malloc (pas_file_job_get_options (u->job)->write_size);
  pas_file_job_resumed (u->job, u->start);
  send_writes (u);
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
      finish (u, g_steal_pointer (&error));
      return;
    }
  if (remote != NULL && g_bytes_get_size (remote) == u->local_tail_len &&
      memcmp (g_bytes_get_data (remote, NULL), u->local_tail, u->local_tail_len) == 0)
    {
      start_writing (u);
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

  if (!pas_sftp_session_stat_finish (u->session, result, &attrs, &error))
    {
      finish (u, g_steal_pointer (&error));
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
      start_writing (u);
      return;
    }
  u->start = size;
  pas_sftp_session_read_async (u->session, u->file, size - u->local_tail_len, (guint32) u->local_tail_len,
                               cancellable (u), tail_cb, u);
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
      finish (u, g_steal_pointer (&error));
      return;
    }
  if (u->start == G_MAXUINT64)
    {
      /* Opened without truncating to continue it: how much is there? */
      pas_sftp_session_fstat_async (u->session, u->file, cancellable (u), partial_stat_cb, u);
      return;
    }
  u->start = 0;
  start_writing (u);
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
  pas_sftp_session_open_file_async (u->session, u->partial, flags, &attrs, cancellable (u), opened_cb, u);
}

static void
open_input (Upload *u)
{
  g_autoptr(GError) error = NULL;
  const PasCopyOptions *options = pas_file_job_get_options (u->job);

  u->in = G_INPUT_STREAM (g_file_read (u->job->local, NULL, &error));
  if (u->in == NULL)
    {
      finish (u, g_steal_pointer (&error));
      return;
    }
  open_partial (u, !(options->resume || u->resume_this));
}

/* ---- conflicts ----------------------------------------------------------- */

static void target_stat_cb (GObject *source, GAsyncResult *result, gpointer data);

static void
aside_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Upload *u = data;
  g_autoptr(GError) error = NULL;

  /* When a partial copy is there already, it is the one continued. */
  if (!pas_sftp_session_finish (u->session, result, &error))
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
          finish (u, g_steal_pointer (&error));
          return;
        }
      /* Free: under the RENAME policy this is the name we were looking for. */
      open_input (u);
      return;
    }
  if ((attrs.flags & PAS_SFTP_ATTR_PERMISSIONS) != 0 && (attrs.permissions & 0170000) == 0040000)
    {
      finish (u, g_error_new (PAS_ERROR, PAS_ERROR_EXISTS, _("A folder named “%s” is in the way"), job->name));
      return;
    }
  switch (pas_file_job_get_options (job)->policy)
    {
    case PAS_CONFLICT_SKIP:
      upload_free (u);
      pas_file_job_done (job, NULL, TRUE);
      return;
    case PAS_CONFLICT_NEWER:
      if ((attrs.flags & PAS_SFTP_ATTR_ACMODTIME) != 0 && attrs.mtime >= job->source.mtime)
        {
          upload_free (u);
          pas_file_job_done (job, NULL, TRUE);
          return;
        }
      break;
    case PAS_CONFLICT_RENAME:
      {
        g_autofree char *dir = g_path_get_dirname (job->remote);
        g_autofree char *base = g_path_get_basename (job->remote);
        g_autofree char *name = NULL;

        if (++u->rename_try > 1000)
          {
            finish (u, g_error_new (PAS_ERROR, PAS_ERROR_EXISTS, _("No free name was found beside “%s”"), job->name));
            return;
          }
        name = pas_transfer_keep_both_name (base, u->rename_try + 1);
        g_free (u->target);
        u->target = g_build_path ("/", dir, name, NULL);
        g_free (u->partial);
        u->partial = g_strconcat (u->target, PAS_PARTIAL_SUFFIX, NULL);
        pas_sftp_session_stat_async (u->session, u->target, FALSE, cancellable (u), target_stat_cb, u);
        return;
      }
    case PAS_CONFLICT_RESUME:
      /* Continue the existing file itself: it becomes the partial copy. */
      pas_sftp_session_rename_async (u->session, u->target, u->partial, FALSE, cancellable (u), aside_cb, u);
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

  /* Overwriting needs no look first: posix-rename replaces a file and
   * refuses a folder. */
  if (pas_file_job_get_options (job)->policy == PAS_CONFLICT_OVERWRITE)
    open_input (u);
  else
    pas_sftp_session_stat_async (u->session, u->target, FALSE, pas_file_job_get_cancellable (job), target_stat_cb, u);
}
