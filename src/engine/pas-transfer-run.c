#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-names.h"
#include "pas-transfer-run-private.h"

/* A transfer's run, in the transfer thread: the files it copies scheduled
 * a few at a time, conflicts asked one at a time, a list's files looked up,
 * and its start and end. The walks of folders are in pas-transfer-walk.c. */

static gboolean list_has_more (PasTransferRun *run);
static void look_up_next (PasTransferRun *run);

void
pas_transfer_dir_item_free (DirItem *item)
{
  g_free (item->remote);
  g_clear_object (&item->local);
  g_free (item);
}

void
pas_file_job_clear (PasFileJob *job)
{
  g_free (job->remote);
  g_clear_object (&job->local);
  g_free (job->name);
}

void
pas_file_job_free (PasFileJob *job)
{
  pas_file_job_clear (job);
  g_free (job);
}

/* ---- what files ask of their run ----------------------------------------- */

PasSftpSession *
pas_file_job_get_session (PasFileJob *job)
{
  return g_ptr_array_index (job->run->sessions, job->session_index);
}

guint
pas_file_job_get_session_index (PasFileJob *job)
{
  return job->session_index;
}

guint
pas_file_job_get_sessions (PasFileJob              *job,
                           PasSftpSession * const **sessions)
{
  *sessions = (PasSftpSession * const *) job->run->sessions->pdata;
  return job->run->sessions->len;
}

GCancellable *
pas_file_job_get_cancellable (PasFileJob *job)
{
  return job->run->cancellable;
}

const PasCopyOptions *
pas_file_job_get_options (PasFileJob *job)
{
  return &job->run->options;
}

guint64
pas_file_job_get_budget (PasFileJob *job)
{
  PasTransferRun *run = job->run;

  return MAX (RUN_BUDGET / MAX (run->active, 1), (guint64) MAX (run->options.read_size, run->options.write_size));
}

void
pas_file_job_progress (PasFileJob *job,
                       gint64      delta)
{
  PasTransfer *self = job->run->self;

  LOCKED (self);
  job->counted += delta;
  self->bytes_done += delta;
  pas_transfer_set_current (self, job->name);
}

void
pas_file_job_resumed (PasFileJob *job,
                      guint64     bytes)
{
  {
    LOCKED (job->run->self);
    job->run->self->bytes_resumed += bytes;
  }
  pas_file_job_progress (job, bytes);
}

gboolean
pas_file_job_take_tokens (PasFileJob *job,
                          guint64     bytes,
                          GSourceFunc again,
                          gpointer    data)
{
  PasTransferRun *run = job->run;
  Waiter waiter = { again, data };
  gint64 rate = (gint64) pas_transfer_get_rate_limit (run->self);

  if (rate == 0)
    return TRUE;
  /* A limit set while the run goes applies now: without it, the bucket
   * filled while there was none let the next 2 GiB through (a 24 MiB upload
   * answered "Replace" just after the limit was set ignored it). */
  run->tokens = MIN (run->tokens, rate / 4 + 1);
  /* Taking while positive (going below zero) keeps big chunks moving. */
  if (run->tokens > 0)
    {
      run->tokens -= (gint64) bytes;
      return TRUE;
    }
  g_array_append_val (run->waiters, waiter);
  return FALSE;
}

