#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <gio/gfiledescriptorbased.h>

#include "pas-error.h"
#include "pas-transfer-private.h"

/* One remote file to a local one: reads pipelined up to the file's share of
 * the run's budget, written in order to NAME.filepart, renamed when whole.
 *
 * The size the server gave is a hint. Reads cover it, plus one "probe" read
 * past it whose end-of-file answer proves the file ended there; if the probe
 * finds data, the file grew and reads continue until end of file. Short reads
 * are asked for again. */

typedef struct _Download Download;

typedef struct
{
  Download *d;
  guint64   offset;
  guint32   length;
  gboolean  probe;
} Range;

struct _Download
{
  PasFileJob     *job;
  PasSftpSession *session;
  GFile          *target;
  GFile          *partial;
  PasSftpFile    *file;
  GOutputStream  *out;
  gboolean        resume_this;     /* the RESUME policy moved the target aside */
  gboolean        wrote_partial;   /* this run opened the .filepart */
  guint64         start;           /* where this run began writing */
  guint64         write_pos;
  guint64         next_offset;
  guint64         size_hint;
  guint64         eof_at;
  guint           inflight;
  guint64         inflight_bytes;
  guint           probes;
  GQueue          holes;           /* of Range */
  GTree          *stash;           /* offset -> GBytes that came before their turn */
  guint8         *local_tail;
  gsize           local_tail_len;
  gboolean        throttled;       /* waiting for the speed limit */
  GError         *error;
};

static void issue_reads (Download *d);
static void answered_cb (PasConflictPolicy policy, gpointer data);
static void maybe_end (Download *d);

static gint
compare_offsets (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static void
download_free (Download *d)
{
  g_clear_object (&d->target);
  g_clear_object (&d->partial);
  g_clear_pointer (&d->file, pas_sftp_file_unref);
  g_clear_object (&d->out);
  g_queue_clear_full (&d->holes, g_free);
  g_clear_pointer (&d->stash, g_tree_destroy);
  g_free (d->local_tail);
  g_clear_error (&d->error);
  g_free (d);
}

static void
close_remote (Download *d)
{
  /* A read handle: nothing to learn from its close. */
  if (d->file != NULL)
    pas_sftp_session_close_file_async (d->session, d->file, NULL, NULL, NULL);
  g_clear_pointer (&d->file, pas_sftp_file_unref);
}

static void
finish (Download *d,
        GError   *error)
{
  PasFileJob *job = d->job;

  close_remote (d);
  if (d->out != NULL)
    g_output_stream_close (d->out, NULL, NULL);
  if (d->wrote_partial)
    {
      g_autofree char *path = g_file_get_path (d->partial);

      if (pas_file_job_settle_partial (job, FALSE, path, error, !d->resume_this))
        g_file_delete (d->partial, NULL, NULL);
    }
  download_free (d);
  pas_file_job_done (job, error, FALSE);
}

static void
fail (Download *d,
      GError   *error)
{
  if (d->error == NULL)
    d->error = error;
  else
    g_error_free (error);
}

static gboolean
set_local_times_and_mode (Download *d,
                          GError  **error)
{
  const PasSftpAttrs *a = &d->job->source;
  GFileQueryInfoFlags nofollow = G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS;

  if ((a->flags & PAS_SFTP_ATTR_ACMODTIME) != 0)
    {
      if (!g_file_set_attribute_uint64 (d->partial, G_FILE_ATTRIBUTE_TIME_MODIFIED, a->mtime, nofollow, NULL, error) ||
          !g_file_set_attribute_uint32 (d->partial, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC, 0, nofollow, NULL, error))
        return FALSE;
    }
  /* Never setuid, setgid or sticky from a server. */
  if ((a->flags & PAS_SFTP_ATTR_PERMISSIONS) != 0)
    return g_file_set_attribute_uint32 (d->partial, G_FILE_ATTRIBUTE_UNIX_MODE, a->permissions & 0777, nofollow,
                                        NULL, error);
  return TRUE;
}

/* Everything arrived: make the .filepart the file. */
static void
complete (Download *d)
{
  const PasCopyOptions *options = pas_file_job_get_options (d->job);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (options->fsync && G_IS_FILE_DESCRIPTOR_BASED (d->out) &&
      fsync (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (d->out))) != 0)
    {
      int saved = errno;
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not save “%s” to disk: %s"),
                   d->job->name, g_strerror (saved));
      goto out;
    }
  if (!g_output_stream_close (d->out, NULL, &error))
    goto out;
  g_clear_object (&d->out);
  if (pas_file_job_get_options (d->job)->preserve && !set_local_times_and_mode (d, &error))
    goto out;
  info = g_file_query_info (d->partial, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL,
                            &error);
  if (info == NULL)
    goto out;
  if ((guint64) g_file_info_get_size (info) != d->eof_at)
    {
      g_autofree char *has = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) g_file_info_get_size (info));
      g_autofree char *should = g_strdup_printf ("%" G_GUINT64_FORMAT, d->eof_at);

      g_set_error (&error, PAS_ERROR, PAS_ERROR_INCOMPLETE, _("“%s” has %s bytes on disk instead of %s"),
                   d->job->name, has, should);
      goto out;
    }
  /* rename(2): the final name appears whole or not at all. */
  g_file_move (d->partial, d->target, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS |
               G_FILE_COPY_NO_FALLBACK_FOR_MOVE, NULL, NULL, NULL, &error);

