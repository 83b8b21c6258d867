#define G_LOG_DOMAIN "pas-transfer"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pas-error.h"
#include "pas-names.h"
#include "pas-remote-file.h"
#include "pas-transfer-private.h"

/* Bytes in flight across all files of a run: the SFTP channel's window. */
#define RUN_BUDGET (16 * 1024 * 1024)
/* Without limits@openssh.com, the size every SFTP server must accept. */
#define SAFE_CHUNK 32768
/* Our frame limit, minus room for the DATA/WRITE header. */
#define MAX_CHUNK (PAS_SFTP_MAX_PACKET - 1024)
#define DEFAULT_MAX_FILES 32
#define MAX_DEPTH 64
/* A tree walk pauses while this many files wait, so memory stays bounded. */
#define MAX_QUEUED_FILES 4096
/* A list's server-side lookups in flight (one round trip for them all). */
#define MAX_LOOKUPS 256
#define PROGRESS_INTERVAL_MS 100

struct _PasTransfer
{
  GObject               parent_instance;

  PasTransferDirection  direction;
  char                 *remote_path;
  GFile                *local;
  gboolean              recursive;
  PasConflictPolicy     policy;
  gboolean              resume;
  gboolean              follow_symlinks;
  gboolean              preserve;
  gboolean              fsync;
  gint64                split_round_trip;
  guint                 max_files;
  guint64               rate_limit;
  PasInteraction       *interaction;
  PasTransferState      state;
  GError               *error;

  guint64               bytes_done;
  guint64               bytes_total;
  gboolean              sized;            /* bytes_total is the whole: the walk ended */
  gint64                expected_size;    /* what the listing said, before a run; -1: unknown */
  guint                 files_done;
  guint                 files_total;
  guint                 files_skipped;
  guint64               bytes_resumed;
  char                 *current_name;
  char                 *destination;
  char                 *kept_name;        /* a one-file copy's "Keep Both" name, for its later runs */
  GPtrArray            *listed;           /* of PasListed: a list's files; NULL: a walk */
  GPtrArray            *failures;
  GPtrArray            *leftovers;        /* .fileparts left: "L/path" here, "R/path" remote */
  gint                  keep_partial;     /* atomic */
  gboolean              ran;              /* in this process: leftovers is the whole truth */

  PasTransferRun       *run;
  guint                 progress_source;
  GMainContext         *progress_context;
  gint                  progress_dirty;   /* atomic */
  /* The caller's thread's: a smoothed rate, and a question waiting. */
  double                rate;
  gint64                rate_time;
  guint64               rate_bytes;
  gboolean              asking;

  /* The run works in a thread of its own; the caller reads the figures
   * above (bytes_done to failures) and the rate limit under this lock. */
  GMutex                lock;
};

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

/* The speed limit refills this often; a burst is at most a quarter second. */
#define REFILL_MS 50

typedef struct
{
  GSourceFunc again;
  gpointer    data;
} Waiter;

struct _PasListed
{
  char     *path;   /* relative to both roots */
  gboolean  done;   /* copied by a run: the next one leaves it */
};
typedef struct _PasListed PasListed;

/* A folder still to walk: its source and its destination. */
typedef struct
{
  char  *remote;
  GFile *local;
  guint  depth;
  guint32 mode;
} DirItem;

struct _PasTransferRun
{
  PasTransfer    *self;
  GMainContext   *caller_context;  /* where the caller is answered and asked */
  GMainContext   *context;         /* the transfer thread's */
  GPtrArray      *sessions;    /* of PasSftpSession: files are spread over them */
  PasSftpSession *session;     /* the first: walks, lookups */
  guint           next_session;
  gint64          limits_sent;
  GTask          *task;
  GCancellable   *cancellable;
  PasCopyOptions  options;
  guint           max_files;
  guint           active;
  GQueue          files;       /* of PasFileJob */
  GQueue          dirs;        /* of DirItem */
  guint           next_listed; /* the list's next entry to look up */
  guint           walking;     /* listings and lookups under way */
  GHashTable     *visited;     /* folders reached through links: loops end here */
  gint64          started;     /* monotonic µs */
  gboolean        single;      /* the source is one file */
  gboolean        rooted;      /* the source was looked up: the walk has begun */
  gboolean        scheduling;
  gboolean        again;
  GQueue          questions;   /* of Question: conflicts waiting for an answer */
  gboolean        asking;
  gint            for_all;     /* an answer "for all", or -1 */
  gint64          tokens;      /* bytes that may go now under the speed limit */
  GArray         *waiters;     /* of Waiter */
  GSource        *refill;
  GError         *fatal;
};