static gboolean
refill_cb (gpointer data)
{
  PasTransferRun *run = data;
  gint64 rate = (gint64) pas_transfer_get_rate_limit (run->self);
  g_autoptr(GArray) waiters = NULL;

  if (rate == 0)
    run->tokens = G_MAXINT32;
  else
    run->tokens = MIN (run->tokens + rate * REFILL_MS / 1000, rate / 4 + 1);
  if (run->waiters->len == 0)
    return G_SOURCE_CONTINUE;
  waiters = g_steal_pointer (&run->waiters);
  run->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *w = &g_array_index (waiters, Waiter, i);
      w->again (w->data);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- conflicts, asked one at a time ---------------------------------------- */

typedef struct
{
  PasTransferRun        *run;
  PasConflictQuery       query;
  char                  *name;
  char                  *destination;
  PasConflictAnswerFunc  answer;
  gpointer               data;
} Question;

static void
question_free (Question *q)
{
  g_free (q->name);
  g_free (q->destination);
  g_free (q);
}

static void ask_next (PasTransferRun *run);

/* Answers @q and frees it. The waiting jobs keep the run alive; after the
 * last one is answered the run may end, so nothing touches it afterwards. */
static void
answer (Question         *q,
        PasConflictPolicy policy)
{
  PasConflictAnswerFunc fn = q->answer;
  gpointer data = q->data;

  question_free (q);
  fn (policy, data);
}

/* The answer, carried from the caller's thread back to the run's. */
typedef struct
{
  Question          *q;
  PasConflictPolicy  policy;
  gboolean           all;
  GError            *error;
} Asked;

static gboolean
answered_cb (gpointer data)
{
  g_autofree Asked *asked = data;
  g_autoptr(GError) error = asked->error;
  PasTransferRun *run = asked->q->run;
  Question *q = g_queue_pop_head (&run->questions);

  g_assert (q == asked->q);
  if (error != NULL)
    g_debug ("%s skipped: %s", q->name, error->message);
  if (asked->all)
    run->for_all = asked->policy;
  run->asking = FALSE;
  if (g_queue_is_empty (&run->questions))
    {
      answer (q, asked->policy);
      return G_SOURCE_REMOVE;
    }
  answer (q, asked->policy);
  ask_next (run);
  return G_SOURCE_REMOVE;
}

static void
asked_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Asked *asked = g_new0 (Asked, 1);

  asked->q = data;
  pas_transfer_set_asking (asked->q->run->self, FALSE);
  asked->policy = pas_interaction_ask_conflict_finish (PAS_INTERACTION (source), result, &asked->all, &asked->error);
  /* A one-file transfer paused after "Replace" continues without asking
   * again, also after a restart (the queue saves the policy). ("Keep Both"
   * is not kept: the next run would pick yet another name.) */
  if (asked->q->run->single && asked->error == NULL &&
      (asked->policy == PAS_CONFLICT_OVERWRITE || asked->policy == PAS_CONFLICT_NEWER))
    pas_transfer_set_conflict_policy (asked->q->run->self, asked->policy);
  g_main_context_invoke (asked->q->run->context, answered_cb, asked);
}

/* In the caller's thread: the interaction shows dialogs. */
static gboolean
ask_cb (gpointer data)
{
  Question *q = data;

  pas_transfer_set_asking (q->run->self, TRUE);
  pas_interaction_ask_conflict_async (q->run->self->interaction, &q->query, q->run->cancellable, asked_cb, q);
  return G_SOURCE_REMOVE;
}

static void
ask_next (PasTransferRun *run)
{
  while (!run->asking && !g_queue_is_empty (&run->questions))
    {
      Question *q = g_queue_peek_head (&run->questions);
      gboolean last = g_queue_get_length (&run->questions) == 1;

      if (run->for_all >= 0 || run->self->interaction == NULL)
        {
          g_queue_pop_head (&run->questions);
          answer (q, run->for_all >= 0 ? (PasConflictPolicy) run->for_all : PAS_CONFLICT_SKIP);
          if (last)
            return;
          continue;
        }
      run->asking = TRUE;
      g_main_context_invoke (run->caller_context, ask_cb, q);
    }
}

void
pas_file_job_ask_conflict (PasFileJob             *job,
                           const PasConflictQuery *query,
                           PasConflictAnswerFunc   answer_fn,
                           gpointer                data)
{
  Question *q = g_new0 (Question, 1);

  q->run = job->run;
  q->query = *query;
  q->name = g_strdup (query->name);
  q->destination = g_strdup (query->destination);
  q->query.name = q->name;
  q->query.destination = q->destination;
  q->answer = answer_fn;
  q->data = data;
  g_queue_push_tail (&job->run->questions, q);
  ask_next (job->run);
}

gboolean
pas_transfer_is_fatal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_DISCONNECTED) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_TIMED_OUT);
}

void
pas_transfer_run_record_failure (PasTransferRun *run,
                                 GError         *error)
{
  if (pas_transfer_is_fatal (error))
    {
      if (run->fatal == NULL)
        run->fatal = error;
      else
        g_error_free (error);
      return;
    }
  LOCKED (run->self);
  g_ptr_array_add (run->self->failures, error);
}

