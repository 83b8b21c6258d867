#pragma once

/* PasTransfer spans three files: the object and its API (pas-transfer.c),
 * its run — files scheduled, conflicts asked, a list's files looked up
 * (pas-transfer-run.c) — and the walks of folders (pas-transfer-walk.c).
 * This is what they share. The copy of one file (pas-transfer-download.c,
 * pas-transfer-upload.c) sees only pas-transfer-private.h. */

#include "pas-transfer-private.h"

G_BEGIN_DECLS

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

/* The speed limit refills this often; a burst is at most a quarter second. */
#define REFILL_MS 50

#define LOCAL_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
                         G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
                         G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_UNIX_MODE "," \
                         G_FILE_ATTRIBUTE_UNIX_DEVICE "," G_FILE_ATTRIBUTE_UNIX_INODE

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

#define LOCKED(self) g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(self)->lock)

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


/* pas-transfer.c */
guint64      pas_transfer_get_rate_limit      (PasTransfer        *self);
void         pas_transfer_stop_ticking        (PasTransfer        *self);
void         pas_transfer_emit_progress       (PasTransfer        *self);
void         pas_transfer_set_asking          (PasTransfer        *self,
                                               gboolean            asking);
/* Called with the lock held. */
void         pas_transfer_set_current         (PasTransfer        *self,
                                               const char         *name);
void         pas_transfer_run_count_skipped   (PasTransferRun     *run);

/* pas-transfer-run.c */
void         pas_transfer_run_begin           (PasTransferRun     *run);
void         pas_transfer_run_schedule        (PasTransferRun     *run);
PasFileJob  *pas_transfer_run_add_file        (PasTransferRun     *run,
                                               const char         *remote,
                                               GFile              *local,
                                               const PasSftpAttrs *source,
                                               const char         *name);
void         pas_transfer_run_add_dir         (PasTransferRun     *run,
                                               const char         *remote,
                                               GFile              *local,
                                               guint               depth,
                                               guint32             mode,
                                               const char         *name);
/* @error (consumed): a lost connection or a cancel ends the run, others
 * are the item's. */
void         pas_transfer_run_record_failure  (PasTransferRun     *run,
                                               GError             *error);
gboolean     pas_transfer_is_fatal            (const GError       *error);
void         pas_transfer_dir_item_free       (DirItem            *item);
void         pas_file_job_clear               (PasFileJob         *job);
void         pas_file_job_free                (PasFileJob         *job);

/* pas-transfer-walk.c */
PasSftpAttrs pas_transfer_attrs_from_info     (GFileInfo          *info);
/* FALSE for a folder reached twice (through links): it would loop. */
gboolean     pas_transfer_run_first_visit     (PasTransferRun     *run,
                                               GFileInfo          *info);
void         pas_transfer_run_walk_download   (PasTransferRun     *run,
                                               DirItem            *item);
void         pas_transfer_run_walk_upload     (PasTransferRun     *run,
                                               DirItem            *item);

G_END_DECLS