out:
  finish (d, g_steal_pointer (&error));
}

static void
maybe_end (Download *d)
{
  if (d->inflight > 0 || d->throttled)
    return;
  if (d->error != NULL)
    finish (d, g_steal_pointer (&d->error));
  else if (d->eof_at != G_MAXUINT64 && g_queue_is_empty (&d->holes))
    complete (d);
}

static gboolean
write_local (Download *d,
             GBytes   *bytes,
             GError  **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (!g_output_stream_write_all (d->out, data, len, NULL, NULL, error))
    {
      g_prefix_error (error, _("Could not save “%s”: "), d->job->name);
      return FALSE;
    }
  d->write_pos += len;
  return TRUE;
}

/* Writes @bytes at @offset if its turn has come, and whatever waited for it. */
static gboolean
deliver (Download *d,
         guint64   offset,
         GBytes   *bytes,
         GError  **error)
{
  if (offset != d->write_pos)
    {
      guint64 *key = g_new (guint64, 1);

      *key = offset;
      g_tree_insert (d->stash, key, g_bytes_ref (bytes));
      return TRUE;
    }
  if (!write_local (d, bytes, error))
    return FALSE;
  for (;;)
    {
      gpointer key, value;

      if (!g_tree_lookup_extended (d->stash, &d->write_pos, &key, &value))
        return TRUE;
      g_tree_steal (d->stash, key);
      g_free (key);
      if (!write_local (d, value, error))
        {
          g_bytes_unref (value);
          return FALSE;
        }
      g_bytes_unref (value);
    }
}

static void
changed_error (Download *d)
{
  fail (d, g_error_new (PAS_ERROR, PAS_ERROR_INCOMPLETE, _("“%s” changed on the server while it was copied"),
                        d->job->name));
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autofree Range *r = data;
  PasFileJob *job;
  Download *d;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize n;

  bytes = pas_sftp_session_read_finish (PAS_SFTP_SESSION (source), result, &error);
  d = r->d;
  job = d->job;
  d->inflight--;
  d->inflight_bytes -= r->length;
  if (r->probe)
    d->probes--;

  if (error != NULL)
    {
      fail (d, g_steal_pointer (&error));
      maybe_end (d);
      return;
    }
  if (d->error != NULL)
    {
      maybe_end (d);
      return;
    }

  n = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  if (n == 0)
    {
      /* End of file at r->offset: nothing may lie at or past it. */
      d->eof_at = MIN (d->eof_at, r->offset);
      if (d->write_pos > d->eof_at || (g_tree_nnodes (d->stash) > 0))
        changed_error (d);
    }
  else if (r->offset + n > d->eof_at)
    changed_error (d);
  else
    {
      if (n < r->length)
        {
          Range *hole = g_new0 (Range, 1);

          hole->offset = r->offset + n;
          hole->length = r->length - (guint32) n;
          g_queue_push_tail (&d->holes, hole);
        }
      if (r->probe && n == r->length)
        /* The file is longer than the server said: read on until its end. */
        d->size_hint = G_MAXUINT64;
      else if (r->probe)
        d->size_hint = r->offset + n;
      if (!deliver (d, r->offset, bytes, &error))
        fail (d, g_steal_pointer (&error));
      else
        pas_file_job_progress (job, n);
    }

  if (d->error == NULL)
    issue_reads (d);
  maybe_end (d);
}