void
pas_file_job_done (PasFileJob *job,
                   GError     *error,
                   gboolean    skipped)
{
  PasTransferRun *run = job->run;
  PasTransfer *self = run->self;

  /* A pause keeps the .filepart, and what it holds still counts. */
  gboolean lost = error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  run->active--;
  if (error != NULL)
    {
      if (!pas_transfer_is_fatal (error) && !run->single)
        g_prefix_error (&error, "%s: ", job->name);
      pas_transfer_run_record_failure (run, error);
    }
  {
    LOCKED (self);
    if (lost)
      self->bytes_done -= job->counted;
    else if (skipped)
      {
        self->files_skipped++;
        self->bytes_done += job->source.size - job->counted;
      }
    else
      self->files_done++;
    if (error == NULL && job->listed != NULL)
      job->listed->done = TRUE;
  }
  g_atomic_int_set (&self->progress_dirty, TRUE);
  pas_file_job_free (job);
  pas_transfer_run_schedule (run);
}

/* ---- the run ------------------------------------------------------------- */

static void
run_free (PasTransferRun *run)
{
  if (run->refill != NULL)
    g_source_destroy (run->refill);
  g_clear_pointer (&run->refill, g_source_unref);
  g_clear_object (&run->self);
  g_clear_pointer (&run->sessions, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_queue_clear_full (&run->files, (GDestroyNotify) pas_file_job_free);
  g_queue_clear_full (&run->dirs, (GDestroyNotify) pas_transfer_dir_item_free);
  g_clear_pointer (&run->visited, g_hash_table_unref);
  g_clear_pointer (&run->waiters, g_array_unref);
  g_clear_error (&run->fatal);
  g_clear_object (&run->task);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->caller_context, g_main_context_unref);
  g_free (run);
}

/* In the caller's thread, once the run's thread is done with it. */
static gboolean
answer_caller_cb (gpointer data)
{
  PasTransferRun *run = data;
  PasTransfer *self = run->self;
  g_autoptr(GTask) task = g_steal_pointer (&run->task);
  guint failed = self->failures->len;

  pas_transfer_stop_ticking (self);
  self->run = NULL;
  self->rate = 0;
  self->rate_time = 0;
  pas_transfer_emit_progress (self);
  if (run->fatal != NULL)
    g_task_return_error (task, g_steal_pointer (&run->fatal));
  else if (failed > 0 && run->single)
    g_task_return_error (task, g_error_copy (g_ptr_array_index (self->failures, 0)));
  else if (failed > 0)
    g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_PARTIAL,
                             g_dngettext (GETTEXT_PACKAGE, "%u item could not be copied",
                                          "%u items could not be copied", failed),
                             failed);
  else
    g_task_return_boolean (task, TRUE);
  run_free (run);
  return G_SOURCE_REMOVE;
}

static void
run_end (PasTransferRun *run)
{
  PasTransfer *self = run->self;

  /* Nothing of the run may run here once the caller has it. */
  if (run->refill != NULL)
    g_source_destroy (run->refill);
  g_clear_pointer (&run->refill, g_source_unref);

  g_mutex_lock (&self->lock);
  /* One line per run, for whoever reads G_MESSAGES_DEBUG=pas-transfer. */
  g_debug ("%s %s: %u files, %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " resumed) in %.2f s; "
           "%u skipped, %u failed%s%s",
           self->direction == PAS_TRANSFER_DOWNLOAD ? "download" : "upload", self->remote_path,
           self->files_done, self->bytes_done, self->bytes_resumed,
           (g_get_monotonic_time () - run->started) / 1e6, self->files_skipped, self->failures->len,
           run->fatal != NULL ? "; " : "", run->fatal != NULL ? run->fatal->message : "");
  g_mutex_unlock (&self->lock);
  /* The caller may free the transfer as soon as it has the run: last. */
  g_main_context_invoke (run->caller_context, answer_caller_cb, run);
}

