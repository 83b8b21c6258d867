#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pas-engine-enums.h"
#include "pas-error.h"
#include "pas-names.h"
#include "pas-remote-file.h"
#include "pas-transfer-run-private.h"

G_DEFINE_FINAL_TYPE (PasTransfer, pas_transfer, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- object -------------------------------------------------------------- */

void
pas_transfer_stop_ticking (PasTransfer *self)
{
  if (self->progress_source != 0)
    g_source_destroy (g_main_context_find_source_by_id (self->progress_context, self->progress_source));
  self->progress_source = 0;
  g_clear_pointer (&self->progress_context, g_main_context_unref);
}

static void
pas_transfer_finalize (GObject *object)
{
  PasTransfer *self = PAS_TRANSFER (object);

  pas_transfer_stop_ticking (self);
  g_free (self->remote_path);
  g_clear_object (&self->local);
  g_free (self->current_name);
  g_free (self->destination);
  g_free (self->kept_name);
  g_clear_pointer (&self->listed, g_ptr_array_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->leftovers, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->interaction);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pas_transfer_parent_class)->finalize (object);
}

static void
pas_transfer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PasTransfer *self = PAS_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_transfer_class_init (PasTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pas_transfer_finalize;
  object_class->get_property = pas_transfer_get_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PAS_TYPE_TRANSFER_STATE, PAS_TRANSFER_QUEUED,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pas_transfer_init (PasTransfer *self)
{
  self->preserve = TRUE;
  self->expected_size = -1;
  self->max_files = DEFAULT_MAX_FILES;
  self->split_round_trip = PAS_SPLIT_MIN_ROUND_TRIP;
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  self->leftovers = g_ptr_array_new_with_free_func (g_free);
  self->keep_partial = TRUE;
  g_mutex_init (&self->lock);
}

PasTransfer *
pas_transfer_new (PasTransferDirection direction,
                  const char          *remote_path,
                  GFile               *local)
{
  PasTransfer *self = g_object_new (PAS_TYPE_TRANSFER, NULL);

  self->direction = direction;
  self->remote_path = g_strdup (remote_path);
  self->local = g_object_ref (local);
  return self;
}

PasTransferDirection
pas_transfer_get_direction (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), PAS_TRANSFER_DOWNLOAD);

  return self->direction;
}

const char *
pas_transfer_get_remote_path (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  return self->remote_path;
}

GFile *
pas_transfer_get_local (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  return self->local;
}

void
pas_transfer_set_recursive (PasTransfer *self,
                            gboolean     recursive)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->recursive = recursive;
}

gboolean
pas_transfer_get_recursive (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), FALSE);

  return self->recursive;
}

PasConflictPolicy
pas_transfer_get_conflict_policy (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), PAS_CONFLICT_ASK);

  return self->policy;
}

gboolean
pas_transfer_get_resume (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), FALSE);

  return self->resume;
}

PasTransferState
pas_transfer_get_state (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), PAS_TRANSFER_QUEUED);

  return self->state;
}

const GError *
pas_transfer_get_error (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  return self->error;
}

#define LOCKED(self) g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(self)->lock)

void
pas_transfer_set_rate_limit (PasTransfer *self,
                             guint64      bytes_per_second)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  LOCKED (self);
  self->rate_limit = bytes_per_second;
}

guint64
pas_transfer_get_rate_limit (PasTransfer *self)
{
  LOCKED (self);
  return self->rate_limit;
}
void
pas_transfer_set_interaction (PasTransfer    *self,
                              PasInteraction *interaction)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  g_set_object (&self->interaction, interaction);
}

void
pas_transfer_set_state (PasTransfer     *self,
                        PasTransferState state,
                        const GError    *error)
{
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}
void
pas_transfer_set_conflict_policy (PasTransfer      *self,
                                  PasConflictPolicy policy)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->policy = policy;
}

void
pas_transfer_set_resume (PasTransfer *self,
                         gboolean     resume)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->resume = resume;
}

void
pas_transfer_set_follow_symlinks (PasTransfer *self,
                                  gboolean     follow)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->follow_symlinks = follow;
}

void
pas_transfer_set_preserve (PasTransfer *self,
                           gboolean     preserve)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->preserve = preserve;
}

void
pas_transfer_set_fsync (PasTransfer *self,
                        gboolean     fsync)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->fsync = fsync;
}

void
pas_transfer_set_split_round_trip (PasTransfer *self,
                                   gint64       usec)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->split_round_trip = usec;
}

void
pas_transfer_set_max_files (PasTransfer *self,
                            guint        max_files)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  self->max_files = MAX (max_files, 1);
}