static void schedule (PasTransferRun *run);
static gboolean list_has_more (PasTransferRun *run);
static void look_up_next (PasTransferRun *run);

/* ---- object -------------------------------------------------------------- */

static void
dir_item_free (DirItem *item)
{
  g_free (item->remote);
  g_clear_object (&item->local);
  g_free (item);
}

static void
file_job_clear (PasFileJob *job)
{
  g_free (job->remote);
  g_clear_object (&job->local);
  g_free (job->name);
}

static void
file_job_free (PasFileJob *job)
{
  file_job_clear (job);
  g_free (job);
}

static void
stop_ticking (PasTransfer *self)
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

  stop_ticking (self);
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
      g_value_set_uint (value, self->state);
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

  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, PAS_TRANSFER_CANCELLED, 0,
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
pas_transfer_new (PasTransferDirection  direction,
                  const char           *remote_path,
                  GFile                *local)
{
  PasTransfer *self = g_object_new (PAS_TYPE_TRANSFER, NULL);

  self->direction = direction;
  self->remote_path = g_strdup (remote_path);
  self->local = g_object_ref (local);
  return self;
}

PasTransferDirection pas_transfer_get_direction (PasTransfer *self) { return self->direction; }
const char *pas_transfer_get_remote_path (PasTransfer *self) { return self->remote_path; }
GFile *pas_transfer_get_local (PasTransfer *self) { return self->local; }
void pas_transfer_set_recursive (PasTransfer *self, gboolean recursive) { self->recursive = recursive; }
gboolean pas_transfer_get_recursive (PasTransfer *self) { return self->recursive; }
PasConflictPolicy pas_transfer_get_conflict_policy (PasTransfer *self) { return self->policy; }
gboolean pas_transfer_get_resume (PasTransfer *self) { return self->resume; }
PasTransferState pas_transfer_get_state (PasTransfer *self) { return self->state; }
const GError *pas_transfer_get_error (PasTransfer *self) { return self->error; }
#define LOCKED(self) g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(self)->lock)

void
pas_transfer_set_rate_limit (PasTransfer *self,
                             guint64      bytes_per_second)
{
  LOCKED (self);
  self->rate_limit = bytes_per_second;
}

static guint64
get_rate_limit (PasTransfer *self)
{
  LOCKED (self);
  return self->rate_limit;
}
void pas_transfer_set_interaction (PasTransfer *self, PasInteraction *interaction) { g_set_object (&self->interaction, interaction); }

void
pas_transfer_set_state (PasTransfer      *self,
                        PasTransferState  state,
                        const GError     *error)
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
void pas_transfer_set_conflict_policy (PasTransfer *self, PasConflictPolicy policy) { self->policy = policy; }
void pas_transfer_set_resume (PasTransfer *self, gboolean resume) { self->resume = resume; }
void pas_transfer_set_follow_symlinks (PasTransfer *self, gboolean follow) { self->follow_symlinks = follow; }
void pas_transfer_set_preserve (PasTransfer *self, gboolean preserve) { self->preserve = preserve; }
void pas_transfer_set_fsync (PasTransfer *self, gboolean fsync) { self->fsync = fsync; }
void pas_transfer_set_split_round_trip (PasTransfer *self, gint64 usec) { self->split_round_trip = usec; }
void pas_transfer_set_max_files (PasTransfer *self, guint max_files) { self->max_files = MAX (max_files, 1); }
guint64 pas_transfer_get_bytes_done (PasTransfer *self) { LOCKED (self); return self->bytes_done; }
guint64
pas_transfer_get_bytes_total (PasTransfer *self)
{
  LOCKED (self);
  /* Until a run has sized it, the size the caller saw in a listing. */
  if (!self->sized && self->expected_size >= 0)
    return MAX (self->bytes_total, (guint64) self->expected_size);
  return self->bytes_total;
}