static void
send_read (Download *d,
           guint64   offset,
           guint32   length)
{
  Range *r = g_new0 (Range, 1);

  r->d = d;
  r->offset = offset;
  r->length = length;
  r->probe = offset >= d->size_hint;
  d->inflight++;
  d->inflight_bytes += length;
  if (r->probe)
    d->probes++;
  pas_sftp_session_read_async (d->session, d->file, offset, length, pas_file_job_get_cancellable (d->job),
                               read_cb, r);
}

static gboolean
issue_reads_again (gpointer data)
{
  Download *d = data;

  d->throttled = FALSE;
  if (d->error == NULL)
    issue_reads (d);
  maybe_end (d);
  return G_SOURCE_REMOVE;
}

static void
issue_reads (Download *d)
{
  guint32 chunk = pas_file_job_get_options (d->job)->read_size;
  guint64 budget = pas_file_job_get_budget (d->job);

  while (!d->throttled && (d->inflight == 0 || d->inflight_bytes + chunk <= budget))
    {
      Range *hole;

      if (d->eof_at == G_MAXUINT64 || !g_queue_is_empty (&d->holes))
        if (!pas_file_job_take_tokens (d->job, chunk, issue_reads_again, d))
          {
            d->throttled = TRUE;
            return;
          }
      hole = g_queue_pop_head (&d->holes);

      if (hole != NULL)
        {
          if (hole->offset < d->eof_at)
            send_read (d, hole->offset, hole->length);
          g_free (hole);
        }
      else if (d->eof_at != G_MAXUINT64)
        return;
      else if (d->next_offset < d->size_hint)
        {
          guint32 length = (guint32) MIN ((guint64) chunk, d->size_hint - d->next_offset);

          send_read (d, d->next_offset, length);
          d->next_offset += length;
        }
      else if (d->probes == 0)
        {
          send_read (d, d->next_offset, chunk);
          d->next_offset += chunk;
        }
      else
        return;
    }
}

static void
start_reading (Download *d)
{
  g_autoptr(GError) error = NULL;

  if (d->start > 0)
    d->out = G_OUTPUT_STREAM (g_file_append_to (d->partial, G_FILE_CREATE_PRIVATE, NULL, &error));
  else
    {
      /* Exclusive create: never through a link someone left in the way. */
      if (!g_file_delete (d->partial, NULL, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          finish (d, g_steal_pointer (&error));
          return;
        }
      g_clear_error (&error);
      d->out = G_OUTPUT_STREAM (g_file_create (d->partial, G_FILE_CREATE_PRIVATE, NULL, &error));
    }
  if (d->out == NULL)
    {
      finish (d, g_steal_pointer (&error));
      return;
    }
  d->wrote_partial = TRUE;
  d->write_pos = d->start;
  d->next_offset = d->start;
  pas_file_job_resumed (d->job, d->start);
  issue_reads (d);
  maybe_end (d);
}

static void
tail_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Download *d = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) remote = pas_sftp_session_read_finish (PAS_SFTP_SESSION (source), result, &error);

  if (error != NULL)
    {
      finish (d, g_steal_pointer (&error));
      return;
    }
  if (remote == NULL || g_bytes_get_size (remote) != d->local_tail_len ||
      memcmp (g_bytes_get_data (remote, NULL), d->local_tail, d->local_tail_len) != 0)
    {
      g_debug ("%s: the partial copy does not match the source; starting over", d->job->name);
      d->start = 0;
    }
  start_reading (d);
}

/* Reads the last bytes of the .filepart: if the server has the same bytes
 * there, the copy continues from its end. */
