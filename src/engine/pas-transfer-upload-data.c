#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-transfer-upload-private.h"

/* An upload's data: one stream of WRITEs per range of the file (one range,
 * or one per SFTP channel for a big file on a slow link), the parts joined
 * on the server with copy-data, and what a failed write means when the
 * server's disk may be full. */

static void send_writes (Writer *w);
static void join_next (Upload *u);

/* ---- the data ------------------------------------------------------------ */

void
pas_upload_writer_free (Writer *w)
{
  g_free (w->path);
  g_clear_pointer (&w->file, pas_sftp_file_unref);
  g_clear_object (&w->in);
  g_free (w->buffer);
  g_free (w);
}

static gboolean
is_main (Writer *w)
{
  return w == g_ptr_array_index (w->u->writers, 0);
}

/* ---- the server's free space (statvfs@openssh.com) ------------------------ */

/* What @blocks of @fs come to in bytes; G_MAXUINT64 when the server's
 * numbers are unusable or overflow, which is read as plenty. */
guint64
pas_upload_statvfs_bytes (const PasSftpStatvfs *fs,
                          guint64               blocks)
{
  guint64 unit = fs->fragment_size > 0 ? fs->fragment_size : fs->block_size;

  if (unit == 0 || blocks > G_MAXUINT64 / unit)
    return G_MAXUINT64;
  return blocks * unit;
}

/* Asks for the free space of the target's folder; FALSE when the server
 * cannot tell. */
gboolean
pas_upload_ask_room (Upload             *u,
                     GCancellable       *pas_upload_cancellable,
                     GAsyncReadyCallback callback)
{
  g_autofree char *folder = NULL;

  if (!pas_sftp_session_has_extension (u->session, "statvfs@openssh.com"))
    return FALSE;
  folder = g_path_get_dirname (u->target);
  pas_sftp_session_statvfs_async (u->session, folder, pas_upload_cancellable, callback, u);
  return TRUE;
}

static void
explained_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Upload *u = data;
  PasSftpStatvfs fs;

  if (pas_sftp_session_statvfs_finish (u->session, result, &fs, NULL) &&
      pas_upload_statvfs_bytes (&fs, fs.blocks_available) < 1024 * 1024)
    {
      g_autofree char *room = g_format_size (pas_upload_statvfs_bytes (&fs, fs.blocks_available));

      g_debug ("%s: %s", u->job->name, u->error->message);
      g_clear_error (&u->error);
      u->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                              _("The server’s disk is full (%s free); the part already sent is kept for a resume"),
                              room);
    }
  pas_upload_finish (u, g_steal_pointer (&u->error));
}

/* SFTP v3 has no "disk full" status: OpenSSH's server answers a failed
 * write with just "Failure". Asking for the free space says which it was. */
static void
explain_and_finish (Upload *u)
{
  if (g_error_matches (u->error, PAS_ERROR, PAS_ERROR_FAILED) && pas_upload_ask_room (u, NULL, explained_cb))
    return;
  pas_upload_finish (u, g_steal_pointer (&u->error));
}

/* Every range written (and every helper's handle pas_upload_closed)? Then close the
 * file behind them, or give up if something failed. */
void
pas_upload_check_writers (Upload *u)
{
  for (guint i = 0; i < u->writers->len; i++)
    if (!((Writer *) g_ptr_array_index (u->writers, i))->finished)
      return;
  if (u->closing > 0)
    return;
  if (u->error != NULL)
    explain_and_finish (u);
  else if (u->next_join != G_MAXUINT && u->next_join < u->writers->len)
    join_next (u);
  else if (u->file != NULL)
    pas_upload_send_closing (u);
  else
    pas_upload_closed (u);
}

/* ---- joining the parts on the server --------------------------------------- */

/* A part joined, closed or removed once joined; @error (taken) is set when
 * that failed. */
static void
part_step_done (Upload *u,
                GError *error)
{
  if (error != NULL)
    pas_upload_fail (u, error);
  u->closing--;
  pas_upload_check_writers (u);
}

static void
part_copied_cb (GObject      *source,
GAsyncResult *result,
gpointer      data)
{
  GError *error = NULL;

  pas_sftp_session_copy_data_finish (PAS_SFTP_SESSION (source), result, &error);
  part_step_done (data, error);
}