gboolean
pas_transfer_is_size_known (PasTransfer *self)
{
  LOCKED (self);
  return self->sized || self->expected_size >= 0;
}

void
pas_transfer_set_expected_size (PasTransfer *self,
                                gint64       size)
{
  LOCKED (self);
  self->expected_size = size;
}
guint pas_transfer_get_files_done (PasTransfer *self) { LOCKED (self); return self->files_done; }
guint pas_transfer_get_files_total (PasTransfer *self) { LOCKED (self); return self->files_total; }
guint pas_transfer_get_files_skipped (PasTransfer *self) { LOCKED (self); return self->files_skipped; }
guint64 pas_transfer_get_bytes_resumed (PasTransfer *self) { LOCKED (self); return self->bytes_resumed; }
char *pas_transfer_dup_current_name (PasTransfer *self) { LOCKED (self); return g_strdup (self->current_name); }
char *pas_transfer_dup_destination (PasTransfer *self) { LOCKED (self); return g_strdup (self->destination); }
char *pas_transfer_dup_kept_name (PasTransfer *self) { LOCKED (self); return g_strdup (self->kept_name); }

/* Restoring a queue: the name a one-file copy chose with "Keep Both". */
void
pas_transfer_set_kept_name (PasTransfer *self,
                            const char  *path)
{
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
double pas_transfer_get_rate (PasTransfer *self) { return self->run != NULL ? self->rate : 0; }
gboolean pas_transfer_is_asking (PasTransfer *self) { return self->asking; }
void pas_transfer_set_keep_partial (PasTransfer *self, gboolean keep) { g_atomic_int_set (&self->keep_partial, keep); }

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

static void
set_asking (PasTransfer *self,
            gboolean     asking)
{
  self->asking = asking;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}
GPtrArray *pas_transfer_get_failures (PasTransfer *self) { return self->failures; }

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
static void
set_current (PasTransfer *self,
             const char  *name)
{
  if (g_strcmp0 (self->current_name, name) != 0)
    {
      g_free (self->current_name);
      self->current_name = g_strdup (name);
    }
  g_atomic_int_set (&self->progress_dirty, TRUE);
}

static void
count_skipped (PasTransferRun *run)
{
  LOCKED (run->self);
  run->self->files_skipped++;
  g_atomic_int_set (&run->self->progress_dirty, TRUE);
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
  set_current (self, job->name);
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
pas_file_job_take_tokens (PasFileJob  *job,
                          guint64      bytes,
                          GSourceFunc  again,
                          gpointer     data)
{
  PasTransferRun *run = job->run;
  Waiter waiter = { again, data };
  gint64 rate = (gint64) get_rate_limit (run->self);

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
  gint64 rate = (gint64) get_rate_limit (run->self);
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
answer (Question          *q,
        PasConflictPolicy  policy)
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
  set_asking (asked->q->run->self, FALSE);
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

  set_asking (q->run->self, TRUE);
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

static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_DISCONNECTED) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_TIMED_OUT);
}