guint64
pas_transfer_get_bytes_done (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0);

  LOCKED (self);
  return self->bytes_done;
}

guint64
pas_transfer_get_bytes_total (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0);

  LOCKED (self);
  /* Until a run has sized it, the size the caller saw in a listing. */
  if (!self->sized && self->expected_size >= 0)
    return MAX (self->bytes_total, (guint64) self->expected_size);
  return self->bytes_total;
}

gboolean
pas_transfer_is_size_known (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), FALSE);

  LOCKED (self);
  return self->sized || self->expected_size >= 0;
}

void
pas_transfer_set_expected_size (PasTransfer *self,
                                gint64       size)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  LOCKED (self);
  self->expected_size = size;
}
guint
pas_transfer_get_files_done (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0);

  LOCKED (self);
  return self->files_done;
}

guint
pas_transfer_get_files_total (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0);

  LOCKED (self);
  return self->files_total;
}

guint
pas_transfer_get_files_skipped (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0);

  LOCKED (self);
  return self->files_skipped;
}

guint64
pas_transfer_get_bytes_resumed (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0);

  LOCKED (self);
  return self->bytes_resumed;
}

char *
pas_transfer_dup_current_name (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  LOCKED (self);
  return g_strdup (self->current_name);
}

char *
pas_transfer_dup_destination (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  LOCKED (self);
  return g_strdup (self->destination);
}

char *
pas_transfer_dup_kept_name (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  LOCKED (self);
  return g_strdup (self->kept_name);
}

/* Restoring a queue: the name a one-file copy chose with "Keep Both". */
void
pas_transfer_set_kept_name (PasTransfer *self,
                            const char  *path)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  LOCKED (self);
  g_free (self->kept_name);
  self->kept_name = g_strdup (path);
  g_free (self->destination);
  self->destination = g_strdup (path);
}

void
pas_file_job_set_destination (PasFileJob *job,
                              const char *path)
{
  PasTransfer *self = job->run->self;

  if (!job->run->single)
    return;
  {
    LOCKED (self);
    g_free (self->destination);
    self->destination = g_strdup (path);
    /* A pause, a failure or a restart continues into this name: asking
     * again would pick yet another one and leave this .filepart behind. */
    g_free (self->kept_name);
    self->kept_name = g_strdup (path);
  }
  g_atomic_int_set (&self->progress_dirty, TRUE);
}
double
pas_transfer_get_rate (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), 0.0);

  return self->run != NULL ? self->rate : 0;
}

gboolean
pas_transfer_is_asking (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), FALSE);

  return self->asking;
}

void
pas_transfer_set_keep_partial (PasTransfer *self,
                               gboolean     keep)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  g_atomic_int_set (&self->keep_partial, keep);
}

gboolean
pas_file_job_settle_partial (PasFileJob   *job,
                             gboolean      remote,
                             const char   *path,
                             const GError *error,
                             gboolean      removable)
{
  PasTransfer *self = job->run->self;
  g_autofree char *entry = g_strconcat (remote ? "R" : "L", path, NULL);
  gboolean remove = error != NULL && removable && !g_atomic_int_get (&self->keep_partial) &&
                    g_cancellable_is_cancelled (pas_file_job_get_cancellable (job));
  guint index;
  LOCKED (self);

  if (g_ptr_array_find_with_equal_func (self->leftovers, entry, g_str_equal, &index))
    g_ptr_array_remove_index (self->leftovers, index);
  if (error != NULL && !remove)
    g_ptr_array_add (self->leftovers, g_steal_pointer (&entry));
  return remove;
}

static void
remove_local_thread (GTask        *task,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  GPtrArray *paths = data;

  for (guint i = 0; i < paths->len; i++)
    if (g_unlink (g_ptr_array_index (paths, i)) != 0 && errno != ENOENT)
      g_debug ("could not remove %s: %s", (char *) g_ptr_array_index (paths, i), g_strerror (errno));
}