static gboolean
check_partial (Download *d)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  guint64 size;

  info = g_file_query_info (d->partial, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return FALSE;
  size = g_file_info_get_size (info);
  if (size == 0 || ((d->job->source.flags & PAS_SFTP_ATTR_SIZE) != 0 && size > d->job->source.size))
    return FALSE;
  in = g_file_read (d->partial, NULL, NULL);
  d->local_tail_len = MIN (size, PAS_RESUME_CHECK);
  d->local_tail = g_malloc (d->local_tail_len);
  if (in == NULL ||
      !g_seekable_seek (G_SEEKABLE (in), size - d->local_tail_len, G_SEEK_SET, NULL, NULL) ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), d->local_tail, d->local_tail_len, NULL, NULL, NULL))
    return FALSE;
  d->start = size;
  pas_sftp_session_read_async (d->session, d->file, size - d->local_tail_len, (guint32) d->local_tail_len,
                               pas_file_job_get_cancellable (d->job), tail_cb, d);
  return TRUE;
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Download *d = data;
  g_autoptr(GError) error = NULL;

  d->file = pas_sftp_session_open_file_finish (PAS_SFTP_SESSION (source), result, &error);
  if (d->file == NULL)
    {
      finish (d, g_steal_pointer (&error));
      return;
    }
  if ((pas_file_job_get_options (d->job)->resume || d->resume_this) && check_partial (d))
    return;
  d->start = 0;
  start_reading (d);
}

static gboolean
source_is_newer (PasFileJob *job,
                 GFileInfo  *info)
{
  g_autoptr(GDateTime) local = g_file_info_get_modification_date_time (info);

  return (job->source.flags & PAS_SFTP_ATTR_ACMODTIME) == 0 || local == NULL ||
         (gint64) job->source.mtime > g_date_time_to_unix (local);
}