static void
record_failure (PasTransferRun *run,
                GError         *error)
{
  if (is_fatal (error))
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
      if (!is_fatal (error) && !run->single)
        g_prefix_error (&error, "%s: ", job->name);
      record_failure (run, error);
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
  file_job_free (job);
  schedule (run);
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
  g_queue_clear_full (&run->files, (GDestroyNotify) file_job_free);
  g_queue_clear_full (&run->dirs, (GDestroyNotify) dir_item_free);
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

  stop_ticking (self);
  self->run = NULL;
  self->rate = 0;
  self->rate_time = 0;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
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

static PasFileJob *
add_file (PasTransferRun     *run,
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

static void
add_dir (PasTransferRun *run,
         const char     *remote,
         GFile          *local,
         guint           depth,
         guint32         mode,
         const char     *name)
{
  DirItem *item;

  if (depth > MAX_DEPTH)
    {
      record_failure (run, g_error_new (PAS_ERROR, PAS_ERROR_FAILED,
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

static void walk_download (PasTransferRun *run, DirItem *item);
static void walk_upload (PasTransferRun *run, DirItem *item);

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
        walk_download (run, item);
      else
        walk_upload (run, item);
    }
}

static void
schedule (PasTransferRun *run)
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

/* ---- downloads: walking the server's folders ----------------------------- */

static gboolean
make_local_dir (GFile    *dir,
                guint32   mode,
                GError  **error)
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
  dir_item_free (walk->item);
  g_free (walk);
}

static void
walk_done (PasTransferRun *run)
{
  run->walking--;
  schedule (run);
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
  file_job_clear (&link->job);
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
    record_failure (run, g_error_new (error->domain, error->code, "%s: %s", link->job.name, error->message));
  else if (g_hash_table_add (run->visited, g_steal_pointer (&real)))
    add_dir (run, link->job.remote, link->job.local, link->depth, link->job.source.permissions, link->job.name);
  else
    count_skipped (run);   /* a loop */
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
    record_failure (run, g_error_new (error->domain, error->code, "%s: %s", link->job.name, error->message));
  else if ((link->job.source.permissions & 0170000) == 0040000)
    {
      pas_sftp_session_realpath_async (run->session, link->job.remote, run->cancellable, link_realpath_cb, link);
      return;
    }
  else if ((link->job.source.permissions & 0170000) == 0100000)
    add_file (run, link->job.remote, link->job.local, &link->job.source, link->job.name);
  else
    count_skipped (run);
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
          record_failure (run, g_error_new (PAS_ERROR, PAS_ERROR_UNSAFE_NAME,
                                            _("The server listed an unusable name, “%s”"), shown));
          continue;
        }
      local = g_file_get_child (walk->item->local, pas_remote_file_get_name (file));
      switch (pas_remote_file_get_file_type (file))
        {
        case G_FILE_TYPE_REGULAR:
          add_file (run, pas_remote_file_get_path (file), local, &name->attrs, shown);
          break;
        case G_FILE_TYPE_DIRECTORY:
          add_dir (run, pas_remote_file_get_path (file), local, walk->item->depth + 1, name->attrs.permissions, shown);
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
          count_skipped (run);
          break;
        }
    }
  g_atomic_int_set (&run->self->progress_dirty, TRUE);
  schedule (run);
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Walk *walk = data;
  PasTransferRun *run = walk->run;
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_finish (PAS_SFTP_SESSION (source), result, &error))
    record_failure (run, g_steal_pointer (&error));
  walk_free (walk);
  walk_done (run);
}

static void
walk_download (PasTransferRun *run,
               DirItem        *item)
{
  g_autoptr(GError) error = NULL;
  Walk *walk;

  if (!make_local_dir (item->local, run->options.preserve ? item->mode : 0, &error))
    {
      record_failure (run, g_steal_pointer (&error));
      dir_item_free (item);
      walk_done (run);
      return;
    }
  walk = g_new0 (Walk, 1);
  walk->run = run;
  walk->item = item;
  pas_sftp_session_list_async (run->session, item->remote, list_batch_cb, walk, run->cancellable, list_done_cb, walk);
}

/* ---- uploads: walking local folders -------------------------------------- */

#define LOCAL_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
                         G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
                         G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_UNIX_MODE "," \
                         G_FILE_ATTRIBUTE_UNIX_DEVICE "," G_FILE_ATTRIBUTE_UNIX_INODE