void
pas_transfer_remove_partials (PasTransfer    *self,
                              PasSftpSession *session)
{
  g_autoptr(GPtrArray) local = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAS_IS_TRANSFER (self));
  g_return_if_fail (session == NULL || PAS_IS_SFTP_SESSION (session));

  {
    LOCKED (self);
    left = g_steal_pointer (&self->leftovers);
    self->leftovers = g_ptr_array_new_with_free_func (g_free);
  }
  /* Not run in this process (restored after a restart): a one-file
   * transfer's is known by name (a folder has none by that name). */
  if (!self->ran)
    {
      g_autofree char *local_path = g_file_get_path (self->local);

      g_ptr_array_add (left, self->direction == PAS_TRANSFER_DOWNLOAD
                             ? g_strconcat ("L", local_path, PAS_PARTIAL_SUFFIX, NULL)
                             : g_strconcat ("R", self->remote_path, PAS_PARTIAL_SUFFIX, NULL));
    }
  for (guint i = 0; i < left->len; i++)
    {
      const char *entry = g_ptr_array_index (left, i);

      if (entry[0] == 'L')
        g_ptr_array_add (local, g_strdup (entry + 1));
      else if (session != NULL)
        pas_sftp_session_remove_async (session, entry + 1, NULL, NULL, NULL);
    }
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, pas_transfer_remove_partials);
  g_task_set_task_data (task, g_steal_pointer (&local), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, remove_local_thread);
}

void
pas_transfer_emit_progress (PasTransfer *self)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

void
pas_transfer_set_asking (PasTransfer *self,
                         gboolean     asking)
{
  self->asking = asking;
  pas_transfer_emit_progress (self);
}
GPtrArray *
pas_transfer_get_failures (PasTransfer *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  return self->failures;
}

gboolean
pas_transfer_is_partial_name (const char *name)
{
  const char *at;

  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_has_suffix (name, PAS_PARTIAL_SUFFIX))
    return TRUE;
  at = g_strrstr (name, PAS_PARTIAL_SUFFIX ".");
  if (at == NULL || at[strlen (PAS_PARTIAL_SUFFIX ".")] == '\0')
    return FALSE;
  for (at += strlen (PAS_PARTIAL_SUFFIX "."); *at != '\0'; at++)
    if (!g_ascii_isdigit (*at))
      return FALSE;
  return TRUE;
}

char *
pas_transfer_keep_both_name (const char *name,
                             guint       n)
{
  const char *dot = strrchr (name, '.');

  /* ".bashrc" and "name." have no extension to keep at the end. */
  if (dot == NULL || dot == name || dot[1] == '\0')
    return g_strdup_printf ("%s (%u)", name, n);
  return g_strdup_printf ("%.*s (%u)%s", (int) (dot - name), name, n, dot);
}

/* ---- progress ------------------------------------------------------------ */

static gboolean
progress_tick_cb (gpointer data)
{
  PasTransfer *self = data;

  gint64 now = g_get_monotonic_time ();
  guint64 bytes;

  {
    LOCKED (self);
    /* What a .filepart already held is not speed. */
    bytes = self->bytes_done - MIN (self->bytes_resumed, self->bytes_done);
  }
  /* About a second of memory at ten ticks a second; nothing moving (a
   * question waiting, a stalled server) brings it down to nothing. */
  if (self->rate_time != 0 && now > self->rate_time && bytes >= self->rate_bytes)
    {
      double instant = (double) (bytes - self->rate_bytes) * G_USEC_PER_SEC / (double) (now - self->rate_time);
      self->rate = self->rate == 0 ? instant : 0.85 * self->rate + 0.15 * instant;
      if (self->rate < 1.0)
        self->rate = 0;
    }
  self->rate_time = now;
  self->rate_bytes = bytes;
  if (g_atomic_int_compare_and_exchange (&self->progress_dirty, TRUE, FALSE))
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  return G_SOURCE_CONTINUE;
}

/* Called with the lock held. */
void
pas_transfer_set_current (PasTransfer *self,
                          const char  *name)
{
  if (g_strcmp0 (self->current_name, name) != 0)
    {
      g_free (self->current_name);
      self->current_name = g_strdup (name);
    }
  g_atomic_int_set (&self->progress_dirty, TRUE);
}

void
pas_transfer_run_count_skipped (PasTransferRun *run)
{
  LOCKED (run->self);
  run->self->files_skipped++;
  g_atomic_int_set (&run->self->progress_dirty, TRUE);
}

/* ---- lists: the files a sync chose ---------------------------------------- */

static void
listed_free (PasListed *listed)
{
  g_free (listed->path);
  g_free (listed);
}

/* A path from a plan, or from queue.ini after a restart: it must stay
 * under both roots. */
static gboolean
is_relative_path (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] == '\0' || path[0] == '/')
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

gboolean
pas_transfer_set_files (PasTransfer        *self,
                        const char * const *paths)
{
  GPtrArray *listed;

  g_return_val_if_fail (PAS_IS_TRANSFER (self), FALSE);
  g_return_val_if_fail (self->run == NULL, FALSE);
  g_return_val_if_fail (paths != NULL, FALSE);

  for (guint i = 0; paths[i] != NULL; i++)
    if (!is_relative_path (paths[i]))
      return FALSE;
  listed = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_free);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      PasListed *entry = g_new0 (PasListed, 1);

      entry->path = g_strdup (paths[i]);
      g_ptr_array_add (listed, entry);
    }
  {
    LOCKED (self);
    g_clear_pointer (&self->listed, g_ptr_array_unref);
    self->listed = listed;
  }
  return TRUE;
}