static GFile *
free_name (GFile *target)
{
  g_autoptr(GFile) parent = g_file_get_parent (target);
  g_autofree char *base = g_file_get_basename (target);

  for (guint n = 2; n < 10000; n++)
    {
      g_autofree char *name = pas_transfer_keep_both_name (base, n);
      g_autoptr(GFile) candidate = g_file_get_child (parent, name);
      g_autofree char *partial_name = g_strconcat (name, PAS_PARTIAL_SUFFIX, NULL);
      g_autoptr(GFile) partial = g_file_get_child (parent, partial_name);

      if (!g_file_query_exists (candidate, NULL) && !g_file_query_exists (partial, NULL))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

/* The conflict policy decides; FALSE when there is nothing to do. */
static gboolean
resolve_conflict (Download         *d,
                  PasConflictPolicy policy,
                  gboolean         *skipped,
                  gboolean         *asked,
                  GError          **error)
{
  PasFileJob *job = d->job;
  g_autoptr(GFileInfo) info = g_file_query_info (d->target, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                 G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  *skipped = FALSE;
  if (info == NULL)
    return TRUE;
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_EXISTS, _("A folder named “%s” is in the way"), job->name);
      return FALSE;
    }
  switch (policy)
    {
    case PAS_CONFLICT_ASK:
      {
        g_autoptr(GDateTime) mtime = g_file_info_get_modification_date_time (info);
        g_autofree char *where = g_file_get_parse_name (d->target);
        PasConflictQuery query = {
          .direction = PAS_TRANSFER_DOWNLOAD,
          .name = job->name,
          .destination = where,
          .source_size = job->source.size,
          .source_mtime = (job->source.flags & PAS_SFTP_ATTR_ACMODTIME) != 0 ? job->source.mtime : 0,
          .target_size = g_file_info_get_size (info),
          .target_mtime = mtime != NULL ? g_date_time_to_unix (mtime) : 0,
          .can_resume = (guint64) g_file_info_get_size (info) < job->source.size,
        };

        /* The answer may come at once: @d is not ours to touch afterwards. */
        *asked = TRUE;
        pas_file_job_ask_conflict (job, &query, answered_cb, d);
        return FALSE;
      }
    case PAS_CONFLICT_SKIP:
      *skipped = TRUE;
      return FALSE;
    case PAS_CONFLICT_NEWER:
      *skipped = !source_is_newer (job, info);
      return !*skipped;
    case PAS_CONFLICT_RENAME:
      {
        g_autoptr(GFile) other = free_name (d->target);

        if (other == NULL)
          {
            g_set_error (error, PAS_ERROR, PAS_ERROR_EXISTS, _("No free name was found beside “%s”"), job->name);
            return FALSE;
          }
        g_set_object (&d->target, other);
        return TRUE;
      }
    case PAS_CONFLICT_RESUME:
      if (!g_file_query_exists (d->partial, NULL) &&
          !g_file_move (d->target, d->partial, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                        NULL, NULL, NULL, error))
        return FALSE;
      d->resume_this = TRUE;
      return TRUE;
    case PAS_CONFLICT_OVERWRITE:
    default:
      return TRUE;
    }
}

static GFile *
partial_for (GFile *target)
{
  g_autofree char *path = g_file_get_path (target);
  g_autofree char *partial = g_strconcat (path, PAS_PARTIAL_SUFFIX, NULL);

  return g_file_new_for_path (partial);
}

/* A size the target's file system cannot hold fails now, before a byte is
 * written, with numbers a person can act on; a server claiming 2^63 bytes
 * ends here too. Space lost while copying is still caught by the writes. */
static gboolean
check_room (Download *d,
            GError  **error)
{
  g_autoptr(GFile) folder = g_file_get_parent (d->partial);
  g_autoptr(GFileInfo) fs = NULL;
  g_autoptr(GFileInfo) partial = NULL;
  g_autofree char *need = NULL;
  g_autofree char *free_text = NULL;
  guint64 room;

  if ((d->job->source.flags & PAS_SFTP_ATTR_SIZE) == 0 || folder == NULL)
    return TRUE;
  fs = g_file_query_filesystem_info (folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (fs == NULL || !g_file_info_has_attribute (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return TRUE;
  room = g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  /* A .filepart left from before is either continued or replaced. */
  partial = g_file_query_info (d->partial, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                               NULL, NULL);
  if (partial != NULL)
    room += (guint64) MAX (g_file_info_get_size (partial), 0);
  if (d->job->source.size <= room)
    return TRUE;
  need = g_format_size (d->job->source.size);
  free_text = g_format_size (room);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _("The file is %s, but only %s are free where it would go"),
               need, free_text);
  return FALSE;
}

/* Past the conflict (or waiting for the answer to it): open the source. */
static void
go_on (Download         *d,
       PasConflictPolicy policy)
{
  PasFileJob *job = d->job;
  g_autoptr(GError) error = NULL;
  gboolean skipped, asked = FALSE;

  if (!resolve_conflict (d, policy, &skipped, &asked, &error))
    {
      if (asked)
        return;
      download_free (d);
      pas_file_job_done (job, g_steal_pointer (&error), skipped);
      return;
    }
  if (!g_file_equal (d->target, job->local))
    {
      g_autofree char *where = g_file_get_path (d->target);

      g_object_unref (d->partial);
      d->partial = partial_for (d->target);
      pas_file_job_set_destination (job, where);
    }
  if (!check_room (d, &error))
    {
      download_free (d);
      pas_file_job_done (job, g_steal_pointer (&error), FALSE);
      return;
    }
  pas_sftp_session_open_file_async (d->session, job->remote, PAS_SFTP_OPEN_READ, NULL,
                                    pas_file_job_get_cancellable (job), opened_cb, d);
}

static void
answered_cb (PasConflictPolicy policy,
             gpointer          data)
{
  go_on (data, policy);
}

void
pas_download_start (PasFileJob *job)
{
  Download *d = g_new0 (Download, 1);

  d->job = job;
  d->session = pas_file_job_get_session (job);
  d->target = g_object_ref (job->local);
  d->partial = partial_for (d->target);
  d->eof_at = G_MAXUINT64;
  d->size_hint = (job->source.flags & PAS_SFTP_ATTR_SIZE) != 0 ? job->source.size : 0;
  d->stash = g_tree_new_full (compare_offsets, NULL, g_free, (GDestroyNotify) g_bytes_unref);
  g_queue_init (&d->holes);

  go_on (d, pas_file_job_get_options (job)->policy);
}