static PasSftpAttrs
attrs_from_info (GFileInfo *info)
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
static gboolean
first_visit (PasTransferRun *run,
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
          count_skipped (run);
          return;
        }
      info = followed;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && !first_visit (run, info))
        {
          count_skipped (run);
          return;
        }
    }
  attrs = attrs_from_info (info);
  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
      add_file (run, remote, child, &attrs, shown);
      break;
    case G_FILE_TYPE_DIRECTORY:
      add_dir (run, remote, child, parent->depth + 1, attrs.permissions, shown);
      break;
    default:
      count_skipped (run);
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
    record_failure (run, g_steal_pointer (&error));
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
    record_failure (run, g_steal_pointer (&error));
  else if ((attrs.permissions & 0170000) != 0040000)
    {
      g_autofree char *shown = pas_name_escape_for_display (walk->item->remote, -1);
      record_failure (run, g_error_new (PAS_ERROR, PAS_ERROR_EXISTS, _("“%s” is in the way of a folder"), shown));
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

  if (!pas_sftp_session_finish (PAS_SFTP_SESSION (source), result, &error))
    {
      /* Usually: it exists already. Is it a folder? */
      if (is_fatal (error))
        {
          record_failure (run, g_steal_pointer (&error));
          walk_free (walk);
          walk_done (run);
          return;
        }
      pas_sftp_session_stat_async (run->session, walk->item->remote, TRUE, run->cancellable, remote_dir_checked_cb, walk);
      return;
    }
  enumerate_local (run, walk->item);
  walk_free (walk);
  walk_done (run);
}

static void
walk_upload (PasTransferRun *run,
             DirItem        *item)
{
  Walk *walk = g_new0 (Walk, 1);
  guint32 mode = run->options.preserve && item->mode != 0 ? (item->mode & 0777) | 0700 : 0755;

  walk->run = run;
  walk->item = item;
  pas_sftp_session_mkdir_async (run->session, item->remote, mode, run->cancellable, remote_mkdir_cb, walk);
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
    record_failure (lookup->run, g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("%s: no longer a file"), lookup->shown));
  else
    add_file (lookup->run, lookup->remote, lookup->local, attrs, lookup->shown)->listed = lookup->listed;
}

/* A lookup that failed: gone since the plan is said plainly. */
static void
lookup_failed (Lookup *lookup,
               GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) || g_error_matches (error, PAS_ERROR, PAS_ERROR_NOT_FOUND))
    {
      g_error_free (error);
      error = g_error_new (PAS_ERROR, PAS_ERROR_NOT_FOUND, _("%s: no longer there"), lookup->shown);
    }
  else if (!is_fatal (error))
    g_prefix_error (&error, "%s: ", lookup->shown);
  record_failure (lookup->run, error);
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
  schedule (run);
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
      PasSftpAttrs attrs = attrs_from_info (info);

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
          add_file (run, self->remote_path, local, attrs, shown);
        }
      else if (kept != NULL)
        add_file (run, kept, self->local, attrs, shown);
      else
        add_file (run, self->remote_path, self->local, attrs, shown);
    }
  else if (type == G_FILE_TYPE_DIRECTORY && self->recursive)
    add_dir (run, self->remote_path, self->local, 0, attrs->permissions, shown);
  else if (type == G_FILE_TYPE_DIRECTORY)
    run->fatal = g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("“%s” is a folder: copy it with its contents"), shown);
  else
    run->fatal = g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("“%s” is not a file or a folder"), shown);
  schedule (run);
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
      schedule (run);
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
      schedule (run);
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
      schedule (run);
      return;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    first_visit (run, info);
  attrs = attrs_from_info (info);
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

void
pas_transfer_run_async (PasTransfer         *self,
                        PasSftpSession      *session,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  pas_transfer_run_on_async (self, &session, 1, cancellable, callback, user_data);
}

void
pas_transfer_run_on_async (PasTransfer          *self,
                           PasSftpSession * const *sessions,
                           guint                 n_sessions,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
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
    run->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
    run->tokens = (gint64) MAX (get_rate_limit (self) / 4, 1);
    run->refill = g_timeout_source_new (REFILL_MS);
    g_source_set_callback (run->refill, refill_cb, run, NULL);
    g_source_attach (run->refill, run->context);
  }
  g_main_context_invoke (run->context, run_start_cb, run);
}

gboolean
pas_transfer_run_finish (PasTransfer   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