PasFileJob *
pas_transfer_run_add_file (PasTransferRun     *run,
                           const char         *remote,
                           GFile              *local,
                           const PasSftpAttrs *source,
                           const char         *name)
{
  PasFileJob *job = g_new0 (PasFileJob, 1);

  job->run = run;
  job->remote = g_strdup (remote);
  job->local = g_object_ref (local);
  job->source = *source;
  job->name = g_strdup (name);
  g_queue_push_tail (&run->files, job);
  {
    LOCKED (run->self);
    run->self->files_total++;
    run->self->bytes_total += (source->flags & PAS_SFTP_ATTR_SIZE) != 0 ? source->size : 0;
  }
  g_atomic_int_set (&run->self->progress_dirty, TRUE);
  return job;
}

void
pas_transfer_run_add_dir (PasTransferRun *run,
                          const char     *remote,
                          GFile          *local,
                          guint           depth,
                          guint32         mode,
                          const char     *name)
{
  DirItem *item;

  if (depth > MAX_DEPTH)
    {
      pas_transfer_run_record_failure (run, g_error_new (PAS_ERROR, PAS_ERROR_FAILED,
                                        _("%s: folders nested deeper than %u levels are not copied"), name, MAX_DEPTH));
      return;
    }
  item = g_new0 (DirItem, 1);
  item->remote = g_strdup (remote);
  item->local = g_object_ref (local);
  item->depth = depth;
  item->mode = mode;
  g_queue_push_tail (&run->dirs, item);
}


/* Starts what may start. Files and walks can end at once (a local error),
 * calling back in here: those calls only ask for another pass, so the run
 * ends in one place, after the outermost pass. */
static void
schedule_pass (PasTransferRun *run)
{
  if (run->fatal == NULL && g_cancellable_set_error_if_cancelled (run->cancellable, &run->fatal))
    g_debug ("transfer cancelled");
  if (run->fatal != NULL)
    return;

  while (run->fatal == NULL && run->walking < MAX_LOOKUPS && g_queue_get_length (&run->files) < MAX_QUEUED_FILES &&
         list_has_more (run))
    look_up_next (run);
  while (run->active < run->max_files && !g_queue_is_empty (&run->files) && run->fatal == NULL)
    {
      PasFileJob *job = g_queue_pop_head (&run->files);

      run->active++;
      job->session_index = run->next_session++ % run->sessions->len;
      if (run->self->direction == PAS_TRANSFER_DOWNLOAD)
        pas_download_start (job);
      else
        pas_upload_start (job);
    }
  while (run->fatal == NULL && run->walking == 0 && !g_queue_is_empty (&run->dirs) &&
         g_queue_get_length (&run->files) < MAX_QUEUED_FILES)
    {
      DirItem *item = g_queue_pop_head (&run->dirs);

      run->walking++;
      if (run->self->direction == PAS_TRANSFER_DOWNLOAD)
        pas_transfer_run_walk_download (run, item);
      else
        pas_transfer_run_walk_upload (run, item);
    }
}

void
pas_transfer_run_schedule (PasTransferRun *run)
{
  if (run->scheduling)
    {
      run->again = TRUE;
      return;
    }
  run->scheduling = TRUE;
  do
    {
      run->again = FALSE;
      schedule_pass (run);
    }
  while (run->again);
  run->scheduling = FALSE;

  if (run->rooted && run->walking == 0 && g_queue_is_empty (&run->dirs) && !list_has_more (run) &&
      !run->self->sized)
    {
      LOCKED (run->self);
      run->self->sized = TRUE;
    }
  if (run->active > 0 || run->walking > 0)
    return;
  if (run->fatal != NULL ||
      (g_queue_is_empty (&run->files) && g_queue_is_empty (&run->dirs) && !list_has_more (run)))
    run_end (run);
}

/* In the run's thread, which alone marks entries done. */
static gboolean
list_has_more (PasTransferRun *run)
{
  GPtrArray *listed = run->self->listed;

  if (listed == NULL)
    return FALSE;
  while (run->next_listed < listed->len && ((PasListed *) g_ptr_array_index (listed, run->next_listed))->done)
    run->next_listed++;
  return run->next_listed < listed->len;
}