static void
part_closed_cb (GObject      *source,
GAsyncResult *result,
gpointer      data)
{
  GError *error = NULL;

  pas_sftp_session_close_file_finish (PAS_SFTP_SESSION (source), result, &error);
  part_step_done (data, error);
}

static void
part_removed_cb (GObject      *source,
GAsyncResult *result,
gpointer      data)
{
  GError *error = NULL;

  pas_sftp_session_remove_finish (PAS_SFTP_SESSION (source), result, &error);
  part_step_done (data, error);
}

/* Appends part u->next_join at its place in the main file, then removes it:
 * copy-data on the main channel, which reads the part through its own handle. */
static void
part_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Upload *u = data;
  Writer *w = g_ptr_array_index (u->writers, u->next_join);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpFile) part = pas_sftp_session_open_file_finish (u->session, result, &error);

  u->closing--;
  if (part == NULL)
    {
      pas_upload_fail (u, g_steal_pointer (&error));
      pas_upload_check_writers (u);
      return;
    }
  u->next_join++;
  u->closing += 3;
  pas_sftp_session_copy_data_async (u->session, part, 0, w->offset - w->base, u->file, w->base,
                                    pas_upload_cancellable (u),
                                    part_copied_cb, u);
  pas_sftp_session_close_file_async (u->session, part, pas_upload_cancellable (u), part_closed_cb, u);
  pas_sftp_session_remove_async (u->session, w->path, pas_upload_cancellable (u), part_removed_cb, u);
}

static void
join_next (Upload *u)
{
  Writer *w = g_ptr_array_index (u->writers, u->next_join);

  u->closing++;
  pas_sftp_session_open_file_async (u->session, w->path, PAS_SFTP_OPEN_READ, NULL, pas_upload_cancellable (u),
                                    part_opened_cb, u);
}

static void
helper_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_close_file_finish (w->session, result, &error))
    pas_upload_fail (w->u, g_steal_pointer (&error));
  w->finished = TRUE;
  pas_upload_check_writers (w->u);
}

static void
writer_done (Writer *w)
{
  if (is_main (w) || w->file == NULL)
    {
      w->finished = TRUE;
      pas_upload_check_writers (w->u);
      return;
    }
  pas_sftp_session_close_file_async (w->session, w->file, NULL, helper_closed_cb, w);
  g_clear_pointer (&w->file, pas_sftp_file_unref);
}

typedef struct
{
  Writer *w;
  gsize   length;
} Write;

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autofree Write *write = data;
  Writer *w = write->w;
  Upload *u = w->u;
  g_autoptr(GError) error = NULL;

  w->inflight--;
  w->inflight_bytes -= write->length;
  if (!pas_sftp_session_write_finish (w->session, result, &error))
    pas_upload_fail (u, g_steal_pointer (&error));
  else
    pas_file_job_progress (u->job, write->length);

  if (u->error == NULL && !w->read_all)
    send_writes (w);
  else if (w->inflight == 0 && !w->finished)
    writer_done (w);
}

static gboolean
send_writes_again (gpointer data)
{
  Writer *w = data;

  w->throttled = FALSE;
  send_writes (w);
  return G_SOURCE_REMOVE;
}

static void
send_writes (Writer *w)
{
  Upload *u = w->u;
  guint32 chunk = pas_file_job_get_options (u->job)->write_size;
  guint64 budget = pas_file_job_get_budget (u->job) / u->writers->len;

  while (u->error == NULL && !w->read_all && !w->throttled && (w->inflight == 0 || w->inflight_bytes + chunk <= budget))
    {
      g_autoptr(GError) error = NULL;
      gsize want = (gsize) MIN ((guint64) chunk, w->end - w->offset);
      gsize n;
      Write *write;

      if (!pas_file_job_take_tokens (u->job, want, send_writes_again, w))
        {
          w->throttled = TRUE;
          return;
        }

      if (!g_input_stream_read_all (w->in, w->buffer, want, &n, NULL, &error))
        {
          pas_upload_fail (u, g_steal_pointer (&error));
          break;
        }
      if (n == 0 && w->end != G_MAXUINT64)
        {
          pas_upload_fail (u, g_error_new (PAS_ERROR, PAS_ERROR_INCOMPLETE, _("“%s” changed while it was copied"),
                                           u->job->name));
          break;
        }
      if (n == 0)
        {
          w->read_all = TRUE;
          break;
        }
      write = g_new0 (Write, 1);
      write->w = w;
      write->length = n;
      w->inflight++;
      w->inflight_bytes += n;
      pas_sftp_session_write_async (w->session, w->file, w->offset - w->base, w->buffer, n, pas_upload_cancellable (u),
                                    write_cb, write);
      w->offset += n;
      if (w->offset == w->end || (w->end == G_MAXUINT64 && n < want))
        w->read_all = TRUE;
    }
  if (u->error != NULL)
    w->read_all = TRUE;
  /* One writer: the closing requests can follow its last write at once. */
  if (w->read_all && u->error == NULL && u->writers->len == 1 && u->file != NULL)
    {
      u->sent_size = w->offset;
      pas_upload_send_closing (u);
    }
  if (w->read_all && w->inflight == 0 && !w->finished)
    writer_done (w);
}