char **
pas_transfer_dup_files (PasTransfer *self)
{
  GPtrArray *paths;

  g_return_val_if_fail (PAS_IS_TRANSFER (self), NULL);

  LOCKED (self);
  if (self->listed == NULL)
    return NULL;
  paths = g_ptr_array_new ();
  for (guint i = 0; i < self->listed->len; i++)
    {
      PasListed *entry = g_ptr_array_index (self->listed, i);

      if (!entry->done)
        g_ptr_array_add (paths, g_strdup (entry->path));
    }
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (paths, FALSE);
}

/* One thread for the runs of the whole process: the walks, the SFTP answers
 * and every local read, write, fsync and rename of a transfer happen there,
 * never in the caller's (the UI's) thread. Its context lives as long as the
 * process, so an answer nobody waits for (a close sent on the way out) still
 * finds it. */
static gpointer
transfer_thread (gpointer data)
{
  GMainContext *context = data;
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);
  return NULL;
}

static GMainContext *
transfer_context (void)
{
  static gsize made;
  static GMainContext *context;

  if (g_once_init_enter (&made))
    {
      context = g_main_context_new ();
      g_thread_unref (g_thread_new ("pas-transfer", transfer_thread, context));
      g_once_init_leave (&made, 1);
    }
  return context;
}

static void
run_on (PasTransfer            *self,
        PasSftpSession * const *sessions,
        guint                   n_sessions,
        gpointer                source_tag,
        GCancellable           *cancellable,
        GAsyncReadyCallback     callback,
        gpointer                user_data)
{
  PasTransferRun *run;

  g_return_if_fail (PAS_IS_TRANSFER (self));
  g_return_if_fail (self->run == NULL);
  g_return_if_fail (n_sessions > 0);

  run = g_new0 (PasTransferRun, 1);
  run->self = g_object_ref (self);
  run->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_sessions; i++)
    g_ptr_array_add (run->sessions, g_object_ref (sessions[i]));
  run->session = sessions[0];
  run->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (run->task, source_tag);
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  run->options = (PasCopyOptions) {
    .policy = self->policy,
    .resume = self->resume,
    .preserve = self->preserve,
    .fsync = self->fsync,
    .split_round_trip = self->split_round_trip,
    .read_size = SAFE_CHUNK,
    .write_size = SAFE_CHUNK,
  };
  run->max_files = self->max_files;
  run->started = g_get_monotonic_time ();
  run->visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&run->files);
  g_queue_init (&run->dirs);
  g_queue_init (&run->questions);
  run->for_all = -1;
  self->run = run;
  self->ran = TRUE;

  self->bytes_done = self->bytes_total = 0;
  self->sized = FALSE;
  self->files_done = self->files_total = self->files_skipped = 0;
  self->bytes_resumed = 0;
  {
    LOCKED (self);
    g_free (self->destination);
    self->destination = g_strdup (self->kept_name);
  }
  g_ptr_array_set_size (self->failures, 0);
  {
    /* Progress ticks in the caller's context; the speed limit refills in the run's. */
    g_autoptr(GSource) tick = g_timeout_source_new (PROGRESS_INTERVAL_MS);

    run->caller_context = g_main_context_ref_thread_default ();
    run->context = g_main_context_ref (transfer_context ());
    g_source_set_callback (tick, progress_tick_cb, self, NULL);
    self->progress_source = g_source_attach (tick, run->caller_context);
    self->progress_context = g_main_context_ref (run->caller_context);
  }
  pas_transfer_run_begin (run);
}

void
pas_transfer_run_async (PasTransfer        *self,
                        PasSftpSession     *session,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (session));

  run_on (self, &session, 1, pas_transfer_run_async, cancellable, callback, user_data);
}

gboolean
pas_transfer_run_finish (PasTransfer  *self,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_transfer_run_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pas_transfer_run_on_async (PasTransfer            *self,
                           PasSftpSession * const *sessions,
                           guint                   n_sessions,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  g_return_if_fail (PAS_IS_TRANSFER (self));

  run_on (self, sessions, n_sessions, pas_transfer_run_on_async, cancellable, callback, user_data);
}

gboolean
pas_transfer_run_on_finish (PasTransfer  *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_transfer_run_on_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