typedef struct
{
  PasTransferRun *run;
  PasListed      *listed;
  char           *remote;
  GFile          *local;
  char           *shown;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->remote);
  g_object_unref (lookup->local);
  g_free (lookup->shown);
  g_free (lookup);
}

/* What the plan saw may have changed since: a file gone or replaced by a
 * folder or a link fails on its own, and the others go on. */
static void
add_looked_up (Lookup             *lookup,
               GFileType           type,
               const PasSftpAttrs *attrs)
{
  if (type != G_FILE_TYPE_REGULAR)
    pas_transfer_run_record_failure (lookup->run, g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("%s: no longer a file"),
                                                               lookup->shown));
  else
    pas_transfer_run_add_file (lookup->run, lookup->remote, lookup->local, attrs,
                               lookup->shown)->listed = lookup->listed;
}

/* A lookup that failed: gone since the plan is said plainly. */
static void
lookup_failed (Lookup *lookup,
               GError *error)
{
  if (pas_error_is_not_found (error))
    {
      g_error_free (error);
      error = g_error_new (PAS_ERROR, PAS_ERROR_NOT_FOUND, _("%s: no longer there"), lookup->shown);
    }
  else if (!pas_transfer_is_fatal (error))
    g_prefix_error (&error, "%s: ", lookup->shown);
  pas_transfer_run_record_failure (lookup->run, error);
}

static void
listed_stat_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Lookup *lookup = data;
  PasTransferRun *run = lookup->run;
  GError *error = NULL;
  PasSftpAttrs attrs;

  run->walking--;
  if (!pas_sftp_session_stat_finish (run->session, result, &attrs, &error))
    lookup_failed (lookup, error);
  else
    add_looked_up (lookup,
                   (attrs.flags & PAS_SFTP_ATTR_PERMISSIONS) == 0 || (attrs.permissions & 0170000) == 0100000
                   ? G_FILE_TYPE_REGULAR : G_FILE_TYPE_SPECIAL, &attrs);
  lookup_free (lookup);
  pas_transfer_run_schedule (run);
}

/* The source's size, time and mode as they are now: local ones at once,
 * the server's with pipelined LSTATs (links are not a list's to copy). */
static void
look_up_next (PasTransferRun *run)
{
  PasTransfer *self = run->self;
  Lookup *lookup = g_new0 (Lookup, 1);
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;

  lookup->run = run;
  lookup->listed = g_ptr_array_index (self->listed, run->next_listed++);
  lookup->remote = g_build_path ("/", self->remote_path, lookup->listed->path, NULL);
  lookup->local = g_file_resolve_relative_path (self->local, lookup->listed->path);
  if (self->direction == PAS_TRANSFER_DOWNLOAD)
    {
      lookup->shown = pas_name_escape_for_display (lookup->listed->path, -1);
      run->walking++;
      pas_sftp_session_stat_async (run->session, lookup->remote, FALSE, run->cancellable, listed_stat_cb, lookup);
      return;
    }
  {
    g_autofree char *display = g_filename_display_name (lookup->listed->path);

    lookup->shown = pas_name_escape_for_display (display, -1);
  }
  info = g_file_query_info (lookup->local, LOCAL_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  if (info == NULL)
    lookup_failed (lookup, error);
  else
    {
      PasSftpAttrs attrs = pas_transfer_attrs_from_info (info);

      add_looked_up (lookup, g_file_info_get_file_type (info), &attrs);
    }
  lookup_free (lookup);
}

/* ---- starting ------------------------------------------------------------ */

static void
start_root (PasTransferRun     *run,
            GFileType           type,
            const PasSftpAttrs *attrs)
{
  PasTransfer *self = run->self;
  g_autofree char *shown = NULL;

  if (self->direction == PAS_TRANSFER_DOWNLOAD)
    shown = pas_name_escape_for_display (self->remote_path, -1);
  else
    shown = g_file_get_parse_name (self->local);

  run->rooted = TRUE;
  if (type == G_FILE_TYPE_REGULAR)
    {
      g_autofree char *kept = pas_transfer_dup_kept_name (self);

      run->single = TRUE;
      if (kept != NULL && self->direction == PAS_TRANSFER_DOWNLOAD)
        {
          g_autoptr(GFile) local = g_file_new_for_path (kept);
          pas_transfer_run_add_file (run, self->remote_path, local, attrs, shown);
        }
      else if (kept != NULL)
        pas_transfer_run_add_file (run, kept, self->local, attrs, shown);
      else
        pas_transfer_run_add_file (run, self->remote_path, self->local, attrs, shown);
    }
  else if (type == G_FILE_TYPE_DIRECTORY && self->recursive)
    pas_transfer_run_add_dir (run, self->remote_path, self->local, 0, attrs->permissions, shown);
  else if (type == G_FILE_TYPE_DIRECTORY)
    run->fatal = g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("“%s” is a folder: copy it with its contents"), shown);
  else
    run->fatal = g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("“%s” is not a file or a folder"), shown);
  pas_transfer_run_schedule (run);
}