static void
helper_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;

  w->file = pas_sftp_session_open_file_finish (w->session, result, &error);
  if (w->file == NULL)
    {
      pas_upload_fail (w->u, g_steal_pointer (&error));
      w->read_all = TRUE;
      writer_done (w);
      return;
    }
  send_writes (w);
}

static Writer *
add_writer (Upload         *u,
            PasSftpSession *session,
            guint64         start,
            guint64         end,
            GError        **error)
{
  Writer *w = g_new0 (Writer, 1);

  w->u = u;
  w->session = session;
  w->base = u->writers->len == 0 ? 0 : start;   /* the main range writes into the main file as is */
  w->offset = start;
  w->end = end;
  w->buffer = g_malloc (pas_file_job_get_options (u->job)->write_size);
  g_ptr_array_add (u->writers, w);
  if (u->writers->len == 1)
    {
      w->in = g_object_ref (u->in);
      w->file = pas_sftp_file_ref (u->file);
    }
  else
    w->in = G_INPUT_STREAM (g_file_read (u->job->local, NULL, error));
  /* Always seek: checking a partial copy's tail moved the main stream. */
  if (w->in == NULL || !g_seekable_seek (G_SEEKABLE (w->in), start, G_SEEK_SET, NULL, error))
    {
      w->read_all = w->finished = TRUE;
      return NULL;
    }
  return w;
}

void
pas_upload_start_writing (Upload *u)
{
  g_autoptr(GError) error = NULL;
  PasSftpSession * const *sessions;
  guint n_sessions = pas_file_job_get_sessions (u->job, &sessions);
  guint64 size = u->job->source.size;
  guint32 chunk = pas_file_job_get_options (u->job)->write_size;
  guint parts = 1;
  guint64 part;

  if (n_sessions > 1 && size > u->start && size - u->start >= PAS_SPLIT_MIN &&
      pas_file_job_get_options (u->job)->round_trip >= pas_file_job_get_options (u->job)->split_round_trip &&
      pas_sftp_session_has_extension (u->session, "copy-data"))
    parts = n_sessions;
  /* Ranges in whole chunks; the last one runs to the end of the file. */
  part = ((size - u->start) / parts + chunk - 1) / chunk * chunk;
  pas_file_job_resumed (u->job, u->start);
  for (guint i = 0; i < parts; i++)
    {
      guint64 from = u->start + i * part;
      guint64 to = i + 1 == parts ? G_MAXUINT64 : from + part;
      guint index = (pas_file_job_get_session_index (u->job) + i) % n_sessions;
      PasSftpSession *session = i == 0 ? u->session : sessions[index];

      if (add_writer (u, session, from, to, &error) == NULL)
        {
          pas_upload_fail (u, g_steal_pointer (&error));
          break;
        }
    }
  if (u->error != NULL)
    {
      pas_upload_check_writers (u);
      return;
    }
  u->next_join = u->writers->len > 1 ? 1 : u->writers->len;
  for (guint i = 1; i < u->writers->len; i++)
    {
      Writer *w = g_ptr_array_index (u->writers, i);

      w->path = g_strdup_printf ("%s.%u", u->partial, i);
      pas_sftp_session_open_file_async (w->session, w->path,
                                        PAS_SFTP_OPEN_WRITE | PAS_SFTP_OPEN_CREATE | PAS_SFTP_OPEN_TRUNCATE,
                                        &(PasSftpAttrs) { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = 0600 },
                                        pas_upload_cancellable (u), helper_opened_cb, w);
    }
  send_writes (g_ptr_array_index (u->writers, 0));
}