static void
root_stat_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  PasTransferRun *run = data;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_stat_finish (run->session, result, &attrs, &run->fatal))
    {
      pas_transfer_run_schedule (run);
      return;
    }
  switch (attrs.permissions & 0170000)
    {
    case 0100000:
      start_root (run, G_FILE_TYPE_REGULAR, &attrs);
      break;
    case 0040000:
      start_root (run, G_FILE_TYPE_DIRECTORY, &attrs);
      break;
    default:
      start_root (run, G_FILE_TYPE_SPECIAL, &attrs);
      break;
    }
}

static void
start_source (PasTransferRun *run)
{
  PasTransfer *self = run->self;
  g_autoptr(GFileInfo) info = NULL;
  PasSftpAttrs attrs;

  if (self->listed != NULL)
    {
      run->rooted = TRUE;
      pas_transfer_run_schedule (run);
      return;
    }
  if (self->direction == PAS_TRANSFER_DOWNLOAD)
    {
      /* Links back to the top end there (the path is canonical: callers
       * resolve it with realpath or expand-path). */
      g_hash_table_add (run->visited, g_strdup (self->remote_path));
      pas_sftp_session_stat_async (run->session, self->remote_path, TRUE, run->cancellable, root_stat_cb, run);
      return;
    }
  info = g_file_query_info (self->local, LOCAL_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, run->cancellable, &run->fatal);
  if (info == NULL)
    {
      pas_transfer_run_schedule (run);
      return;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    pas_transfer_run_first_visit (run, info);
  attrs = pas_transfer_attrs_from_info (info);
  start_root (run, g_file_info_get_file_type (info), &attrs);
}

static void
limits_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  PasTransferRun *run = data;
  PasSftpLimits limits;

  run->options.round_trip = g_get_monotonic_time () - run->limits_sent;
  if (pas_sftp_session_limits_finish (run->session, result, &limits, NULL))
    {
      if (limits.max_read > 0)
        run->options.read_size = (guint32) MIN (limits.max_read, MAX_CHUNK);
      if (limits.max_write > 0)
        run->options.write_size = (guint32) MIN (limits.max_write, MAX_CHUNK);
      /* Two handles per file at most (a retry may overlap a close). */
      if (limits.max_open_handles > 2)
        run->max_files = (guint) MIN (run->max_files, limits.max_open_handles / 2);
    }
  start_source (run);
}


static gboolean
run_start_cb (gpointer data)
{
  PasTransferRun *run = data;

  if (pas_sftp_session_has_extension (run->session, "limits@openssh.com"))
    {
      run->limits_sent = g_get_monotonic_time ();
      pas_sftp_session_limits_async (run->session, run->cancellable, limits_cb, run);
    }
  else
    start_source (run);
  return G_SOURCE_REMOVE;
}

/* In the caller's thread: the speed limit's refills, then the start, in
 * the transfer thread. */
void
pas_transfer_run_begin (PasTransferRun *run)
{
  run->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  run->tokens = (gint64) MAX (pas_transfer_get_rate_limit (run->self) / 4, 1);
  run->refill = g_timeout_source_new (REFILL_MS);
  g_source_set_callback (run->refill, refill_cb, run, NULL);
  g_source_attach (run->refill, run->context);
  g_main_context_invoke (run->context, run_start_cb, run);
}
